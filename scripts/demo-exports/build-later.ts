// Writes datasets/demo-later/: the same company a week later (datasets/demo/README.md, "A week later"), for
// `blastmap diff` and `blastmap verify`. Every export is the demo's except Google Workspace's later variant; the
// native files are copied as they are. Run with `node bin/run-ts.js scripts/demo-exports/build-later.ts`;
// test/cli/demo-later.test.ts checks the committed files are what this writes.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoExports } from './build.ts';
import { googleWorkspaceExport } from './google-workspace.ts';
import { writeFolder, type Files } from './write.ts';

export const LATER_DIR = fileURLToPath(new URL('../../datasets/demo-later/', import.meta.url));
const DEMO_NATIVE = fileURLToPath(new URL('../../datasets/demo/native/', import.meta.url));

/** Every export folder of the later set, in memory: the demo's, with Google Workspace replaced. */
export function laterExports(): Map<string, Files> {
  const all = demoExports();
  const google: Files = {};
  googleWorkspaceExport(google, 'later');
  all.set('google-workspace', google);
  return all;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  rmSync(join(LATER_DIR, 'exports'), { recursive: true, force: true });
  for (const [folder, files] of laterExports()) {
    const count = writeFolder(join(LATER_DIR, 'exports', folder), files);
    process.stdout.write(`${folder}: ${count} files\n`);
  }
  rmSync(join(LATER_DIR, 'native'), { recursive: true, force: true });
  mkdirSync(join(LATER_DIR, 'native'), { recursive: true });
  for (const name of readdirSync(DEMO_NATIVE).sort()) copyFileSync(join(DEMO_NATIVE, name), join(LATER_DIR, 'native', name));
  process.stdout.write(`native: copied from datasets/demo/native\n`);
}

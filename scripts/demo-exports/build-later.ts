// Writes datasets/demo-later/: the same company a week later (datasets/demo/README.md, "A week later"), for
// `blastmap diff` and `blastmap verify`. Every export is the demo's except Google Workspace's later variant and
// Entra's later grant with its audit events (entraLater); the native files are copied as they are; `response/` holds
// the plans made on the demo the day before the work, for `blastmap verify`. Run with `node bin/run-ts.js scripts/demo-exports/build-later.ts`; test/cli/diff.test.ts and
// test/cli/verify.test.ts check the committed files are what this writes.
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pc from 'picocolors';
import type { Io } from '../../cli/context.ts';
import { main } from '../../cli/main.ts';
import { demoExports } from './build.ts';
import { entraLater } from './entra.ts';
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
  entraLater(all.get('entra')!);
  return all;
}

/** The plans `blastmap verify` checks in the docs: made on datasets/demo on 2026-11-24, before the work. */
export const RESPONSE_PLANS: Record<string, string[]> = {
  'parley-email.plan.json': ['plan', 'Parley Email', '--graph', 'datasets/demo', '--at', '2026-11-24', '--top', '0', '--format', 'json'],
  'parley-email.respond.json': ['respond', 'Parley Email', '--graph', 'datasets/demo', '--at', '2026-11-24', '--format', 'json'],
};

/** What `blastmap <args>` prints, run in-process from the repository root. */
export async function blastmapOutput(args: readonly string[]): Promise<string> {
  let text = '';
  const io: Io = { out: (t) => { text += t.endsWith('\n') ? t : `${t}\n`; }, err: () => {}, color: pc.createColors(false), isTty: false };
  const saved = process.exitCode;
  const code = await main(['node', 'blastmap', ...args], io);
  process.exitCode = saved;
  if (code !== 0) throw new Error(`blastmap ${args.join(' ')} exited with ${code}`);
  return text;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.chdir(fileURLToPath(new URL('../../', import.meta.url)));
  rmSync(join(LATER_DIR, 'exports'), { recursive: true, force: true });
  for (const [folder, files] of laterExports()) {
    const count = writeFolder(join(LATER_DIR, 'exports', folder), files);
    process.stdout.write(`${folder}: ${count} files\n`);
  }
  rmSync(join(LATER_DIR, 'native'), { recursive: true, force: true });
  mkdirSync(join(LATER_DIR, 'native'), { recursive: true });
  for (const name of readdirSync(DEMO_NATIVE).sort()) copyFileSync(join(DEMO_NATIVE, name), join(LATER_DIR, 'native', name));
  process.stdout.write(`native: copied from datasets/demo/native\n`);
  rmSync(join(LATER_DIR, 'response'), { recursive: true, force: true });
  mkdirSync(join(LATER_DIR, 'response'), { recursive: true });
  for (const [name, args] of Object.entries(RESPONSE_PLANS)) writeFileSync(join(LATER_DIR, 'response', name), await blastmapOutput(args));
  process.stdout.write(`response: ${Object.keys(RESPONSE_PLANS).join(', ')}\n`);
}

// `npm run build` (and `npm pack` through prepack): compiles engine/, importers/ and cli/ to dist/ with tsc, makes the
// declarations' relative imports name the emitted .js files, and builds the web UI into dist/ui with vite.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

function run(script, args) {
  const result = spawnSync(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function* files(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

// A stale file of a renamed source must not ship.
rmSync(dist, { recursive: true, force: true });
run(join(root, 'node_modules/typescript/bin/tsc'), ['-p', 'tsconfig.build.json']);
// tsc rewrites './x.ts' to './x.js' in the JavaScript it emits but keeps './x.ts' in declarations, which a consumer
// resolving under node10 or bundler rules, or an older tsc, does not map to x.d.ts.
const relativeTs = /((?:from|import)\s*\(?\s*['"])(\.\.?\/[^'"]*?)\.ts(['"])/g;
for (const path of files(dist)) {
  if (!path.endsWith('.d.ts')) continue;
  const text = readFileSync(path, 'utf8');
  const rewritten = text.replace(relativeTs, '$1$2.js$3');
  if (rewritten !== text) writeFileSync(path, rewritten);
}
run(join(root, 'node_modules/vite/bin/vite.js'), ['build']);

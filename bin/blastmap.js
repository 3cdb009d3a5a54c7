#!/usr/bin/env node
// Entry point of the `blastmap` command. An installed package runs its compiled JavaScript (dist/); a clone, which has
// the TypeScript sources, runs them through tsx (a development dependency) so an edit needs no build.
// BLASTMAP_RUN=dist makes a clone run its dist/ too (`npm run build` first), as the startup benchmark does.
import { existsSync, readFileSync } from 'node:fs';

// A reader that stops early (`blastmap ... | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
// `--version` alone answers from package.json without loading the CLI (scripts and shell prompts call it often).
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
  process.exit(0);
}
const fromSources = process.env.BLASTMAP_RUN !== 'dist' && existsSync(new URL('../cli/main.ts', import.meta.url));
let main;
if (fromSources) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../cli/main.ts'));
} else {
  ({ main } = await import('../dist/cli/main.js'));
}
process.exitCode = await main(process.argv);

// Start-up stays cheap (issue #17, item 4): the CLI's modules load without the libraries only some commands use.
// Timing belongs to `npm run bench`; this checks what is loaded, which does not depend on the machine's load.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

describe('CLI start-up', () => {
  it('loading every command module (what `blastmap completion` does) does not load neo4j-driver', () => {
    const script = [
      "import { createRequire } from 'node:module';",
      `const { buildProgram } = await import(${JSON.stringify(new URL('../../cli/main.ts', import.meta.url).href)});`,
      "const program = await buildProgram({ out() {}, err() {}, color: { dim: (t) => t }, isTty: false });",
      "if (program.commands.find((command) => command.name() === 'neo4j').commands.length === 0) throw new Error('neo4j not loaded');",
      'const loaded = Object.keys(createRequire(import.meta.url).cache);',
      "console.log(JSON.stringify({ count: loaded.length, heavy: loaded.filter((path) => /node_modules[\\\\/](neo4j-driver|rxjs)[\\\\/]/.test(path)) }));",
    ].join('\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx/esm', '--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as { count: number; heavy: string[] };
    // The check can see CommonJS packages: commander is one, and the CLI always loads it.
    expect(result.count).toBeGreaterThan(0);
    expect(result.heavy).toEqual([]);
  });
});

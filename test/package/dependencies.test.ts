// docs/dependencies.md stays true (issue #18, "Done when"): its Runtime table names exactly package.json's
// dependencies and its Development table exactly the devDependencies (tsx among them, never a runtime one), each with
// the licence the installed package declares.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.ts';

const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const page = readFileSync(join(REPO, 'docs/dependencies.md'), 'utf8');

/** Package name to the licence its row gives, for the table under `## <heading>`. */
function table(heading: string): Map<string, string> {
  const start = page.indexOf(`\n## ${heading}\n`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const end = page.indexOf('\n## ', start + 1);
  const rows = page.slice(start, end < 0 ? undefined : end).split('\n').filter((line) => line.startsWith('| `'));
  const listed = new Map<string, string>();
  for (const row of rows) {
    const cells = row.split('|').slice(1, -1).map((cell) => cell.trim());
    for (const [, name] of cells[0]!.matchAll(/`([^`]+)`/g)) {
      expect(listed.has(name!), `${name} listed twice`).toBe(false);
      listed.set(name!, cells.at(-1)!);
    }
  }
  return listed;
}

const licence = (name: string): string => (JSON.parse(readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as { license: string }).license;

describe('docs/dependencies.md', () => {
  it('lists every runtime dependency and nothing else, each with its licence', () => {
    const runtime = table('Runtime');
    expect([...runtime.keys()].sort()).toEqual(Object.keys(manifest.dependencies).sort());
    for (const [name, stated] of runtime) expect(stated, name).toBe(licence(name));
  });

  it('lists every development dependency and nothing else, each with its licence; tsx is one of them', () => {
    const development = table('Development only');
    expect([...development.keys()].sort()).toEqual(Object.keys(manifest.devDependencies).sort());
    for (const [name, stated] of development) expect(stated, name).toBe(licence(name));
    expect(Object.keys(manifest.dependencies)).not.toContain('tsx');
    expect(Object.keys(manifest.devDependencies)).toContain('tsx');
  });
});

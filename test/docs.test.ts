// The documentation shows what the code does: every `<!-- example: blastmap ... -->` block in docs/ must be
// exactly what the command prints today (run `npm run docs` to refresh them), and the README's commands exist.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { docPages, renderPage } from '../scripts/render-cli-docs.ts';
import { REPO } from './helpers/cli.ts';

describe('docs', () => {
  const pages = docPages().filter((page) => readFileSync(page, 'utf8').includes('<!-- example:'));

  it('has example blocks to check', () => {
    expect(pages.length).toBeGreaterThanOrEqual(8);
  });

  it.each(pages.map((page) => [page.slice(REPO.length + 1), page]))('%s shows the current output of its examples (npm run docs)', async (_name, page) => {
    const text = readFileSync(page, 'utf8');
    expect(await renderPage(text)).toBe(text);
  });

  it('the README has exactly two set-up commands, and they are the package scripts CI runs', () => {
    const readme = readFileSync(`${REPO}/README.md`, 'utf8');
    const setup = readme.slice(readme.indexOf('## Set up'), readme.indexOf('## Usage'));
    const commands = [...setup.matchAll(/^(npm [^#\n]+?)\s*(#.*)?$/gm)].map((m) => m[1]);
    expect(commands).toEqual(['npm ci && npm start', 'npm test']);
    const ci = readFileSync(`${REPO}/.ci/run`, 'utf8');
    expect(ci).toMatch(/^npm test$/m);
    const pkg = JSON.parse(readFileSync(`${REPO}/package.json`, 'utf8'));
    expect(pkg.scripts.start).toContain('demo');
  });
});

// The names docs/library.md's Reference section lists for each entry point: its values and its types, read from the
// tables under `### \`<entry point>\`` headings (the values column and the types column).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../helpers/cli.ts';

export interface EntryPointNames { values: string[]; types: string[] }

const names = (cell: string): string[] => [...cell.matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((match) => match[1]!);

/** Entry point (`blastmap`, `blastmap/importers`) to the names its Reference table lists; `blastmap/engine` shares `blastmap`'s. */
export function libraryReference(): Map<string, EntryPointNames> {
  const page = readFileSync(join(REPO, 'docs/library.md'), 'utf8');
  const reference = page.slice(page.indexOf('\n## Reference'));
  const entries = new Map<string, EntryPointNames>();
  for (const section of reference.split(/\n### /).slice(1)) {
    const heading = section.slice(0, section.indexOf('\n'));
    const listed: EntryPointNames = { values: [], types: [] };
    for (const row of section.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| group') && !line.startsWith('|---'))) {
      const [, , values = '', types = ''] = row.split('|');
      listed.values.push(...names(values));
      listed.types.push(...names(types));
    }
    for (const [, entry] of heading.matchAll(/`([^`]+)`/g)) entries.set(entry!, listed);
  }
  return entries;
}

// Writing one platform's export folder: JSON as the APIs return it (pretty-printed), text files (CSV) as they are.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Paths relative to the platform's export folder -> JSON value, or text for .csv files. */
export type Files = Record<string, unknown>;

/** The text of one file as it is written. */
export const fileText = (value: unknown): string => (typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);

/** Replaces the folder with exactly these files. */
export function writeFolder(root: string, files: Files): number {
  rmSync(root, { recursive: true, force: true });
  for (const [path, value] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, fileText(value));
  }
  return Object.keys(files).length;
}

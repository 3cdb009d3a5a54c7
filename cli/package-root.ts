// The package's root folder (package.json, datasets/, dist/ui) and its version, found the same way whether the CLI
// runs from its TypeScript sources (cli/) in a clone or from the compiled JavaScript (dist/cli/) of an installed package.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  // The nearest folder up with a package.json: dist/ has none, so both layouts land on the package itself.
  for (let folder = start; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) return folder;
    if (dirname(folder) === folder) throw new Error(`blastmap: no package.json above ${start}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** The version in package.json: the one `--version`, SARIF and the server report. */
export const VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

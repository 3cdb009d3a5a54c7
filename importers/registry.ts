// Every platform importer by its command-line name. Each importer adds itself here with one line.
import type { Importer } from './common/importer.ts';

export const IMPORTERS: readonly Importer[] = [
];

export function findImporter(source: string): Importer | undefined {
  return IMPORTERS.find((importer) => importer.source === source);
}

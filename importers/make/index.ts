// The Make importer: `blastmap import make <folder>` reads saved Make API answers (teams, connections, scenarios and
// their blueprints; docs/importers/make.md) and maps scenarios, the connections they hold and the accounts those sign in as.
import type { Importer } from '../common/importer.ts';
import { MAKE_FILES, transformMake } from './transform.ts';

export const makeImporter: Importer = {
  source: 'make',
  title: 'Make',
  files: MAKE_FILES,
  folders: ['scenarios', 'blueprints'],
  transform: transformMake,
};

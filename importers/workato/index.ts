// The Workato importer: `blastmap import workato <folder>` reads saved Developer API answers (workspace, members,
// folders, connections, recipes; docs/importers/workato.md) and maps recipes, the connections they hold and who can edit them.
import type { Importer } from '../common/importer.ts';
import { transformWorkato, WORKATO_FILES } from './transform.ts';

export const workatoImporter: Importer = {
  source: 'workato',
  title: 'Workato',
  files: WORKATO_FILES,
  transform: transformWorkato,
};

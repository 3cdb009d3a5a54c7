// The BambooHR importer: `blastmap import bamboohr <folder> --tenant <company>` reads the saved employee directory and
// users (docs/importers/bamboohr.md): the HR source of truth, its sensitive records and the integration accounts on it.
import type { Importer } from '../common/importer.ts';
import { BAMBOOHR_FILES, transformBamboohr } from './transform.ts';

export const bamboohrImporter: Importer = {
  source: 'bamboohr',
  title: 'BambooHR',
  files: BAMBOOHR_FILES,
  transform: transformBamboohr,
};

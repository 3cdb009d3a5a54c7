// The Okta importer: `blastmap import okta <folder>` reads saved Okta Management API responses (one file per
// endpoint, docs/importers/okta.md) and maps them to the graph.
import type { Importer } from '../common/importer.ts';
import { OKTA_FILES, transformOkta } from './transform.ts';

export const oktaImporter: Importer = {
  source: 'okta',
  title: 'Okta',
  files: OKTA_FILES,
  folders: ['apps', 'users', 'groups'],
  transform: transformOkta,
};

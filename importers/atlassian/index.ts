// The Atlassian importer: `blastmap import atlassian <folder>` reads saved Atlassian Admin API answers (org
// API token list, per-user API tokens, managed accounts) and Forge app manifests (docs/importers/atlassian.md).
import type { Importer } from '../common/importer.ts';
import { ATLASSIAN_FILES, transformAtlassian } from './transform.ts';

export const atlassianImporter: Importer = {
  source: 'atlassian',
  title: 'Atlassian',
  files: ATLASSIAN_FILES,
  folders: ['orgs', 'users', 'user-api-tokens', 'apps', 'forge-apps'],
  transform: transformAtlassian,
};

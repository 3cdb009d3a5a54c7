// The n8n importer: `blastmap import n8n <folder>` reads saved n8n public API answers (users, projects and their
// members, credentials, workflows; docs/importers/n8n.md) and maps the workflows, the connections they hold and who can edit them.
import type { Importer } from '../common/importer.ts';
import { N8N_FILES, transformN8n } from './transform.ts';

export const n8nImporter: Importer = {
  source: 'n8n',
  title: 'n8n',
  files: N8N_FILES,
  folders: ['projects'],
  transform: transformN8n,
};

// The ServiceNow importer: `blastmap import servicenow <folder>` reads saved Table API answers (users, roles, groups,
// OAuth registries and tokens, credential records; docs/importers/servicenow.md): the ITSM platform's identities and integrations.
import type { Importer } from '../common/importer.ts';
import { SERVICENOW_FILES, transformServicenow } from './transform.ts';

export const servicenowImporter: Importer = {
  source: 'servicenow',
  title: 'ServiceNow',
  files: SERVICENOW_FILES,
  transform: transformServicenow,
};

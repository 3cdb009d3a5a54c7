// The Microsoft Entra ID importer: `blastmap import entra <folder>` reads a folder of Microsoft Graph v1.0
// responses (docs/importers/entra.md) and turns them into apps, service principals, credentials and grants.
import type { Importer } from '../common/importer.ts';
import { ENTRA_FILES, transformEntra } from './transform.ts';

export const entraImporter: Importer = {
  source: 'entra',
  title: 'Microsoft Entra ID',
  files: ENTRA_FILES,
  folders: ['applications', 'servicePrincipals', 'groups', 'directoryRoles', 'roleManagement', 'users'],
  transform: transformEntra,
};

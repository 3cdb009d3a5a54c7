// The Microsoft Entra sign-in log importer (docs/importers/logs/entra-signin.md).
import type { LogImporter } from '../types.ts';
import { ENTRA_SIGNIN_FILES, SOURCE, transformEntraSignIns } from './transform.ts';

export const entraSignInImporter: LogImporter = {
  source: SOURCE,
  title: 'Microsoft Entra sign-in logs',
  platform: 'entra',
  files: ENTRA_SIGNIN_FILES,
  transform: transformEntraSignIns,
};

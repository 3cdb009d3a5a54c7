// The Microsoft Entra audit log importer (docs/importers/logs/entra-audit.md).
import type { LogImporter } from '../types.ts';
import { ENTRA_AUDIT_LOG_FILES, SOURCE, transformEntraAudits } from './transform.ts';

export const entraAuditImporter: LogImporter = {
  source: SOURCE,
  title: 'Microsoft Entra audit logs',
  platform: 'entra',
  files: ENTRA_AUDIT_LOG_FILES,
  transform: transformEntraAudits,
};

// The Okta System Log importer (docs/importers/logs/okta-system-log.md).
import type { LogImporter } from '../types.ts';
import { OKTA_LOG_FILES, SOURCE, transformOktaLog } from './transform.ts';

export const oktaSystemLogImporter: LogImporter = {
  source: SOURCE,
  title: 'Okta System Log',
  platform: 'okta',
  files: OKTA_LOG_FILES,
  transform: transformOktaLog,
};

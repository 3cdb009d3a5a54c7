// The Google Workspace Reports API importer (docs/importers/logs/google-reports.md).
import type { LogImporter } from '../types.ts';
import { GOOGLE_REPORT_FILES, SOURCE, transformGoogleReports } from './transform.ts';

export const googleReportsImporter: LogImporter = {
  source: SOURCE,
  title: 'Google Workspace Reports API (token, admin, drive, login)',
  platform: 'google-workspace',
  files: GOOGLE_REPORT_FILES,
  transform: transformGoogleReports,
};

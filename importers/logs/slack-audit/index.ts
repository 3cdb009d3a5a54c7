// The Slack audit and integration log importer (docs/importers/logs/slack-audit.md).
import type { LogImporter } from '../types.ts';
import { SLACK_AUDIT_FILES, SOURCE, transformSlackAudit } from './transform.ts';

export const slackAuditImporter: LogImporter = {
  source: SOURCE,
  title: 'Slack Audit Logs API and integration logs',
  platform: 'slack',
  files: SLACK_AUDIT_FILES,
  transform: transformSlackAudit,
};

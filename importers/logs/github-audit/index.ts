// The GitHub organization audit log importer (docs/importers/logs/github-audit.md).
import type { LogImporter } from '../types.ts';
import { GITHUB_AUDIT_FILES, SOURCE, transformGithubAudit } from './transform.ts';

export const githubAuditImporter: LogImporter = {
  source: SOURCE,
  title: 'GitHub organization audit log',
  platform: 'github',
  files: GITHUB_AUDIT_FILES,
  transform: transformGithubAudit,
};

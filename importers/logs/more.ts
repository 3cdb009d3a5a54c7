// The seven SaaS log importers (one folder each under importers/logs/), for the log registry: the lead adds
// MORE_LOG_IMPORTERS to LOG_IMPORTERS in importers/logs/registry.ts beside AWS CloudTrail.
import { entraAuditImporter } from './entra-audit/index.ts';
import { entraSignInImporter } from './entra-signin/index.ts';
import { githubAuditImporter } from './github-audit/index.ts';
import { googleReportsImporter } from './google-reports/index.ts';
import { oktaSystemLogImporter } from './okta-system-log/index.ts';
import { salesforceEventsImporter } from './salesforce-events/index.ts';
import { slackAuditImporter } from './slack-audit/index.ts';
import type { LogImporter } from './types.ts';

export const MORE_LOG_IMPORTERS: readonly LogImporter[] = [
  oktaSystemLogImporter,
  entraSignInImporter,
  entraAuditImporter,
  googleReportsImporter,
  githubAuditImporter,
  salesforceEventsImporter,
  slackAuditImporter,
];

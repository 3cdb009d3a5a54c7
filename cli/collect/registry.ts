// The collectors `blastmap collect <platform>` knows, in the order docs/collect.md lists them. Each module is small;
// the SDKs they use are imported inside collect(), so listing them here costs nothing at start-up.
import { atlassianCollector } from './atlassian.ts';
import { githubCollector } from './github.ts';
import { awsCollector } from './aws.ts';
import { entraCollector } from './entra.ts';
import { gcpCollector } from './gcp.ts';
import { googleWorkspaceCollector } from './google-workspace.ts';
import { oktaCollector } from './okta.ts';
import { salesforceCollector } from './salesforce.ts';
import { slackCollector } from './slack.ts';
import type { Collector } from './types.ts';

export const COLLECTORS: readonly Collector[] = [
  entraCollector, oktaCollector, googleWorkspaceCollector, gcpCollector, githubCollector, slackCollector, salesforceCollector, awsCollector, atlassianCollector,
];

export function findCollector(platform: string): Collector | undefined {
  return COLLECTORS.find((collector) => collector.platform === platform);
}

// Every platform importer by its command-line name. Each importer adds itself here with one line.
import type { Importer } from './common/importer.ts';
import { entraImporter } from './entra/index.ts';
import { gcpImporter } from './gcp/index.ts';
import { githubImporter } from './github/index.ts';
import { googleWorkspaceImporter } from './google-workspace/index.ts';
import { oktaImporter } from './okta/index.ts';
import { atlassianImporter } from './atlassian/index.ts';
import { salesforceImporter } from './salesforce/index.ts';
import { slackImporter } from './slack/index.ts';
import { awsImporter } from './aws/index.ts';
import { n8nImporter } from './n8n/index.ts';
import { servicenowImporter } from './servicenow/index.ts';
import { workatoImporter } from './workato/index.ts';
import { makeImporter } from './make/index.ts';
import { bamboohrImporter } from './bamboohr/index.ts';

export const IMPORTERS: readonly Importer[] = [
  entraImporter,
  oktaImporter,
  googleWorkspaceImporter,
  gcpImporter,
  githubImporter,
  slackImporter,
  salesforceImporter,
  atlassianImporter,
  awsImporter,
  n8nImporter,
  servicenowImporter,
  workatoImporter,
  makeImporter,
  bamboohrImporter,
];

export function findImporter(source: string): Importer | undefined {
  return IMPORTERS.find((importer) => importer.source === source);
}

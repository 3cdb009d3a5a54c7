// Writes datasets/demo/exports/: Corvid Labs' raw admin-API exports, one folder per platform (per tenant for
// AWS), in each platform's own format (docs/importers/<source>.md). Run with
// `node bin/run-ts.js scripts/demo-exports/build.ts`; test/cli/demo-exports.test.ts checks the committed files
// are what this writes.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { awsProdExport, awsStagingExport } from './aws.ts';
import { entraExport } from './entra.ts';
import { githubExport } from './github.ts';
import { n8nExport } from './n8n.ts';
import { googleWorkspaceExport } from './google-workspace.ts';
import { oktaExport } from './okta.ts';
import { salesforceExport } from './salesforce.ts';
import { slackExport } from './slack.ts';
import { writeFolder, type Files } from './write.ts';

export const EXPORTS = fileURLToPath(new URL('../../datasets/demo/exports/', import.meta.url));

/** Export folders (relative to datasets/demo/exports) and what writes each. */
const PLATFORMS: [string, (files: Files) => void][] = [
  ['okta', oktaExport],
  ['google-workspace', googleWorkspaceExport],
  ['salesforce', salesforceExport],
  ['github', githubExport],
  ['slack', slackExport],
  ['entra', entraExport],
  ['aws/corvid-prod', awsProdExport],
  ['aws/corvid-staging', awsStagingExport],
  ['n8n/automation.corvidlabs.com', n8nExport],
];

/** Every export folder's files, in memory. */
export function demoExports(): Map<string, Files> {
  const all = new Map<string, Files>();
  for (const [folder, build] of PLATFORMS) {
    const files: Files = {};
    build(files);
    all.set(folder, files);
  }
  return all;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [folder, files] of demoExports()) {
    const count = writeFolder(join(EXPORTS, folder), files);
    process.stdout.write(`${folder}: ${count} files\n`);
  }
}

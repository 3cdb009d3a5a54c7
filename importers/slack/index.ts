// The Slack importer: `blastmap import slack <folder>` reads saved Slack Web API answers (admin.apps.*,
// team.integrationLogs, users.list, bots.info, team.info; docs/importers/slack.md) and maps apps and their tokens.
import type { Importer } from '../common/importer.ts';
import { SLACK_FILES, transformSlack } from './transform.ts';

export const slackImporter: Importer = {
  source: 'slack',
  title: 'Slack',
  files: SLACK_FILES,
  folders: ['bots'],
  transform: transformSlack,
};

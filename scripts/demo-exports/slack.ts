// Corvid Labs' Slack workspace as the Slack Web API answers (docs/importers/slack.md): team.info, approved and
// restricted apps, the integration log, users.list with the bot users, user groups, and a secret scanner's
// channel findings.
import { isActive, PEOPLE, personByEmail } from './people.ts';
import type { Files } from './write.ts';

export const SLACK_TEAM = 'T03CVD7LB';

interface SlackApp { id: string; bot: string; botUser: string; name: string; handle: string; internal: boolean; directory: boolean; scopes: [string, boolean][]; by: string; at: number }
const APPS: SlackApp[] = [
  // A stand-up bot a manager installed: it reads every public channel's history, though it only ever posts.
  { id: 'A04DLYBEE2', bot: 'B04DLYBEE2', botUser: 'U04DLYBEE2', name: 'DailyBee Standups', handle: 'dailybee', internal: false, directory: false, by: 'greta.novak@corvidlabs.com', at: 1_666_000_800,
    scopes: [['channels:history', true], ['channels:read', false], ['chat:write', false], ['users:read', false]] },
  { id: 'A05BCNALRT', bot: 'B05BCNALRT', botUser: 'U05BCNALRT', name: 'Beacon Alerts', handle: 'beacon', internal: false, directory: true, by: 'jonas.lindqvist@corvidlabs.com', at: 1_684_144_800,
    scopes: [['chat:write', false], ['chat:write.public', false], ['incoming-webhook', false]] },
  { id: 'A0FO69L7ZCN', bot: 'B0FO69L7ZC', botUser: 'U0FO69L7ZC', name: 'Corvid Deploy Notifier', handle: 'deploy-notifier', internal: true, directory: false, by: 'diego.alvarez@corvidlabs.com', at: 1_650_000_000,
    scopes: [['chat:write', false]] },
];

const ok = <T extends object>(body: T) => ({ ok: true, ...body });

export function slackExport(files: Files): void {
  files['team-info.json'] = ok({ team: { id: SLACK_TEAM, name: 'Corvid Labs', domain: 'corvidlabs', email_domain: 'corvidlabs.com', icon: {} } });
  files['admin-apps-approved-list.json'] = ok({
    approved_apps: APPS.map((a) => ({
      app: { id: a.id, name: a.name, description: '', help_url: '', privacy_policy_url: '', app_homepage_url: '', app_directory_url: `https://corvidlabs.slack.com/apps/${a.id}`, is_app_directory_approved: a.directory, is_internal: a.internal, icons: {}, additional_info: '' },
      scopes: a.scopes.map(([name, sensitive]) => ({ name, description: '', is_sensitive: sensitive, token_type: 'bot' })),
      date_updated: a.at, last_resolved_by: { actor_id: personByEmail('priya.raman@corvidlabs.com').slack!, actor_type: 'user' },
    })),
    response_metadata: { next_cursor: '' },
  });
  files['admin-apps-restricted-list.json'] = ok({
    restricted_apps: [{
      app: { id: 'A06NTWSAI9', name: 'Notewise AI', description: '', help_url: '', privacy_policy_url: '', app_homepage_url: '', app_directory_url: 'https://corvidlabs.slack.com/apps/A06NTWSAI9', is_app_directory_approved: false, is_internal: false, icons: {}, additional_info: '' },
      scopes: [['channels:history', true], ['groups:history', true], ['im:history', true], ['files:read', true]].map(([name, sensitive]) => ({ name, description: '', is_sensitive: sensitive, token_type: 'user' })),
      date_updated: 1_761_300_000, last_resolved_by: { actor_id: personByEmail('priya.raman@corvidlabs.com').slack!, actor_type: 'user' },
    }],
    response_metadata: { next_cursor: '' },
  });
  files['team-integration-logs.json'] = ok({
    logs: APPS.map((a) => {
      const installer = personByEmail(a.by);
      return { app_id: a.id, app_type: a.name, user_id: installer.slack!, user_name: installer.email.split('@')[0], date: String(a.at - 600), change_type: 'added', scope: a.scopes.map(([s]) => s).join(',') };
    }).sort((x, y) => Number(y.date) - Number(x.date)),
    paging: { count: 100, total: APPS.length, page: 1, pages: 1 },
  });
  const humans = PEOPLE.filter((p) => p.slack).map((p) => ({
    id: p.slack!, team_id: SLACK_TEAM, name: p.email.split('@')[0], deleted: !isActive(p), real_name: p.name,
    is_admin: p.slackRole !== undefined, is_owner: p.slackRole === 'primary-owner', is_primary_owner: p.slackRole === 'primary-owner',
    is_restricted: p.groups.includes('Contractors'), is_ultra_restricted: false, is_bot: false, is_app_user: false, updated: 1_763_700_000,
    profile: { real_name: p.name, display_name: p.name.split(' ')[0]!.toLowerCase(), email: p.email, title: p.title ?? '' },
  }));
  const bots = APPS.map((a) => ({
    id: a.botUser, team_id: SLACK_TEAM, name: a.handle, deleted: false, real_name: a.name, is_admin: false, is_owner: false, is_primary_owner: false,
    is_restricted: false, is_ultra_restricted: false, is_bot: true, is_app_user: false, updated: a.at,
    profile: { real_name: a.name, display_name: a.handle, bot_id: a.bot, api_app_id: a.id, always_active: true },
  }));
  files['users-list.json'] = ok({ members: [...humans, ...bots], cache_ts: 1_763_800_000, response_metadata: { next_cursor: '' } });
  // User groups (usergroups.list?include_users=true): who gets paged, and who is in the security rota.
  const slackIds = (emails: string[]) => emails.map((email) => personByEmail(email).slack!).sort();
  const groups: { id: string; name: string; handle: string; description: string; channels: string[]; members: string[] }[] = [
    { id: 'S04ONCALL1', name: 'On-call engineers', handle: 'oncall', description: 'Whoever carries the pager this week', channels: ['C0UVXGTG3U7'], members: slackIds(['jonas.lindqvist@corvidlabs.com', 'diego.alvarez@corvidlabs.com', 'sofia.marchetti@corvidlabs.com']) },
    { id: 'S04SECURTY', name: 'Security', handle: 'security', description: 'Security and IT', channels: [], members: slackIds(['priya.raman@corvidlabs.com', 'nina.petrova@corvidlabs.com', 'tom.becker@corvidlabs.com']) },
  ];
  files['usergroups-list.json'] = ok({
    usergroups: groups.map((g) => ({
      id: g.id, team_id: SLACK_TEAM, is_usergroup: true, is_subteam: true, name: g.name, description: g.description, handle: g.handle, is_external: false,
      date_create: 1_690_000_000, date_update: 1_760_000_000, date_delete: 0, auto_type: null, created_by: personByEmail('priya.raman@corvidlabs.com').slack!,
      updated_by: personByEmail('priya.raman@corvidlabs.com').slack!, deleted_by: null, prefs: { channels: g.channels, groups: [] }, users: g.members, user_count: g.members.length,
    })),
  });
  // A secret scanner's report over exported channel history (no secret in it): Jonas pasted his fine-grained
  // GitHub token in #eng-oncall while debugging an incident on 11 June 2025.
  files['secret-findings.json'] = { findings: [
    { channel: 'C0UVXGTG3U7', channel_name: '#eng-oncall', is_private: false, message_ts: '1749685680.004219', detector: 'github-fine-grained-pat', credential: 'github:corvid:credential:fine-grained-pat/25381' },
  ] };
}

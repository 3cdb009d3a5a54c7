// The Slack importer: the shared corpus (Slack's documentation examples and a value-blanked java-slack-sdk
// shape) and a hand-made workspace become apps, bot and user tokens, scope-derived authority and bots.
// The fixture (test/fixtures/slack/workspace) follows the Slack Web API reference pages of admin.apps.approved.list,
// admin.apps.restricted.list, admin.apps.requests.list, team.integrationLogs (change_type added/removed, `date` as
// a string of Unix seconds, comma-separated `scope`), users.list (is_bot, profile.api_app_id), bots.info and
// team.info; scope names are those of Slack's permission scopes reference.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRawFiles } from '../../cli/commands/import.ts';
import { reach } from '../../engine/analysis/reach.ts';
import { edgeSchema, nodeSchema, type Fragment, type GraphEdge, type GraphNode } from '../../engine/format/native.ts';
import { finishFragment } from '../../engine/format/validate.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { buildGraph, toFragment } from '../../engine/store/compact.ts';
import type { ImporterOptions, ImporterResult } from '../../importers/common/importer.ts';
import type { RawFile } from '../../importers/common/records.ts';
import { scopeCatalogSchema } from '../../importers/common/scopes.ts';
import { findImporter } from '../../importers/registry.ts';
import { SLACK_RESOURCES, WORKSPACE_TYPE } from '../../importers/slack/catalog.ts';
import { slackImporter } from '../../importers/slack/index.ts';
import { USER_RIGHTS_CONDITION } from '../../importers/slack/transform.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';

const CORPUS = resolve(REPO, '../shared/corpus/slack');
const FIXTURE = join(REPO, 'test/fixtures/slack/workspace');
const t = (kind: string, native: string): string => `slack:t0fabrik1:${kind}:${native}`;
const STANDUP = t('app', 'A0STANDUP1');
const STANDUP_BOT_TOKEN = t('credential', 'bot-token/A0STANDUP1');
const ALICE_USER_TOKEN = t('credential', 'user-token/A0STANDUP1/U0ALICE01');
const WORKSPACE = t('platform', 'workspace');

const run = (files: readonly RawFile[], options: ImporterOptions = {}): ImporterResult => slackImporter.transform(files, options);
function imported(files: readonly RawFile[], options: ImporterOptions = {}) {
  const result = run(files, options);
  if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.issues, null, 2)}`);
  return result;
}
const fixtureFiles = (): RawFile[] => readRawFiles([FIXTURE]);
const fixture = () => imported(fixtureFiles());
const corpusFiles = (): RawFile[] => readRawFiles([CORPUS]);
const node = (fragment: Fragment, id: string): GraphNode => {
  const found = fragment.nodes.find((n) => n.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
};
const edges = (fragment: Fragment, filter: Partial<Pick<GraphEdge, 'kind' | 'from' | 'to'>>): GraphEdge[] =>
  fragment.edges.filter((e) => (filter.kind === undefined || e.kind === filter.kind) && (filter.from === undefined || e.from === filter.from) && (filter.to === undefined || e.to === filter.to));
const edgeKeys = (fragment: Fragment, filter: Partial<Pick<GraphEdge, 'kind' | 'from' | 'to'>>): string[] =>
  edges(fragment, filter).map((e) => `${e.kind} ${e.from} -> ${e.to}`).sort();
const sourced = (fragment: Fragment) => {
  const finished = finishFragment(structuredClone(fragment), { nodePaths: fragment.nodes.map((n) => n.id), edgePaths: fragment.edges.map((e) => e.to) });
  if (!finished.ok) throw new Error(JSON.stringify(finished.issues));
  return finished.value;
};

describe('the Slack importer is registered', () => {
  it('answers to `blastmap import slack`', () => {
    expect(findImporter('slack')).toBe(slackImporter);
  });
});

describe('the shared corpus', () => {
  const c = (kind: string, native: string): string => `slack:t0m94lnucr:${kind}:${native}`;

  it('every corpus file imports together: the workspace comes from the request\'s team, the approved app gets a bot token', () => {
    const { fragment, report } = imported(corpusFiles());
    expect(report.records).toEqual({ approved: 1, requests: 1, integrationLogs: 1 });
    expect(report.ignoredFiles).toEqual([]);
    expect(node(fragment, c('platform', 'workspace'))).toMatchObject({ kind: 'Platform', name: 'Acme Corp (Slack)', properties: { teamId: 'T0M94LNUCR', domain: 'acmecorp' } });
    expect(node(fragment, c('app', 'A0W7UKG8E'))).toMatchObject({
      kind: 'App', name: 'My Test App', thirdParty: true, publisherVerified: false,
      properties: { appId: 'A0W7UKG8E', approvalStatus: 'approved', decidedAt: '2019-11-21T00:38:27.000Z', decidedBy: 'W0G82F4FD', sensitiveScopes: ['bot'] },
    });
    const token = c('credential', 'bot-token/A0W7UKG8E');
    expect(node(fragment, token)).toMatchObject({ kind: 'Credential', type: 'api-key', scopes: ['bot'], properties: { tokenType: 'bot', sensitiveScopes: ['bot'] } });
    expect(edgeKeys(fragment, { to: token })).toEqual([`HOLDS ${c('app', 'A0W7UKG8E')} -> ${token}`]);
    // The classic `bot` scope reads every conversation the bot is in.
    expect(edgeKeys(fragment, { from: token })).toEqual(['direct-messages', 'private-channels', 'public-channels'].map((r) => `CAN_READ ${token} -> ${c('resource', r)}`));
    expect(edgeKeys(fragment, { kind: 'CONSENTED' })).toEqual([`CONSENTED ${c('identity', 'W0G82F4FD')} -> ${c('app', 'A0W7UKG8E')}`]);
  });

  it('a pending request records the app and its requester, and grants nothing', () => {
    const { fragment } = imported(corpusFiles());
    const app = c('app', 'A061BL8RQ0');
    expect(node(fragment, app)).toMatchObject({ name: 'Test App', publisherVerified: true, properties: { approvalStatus: 'requested', requestedScopes: ['incoming-webhook'], requestedBy: ['janedoe@example.com'], requestedAt: '2020-01-13T22:58:47.000Z' } });
    expect(node(fragment, c('identity', 'W08RA9G5HR'))).toMatchObject({ name: 'Jane Doe', email: 'janedoe@example.com', subtype: 'human' });
    expect(edges(fragment, { from: app })).toEqual([]);
    expect(edges(fragment, { to: app })).toEqual([]);
  });

  it('the value-blanked integration-log shape ("ok": false, empty error) is read as data and says so', () => {
    const shape = corpusFiles().filter((f) => f.path === 'team-integration-logs.shape.json');
    const { fragment, report } = imported(shape, { tenant: 'T0M94LNUCR' });
    expect(report.notes.join('\n')).toContain('"ok": false without an error read as data');
    expect(node(fragment, c('app', 'A00000000'))).toMatchObject({ kind: 'App', properties: { approvalStatus: 'installed' } });
    expect(edgeKeys(fragment, { from: c('app', 'A00000000') })).toEqual([`INSTALLED_IN ${c('app', 'A00000000')} -> ${c('platform', 'workspace')}`]);
    // An empty change_type is not an installation: no consent, and no scopes means no token.
    expect(fragment.nodes.filter((n) => n.kind === 'Credential')).toEqual([]);
    expect(edges(fragment, { kind: 'CONSENTED' })).toEqual([]);
  });

  it('an "ok": false answer with an error is an error naming the file, even with --lenient', () => {
    const text = JSON.stringify({ ok: false, error: 'missing_scope', needed: 'admin.apps:read', provided: 'admin' });
    for (const lenient of [false, true]) {
      const result = run([{ path: 'admin-apps-approved-list.json', text }], { tenant: 'T0M94LNUCR', lenient });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.issues).toEqual([expect.objectContaining({ file: 'admin-apps-approved-list.json', path: '$.ok', message: 'the API answered with an error: missing_scope' })]);
    }
  });
});

describe('approved apps and their tokens', () => {
  it('an approved app is an App keyed by its app id, third-party unless internal, consented by the approving admin and the installer', () => {
    const { fragment } = fixture();
    expect(node(fragment, STANDUP)).toMatchObject({ name: 'Standup Bee', thirdParty: true, publisherVerified: true, properties: { appId: 'A0STANDUP1', approvalStatus: 'approved', installedBy: ['U0ALICE01'], sensitiveScopes: ['channels:history', 'search:read', 'users:read.email'] } });
    expect(node(fragment, t('app', 'A0DEPLOY01'))).toMatchObject({ thirdParty: false, publisherVerified: false });
    expect(edgeKeys(fragment, { to: STANDUP, kind: 'CONSENTED' })).toEqual([`CONSENTED ${t('identity', 'U0ALICE01')} -> ${STANDUP}`, `CONSENTED ${t('identity', 'W0ADMIN01')} -> ${STANDUP}`]);
    expect(edgeKeys(fragment, { from: STANDUP, kind: 'INSTALLED_IN' })).toEqual([`INSTALLED_IN ${STANDUP} -> ${WORKSPACE}`]);
  });

  it('the bot token is held by the app, acts as the bot user, and its scopes reach workspace resources through the catalogue', () => {
    const { fragment } = fixture();
    expect(node(fragment, STANDUP_BOT_TOKEN)).toMatchObject({ type: 'api-key', createdAt: '2024-10-07T09:01:40.000Z', scopes: ['channels:history', 'chat:write', 'users:read', 'users:read.email'], properties: { tokenType: 'bot', sensitiveScopes: ['channels:history', 'users:read.email'] } });
    expect(edgeKeys(fragment, { to: STANDUP_BOT_TOKEN })).toEqual([`HOLDS ${STANDUP} -> ${STANDUP_BOT_TOKEN}`]);
    expect(edges(fragment, { from: STANDUP_BOT_TOKEN }).map((e) => `${e.kind} ${e.to} ${e.scopes?.join(',') ?? ''}`).sort()).toEqual([
      `AUTHENTICATES_AS ${t('identity', 'U0STANDBOT')} `,
      `CAN_READ ${t('resource', 'directory')} users:read,users:read.email`,
      `CAN_READ ${t('resource', 'public-channels')} channels:history`,
      `CAN_WRITE ${t('resource', 'posting')} chat:write`,
    ]);
    expect(edges(fragment, { from: STANDUP_BOT_TOKEN, kind: 'CAN_READ' }).every((e) => e.grant === STANDUP_BOT_TOKEN)).toBe(true);
    expect(node(fragment, t('identity', 'U0STANDBOT'))).toMatchObject({ subtype: 'service', name: 'Standup Bee', properties: { appId: 'A0STANDUP1', botId: 'B0STANDUP1' } });
  });

  it('a bot known from bots.info links its app to its bot user', () => {
    const { fragment } = fixture();
    expect(edgeKeys(fragment, { from: t('credential', 'bot-token/A0DEPLOY01'), kind: 'AUTHENTICATES_AS' })).toEqual([`AUTHENTICATES_AS ${t('credential', 'bot-token/A0DEPLOY01')} -> ${t('identity', 'U0DEPLOYBOT')}`]);
  });

  it('user-token scopes give one token per installing user, bounded by that user\'s rights', () => {
    const { fragment } = fixture();
    expect(node(fragment, ALICE_USER_TOKEN)).toMatchObject({ name: 'Standup Bee user token of alice@fabrikam.example', scopes: ['search:read'], properties: { tokenType: 'user', userId: 'U0ALICE01' } });
    const reached = edges(fragment, { from: ALICE_USER_TOKEN });
    expect(reached.map((e) => e.to).sort()).toEqual(['direct-messages', 'files', 'private-channels', 'public-channels'].map((r) => t('resource', r)));
    expect(reached.every((e) => e.kind === 'CAN_READ' && e.conditions?.includes(USER_RIGHTS_CONDITION))).toBe(true);
    expect(edgeKeys(fragment, { to: ALICE_USER_TOKEN })).toEqual([`HOLDS ${STANDUP} -> ${ALICE_USER_TOKEN}`]);
  });

  it('chat:write reaches posting, never the conversations: a key pasted in a channel stays out of a posting-only app\'s reach', () => {
    const { fragment } = fixture();
    const graph = buildGraph(fragment);
    const deploy = reach(graph, [graph.indexOf.get(t('app', 'A0DEPLOY01'))!]);
    expect(deploy.level[graph.indexOf.get(t('resource', 'posting'))!]).toBe(2);
    expect(deploy.level[graph.indexOf.get(t('resource', 'C0ONCALL01'))!]).toBe(0);
    expect(deploy.level[graph.indexOf.get('github:*:credential:pat/alice/oncall-debug')!]).toBe(0);
  });

  it('a scope the catalogue does not know reaches the whole workspace at the level its name suggests, flagged and reported', () => {
    const { fragment, report } = fixture();
    expect(edges(fragment, { from: t('credential', 'bot-token/A0HUDDLE01') })).toEqual([expect.objectContaining({ kind: 'CAN_READ', to: WORKSPACE, scopes: ['huddles:transcripts:read'], assumed: true })]);
    expect(report.unknownScopes).toEqual([{ scope: 'huddles:transcripts:read', count: 1, assumedLevel: 'read' }]);
  });
});

describe('restricted apps, requests and integration logs', () => {
  it('a restricted app is recorded with what it asked for, without tokens or authority', () => {
    const { fragment } = fixture();
    const app = t('app', 'A0SKETCHY1');
    expect(node(fragment, app)).toMatchObject({ properties: { approvalStatus: 'restricted', requestedScopes: ['admin.conversations:read', 'channels:history'] } });
    expect(edges(fragment, { from: app })).toEqual([]);
    expect(fragment.nodes.some((n) => n.id.includes('A0SKETCHY1') && n.kind === 'Credential')).toBe(false);
  });

  it('a pending request records the requester (lower-cased email) and grants nothing', () => {
    const { fragment } = fixture();
    const app = t('app', 'A0POLLPAL1');
    expect(node(fragment, app).properties).toMatchObject({ approvalStatus: 'requested', requestedBy: ['carol.ng@fabrikam.example'] });
    expect(edges(fragment, { from: app })).toEqual([]);
    expect(node(fragment, t('identity', 'U0CAROL01'))).toMatchObject({ email: 'carol.ng@fabrikam.example', properties: { placeholder: true } });
  });

  it('an app only in the logs gets a bot token with its logged scopes, created when it was added, consented by its installer', () => {
    const { fragment } = fixture();
    const token = t('credential', 'bot-token/A0LOGONLY1');
    expect(node(fragment, token)).toMatchObject({ createdAt: '2023-11-14T22:13:20.000Z', scopes: ['chat:write', 'files:read'] });
    expect(edgeKeys(fragment, { from: token })).toEqual([`CAN_READ ${token} -> ${t('resource', 'files')}`, `CAN_WRITE ${token} -> ${t('resource', 'posting')}`]);
    expect(edgeKeys(fragment, { to: t('app', 'A0LOGONLY1'), kind: 'CONSENTED' })).toEqual([`CONSENTED ${t('identity', 'U0BOB0001')} -> ${t('app', 'A0LOGONLY1')}`]);
  });

  it('an app removed after it was added keeps a revoked token that no longer extends the radius', () => {
    const { fragment } = fixture();
    const app = t('app', 'A0OLDTIME1');
    const token = t('credential', 'bot-token/A0OLDTIME1');
    expect(node(fragment, app).properties).toMatchObject({ approvalStatus: 'removed', uninstalledAt: '2022-04-15T05:20:00.000Z' });
    expect(node(fragment, token)).toMatchObject({ revoked: true, revokedAt: '2022-04-15T05:20:00.000Z' });
    expect(edges(fragment, { from: app, kind: 'INSTALLED_IN' })).toEqual([]);
    const graph = buildGraph(fragment);
    const result = reach(graph, [graph.indexOf.get(app)!], { at: new Date('2026-11-01T00:00:00Z') });
    expect(result.level[graph.indexOf.get(t('resource', 'public-channels'))!]).toBe(0);
  });

  it('a legacy service integration is recorded with its installer and no token', () => {
    const { fragment } = fixture();
    const service = t('app', 'service/1234567890');
    expect(node(fragment, service)).toMatchObject({ name: 'Incoming WebHooks', properties: { legacyIntegration: true } });
    expect(edgeKeys(fragment, { to: service })).toEqual([`CONSENTED ${t('identity', 'U0BOB0001')} -> ${service}`]);
  });
});

describe('members, roles and secret findings', () => {
  it('members carry their email lower-cased; deleted members are disabled; owners and admins administer the workspace', () => {
    const { fragment } = fixture();
    expect(node(fragment, t('identity', 'U0ALICE01'))).toMatchObject({ subtype: 'human', email: 'alice@fabrikam.example', enabled: true });
    expect(node(fragment, t('identity', 'U0DAVE001')).enabled).toBe(false);
    expect(edgeKeys(fragment, { kind: 'HAS_ROLE' })).toEqual([
      `HAS_ROLE ${t('identity', 'U0ALICE01')} -> ${t('role', 'workspace-admin')}`,
      `HAS_ROLE ${t('identity', 'W0ADMIN01')} -> ${t('role', 'primary-owner')}`,
    ]);
    expect(edgeKeys(fragment, { from: t('role', 'primary-owner') })).toEqual([`CAN_ADMIN ${t('role', 'primary-owner')} -> ${WORKSPACE}`]);
  });

  it('a credential found in a channel is contained by that channel, which sits in public or private channels', () => {
    const { fragment } = fixture();
    expect(edgeKeys(fragment, { kind: 'CONTAINS_CREDENTIAL' })).toEqual([
      `CONTAINS_CREDENTIAL ${t('resource', 'C0ONCALL01')} -> github:*:credential:pat/alice/oncall-debug`,
      `CONTAINS_CREDENTIAL ${t('resource', 'G0SECOPS01')} -> aws:*:credential:user/svc-data-export/access-key-2`,
    ]);
    expect(edgeKeys(fragment, { to: t('resource', 'C0ONCALL01') })).toEqual([`CONTAINS ${t('resource', 'public-channels')} -> ${t('resource', 'C0ONCALL01')}`]);
    expect(edgeKeys(fragment, { to: t('resource', 'G0SECOPS01') })).toEqual([`CONTAINS ${t('resource', 'private-channels')} -> ${t('resource', 'G0SECOPS01')}`]);
    expect(node(fragment, 'aws:*:credential:user/svc-data-export/access-key-2')).toMatchObject({ kind: 'Credential', tenant: '*', properties: { stub: true } });
  });

  it('channels:history reaches a key pasted in a public channel, but not one in a private channel', () => {
    const { fragment } = fixture();
    const graph = buildGraph(fragment);
    const result = reach(graph, [graph.indexOf.get(STANDUP_BOT_TOKEN)!]);
    expect(result.level[graph.indexOf.get('github:*:credential:pat/alice/oncall-debug')!]).toBe(3);
    expect(result.level[graph.indexOf.get('aws:*:credential:user/svc-data-export/access-key-2')!]).toBe(0);
  });
});

describe('validation, idempotence and secrets', () => {
  const team = { path: 'team-info.json', text: JSON.stringify({ ok: true, team: { id: 'T0FABRIK1', name: 'Fabrikam' } }) };
  const badLogs = { path: 'team-integration-logs.json', text: JSON.stringify({ ok: true, logs: [{ app_id: 'A1', date: '1700000000', change_type: 'added', scope: 'chat:write' }, { app_id: 'A2', change_type: 'added' }] }) };

  it('a missing required field fails with file and JSON path', () => {
    const result = run([team, badLogs]);
    expect(!result.ok && result.issues).toEqual([expect.objectContaining({ file: 'team-integration-logs.json', path: '$.logs[1].date' })]);
  });

  it('--lenient skips the bad record and reports it', () => {
    const { fragment, report } = imported([team, badLogs], { lenient: true });
    expect(report.skipped.map((i) => `${i.file} ${i.path}`)).toEqual(['team-integration-logs.json $.logs[1].date']);
    expect(fragment.nodes.map((n) => n.id)).toContain(t('app', 'A1'));
    expect(fragment.nodes.map((n) => n.id)).not.toContain(t('app', 'A2'));
  });

  it('without a team id anywhere the import fails and says where one comes from; two workspaces need --tenant', () => {
    const none = run([{ path: 'admin-apps-approved-list.json', text: readFileSync(join(CORPUS, 'admin-apps-approved-list.json'), 'utf8') }]);
    expect(!none.ok && none.issues[0]).toMatchObject({ message: 'no team id' });
    const two = run([team, { path: 'users-list.json', text: JSON.stringify({ ok: true, members: [{ id: 'U1', team_id: 'T0OTHER01' }] }) }]);
    expect(!two.ok && two.issues[0]).toMatchObject({ file: 'users-list.json', path: '$.members[0].team_id', message: 'several workspaces in one export' });
    expect(imported([team, { path: 'users-list.json', text: JSON.stringify({ ok: true, members: [{ id: 'U1', team_id: 'T0OTHER01' }] }) }], { tenant: 'E0GRID001' }).fragment.nodes.map((n) => n.tenant)).toContain('e0grid001');
  });

  it('every node and edge is valid native format and the fragment assembles', () => {
    const { fragment } = fixture();
    const nodes = nodeSchema();
    const edgeShape = edgeSchema();
    for (const n of fragment.nodes) expect(nodes.safeParse(n).success, n.id).toBe(true);
    for (const e of fragment.edges) expect(edgeShape.safeParse(e).success, `${e.kind} ${e.from} ${e.to}`).toBe(true);
    expect(() => assembleGraph([sourced(fragment)])).not.toThrow();
  });

  it('importing the same export twice gives the same graph, whatever order the files come in', () => {
    const first = fixture().fragment;
    expect(imported([...fixtureFiles()].reverse()).fragment).toEqual(first);
    const once = assembleGraph([sourced(first)]).graph;
    const twice = assembleGraph([sourced(first)], once).graph;
    expect(toFragment(twice)).toEqual(toFragment(once));
  });

  it('token values in the export (an extra bot_access_token field, a token pasted in a request message) never reach the fragment nor the snapshot', async () => {
    const raw = fixtureFiles().map((f) => f.text).join('\n');
    expect(raw).toContain('xoxb-EXAMPLE-not-a-real-token');
    expect(raw).toContain('xoxp-EXAMPLE-not-a-real-token');
    expect(JSON.stringify(fixture().fragment)).not.toContain('EXAMPLE');
    const snapshot = join(tempDir(), 'graph.bmap');
    const result = await runCli(['import', 'slack', FIXTURE, '--graph', snapshot]);
    expect(result.code, result.err).toBe(0);
    expect(readFileSync(snapshot).toString('latin1')).not.toContain('EXAMPLE');
  });
});

describe('the scope catalogue', () => {
  it('scopes.json validates and every resource type it names is a workspace resource or the workspace', () => {
    const catalog = scopeCatalogSchema.parse(JSON.parse(readFileSync(join(REPO, 'engine/schema/scopes/slack.json'), 'utf8')));
    const known = new Set([...Object.keys(SLACK_RESOURCES), WORKSPACE_TYPE]);
    const named = [...Object.values(catalog.scopes), ...catalog.patterns.map((p) => p.entry)].flatMap((e) => e.resources);
    expect(named.filter((type) => !known.has(type))).toEqual([]);
    expect(catalog.scopes['chat:write']).toMatchObject({ level: 'write', resources: ['posting'] });
    expect(catalog.scopes['channels:history']).toMatchObject({ level: 'read', resources: ['public-channels'] });
  });

  it('admin.* write scopes administer the workspace; admin.* read scopes only read administration data', () => {
    const files: RawFile[] = [
      { path: 'team-info.json', text: JSON.stringify({ ok: true, team: { id: 'T0FABRIK1' } }) },
      { path: 'admin-apps-approved-list.json', text: JSON.stringify({ ok: true, approved_apps: [{ app: { id: 'A0ADMIN001', name: 'Org Admin Tool' }, scopes: [{ name: 'admin.users:write', token_type: 'user' }, { name: 'admin.apps:read', token_type: 'user' }] }] }) },
    ];
    const { fragment } = imported(files);
    expect(edges(fragment, { from: t('credential', 'user-token/A0ADMIN001') }).map((e) => `${e.kind} ${e.to} ${e.assumed ?? false}`).sort()).toEqual([
      `CAN_ADMIN ${WORKSPACE} false`,
      `CAN_READ ${t('resource', 'admin-data')} false`,
    ]);
  });
});

describe('user groups and who controls them', () => {
  const usergroupsFile = (groups: unknown[]): RawFile => ({ path: 'usergroups-list.json', text: JSON.stringify({ ok: true, usergroups: groups }) });
  /** usergroups.list?include_users=true, in the shape of Slack's reference example. */
  const ONCALL = {
    id: 'S0ONCALL01', team_id: 'T0FABRIK1', is_usergroup: true, is_subteam: true, name: 'On-call', description: 'Whoever carries the pager', handle: 'oncall',
    is_external: false, date_create: 1700000000, date_update: 1700000500, date_delete: 0, auto_type: null, created_by: 'W0ADMIN01', updated_by: 'W0ADMIN01', deleted_by: null,
    prefs: { channels: ['C0ONCALL01'], groups: [] }, users: ['U0ALICE01', 'U0BOB0001'], user_count: 2,
  };
  const OLD = { ...ONCALL, id: 'S0OLDGRP01', name: 'Old', handle: 'old', date_delete: 1710000000, prefs: { channels: [], groups: [] }, users: [] };

  it('a user group is a Group of its members, and workspace owners and admins can change its members', () => {
    const { fragment, report } = imported([...fixtureFiles(), usergroupsFile([ONCALL, OLD])]);
    const oncall = t('group', 'usergroup/S0ONCALL01');
    expect(node(fragment, oncall)).toMatchObject({ kind: 'Group', name: 'On-call (@oncall)', properties: { handle: 'oncall', defaultChannels: ['C0ONCALL01'] } });
    expect(node(fragment, t('group', 'usergroup/S0OLDGRP01')).enabled).toBe(false);
    expect(edgeKeys(fragment, { kind: 'MEMBER_OF', to: oncall })).toEqual([`MEMBER_OF ${t('identity', 'U0ALICE01')} -> ${oncall}`, `MEMBER_OF ${t('identity', 'U0BOB0001')} -> ${oncall}`]);
    expect(edgeKeys(fragment, { kind: 'CAN_ADD_MEMBER', to: oncall })).toEqual([
      `CAN_ADD_MEMBER ${t('role', 'primary-owner')} -> ${oncall}`, `CAN_ADD_MEMBER ${t('role', 'workspace-admin')} -> ${oncall}`,
    ]);
    expect(report.records.usergroups).toBe(2);
  });

  it('a token with usergroups:write can change every user group\'s members (a user token within its user\'s rights)', () => {
    const approved = { path: 'admin-apps-approved-list.json', text: JSON.stringify({ ok: true, approved_apps: [{ app: { id: 'A0GROUPS01', name: 'Group Sync' }, scopes: [{ name: 'usergroups:write', token_type: 'bot' }, { name: 'usergroups:write', token_type: 'user' }], date_updated: 1700000000 }] }) };
    const { fragment } = imported([...fixtureFiles().filter((f) => f.path !== 'admin-apps-approved-list.json'), approved, usergroupsFile([ONCALL])]);
    const oncall = t('group', 'usergroup/S0ONCALL01');
    expect(edges(fragment, { kind: 'CAN_ADD_MEMBER', from: t('credential', 'bot-token/A0GROUPS01') })).toMatchObject([{ to: oncall, scopes: ['usergroups:write'] }]);
    expect(edges(fragment, { kind: 'CAN_ADD_MEMBER', from: t('credential', 'user-token/A0GROUPS01') })).toMatchObject([{ to: oncall, conditions: [USER_RIGHTS_CONDITION] }]);
  });

  it('a user group that is not an object, or without its id, fails with file and JSON path', () => {
    const result = run([...fixtureFiles(), usergroupsFile([{ ...ONCALL, id: '' }])]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]).toMatchObject({ file: 'usergroups-list.json', path: '$.usergroups[0].id' });
  });
});

describe('user tokens with admin scopes act as their user', () => {
  const adminApp = (installer: string): RawFile[] => [
    ...fixtureFiles().filter((f) => !/admin-apps|integration-logs/.test(f.path)),
    { path: 'admin-apps-approved-list.json', text: JSON.stringify({ ok: true, approved_apps: [{ app: { id: 'A0ADMIN001', name: 'Org Admin Tool' }, scopes: [{ name: 'admin.users:write', token_type: 'user' }, { name: 'channels:history', token_type: 'user' }], date_updated: 1700000000 }] }) },
    { path: 'team-integration-logs.json', text: JSON.stringify({ ok: true, logs: [{ app_id: 'A0ADMIN001', app_type: 'Org Admin Tool', user_id: installer, user_name: installer, date: '1699999000', change_type: 'added', scope: 'admin.users:write,channels:history' }] }) },
  ];

  it('the admin scopes are bounded by the installing user\'s role (AUTHENTICATES_AS with the scopes), the channel scopes stay approximated', () => {
    const { fragment } = imported(adminApp('U0BOB0001'));
    const token = t('credential', 'user-token/A0ADMIN001/U0BOB0001');
    expect(edgeKeys(fragment, { from: token })).toEqual([`AUTHENTICATES_AS ${token} -> ${t('identity', 'U0BOB0001')}`, `CAN_READ ${token} -> ${t('resource', 'public-channels')}`]);
    expect(edges(fragment, { kind: 'AUTHENTICATES_AS', from: token })[0]!.scopes).toEqual(['admin.users:write', 'channels:history']);
    // Bob is no admin: his token cannot administer the workspace, whatever its scopes say.
    const graph = buildGraph(fragment);
    expect(reach(graph, [graph.indexOf.get(token)!]).level[graph.indexOf.get(WORKSPACE)!]).toBe(0);
    // Alice is a workspace admin: through her, the same token does.
    const asAdmin = buildGraph(imported(adminApp('U0ALICE01')).fragment);
    expect(reach(asAdmin, [asAdmin.indexOf.get(t('credential', 'user-token/A0ADMIN001/U0ALICE01'))!]).level[asAdmin.indexOf.get(WORKSPACE)!]).toBe(3);
  });
});

describe('blastmap import slack, end to end', () => {
  it('a compromised Standup Bee reaches public channels and the GitHub token pasted in #eng-oncall, at read level on the conversations', async () => {
    const snapshot = join(tempDir(), 'graph.bmap');
    const imported = await runCli(['import', 'slack', FIXTURE, '--graph', snapshot]);
    expect(imported.code, imported.err).toBe(0);
    expect(imported.out).toContain('huddles:transcripts:read (1x) -> read');
    const result = await runCli(['radius', STANDUP, '--graph', snapshot, '--format', 'json', '--paths', '--at', '2026-11-01']);
    expect(result.code, result.err).toBe(0);
    const radius = JSON.parse(result.out) as { reached: { id: string; level: string; path: { kind: string }[] }[] };
    const level = (id: string) => radius.reached.find((r) => r.id === id)?.level;
    expect(level(t('resource', 'public-channels'))).toBe('read');
    expect(level(t('resource', 'posting'))).toBe('write');
    expect(level('github:*:credential:pat/alice/oncall-debug')).toBe('admin');
    expect(radius.reached.find((r) => r.id === 'github:*:credential:pat/alice/oncall-debug')!.path.map((s) => s.kind)).toEqual(['HOLDS', 'CAN_READ', 'CONTAINS', 'CONTAINS_CREDENTIAL']);
    expect(level(WORKSPACE)).toBeUndefined();
  });
});

describe('input amplification: the tenant is part of every node id', () => {
  it('a team id longer than any Slack id is refused with file and JSON path, not copied into every node id', () => {
    const huge = 'T'.repeat(100_000);
    const result = run(fixtureFiles().map((f) => ({ ...f, text: f.text.replaceAll('T0FABRIK1', huge) })));
    expect(!result.ok && result.issues[0]).toMatchObject({ file: 'admin-apps-requests-list.json', path: '$.app_requests[0].team.id', expected: 'at most 256 characters' });
    expect(!result.ok && result.issues.map((i) => `${i.file} ${i.path}`)).toContain('team-info.json $.team.id');
  });
});

// `blastmap collect slack` against a real HTTP server on 127.0.0.1 answering as the Slack Web API does: form
// POSTs to /api/<method>, errors as HTTP 200 with {"ok": false, "error"}, lists paged by
// response_metadata.next_cursor (two records a page) and team.integrationLogs by paging.page/pages; a 429 with
// Retry-After, a 500 then success, a missing_scope error, and a malformed answer. The records are the project's
// Slack fixture workspace (test/fixtures/slack/workspace, written after the Web API reference pages), and a
// bots.info answer in the reference's shape for the bot users.list names. @slack/web-api is pointed at the server
// by its slackApiUrl option.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toFragment } from '../../engine/store/compact.ts';
import { loadWorkspace } from '../../cli/workspace.ts';
import { filesUnder, fixtureTree, startApiServer, type ApiServer, type Served } from '../helpers/api-server.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';
import { FAKE_GITHUB_TOKEN, FAKE_SLACK_USER_TOKEN } from '../helpers/fake-secrets.ts';

const FIXTURE = join(REPO, 'test/fixtures/slack/workspace');
const TOKEN = FAKE_SLACK_USER_TOKEN;
const PLANTED = FAKE_GITHUB_TOKEN;
const TEAM = 'T0FABRIK1';
const s = (kind: string, native: string): string => `slack:${TEAM.toLowerCase()}:${kind}:${native}`;
/** bots.info for the bot users.list names (U0STANDBOT, bot B0STANDUP1 of app A0STANDUP1), in the reference's shape. */
const STANDUP_BOT = { ok: true, bot: { id: 'B0STANDUP1', deleted: false, name: 'standup-bee', updated: 1666000300, app_id: 'A0STANDUP1', user_id: 'U0STANDBOT', icons: {} } };

const LISTS: Record<string, [file: string, key: string]> = {
  'admin.apps.approved.list': ['admin-apps-approved-list', 'approved_apps'],
  'admin.apps.restricted.list': ['admin-apps-restricted-list', 'restricted_apps'],
  'admin.apps.requests.list': ['admin-apps-requests-list', 'app_requests'],
  'users.list': ['users-list', 'members'],
};

function slackHandler(records: Map<string, unknown>) {
  return (url: URL, request: { method: string; headers: Record<string, unknown>; body: string }): Served | undefined => {
    if (request.method !== 'POST' || !url.pathname.startsWith('/api/')) return undefined;
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return { body: { ok: false, error: 'invalid_auth' } };
    const method = url.pathname.slice('/api/'.length);
    const args = new URLSearchParams(request.body);
    if (method === 'team.info') return { body: records.get('team-info') };
    if (method === 'usergroups.list') return { body: { ok: true, usergroups: [] } };
    if (method === 'bots.info') return { body: args.get('bot') === 'B0STANDUP1' ? STANDUP_BOT : { ok: false, error: 'bot_not_found' } };
    if (method === 'team.integrationLogs') {
      const answer = records.get('team-integration-logs') as { logs: unknown[] };
      const page = Number(args.get('page') ?? 1);
      const pages = Math.ceil(answer.logs.length / 2);
      return { body: { ok: true, logs: answer.logs.slice((page - 1) * 2, page * 2), paging: { count: 2, total: answer.logs.length, page, pages } } };
    }
    const list = LISTS[method];
    if (!list) return { body: { ok: false, error: 'unknown_method' } };
    const answer = records.get(list[0]) as Record<string, unknown[]>;
    const at = Number(args.get('cursor')?.replace('dXNlcjo', '') ?? 0);
    const items = answer[list[1]]!;
    const more = at + 2 < items.length;
    return { body: { ...answer, [list[1]]: items.slice(at, at + 2), response_metadata: { next_cursor: more ? `dXNlcjo${at + 2}` : '' } } };
  };
}

const graphOf = (ws: string) => toFragment(loadWorkspace(ws).graph);
const edgeKeys = (ws: string): string[] => graphOf(ws).edges.map((e) => `${e.kind} ${e.from} -> ${e.to}`).sort();

describe('blastmap collect slack', () => {
  let server: ApiServer;
  let ws: string;
  let records: Map<string, unknown>;

  beforeEach(async () => {
    records = fixtureTree(FIXTURE);
    const members = (records.get('users-list') as { members: { profile: Record<string, unknown> }[] }).members;
    members[2]!.profile.title = `ops, token ${PLANTED}`;
    server = await startApiServer(slackHandler(records));
    ws = tempDir('blastmap-collect-slack-');
    vi.stubEnv('SLACK_TOKEN', TOKEN);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await server.close();
    rmSync(ws, { recursive: true, force: true });
  });

  it('pages by cursor and by page, waits out a 429, retries a 500, reports missing_scope and a malformed answer, and imports', async () => {
    server.fail('/api/users.list', { status: 429, headers: { 'retry-after': '1' }, raw: '' });
    server.fail('/api/admin.apps.requests.list', { status: 500, raw: 'upstream error' });
    server.fail('/api/usergroups.list', { body: { ok: false, error: 'missing_scope', needed: 'usergroups:read', provided: 'admin,users:read' } });
    server.fail('/api/bots.info', { raw: '<html><body>502 Bad Gateway</body></html>' });

    const run = await runCli(['collect', 'slack', '--out', ws, '--endpoint', `${server.url}/api`, '--import']);
    expect(run.err).not.toContain('internal error');
    expect(run.code).toBe(0);
    expect(server.calls('/api/users.list')).toHaveLength(4); // the 429, then three pages
    expect(server.calls('/api/admin.apps.requests.list')).toHaveLength(2);
    expect(run.out).toContain('waited out 1 rate limit and retried 1 transient failure');
    expect(run.out).toMatch(/usergroups\.list: HTTP 403: Slack error missing_scope \(token needs usergroups:read\) \(needs usergroups:read\)/);
    expect(run.out).toMatch(/bots\.info\/B0STANDUP1: bots\/B0STANDUP1: the answer is not JSON/);
    expect(run.out).toContain('2 failed');
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);

    const folder = join(ws, 'exports/slack', TEAM);
    const written = filesUnder(folder);
    expect(written).toEqual([
      'admin-apps-approved-list-2.json', 'admin-apps-approved-list.json', 'admin-apps-requests-list.json', 'admin-apps-restricted-list.json',
      'team-info.json', 'team-integration-logs-2.json', 'team-integration-logs-3.json', 'team-integration-logs.json',
      'users-list-2.json', 'users-list-3.json', 'users-list.json',
    ]);
    // The page as Slack sent it, without what the client adds from headers.
    expect(JSON.parse(readFileSync(join(folder, 'users-list.json'), 'utf8'))).toEqual({ ok: true, members: expect.any(Array), response_metadata: { next_cursor: 'dXNlcjo2' } });
    for (const file of [...written.map((f) => join(folder, f)), join(ws, 'collect-state.json')]) {
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(PLANTED);
    }
    expect(run.out + run.err).not.toContain(TOKEN);

    // The graph: the fixture imported directly, without its bots.info file (the server has no such bot) and its
    // secret-findings.json (blastmap's own, not Slack's).
    const expected = tempDir('blastmap-collect-slack-expected-');
    try {
      const copy = join(expected, 'exports/slack', TEAM);
      mkdirSync(copy, { recursive: true });
      cpSync(FIXTURE, copy, { recursive: true });
      rmSync(join(copy, 'bots'), { recursive: true });
      rmSync(join(copy, 'secret-findings.json'));
      writeFileSync(join(copy, 'users-list.json'), JSON.stringify(records.get('users-list')));
      expect(graphOf(ws).nodes.map((n) => n.id).sort()).toEqual(graphOf(expected).nodes.map((n) => n.id).sort());
      expect(edgeKeys(ws)).toEqual(edgeKeys(expected));
    } finally {
      rmSync(expected, { recursive: true, force: true });
    }
    const edges = edgeKeys(ws);
    expect(edges).toContain(`HOLDS ${s('app', 'A0STANDUP1')} -> ${s('credential', 'bot-token/A0STANDUP1')}`);
    expect(edges).toContain(`INSTALLED_IN ${s('app', 'A0STANDUP1')} -> ${s('platform', 'workspace')}`);
    expect(edges.some((e) => e.startsWith(`HAS_ROLE ${s('identity', 'W0ADMIN01')}`))).toBe(true);
  });

  it('with SLACK_TEAM_ID (an org-level token) names the workspace without team.info and passes team_id to every method', async () => {
    vi.stubEnv('SLACK_TEAM_ID', TEAM);
    expect((await runCli(['collect', 'slack', '--out', ws, '--endpoint', `${server.url}/api`])).code).toBe(0);
    expect(server.calls('/api/team.info')).toHaveLength(1); // saved as team-info.json; not asked for the tenant
    expect(server.requests.every((r) => new URLSearchParams(r.body).get('team_id') === TEAM)).toBe(true);
  });

  it('--resume calls only what failed', async () => {
    server.fail('/api/bots.info', { body: { ok: false, error: 'missing_scope', needed: 'users:read' } });
    expect((await runCli(['collect', 'slack', '--out', ws, '--endpoint', `${server.url}/api`])).code).toBe(0);
    const bot = join(ws, 'exports/slack', TEAM, 'bots/B0STANDUP1.json');
    expect(() => readFileSync(bot)).toThrow();
    const before = server.requests.length;
    const resumed = await runCli(['collect', 'slack', '--out', ws, '--endpoint', `${server.url}/api`, '--resume']);
    expect(resumed.code).toBe(0);
    // team.info names the workspace (the tenant), then the one endpoint left.
    expect(server.requests.slice(before).map((r) => r.path)).toEqual(['/api/team.info', '/api/bots.info']);
    expect(JSON.parse(readFileSync(bot, 'utf8'))).toEqual(STANDUP_BOT);
    expect(edgeKeys(ws)).toContain(`AUTHENTICATES_AS ${s('credential', 'bot-token/A0STANDUP1')} -> ${s('identity', 'U0STANDBOT')}`);
  });
});

// Slack's own documentation examples (../shared/corpus/slack: admin.apps.approved.list and admin.apps.requests.list
// as the API reference shows them) served as they are; every other method answers with an empty list.
describe('blastmap collect slack, on Slack\'s documentation examples', () => {
  const CORPUS = join(REPO, '../shared/corpus/slack');
  const corpus = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(CORPUS, name), 'utf8')) as Record<string, unknown>;
  const ACME = 'T0M94LNUCR'; // the workspace the requests example names
  let server: ApiServer;
  let ws: string;
  beforeEach(async () => {
    const answers: Record<string, unknown> = {
      'admin.apps.approved.list': corpus('admin-apps-approved-list.json'),
      'admin.apps.requests.list': corpus('admin-apps-requests-list.json'),
      'admin.apps.restricted.list': { ok: true, restricted_apps: [], response_metadata: { next_cursor: '' } },
      'team.info': { ok: true, team: { id: ACME, name: 'Acme Corp', domain: 'acmecorp' } },
      'team.integrationLogs': { ok: true, logs: [], paging: { count: 100, total: 0, page: 1, pages: 1 } },
      'users.list': { ok: true, members: [], response_metadata: { next_cursor: '' } },
      'usergroups.list': { ok: true, usergroups: [] },
    };
    server = await startApiServer((url) => ({ body: answers[url.pathname.slice('/api/'.length)] ?? { ok: false, error: 'unknown_method' } }));
    ws = tempDir('blastmap-collect-slack-corpus-');
    vi.stubEnv('SLACK_TOKEN', TOKEN);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await server.close();
    rmSync(ws, { recursive: true, force: true });
  });

  it('writes each answer under the importer\'s name, and imports the graph the examples give when saved by hand', async () => {
    const run = await runCli(['collect', 'slack', '--out', ws, '--endpoint', `${server.url}/api`]);
    expect(run.code).toBe(0);
    expect(run.out).toContain('0 failed');
    const folder = join(ws, 'exports/slack', ACME);
    expect(JSON.parse(readFileSync(join(folder, 'admin-apps-approved-list.json'), 'utf8'))).toEqual(corpus('admin-apps-approved-list.json'));
    const expected = tempDir('blastmap-collect-slack-corpus-expected-');
    try {
      const copy = join(expected, 'exports/slack', ACME);
      mkdirSync(copy, { recursive: true });
      for (const name of ['admin-apps-approved-list.json', 'admin-apps-requests-list.json']) cpSync(join(CORPUS, name), join(copy, name));
      writeFileSync(join(copy, 'team-info.json'), JSON.stringify({ ok: true, team: { id: ACME, name: 'Acme Corp', domain: 'acmecorp' } }));
      expect(graphOf(ws).nodes.map((n) => n.id).sort()).toEqual(graphOf(expected).nodes.map((n) => n.id).sort());
      expect(edgeKeys(ws)).toEqual(edgeKeys(expected));
      expect(graphOf(ws).nodes.map((n) => n.id)).toContain('slack:t0m94lnucr:app:A061BL8RQ0');
    } finally {
      rmSync(expected, { recursive: true, force: true });
    }
  });
});


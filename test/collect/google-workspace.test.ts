// `blastmap collect google-workspace` against a real HTTP server on 127.0.0.1 that answers as the Admin SDK does
// (Directory API v1 users, tokens, groups, members; Reports API v1 activities), paged by `nextPageToken` and
// `pageToken`, with Google's JSON error bodies. Users, tokens and token activity are the project's Workspace
// fixture (test/fixtures/google-workspace, written after the Admin SDK reference); the groups and members below
// follow the reference's Group and Member resources. The faults are a 429 with Retry-After, a 503 then success, a
// 403 PERMISSION_DENIED (a missing scope) and a malformed page. What is collected must import into the graph of
// the fixture folder imported directly, less what the failed calls miss (and the hand-written delegation file).
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startApiServer, type ApiServer, type Recorded, type Served } from '../helpers/api-server.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';
import { filesUnder, fixtureGraph, jsonFiles, workspaceGraph } from '../helpers/collected.ts';
import { FAKE_GITHUB_TOKEN } from '../helpers/fake-secrets.ts';

const FIXTURE = join(REPO, 'test/fixtures/google-workspace');
const DOMAIN = 'northwind.example';
const TOKEN = 'ya29.a0AfB_collectTestOnlyAccessToken0123456789abcdefghij'; // must reach no file
const PLANTED = FAKE_GITHUB_TOKEN; // a token pasted into a group's description
const id = (rest: string): string => `google-workspace:${DOMAIN}:${rest}`;

type Rec = Record<string, unknown>;

const GROUPS: Rec[] = [
  { kind: 'admin#directory#group', id: '03x8tuzt1a2b3c4', etag: '"g1"', email: `eng@${DOMAIN}`, name: 'Engineering', directMembersCount: '3', description: `Engineering (deploy token ${PLANTED})`, adminCreated: true, nonEditableAliases: [`eng@${DOMAIN}.test-google-a.com`] },
  { kind: 'admin#directory#group', id: '01ksv4uv2d5e6f7', etag: '"g2"', email: `ops@${DOMAIN}`, name: 'Operations', directMembersCount: '2', description: 'On-call rota', adminCreated: true },
];
const MEMBERS: Record<string, Rec[]> = {
  [`eng@${DOMAIN}`]: [
    { kind: 'admin#directory#member', etag: '"m1"', id: '100000000000000000001', email: `ada@${DOMAIN}`, role: 'OWNER', type: 'USER', status: 'ACTIVE' },
    { kind: 'admin#directory#member', etag: '"m2"', id: '100000000000000000002', email: `ben@${DOMAIN}`, role: 'MEMBER', type: 'USER', status: 'ACTIVE' },
    { kind: 'admin#directory#member', etag: '"m3"', id: '01ksv4uv2d5e6f7', email: `ops@${DOMAIN}`, role: 'MEMBER', type: 'GROUP', status: 'ACTIVE' },
  ],
  [`ops@${DOMAIN}`]: [
    { kind: 'admin#directory#member', etag: '"m4"', id: '100000000000000000003', email: `cleo@${DOMAIN}`, role: 'MANAGER', type: 'USER', status: 'ACTIVE' },
    { kind: 'admin#directory#member', etag: '"m5"', id: '114477889900112233445', email: 'contractor@vendor.example', role: 'MEMBER', type: 'USER', status: 'ACTIVE' },
  ],
};

const googleError = (code: number, status: string, message: string, reason: string, headers: Record<string, string> = {}): Served => ({
  status: code, headers, body: { error: { code, message, errors: [{ message, domain: 'global', reason }], status } },
});

/** A page of a Google list: `pageToken` is the offset here (Google's is opaque). */
function googlePage(kind: string, key: string, items: readonly unknown[], url: URL, size: number, extra: Rec = {}): Served {
  const at = Number(url.searchParams.get('pageToken') ?? 0);
  return { body: { kind, etag: '"e"', ...extra, [key]: items.slice(at, at + size), ...(at + size < items.length ? { nextPageToken: String(at + size) } : {}) } };
}

/** The Admin SDK over the fixture tenant. */
function adminHandler(records: Map<string, unknown>) {
  const userPages = records.get('users') as Rec[];
  const users = userPages.flatMap((p) => p.users as Rec[]);
  const activity = (records.get('token-activity') as { items: Rec[] }).items;
  return (url: URL, request: Recorded): Served | undefined => {
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.', 'authError');
    const path = decodeURIComponent(url.pathname);
    if (path === '/admin/directory/v1/users') {
      if (url.searchParams.get('customer') !== 'my_customer') return googleError(400, 'INVALID_ARGUMENT', 'Bad Request', 'badRequest');
      return { body: url.searchParams.get('pageToken') === 'page-2' ? userPages[1] : userPages[0] };
    }
    const tokens = /^\/admin\/directory\/v1\/users\/([^/]+)\/tokens$/.exec(path);
    if (tokens) {
      const user = users.find((u) => u.id === tokens[1] || u.primaryEmail === tokens[1]);
      if (!user) return googleError(404, 'NOT_FOUND', 'Resource Not Found: userKey', 'notFound');
      const list = (records.get(`tokens/${user.primaryEmail}`) ?? records.get(`tokens/${user.id}`)) as Rec | undefined;
      return { body: list ?? { kind: 'admin#directory#tokenList', etag: '"none"' } };
    }
    if (path === '/admin/directory/v1/groups') return googlePage('admin#directory#groups', 'groups', GROUPS, url, 1);
    const members = /^\/admin\/directory\/v1\/groups\/([^/]+)\/members$/.exec(path);
    if (members) {
      if (!MEMBERS[members[1]!]) return googleError(404, 'NOT_FOUND', 'Resource Not Found: groupKey', 'notFound');
      return googlePage('admin#directory#members', 'members', MEMBERS[members[1]!]!, url, 2);
    }
    if (path === '/admin/reports/v1/activity/users/all/applications/token') return googlePage('admin#reports#activities', 'items', activity, url, 4);
    return undefined;
  };
}

describe('blastmap collect google-workspace', () => {
  let server: ApiServer;
  let ws: string;

  beforeEach(async () => {
    server = await startApiServer(adminHandler(jsonFiles(FIXTURE)));
    ws = tempDir('blastmap-collect-gws-');
    vi.stubEnv('GOOGLE_OAUTH_ACCESS_TOKEN', TOKEN);
    vi.stubEnv('GOOGLE_WORKSPACE_DOMAIN', '');
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await server.close();
    rmSync(ws, { recursive: true, force: true });
  });

  it('pages by nextPageToken, waits out a 429, retries a 503, reports a 403 and a malformed page, and imports into the fixture\'s graph', async () => {
    server.fail('/admin/directory/v1/users', googleError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for quota metric \'Queries\'.', 'rateLimitExceeded', { 'retry-after': '1' }));
    server.fail('/admin/directory/v1/groups', googleError(503, 'UNAVAILABLE', 'The service is currently unavailable.', 'backendError'));
    server.fail('/admin/reports/v1/activity/users/all/applications/token', googleError(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.', 'insufficientPermissions'));
    server.fail(`/admin/directory/v1/groups/${encodeURIComponent(`ops@${DOMAIN}`)}/members`, { raw: '{"kind": "admin#directory#members", "members": [{"email": "cleo@' });

    const run = await runCli(['collect', 'google-workspace', '--out', ws, '--endpoint', server.url, '--import']);
    expect(run.err).not.toContain('internal error');
    expect(run.code).toBe(0);

    expect(server.calls('/admin/directory/v1/users').filter((r) => !r.path.includes('pageToken'))).toHaveLength(2);
    expect(server.calls('/admin/directory/v1/groups').filter((r) => !r.path.includes('pageToken'))).toHaveLength(2);
    expect(server.calls('/admin/reports/v1/activity/users/all/applications/token')).toHaveLength(1);
    expect(run.out).toContain('waited out 1 rate limit and retried 1 transient failure');
    expect(run.out).toMatch(/token-activity: HTTP 403: PERMISSION_DENIED: Request had insufficient authentication scopes.*\(needs https:\/\/www\.googleapis\.com\/auth\/admin\.reports\.audit\.readonly\)/);
    expect(run.out).toMatch(new RegExp(`groups/ops@${DOMAIN}/members: groups/ops@${DOMAIN}/members page 1: the answer is not a JSON object`));
    expect(run.out).toContain('2 failed');
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);

    const folder = join(ws, 'exports/google-workspace', DOMAIN);
    const written = filesUnder(folder);
    expect(written).toEqual(['groups-2.json', `groups/eng@${DOMAIN}/members-2.json`, `groups/eng@${DOMAIN}/members.json`, 'groups.json',
      ...['1', '2', '3', '4', '5'].map((n) => `tokens/10000000000000000000${n}.json`), 'users-2.json', 'users.json'].sort());
    for (const file of [...written.map((f) => join(folder, f)), join(ws, 'collect-state.json')]) {
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(PLANTED);
    }
    expect(readFileSync(join(folder, 'groups.json'), 'utf8')).toMatch(/"description": "Engineering \(deploy token \[REDACTED[^"]*\]\)"/);
    expect(run.out + run.err).not.toContain(TOKEN);

    const expected = fixtureGraph(FIXTURE, 'google-workspace', DOMAIN, (copy) => {
      rmSync(join(copy, 'domain-wide-delegation.json'));
      rmSync(join(copy, 'token-activity.json'));
      writeFileSync(join(copy, 'groups.json'), JSON.stringify({ kind: 'admin#directory#groups', groups: GROUPS }));
      mkdirSync(join(copy, `groups/eng@${DOMAIN}`), { recursive: true });
      writeFileSync(join(copy, `groups/eng@${DOMAIN}/members.json`), JSON.stringify({ kind: 'admin#directory#members', members: MEMBERS[`eng@${DOMAIN}`] }));
    });
    const collected = workspaceGraph(ws);
    expect(collected.nodes).toEqual(expected.nodes);
    expect(collected.edges).toEqual(expected.edges);
    // Named handles: Ada owns Engineering (and may change its members), Ben is in it, Operations is nested in it;
    // the Directory Sync app holds Ada's grant.
    expect(collected.edges).toContain(`CAN_ADD_MEMBER ${id(`identity:ada@${DOMAIN}`)} -> ${id(`group:eng@${DOMAIN}`)}`);
    expect(collected.edges).toContain(`MEMBER_OF ${id(`identity:ben@${DOMAIN}`)} -> ${id(`group:eng@${DOMAIN}`)}`);
    expect(collected.edges).toContain(`MEMBER_OF ${id(`group:ops@${DOMAIN}`)} -> ${id(`group:eng@${DOMAIN}`)}`);
    expect(collected.edges).toContain(`HOLDS ${id('app:509876543210-dirsync.apps.googleusercontent.com')} -> ${id(`credential:oauth-grant/ada@${DOMAIN}/509876543210-dirsync.apps.googleusercontent.com`)}`);
  });

  it('--since narrows the token activity report to events from that date', async () => {
    const run = await runCli(['collect', 'google-workspace', '--out', ws, '--endpoint', server.url, '--since', '2025-10-01']);
    expect(run.code).toBe(0);
    const calls = server.calls('/admin/reports/v1/activity/users/all/applications/token');
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.every((r) => new URL(r.path, server.url).searchParams.get('startTime') === '2025-10-01T00:00:00.000Z')).toBe(true);
    // All nine events in three pages of four.
    expect(filesUnder(join(ws, 'exports/google-workspace', DOMAIN)).filter((f) => f.startsWith('token-activity'))).toEqual(['token-activity-2.json', 'token-activity-3.json', 'token-activity.json']);
  });

  it('a refused token fails before anything is written, naming the scope, never the token', async () => {
    vi.stubEnv('GOOGLE_OAUTH_ACCESS_TOKEN', 'ya29.wrong-token-value');
    const run = await runCli(['collect', 'google-workspace', '--out', ws, '--endpoint', server.url]);
    expect(run.code).toBe(5);
    expect(run.err).toMatch(/users\.list failed \(HTTP 401: UNAUTHENTICATED: Request had invalid authentication credentials\.\) \(needs https:\/\/www\.googleapis\.com\/auth\/admin\.directory\.user\.readonly\)/);
    expect(run.out + run.err).not.toContain('wrong-token-value');
  });
});

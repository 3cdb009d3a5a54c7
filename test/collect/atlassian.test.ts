// `blastmap collect atlassian` against a real HTTP server on 127.0.0.1 answering as the Atlassian Admin API does:
// `{data, links}` lists paged by `links.next`, a full URL for managed accounts and a cursor for API tokens (the two
// styles the API mixes), per-account token lists as bare arrays; a 429 with Retry-After, a 500 then success, a 403
// and a malformed page. The records are the project's Atlassian fixture organization (test/fixtures/atlassian/org,
// written after the Admin API reference), one record a page for accounts and two for tokens.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toFragment } from '../../engine/store/compact.ts';
import { loadWorkspace } from '../../cli/workspace.ts';
import { filesUnder, fixtureTree, startApiServer, type ApiServer, type Served } from '../helpers/api-server.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';
import { FAKE_GITHUB_TOKEN } from '../helpers/fake-secrets.ts';

const FIXTURE = join(REPO, 'test/fixtures/atlassian/org');
const ORG = '4f8c2a1e-9b7d-4c3e-a1f2-6d5e4c3b2a10';
const KEY = 'ATCTT3xFfGN0testAdminApiKeyForThisTestOnly_abcdefghijklmnopqrstuvwxyz0123456789=ABCD1234';
const PLANTED = FAKE_GITHUB_TOKEN;
const ALICE = '5b10ac8d82e05b22cc7d4ef5';
const BOB = '5b10a2844c20165700ede21g';
const BACKUP = '712020:svc-backup-0000-4000-8000-000000000b0b';
const CAROL = '712020:carol-0000-4000-8000-00000000c0c0';
const a = (kind: string, native: string): string => `atlassian:${ORG}:${kind}:${native}`;
type Row = Record<string, unknown>;

function atlassianHandler(records: Map<string, unknown>) {
  const users = records.get(`orgs/${ORG}/users`) as { data: Row[] };
  const tokens = records.get(`orgs/${ORG}/api-tokens`) as { data: Row[] };
  return (url: URL, request: { headers: Record<string, unknown> }, base: () => string): Served | undefined => {
    if (request.headers.authorization !== `Bearer ${KEY}`) return { status: 401, body: { code: 401, message: 'Unauthorized' } };
    const cursor = Number(url.searchParams.get('cursor') ?? 0);
    if (url.pathname === '/admin/v1/orgs') return { body: { data: [{ id: ORG, type: 'orgs', attributes: { name: 'Fabrikam' } }], links: { self: null, prev: null, next: null } } };
    if (url.pathname === `/admin/v1/orgs/${ORG}/users`) {
      const more = cursor + 1 < users.data.length;
      return { body: { data: users.data.slice(cursor, cursor + 1), links: { self: url.href, next: more ? `${base()}/admin/v1/orgs/${ORG}/users?cursor=${cursor + 1}` : null } } };
    }
    if (url.pathname === `/admin/api-access/v1/orgs/${ORG}/api-tokens`) {
      const more = cursor + 2 < tokens.data.length;
      return { body: { data: tokens.data.slice(cursor, cursor + 2), links: { self: url.href, next: more ? String(cursor + 2) : null, prev: null } } };
    }
    const own = /^\/users\/([^/]+)\/manage\/api-tokens$/.exec(url.pathname);
    if (own) {
      const account = decodeURIComponent(own[1]!);
      return { body: records.get(`users/${account}/api-tokens`) ?? [] };
    }
    return { status: 404, body: { code: 404, message: 'Not Found' } };
  };
}

const graphOf = (ws: string) => toFragment(loadWorkspace(ws).graph);
const edgeKeys = (ws: string): string[] => graphOf(ws).edges.map((e) => `${e.kind} ${e.from} -> ${e.to}`).sort();

describe('blastmap collect atlassian', () => {
  let server: ApiServer;
  let ws: string;
  let records: Map<string, unknown>;

  beforeEach(async () => {
    records = fixtureTree(FIXTURE);
    ((records.get(`orgs/${ORG}/api-tokens`) as { data: Row[] }).data[1]!).label = `ci (${PLANTED})`;
    const handler = atlassianHandler(records);
    server = await startApiServer((url, request) => handler(url, request, () => server.url));
    ws = tempDir('blastmap-collect-atlassian-');
    vi.stubEnv('ATLASSIAN_ADMIN_API_KEY', KEY);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await server.close();
    rmSync(ws, { recursive: true, force: true });
  });

  it('pages by URL and by cursor, waits out a 429, retries a 500, reports a 403 and a malformed page, and imports', async () => {
    server.fail(`/admin/api-access/v1/orgs/${ORG}/api-tokens`, { status: 429, headers: { 'retry-after': '1' }, body: { code: 429, message: 'Too Many Requests' } });
    server.fail(`/admin/v1/orgs/${ORG}/users`, { status: 500, body: { code: 500, message: 'Internal Server Error' } });
    server.fail(`/users/${encodeURIComponent(BOB)}/manage/api-tokens`, { status: 403, body: { code: 403, message: 'The account is not managed by this organization' } });
    server.fail(`/users/${encodeURIComponent(BACKUP)}/manage/api-tokens`, { raw: '[{"id": "tok-backup", "label": ' });

    const run = await runCli(['collect', 'atlassian', '--out', ws, '--endpoint', server.url, '--import']);
    expect(run.err).not.toContain('internal error');
    expect(run.code).toBe(0);
    expect(run.out).toContain('waited out 1 rate limit and retried 1 transient failure');
    expect(run.out).toMatch(new RegExp(`users/${BOB}/api-tokens: HTTP 403 Forbidden: The account is not managed by this organization \\(needs read:tokens:admin`));
    expect(run.out).toMatch(new RegExp(`users/${BACKUP}/api-tokens: users/${BACKUP}/api-tokens: the answer is not JSON`));
    expect(run.out).toContain('2 failed');

    const folder = join(ws, 'exports/atlassian', ORG);
    expect(filesUnder(folder)).toEqual([
      `orgs/${ORG}/api-tokens-2.json`, `orgs/${ORG}/api-tokens.json`, `orgs/${ORG}/users-2.json`, `orgs/${ORG}/users.json`, `users/${ALICE}/api-tokens.json`,
    ]);
    for (const file of [...filesUnder(folder).map((f) => join(folder, f)), join(ws, 'collect-state.json')]) {
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(PLANTED);
    }
    expect(run.out + run.err).not.toContain(KEY);

    // The graph: the fixture, less Carol's own token list (no list names her), with Alice's (empty) list as served.
    const expected = tempDir('blastmap-collect-atlassian-expected-');
    try {
      const copy = join(expected, 'exports/atlassian', ORG);
      mkdirSync(copy, { recursive: true });
      cpSync(FIXTURE, copy, { recursive: true });
      rmSync(join(copy, 'users', CAROL), { recursive: true });
      mkdirSync(join(copy, 'users', ALICE), { recursive: true });
      writeFileSync(join(copy, 'users', ALICE, 'api-tokens.json'), '[]');
      writeFileSync(join(copy, `orgs/${ORG}/api-tokens.json`), JSON.stringify(records.get(`orgs/${ORG}/api-tokens`)));
      expect(graphOf(ws).nodes.map((n) => n.id).sort()).toEqual(graphOf(expected).nodes.map((n) => n.id).sort());
      expect(edgeKeys(ws)).toEqual(edgeKeys(expected));
    } finally {
      rmSync(expected, { recursive: true, force: true });
    }
    const edges = edgeKeys(ws);
    expect(edges).toContain(`AUTHENTICATES_AS ${a('credential', 'api-token/tok-backup')} -> ${a('identity', BACKUP)}`);
    expect(edges).toContain(`OWNS ${a('identity', ALICE)} -> ${a('credential', 'api-token/tok-alice-ci')}`);
  });

  it('finds the organization the key reaches, and --resume calls only what failed', async () => {
    server.fail(`/users/${encodeURIComponent(BOB)}/manage/api-tokens`, { status: 403, body: { code: 403, message: 'Forbidden' } });
    expect((await runCli(['collect', 'atlassian', '--out', ws, '--endpoint', server.url])).code).toBe(0);
    expect(server.calls('/admin/v1/orgs')).toHaveLength(1);
    const before = server.requests.length;
    expect((await runCli(['collect', 'atlassian', '--out', ws, '--endpoint', server.url, '--resume'])).code).toBe(0);
    expect(server.requests.slice(before).map((r) => r.path).filter((p) => p !== '/admin/v1/orgs')).toEqual([`/users/${encodeURIComponent(BOB)}/manage/api-tokens`]);
  });
});

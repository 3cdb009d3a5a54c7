// `blastmap collect okta` against a real HTTP server on 127.0.0.1 that answers as the Okta Management API does:
// bare JSON arrays paged by `Link: <...>; rel="next"` (two records a page), with a 429 carrying Retry-After, a
// 503 then success, a 403 on one endpoint, and a malformed page. The records served are the project's Okta
// fixture org (test/fixtures/okta/org, written after the Okta Management API reference and its OpenAPI
// examples); what is collected must import into the same graph as that folder imported directly, less what the
// failed endpoints would have added.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toFragment } from '../../engine/store/compact.ts';
import { readSnapshotFile } from '../../cli/snapshot-file.ts';
import { loadWorkspace } from '../../cli/workspace.ts';
import { filesUnder, fixtureTree, linkPage, startApiServer, type ApiServer, type Served } from '../helpers/api-server.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';
import { FAKE_GITHUB_TOKEN } from '../helpers/fake-secrets.ts';

const FIXTURE = join(REPO, 'test/fixtures/okta/org');
const TENANT = 'corvidlabs.okta.com';
const TOKEN = '00a1b2EXAMPLEtokenForTestsOnly9z8y7x6w5v4u'; // the test's API token: must reach no file and no output
const PLANTED = FAKE_GITHUB_TOKEN; // a secret-shaped value planted in a served record

const PRIYA = '00uhrg3c6uAb0OlKvss3';
const TOM = '00uwlLHSbB6KNw5C3m6L';
const ELENA = '00u9mlsUG2xNyrAZZx1Z';
const RAJ = '00urBm8sTJgHsFEKnbPN';
const SUPER_GROUP = '00gv2GbUdX4H3a6qJ3i5';
const BOT = '0oavLlBpTu3plKvGsYl3';
const WIKI = '0oaBCUZuxY7gxqzCvbZB';
const id = (rest: string): string => `okta:${TENANT}:${rest}`;

const fixtureRecords = (): Map<string, unknown> => fixtureTree(FIXTURE);

/** Answers as Okta does: each list endpoint from its fixture file, an object's sub-list empty when the fixture has none. */
function oktaHandler(records: Map<string, unknown>) {
  const known = (kind: string, objectId: string): boolean => ((records.get(kind) as { id: string }[] | undefined) ?? []).some((x) => x.id === objectId);
  return (url: URL, request: { headers: Record<string, unknown> }): Served | undefined => {
    if (request.headers.authorization !== `SSWS ${TOKEN}`) return { status: 401, body: { errorCode: 'E0000011', errorSummary: 'Invalid token provided' } };
    const path = url.pathname;
    let key: string | undefined;
    if (path === '/integrations/api/v1/api-services') key = 'api-services';
    else if (path === '/api/v1/logs') key = 'system-log';
    else if (path.startsWith('/api/v1/')) key = path.slice('/api/v1/'.length);
    if (key === undefined) return undefined;
    const owner = /^(users|groups|apps)\/([^/]+)\//.exec(key);
    if (!records.has(key) && !['system-log', 'api-tokens', 'api-services', 'users', 'groups', 'apps'].includes(key) && !(owner && known(owner[1]!, owner[2]!))) return undefined;
    return linkPage((records.get(key) as unknown[] | undefined) ?? [], url, 2);
  };
}

const edgeKeys = (ws: string): string[] => toFragment(loadWorkspace(ws).graph).edges.map((e) => `${e.kind} ${e.from} -> ${e.to}`).sort();
const nodeIds = (ws: string): string[] => toFragment(loadWorkspace(ws).graph).nodes.map((n) => n.id).sort();

describe('blastmap collect okta', () => {
  let server: ApiServer;
  let records: Map<string, unknown>;
  let ws: string;

  beforeEach(async () => {
    records = fixtureRecords();
    // A secret-shaped value where an admin might paste one, and the fixture's client secrets (masked by Okta in
    // real answers, but dropped whatever they look like).
    const users = records.get('users') as { profile: Record<string, unknown> }[];
    users[1]!.profile.title = `Help desk (${PLANTED})`;
    server = await startApiServer(oktaHandler(records));
    ws = tempDir('blastmap-collect-okta-');
    vi.stubEnv('OKTA_ORG_URL', `https://${TENANT}`);
    vi.stubEnv('OKTA_API_TOKEN', TOKEN);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await server.close();
    rmSync(ws, { recursive: true, force: true });
  });

  it('pages, waits out a 429 (Retry-After, and Okta\'s x-rate-limit-reset), retries a 503, reports a 403 and a malformed page, and imports into the fixture\'s graph', async () => {
    server.fail('/api/v1/users', { status: 429, headers: { 'retry-after': '1', 'x-rate-limit-remaining': '0' }, body: { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' } });
    server.fail('/api/v1/groups', { status: 503, body: { errorSummary: 'Service Unavailable' } });
    // Okta's own rate-limit headers, no Retry-After: wait until x-rate-limit-reset, by the server's clock.
    const now = Date.now();
    server.fail('/api/v1/apps', { status: 429, headers: { 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(Math.floor(now / 1000)), date: new Date(now).toUTCString() }, body: { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' } });
    server.fail('/api/v1/api-tokens', { status: 403, body: { errorCode: 'E0000006', errorSummary: 'You do not have permission to perform the requested action' } });
    server.fail(`/api/v1/apps/${WIKI}/users`, { raw: '[{"id": "00urBm8sTJgHsFEKnbPN", "credentials": ' });

    const run = await runCli(['collect', 'okta', '--out', ws, '--endpoint', server.url, '--import']);
    expect(run.err).not.toContain('internal error');
    expect(run.code).toBe(0);

    // Each fault was met and outlived: the 429 and the 503 were asked again, the 403 and the bad page were not retried.
    expect(server.calls('/api/v1/users').filter((r) => !r.path.includes('after='))).toHaveLength(2);
    expect(server.calls('/api/v1/groups').filter((r) => !r.path.includes('after='))).toHaveLength(2);
    expect(server.calls('/api/v1/apps').filter((r) => !r.path.includes('after='))).toHaveLength(2);
    expect(server.calls('/api/v1/api-tokens')).toHaveLength(1);
    expect(run.out).toContain('waited out 2 rate limits and retried 1 transient failure');
    expect(run.out).toMatch(/api-tokens: HTTP 403.*You do not have permission.*\(needs okta\.apiTokens\.read\)/);
    expect(run.out).toMatch(new RegExp(`apps/${WIKI}/users: apps/${WIKI}/users page 1: the answer is not JSON`));
    expect(run.out).toContain('2 failed');
    // Every request carried the token, and it reached no file and no output.
    expect(server.requests.every((r) => r.headers.authorization === `SSWS ${TOKEN}`)).toBe(true);

    const folder = join(ws, 'exports/okta', TENANT);
    const written = filesUnder(folder);
    // Okta pages (2 a page here) saved as the importer's page files: users.json, users-2.json, users-3.json.
    expect(written.filter((f) => /^users(-\d+)?\.json$/.test(f))).toEqual(['users-2.json', 'users-3.json', 'users.json']);
    expect(written).toContain(`groups/${SUPER_GROUP}/roles.json`);
    expect(written).toContain(`users/${TOM}/roles/ra1helpDeskTom000g7/targets/groups.json`);
    expect(written).toContain(`apps/${BOT}/credentials/secrets.json`);
    expect(written).not.toContain('api-tokens.json');
    expect(written).not.toContain(`apps/${WIKI}/users.json`);
    // Grants, tokens, secrets and keys only for the OIDC apps.
    expect(written).not.toContain(`apps/${WIKI}/grants.json`);
    for (const file of [...written.map((f) => join(folder, f)), join(ws, 'collect-state.json')]) {
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(PLANTED);
      expect(text).not.toContain('EXAMPLE-not-a-real-secret');
    }
    expect(run.out + run.err).not.toContain(TOKEN);
    const secrets = JSON.parse(readFileSync(join(folder, `apps/${BOT}/credentials/secrets.json`), 'utf8')) as { client_secret: string; secret_hash: string }[];
    expect(secrets.map((s) => s.client_secret)).toEqual(['[REDACTED:secret-field]', '[REDACTED:secret-field]']);
    expect(secrets.map((s) => s.secret_hash)).toEqual(['k3XbTq9oWm2Lr8Zs1Vd4Nw', 'p7YcRn4eJq0Tt6Ua3Hb9Kg']);

    // The graph: the fixture folder imported directly, without the two files the failed endpoints did not give.
    const expected = tempDir('blastmap-collect-okta-expected-');
    try {
      const copy = join(expected, 'exports/okta', TENANT);
      mkdirSync(copy, { recursive: true });
      cpSync(FIXTURE, copy, { recursive: true });
      rmSync(join(copy, 'api-tokens.json'));
      rmSync(join(copy, `apps/${WIKI}/users.json`));
      // The planted title is redacted in the collected graph; plant it the same way in the expectation.
      const users = JSON.parse(readFileSync(join(copy, 'users.json'), 'utf8')) as { profile: Record<string, unknown> }[];
      users[1]!.profile.title = `Help desk (${PLANTED})`;
      writeFileSync(join(copy, 'users.json'), JSON.stringify(users));
      expect(nodeIds(ws)).toEqual(nodeIds(expected));
      expect(edgeKeys(ws)).toEqual(edgeKeys(expected));
    } finally {
      rmSync(expected, { recursive: true, force: true });
    }
    const edges = edgeKeys(ws);
    expect(edges).toContain(`MEMBER_OF ${id(`identity:${PRIYA}`)} -> ${id(`group:${SUPER_GROUP}`)}`);
    expect(edges).toContain(`SSO_TO ${id(`identity:${ELENA}`)} -> google-workspace:*:identity:elena.sokolova@corvidlabs.com`);
    expect(edges.some((e) => e.startsWith(`HAS_ROLE ${id(`identity:${TOM}`)} -> ${id('role:HELP_DESK_ADMIN')}`))).toBe(true);
    // Raj's Legacy Wiki assignment came from the malformed page: it is not there.
    expect(edges.filter((e) => e.includes(id(`identity:${RAJ}`)) && e.includes(WIKI))).toEqual([]);

    // --import wrote the workspace's snapshot, the same graph.
    expect(run.out).toMatch(new RegExp(`imported the workspace \\(exports/okta/${TENANT.replace(/\./g, '\\.')}\\) into .*graph\\.bmap: \\d+ nodes and ${edges.length} edges`));
    const snapshot = readSnapshotFile(join(ws, 'graph.bmap'));
    expect(toFragment(snapshot).edges.length).toBe(edges.length);
  });

  it('--resume calls only what failed before, and a later run without it starts the folder afresh', async () => {
    server.fail('/api/v1/api-tokens', { status: 403, body: { errorCode: 'E0000006', errorSummary: 'You do not have permission to perform the requested action' } });
    const first = await runCli(['collect', 'okta', '--out', ws, '--endpoint', server.url]);
    expect(first.code).toBe(0);
    expect(existsSync(join(ws, 'exports/okta', TENANT, 'api-tokens.json'))).toBe(false);
    const before = server.requests.length;

    const resumed = await runCli(['collect', 'okta', '--out', ws, '--endpoint', server.url, '--resume', '--format', 'json']);
    expect(resumed.code).toBe(0);
    expect(server.requests.slice(before).map((r) => r.path)).toEqual(['/api/v1/api-tokens']);
    const summary = JSON.parse(resumed.out) as { ok: string[]; failed: unknown[]; resumed: string[] };
    expect(summary.ok).toEqual(['api-tokens']);
    expect(summary.failed).toEqual([]);
    expect(summary.resumed).toContain('users');
    expect(existsSync(join(ws, 'exports/okta', TENANT, 'api-tokens.json'))).toBe(true);
    expect(edgeKeys(ws).some((e) => e.startsWith(`AUTHENTICATES_AS ${id('credential:api-token/')}`))).toBe(true);

    // Without --resume the folder is collected again from nothing (stale pages would otherwise be read too).
    const again = await runCli(['collect', 'okta', '--out', ws, '--endpoint', server.url, '--format', 'json']);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.out) as { resumed: string[] }).resumed).toEqual([]);
  });

  it('--resume removes the pages a failed endpoint wrote before calling it again', async () => {
    server.fail('/api/v1/users?limit=200&after=4', { raw: '[{"id": ' });
    const first = await runCli(['collect', 'okta', '--out', ws, '--endpoint', server.url]);
    expect(first.out).toMatch(/users: users page 3: the answer is not JSON/);
    const folder = join(ws, 'exports/okta', TENANT);
    expect(filesUnder(folder).filter((f) => f.startsWith('users-') || f === 'users.json')).toEqual(['users-2.json', 'users.json']);
    // Meanwhile three users were deleted: the list is one page now.
    (records.get('users') as unknown[]).splice(2);
    const resumed = await runCli(['collect', 'okta', '--out', ws, '--endpoint', server.url, '--resume']);
    expect(resumed.code).toBe(0);
    expect(filesUnder(folder).filter((f) => f.startsWith('users-') || f === 'users.json')).toEqual(['users.json']);
  });

  it('keeps at most --concurrency requests in flight during the fan-out, and uses them', async () => {
    // The first pages of the three groups' member lists are held until all three are asked for (or 5 s pass): with --concurrency 3
    // they are asked for at once; one at a time, the server never sees more than one in flight.
    const handler = oktaHandler(fixtureRecords());
    let waiting: (() => void)[] = [];
    const barrier = (): Promise<void> => new Promise((resolve) => {
      waiting.push(resolve);
      if (waiting.length === 3) { for (const release of waiting) release(); waiting = []; }
      else setTimeout(resolve, 5000);
    });
    await server.close();
    server = await startApiServer(async (url, request) => {
      if (/^\/api\/v1\/groups\/[^/]+\/users$/.test(url.pathname) && !url.searchParams.has('after')) await barrier();
      return handler(url, request);
    });
    const run = await runCli(['collect', 'okta', '--out', ws, '--endpoint', server.url, '--concurrency', '3']);
    expect(run.code).toBe(0);
    expect(server.maxInFlight()).toBe(3);
  });

  it('exits non-zero when nothing could be collected, naming the permission of each endpoint', async () => {
    vi.stubEnv('OKTA_API_TOKEN', 'wrong-token-value-for-this-test');
    const run = await runCli(['collect', 'okta', '--out', ws, '--endpoint', server.url]);
    expect(run.code).toBe(5);
    expect(run.out).toMatch(/users: HTTP 401.*Invalid token provided.*\(needs okta\.users\.read\)/);
    expect(run.err).toContain('nothing was collected');
    expect(run.out + run.err).not.toContain('wrong-token-value');
  });

  it('refuses to run without its credentials, and to overwrite files it did not write', async () => {
    vi.stubEnv('OKTA_API_TOKEN', '');
    const missing = await runCli(['collect', 'okta', '--out', ws, '--endpoint', server.url]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('OKTA_API_TOKEN');
    vi.stubEnv('OKTA_API_TOKEN', TOKEN);
    mkdirSync(join(ws, 'exports/okta', TENANT), { recursive: true });
    cpSync(join(FIXTURE, 'users.json'), join(ws, 'exports/okta', TENANT, 'users.json'));
    const occupied = await runCli(['collect', 'okta', '--out', ws, '--endpoint', server.url]);
    expect(occupied.code).toBe(5);
    expect(occupied.err).toContain('did not write');
    expect(server.requests).toHaveLength(0);
  });
});

// Okta's own published examples, served as they are: the samples of ../shared/corpus/okta (the Management API's
// OpenAPI examples and openhound-okta's recorded answers, placeholders such as {yourOktaDomain} included).
describe('blastmap collect okta, on Okta\'s published examples', () => {
  const CORPUS = join(REPO, '../shared/corpus/okta');
  const corpus = (name: string): unknown => JSON.parse(readFileSync(join(CORPUS, name), 'utf8'));
  const SAML_APP = '0oa1gjh63g214q0Hq0g4'; // apps-list.json
  const OIDC_APP = '0oafxqCAJWWGELFTYASJ'; // app-oidc-get.json
  /** API path (under /api/v1/, or the integrations API) -> the sample it answers with; the JWKS endpoint answers with the list of keys. */
  const SERVED: Record<string, unknown> = {
    users: corpus('users-list.json'),
    groups: corpus('groups-list.json'),
    apps: [...(corpus('apps-list.json') as unknown[]), corpus('app-oidc-get.json')],
    'api-tokens': corpus('api-tokens-list.json'),
    'api-services': corpus('api-service-integrations-list.json'),
    [`apps/${SAML_APP}/users`]: corpus('app-users-list.json'),
    [`apps/${OIDC_APP}/grants`]: corpus('app-grants-list.json'),
    [`apps/${OIDC_APP}/tokens`]: corpus('app-refresh-tokens-list.json'),
    [`apps/${OIDC_APP}/credentials/secrets`]: corpus('app-client-secrets-list.json'),
    [`apps/${OIDC_APP}/credentials/jwks`]: (corpus('app-jwks-list.json') as { jwks: { keys: unknown[] } }).jwks.keys,
  };
  let server: ApiServer;
  let ws: string;
  beforeEach(async () => {
    server = await startApiServer((url) => {
      const key = url.pathname === '/integrations/api/v1/api-services' ? 'api-services' : url.pathname.replace(/^\/api\/v1\//, '');
      if (key in SERVED) return linkPage(SERVED[key] as unknown[], url, 1);
      return url.pathname.startsWith('/api/v1/') ? { body: [] } : undefined;
    });
    ws = tempDir('blastmap-collect-okta-corpus-');
    vi.stubEnv('OKTA_ORG_URL', 'https://testorg.okta.com');
    vi.stubEnv('OKTA_API_TOKEN', TOKEN);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await server.close();
    rmSync(ws, { recursive: true, force: true });
  });

  it('collects them one record a page and imports the graph the samples give when laid out by hand', async () => {
    const run = await runCli(['collect', 'okta', '--out', ws, '--endpoint', server.url]);
    expect(run.code).toBe(0);
    expect(run.out).toContain('0 failed');
    const written = filesUnder(join(ws, 'exports/okta/testorg.okta.com'));
    expect(written.filter((f) => /^apps(-\d+)?\.json$/.test(f))).toEqual(['apps-2.json', 'apps.json']);
    expect(written).toContain(`apps/${OIDC_APP}/credentials/jwks.json`);
    // The same samples, saved by hand under the documented names (every list in one file) and not collected.
    const expected = tempDir('blastmap-collect-okta-corpus-expected-');
    try {
      const folder = join(expected, 'exports/okta/testorg.okta.com');
      for (const [key, body] of Object.entries(SERVED)) {
        mkdirSync(join(folder, key, '..'), { recursive: true });
        writeFileSync(join(folder, `${key}.json`), JSON.stringify(body));
      }
      const graph = (dir: string) => toFragment(loadWorkspace(dir).graph);
      expect(graph(ws).nodes.map((n) => n.id).sort()).toEqual(graph(expected).nodes.map((n) => n.id).sort());
      expect(edgeKeys(ws)).toEqual(edgeKeys(expected));
      // One sample's links name your-subdomain.okta.com, which wins over the folder (docs/importers/README.md).
      expect(graph(ws).nodes.map((n) => n.id)).toEqual(expect.arrayContaining([
        'okta:your-subdomain.okta.com:credential:jwk/pks2f4zrZbs8nUa7p0g4', 'okta:your-subdomain.okta.com:credential:refresh-token/oar579Mcp7OUsNTlo0g3',
        'okta:your-subdomain.okta.com:credential:client-secret/ocs2f4zrZbs8nUa7p0g4', 'okta:your-subdomain.okta.com:credential:api-token/00T1234567890abcdefg',
      ]));
    } finally {
      rmSync(expected, { recursive: true, force: true });
    }
  });
});


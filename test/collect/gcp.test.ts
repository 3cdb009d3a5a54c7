// `blastmap collect gcp` against a real HTTP server on 127.0.0.1 that answers as the IAM API v1 and the Cloud
// Resource Manager API v1 do (serviceAccounts.list paged by nextPageToken, keys.list, the two getIamPolicy POSTs),
// with Google's JSON error bodies. The records are the project's GCP fixture (test/fixtures/gcp, written after the
// IAM and Resource Manager references); the faults are a 429 with Retry-After, a 503 then success, a 403
// PERMISSION_DENIED on one account's keys and a malformed answer. What is collected must import into the graph of
// the fixture folder imported directly, less what the failed calls miss.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startApiServer, type ApiServer, type Recorded, type Served } from '../helpers/api-server.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';
import { filesUnder, fixtureGraph, jsonFiles, workspaceGraph } from '../helpers/collected.ts';
import { FAKE_GITHUB_TOKEN } from '../helpers/fake-secrets.ts';

const FIXTURE = join(REPO, 'test/fixtures/gcp');
const PROJECT = 'northwind-prod';
const TOKEN = 'ya29.c.collectTestOnlyCloudAccessToken0123456789abcdefghij'; // must reach no file
const CI = `ci-deployer@${PROJECT}.iam.gserviceaccount.com`;
const HR = `hr-sync@${PROJECT}.iam.gserviceaccount.com`;
const BACKUP = `backup-sa@${PROJECT}.iam.gserviceaccount.com`;
const PLANTED = FAKE_GITHUB_TOKEN; // a token pasted into a service account's description
/** The fixture's service accounts with the planted description on the first one. */
const planted = (accounts: { accounts: Rec[] }): { accounts: Rec[] } => ({ accounts: accounts.accounts.map((a, i) => (i === 0 ? { ...a, description: `backups (token ${PLANTED})` } : a)) });
const id = (rest: string): string => `gcp:${PROJECT}:${rest}`;

type Rec = Record<string, unknown>;
const googleError = (code: number, status: string, message: string, headers: Record<string, string> = {}): Served => ({ status: code, headers, body: { error: { code, message, status } } });

/** IAM v1 and Resource Manager v1 over the fixture project. */
function cloudHandler(records: Map<string, unknown>) {
  const accounts = (records.get('service-accounts') as { accounts: Rec[] }).accounts;
  return (url: URL, request: Recorded): Served | undefined => {
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    const path = decodeURIComponent(url.pathname);
    if (request.method === 'GET' && path === `/v1/projects/${PROJECT}/serviceAccounts`) {
      const at = Number(url.searchParams.get('pageToken') ?? 0);
      return { body: { accounts: accounts.slice(at, at + 2), ...(at + 2 < accounts.length ? { nextPageToken: String(at + 2) } : {}) } };
    }
    if (request.method === 'POST' && path === `/v1/projects/${PROJECT}:getIamPolicy`) {
      if ((JSON.parse(request.body || '{}') as { options?: { requestedPolicyVersion?: number } }).options?.requestedPolicyVersion !== 3) return googleError(400, 'INVALID_ARGUMENT', 'requestedPolicyVersion 3 expected by this test');
      return { body: records.get('iam-policy') };
    }
    const keys = new RegExp(`^/v1/projects/${PROJECT}/serviceAccounts/([^/:]+)/keys$`).exec(path);
    if (request.method === 'GET' && keys) {
      if (!accounts.some((a) => a.email === keys[1])) return googleError(404, 'NOT_FOUND', `Service account ${keys[1]} does not exist.`);
      const listed = records.get(`keys/${keys[1]}`);
      return { body: Array.isArray(listed) ? { keys: listed } : listed ?? {} };
    }
    const policy = new RegExp(`^/v1/projects/${PROJECT}/serviceAccounts/([^/:]+):getIamPolicy$`).exec(path);
    if (request.method === 'POST' && policy) return { body: records.get(`service-account-iam-policy/${policy[1]}`) ?? { version: 1, etag: 'ACAB' } };
    return undefined;
  };
}

describe('blastmap collect gcp', () => {
  let server: ApiServer;
  let ws: string;

  beforeEach(async () => {
    const records = jsonFiles(FIXTURE);
    records.set('service-accounts', planted(records.get('service-accounts') as { accounts: Rec[] }));
    server = await startApiServer(cloudHandler(records));
    ws = tempDir('blastmap-collect-gcp-');
    vi.stubEnv('GOOGLE_OAUTH_ACCESS_TOKEN', TOKEN);
    vi.stubEnv('GOOGLE_CLOUD_PROJECT', PROJECT);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await server.close();
    rmSync(ws, { recursive: true, force: true });
  });

  it('pages service accounts, waits out a 429, retries a 503, reports a 403 and a malformed answer, and imports into the fixture\'s graph', async () => {
    const accountsPath = `/v1/projects/${PROJECT}/serviceAccounts`;
    server.fail(accountsPath, googleError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for quota metric \'Read requests\'.', { 'retry-after': '1' }));
    server.fail(`/v1/projects/${PROJECT}:getIamPolicy`, googleError(503, 'UNAVAILABLE', 'The service is currently unavailable.'));
    server.fail(`${accountsPath}/${CI}/keys`, googleError(403, 'PERMISSION_DENIED', `Permission 'iam.serviceAccountKeys.list' denied on resource (or it may not exist).`));
    server.fail(`${accountsPath}/${HR}:getIamPolicy`, { raw: '<html><title>502 Bad Gateway</title>' });

    const run = await runCli(['collect', 'gcp', '--out', ws, '--endpoint', server.url, '--import']);
    expect(run.err).not.toContain('internal error');
    expect(run.code).toBe(0);

    expect(server.calls(accountsPath).filter((r) => !r.path.includes('pageToken'))).toHaveLength(2);
    expect(server.calls(`/v1/projects/${PROJECT}:getIamPolicy`)).toHaveLength(2);
    expect(run.out).toContain('waited out 1 rate limit and retried 1 transient failure');
    expect(run.out).toMatch(new RegExp(`keys/${CI}: HTTP 403: PERMISSION_DENIED: Permission 'iam\\.serviceAccountKeys\\.list' denied.*\\(needs iam\\.serviceAccountKeys\\.list\\)`));
    expect(run.out).toMatch(new RegExp(`service-account-iam-policy/${HR}: service-account-iam-policy/${HR}: the answer is not a JSON object`));
    expect(run.out).toContain('2 failed');
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);

    const folder = join(ws, 'exports/gcp', PROJECT);
    const written = filesUnder(folder);
    expect(written.filter((f) => f.startsWith('service-accounts'))).toEqual(['service-accounts-2.json', 'service-accounts.json']);
    expect(written).toContain(`keys/${BACKUP}.json`);
    expect(written).not.toContain(`keys/${CI}.json`);
    expect(written).not.toContain(`service-account-iam-policy/${HR}.json`);
    for (const file of [...written.map((f) => join(folder, f)), join(ws, 'collect-state.json')]) {
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(PLANTED);
    }
    // The planted token was served, and replaced where it stood.
    expect(readFileSync(join(folder, 'service-accounts.json'), 'utf8')).toMatch(/"description": "backups \(token \[REDACTED[^"]*\]\)"/);
    expect(run.out + run.err).not.toContain(TOKEN);

    const expected = fixtureGraph(FIXTURE, 'gcp', PROJECT, (copy) => {
      rmSync(join(copy, `keys/${CI}.json`));
      rmSync(join(copy, `service-account-iam-policy/${HR}.json`));
      const path = join(copy, 'service-accounts.json');
      writeFileSync(path, JSON.stringify(planted(JSON.parse(readFileSync(path, 'utf8')) as { accounts: Rec[] })));
    });
    const collected = workspaceGraph(ws);
    expect(collected.nodes).toEqual(expected.nodes);
    expect(collected.edges).toEqual(expected.edges);
    // Named handles: the backup account's user-managed key authenticates as it; the project manages it.
    expect(collected.edges.some((e) => e.startsWith(`AUTHENTICATES_AS ${id(`credential:${BACKUP}/keys/`)}`) && e.endsWith(id(`identity:${BACKUP}`)))).toBe(true);
    expect(collected.edges).toContain(`MANAGES ${id(`platform:${PROJECT}`)} -> ${id(`identity:${BACKUP}`)}`);
  });

  it('needs the project id, and a refused token names the permission, never the token', async () => {
    vi.stubEnv('GOOGLE_CLOUD_PROJECT', '');
    vi.stubEnv('CLOUDSDK_CORE_PROJECT', '');
    const missing = await runCli(['collect', 'gcp', '--out', ws, '--endpoint', server.url]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('GOOGLE_CLOUD_PROJECT');
    vi.stubEnv('GOOGLE_CLOUD_PROJECT', PROJECT);
    vi.stubEnv('GOOGLE_OAUTH_ACCESS_TOKEN', 'ya29.wrong-token-value');
    const refused = await runCli(['collect', 'gcp', '--out', ws, '--endpoint', server.url]);
    expect(refused.code).toBe(5);
    expect(refused.out).toMatch(/service-accounts: HTTP 401: UNAUTHENTICATED.*\(needs iam\.serviceAccounts\.list\)/);
    expect(refused.out + refused.err).not.toContain('wrong-token-value');
  });
});

// `blastmap collect entra` against a real HTTP server on 127.0.0.1 that answers as Microsoft Graph v1.0 does:
// collections `{"@odata.context", "value": [...]}` paged by an absolute `@odata.nextLink` ($skiptoken, two records a
// page), a 429 with Retry-After, a 503 then success, a 403 Authorization_RequestDenied on one endpoint and a
// malformed page. The records served are the project's Entra fixture tenant (test/fixtures/entra/corp, written after
// the Graph v1.0 reference pages: see test/importers/entra.test.ts); `appRoleAssignedTo` of a service principal
// is answered as Graph does, from every assignment whose resourceId is that service principal. What is collected
// must import into the graph of that folder imported directly, less what the failed endpoints would have added.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toFragment } from '../../engine/store/compact.ts';
import { readSnapshotFile } from '../../cli/snapshot-file.ts';
import { startApiServer, type ApiServer, type Recorded, type Served } from '../helpers/api-server.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';
import { filesUnder, fixtureGraph, jsonFiles, workspaceGraph } from '../helpers/collected.ts';
import { FAKE_GITHUB_TOKEN } from '../helpers/fake-secrets.ts';

const FIXTURE = join(REPO, 'test/fixtures/entra/corp');
const TENANT = '4c1e9a6e-2f3b-4d5a-9b8c-7e6f5a4b3c2d';
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20ifQ.test-only-signature'; // must reach no file
const PLANTED_SECRET = 'Qx~8Q~collectTestSecretValue0123456789abcd'; // an addPassword secretText left in an answer
const PLANTED_NOTE = FAKE_GITHUB_TOKEN; // a token pasted into an app's notes
const PAYROLL_OBJECT = '44444444-dddd-4ddd-8ddd-000000000001';
const ADMINS_GROUP = '22222222-bbbb-4bbb-8bbb-000000000001';
const GRAPH_SP = '55555555-eeee-4eee-8eee-000000000001';
const id = (kind: string, native: string): string => `entra:${TENANT}:${kind}:${native}`;

interface Collection { '@odata.context'?: string; value: Record<string, unknown>[] }

/** One page of a Graph collection: `$skiptoken` is the offset here (Graph's is opaque), the next link absolute. */
function odataPage(items: readonly unknown[], url: URL, context: string, pageSize = 2): Served {
  const at = Number(url.searchParams.get('$skiptoken') ?? 0);
  const body: Record<string, unknown> = { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#${context}`, value: items.slice(at, at + pageSize) };
  if (at + pageSize < items.length) {
    const next = new URL(url.href);
    next.searchParams.set('$skiptoken', String(at + pageSize));
    body['@odata.nextLink'] = next.href;
  }
  return { body };
}

/** Answers as Graph does, from the fixture folder's collections. */
function graphHandler(records: Map<string, unknown>) {
  const list = (key: string): Record<string, unknown>[] | undefined => (records.get(key) as Collection | undefined)?.value;
  const assignments = new Map<string, Record<string, unknown>>();
  for (const [key, value] of records) if (/appRoleAssign/.test(key)) for (const a of (value as Collection).value) assignments.set(String(a.id), a);
  const objects: Record<string, Set<string>> = {};
  for (const kind of ['applications', 'servicePrincipals', 'groups']) objects[kind] = new Set((list(kind) ?? []).map((o) => String(o.id)));
  return (url: URL, request: Recorded): Served | undefined => {
    if (request.headers.authorization !== `Bearer ${TOKEN}`) {
      return { status: 401, body: { error: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure. Invalid audience.' } } };
    }
    if (!url.pathname.startsWith('/v1.0/')) return undefined;
    const key = decodeURIComponent(url.pathname.slice('/v1.0/'.length));
    const owned = /^(applications|servicePrincipals|groups)\/([^/]+)\/(\w+)$/.exec(key);
    let items: unknown[] | undefined;
    if (owned) {
      if (!objects[owned[1]!]!.has(owned[2]!)) return { status: 404, body: { error: { code: 'Request_ResourceNotFound', message: `Resource '${owned[2]}' does not exist.` } } };
      items = owned[3] === 'appRoleAssignedTo' ? [...assignments.values()].filter((a) => a.resourceId === owned[2]) : list(key) ?? [];
    } else if (key === 'auditLogs/directoryAudits') items = [];
    else items = list(key);
    if (items === undefined) return { status: 404, body: { error: { code: 'Request_ResourceNotFound', message: `Resource not found for the segment '${key}'.` } } };
    return odataPage(items, url, key);
  };
}

describe('blastmap collect entra', () => {
  let server: ApiServer;
  let records: Map<string, unknown>;
  let ws: string;

  beforeEach(async () => {
    records = jsonFiles(FIXTURE);
    const apps = (records.get('applications') as Collection).value;
    (apps[0]!.passwordCredentials as Record<string, unknown>[])[0]!.secretText = PLANTED_SECRET;
    apps[0]!.notes = `deploy token ${PLANTED_NOTE}`;
    server = await startApiServer(graphHandler(records));
    ws = tempDir('blastmap-collect-entra-');
    vi.stubEnv('ENTRA_ACCESS_TOKEN', TOKEN);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await server.close();
    rmSync(ws, { recursive: true, force: true });
  });

  it('follows @odata.nextLink, waits out a 429, retries a 503, reports a 403 and a malformed page, and imports into the fixture\'s graph', async () => {
    server.fail('/v1.0/users', { status: 429, headers: { 'retry-after': '1' }, body: { error: { code: 'TooManyRequests', message: 'Too many requests.' } } });
    server.fail('/v1.0/servicePrincipals', { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'Service unavailable.' } } });
    server.fail('/v1.0/roleManagement/directory/roleAssignments', { status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } });
    server.fail(`/v1.0/groups/${ADMINS_GROUP}/members`, { raw: '{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#directoryObjects", "value": [{"id": ' });

    const run = await runCli(['collect', 'entra', '--out', ws, '--endpoint', server.url, '--import']);
    expect(run.err).not.toContain('internal error');
    expect(run.code).toBe(0);

    // The 429 and the 503 were asked again; the 403 and the malformed page were not.
    expect(server.calls('/v1.0/users').filter((r) => !r.path.includes('skiptoken'))).toHaveLength(2);
    expect(server.calls('/v1.0/servicePrincipals').filter((r) => !r.path.includes('skiptoken'))).toHaveLength(2);
    expect(server.calls('/v1.0/roleManagement/directory/roleAssignments')).toHaveLength(1);
    expect(server.calls(`/v1.0/groups/${ADMINS_GROUP}/members`)).toHaveLength(1);
    expect(run.out).toContain('waited out 1 rate limit and retried 1 transient failure');
    expect(run.out).toMatch(/roleManagement\/directory\/roleAssignments: HTTP 403: Authorization_RequestDenied: Insufficient privileges.*\(needs RoleManagement\.Read\.Directory\)/);
    expect(run.out).toMatch(new RegExp(`groups/${ADMINS_GROUP}/members: groups/${ADMINS_GROUP}/members page 1: the answer is not JSON`));
    expect(run.out).toContain('2 failed');
    // The documented $select: accountEnabled is only returned when selected.
    expect(server.calls('/v1.0/users')[0]!.path).toContain('accountEnabled');
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);

    const folder = join(ws, 'exports/entra', TENANT);
    const written = filesUnder(folder);
    // Nine service principals at two a page: servicePrincipals.json to servicePrincipals-5.json.
    expect(written.filter((f) => /^servicePrincipals(-\d+)?\.json$/.test(f))).toHaveLength(5);
    expect(written).toContain(`applications/${PAYROLL_OBJECT}/federatedIdentityCredentials.json`);
    expect(written).toContain(`servicePrincipals/${GRAPH_SP}/appRoleAssignedTo-2.json`);
    expect(written).toContain('directoryAudits.json');
    expect(written).not.toContain('roleManagement/directory/roleAssignments.json');
    expect(written).not.toContain(`groups/${ADMINS_GROUP}/members.json`);
    for (const file of [...written.map((f) => join(folder, f)), join(ws, 'collect-state.json')]) {
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(PLANTED_SECRET);
      expect(text).not.toContain(PLANTED_NOTE);
    }
    expect(run.out + run.err).not.toContain(TOKEN);
    const page = JSON.parse(readFileSync(join(folder, 'applications.json'), 'utf8')) as Collection;
    const credential = (page.value[0]!.passwordCredentials as Record<string, unknown>[])[0]!;
    expect(credential.secretText).toBe('[REDACTED:secret-field]');
    expect(credential.hint).toBe('Qx~'); // a credential's identifiers stay
    expect(page.value[0]!.notes).toMatch(/^deploy token \[REDACTED[^\]]*\]$/);

    const expected = fixtureGraph(FIXTURE, 'entra', TENANT, (copy) => {
      rmSync(join(copy, 'roleManagement/directory/roleAssignments.json'));
      rmSync(join(copy, `groups/${ADMINS_GROUP}/members.json`));
      const applications = JSON.parse(readFileSync(join(copy, 'applications.json'), 'utf8')) as Collection;
      applications.value[0]!.notes = `deploy token ${PLANTED_NOTE}`;
      writeFileSync(join(copy, 'applications.json'), JSON.stringify(applications));
    });
    const collected = workspaceGraph(ws);
    expect(collected.nodes).toEqual(expected.nodes);
    expect(collected.edges).toEqual(expected.edges);
    // Named handles: the payroll app holds its secret; the legacy app's application permissions take the tenant;
    // Vaultly's Mail.ReadWrite (its appRoleAssignments in the fixture, collected from Graph's appRoleAssignedTo
    // side) reaches every mailbox; the GitHub federated credential runs as the payroll service principal.
    expect(collected.edges).toContain(`HOLDS ${id('app', '33333333-cccc-4ccc-8ccc-000000000001')} -> ${id('credential', String((page.value[0]!.passwordCredentials as Record<string, unknown>[])[0]!.keyId))}`);
    expect(collected.edges).toContain(`CAN_ADMIN ${id('identity', '55555555-eeee-4eee-8eee-000000000006')} -> ${id('platform', TENANT)}`);
    expect(collected.edges).toContain(`CAN_ADMIN ${id('identity', '55555555-eeee-4eee-8eee-000000000009')} -> ${id('resource', 'mailbox')}`);
    expect(collected.edges).toContain(`RUNS_AS github:*:resource:fabrikam/payroll-sync -> ${id('identity', '55555555-eeee-4eee-8eee-000000000003')}`);
    // The directory role assignments were not collected: no HAS_ROLE to a directory role.
    expect(collected.edges.filter((e) => e.startsWith('HAS_ROLE') && e.includes(':role:62e90394-69f5-4237-9190-012177145e10'))).toEqual([]);

    const snapshot = readSnapshotFile(join(ws, 'graph.bmap'));
    expect(toFragment(snapshot).edges.length).toBe(collected.edges.length);

    // The documented quick start: the blast radius of an app, straight from the collected workspace.
    const radius = await runCli(['radius', id('app', '33333333-cccc-4ccc-8ccc-000000000001'), '--graph', ws]);
    expect(radius.code).toBe(0);
    expect(radius.out).toContain('BLAST RADIUS: Payroll Sync');
  });

  it('--resume calls only the endpoint that was denied, and its answer completes the graph', async () => {
    server.fail('/v1.0/roleManagement/directory/roleAssignments', { status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } });
    const first = await runCli(['collect', 'entra', '--out', ws, '--endpoint', server.url]);
    expect(first.code).toBe(0);
    const before = server.requests.length;
    const resumed = await runCli(['collect', 'entra', '--out', ws, '--endpoint', server.url, '--resume', '--format', 'json']);
    expect(resumed.code).toBe(0);
    // /organization is asked again for the tenant id, then only the denied list (two pages).
    expect(server.requests.slice(before).map((r) => r.path.split('?')[0])).toEqual(['/v1.0/organization', '/v1.0/roleManagement/directory/roleAssignments', '/v1.0/roleManagement/directory/roleAssignments']);
    const summary = JSON.parse(resumed.out) as { ok: string[]; failed: unknown[]; resumed: string[] };
    expect(summary.ok).toEqual(['roleManagement/directory/roleAssignments']);
    expect(summary.resumed).toContain(`groups/${ADMINS_GROUP}/members`);
    expect(workspaceGraph(ws)).toEqual(fixtureGraph(FIXTURE, 'entra', TENANT, (copy) => {
      const applications = JSON.parse(readFileSync(join(copy, 'applications.json'), 'utf8')) as Collection;
      applications.value[0]!.notes = `deploy token ${PLANTED_NOTE}`;
      writeFileSync(join(copy, 'applications.json'), JSON.stringify(applications));
    }));
  });

  it('never follows an @odata.nextLink to another host: the token stays with the API it was given for', async () => {
    const elsewhere = await startApiServer(() => ({ body: { value: [] } }));
    try {
      server.fail('/v1.0/oauth2PermissionGrants', { body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#oauth2PermissionGrants', value: [], '@odata.nextLink': `${elsewhere.url}/v1.0/oauth2PermissionGrants?$skiptoken=2` } });
      const run = await runCli(['collect', 'entra', '--out', ws, '--endpoint', server.url]);
      expect(run.code).toBe(0);
      expect(run.out).toMatch(/oauth2PermissionGrants: oauth2PermissionGrants: the next page link leaves http:\/\/127\.0\.0\.1:\d+/);
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });

  it('--since narrows the directory audit events to that date on', async () => {
    const run = await runCli(['collect', 'entra', '--out', ws, '--endpoint', server.url, '--since', '2026-11-20']);
    expect(run.code).toBe(0);
    const [audit] = server.calls('/v1.0/auditLogs/directoryAudits');
    expect(new URL(audit!.path, server.url).searchParams.get('$filter')).toBe("category eq 'ApplicationManagement' and activityDateTime ge 2026-11-20T00:00:00.000Z");
  });

  it('a token Graph refuses fails before anything is written, naming what the token needs, never the token', async () => {
    vi.stubEnv('ENTRA_ACCESS_TOKEN', 'eyJ0eXAiOiJKV1QifQ.wrong-token-value.sig');
    const run = await runCli(['collect', 'entra', '--out', ws, '--endpoint', server.url]);
    expect(run.code).toBe(5);
    expect(run.err).toMatch(/GET \/organization answered HTTP 401: InvalidAuthenticationToken.*needs Directory\.Read\.All/);
    expect(run.out + run.err).not.toContain('wrong-token-value');
    expect(existsSync(join(ws, 'exports'))).toBe(false);
  });
});

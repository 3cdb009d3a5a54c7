// `blastmap collect salesforce` against a real HTTP server on 127.0.0.1 answering as the Salesforce REST API's
// /services/data/v61.0/query does: the records of the SOQL query's object with only the fields it selects, two a
// page, `done: false` and `nextRecordsUrl` while more remain; a 429 with Retry-After, a 503 then success, a
// denied object (400 INVALID_TYPE, Salesforce's answer to a user who may not see it) and a malformed page. The
// records are the project's Salesforce fixture org (test/fixtures/salesforce/org, written after the REST API's
// query examples and the sObject reference).
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toFragment } from '../../engine/store/compact.ts';
import { loadWorkspace } from '../../cli/workspace.ts';
import { filesUnder, fixtureTree, startApiServer, type ApiServer, type Served } from '../helpers/api-server.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';
import { FAKE_GITHUB_TOKEN } from '../helpers/fake-secrets.ts';

const FIXTURE = join(REPO, 'test/fixtures/salesforce/org');
const TOKEN = '00DHs0000000001!AQ4AQTestTokenForThisTestOnly.abcdefghijklmnopqrstuvwxyz0123456789';
const PLANTED = FAKE_GITHUB_TOKEN;
const ORG = '00DHs0000000001IAQ';
const sf = (kind: string, native: string): string => `salesforce:${ORG.toLowerCase()}:${kind}:${native}`;
const QUERY = '/services/data/v61.0/query';

type Row = Record<string, unknown>;

/** Every record of an sObject in the fixture (its pages joined). */
function rowsOf(records: Map<string, unknown>, object: string): Row[] {
  return [...records.entries()].filter(([key]) => key === object || key.startsWith(`${object}-`))
    .sort(([a], [b]) => a.localeCompare(b)).flatMap(([, answer]) => (answer as { records: Row[] }).records);
}

function salesforceHandler(records: Map<string, unknown>) {
  const cursors = new Map<string, Row[]>();
  const page = (rows: Row[], at: number): Served => {
    const more = at + 2 < rows.length;
    let next: string | undefined;
    if (more) { next = `${QUERY}/01gHs00000QUERY${cursors.size}-${at + 2}`; cursors.set(next, rows); }
    return { body: { totalSize: rows.length, done: !more, ...(next ? { nextRecordsUrl: next } : {}), records: rows.slice(at, at + 2) } };
  };
  return (url: URL, request: { headers: Record<string, unknown> }): Served | undefined => {
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return { status: 401, body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }] };
    if (url.pathname.startsWith(`${QUERY}/`)) {
      const rows = cursors.get(url.pathname);
      return rows ? page(rows, Number(url.pathname.split('-').pop())) : { status: 400, body: [{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }] };
    }
    if (url.pathname !== QUERY) return undefined;
    const soql = url.searchParams.get('q') ?? '';
    const match = /^SELECT (.+?) FROM (\w+)/.exec(soql);
    if (!match) return { status: 400, body: [{ message: 'unexpected token', errorCode: 'MALFORMED_QUERY' }] };
    const fields = new Set(match[1]!.split(',').map((f) => f.trim().split('.')[0]!));
    const rows = rowsOf(records, match[2]!).map((row) => Object.fromEntries(Object.entries(row).filter(([key]) => key === 'attributes' || fields.has(key))));
    return page(rows, 0);
  };
}

const graphOf = (ws: string) => toFragment(loadWorkspace(ws).graph);
const edgeKeys = (ws: string): string[] => graphOf(ws).edges.map((e) => `${e.kind} ${e.from} -> ${e.to}`).sort();

describe('blastmap collect salesforce', () => {
  let server: ApiServer;
  let ws: string;
  let records: Map<string, unknown>;

  beforeEach(async () => {
    records = fixtureTree(FIXTURE);
    (records.get('User') as { records: Row[] }).records[1]!.Name = `Integration (${PLANTED})`;
    server = await startApiServer(salesforceHandler(records));
    ws = tempDir('blastmap-collect-salesforce-');
    vi.stubEnv('SF_INSTANCE_URL', 'https://fabrikam.my.salesforce.com');
    vi.stubEnv('SF_ACCESS_TOKEN', TOKEN);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await server.close();
    rmSync(ws, { recursive: true, force: true });
  });

  it('pages by nextRecordsUrl, waits out a 429, retries a 503, selects no token field, and imports into the fixture\'s graph', async () => {
    // The first call names the org (the tenant); the 429 and the 503 hit the Organization query after it.
    server.fail(QUERY, { body: { totalSize: 1, done: true, records: [{ attributes: { type: 'Organization' }, Id: ORG }] } },
      { status: 429, headers: { 'retry-after': '1' }, body: [{ message: 'Too many requests', errorCode: 'REQUEST_LIMIT_EXCEEDED' }] },
      { status: 503, raw: 'Service Unavailable' });
    const run = await runCli(['collect', 'salesforce', '--out', ws, '--endpoint', server.url, '--import']);
    expect(run.err).not.toContain('internal error');
    expect(run.code).toBe(0);
    expect(run.out).toContain('waited out 1 rate limit and retried 1 transient failure');
    expect(run.out).toContain('0 failed');
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);

    const folder = join(ws, 'exports/salesforce', ORG);
    const written = filesUnder(folder);
    expect(written).toEqual([
      'AppMenuItem-2.json', 'AppMenuItem.json', 'ConnectedApplication-2.json', 'ConnectedApplication.json',
      'OauthToken-2.json', 'OauthToken.json', 'ObjectPermissions-2.json', 'ObjectPermissions-3.json', 'ObjectPermissions-4.json',
      'ObjectPermissions-5.json', 'ObjectPermissions-6.json', 'ObjectPermissions.json', 'Organization.json',
      'PermissionSet-2.json', 'PermissionSet-3.json', 'PermissionSet.json', 'PermissionSetAssignment-2.json', 'PermissionSetAssignment.json',
      'Profile-2.json', 'Profile.json', 'SetupAuditTrail-2.json', 'SetupAuditTrail.json', 'SetupEntityAccess.json',
      'User-2.json', 'User-3.json', 'User.json',
    ]);
    const tokens = JSON.parse(readFileSync(join(folder, 'OauthToken.json'), 'utf8')) as { records: Row[] };
    // The refresh token, authorization code and revocation handle are never selected.
    expect(tokens.records.flatMap((r) => Object.keys(r)).filter((k) => /^(AccessToken|RequestToken|DeleteToken)$/.test(k))).toEqual([]);
    for (const file of [...written.map((f) => join(folder, f)), join(ws, 'collect-state.json')]) {
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(PLANTED);
    }
    expect(run.out + run.err).not.toContain(TOKEN);

    const expected = tempDir('blastmap-collect-salesforce-expected-');
    try {
      const copy = join(expected, 'exports/salesforce', ORG);
      mkdirSync(copy, { recursive: true });
      cpSync(FIXTURE, copy, { recursive: true });
      rmSync(join(copy, 'secret-findings.json'));
      writeFileSync(join(copy, 'User.json'), JSON.stringify(records.get('User')));
      expect(graphOf(ws).nodes.map((n) => n.id).sort()).toEqual(graphOf(expected).nodes.map((n) => n.id).sort());
      expect(edgeKeys(ws)).toEqual(edgeKeys(expected));
    } finally {
      rmSync(expected, { recursive: true, force: true });
    }
  });

  it('reports an object the user may not see and a malformed page, names the permission, and imports the rest', async () => {
    const run0 = await runCli(['collect', 'salesforce', '--out', ws, '--endpoint', server.url]);
    expect(run0.code).toBe(0);
    // Again, from nothing: the tenant query, Organization, then OauthToken denied and ConnectedApplication malformed.
    server.fail(QUERY, { body: { totalSize: 1, done: true, records: [{ attributes: { type: 'Organization' }, Id: ORG }] } },
      { body: records.get('Organization') },
      { status: 400, body: [{ message: "sObject type 'OauthToken' is not supported.", errorCode: 'INVALID_TYPE' }] },
      { raw: '{"totalSize": 3, "done": false, "records": [' });
    const run = await runCli(['collect', 'salesforce', '--out', ws, '--endpoint', server.url]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/OauthToken: HTTP 400 INVALID_TYPE: sObject type 'OauthToken' is not supported\. \(needs Customize Application/);
    expect(run.out).toMatch(/ConnectedApplication: ConnectedApplication page 1: the answer is not JSON/);
    const written = filesUnder(join(ws, 'exports/salesforce', ORG));
    expect(written.some((f) => f.startsWith('OauthToken') || f.startsWith('ConnectedApplication'))).toBe(false);
    const edges = edgeKeys(ws);
    // Without the tokens nothing holds a refresh token; the users, profiles and their reach are all there.
    expect(edges.filter((e) => e.includes(':credential:'))).toEqual([]);
    expect(edges.some((e) => e.startsWith('HAS_ROLE ') && e.includes(sf('role', 'profile/')))).toBe(true);
  });
});

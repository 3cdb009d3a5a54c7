// The Salesforce importer: SOQL query results (no public sample exists, so the fixture is built from the
// Salesforce Object Reference pages of OauthToken, ConnectedApplication, AppMenuItem, User, Profile, PermissionSet,
// PermissionSetAssignment, ObjectPermissions, SetupEntityAccess, SetupAuditTrail and Organization, and the REST
// API's query envelope {totalSize, done, nextRecordsUrl, records[].attributes}) become connected apps, the refresh
// tokens they hold, the users those act as, and what those users' profiles and permission sets reach.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRawFiles } from '../../cli/commands/import.ts';
import { reach } from '../../engine/analysis/reach.ts';
import { edgeSchema, nodeSchema, type Fragment, type GraphEdge, type GraphNode } from '../../engine/format/native.ts';
import { finishFragment } from '../../engine/format/validate.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { buildGraph, toFragment } from '../../engine/store/compact.ts';
import type { ImporterOptions, ImporterResult } from '../../importers/common/importer.ts';
import type { RawFile } from '../../importers/common/records.ts';
import { findImporter } from '../../importers/registry.ts';
import { salesforceImporter } from '../../importers/salesforce/index.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';

const FIXTURE = join(REPO, 'test/fixtures/salesforce/org');
const ORG = '00DHs0000000001IAQ';
const s = (kind: string, native: string): string => `salesforce:${ORG.toLowerCase()}:${kind}:${native}`;
const sid = (prefix: string, n: number): string => `${prefix}Hs0000${String(n).padStart(6, '0')}IAQ`;
const USERS = { iris: sid('005', 1), dana: sid('005', 2), drift: sid('005', 3), victor: sid('005', 4), pat: sid('005', 5) };
const user = (name: keyof typeof USERS): string => s('identity', USERS[name]);
const APPS = { drift: s('app', sid('0H4', 1)), inkpact: s('app', sid('0H4', 2)), signflow: s('app', sid('0H4', 3)) };
const DRIFT_TOKEN = s('credential', `oauth-token/${sid('0H4', 1)}/${USERS.drift}/2024-03-12T16:22:05.000Z`);
const PLATFORM = s('platform', 'org');
const object = (key: string): string => s('resource', key);
const DRIFT_SET = s('role', `permission-set/${sid('0PS', 5)}`);
const ADMIN_PROFILE = s('role', `profile/${sid('00e', 1)}`);

const run = (files: readonly RawFile[], options: ImporterOptions = {}): ImporterResult => salesforceImporter.transform(files, options);
function imported(files: readonly RawFile[], options: ImporterOptions = {}) {
  const result = run(files, options);
  if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.issues, null, 2)}`);
  return result;
}
const fixtureFiles = (): RawFile[] => readRawFiles([FIXTURE]);
const fixture = () => imported(fixtureFiles());
const without = (...names: string[]): RawFile[] => fixtureFiles().filter((f) => !names.includes(f.path));
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
const page = (records: object[]) => JSON.stringify({ totalSize: records.length, done: true, records });
const orgFile = { path: 'Organization.json', text: page([{ attributes: { type: 'Organization' }, Id: ORG, Name: 'Fabrikam Inc' }]) };

describe('the Salesforce importer is registered', () => {
  it('answers to `blastmap import salesforce`', () => {
    expect(findImporter('salesforce')).toBe(salesforceImporter);
  });
});

describe('the org and its standard objects', () => {
  it('the org comes from Organization.json; Cases, Accounts, Contacts, Opportunities, Leads, Contracts and Users always exist', () => {
    const { fragment, report } = fixture();
    expect(node(fragment, PLATFORM)).toMatchObject({ kind: 'Platform', name: 'Fabrikam Inc (Salesforce)', vendor: 'Salesforce', properties: { orgId: ORG, instance: 'NA224', edition: 'Enterprise Edition', sandbox: false } });
    expect(edgeKeys(fragment, { from: PLATFORM, kind: 'CONTAINS' })).toEqual(['accounts', 'cases', 'contacts', 'contracts', 'leads', 'opportunities', 'users'].map((k) => `CONTAINS ${PLATFORM} -> ${object(k)}`));
    expect(node(fragment, object('cases'))).toMatchObject({ name: 'Cases', resourceType: 'crm-object', tags: ['pii', 'customer'], properties: { sObject: 'Case' } });
    expect(report.records).toMatchObject({ OauthToken: 4, User: 5, Profile: 4, PermissionSet: 6, ObjectPermissions: 12 });
    expect(report.ignoredFiles).toEqual([]);
  });

  it('with only --tenant and no data the org and its object sets still exist, so findings can attach to cases', () => {
    const { fragment } = imported([{ path: 'OauthToken.json', text: page([]) }], { tenant: ORG });
    expect(fragment.nodes.map((n) => n.id).sort()).toEqual([PLATFORM, ...['accounts', 'cases', 'contacts', 'contracts', 'leads', 'opportunities', 'users'].map(object)].sort());
  });
});

describe('connected apps and OAuth tokens', () => {
  it('each OauthToken row is a refresh token held by its connected app, acting as its user, who consented', () => {
    const { fragment } = fixture();
    expect(node(fragment, DRIFT_TOKEN)).toMatchObject({
      kind: 'Credential', type: 'refresh-token', name: 'Drift refresh token of drift.integration@fabrikam.example',
      createdAt: '2024-03-12T16:22:05.000Z', lastUsedAt: '2026-10-31T05:48:31.000Z', properties: { useCount: 18231, appName: 'Drift', userId: USERS.drift },
    });
    expect(edgeKeys(fragment, { to: DRIFT_TOKEN })).toEqual([`HOLDS ${APPS.drift} -> ${DRIFT_TOKEN}`]);
    expect(edgeKeys(fragment, { from: DRIFT_TOKEN })).toEqual([`AUTHENTICATES_AS ${DRIFT_TOKEN} -> ${user('drift')}`]);
    expect(edges(fragment, { kind: 'CONSENTED', from: user('drift') })).toEqual([expect.objectContaining({ to: APPS.drift, grant: DRIFT_TOKEN })]);
  });

  it('tokens join their connected app through AppMenuItem, even when ApplicationId is the 15-character id', () => {
    const { fragment } = fixture();
    expect(node(fragment, APPS.drift)).toMatchObject({
      kind: 'App', name: 'Drift',
      properties: { connectedAppId: sid('0H4', 1), appMenuItemId: sid('02u', 1), adminApprovedUsersOnly: false, refreshTokenExpiresOn: 'age', authorizedProfilesAndPermissionSets: ['Permission set: Drift Integration'] },
    });
    expect(node(fragment, APPS.inkpact).properties).toMatchObject({ namespacePrefix: 'inkp', adminApprovedUsersOnly: true, refreshTokenValidityPeriod: 90, refreshTokenExpiresOn: 'inactivity' });
    expect(fragment.nodes.filter((n) => n.kind === 'App').map((n) => n.id).sort()).toEqual([...Object.values(APPS), s('app', `menu/${sid('02u', 7)}`)].sort());
  });

  it('a token whose menu item is not exported keys its app by the menu item id, and says so', () => {
    const { fragment, report } = fixture();
    expect(node(fragment, s('app', `menu/${sid('02u', 7)}`))).toMatchObject({ name: 'Mystery Sync' });
    expect(report.notes.join('\n')).toContain('tokens whose app menu item is not in AppMenuItem.json');
  });

  it('the setup audit trail records the last policy change on the app, and an installation as consent', () => {
    const { fragment } = fixture();
    expect(node(fragment, APPS.drift).properties).toMatchObject({ lastPolicyChangeAt: '2024-03-12T16:10:00.000Z', lastPolicyChangeBy: 'iris.admin@fabrikam.example', policyChanges: 1 });
    expect(String(node(fragment, APPS.drift).properties?.lastPolicyChange)).toContain('All users may self-authorize');
    const consents = edges(fragment, { kind: 'CONSENTED', from: user('iris') }).map((e) => `${e.to} ${e.grant ?? 'audit'}`).sort();
    // Iris installed InkPact (audit) and granted it a token; changing Drift's policy is not consent.
    expect(consents).toEqual([`${APPS.inkpact} audit`, `${APPS.inkpact} ${s('credential', `oauth-token/${sid('0H4', 2)}/${USERS.iris}/2024-09-03T11:00:00.000Z`)}`]);
  });

  it('AccessToken, RequestToken and DeleteToken never reach the fragment nor the snapshot', async () => {
    const raw = readFileSync(join(FIXTURE, 'OauthToken.json'), 'utf8');
    expect(raw).toContain('"AccessToken": "EXAMPLE-access-1');
    expect(raw).toContain('"RequestToken": "EXAMPLE-request-1"');
    const text = JSON.stringify(fixture().fragment);
    expect(text).not.toContain('EXAMPLE');
    expect(text).not.toMatch(/AccessToken|RequestToken|DeleteToken/);
    const snapshot = join(tempDir(), 'graph.bmap');
    const result = await runCli(['import', 'salesforce', FIXTURE, '--graph', snapshot]);
    expect(result.code, result.err).toBe(0);
    expect(readFileSync(snapshot).toString('latin1')).not.toContain('EXAMPLE');
  });
});

describe('users, profiles and permission sets', () => {
  it('users carry email and userName; inactive users are disabled; API-only users are service identities', () => {
    const { fragment } = fixture();
    expect(node(fragment, user('iris'))).toMatchObject({ subtype: 'human', email: 'iris.admin@fabrikam.example', enabled: true, properties: { userName: 'iris.admin@fabrikam.example', profile: 'System Administrator', lastLoginDate: '2026-10-30T08:00:00.000Z' } });
    expect(node(fragment, user('victor')).enabled).toBe(false);
    expect(node(fragment, user('drift'))).toMatchObject({ subtype: 'service', email: 'it-integrations@fabrikam.example', properties: { userName: 'drift.integration@fabrikam.example', apiOnly: true } });
  });

  it('users hold their profile and assigned permission sets; a profile\'s own permission set is the profile', () => {
    const { fragment } = fixture();
    expect(edgeKeys(fragment, { from: user('drift'), kind: 'HAS_ROLE' })).toEqual([`HAS_ROLE ${user('drift')} -> ${DRIFT_SET}`, `HAS_ROLE ${user('drift')} -> ${s('role', `profile/${sid('00e', 3)}`)}`]);
    expect(edgeKeys(fragment, { from: user('iris'), kind: 'HAS_ROLE' })).toEqual([`HAS_ROLE ${user('iris')} -> ${ADMIN_PROFILE}`]);
    expect(fragment.nodes.some((n) => n.id === s('role', `permission-set/${sid('0PS', 1)}`))).toBe(false);
  });

  it('View All Data, Modify All Data and Manage Users reach the whole org; the org manages every user', () => {
    const { fragment } = fixture();
    expect(node(fragment, ADMIN_PROFILE)).toMatchObject({ name: 'Profile: System Administrator', privileged: true });
    expect(edges(fragment, { from: ADMIN_PROFILE }).map((e) => `${e.kind} ${e.to} ${e.scopes?.join(',')}`).sort()).toEqual([
      `CAN_ADMIN ${PLATFORM} PermissionsManageUsers`,
      `CAN_READ ${PLATFORM} PermissionsViewAllData`,
      `CAN_WRITE ${PLATFORM} PermissionsModifyAllData`,
    ]);
    expect(edges(fragment, { from: PLATFORM, kind: 'MANAGES' }).map((e) => e.to).sort()).toEqual(Object.values(USERS).map((id) => s('identity', id)).sort());
  });

  it('object permissions reach the object sets at read or write; other objects are noted, not modelled', () => {
    const { fragment, report } = fixture();
    expect(edges(fragment, { from: DRIFT_SET }).map((e) => `${e.kind} ${e.to} ${e.scopes?.join(',')}`).sort()).toEqual([
      `CAN_READ ${object('accounts')} PermissionsRead`,
      `CAN_READ ${object('contacts')} PermissionsRead`,
      `CAN_READ ${object('opportunities')} PermissionsRead`,
      `CAN_READ ${object('users')} PermissionsRead`,
      `CAN_WRITE ${object('cases')} PermissionsEdit,PermissionsRead`,
    ]);
    expect(report.notes.join('\n')).toContain('1 object permissions on objects other than the standard object sets');
    expect(fragment.edges.some((e) => e.assumed)).toBe(false);
  });

  it('without ObjectPermissions.json, API-enabled roles are assumed to read Cases, Accounts, Contacts, Opportunities and Users', () => {
    const { fragment, report } = imported(without('ObjectPermissions.json'));
    const standard = s('role', `profile/${sid('00e', 4)}`);
    expect(edges(fragment, { from: standard }).map((e) => `${e.kind} ${e.to} ${e.assumed}`).sort()).toEqual(['accounts', 'cases', 'contacts', 'opportunities', 'users'].map((k) => `CAN_READ ${object(k)} true`));
    // Support has no API access: the approximation gives it nothing.
    expect(edges(fragment, { from: s('role', `profile/${sid('00e', 2)}`) })).toEqual([]);
    expect(report.notes.join('\n')).toContain('assumed to read Cases');
  });
});

describe('secret findings', () => {
  it('a credential found in a case hangs under Cases and points at the other platform\'s credential through a stub', () => {
    const { fragment } = fixture();
    const record = s('resource', `case/${sid('500', 1337)}`);
    expect(node(fragment, record)).toMatchObject({ name: 'Case 00001337: nightly export failing', resourceType: 'crm-record' });
    expect(edgeKeys(fragment, { to: record })).toEqual([`CONTAINS ${object('cases')} -> ${record}`]);
    expect(edges(fragment, { from: record })).toEqual([expect.objectContaining({ kind: 'CONTAINS_CREDENTIAL', to: 'aws:*:credential:user/svc-data-export/access-key-2', properties: { field: 'CaseComment.CommentBody', detector: 'aws-access-key' } })]);
    expect(edgeKeys(fragment, { kind: 'CONTAINS_CREDENTIAL', to: 'snowflake:*:credential:pat/svc_reporting/dashboards' })).toHaveLength(1);
  });

  it('the Drift token reaches the key pasted in a case (Drift read Cases through its integration user); the inactive user\'s token reaches nothing', () => {
    const { fragment } = fixture();
    const graph = buildGraph(fragment);
    const fromDrift = reach(graph, [graph.indexOf.get(APPS.drift)!]);
    expect(fromDrift.level[graph.indexOf.get(object('cases'))!]).toBe(2);
    expect(fromDrift.level[graph.indexOf.get('aws:*:credential:user/svc-data-export/access-key-2')!]).toBe(3);
    expect(fromDrift.level[graph.indexOf.get(PLATFORM)!]).toBe(0);
    const fromSignflow = reach(graph, [graph.indexOf.get(APPS.signflow)!]);
    expect(fromSignflow.level[graph.indexOf.get(object('opportunities'))!]).toBe(0);
  });
});

describe('validation and idempotence', () => {
  it('a missing required field fails with file and JSON path; --lenient skips the record and reports it', () => {
    const bad = { path: 'OauthToken.json', text: page([{ attributes: { type: 'OauthToken' }, AppName: 'Drift', UserId: USERS.drift }, { attributes: { type: 'OauthToken' }, AppName: 'Broken' }]) };
    const strict = run([orgFile, bad]);
    expect(!strict.ok && strict.issues).toEqual([expect.objectContaining({ file: 'OauthToken.json', path: '$.records[1].UserId' })]);
    const lenient = imported([orgFile, bad], { lenient: true });
    expect(lenient.report.skipped.map((i) => `${i.file} ${i.path}`)).toEqual(['OauthToken.json $.records[1].UserId']);
    expect(lenient.fragment.nodes.filter((n) => n.kind === 'App').map((n) => n.name)).toEqual(['Drift']);
  });

  it('a failed query saved as the REST error array is an error naming the file', () => {
    const result = run([orgFile, { path: 'User.json', text: JSON.stringify([{ message: "No such column 'Foo' on entity 'User'", errorCode: 'INVALID_FIELD' }]) }]);
    expect(!result.ok && result.issues).toEqual([expect.objectContaining({ file: 'User.json', path: '$[0].errorCode', found: "INVALID_FIELD: No such column 'Foo' on entity 'User'" })]);
  });

  it('pages of one object are read together; a page missing against totalSize is noted', () => {
    const { report } = fixture();
    expect(report.records.User).toBe(5);
    expect(report.notes.join('\n')).not.toContain('totalSize');
    const { report: partial } = imported(without('User-2.json'));
    expect(partial.notes.join('\n')).toContain('User: the query reported totalSize 5 but 3 records were saved');
  });

  it('without Organization.json or --tenant there is no org; a --tenant that contradicts the export is refused, its 15-character form accepted', () => {
    const none = run([{ path: 'OauthToken.json', text: page([]) }]);
    expect(!none.ok && none.issues[0]).toMatchObject({ message: 'no org id' });
    const clash = run([orgFile], { tenant: '00DHs0000000999IAQ' });
    expect(!clash.ok && clash.issues[0]).toMatchObject({ file: 'Organization.json', path: '$.records[0].Id', message: '--tenant does not match the export' });
    expect(imported([orgFile], { tenant: ORG.slice(0, 15) }).fragment.nodes.some((n) => n.id === PLATFORM)).toBe(true);
  });

  it('every node and edge is valid native format, and importing twice (files in any order) gives the same graph', () => {
    const { fragment } = fixture();
    const nodes = nodeSchema();
    const edgeShape = edgeSchema();
    for (const n of fragment.nodes) expect(nodes.safeParse(n).success, n.id).toBe(true);
    for (const e of fragment.edges) expect(edgeShape.safeParse(e).success, `${e.kind} ${e.from} ${e.to}`).toBe(true);
    expect(imported([...fixtureFiles()].reverse()).fragment).toEqual(fragment);
    const once = assembleGraph([sourced(fragment)]).graph;
    expect(toFragment(assembleGraph([sourced(fragment)], once).graph)).toEqual(toFragment(once));
  });
});

describe('blastmap import salesforce, end to end', () => {
  it('the Drift connected app reaches cases at write, accounts at read, and the AWS key pasted in a case, but not the org', async () => {
    const snapshot = join(tempDir(), 'graph.bmap');
    const result = await runCli(['import', 'salesforce', FIXTURE, '--graph', snapshot]);
    expect(result.code, result.err).toBe(0);
    const radius = await runCli(['radius', APPS.drift, '--graph', snapshot, '--format', 'json', '--paths', '--at', '2026-11-01']);
    expect(radius.code, radius.err).toBe(0);
    const parsed = JSON.parse(radius.out) as { reached: { id: string; level: string; path: { kind: string }[] }[] };
    const level = (id: string) => parsed.reached.find((r) => r.id === id)?.level;
    expect(level(object('cases'))).toBe('write');
    expect(level(object('accounts'))).toBe('read');
    expect(level(object('leads'))).toBeUndefined();
    expect(level(PLATFORM)).toBeUndefined();
    const key = parsed.reached.find((r) => r.id === 'aws:*:credential:user/svc-data-export/access-key-2');
    expect(key?.level).toBe('admin');
    expect(key!.path.map((step) => step.kind)).toEqual(['HOLDS', 'AUTHENTICATES_AS', 'HAS_ROLE', 'CAN_WRITE', 'CONTAINS', 'CONTAINS_CREDENTIAL']);
  });
});

describe("connected apps' OAuth scopes (Metadata API definitions)", () => {
  const DEFINITIONS = join(REPO, 'test/fixtures/salesforce/connected-apps');
  const withDefinitions = () => imported([...fixtureFiles(), ...readRawFiles([DEFINITIONS])]);
  const tokenOf = (fragment: Fragment, app: string): GraphEdge => {
    const holds = edges(fragment, { kind: 'HOLDS', from: app });
    expect(holds).toHaveLength(1);
    return edges(fragment, { kind: 'AUTHENTICATES_AS', from: holds[0]!.to })[0]!;
  };

  it('reads each app\'s scopes by their Metadata API names, joins the definition by API name or label, and puts the OAuth scopes on its tokens', () => {
    const { fragment, report } = withDefinitions();
    expect(report.records.ConnectedAppMetadata).toBe(4);
    expect(node(fragment, APPS.drift).properties).toMatchObject({ oauthScopes: ['api', 'refresh_token'], clientId: '3MVG9EXAMPLEdriftConsumerKey.public.client.id' });
    // InkPact joins by its API name (AppMenuItem.Name InkPact_eSign); CustomApplications is the visualforce scope.
    expect(node(fragment, APPS.inkpact).properties).toMatchObject({ oauthScopes: ['openid', 'refresh_token', 'visualforce'] });
    // A list of one comes back from the Metadata API as a bare string.
    expect(node(fragment, APPS.signflow).properties).toMatchObject({ oauthScopes: ['id'] });
    expect(tokenOf(fragment, APPS.drift)).toMatchObject({ scopes: ['api', 'refresh_token'] });
    expect(tokenOf(fragment, APPS.signflow)).toMatchObject({ scopes: ['id'] });
    // The consumer secret and the other definition fields are not read.
    expect(JSON.stringify(fragment)).not.toMatch(/callbackUrl|ipRelaxation/);
    // A scope no catalogue knows is reported with its assumed level (and keeps the whole user, below).
    expect(report.unknownScopes).toEqual([{ scope: 'FutureScope', count: 1, assumedLevel: 'admin' }]);
  });

  it('the scopes narrow what a token reaches: api keeps the Drift user\'s reach, a sign-in scope reaches nothing, an unknown scope is the whole user', () => {
    const plain = buildGraph(fixture().fragment);
    const scoped = buildGraph(withDefinitions().fragment);
    const levels = (graph: ReturnType<typeof buildGraph>, app: string, ids: string[]) => {
      const result = reach(graph, [graph.indexOf.get(app)!]);
      return ids.map((id) => result.level[graph.indexOf.get(id)!]);
    };
    const key = 'aws:*:credential:user/svc-data-export/access-key-2';
    // Drift (api, refresh_token): the same reach as its user's, the pasted key included; still not the org.
    expect(levels(scoped, APPS.drift, [object('cases'), object('accounts'), key, PLATFORM])).toEqual(levels(plain, APPS.drift, [object('cases'), object('accounts'), key, PLATFORM]));
    expect(levels(scoped, APPS.drift, [object('cases'), key])).toEqual([2, 3]);
    // The same Drift token, had its app allowed only the identity scope, signs its user in and reads no record.
    const definitions = JSON.parse(readRawFiles([DEFINITIONS])[0]!.text) as { fullName: string; oauthConfig: { scopes: unknown } }[];
    definitions.find((d) => d.fullName === 'Drift')!.oauthConfig.scopes = ['Basic', 'RefreshToken'];
    const signInOnly = buildGraph(imported([...fixtureFiles(), { path: 'ConnectedApp-metadata.json', text: JSON.stringify(definitions) }]).fragment);
    expect(STANDARD_KEYS.some((k) => levels(plain, APPS.drift, [object(k)])[0]! > 0)).toBe(true);
    expect(STANDARD_KEYS.map((k) => levels(signInOnly, APPS.drift, [object(k)])[0])).toEqual(STANDARD_KEYS.map(() => 0));
    expect(levels(signInOnly, APPS.drift, [key])).toEqual([0]);
    // Mystery Sync's unknown scope keeps the conservative reading: whatever its user reaches.
    const mystery = fixture().fragment.nodes.find((n) => n.kind === 'App' && n.name === 'Mystery Sync')!.id;
    expect(STANDARD_KEYS.map((k) => levels(scoped, mystery, [object(k)])[0])).toEqual(STANDARD_KEYS.map((k) => levels(plain, mystery, [object(k)])[0]));
  });

  it('a definition that names no app of the other files becomes an app of its own, and is noted', () => {
    const files = [orgFile, ...readRawFiles([DEFINITIONS])];
    const { fragment, report } = imported(files);
    expect(fragment.nodes.filter((n) => n.kind === 'App').map((n) => n.name).sort()).toEqual(['Drift', 'InkPact eSign', 'Mystery Sync', 'SignFlow for Salesforce']);
    expect(report.notes.join('\n')).toMatch(/connected app definitions \(Metadata API\) naming no app/);
  });
});

const STANDARD_KEYS = ['cases', 'accounts', 'contacts', 'opportunities', 'leads', 'contracts', 'users'];

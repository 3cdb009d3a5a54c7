// The google-workspace importer on real samples (../shared/corpus/google, from cartography's test data) and on
// a hand-made export of the fictional northwind.example tenant (test/fixtures/google-workspace), built from the
// Admin SDK references: Directory API users.list and tokens.list, Reports API activities.list with
// applicationName=token (OAuth Token Audit activity events: authorize, revoke, activity), and the Admin console's
// domain-wide delegation page (no read API).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRawFiles, runImporter } from '../../cli/commands/import.ts';
import type { InputIssue } from '../../engine/errors.ts';
import { edgeSchema, nodeSchema, type Fragment, type GraphEdge, type GraphNode } from '../../engine/format/native.ts';
import { reach } from '../../engine/analysis/reach.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { stubNode } from '../../engine/store/link.ts';
import { toFragment } from '../../engine/store/compact.ts';
import { encodeSnapshot } from '../../engine/store/snapshot.ts';
import type { ImporterResult } from '../../importers/common/importer.ts';
import type { RawFile } from '../../importers/common/records.ts';
import { scopeCatalogSchema } from '../../importers/common/scopes.ts';
import { googleWorkspaceImporter, transformWorkspace } from '../../importers/google-workspace/index.ts';
import { eventScopes, parameterValues } from '../../importers/google-workspace/read.ts';
import { activitySchema } from '../../importers/google-workspace/schema.ts';
import { runCli, REPO, tempDir } from '../helpers/cli.ts';

/** A PEM private-key header, assembled so that no secret-shaped literal sits in the repository. */
const PEM_HEADER = ['-----BEGIN', 'PRIVATE', 'KEY-----'].join(' ');

const CORPUS = resolve(REPO, '../shared/corpus/google');
const FIXTURE = join(REPO, 'test/fixtures/google-workspace');
const A = 'https://www.googleapis.com/auth/';
const N = 'google-workspace:northwind.example';

const corpusFile = (name: string): RawFile => ({ path: name, text: readFileSync(join(CORPUS, name), 'utf8') });
const fixture = (): RawFile[] => readRawFiles([FIXTURE]);

function ok(result: ImporterResult): Extract<ImporterResult, { ok: true }> {
  if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.issues, null, 2)}`);
  return result;
}
const triples = (fragment: Fragment): string[] => fragment.edges.map((e) => `${e.kind} ${e.from} -> ${e.to}`).sort();
const node = (fragment: Fragment, id: string): GraphNode => {
  const found = fragment.nodes.find((n) => n.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
};
const edgesFrom = (fragment: Fragment, from: string): GraphEdge[] => fragment.edges.filter((e) => e.from === from);
const edge = (fragment: Fragment, kind: string, from: string, to: string): GraphEdge | undefined => fragment.edges.find((e) => e.kind === kind && e.from === from && e.to === to);
const sourced = (fragment: Fragment) => ({ fragment, provenance: { nodePaths: fragment.nodes.map((n) => n.id), edgePaths: fragment.edges.map((e) => e.from) }, redactions: 0 });

describe('google-workspace: the corpus samples', () => {
  const S = 'google-workspace:simpson.corp';
  const result = ok(transformWorkspace([corpusFile('admin-directory-users-list.cartography.json'), corpusFile('admin-directory-tokens-by-user.cartography.json')], {}));

  it('maps users.list pages and the user -> tokens map to exactly these nodes', () => {
    expect(result.fragment.nodes.map((n) => `${n.kind} ${n.id}`).sort()).toEqual([
      `App ${S}:app:123456789.apps.googleusercontent.com`,
      `App ${S}:app:987654321.apps.googleusercontent.com`,
      `Credential ${S}:credential:oauth-grant/hjsimpson@simpson.corp/123456789.apps.googleusercontent.com`,
      `Credential ${S}:credential:oauth-grant/mbsimpson@simpson.corp/123456789.apps.googleusercontent.com`,
      `Credential ${S}:credential:oauth-grant/mbsimpson@simpson.corp/987654321.apps.googleusercontent.com`,
      `Identity ${S}:identity:hjsimpson@simpson.corp`,
      `Identity ${S}:identity:mbsimpson@simpson.corp`,
      `Platform ${S}:platform:simpson.corp`,
      `Resource ${S}:resource:all/calendar`,
      `Resource ${S}:resource:calendar/mbsimpson@simpson.corp`,
      `Resource ${S}:resource:directory`,
      `Resource ${S}:resource:profile/hjsimpson@simpson.corp`,
      `Resource ${S}:resource:profile/mbsimpson@simpson.corp`,
      `Role ${S}:role:super-admin`,
    ]);
    expect(result.report.records).toEqual({ users: 2, tokens: 3 });
  });

  it('maps them to exactly these edges: grants held by apps, scope authority, the admin role, the directory', () => {
    const slackHomer = `${S}:credential:oauth-grant/hjsimpson@simpson.corp/123456789.apps.googleusercontent.com`;
    const slackMarge = `${S}:credential:oauth-grant/mbsimpson@simpson.corp/123456789.apps.googleusercontent.com`;
    const calendarMarge = `${S}:credential:oauth-grant/mbsimpson@simpson.corp/987654321.apps.googleusercontent.com`;
    const homer = `${S}:identity:hjsimpson@simpson.corp`;
    const marge = `${S}:identity:mbsimpson@simpson.corp`;
    expect(triples(result.fragment)).toEqual([
      `CAN_ADMIN ${calendarMarge} -> ${S}:resource:calendar/mbsimpson@simpson.corp`,
      `CAN_ADMIN ${homer} -> ${S}:resource:profile/hjsimpson@simpson.corp`,
      `CAN_ADMIN ${marge} -> ${S}:resource:calendar/mbsimpson@simpson.corp`,
      `CAN_ADMIN ${marge} -> ${S}:resource:profile/mbsimpson@simpson.corp`,
      `CAN_ADMIN ${S}:role:super-admin -> ${S}:platform:simpson.corp`,
      `CAN_READ ${slackHomer} -> ${S}:resource:profile/hjsimpson@simpson.corp`,
      `CAN_READ ${slackMarge} -> ${S}:resource:profile/mbsimpson@simpson.corp`,
      `CONSENTED ${homer} -> ${S}:app:123456789.apps.googleusercontent.com`,
      `CONSENTED ${marge} -> ${S}:app:123456789.apps.googleusercontent.com`,
      `CONSENTED ${marge} -> ${S}:app:987654321.apps.googleusercontent.com`,
      `CONTAINS ${S}:platform:simpson.corp -> ${S}:resource:all/calendar`,
      `CONTAINS ${S}:platform:simpson.corp -> ${S}:resource:directory`,
      `CONTAINS ${S}:resource:all/calendar -> ${S}:resource:calendar/mbsimpson@simpson.corp`,
      `CONTAINS ${S}:resource:directory -> ${S}:resource:profile/hjsimpson@simpson.corp`,
      `CONTAINS ${S}:resource:directory -> ${S}:resource:profile/mbsimpson@simpson.corp`,
      `HAS_ROLE ${marge} -> ${S}:role:super-admin`,
      `HOLDS ${S}:app:123456789.apps.googleusercontent.com -> ${slackHomer}`,
      `HOLDS ${S}:app:123456789.apps.googleusercontent.com -> ${slackMarge}`,
      `HOLDS ${S}:app:987654321.apps.googleusercontent.com -> ${calendarMarge}`,
      `INSTALLED_IN ${S}:app:123456789.apps.googleusercontent.com -> ${S}:platform:simpson.corp`,
      `INSTALLED_IN ${S}:app:987654321.apps.googleusercontent.com -> ${S}:platform:simpson.corp`,
      `MANAGES ${S}:resource:directory -> ${homer}`,
      `MANAGES ${S}:resource:directory -> ${marge}`,
    ]);
  });

  it('takes the tenant from the administrators\' primary domain and keeps the customer id', () => {
    expect(node(result.fragment, `${S}:platform:simpson.corp`)).toMatchObject({ tenant: 'simpson.corp', properties: { customerId: 'customer-123' } });
  });
});

describe('google-workspace: users', () => {
  const { fragment } = ok(transformWorkspace(fixture(), {}));

  it('keys each user by lower-case primary email, with enabled, 2SV and admin facts', () => {
    expect(node(fragment, `${N}:identity:ada@northwind.example`)).toMatchObject({
      kind: 'Identity', subtype: 'human', name: 'Ada Lovelace', email: 'ada@northwind.example', enabled: true, mfa: true,
      properties: { googleId: '100000000000000000001', isAdmin: true, orgUnitPath: '/', lastLoginTime: '2025-10-30T08:00:00.000Z' },
    });
    expect(node(fragment, `${N}:identity:ben@northwind.example`)).toMatchObject({ enabled: true, mfa: false, properties: { isAdmin: false, orgUnitPath: '/Sales' } });
    expect(node(fragment, `${N}:identity:cleo@northwind.example`)).toMatchObject({ enabled: false, properties: { suspended: true, suspensionReason: 'ADMIN' } });
  });

  it('reads a last login at the Unix epoch as never signed in', () => {
    const eve = node(fragment, `${N}:identity:eve@northwind.example`);
    expect(eve.properties).toMatchObject({ neverSignedIn: true });
    expect(eve.properties?.lastLoginTime).toBeUndefined();
  });

  it('gives super administrators a privileged Super Admin role with admin on the tenant', () => {
    expect(node(fragment, `${N}:role:super-admin`)).toMatchObject({ kind: 'Role', privileged: true });
    expect(edge(fragment, 'CAN_ADMIN', `${N}:role:super-admin`, `${N}:platform:northwind.example`)).toBeDefined();
    expect(fragment.edges.filter((e) => e.kind === 'HAS_ROLE').map((e) => e.from)).toEqual([`${N}:identity:ada@northwind.example`]);
  });

  it('lets the administrator of the users directory take over every user', () => {
    const managed = fragment.edges.filter((e) => e.kind === 'MANAGES' && e.from === `${N}:resource:directory`).map((e) => e.to).sort();
    expect(managed).toEqual(['ada', 'ben', 'cleo', 'dan', 'eve'].map((u) => `${N}:identity:${u}@northwind.example`));
    expect(edge(fragment, 'CONTAINS', `${N}:platform:northwind.example`, `${N}:resource:directory`)).toBeDefined();
  });

  it('says which domains compete when the primary domain is ambiguous, and accepts --tenant', () => {
    const users = JSON.stringify({ users: [
      { id: '1', primaryEmail: 'a@one.example', isAdmin: true },
      { id: '2', primaryEmail: 'b@two.example', isAdmin: true },
    ] });
    const result = transformWorkspace([{ path: 'users.json', text: users }], {});
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues[0]).toMatchObject({ file: 'users.json', message: 'cannot tell the primary domain', found: 'several: one.example, two.example' });
    const chosen = ok(transformWorkspace([{ path: 'users.json', text: users }], { tenant: 'One.example' }));
    expect(chosen.fragment.nodes.every((n) => n.tenant === 'one.example')).toBe(true);
  });
});

describe('google-workspace: OAuth grants', () => {
  const { fragment, report } = ok(transformWorkspace(fixture(), {}));
  const mailMerge = `${N}:app:401234567890-mailmerge.apps.googleusercontent.com`;
  const benMailMerge = `${N}:credential:oauth-grant/ben@northwind.example/401234567890-mailmerge.apps.googleusercontent.com`;

  it('makes one app per client id that holds one grant per user', () => {
    expect(node(fragment, mailMerge)).toMatchObject({ kind: 'App', name: 'MailMerge Pro', thirdParty: true, properties: { clientId: '401234567890-mailmerge.apps.googleusercontent.com', nativeApp: false, anonymous: false } });
    expect(fragment.edges.filter((e) => e.kind === 'HOLDS' && e.from === mailMerge).map((e) => e.to).sort()).toEqual([
      benMailMerge, `${N}:credential:oauth-grant/cleo@northwind.example/401234567890-mailmerge.apps.googleusercontent.com`,
    ]);
    expect(edge(fragment, 'CONSENTED', `${N}:identity:ben@northwind.example`, mailMerge)).toBeDefined();
    expect(edge(fragment, 'INSTALLED_IN', mailMerge, `${N}:platform:northwind.example`)).toBeDefined();
  });

  it('reads both tokens.list layouts: userKey on items, or the user in the file name', () => {
    // tokens/ada@northwind.example.json has no userKey on its items
    expect(node(fragment, `${N}:credential:oauth-grant/ada@northwind.example/509876543210-dirsync.apps.googleusercontent.com`).type).toBe('oauth-grant');
    const map = JSON.stringify({ '100000000000000000002': [{ clientId: 'x.apps.googleusercontent.com', displayText: 'X', scopes: [`${A}drive.readonly`] }] });
    const users = fixture().filter((f) => f.path === 'users.json');
    const mapped = ok(transformWorkspace([...users, { path: 'tokens-by-user.json', text: map }], {}));
    expect(edge(mapped.fragment, 'CAN_READ', `${N}:credential:oauth-grant/ben@northwind.example/x.apps.googleusercontent.com`, `${N}:resource:drive/ben@northwind.example`)).toMatchObject({ scopes: [`${A}drive.readonly`] });
  });

  it('turns each scope into authority on the user\'s own data, with the raw scopes and the grant on the edge', () => {
    expect(edgesFrom(fragment, benMailMerge).map((e) => `${e.kind} ${e.to}`).sort()).toEqual([
      `CAN_READ ${N}:resource:mailbox/ben@northwind.example`,
      `CAN_READ ${N}:resource:profile/ben@northwind.example`,
    ]);
    expect(edge(fragment, 'CAN_READ', benMailMerge, `${N}:resource:mailbox/ben@northwind.example`)).toMatchObject({ scopes: [`${A}gmail.readonly`], grant: benMailMerge });
    expect(edge(fragment, 'CAN_READ', benMailMerge, `${N}:resource:mailbox/ben@northwind.example`)!.assumed).toBeUndefined();
  });

  it('creates a user\'s data resources only when something reaches them, inside the tenant-wide set, owned by the user', () => {
    const mailbox = `${N}:resource:mailbox/ben@northwind.example`;
    expect(node(fragment, mailbox)).toMatchObject({ kind: 'Resource', resourceType: 'mailbox', tags: ['pii'] });
    expect(edge(fragment, 'CONTAINS', `${N}:resource:all/mailbox`, mailbox)).toBeDefined();
    expect(edge(fragment, 'CONTAINS', `${N}:platform:northwind.example`, `${N}:resource:all/mailbox`)).toBeDefined();
    expect(edge(fragment, 'CAN_ADMIN', `${N}:identity:ben@northwind.example`, mailbox)).toBeDefined();
    expect(fragment.nodes.some((n) => n.id === `${N}:resource:drive/ben@northwind.example`)).toBe(false);
    expect(fragment.nodes.some((n) => n.id === `${N}:resource:mailbox/eve@northwind.example`)).toBe(false);
  });

  it('knows Google\'s own clients: not third party', () => {
    expect(node(fragment, `${N}:app:32555940559.apps.googleusercontent.com`)).toMatchObject({ thirdParty: false, vendor: 'Google', properties: { firstParty: 'Google Cloud SDK (gcloud)' } });
  });

  it('lets cloud-platform act as the user (in Google Cloud)', () => {
    const gcloud = `${N}:credential:oauth-grant/ben@northwind.example/32555940559.apps.googleusercontent.com`;
    expect(edge(fragment, 'AUTHENTICATES_AS', gcloud, `${N}:identity:ben@northwind.example`)).toMatchObject({ scopes: [`${A}cloud-platform`] });
  });

  it('maps Admin SDK scopes to tenant-wide authority for administrators only', () => {
    const dirSync = `${N}:credential:oauth-grant/ada@northwind.example/509876543210-dirsync.apps.googleusercontent.com`;
    expect(edge(fragment, 'CAN_ADMIN', dirSync, `${N}:resource:directory`)).toMatchObject({ scopes: [`${A}admin.directory.user`] });
    expect(edge(fragment, 'CAN_ADMIN', dirSync, `${N}:resource:groups`)).toMatchObject({ scopes: [`${A}admin.directory.group`] });
    const orgChart = `${N}:credential:oauth-grant/ben@northwind.example/601111111111-orgchart.apps.googleusercontent.com`;
    expect(edgesFrom(fragment, orgChart)).toEqual([]);
    expect(report.notes.some((note) => note.startsWith('1 Admin SDK scope granted by non-administrators'))).toBe(true);
  });

  it('keeps an unknown scope, reports it, and gives it the conservative level on the user\'s other data, flagged assumed', () => {
    const clipper = `${N}:credential:oauth-grant/ada@northwind.example/702222222222-clipper.apps.googleusercontent.com`;
    expect(edge(fragment, 'CAN_READ', clipper, `${N}:resource:other/ada@northwind.example`)).toMatchObject({ scopes: [`${A}youtube.readonly`], assumed: true });
    expect(report.unknownScopes).toEqual([{ scope: `${A}youtube.readonly`, count: 1, assumedLevel: 'read' }]);
    expect(node(fragment, `${N}:app:702222222222-clipper.apps.googleusercontent.com`)).toMatchObject({ publisherVerified: false, properties: { anonymous: true } });
  });

  it('reads a scope named like an object property (constructor, toString) as unknown, not as a catalogue entry', () => {
    const users = fixture().filter((f) => f.path === 'users.json');
    const tokens = { path: 'tokens/ben@northwind.example.json', text: JSON.stringify({ items: [{ clientId: 'p', displayText: 'P', scopes: ['constructor', 'toString'] }] }) };
    const result = ok(transformWorkspace([...users, tokens], {}));
    expect(result.report.unknownScopes.map((u) => `${u.scope} ${u.assumedLevel}`)).toEqual(['constructor admin', 'toString admin']);
    expect(edge(result.fragment, 'CAN_ADMIN', `${N}:credential:oauth-grant/ben@northwind.example/p`, `${N}:resource:other/ben@northwind.example`)).toMatchObject({ assumed: true });
  });

  it('disables the grants of a suspended user', () => {
    expect(node(fragment, `${N}:credential:oauth-grant/cleo@northwind.example/401234567890-mailmerge.apps.googleusercontent.com`)).toMatchObject({ enabled: false, properties: { userSuspended: true } });
  });

  it('fails on a token whose user is not in users.list, and skips it with --lenient', () => {
    const files = [...fixture(), { path: 'tokens/nobody@northwind.example.json', text: JSON.stringify({ items: [{ clientId: 'c', scopes: [] }] }) }];
    const strict = transformWorkspace(files, {});
    expect(!strict.ok && strict.issues[0]).toMatchObject({ file: 'tokens/nobody@northwind.example.json', path: '$.items[0]', message: 'token for unknown user nobody@northwind.example' });
    expect(ok(transformWorkspace(files, { lenient: true })).report.skipped.map((i) => i.path)).toEqual(['$.items[0]']);
  });
});

describe('google-workspace: token activity report', () => {
  const { fragment, report } = ok(transformWorkspace(fixture(), {}));

  it('dates a listed grant by its first authorize and its last activity, and lists the APIs it used', () => {
    expect(node(fragment, `${N}:credential:oauth-grant/ben@northwind.example/401234567890-mailmerge.apps.googleusercontent.com`)).toMatchObject({
      createdAt: '2025-03-01T16:45:00.000Z', lastUsedAt: '2025-10-20T14:02:11.000Z', properties: { inTokensList: true, authorizations: 1, apisUsed: ['gmail'] },
    });
  });

  it('keeps a grant revoked since (known only from the report) as revoked at the revoke time', () => {
    const drift = node(fragment, `${N}:credential:oauth-grant/ben@northwind.example/803333333333-drift.apps.googleusercontent.com`);
    expect(drift).toMatchObject({ name: 'Drift Email grant for ben@northwind.example', createdAt: '2025-02-01T12:00:00.000Z', lastUsedAt: '2025-08-12T03:14:00.000Z', revoked: true, revokedAt: '2025-08-20T09:00:00.000Z', properties: { revokedBy: 'revoke event', inTokensList: false } });
    // scopes from scope_data (multiMessageValue) in the authorize event
    expect(drift.scopes).toEqual([`${A}gmail.readonly`]);
    expect(edge(fragment, 'CAN_READ', drift.id, `${N}:resource:mailbox/ben@northwind.example`)).toBeDefined();
  });

  it('treats an authorized grant missing from an exported tokens.list as gone since it was last seen', () => {
    expect(node(fragment, `${N}:credential:oauth-grant/ada@northwind.example/904444444444-calendly.apps.googleusercontent.com`)).toMatchObject({
      createdAt: '2025-06-01T10:00:00.000Z', revoked: true, revokedAt: '2025-07-01T10:00:00.000Z', properties: { revokedBy: 'absent from tokens.list' },
    });
  });

  it('treats a report-only grant as live when the user\'s tokens were not exported', () => {
    const files = fixture().filter((f) => !f.path.startsWith('tokens/'));
    const { fragment: onlyReport } = ok(transformWorkspace(files, {}));
    const calendly = node(onlyReport, `${N}:credential:oauth-grant/ada@northwind.example/904444444444-calendly.apps.googleusercontent.com`);
    expect(calendly.revoked).toBeUndefined();
    expect(calendly.scopes).toEqual([`${A}calendar.events`]);
  });

  it('ignores events with no user (an API key caller) and says so', () => {
    expect(report.notes).toContain('1 token activity event without a user or client id; ignored');
    expect(report.notes).toContain('2 grants known only from the token activity report');
  });

  it('reads parameter values whatever their type: value, intValue, multiValue, scope_data messages', () => {
    const activity = activitySchema.parse({
      id: { time: '2025-01-01T00:00:00Z' },
      events: [{ name: 'authorize', parameters: [
        { name: 'scope', multiValue: [`${A}drive`, `${A}gmail.send`] },
        { name: 'scope_data', multiMessageValue: [{ parameter: [{ name: 'scope_name', value: `${A}calendar` }, { name: 'product_bucket', multiValue: ['CALENDAR'] }] }] },
        { name: 'num_response_bytes', intValue: '52340' },
      ] }],
    });
    const event = activity.events[0]!;
    expect(eventScopes(event)).toEqual([`${A}drive`, `${A}gmail.send`, `${A}calendar`]);
    expect(parameterValues(event.parameters![2]!)).toEqual(['52340']);
  });
});

describe('google-workspace: domain-wide delegation', () => {
  const { fragment } = ok(transformWorkspace(fixture(), {}));
  const backup = `${N}:credential:domain-wide-delegation/112233445566778899001`;
  const hrSync = `${N}:credential:domain-wide-delegation/998877665544332211009`;

  it('makes each entry a grant held by a service-account stub that the gcp import resolves by client id', () => {
    expect(node(fragment, 'gcp:*:identity:112233445566778899001')).toMatchObject({ kind: 'Identity', tenant: '*', subtype: 'service', name: 'Backup service', properties: { stub: true, key: '112233445566778899001' } });
    expect(edge(fragment, 'HOLDS', 'gcp:*:identity:112233445566778899001', backup)).toBeDefined();
    expect(node(fragment, backup)).toMatchObject({ type: 'oauth-grant', properties: { clientId: '112233445566778899001', delegation: 'domain-wide' } });
  });

  it('reaches every user\'s data at each scope\'s level, through the tenant-wide sets only', () => {
    expect(edgesFrom(fragment, backup).map((e) => `${e.kind} ${e.to} ${e.scopes!.join(' ')}`).sort()).toEqual([
      `CAN_ADMIN ${N}:resource:all/mailbox https://mail.google.com/`,
      `CAN_READ ${N}:resource:all/drive ${A}drive.readonly`,
    ]);
  });

  it('lets a client with admin scopes impersonate the administrators (takeover), and reads comma-separated scopes', () => {
    expect(edgesFrom(fragment, hrSync).map((e) => `${e.kind} ${e.to}`).sort()).toEqual([
      `AUTHENTICATES_AS ${N}:identity:ada@northwind.example`,
      `AUTHENTICATES_AS ${N}:identity:dan@northwind.example`,
      `CAN_ADMIN ${N}:resource:all/calendar`,
      `CAN_ADMIN ${N}:resource:directory`,
    ]);
    expect(edge(fragment, 'AUTHENTICATES_AS', hrSync, `${N}:identity:ada@northwind.example`)).toMatchObject({ scopes: [`${A}admin.directory.user`] });
  });

  it('gives a non-numeric client id to an app, the one tokens.list knows by that id', () => {
    const users = fixture().filter((f) => f.path === 'users.json' || f.path.startsWith('tokens/'));
    const dwd = { path: 'domain-wide-delegation.json', text: JSON.stringify([{ clientId: '401234567890-mailmerge.apps.googleusercontent.com', scopes: [`${A}gmail.send`] }]) };
    const { fragment: withApp } = ok(transformWorkspace([...users, dwd], {}));
    const grant = `${N}:credential:domain-wide-delegation/401234567890-mailmerge.apps.googleusercontent.com`;
    expect(edge(withApp, 'HOLDS', `${N}:app:401234567890-mailmerge.apps.googleusercontent.com`, grant)).toBeDefined();
    expect(node(withApp, grant).name).toBe('Domain-wide delegation for MailMerge Pro');
  });
});

describe('google-workspace: groups, who can change their members, and scoped delegation', () => {
  // Directory API groups.list and members.list pages, as the Admin SDK returns them.
  const groupsFile: RawFile = { path: 'groups.json', text: JSON.stringify({ kind: 'admin#directory#groups', etag: '"g"', groups: [
    { kind: 'admin#directory#group', id: '03x8tuzt1aaaaaa', etag: '"g1"', email: 'gcp-admins@northwind.example', name: 'GCP admins', directMembersCount: '2', description: 'Owner on the prod project', adminCreated: true },
    { kind: 'admin#directory#group', id: '03x8tuzt2bbbbbb', etag: '"g2"', email: 'everyone@northwind.example', name: 'Everyone', directMembersCount: '1', adminCreated: true },
    { kind: 'admin#directory#group', id: '03x8tuzt3cccccc', etag: '"g3"', email: 'eng@northwind.example', name: 'Engineering', directMembersCount: '1', adminCreated: false },
  ] }) };
  const member = (email: string | null, role: string, type: string, memberId: string) => ({ kind: 'admin#directory#member', etag: '"m"', id: memberId, ...(email ? { email } : {}), role, type, status: 'ACTIVE' });
  const membersFiles: RawFile[] = [
    { path: 'groups/gcp-admins@northwind.example/members.json', text: JSON.stringify({ kind: 'admin#directory#members', members: [
      member('ben@northwind.example', 'MANAGER', 'USER', '100000000000000000002'),
      member('eng@northwind.example', 'MEMBER', 'GROUP', '03x8tuzt3cccccc'),
      member('contractor@gmail.com', 'MEMBER', 'USER', '100000000000000000099'),
    ] }) },
    { path: 'groups/everyone@northwind.example/members.json', text: JSON.stringify({ kind: 'admin#directory#members', members: [member(null, 'MEMBER', 'CUSTOMER', 'C01abcd23')] }) },
    { path: 'groups/03x8tuzt3cccccc/members.json', text: JSON.stringify({ kind: 'admin#directory#members', members: [member('eve@northwind.example', 'OWNER', 'USER', '100000000000000000005')] }) },
  ];
  const G = (email: string) => `${N}:group:${email}`;
  const withGroups = (...extra: RawFile[]): RawFile[] => [...fixture(), groupsFile, ...membersFiles, ...extra];
  const addMember = (fragment: Fragment, from: string) => fragment.edges.filter((e) => e.kind === 'CAN_ADD_MEMBER' && e.from === from).map((e) => e.to).sort();

  it('maps groups.list and members.list to Group nodes keyed by email, MEMBER_OF edges, and owners and managers who can add members', () => {
    const { fragment, report } = ok(transformWorkspace(withGroups(), {}));
    expect(node(fragment, G('gcp-admins@northwind.example'))).toMatchObject({ kind: 'Group', name: 'GCP admins', properties: { email: 'gcp-admins@northwind.example', googleId: '03x8tuzt1aaaaaa', directMembersCount: 2 } });
    const memberOf = triples(fragment).filter((t) => t.startsWith('MEMBER_OF'));
    expect(memberOf).toContain(`MEMBER_OF ${N}:identity:ben@northwind.example -> ${G('gcp-admins@northwind.example')}`);
    expect(memberOf).toContain(`MEMBER_OF ${G('eng@northwind.example')} -> ${G('gcp-admins@northwind.example')}`);
    // The CUSTOMER member is every user of the domain.
    expect(memberOf.filter((t) => t.endsWith(G('everyone@northwind.example')))).toHaveLength(5);
    expect(addMember(fragment, `${N}:identity:ben@northwind.example`)).toEqual([G('gcp-admins@northwind.example')]);
    expect(addMember(fragment, `${N}:identity:eve@northwind.example`)).toEqual([G('eng@northwind.example')]);
    expect(addMember(fragment, `${N}:role:super-admin`)).toEqual([G('eng@northwind.example'), G('everyone@northwind.example'), G('gcp-admins@northwind.example')]);
    expect(report.notes.join('\n')).toContain('1 group members outside the exported users');
    expect(report.records).toMatchObject({ groups: 3, 'group members': 5 });
  });

  it('is the group a Google Cloud IAM binding names: the gcp import\'s group stub resolves to it', () => {
    const { fragment } = ok(transformWorkspace(withGroups(), {}));
    const project = { id: 'gcp:northwind-prod:resource:project/northwind-prod', kind: 'Resource', name: 'northwind-prod', platform: 'gcp', tenant: 'northwind-prod' } as GraphNode;
    const binding: Fragment = { nodes: [stubNode('google-workspace', 'Group', 'gcp-admins@northwind.example', 'gcp-admins@northwind.example', 'gcp'), project], edges: [{ kind: 'CAN_ADMIN', from: 'google-workspace:*:group:gcp-admins@northwind.example', to: project.id } as GraphEdge] };
    const { graph, report } = assembleGraph([sourced(fragment), sourced(binding)]);
    expect(report.links.resolved).toBe(1);
    const result = reach(graph, [graph.indexOf.get(`${N}:identity:ben@northwind.example`)!]);
    expect(result.level[graph.indexOf.get(project.id)!]).toBe(3);
  });

  it('fails on a members file whose group is not in groups.list, naming the file, and skips it with --lenient', () => {
    const stray: RawFile = { path: 'groups/ghost@northwind.example/members.json', text: JSON.stringify({ members: [member('ben@northwind.example', 'MEMBER', 'USER', '100000000000000000002')] }) };
    const failed = transformWorkspace(withGroups(stray), {});
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.issues[0]).toMatchObject({ file: 'groups/ghost@northwind.example/members.json', message: 'a group member of an unknown group', found: 'ghost@northwind.example' });
    expect(ok(transformWorkspace(withGroups(stray), { lenient: true })).report.skipped).toHaveLength(1);
  });

  it('domain-wide delegation with admin.directory.group.member changes every group (impersonating an administrator)', () => {
    const dwd: RawFile = { path: 'domain-wide-delegation.json', text: JSON.stringify([{ clientId: '334455667788990011223', name: 'Access requests bot', scopes: [`${A}admin.directory.group.member`] }]) };
    const files = withGroups().filter((f) => f.path !== 'domain-wide-delegation.json');
    const { fragment } = ok(transformWorkspace([...files, dwd], {}));
    const grant = `${N}:credential:domain-wide-delegation/334455667788990011223`;
    expect(addMember(fragment, grant)).toEqual([G('eng@northwind.example'), G('everyone@northwind.example'), G('gcp-admins@northwind.example')]);
    expect(fragment.edges.find((e) => e.kind === 'CAN_ADD_MEMBER' && e.from === grant)).toMatchObject({ scopes: [`${A}admin.directory.group.member`], grant });
    // admin.directory.group changes groups; it does not hand over the administrators it impersonates.
    const admin = ok(transformWorkspace([...files, { path: 'domain-wide-delegation.json', text: JSON.stringify([{ clientId: '334455667788990011223', scopes: [`${A}admin.directory.group`] }]) }], {})).fragment;
    expect(admin.edges.filter((e) => e.from === grant).map((e) => e.kind).sort()).toEqual(['CAN_ADD_MEMBER', 'CAN_ADD_MEMBER', 'CAN_ADD_MEMBER', 'CAN_ADMIN']);
  });

  it('a user\'s cloud-identity.groups grant changes only the groups that user owns or manages; an administrator\'s every group', () => {
    const tokens = (user: string): RawFile => ({ path: `tokens/${user}-groups.json`, text: JSON.stringify({ kind: 'admin#directory#tokenList', items: [{ kind: 'admin#directory#token', clientId: '501234567890-groupsync.apps.googleusercontent.com', displayText: 'Group Sync', anonymous: false, nativeApp: false, userKey: user, scopes: [`${A}cloud-identity.groups`] }] }) });
    const { fragment } = ok(transformWorkspace(withGroups(tokens('100000000000000000005'), tokens('100000000000000000001')), {}));
    const grant = (email: string) => `${N}:credential:oauth-grant/${email}/501234567890-groupsync.apps.googleusercontent.com`;
    expect(addMember(fragment, grant('eve@northwind.example'))).toEqual([G('eng@northwind.example')]);
    expect(addMember(fragment, grant('ada@northwind.example'))).toEqual([G('eng@northwind.example'), G('everyone@northwind.example'), G('gcp-admins@northwind.example')]);
  });

  it('a delegation limited to drive.readonly reads every drive and reaches no mailbox and no user', () => {
    const dwd: RawFile = { path: 'domain-wide-delegation.json', text: JSON.stringify([{ clientId: '445566778899001122334', name: 'Drive archiver', scopes: [`${A}drive.readonly`] }]) };
    // A user grant that reaches Ben's own drive and mailbox, so the per-user resources exist in the graph.
    const ben: RawFile = { path: 'tokens/ben-mail.json', text: JSON.stringify({ items: [{ clientId: '601234567890-mailer.apps.googleusercontent.com', displayText: 'Mailer', userKey: 'ben@northwind.example', scopes: [`${A}gmail.readonly`, `${A}drive.file`] }] }) };
    const files = [...fixture().filter((f) => f.path !== 'domain-wide-delegation.json'), dwd, ben];
    const { fragment } = ok(transformWorkspace(files, {}));
    const { graph } = assembleGraph([sourced(fragment)]);
    const result = reach(graph, [graph.indexOf.get(`${N}:credential:domain-wide-delegation/445566778899001122334`)!]);
    const reached = graph.nodes.map((n, v) => ({ n, level: result.level[v]! })).filter(({ level }) => level > 0);
    const resources = reached.filter(({ n }) => n.kind === 'Resource');
    expect(resources.map(({ n }) => n.id)).toContain(`${N}:resource:drive/ben@northwind.example`);
    for (const { n, level } of resources) {
      expect(n.resourceType, n.id).toBe('drive');
      expect(level, n.id).toBe(1);
    }
    expect(reached.filter(({ n }) => n.kind !== 'Resource').map(({ n }) => n.id)).toEqual([`${N}:credential:domain-wide-delegation/445566778899001122334`]);
  });

  it('a user\'s gmail.readonly grant reads that user\'s mailbox only: not their drive, not the user', () => {
    const ben: RawFile = { path: 'tokens/ben-mail.json', text: JSON.stringify({ items: [{ clientId: '601234567890-mailer.apps.googleusercontent.com', displayText: 'Mailer', userKey: 'ben@northwind.example', scopes: [`${A}gmail.readonly`] }] }) };
    const drive: RawFile = { path: 'tokens/ben-drive.json', text: JSON.stringify({ items: [{ clientId: '701234567890-docs.apps.googleusercontent.com', displayText: 'Docs helper', userKey: 'ben@northwind.example', scopes: [`${A}drive`] }] }) };
    const { fragment } = ok(transformWorkspace([...fixture(), ben, drive], {}));
    const { graph } = assembleGraph([sourced(fragment)]);
    const grant = `${N}:credential:oauth-grant/ben@northwind.example/601234567890-mailer.apps.googleusercontent.com`;
    const result = reach(graph, [graph.indexOf.get(grant)!]);
    const reached = graph.nodes.filter((_, v) => result.level[v]! > 0).map((n) => `${n.id} ${result.level[graph.indexOf.get(n.id)!]}`).sort();
    expect(reached).toEqual([`${grant} 3`, `${N}:resource:mailbox/ben@northwind.example 1`]);
  });
});

describe('google-workspace: validation and determinism', () => {
  it('fails on a missing required field with file and JSON path, all problems at once', () => {
    const users = JSON.stringify([{ users: [{ id: '1', primaryEmail: 'a@x.example', isAdmin: true }, { id: '2', isAdmin: false }] }, { users: [{ primaryEmail: 'c@x.example', isAdmin: false }] }]);
    const result = transformWorkspace([{ path: 'users.json', text: users }], {});
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((i: InputIssue) => `${i.file} ${i.path}: ${i.expected}, found ${i.found}`)).toEqual([
      'users.json $[0].users[1].primaryEmail: a string, found nothing',
      'users.json $[1].users[0].id: a string, found nothing',
    ]);
  });

  it('skips and reports bad records with --lenient', () => {
    const users = JSON.stringify({ users: [{ id: '1', primaryEmail: 'a@x.example', isAdmin: true }, { id: '2', primaryEmail: 'b@x.example', isAdmin: 'yes' }] });
    const result = ok(transformWorkspace([{ path: 'users.json', text: users }], { lenient: true }));
    expect(result.report.skipped.map((i) => i.path)).toEqual(['$.users[1].isAdmin']);
    expect(result.fragment.nodes.filter((n) => n.kind === 'Identity').map((n) => n.email)).toEqual(['a@x.example']);
  });

  it('says which file is missing when there is no users.list', () => {
    const result = transformWorkspace([{ path: 'domain-wide-delegation.json', text: '[]' }], {});
    expect(!result.ok && result.issues[0]).toMatchObject({ message: 'no users file', found: 'none' });
  });

  it('produces nodes and edges that satisfy the native schema and assemble with no dangling reference', () => {
    const { fragment } = ok(transformWorkspace(fixture(), {}));
    const nodeShape = nodeSchema();
    const edgeShape = edgeSchema();
    for (const n of fragment.nodes) expect(nodeShape.safeParse(n).success, n.id).toBe(true);
    for (const e of fragment.edges) expect(edgeShape.safeParse(e).success, `${e.kind} ${e.from} ${e.to}`).toBe(true);
    expect(() => assembleGraph([sourced(fragment)])).not.toThrow();
  });

  it('gives the same graph when the same export is imported twice', () => {
    const once = assembleGraph([runImporter(googleWorkspaceImporter, fixture(), {}).sourced]).graph;
    const twice = assembleGraph([runImporter(googleWorkspaceImporter, fixture(), {}).sourced], once).graph;
    expect(toFragment(twice)).toEqual(toFragment(once));
    expect(toFragment(once)).toEqual(toFragment(assembleGraph([runImporter(googleWorkspaceImporter, [...fixture()].reverse(), {}).sourced]).graph));
  });

  it('ships a scope catalogue and a first-party client table that validate', () => {
    const catalogue = JSON.parse(readFileSync(join(REPO, 'engine/schema/scopes/google-workspace.json'), 'utf8')) as unknown;
    expect(scopeCatalogSchema.safeParse(catalogue).success).toBe(true);
    const firstParty = JSON.parse(readFileSync(join(REPO, 'importers/google-workspace/first-party.json'), 'utf8')) as { clients: Record<string, string> };
    expect(Object.keys(firstParty.clients).every((id) => id.endsWith('.apps.googleusercontent.com'))).toBe(true);
  });

  it('never lets a secret from the export into the graph or a snapshot', () => {
    const SECRET = 'EXAMPLE-not-a-real-secret-1234567890';
    const users = JSON.stringify({ users: [{ id: '1', primaryEmail: 'a@x.example', isAdmin: true, password: SECRET, hashFunction: 'SHA-1' }] });
    const tokens = JSON.stringify({ items: [{ clientId: 'c.apps.googleusercontent.com', displayText: 'C', scopes: [`${A}gmail.readonly`], userKey: '1', refresh_token: SECRET, token: SECRET }] });
    const dwd = JSON.stringify([{ clientId: '42', scopes: [`${A}drive`], clientSecret: SECRET, privateKey: `${PEM_HEADER}${SECRET}` }]);
    const { sourced } = runImporter(googleWorkspaceImporter, [{ path: 'users.json', text: users }, { path: 'tokens/1.json', text: tokens }, { path: 'domain-wide-delegation.json', text: dwd }], {});
    expect(JSON.stringify(sourced.fragment)).not.toContain('EXAMPLE');
    const snapshot = new TextDecoder().decode(encodeSnapshot(assembleGraph([sourced]).graph));
    expect(snapshot).not.toContain('EXAMPLE');
    expect(snapshot).toContain('oauth-grant/a@x.example/c.apps.googleusercontent.com');
  });
});

describe('google-workspace: end to end through the CLI', () => {
  it('imports Workspace then GCP, and the DWD service account\'s exported key reaches every mailbox at admin', async () => {
    const graph = join(tempDir(), 'google.bmap');
    const workspace = await runCli(['import', 'google-workspace', FIXTURE, '--graph', graph]);
    expect(workspace.code, workspace.err).toBe(0);
    expect(workspace.out).toContain('read 5 users');
    const gcp = await runCli(['import', 'gcp', join(REPO, 'test/fixtures/gcp'), '--graph', graph, '--format', 'json']);
    expect(gcp.code, gcp.err).toBe(0);
    expect((JSON.parse(gcp.out) as { links: { resolved: number } }).links.resolved).toBeGreaterThanOrEqual(3);

    const key = 'gcp:northwind-prod:credential:backup-sa@northwind-prod.iam.gserviceaccount.com/keys/3f1c9a0d2e4b5c6d7e8f90a1b2c3d4e5f6a7b8c9';
    const run = await runCli(['radius', key, '--graph', graph, '--at', '2025-11-01', '--format', 'json', '--paths']);
    expect(run.code, run.err).toBe(0);
    const radius = JSON.parse(run.out) as { reached: { id: string; level: string; path: { kind: string; to: { id: string } }[] }[] };
    const allMailboxes = radius.reached.find((r) => r.id === `${N}:resource:all/mailbox`);
    expect(allMailboxes?.level).toBe('admin');
    expect(allMailboxes?.path.map((s) => `${s.kind} ${s.to.id}`)).toEqual([
      'AUTHENTICATES_AS gcp:northwind-prod:identity:backup-sa@northwind-prod.iam.gserviceaccount.com',
      `HOLDS ${N}:credential:domain-wide-delegation/112233445566778899001`,
      `CAN_ADMIN ${N}:resource:all/mailbox`,
    ]);
    expect(radius.reached.find((r) => r.id === `${N}:resource:mailbox/ben@northwind.example`)?.level).toBe('admin');
    expect(radius.reached.find((r) => r.id === `${N}:resource:all/drive`)?.level).toBe('read');
  });

  it('shows a third-party app\'s gmail.readonly grant reaching one mailbox, and a revoked grant only before its revocation', async () => {
    const graph = join(tempDir(), 'workspace.bmap');
    expect((await runCli(['import', 'google-workspace', FIXTURE, '--graph', graph])).code).toBe(0);
    const run = await runCli(['radius', 'MailMerge Pro', '--graph', graph, '--at', '2025-11-01', '--format', 'json']);
    const radius = JSON.parse(run.out) as { reached: { id: string; level: string }[]; dormant: { id: string; why: string }[] };
    expect(radius.reached.filter((r) => r.id.includes(':resource:')).map((r) => `${r.level} ${r.id}`).sort()).toEqual([
      `read ${N}:resource:mailbox/ben@northwind.example`,
      `read ${N}:resource:profile/ben@northwind.example`,
    ]);
    expect(radius.dormant.map((d) => `${d.why} ${d.id}`)).toEqual([`disabled ${N}:credential:oauth-grant/cleo@northwind.example/401234567890-mailmerge.apps.googleusercontent.com`]);
    const during = JSON.parse((await runCli(['radius', 'Drift Email', '--graph', graph, '--at', '2025-08-10', '--format', 'json'])).out) as { reached: { id: string }[] };
    const after = JSON.parse((await runCli(['radius', 'Drift Email', '--graph', graph, '--at', '2025-09-01', '--format', 'json'])).out) as { reached: { id: string }[] };
    expect(during.reached.map((r) => r.id)).toContain(`${N}:resource:mailbox/ben@northwind.example`);
    expect(after.reached.map((r) => r.id)).not.toContain(`${N}:resource:mailbox/ben@northwind.example`);
  });
});

describe('input amplification: the tenant is part of every node id', () => {
  it('a primary email longer than an address can be is refused with file and JSON path: its domain would be the tenant in every node id', () => {
    const domain = `${'n'.repeat(100_000)}.example`;
    const files = fixture().map((f) => ({ path: f.path.replaceAll('northwind.example', domain), text: f.text.replaceAll('northwind.example', domain) }));
    const result = googleWorkspaceImporter.transform(files, {});
    expect(!result.ok && result.issues[0]).toMatchObject({ file: 'users.json', path: '$[0].users[0].primaryEmail', expected: 'at most 320 characters' });
  });
});

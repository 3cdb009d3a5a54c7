// The ServiceNow importer: Table API answers (`{"result": [...]}`, reference columns as {link, value} or bare
// sys_ids, booleans as "true"/"false", dates as "YYYY-MM-DD HH:MM:SS" UTC, as the REST API reference shows them)
// become integration users and their roles, who can reset users and change groups, OAuth registries and the users
// their tokens act as, and the credential records ServiceNow keeps.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reach } from '../../engine/analysis/reach.ts';
import { buildGraph } from '../../engine/store/compact.ts';
import { findImporter } from '../../importers/registry.ts';
import { servicenowImporter } from '../../importers/servicenow/index.ts';
import { edgeKeys, importerFixture, nodeOf } from '../helpers/importer-fixture.ts';
import { REPO } from '../helpers/cli.ts';

const FIXTURE = join(REPO, 'test/fixtures/servicenow/acme');
const s = (kind: string, native: string): string => `servicenow:acme.service-now.com:${kind}:${native}`;
const USERS = { admin: '6816f79cc0a8016401c5a33be04be441', scim: '9d385017c611228701d22104cc95c371', n8n: 'a8f98bb0eb32010045e1a5115206fe3a', jane: '5137153cc611227c000bbd1bd8cd2005', bob: '46d44a23a9fe19810012d100cca80666' };
const user = (name: keyof typeof USERS): string => s('identity', USERS[name]);
const PLATFORM = s('platform', 'instance');
const RECORDS = s('resource', 'records');
const SERVICE_DESK = s('group', '8a5055c9c61122780043563ef53438e3');
const IDENTITY_TEAM = s('group', '0a52d3dcd7011200f2d224837e6103f2');
const N8N_APP = s('app', 'oauth/a4d1c7e93b2f4e8c9d6b1f0e2c5a7d38');
const REFRESH = s('credential', 'oauth-token/1e2f3a4b5c6d47e8f9a0b1c2d3e4f5a6');

const { run, imported, fixtureFiles, fixture } = importerFixture(servicenowImporter, FIXTURE);
const node = nodeOf;

describe('the ServiceNow importer', () => {
  it('is registered and reads every table, naming the instance by the reference links', () => {
    expect(findImporter('servicenow')).toBe(servicenowImporter);
    const { fragment, report } = fixture();
    expect(report.records).toEqual({ users: 5, roles: 6, userRoles: 7, groups: 2, groupMembers: 2, groupRoles: 2, oauthEntities: 1, oauthTokens: 2, credentials: 2 });
    expect(node(fragment, PLATFORM)).toMatchObject({ kind: 'Platform', vendor: 'ServiceNow', tenant: 'acme.service-now.com' });
  });

  it('integration users are service identities; a locked-out user is disabled; dates are UTC instants', () => {
    const { fragment } = fixture();
    expect(node(fragment, user('scim'))).toMatchObject({ subtype: 'service', email: 'svc-okta-scim@acme.example', properties: { userName: 'svc.okta.scim', webServiceAccessOnly: true, lastLogin: '2026-12-01T02:00:11.000Z' } });
    expect(node(fragment, user('n8n'))).toMatchObject({ subtype: 'service', properties: { internalIntegrationUser: true } });
    expect(node(fragment, user('jane')).subtype).toBe('human');
    expect(node(fragment, user('bob')).enabled).toBe(false);
  });

  it('roles: admin and security_admin administer the instance, itil writes the records; pending roles and inherited rows are not direct grants', () => {
    const { fragment } = fixture();
    expect(edgeKeys(fragment, { to: PLATFORM, kind: 'CAN_ADMIN' })).toEqual([`CAN_ADMIN ${s('role', 'admin')} -> ${PLATFORM}`, `CAN_ADMIN ${s('role', 'security_admin')} -> ${PLATFORM}`]);
    expect(edgeKeys(fragment, { to: RECORDS, kind: 'CAN_WRITE' })).toEqual([`CAN_WRITE ${s('role', 'itil')} -> ${RECORDS}`]);
    expect(node(fragment, s('role', 'security_admin'))).toMatchObject({ privileged: true, properties: { elevatedPrivilege: true } });
    expect(edgeKeys(fragment, { from: user('admin'), kind: 'HAS_ROLE' })).toEqual([`HAS_ROLE ${user('admin')} -> ${s('role', 'admin')}`, `HAS_ROLE ${user('admin')} -> ${s('role', 'security_admin')}`]);
    // Jane's itil and the SCIM user's user_admin come through their groups (inherited rows), Bob's oauth_admin is pending.
    expect(edgeKeys(fragment, { from: user('jane'), kind: 'HAS_ROLE' })).toEqual([]);
    expect(edgeKeys(fragment, { from: user('bob'), kind: 'HAS_ROLE' })).toEqual([]);
    expect(edgeKeys(fragment, { from: IDENTITY_TEAM })).toEqual([`HAS_ROLE ${IDENTITY_TEAM} -> ${s('role', 'user_admin')}`]);
  });

  it('user_admin resets non-administrators and changes groups without administrative roles', () => {
    const { fragment } = fixture();
    const ua = s('role', 'user_admin');
    expect(edgeKeys(fragment, { from: ua, kind: 'CAN_RESET_CREDENTIAL' }).map((k) => k.split(' -> ')[1])).toEqual([user('bob'), user('jane'), user('n8n')].sort());
    expect(edgeKeys(fragment, { from: ua, kind: 'CAN_ADD_MEMBER' })).toEqual([`CAN_ADD_MEMBER ${ua} -> ${SERVICE_DESK}`]);
    // The SCIM user reaches Jane's account and, through Service Desk, the records.
    const graph = buildGraph(fragment);
    const result = reach(graph, [graph.indexOf.get(user('scim'))!], { at: '2026-12-01' });
    expect(result.level[graph.indexOf.get(user('jane'))!]).toBe(3);
    expect(result.level[graph.indexOf.get(RECORDS)!]).toBe(2);
    expect(result.level[graph.indexOf.get(PLATFORM)!]).toBe(0);
  });

  it('an OAuth registry is an app holding the tokens issued to it, and each token acts as its user', () => {
    const { fragment } = fixture();
    expect(node(fragment, N8N_APP)).toMatchObject({ kind: 'App', name: 'n8n People Ops', properties: { clientId: 'a4d1c7e93b2f4e8c9d6b1f0e2c5a7d38', registryType: 'client', refreshTokenLifespan: '8640000' } });
    expect(node(fragment, REFRESH)).toMatchObject({ type: 'refresh-token', expiresAt: '2027-02-20T09:30:00.000Z', scopes: ['useraccount'] });
    expect(edgeKeys(fragment, { from: REFRESH })).toEqual([`AUTHENTICATES_AS ${REFRESH} -> ${user('n8n')}`]);
    expect(edgeKeys(fragment, { to: REFRESH })).toEqual([`HOLDS ${N8N_APP} -> ${REFRESH}`]);
  });

  it('credential records are held by the instance, metadata only; an inactive one is revoked; links say what one signs in as', () => {
    const { fragment } = fixture();
    const scimPush = s('credential', 'record/3a4b5c6d7e8f49a0b1c2d3e4f5a6b7c8');
    expect(node(fragment, scimPush)).toMatchObject({ type: 'password', properties: { table: 'basic_auth_credentials', accountName: 'svc-snow-scim@acme.example' } });
    expect(node(fragment, s('credential', 'record/4b5c6d7e8f9a40b1c2d3e4f5a6b7c8d9'))).toMatchObject({ type: 'api-key', revoked: true });
    expect(edgeKeys(fragment, { from: scimPush })).toEqual([`AUTHENTICATES_AS ${scimPush} -> okta:*:identity:svc-snow-scim@acme.example`]);
    expect(edgeKeys(fragment, { to: scimPush })).toEqual([`MANAGES ${PLATFORM} -> ${scimPush}`]);
  });

  it('bare sys_id references, an instance from --tenant or the workspace folder, and a refused export without one', () => {
    const bare = [{ path: 'sys_user_grmember.json', text: JSON.stringify({ result: [{ user: USERS.jane, group: '8a5055c9c61122780043563ef53438e3' }] }) }];
    expect(!run(bare).ok && (run(bare) as { issues: { message: string }[] }).issues[0]!.message).toBe('no ServiceNow instance name');
    const { fragment } = imported(bare, { tenant: 'Globex.service-now.com' });
    expect(edgeKeys(fragment, { kind: 'MEMBER_OF' })).toEqual([`MEMBER_OF servicenow:globex.service-now.com:identity:${USERS.jane} -> servicenow:globex.service-now.com:group:8a5055c9c61122780043563ef53438e3`]);
    expect(imported(bare, { tenantFallback: 'initech.service-now.com' }).fragment.nodes.some((n) => n.id === 'servicenow:initech.service-now.com:platform:instance')).toBe(true);
    const clash = run(fixtureFiles(), { tenant: 'other.service-now.com' });
    expect(!clash.ok && clash.issues[0]!.message).toBe('--tenant does not match the export');
  });

  it('a bad date or a missing sys_id fails with file and JSON path; --lenient skips the record', () => {
    const files = [...fixtureFiles().filter((f) => !f.path.endsWith('sys_user.json')), { path: 'sys_user.json', text: JSON.stringify({ result: [{ sys_id: 'x1', user_name: 'a', active: 'true', last_login_time: '2025-02-30 10:00:00' }, { user_name: 'b', active: 'true' }] }) }];
    const strict = run(files);
    expect(!strict.ok && strict.issues.map((i) => `${i.file} ${i.path}`)).toEqual(['sys_user.json $.result[0].last_login_time', 'sys_user.json $.result[1].sys_id']);
    expect(imported(files, { lenient: true }).report.skipped).toHaveLength(2);
  });

  it('files are recognised by their content whatever their names', () => {
    const renamed = fixtureFiles().map((f) => (f.path.endsWith('connection-links.json') ? f : { ...f, path: `export-${f.path.length}-${f.path.replace(/[^a-z]/g, '').slice(-5)}.json` }));
    expect(imported(renamed).report.records).toEqual(fixture().report.records);
  });
});

describe('input amplification: the tenant is part of every node id', () => {
  it('an instance host longer than a host name can be is refused with file and JSON path, not copied into every node id', () => {
    const result = run(fixtureFiles().map((f) => ({ ...f, text: f.text.replaceAll('acme.service-now.com', `${'a'.repeat(100_000)}.service-now.com`) })));
    expect(!result.ok && result.issues[0]).toMatchObject({ file: 'sys_user_has_role.json', path: '$.result[0].user.link', message: 'instance host longer than 253 characters' });
  });
});

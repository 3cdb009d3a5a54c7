// The Microsoft Entra ID importer: Graph v1.0 exports (the shared corpus and a hand-made two-tenant fixture)
// become apps, service principals, credentials, grants and takeover edges whose blast radius is known.
// The fixture (test/fixtures/entra) follows the Microsoft Graph v1.0 reference pages for application,
// servicePrincipal, passwordCredential, keyCredential, federatedIdentityCredential, oAuth2PermissionGrant,
// appRoleAssignment, user, group, unifiedRoleAssignment and unifiedRoleDefinition; permission and role ids
// are those of the Graph permissions reference and the Entra built-in roles reference.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reach } from '../../engine/analysis/reach.ts';
import { edgeSchema, nodeSchema, type Fragment, type GraphEdge, type GraphNode } from '../../engine/format/native.ts';
import { finishFragment } from '../../engine/format/validate.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { buildGraph, toFragment } from '../../engine/store/compact.ts';
import { readRawFiles } from '../../cli/commands/import.ts';
import type { ImporterOptions, ImporterResult } from '../../importers/common/importer.ts';
import type { RawFile } from '../../importers/common/records.ts';
import { scopeCatalogSchema } from '../../importers/common/scopes.ts';
import { RESOURCE_TYPES } from '../../importers/entra/catalog.ts';
import { entraImporter } from '../../importers/entra/index.ts';
import { roleCatalogSchema } from '../../importers/entra/schema.ts';
import { USER_RIGHTS_CONDITION } from '../../importers/entra/transform.ts';
import { findImporter } from '../../importers/registry.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';

const CORPUS = resolve(REPO, '../shared/corpus/entra');
const FIXTURE = join(REPO, 'test/fixtures/entra');

const CORP = '4c1e9a6e-2f3b-4d5a-9b8c-7e6f5a4b3c2d';
const TEST_TENANT = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const at = (tenant: string) => (kind: string, native: string) => `entra:${tenant}:${kind}:${native}`;
const corp = at(CORP);
const USERS = { grace: '11111111-aaaa-4aaa-8aaa-000000000001', alice: '11111111-aaaa-4aaa-8aaa-000000000002', bob: '11111111-aaaa-4aaa-8aaa-000000000003', carol: '11111111-aaaa-4aaa-8aaa-000000000004', dave: '11111111-aaaa-4aaa-8aaa-000000000005', erin: '11111111-aaaa-4aaa-8aaa-000000000006' };
const SPS = { graph: 1, exo: 2, payroll: 3, notes: 4, mailmeld: 5, legacy: 6, mi: 7, expense: 8, vaultly: 9 };
const user = (name: keyof typeof USERS) => corp('identity', USERS[name]);
const sp = (name: keyof typeof SPS) => corp('identity', `55555555-eeee-4eee-8eee-00000000000${SPS[name]}`);
const PAYROLL_APP = corp('app', '33333333-cccc-4ccc-8ccc-000000000001');
const NOTES_APP = corp('app', '33333333-cccc-4ccc-8ccc-000000000002');
const EXPENSE_APP = corp('app', '33333333-cccc-4ccc-8ccc-000000000003');
const MAILMELD_APP = 'entra:5e7d1c2b-8a9f-4e3d-b6c5-a4f3e2d1c0b9:app:66666666-ffff-4fff-8fff-000000000001';
const LEGACY_APP = `entra:${TEST_TENANT}:app:77777777-0000-4000-8000-000000000001`;
const PLATFORM = corp('platform', CORP);
const MAILBOXES = corp('resource', 'mailbox');
const APPLICATIONS = corp('resource', 'applications');
const GLOBAL_ADMIN = corp('role', '62e90394-69f5-4237-9190-012177145e10');

const run = (files: readonly RawFile[], options: ImporterOptions = {}): ImporterResult => entraImporter.transform(files, options);
function imported(files: readonly RawFile[], options: ImporterOptions = {}) {
  const result = run(files, options);
  if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.issues, null, 2)}`);
  return result;
}
const corpFiles = (): RawFile[] => readRawFiles([join(FIXTURE, 'corp')]);
const corpImport = () => imported(corpFiles());

const node = (fragment: Fragment, id: string): GraphNode => {
  const found = fragment.nodes.find((n) => n.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
};
const edges = (fragment: Fragment, filter: Partial<Pick<GraphEdge, 'kind' | 'from' | 'to'>>): GraphEdge[] =>
  fragment.edges.filter((e) => (filter.kind === undefined || e.kind === filter.kind) && (filter.from === undefined || e.from === filter.from) && (filter.to === undefined || e.to === filter.to));
const edgeKeys = (fragment: Fragment, filter: Partial<Pick<GraphEdge, 'kind' | 'from' | 'to'>>): string[] =>
  edges(fragment, filter).map((e) => `${e.kind} ${e.from} -> ${e.to}`).sort();
const corpusText = (name: string): string => readFileSync(join(CORPUS, name), 'utf8');

describe('the Entra importer is registered', () => {
  it('answers to `blastmap import entra`', () => {
    expect(findImporter('entra')).toBe(entraImporter);
  });
});

describe('the shared corpus', () => {
  const TENANT = '0f000000-0000-4000-8000-000000000000';
  const t = at(TENANT);

  it('a single-user delegated grant with a stray leading space reaches only that user\'s contacts', () => {
    const { fragment } = imported([{ path: 'users/7d54cb02-aaa3-4016-9f9c-a4b49422dd9b/user-oauth2PermissionGrants-list.principal-consent.json', text: corpusText('user-oauth2PermissionGrants-list.principal-consent.json') }], { tenant: TENANT });
    const grant = node(fragment, t('credential', 'grant/E3NHhUPqfUy4pFT-010LYFo5-ycA-_5Fhl7nHbaJ7qACy1R9o6oWQJ-cpLSUIt2b'));
    expect(grant).toMatchObject({ kind: 'Credential', type: 'oauth-grant', scopes: ['Contacts.ReadWrite', 'openid', 'profile'] });
    expect(edgeKeys(fragment, { from: grant.id })).toEqual([`CAN_WRITE ${grant.id} -> ${t('resource', 'contacts/7d54cb02-aaa3-4016-9f9c-a4b49422dd9b')}`]);
    expect(edges(fragment, { from: grant.id })[0]).toMatchObject({ scopes: ['Contacts.ReadWrite'], grant: grant.id });
    expect(edgeKeys(fragment, { kind: 'HOLDS' })).toEqual([`HOLDS ${t('identity', '85477313-ea43-4c7d-b8a4-54fed35d0b60')} -> ${grant.id}`]);
    expect(edgeKeys(fragment, { kind: 'CONTAINS', to: t('resource', 'contacts/7d54cb02-aaa3-4016-9f9c-a4b49422dd9b') })).toEqual([`CONTAINS ${t('resource', 'contacts')} -> ${t('resource', 'contacts/7d54cb02-aaa3-4016-9f9c-a4b49422dd9b')}`]);
  });

  it('a user assigned to an application (default access) holds a role with no authority', () => {
    const { fragment } = imported([{ path: 'servicePrincipal-appRoleAssignedTo-list.json', text: corpusText('servicePrincipal-appRoleAssignedTo-list.json') }], { tenant: TENANT });
    const role = t('role', 'approle/8e881353-1735-45af-af21-ee1344582a4d/00000000-0000-0000-0000-000000000000');
    expect(node(fragment, role)).toMatchObject({ kind: 'Role', name: 'dxprovisioning-graphapi-client: default access', privileged: false });
    expect(node(fragment, t('identity', 'cdb555e3-b33e-4fd5-a427-17fadacbdfa7'))).toMatchObject({ name: 'MOD Administrator', subtype: 'human' });
    expect(edgeKeys(fragment, { kind: 'HAS_ROLE' })).toEqual([`HAS_ROLE ${t('identity', 'cdb555e3-b33e-4fd5-a427-17fadacbdfa7')} -> ${role}`]);
    expect(edges(fragment, { from: role })).toEqual([]);
  });

  const APP_OBJECT = 'abcdef01-2345-4678-9abc-def012345678';
  const APP_ID = 'fedcba98-7654-4321-8fed-cba987654321';
  const SP_OBJECT = '01234567-89ab-4cde-8f01-23456789abcd';
  const listing = (app: object[], sps: object[]): RawFile[] => [
    { path: 'applications.json', text: JSON.stringify({ value: app }) },
    { path: 'servicePrincipals.json', text: JSON.stringify({ value: sps }) },
  ];
  const APP = { id: APP_OBJECT, appId: APP_ID, displayName: 'dxprovisioning-graphapi-client' };
  const SP = { id: SP_OBJECT, appId: APP_ID, displayName: 'dxprovisioning-graphapi-client', appOwnerOrganizationId: TENANT };

  it('a standalone passwordCredential (the addPassword answer) filed under its application becomes a secret of that app', () => {
    const { fragment } = imported([...listing([APP], [SP]), { path: `applications/${APP_OBJECT}/passwordCredentials.json`, text: corpusText('application-addPassword-passwordCredential.secret-nulled.json') }], { tenant: TENANT });
    const secret = node(fragment, t('credential', 'f0b0b335-1d71-4883-8f98-567911bfdca6'));
    expect(secret).toMatchObject({ type: 'client-secret', hint: '[6g', createdAt: '2019-09-09T19:50:29.308Z', expiresAt: '2021-09-09T19:50:29.308Z', name: 'dxprovisioning-graphapi-client: client secret Password friendly name' });
    expect(edgeKeys(fragment, { to: secret.id })).toEqual([`HOLDS ${t('app', APP_ID)} -> ${secret.id}`]);
    expect(edgeKeys(fragment, { from: secret.id })).toEqual([`AUTHENTICATES_AS ${secret.id} -> ${t('identity', SP_OBJECT)}`]);
  });

  it('a beta selfSignedCertificate filed under its service principal keeps the thumbprint and drops the key body', () => {
    const text = corpusText('servicePrincipal-addTokenSigningCertificate-keyCredential.beta.json');
    const { fragment } = imported([...listing([], [SP]), { path: `servicePrincipals/${SP_OBJECT}/keyCredentials.json`, text }], { tenant: TENANT });
    const certificate = node(fragment, t('credential', '93bc223f-7235-4b9c-beea-d66847531c49'));
    expect(certificate).toMatchObject({ type: 'certificate', fingerprint: 'DA20FCA696C4F83E8A9AED59BE33368ED421F3C1', expiresAt: '2024-01-25T00:00:00.000Z', properties: { usage: 'Verify', keyType: 'AsymmetricX509Cert' } });
    const key = (JSON.parse(text) as { key: string }).key;
    expect(JSON.stringify(fragment)).not.toContain(key.slice(0, 24));
  });

  it('a credential file that does not say which object it belongs to fails with where it should go', () => {
    const result = run([{ path: 'application-addPassword-passwordCredential.secret-nulled.json', text: corpusText('application-addPassword-passwordCredential.secret-nulled.json') }], { tenant: TENANT });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toMatchObject({ file: 'application-addPassword-passwordCredential.secret-nulled.json', path: '$' });
    expect(result.issues[0]!.expected).toContain('applications/<object id>/application-addPassword-passwordCredential.secret-nulled.json');
  });

  it('every corpus file imports once filed the way docs/importers/entra.md says', () => {
    const files: RawFile[] = [
      ...listing([APP], [SP]),
      { path: `applications/${APP_OBJECT}/application-addPassword-passwordCredential.secret-nulled.json`, text: corpusText('application-addPassword-passwordCredential.secret-nulled.json') },
      { path: `servicePrincipals/${SP_OBJECT}/servicePrincipal-addTokenSigningCertificate-keyCredential.beta.json`, text: corpusText('servicePrincipal-addTokenSigningCertificate-keyCredential.beta.json') },
      { path: 'servicePrincipal-appRoleAssignedTo-list.json', text: corpusText('servicePrincipal-appRoleAssignedTo-list.json') },
      { path: 'user-oauth2PermissionGrants-list.principal-consent.json', text: corpusText('user-oauth2PermissionGrants-list.principal-consent.json') },
    ];
    const { report } = imported(files, { tenant: TENANT });
    expect(report.records).toMatchObject({ applications: 1, servicePrincipals: 1, passwordCredentials: 1, keyCredentials: 1, appRoleAssignments: 1, oauth2PermissionGrants: 1 });
    expect(report.ignoredFiles).toEqual([]);
  });
});

describe('applications and service principals', () => {
  it('an application becomes an App keyed by its client id; requested permissions are kept, not granted', () => {
    const { fragment } = corpImport();
    expect(node(fragment, PAYROLL_APP)).toMatchObject({
      kind: 'App', name: 'Payroll Sync', thirdParty: false, publisherVerified: false,
      properties: { clientId: '33333333-cccc-4ccc-8ccc-000000000001', objectId: '44444444-dddd-4ddd-8ddd-000000000001', signInAudience: 'AzureADMyOrg', requestedPermissions: ['Microsoft Graph: User.Read.All (application)', 'Microsoft Graph: User.Read (delegated)'] },
    });
    expect(edges(fragment, { from: PAYROLL_APP }).map((e) => e.kind).sort()).toEqual(['HOLDS', 'HOLDS', 'HOLDS', 'HOLDS', 'INSTALLED_IN']);
  });

  it('client secrets and certificates are held by the app and sign in as its service principal', () => {
    const { fragment } = corpImport();
    const secret = corp('credential', '1f2a3b4c-5d6e-4f7a-8b9c-1d2e3f4a5b6c');
    const certificate = corp('credential', '2a3b4c5d-6e7f-4a8b-9c0d-2e3f4a5b6c7d');
    expect(node(fragment, secret)).toMatchObject({ type: 'client-secret', hint: '7Hk', createdAt: '2025-03-01T09:00:00.000Z', expiresAt: '2027-03-01T09:00:00.123Z' });
    expect(node(fragment, certificate)).toMatchObject({ type: 'certificate', fingerprint: 'DA20FCA696C4F83E8A9AED59BE33368ED421F3C1' });
    for (const credential of [secret, certificate]) {
      expect(edgeKeys(fragment, { to: credential })).toEqual([`HOLDS ${PAYROLL_APP} -> ${credential}`]);
      expect(edgeKeys(fragment, { from: credential })).toEqual([`AUTHENTICATES_AS ${credential} -> ${sp('payroll')}`]);
    }
  });

  it('token-signing keys of a SAML app (Sign/Verify pair and its password) never sign in as the service principal', () => {
    const { fragment } = corpImport();
    const signing = ['4c5d6e7f-8a9b-4c0d-9e1f-4a5b6c7d8e9f', '5d6e7f8a-9b0c-4d1e-8f2a-5b6c7d8e9f0a', '6e7f8a9b-0c1d-4e2f-9a3b-6c7d8e9f0a1b'].map((k) => corp('credential', k));
    for (const id of signing) {
      expect(node(fragment, id).properties?.tokenSigning).toBe(true);
      expect(edges(fragment, { from: id })).toEqual([]);
    }
  });

  it('a service principal of another tenant\'s app gets a vendor App and a vendor-held credential that signs in here', () => {
    const { fragment } = corpImport();
    expect(node(fragment, MAILMELD_APP)).toMatchObject({ kind: 'App', tenant: '5e7d1c2b-8a9f-4e3d-b6c5-a4f3e2d1c0b9', thirdParty: true, publisherVerified: false, vendor: 'Mailmeld Inc.', properties: { clientId: '66666666-ffff-4fff-8fff-000000000001' } });
    const held = 'entra:5e7d1c2b-8a9f-4e3d-b6c5-a4f3e2d1c0b9:credential:vendor-held/66666666-ffff-4fff-8fff-000000000001';
    expect(node(fragment, held)).toMatchObject({ type: 'client-secret', name: 'credentials held by Mailmeld Inc. for Mailmeld (not visible in this tenant)', properties: { synthetic: true } });
    expect(edgeKeys(fragment, { to: held })).toEqual([`HOLDS ${MAILMELD_APP} -> ${held}`]);
    expect(edgeKeys(fragment, { from: held })).toEqual([`AUTHENTICATES_AS ${held} -> ${sp('mailmeld')}`]);
    expect(node(fragment, sp('mailmeld'))).toMatchObject({ subtype: 'service', thirdParty: true, enabled: true });
    expect(node(fragment, sp('vaultly'))).toMatchObject({ publisherVerified: true, vendor: 'Vaultly Ltd' });
  });

  it('Microsoft\'s first-party apps and managed identities get no vendor-held credential', () => {
    const { fragment } = corpImport();
    const synthetic = fragment.nodes.filter((n) => n.properties?.synthetic === true).map((n) => n.name).sort();
    expect(synthetic).toEqual([
      'credentials held by Fabrikam Test for Legacy Test App (not visible in this tenant)',
      'credentials held by Mailmeld Inc. for Mailmeld (not visible in this tenant)',
      'credentials held by Vaultly Ltd for Vaultly Backup (not visible in this tenant)',
    ]);
    expect(node(fragment, `entra:f8cdef31-a31e-4b4a-93e4-5f571e91255a:app:00000003-0000-0000-c000-000000000000`)).toMatchObject({ thirdParty: false, vendor: 'Microsoft', properties: { firstParty: true } });
    expect(node(fragment, sp('mi'))).toMatchObject({ subtype: 'workload', thirdParty: false, properties: { servicePrincipalType: 'ManagedIdentity', armResourceId: '/subscriptions/0f9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c/resourceGroups/rg-inventory/providers/Microsoft.Web/sites/inventory-func' } });
    expect(fragment.nodes.some((n) => n.kind === 'App' && n.properties?.appId === '99999999-2222-4222-8222-000000000001')).toBe(false);
  });

  it('a GitHub Actions federated credential links the repository, which runs as the service principal', () => {
    const { fragment } = corpImport();
    const federated = corp('credential', 'federated/44444444-dddd-4ddd-8ddd-000000000001/3b4c5d6e-7f8a-4b9c-8d0e-3f4a5b6c7d8e');
    expect(node(fragment, federated)).toMatchObject({ type: 'federated', properties: { issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:fabrikam/payroll-sync:ref:refs/heads/main', audiences: ['api://AzureADTokenExchange'] } });
    expect(edgeKeys(fragment, { from: federated })).toEqual([`AUTHENTICATES_AS ${federated} -> ${sp('payroll')}`]);
    expect(node(fragment, 'github:*:resource:fabrikam/payroll-sync')).toMatchObject({ kind: 'Resource', tenant: '*' });
    expect(edgeKeys(fragment, { kind: 'RUNS_AS' })).toEqual([`RUNS_AS github:*:resource:fabrikam/payroll-sync -> ${sp('payroll')}`]);
  });
});

describe('owners', () => {
  it('an application owner OWNS it and can add a credential to the app and its service principal', () => {
    const { fragment } = corpImport();
    expect(edgeKeys(fragment, { from: user('bob'), kind: 'OWNS' })).toEqual([`OWNS ${user('bob')} -> ${PAYROLL_APP}`]);
    expect(edgeKeys(fragment, { from: user('bob'), kind: 'CAN_ADD_CREDENTIAL' })).toEqual([`CAN_ADD_CREDENTIAL ${user('bob')} -> ${PAYROLL_APP}`, `CAN_ADD_CREDENTIAL ${user('bob')} -> ${sp('payroll')}`].sort());
    expect(node(fragment, PAYROLL_APP).ownerIds).toEqual([user('bob')]);
  });

  it('a service principal owner can add a credential to it', () => {
    const { fragment } = corpImport();
    expect(edgeKeys(fragment, { from: user('alice'), kind: 'CAN_ADD_CREDENTIAL' })).toEqual([`CAN_ADD_CREDENTIAL ${user('alice')} -> ${sp('notes')}`]);
    expect(node(fragment, sp('notes')).ownerIds).toEqual([user('alice')]);
  });
});

describe('application permissions', () => {
  it('app role ids resolve through the resource service principal\'s appRoles (Graph and Exchange Online)', () => {
    const { fragment } = corpImport();
    expect(edges(fragment, { from: sp('vaultly'), kind: 'CAN_ADMIN' })).toEqual([expect.objectContaining({ to: MAILBOXES, scopes: ['full_access_as_app'], grant: 'appRoleAssignment/LgAAAAAA1Ee4pT0bbbbbbbbbbbbbbbbbbbbbbbbbbbb1' })]);
    expect(edges(fragment, { from: sp('payroll'), kind: 'CAN_READ' })).toEqual([expect.objectContaining({ to: corp('resource', 'directory'), scopes: ['User.Read.All'] })]);
    expect(edges(fragment, { from: sp('mi'), kind: 'CAN_READ' })).toEqual([expect.objectContaining({ to: corp('resource', 'directory'), scopes: ['Directory.Read.All'] })]);
  });

  it('the same assignment listed by both the API (appRoleAssignedTo) and the holder (appRoleAssignments) is one edge', () => {
    const { fragment } = corpImport();
    expect(edges(fragment, { from: sp('vaultly') })).toHaveLength(1);
  });

  it('Application.ReadWrite.All and AppRoleAssignment.ReadWrite.All become takeover edges', () => {
    const { fragment } = corpImport();
    expect(edges(fragment, { from: sp('legacy') }).map((e) => `${e.kind} ${e.to} ${e.scopes?.join(',')}`).sort()).toEqual([
      `CAN_ADMIN ${PLATFORM} AppRoleAssignment.ReadWrite.All`,
      `CAN_ADMIN ${APPLICATIONS} Application.ReadWrite.All`,
    ].sort());
    expect(node(fragment, sp('legacy')).properties?.applicationPermissions).toEqual(['Microsoft Graph: AppRoleAssignment.ReadWrite.All', 'Microsoft Graph: Application.ReadWrite.All']);
    const managedByHub = edges(fragment, { from: APPLICATIONS, kind: 'MANAGES' }).map((e) => e.to).sort();
    expect(managedByHub).toEqual([PAYROLL_APP, NOTES_APP, EXPENSE_APP, ...Object.keys(SPS).map((k) => sp(k as keyof typeof SPS))].sort());
    const principals = fragment.nodes.filter((n) => n.tenant === CORP && (n.kind === 'Identity' || n.kind === 'App')).map((n) => n.id).sort();
    expect(edges(fragment, { from: PLATFORM, kind: 'MANAGES' }).map((e) => e.to).sort()).toEqual(principals);
  });

  it('a permission of a line-of-business API, or an unknown app role, reaches that API\'s own node at an assumed level and is reported', () => {
    const files: RawFile[] = [
      { path: 'organization.json', text: JSON.stringify({ value: [{ id: CORP }] }) },
      { path: 'servicePrincipals.json', text: JSON.stringify({ value: [
        { id: 'a0000000-0000-4000-8000-000000000001', appId: 'b0000000-0000-4000-8000-000000000001', displayName: 'Ledger API', appOwnerOrganizationId: CORP, appRoles: [{ id: 'c0000000-0000-4000-8000-000000000001', value: 'Ledger.Write' }] },
        { id: 'a0000000-0000-4000-8000-000000000002', appId: 'b0000000-0000-4000-8000-000000000002', displayName: 'Reconciler', appOwnerOrganizationId: CORP },
        { id: 'a0000000-0000-4000-8000-000000000003', appId: '00000003-0000-0000-c000-000000000000', displayName: 'Microsoft Graph', appOwnerOrganizationId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a', appRoles: [] },
      ] }) },
      { path: 'appRoleAssignments.json', text: JSON.stringify({ value: [
        { id: 'x1', appRoleId: 'c0000000-0000-4000-8000-000000000001', principalId: 'a0000000-0000-4000-8000-000000000002', principalType: 'ServicePrincipal', resourceId: 'a0000000-0000-4000-8000-000000000001' },
        { id: 'x2', appRoleId: 'd0000000-0000-4000-8000-000000000009', principalId: 'a0000000-0000-4000-8000-000000000002', principalType: 'ServicePrincipal', resourceId: 'a0000000-0000-4000-8000-000000000003' },
      ] }) },
    ];
    const { fragment, report } = imported(files);
    const reconciler = corp('identity', 'a0000000-0000-4000-8000-000000000002');
    expect(edges(fragment, { from: reconciler }).map((e) => `${e.kind} ${e.to} ${e.scopes?.join(',')} ${e.assumed}`).sort()).toEqual([
      `CAN_ADMIN ${corp('resource', 'api/a0000000-0000-4000-8000-000000000003')} d0000000-0000-4000-8000-000000000009 true`,
      `CAN_WRITE ${corp('resource', 'api/a0000000-0000-4000-8000-000000000001')} Ledger.Write true`,
    ]);
    expect(node(fragment, corp('resource', 'api/a0000000-0000-4000-8000-000000000001')).name).toBe('Ledger API API (permissions not in the catalogue)');
    expect(report.unknownScopes).toEqual([
      { scope: 'd0000000-0000-4000-8000-000000000009', count: 1, assumedLevel: 'admin' },
      { scope: 'Ledger.Write', count: 1, assumedLevel: 'write' },
    ]);
  });
});

describe('delegated permissions', () => {
  it('an admin consent for all users reaches every user\'s mailbox; openid-style scopes reach nothing', () => {
    const { fragment } = corpImport();
    const grant = corp('credential', 'grant/fRpBAbCdEfGhIjKlMnOpQrStUvWxYz0123456789ab');
    expect(node(fragment, grant)).toMatchObject({ type: 'oauth-grant', scopes: ['Mail.Read', 'User.Read', 'offline_access'], properties: { consentType: 'AllPrincipals' } });
    expect(edgeKeys(fragment, { to: grant })).toEqual([`HOLDS ${MAILMELD_APP} -> ${grant}`]);
    expect(edges(fragment, { from: grant }).map((e) => `${e.kind} ${e.to} ${e.scopes?.join(',')} ${e.conditions ?? '-'}`).sort()).toEqual([
      `CAN_READ ${MAILBOXES} Mail.Read -`,
      `CAN_READ ${corp('resource', 'profile')} User.Read -`,
    ]);
  });

  it('a single-user consent reaches only that user\'s data, and records who consented', () => {
    const { fragment } = corpImport();
    const grant = corp('credential', 'grant/gSqCBcDeFgHiJkLmNoPqRsTuVwXyZ1234567890abc');
    const contacts = corp('resource', `contacts/${USERS.alice}`);
    expect(edgeKeys(fragment, { from: grant })).toEqual([`CAN_WRITE ${grant} -> ${contacts}`]);
    expect(node(fragment, contacts)).toMatchObject({ name: 'Contacts of alice@fabrikam.onmicrosoft.com', resourceType: 'contacts' });
    expect(edgeKeys(fragment, { kind: 'CONSENTED' })).toEqual([`CONSENTED ${user('alice')} -> ${NOTES_APP}`]);
  });

  it('delegated write on shared data is conditioned on the signed-in user\'s rights, and the condition can be enforced', () => {
    const files: RawFile[] = [
      { path: 'organization.json', text: JSON.stringify({ value: [{ id: CORP }] }) },
      { path: 'oauth2PermissionGrants.json', text: JSON.stringify({ value: [
        { id: 'g-all', clientId: 'e0000000-0000-4000-8000-000000000001', consentType: 'AllPrincipals', principalId: null, resourceId: 'e0000000-0000-4000-8000-000000000002', scope: 'Directory.ReadWrite.All Directory.Read.All Files.Read.All' },
        { id: 'g-one', clientId: 'e0000000-0000-4000-8000-000000000001', consentType: 'Principal', principalId: USERS.alice, resourceId: 'e0000000-0000-4000-8000-000000000002', scope: 'Files.Read.All Mail.Read' },
      ] }) },
    ];
    const { fragment } = imported(files);
    const all = corp('credential', 'grant/g-all');
    const one = corp('credential', 'grant/g-one');
    const view = (from: string) => edges(fragment, { from }).map((e) => `${e.kind} ${e.to.slice(e.to.lastIndexOf(':') + 1)} ${e.conditions?.join(',') ?? '-'}`).sort();
    expect(view(all)).toEqual(['CAN_READ directory -', 'CAN_READ files -', `CAN_WRITE directory ${USER_RIGHTS_CONDITION}`]);
    expect(view(one)).toEqual([`CAN_READ files ${USER_RIGHTS_CONDITION}`, `CAN_READ mailbox/${USERS.alice} -`]);
    const graph = buildGraph(fragment);
    const directory = graph.indexOf.get(corp('resource', 'directory'))!;
    const source = graph.indexOf.get(all)!;
    expect(reach(graph, [source]).level[directory]).toBe(2);
    expect(reach(graph, [source], { enforceConditions: [USER_RIGHTS_CONDITION] }).level[directory]).toBe(1);
  });
});

describe('users, groups and directory roles', () => {
  it('users carry their sign-in name as email; guests their real address; disabled users are disabled', () => {
    const { fragment } = corpImport();
    expect(node(fragment, user('alice'))).toMatchObject({ subtype: 'human', email: 'alice@fabrikam.onmicrosoft.com', enabled: true, properties: { upn: 'alice@fabrikam.onmicrosoft.com' } });
    expect(node(fragment, user('erin'))).toMatchObject({ email: 'erin@contoso.com', properties: { userType: 'Guest', upn: 'erin_contoso.com#EXT#@fabrikam.onmicrosoft.com' } });
    expect(node(fragment, user('dave')).enabled).toBe(false);
  });

  it('group members are MEMBER_OF the group; devices are ignored and noted', () => {
    const { fragment, report } = corpImport();
    expect(edgeKeys(fragment, { kind: 'MEMBER_OF' })).toEqual([
      `MEMBER_OF ${user('alice')} -> ${corp('group', '22222222-bbbb-4bbb-8bbb-000000000001')}`,
      `MEMBER_OF ${user('bob')} -> ${corp('group', '22222222-bbbb-4bbb-8bbb-000000000001')}`,
      `MEMBER_OF ${user('carol')} -> ${corp('group', '22222222-bbbb-4bbb-8bbb-000000000002')}`,
    ]);
    expect(report.notes.join('\n')).toContain('#microsoft.graph.device');
  });

  it('Global Administrator administers the tenant; Cloud Application Administrator (held through a group) manages every app', () => {
    const { fragment } = corpImport();
    expect(node(fragment, GLOBAL_ADMIN)).toMatchObject({ kind: 'Role', privileged: true, name: 'Global Administrator' });
    expect(edgeKeys(fragment, { to: GLOBAL_ADMIN })).toEqual([`HAS_ROLE ${user('grace')} -> ${GLOBAL_ADMIN}`]);
    // The tenant, and the members of every group, role-assignable App Admins included.
    expect(edgeKeys(fragment, { from: GLOBAL_ADMIN })).toEqual([
      `CAN_ADD_MEMBER ${GLOBAL_ADMIN} -> ${corp('group', '22222222-bbbb-4bbb-8bbb-000000000001')}`,
      `CAN_ADD_MEMBER ${GLOBAL_ADMIN} -> ${corp('group', '22222222-bbbb-4bbb-8bbb-000000000002')}`,
      `CAN_ADMIN ${GLOBAL_ADMIN} -> ${PLATFORM}`,
    ]);
    const cloudAppAdmin = corp('role', '158c047a-c907-4556-b7ef-446551a6b5f7');
    expect(edgeKeys(fragment, { to: cloudAppAdmin })).toEqual([`HAS_ROLE ${corp('group', '22222222-bbbb-4bbb-8bbb-000000000002')} -> ${cloudAppAdmin}`]);
    expect(edgeKeys(fragment, { from: cloudAppAdmin })).toEqual([`CAN_ADMIN ${cloudAppAdmin} -> ${APPLICATIONS}`]);
  });

  it('an Application Administrator scoped to one app can add credentials to that app only', () => {
    const { fragment } = corpImport();
    const scoped = corp('role', '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3@/44444444-dddd-4ddd-8ddd-000000000003');
    expect(node(fragment, scoped)).toMatchObject({ name: 'Application Administrator (scoped to Expense Portal (SAML))', privileged: true });
    expect(edgeKeys(fragment, { from: scoped })).toEqual([`CAN_ADD_CREDENTIAL ${scoped} -> ${EXPENSE_APP}`, `CAN_ADD_CREDENTIAL ${scoped} -> ${sp('expense')}`].sort());
    expect(fragment.nodes.some((n) => n.id === corp('role', '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3'))).toBe(false);
  });

  it('a group assigned to an application holds its default-access role, which grants nothing', () => {
    const { fragment } = corpImport();
    const role = corp('role', `approle/${sp('payroll').split(':').pop()}/00000000-0000-0000-0000-000000000000`);
    expect(edgeKeys(fragment, { to: role })).toEqual([`HAS_ROLE ${corp('group', '22222222-bbbb-4bbb-8bbb-000000000001')} -> ${role}`]);
    expect(edges(fragment, { from: role })).toEqual([]);
  });
});

describe('who can change a group\'s members (CAN_ADD_MEMBER) and what a delegated grant acts as', () => {
  // A small tenant as Graph v1.0 returns it: Microsoft Graph's service principal (app role ids from the Graph
  // permissions reference), an HR sync app, four kinds of group, two users, a group owner, a Groups Administrator.
  const GRAPH_SP = 'd0000000-0000-4000-8000-000000000001';
  const HR_SP = 'd0000000-0000-4000-8000-000000000002';
  const MAILER_SP = 'd0000000-0000-4000-8000-000000000003';
  const GROUPS = { sales: 'a0000000-0000-4000-8000-000000000001', admins: 'a0000000-0000-4000-8000-000000000002', dynamic: 'a0000000-0000-4000-8000-000000000003', synced: 'a0000000-0000-4000-8000-000000000004' };
  const PEOPLE = { owner: 'b0000000-0000-4000-8000-000000000001', groupsAdmin: 'b0000000-0000-4000-8000-000000000002', plain: 'b0000000-0000-4000-8000-000000000003' };
  const APP_ROLE = { groupMemberRw: 'dbaae8cf-10b5-4b86-a4a1-f871c94c6695', groupRw: '62a82d76-70ea-41e2-9197-370581804d09', roleMgmtRw: '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8' };
  const group = (name: keyof typeof GROUPS) => corp('group', GROUPS[name]);
  const person = (name: keyof typeof PEOPLE) => corp('identity', PEOPLE[name]);
  const value = (items: unknown[]) => JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata', value: items });
  const assignment = (n: number, principal: string, appRoleId: string) => ({ id: `hrAssign${n}`, appRoleId, createdDateTime: '2025-03-01T10:00:00Z', principalDisplayName: 'HR Sync', principalId: principal, principalType: 'ServicePrincipal', resourceDisplayName: 'Microsoft Graph', resourceId: GRAPH_SP });
  const grant = (grantId: string, consentType: 'Principal' | 'AllPrincipals', principalId: string | null, scope: string) => ({ clientId: MAILER_SP, consentType, id: grantId, principalId, resourceId: GRAPH_SP, scope });
  function tenant(appRoles: string[], grants: unknown[] = []): RawFile[] {
    return [
      { path: 'organization.json', text: value([{ id: CORP, displayName: 'Fabrikam' }]) },
      { path: 'servicePrincipals.json', text: value([
        { id: GRAPH_SP, appId: '00000003-0000-0000-c000-000000000000', displayName: 'Microsoft Graph', appOwnerOrganizationId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a', servicePrincipalType: 'Application',
          appRoles: [{ id: APP_ROLE.groupMemberRw, value: 'GroupMember.ReadWrite.All' }, { id: APP_ROLE.groupRw, value: 'Group.ReadWrite.All' }, { id: APP_ROLE.roleMgmtRw, value: 'RoleManagement.ReadWrite.Directory' }],
          oauth2PermissionScopes: [] },
        { id: HR_SP, appId: 'c0000000-0000-4000-8000-000000000002', displayName: 'HR Sync', appOwnerOrganizationId: CORP, servicePrincipalType: 'Application' },
        { id: MAILER_SP, appId: 'c0000000-0000-4000-8000-000000000003', displayName: 'Mail Digest', appOwnerOrganizationId: CORP, servicePrincipalType: 'Application' },
      ]) },
      { path: 'users.json', text: value(Object.entries(PEOPLE).map(([name, userId]) => ({ id: userId, displayName: name, userPrincipalName: `${name}@fabrikam.onmicrosoft.com`, accountEnabled: true, userType: 'Member' }))) },
      { path: 'groups.json', text: value([
        { id: GROUPS.sales, displayName: 'Sales', securityEnabled: true, mailEnabled: false, groupTypes: [], isAssignableToRole: false },
        { id: GROUPS.admins, displayName: 'Helpdesk Admins', securityEnabled: true, mailEnabled: false, groupTypes: [], isAssignableToRole: true },
        { id: GROUPS.dynamic, displayName: 'All Staff (dynamic)', securityEnabled: true, mailEnabled: false, groupTypes: ['DynamicMembership'], isAssignableToRole: false },
        { id: GROUPS.synced, displayName: 'Finance (from AD)', securityEnabled: true, mailEnabled: false, groupTypes: [], onPremisesSyncEnabled: true },
      ]) },
      { path: `groups/${GROUPS.sales}/owners.json`, text: value([{ '@odata.type': '#microsoft.graph.user', id: PEOPLE.owner, displayName: 'owner', userPrincipalName: 'owner@fabrikam.onmicrosoft.com' }]) },
      { path: `groups/${GROUPS.admins}/owners.json`, text: value([{ '@odata.type': '#microsoft.graph.user', id: PEOPLE.owner, displayName: 'owner', userPrincipalName: 'owner@fabrikam.onmicrosoft.com' }]) },
      // Groups Administrator (fdd7a751-...), tenant-wide.
      { path: 'roleManagement/directory/roleAssignments.json', text: value([{ id: 'ra-groups-admin', principalId: PEOPLE.groupsAdmin, roleDefinitionId: 'fdd7a751-b60b-444a-984c-02652fe8fa1c', directoryScopeId: '/' }]) },
      { path: `servicePrincipals/${HR_SP}/appRoleAssignments.json`, text: value(appRoles.map((appRoleId, n) => assignment(n, HR_SP, appRoleId))) },
      { path: 'oauth2PermissionGrants.json', text: value(grants) },
    ];
  }
  const addMember = (fragment: Fragment, from: string) => edges(fragment, { kind: 'CAN_ADD_MEMBER', from }).map((e) => e.to).sort();

  it('GroupMember.ReadWrite.All (application) changes every editable group but the role-assignable one', () => {
    const { fragment, report } = imported(tenant([APP_ROLE.groupMemberRw]));
    expect(addMember(fragment, corp('identity', HR_SP))).toEqual([group('sales')]);
    expect(edges(fragment, { kind: 'CAN_ADD_MEMBER', from: corp('identity', HR_SP) })[0]).toMatchObject({ scopes: ['GroupMember.ReadWrite.All'], grant: 'appRoleAssignment/hrAssign0' });
    // Dynamic and on-premises-synchronised groups take no members through Graph, whoever asks.
    expect(edges(fragment, { kind: 'CAN_ADD_MEMBER' }).map((e) => e.to)).not.toContain(group('dynamic'));
    expect(edges(fragment, { kind: 'CAN_ADD_MEMBER' }).map((e) => e.to)).not.toContain(group('synced'));
    expect(report.notes.join('\n')).toContain('dynamic or on-premises-synchronised');
  });

  it('with RoleManagement.ReadWrite.Directory too, Group.ReadWrite.All also changes role-assignable groups', () => {
    const { fragment } = imported(tenant([APP_ROLE.groupRw, APP_ROLE.roleMgmtRw]));
    expect(addMember(fragment, corp('identity', HR_SP))).toEqual([group('sales'), group('admins')].sort());
    expect(edges(fragment, { kind: 'CAN_ADD_MEMBER', from: corp('identity', HR_SP), to: group('admins') })[0]!.scopes).toEqual(['Group.ReadWrite.All', 'RoleManagement.ReadWrite.Directory']);
  });

  it('group owners change their groups, role-assignable ones included; Groups Administrators every non-role-assignable group', () => {
    const { fragment } = imported(tenant([]));
    expect(addMember(fragment, person('owner'))).toEqual([group('sales'), group('admins')].sort());
    expect(addMember(fragment, corp('role', 'fdd7a751-b60b-444a-984c-02652fe8fa1c'))).toEqual([group('sales')]);
    expect(addMember(fragment, person('plain'))).toEqual([]);
  });

  it('a delegated group-writing grant changes only the groups its user may change, and never becomes the user', () => {
    const { fragment } = imported(tenant([], [
      grant('g-owner', 'Principal', PEOPLE.owner, 'GroupMember.ReadWrite.All offline_access'),
      grant('g-admin', 'Principal', PEOPLE.groupsAdmin, 'GroupMember.ReadWrite.All'),
      grant('g-plain', 'Principal', PEOPLE.plain, 'GroupMember.ReadWrite.All'),
      grant('g-all', 'AllPrincipals', null, 'GroupMember.ReadWrite.All'),
    ]));
    expect(addMember(fragment, corp('credential', 'grant/g-owner'))).toEqual([group('sales'), group('admins')].sort());
    expect(addMember(fragment, corp('credential', 'grant/g-admin'))).toEqual([group('sales')]);
    expect(addMember(fragment, corp('credential', 'grant/g-plain'))).toEqual([]);
    // An admin consent acts as whoever signs in: what some user may change, on that user's rights.
    const all = edges(fragment, { kind: 'CAN_ADD_MEMBER', from: corp('credential', 'grant/g-all') });
    expect(all.map((e) => e.to).sort()).toEqual([group('sales'), group('admins')].sort());
    for (const edge of all) expect(edge.conditions).toEqual([USER_RIGHTS_CONDITION]);
    expect(edges(fragment, { kind: 'AUTHENTICATES_AS' }).filter((e) => e.from.includes(':credential:grant/'))).toEqual([]);
  });

  it('a single-user Mail.Read grant reads that user\'s mailbox and reaches nothing else of theirs: no OneDrive, no directory role, no group', () => {
    const { fragment } = imported(tenant([], [grant('g-mail', 'Principal', PEOPLE.groupsAdmin, 'Mail.Read offline_access openid')]));
    const finished = finishFragment(fragment, { nodePaths: fragment.nodes.map((n) => n.id), edgePaths: fragment.edges.map((e) => e.to) });
    if (!finished.ok) throw new Error('inconsistent fragment');
    const graph = assembleGraph([finished.value]).graph;
    const result = reach(graph, [graph.indexOf.get(corp('credential', 'grant/g-mail'))!]);
    const reached = graph.nodes.filter((_, v) => result.level[v]! > 0).map((n) => `${n.id} ${result.level[graph.indexOf.get(n.id)!]}`);
    // The grant itself (admin: it is the source) and the mailbox of the user who consented, at read; nothing else,
    // although that user is a Groups Administrator.
    expect(reached.sort()).toEqual([`${corp('credential', 'grant/g-mail')} 3`, `${corp('resource', `mailbox/${PEOPLE.groupsAdmin}`)} 1`].sort());
  });
});

describe('validation', () => {
  const org = { path: 'organization.json', text: JSON.stringify({ value: [{ id: CORP }] }) };
  const badSps = { path: 'servicePrincipals.json', text: JSON.stringify({ value: [{ id: 'a1', appId: 'b1', displayName: 'ok' }, { id: 'a2', displayName: 'no appId' }] }) };

  it('a missing required field fails with file and JSON path', () => {
    const result = run([org, badSps]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([expect.objectContaining({ file: 'servicePrincipals.json', path: '$.value[1].appId', expected: 'a string', found: 'nothing' })]);
  });

  it('--lenient skips the bad record and reports it', () => {
    const result = imported([org, badSps], { lenient: true });
    expect(result.report.skipped.map((i) => `${i.file} ${i.path}`)).toEqual(['servicePrincipals.json $.value[1].appId']);
    expect(result.fragment.nodes.map((n) => n.name)).toContain('ok');
    expect(result.fragment.nodes.map((n) => n.name)).not.toContain('no appId');
  });

  it('without organization.json or --tenant there is no tenant, and a --tenant that contradicts the export is refused', () => {
    const none = run([badSps]);
    expect(!none.ok && none.issues.some((i) => i.message === 'no tenant id')).toBe(true);
    const clash = run([org], { tenant: '00000000-1111-4111-8111-000000000000' });
    expect(!clash.ok && clash.issues[0]).toMatchObject({ file: 'organization.json', path: '$.value[0].id', message: '--tenant does not match the export' });
    expect(imported([org], { tenant: CORP.toUpperCase() }).fragment.nodes.map((n) => n.id)).toEqual([PLATFORM]);
  });

  it('an id longer than any Graph id is refused with file and JSON path, not copied into every node id', () => {
    // The fuzz case: organization.json's id replaced by 634,711 blanks made every node id as long (10 s, 1.5 GB).
    const huge = { path: 'organization.json', text: JSON.stringify({ value: [{ id: ' '.repeat(100_000) }] }) };
    const result = run([huge]);
    expect(!result.ok && result.issues[0]).toMatchObject({ file: 'organization.json', path: '$.value[0].id' });
    expect(run([{ path: 'organization.json', text: JSON.stringify({ value: [{ id: 'x'.repeat(256) }] }) }]).ok).toBe(true);
  });

  it('an owners file for an application that is not in the export fails, naming the file', () => {
    const result = run([org, { path: 'applications/99999999-0000-4000-8000-000000000000/owners.json', text: JSON.stringify({ value: [] }) }]);
    expect(!result.ok && result.issues[0]).toMatchObject({ file: 'applications/99999999-0000-4000-8000-000000000000/owners.json', path: '$', expected: 'a application with id 99999999-0000-4000-8000-000000000000 in applications.json' });
  });

  it('a single-user consent without its user is an error', () => {
    const result = run([org, { path: 'oauth2PermissionGrants.json', text: JSON.stringify({ value: [{ id: 'g', clientId: 'c', consentType: 'Principal', principalId: null, resourceId: 'r', scope: 'Mail.Read' }] }) }]);
    expect(!result.ok && result.issues[0]).toMatchObject({ path: '$.value[0].principalId' });
  });

  it('every node and edge is valid native format and the fragment assembles', () => {
    const { fragment } = corpImport();
    const nodes = nodeSchema();
    const edgeShape = edgeSchema();
    for (const n of fragment.nodes) expect(nodes.safeParse(n).success, n.id).toBe(true);
    for (const e of fragment.edges) expect(edgeShape.safeParse(e).success, `${e.kind} ${e.from} ${e.to}`).toBe(true);
    const finished = finishFragment(structuredClone(fragment), { nodePaths: fragment.nodes.map((n) => n.id), edgePaths: fragment.edges.map((e) => e.to) });
    expect(finished.ok).toBe(true);
    if (finished.ok) expect(() => assembleGraph([finished.value])).not.toThrow();
  });
});

describe('idempotence and secrets', () => {
  const sourced = (fragment: Fragment) => {
    const finished = finishFragment(structuredClone(fragment), { nodePaths: fragment.nodes.map((n) => n.id), edgePaths: fragment.edges.map((e) => e.to) });
    if (!finished.ok) throw new Error('unfinished');
    return finished.value;
  };

  it('importing the same export twice gives the same graph, whatever order the files come in', () => {
    const files = corpFiles();
    const first = corpImport().fragment;
    const shuffled = imported([...files].reverse()).fragment;
    expect(shuffled).toEqual(first);
    const once = assembleGraph([sourced(first)]).graph;
    const twice = assembleGraph([sourced(first)], once).graph;
    expect(toFragment(twice)).toEqual(toFragment(once));
  });

  it('secret values (secretText, certificate key bodies) never reach the fragment nor the snapshot', async () => {
    const raw = corpFiles().map((f) => f.text).join('\n');
    expect(raw).toContain('EXAMPLE-not-a-real-secret');
    expect(raw).toContain('EXAMPLE-certificate-body');
    expect(JSON.stringify(corpImport().fragment)).not.toContain('EXAMPLE');
    const dir = tempDir();
    const snapshot = join(dir, 'graph.bmap');
    const result = await runCli(['import', 'entra', join(FIXTURE, 'corp'), '--graph', snapshot]);
    expect(result.code, result.err).toBe(0);
    expect(readFileSync(snapshot).toString('latin1')).not.toContain('EXAMPLE');
  });
});

describe('catalogues', () => {
  it('scopes.json and roles.json validate, and every resource type they name is mapped', () => {
    const scopes = scopeCatalogSchema.parse(JSON.parse(readFileSync(join(REPO, 'engine/schema/scopes/entra.json'), 'utf8')));
    const roles = roleCatalogSchema.parse(JSON.parse(readFileSync(join(REPO, 'importers/entra/roles.json'), 'utf8')));
    const known = new Set([...Object.keys(RESOURCE_TYPES), 'tenant']);
    const named = [...Object.values(scopes.scopes).flatMap((e) => e.resources), ...Object.values(roles.roles).flatMap((r) => r.grants.map((g) => g.resource))];
    expect(named.filter((type) => !known.has(type))).toEqual([]);
    expect(Object.entries(scopes.scopes).filter(([, e]) => e.takeover !== undefined && e.resources.length > 0).map(([name]) => name)).toEqual(expect.arrayContaining(['Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'RoleManagement.ReadWrite.Directory']));
    expect(roles.roles['62e90394-69f5-4237-9190-012177145e10']).toMatchObject({ name: 'Global Administrator', privileged: true, grants: [{ level: 'admin', resource: 'tenant' }] });
  });
});

describe('blastmap import entra, end to end', () => {
  type Radius = { reached: { id: string; level: string; path: { kind: string; scopes?: string[]; from: { id: string } }[] }[] };
  const radius = async (snapshot: string, source: string): Promise<Radius> => {
    const result = await runCli(['radius', source, '--graph', snapshot, '--format', 'json', '--paths', '--at', '2026-11-01']);
    expect(result.code, result.err).toBe(0);
    return JSON.parse(result.out) as Radius;
  };

  it('the legacy test app (registered in the test tenant) reaches every corporate mailbox through its takeover permissions', async () => {
    const snapshot = join(tempDir(), 'graph.bmap');
    for (const folder of ['corp', 'test-tenant']) {
      const result = await runCli(['import', 'entra', join(FIXTURE, folder), '--graph', snapshot]);
      expect(result.code, result.err).toBe(0);
    }
    const fromApp = await radius(snapshot, LEGACY_APP);
    const mailboxes = fromApp.reached.find((r) => r.id === MAILBOXES);
    expect(mailboxes?.level).toBe('admin');
    const takeover = mailboxes!.path.flatMap((step) => step.scopes ?? []);
    expect(takeover.some((scope) => ['AppRoleAssignment.ReadWrite.All', 'Application.ReadWrite.All'].includes(scope))).toBe(true);
    expect(fromApp.reached.find((r) => r.id === GLOBAL_ADMIN)?.level).toBe('admin');
    // The password-sprayed owner of the test app reaches the same mailboxes, one hop further.
    const fromOwner = await radius(snapshot, `entra:${TEST_TENANT}:identity:cdcdcdcd-4444-4444-8444-000000000001`);
    expect(fromOwner.reached.find((r) => r.id === MAILBOXES)?.level).toBe('admin');
    // A vendor with only delegated Mail.Read for all users reads mailboxes and takes over nothing.
    const fromMailmeld = await radius(snapshot, MAILMELD_APP);
    expect(fromMailmeld.reached.find((r) => r.id === MAILBOXES)?.level).toBe('read');
    expect(fromMailmeld.reached.some((r) => r.id === PLATFORM || r.id === APPLICATIONS)).toBe(false);
  });

  it('an export with no tenant exits with the invalid-input status and says what is missing', async () => {
    const result = await runCli(['import', 'entra', join(CORPUS, 'user-oauth2PermissionGrants-list.principal-consent.json'), '--graph', join(tempDir(), 'g.bmap')]);
    expect(result.code).toBe(3);
    expect(result.err).toContain('organization.json file (GET /organization) or --tenant');
  });
});

describe('input amplification: the tenant is part of every node id', () => {
  it('an app owner organization id longer than any Graph id is refused with file and JSON path: it is the tenant of the owner\'s nodes', () => {
    const files = readRawFiles([join(FIXTURE, 'corp')]).map((f) => (f.path === 'servicePrincipals.json' ? { ...f, text: f.text.replace(/"appOwnerOrganizationId": "[^"]*"/, `"appOwnerOrganizationId": "${'a'.repeat(100_000)}"`) } : f));
    const result = run(files);
    expect(!result.ok && result.issues[0]).toMatchObject({ file: 'servicePrincipals.json', path: '$.value[0].appOwnerOrganizationId', expected: 'at most 256 characters' });
  });
});

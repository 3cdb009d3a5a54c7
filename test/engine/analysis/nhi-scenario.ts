// The scenario of findings-nhi.test.ts: noise cases (MFA, ownership, rotation, leaks) and the NHI3/5/6/8/9 rules,
// each node that must fire next to near-misses that must stay silent. Shared with findings.test.ts.
import type { GraphNode } from '../../../engine/format/native.ts';
import { scenario, type Scenario, type ScenarioBuilder } from '../../helpers/scenario.ts';

const QUIET = { createdAt: '2026-01-01', lastUsedAt: '2026-05-31', expiresAt: '2027-01-01' };
const MICROSOFT_SERVICES_TENANT = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';

/** One scenario for the noise rules and the NHI rules; every handle that must fire has a sibling that must not. */
export function nhiScenario(): Scenario {
  return scenario((s: ScenarioBuilder) => {
    const credential = (handle: string, props: Parameters<ScenarioBuilder['credential']>[1] = {}) => s.credential(handle, { ...QUIET, ...props });
    const owned = (handle: string) => s.edge('OWNS', 'owner', handle);
    s.identity('owner', { subtype: 'human', mfa: true });
    s.resource('vault', { tags: ['crown-jewel'] });

    // --- MFA: only identities that sign in interactively.
    for (const handle of ['keyOnlyUser', 'apiOnlyUser', 'workloadNoMfa', 'consoleUser', 'legacySvc', 'humanNoConsole', 'humanNoMfa']) s.edge('CAN_WRITE', s.identity(handle, {
      subtype: handle.startsWith('human') ? 'human' : handle === 'workloadNoMfa' ? 'workload' : 'service',
      mfa: false,
      ownerIds: [s.idOf('owner')],
      properties: {
        keyOnlyUser: { passwordEnabled: false }, apiOnlyUser: { apiOnly: true }, consoleUser: { passwordEnabled: true }, humanNoConsole: { consoleAccess: false },
      }[handle] ?? {},
    }), 'vault');
    credential('legacyPassword', { type: 'password' });
    s.edge('AUTHENTICATES_AS', 'legacyPassword', 'legacySvc');
    s.identity('passwordHolder', { subtype: 'human', mfa: true });
    s.edge('HOLDS', 'passwordHolder', 'legacyPassword');

    // --- No owner: first-party, platform-managed and sign-in tiles are nobody's to own.
    s.app('msGraphApp', { platform: 'entra', tenant: MICROSOFT_SERVICES_TENANT, properties: { firstParty: true } });
    s.identity('msServicePrincipal', { platform: 'entra', subtype: 'service', properties: { appOwnerOrganizationId: MICROSOFT_SERVICES_TENANT } });
    s.identity('ssoRole', { platform: 'aws', subtype: 'workload', properties: { path: '/aws-reserved/sso.amazonaws.com/' } });
    s.identity('serviceLinkedRole', { platform: 'aws', subtype: 'workload', properties: { path: '/aws-service-role/rds.amazonaws.com/', serviceLinked: true } });
    s.app('samlTile', { platform: 'okta', properties: { signOnMode: 'SAML_2_0' } });
    s.app('bookmarkTile', { platform: 'okta', properties: { signOnMode: 'BOOKMARK' } });
    s.app('oidcServiceApp', { platform: 'okta', properties: { signOnMode: 'OPENID_CONNECT' } });
    credential('oidcServiceSecret', { platform: 'okta', type: 'client-secret' });
    s.edge('HOLDS', 'oidcServiceApp', 'oidcServiceSecret');
    s.identity('customerRole', { platform: 'aws', subtype: 'workload', properties: { path: '/' } });

    // --- Rotation: a grant a vendor holds is the vendor's to rotate; the customer revokes it.
    s.platform('vendorEnv', { platform: 'vendorx', tenant: 'prod' });
    s.app('vendorApp', { platform: 'vendorx', tenant: 'prod', thirdParty: true });
    owned('vendorApp');
    credential('userGrant', { platform: 'google', type: 'oauth-grant', createdAt: '2024-01-01', expiresAt: undefined });
    s.resource('mailbox', { platform: 'google' });
    s.edge('HOLDS', 'vendorApp', 'userGrant').edge('CAN_READ', 'userGrant', 'mailbox');
    s.app('connectedApp', { platform: 'salesforce' });
    owned('connectedApp');
    s.edge('MANAGES', 'vendorEnv', 'connectedApp');
    credential('vendorRefreshToken', { platform: 'salesforce', type: 'refresh-token', createdAt: '2023-01-01' });
    s.edge('HOLDS', 'connectedApp', 'vendorRefreshToken');
    s.app('internalApp');
    owned('internalApp');
    credential('internalGrant', { type: 'oauth-grant', createdAt: '2024-01-01' });
    s.edge('HOLDS', 'internalApp', 'internalGrant');
    credential('keyGivenToVendor', { type: 'api-key', createdAt: '2024-01-01' });
    s.edge('HOLDS', 'vendorApp', 'keyGivenToVendor');

    // --- Leaks: found in data only; a secret store and a CI secret are where a credential belongs.
    s.resource('supportCase');
    credential('pastedKey');
    s.edge('CONTAINS_CREDENTIAL', 'supportCase', 'pastedKey');
    s.resource('secretStore', { resourceType: 'secret-store' });
    credential('storedKey');
    s.edge('STORES_CREDENTIAL', 'secretStore', 'storedKey');
    s.resource('ciProject', { resourceType: 'ci-project' });
    s.identity('ciBuilds', { subtype: 'workload', ownerIds: [s.idOf('owner')] });
    credential('ciKey');
    s.edge('RUNS_AS', 'ciProject', 'ciBuilds').edge('HOLDS', 'ciBuilds', 'ciKey');

    // --- NHI5: privileged roles held by non-human identities (directly, through a group, platform admin).
    s.platform('cloud', { platform: 'aws' });
    s.role('adminPolicy', { platform: 'aws', privileged: true, name: 'AdministratorAccess' });
    s.role('orgOwner', { privileged: true });
    s.role('readerRole', { privileged: false });
    s.group('admins');
    s.edge('HAS_ROLE', 'admins', 'orgOwner');
    s.identity('deployRole', { platform: 'aws', subtype: 'workload', ownerIds: [s.idOf('owner')] });
    s.edge('HAS_ROLE', 'deployRole', 'adminPolicy');
    s.identity('svcInAdmins', { subtype: 'service', ownerIds: [s.idOf('owner')] });
    s.edge('MEMBER_OF', 'svcInAdmins', 'admins');
    s.identity('platformAdminSvc', { platform: 'aws', subtype: 'service', ownerIds: [s.idOf('owner')] });
    s.edge('CAN_ADMIN', 'platformAdminSvc', 'cloud');
    s.identity('readerSvc', { subtype: 'service', ownerIds: [s.idOf('owner')] });
    s.edge('HAS_ROLE', 'readerSvc', 'readerRole');
    s.identity('ssoAdminRole', { platform: 'aws', subtype: 'workload', properties: { path: '/aws-reserved/sso.amazonaws.com/' } });
    s.edge('HAS_ROLE', 'ssoAdminRole', 'adminPolicy');
    s.identity('adminHuman', { subtype: 'human', mfa: true });
    s.edge('HAS_ROLE', 'adminHuman', 'adminPolicy');
    // Reaches an admin role only by reading a stored key: a pivot, not a role it holds.
    s.identity('pivotSvc', { subtype: 'service', ownerIds: [s.idOf('owner')] });
    s.resource('adminKeyStore', { resourceType: 'secret-store' });
    credential('adminKey', { platform: 'aws' });
    s.edge('CAN_READ', 'pivotSvc', 'adminKeyStore').edge('STORES_CREDENTIAL', 'adminKeyStore', 'adminKey').edge('AUTHENTICATES_AS', 'adminKey', 'deployRole');

    // --- NHI3: a third party reaching a privileged non-human identity.
    s.resource('deployRepo', { platform: 'github', resourceType: 'repository' });
    s.edge('RUNS_AS', 'deployRepo', 'deployRole');
    s.app('ciVendorApp', { platform: 'ciVendor', tenant: 'prod', thirdParty: true, vendor: 'CI Vendor Ltd.' });
    owned('ciVendorApp');
    s.edge('CAN_WRITE', 'ciVendorApp', 'deployRepo');
    s.app('vendorManagedApp', { platform: 'github' });
    owned('vendorManagedApp');
    s.edge('MANAGES', 'vendorEnv', 'vendorManagedApp');
    credential('vendorManagedKey', { platform: 'github' });
    s.edge('HOLDS', 'vendorManagedApp', 'vendorManagedKey').edge('AUTHENTICATES_AS', 'vendorManagedKey', 'svcInAdmins');
    s.resource('docsRepo', { platform: 'github', resourceType: 'repository' });
    s.app('harmlessVendorApp', { platform: 'docsVendor', thirdParty: true });
    owned('harmlessVendorApp');
    s.edge('CAN_READ', 'harmlessVendorApp', 'docsRepo');
    s.app('internalCiApp', { platform: 'github' });
    owned('internalCiApp');
    s.edge('CAN_WRITE', 'internalCiApp', 'deployRepo');

    // --- NHI6: web-identity trusts without a subject condition.
    s.identity('ciRole', { platform: 'aws', subtype: 'workload', ownerIds: [s.idOf('owner')] });
    const trust = (handle: string, properties: Record<string, unknown>, to = 'ciRole') => {
      credential(handle, { platform: 'aws', type: 'federated', expiresAt: undefined, properties: properties as GraphNode['properties'] });
      s.edge('AUTHENTICATES_AS', handle, to);
    };
    const GITHUB = 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com';
    trust('oidcNoSubject', { provider: GITHUB, webIdentity: true, audience: ['sts.amazonaws.com'] });
    trust('oidcAnyRepo', { provider: GITHUB, webIdentity: true, subject: ['repo:*'] });
    trust('oidcPinned', { provider: GITHUB, webIdentity: true, subject: ['repo:corvid/infra:ref:refs/heads/main'] });
    trust('oidcOrgWide', { provider: GITHUB, webIdentity: true, subject: ['repo:corvid/*'] });
    trust('samlTrust', { provider: 'arn:aws:iam::111122223333:saml-provider/Okta' });
    trust('entraFic', { issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:corvid/api:environment:prod' });
    trust('oidcToAdmin', { provider: GITHUB, webIdentity: true }, 'deployRole');

    // --- NHI9: one credential, several apps or workloads.
    s.identity('workA', { subtype: 'workload', ownerIds: [s.idOf('owner')] });
    s.identity('workB', { subtype: 'workload', ownerIds: [s.idOf('owner')] });
    credential('sharedKey');
    s.edge('HOLDS', 'workA', 'sharedKey').edge('HOLDS', 'workB', 'sharedKey');
    s.app('registration', { platform: 'entra' });
    owned('registration');
    s.app('vendorBackend', { platform: 'ledger', thirdParty: true });
    owned('vendorBackend');
    credential('registeredSecret', { platform: 'entra', type: 'client-secret' });
    s.edge('HOLDS', 'registration', 'registeredSecret').edge('HOLDS', 'vendorBackend', 'registeredSecret');
    s.identity('humanHolder', { subtype: 'human' });
    credential('humanAndWorkloadKey');
    s.edge('HOLDS', 'humanHolder', 'humanAndWorkloadKey').edge('HOLDS', 'workA', 'humanAndWorkloadKey');
    s.app('vendorOne', { platform: 'v1', thirdParty: true });
    s.app('vendorTwo', { platform: 'v2', thirdParty: true });
    owned('vendorOne');
    owned('vendorTwo');
    credential('twoVendorsKey', { type: 'api-key' });
    s.edge('HOLDS', 'vendorOne', 'twoVendorsKey').edge('HOLDS', 'vendorTwo', 'twoVendorsKey');

    // --- NHI8: production and non-production from one credential's own authority.
    s.resource('prodBucket', { platform: 'aws', name: 'S3 bucket corvid-data', tags: ['production'] });
    s.resource('stagingBucket', { platform: 'aws', name: 'S3 bucket corvid-staging-artifacts' });
    s.resource('productCatalog', { platform: 'aws', name: 'S3 bucket product-catalog' });
    s.platform('sandboxOrg', { platform: 'salesforce', tenant: 'sbx', name: 'Acme (Salesforce)', properties: { sandbox: true } });
    s.resource('sandboxCases', { platform: 'salesforce', tenant: 'sbx', name: 'Cases' });
    credential('mixedKey');
    s.edge('CAN_READ', 'mixedKey', 'prodBucket').edge('CAN_WRITE', 'mixedKey', 'stagingBucket');
    credential('prodOnlyKey');
    s.edge('CAN_READ', 'prodOnlyKey', 'prodBucket').edge('CAN_READ', 'prodOnlyKey', 'productCatalog');
    credential('stagingKey');
    s.resource('stagingSecrets', { resourceType: 'secret-store' });
    s.edge('CAN_READ', 'stagingKey', 'stagingBucket');
    credential('pivotKey');
    s.edge('CAN_READ', 'pivotKey', 'prodBucket').edge('CAN_READ', 'pivotKey', 'stagingSecrets').edge('STORES_CREDENTIAL', 'stagingSecrets', 'stagingKey');
    credential('sandboxAndProdKey');
    s.edge('CAN_READ', 'sandboxAndProdKey', 'prodBucket').edge('CAN_READ', 'sandboxAndProdKey', 'sandboxCases');
  });
}


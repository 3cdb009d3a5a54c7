// Findings without noise and without blind spots: identities that cannot use MFA, objects nobody can own,
// grants only a vendor can rotate, secret stores and CI secrets that are not leaks, and the NHI3/5/6/8/9 rules,
// each on a scenario with a node that must fire next to near-misses that must stay silent.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../../engine/analysis/findings-catalog.ts';
import { governanceFindings, isPlatformManaged, reachScanner, type Finding } from '../../../engine/analysis/findings.ts';
import { reach } from '../../../engine/analysis/reach.ts';
import type { GraphNode } from '../../../engine/format/native.ts';
import { buildGraph } from '../../../engine/store/compact.ts';
import { awsImporter } from '../../../importers/aws/index.ts';
import { AT as RANDOM_AT, randomGraph } from '../../helpers/arbitraries.ts';
import { scenario, type Scenario } from '../../helpers/scenario.ts';
import { nhiScenario } from './nhi-scenario.ts';

const AT = '2026-06-01T00:00:00Z';
const R = RULE_IDS;
const hits = (h: Scenario, findings: readonly Finding[], ruleId: string): string[] =>
  findings.filter((f) => f.ruleId === ruleId).map((f) => h.handleOf(h.graph.indexOf.get(f.nodeId)!)).sort();
const finding = (h: Scenario, findings: readonly Finding[], ruleId: string, handle: string): Finding =>
  findings.find((f) => f.ruleId === ruleId && f.nodeId === h.id(handle))!;

describe('no noise', () => {
  const h = nhiScenario();
  const findings = governanceFindings(h.graph, { at: AT });

  it('no MFA finding for identities that cannot sign in interactively: key-only, API-only, workloads, no console', () => {
    expect(hits(h, findings, R.noMfaPrivileged)).toEqual(['consoleUser', 'humanNoMfa', 'legacySvc']);
  });

  it('no owner finding for first-party apps and principals, AWS-managed roles and sign-in-only app tiles', () => {
    const ownerless = hits(h, findings, R.noOwner);
    for (const quiet of ['msGraphApp', 'msServicePrincipal', 'ssoRole', 'serviceLinkedRole', 'samlTile', 'bookmarkTile', 'ssoAdminRole']) expect(ownerless).not.toContain(quiet);
    // An app with a sign-on mode that also holds a secret acts on its own, and a customer's own role needs an owner.
    expect(ownerless).toEqual(expect.arrayContaining(['oidcServiceApp', 'customerRole']));
  });

  it('the platform-managed test reads the facts importers write', () => {
    const node = (properties: Record<string, unknown>): GraphNode => ({ id: 'x', kind: 'App', name: 'x', platform: 'p', tenant: 't', properties: properties as GraphNode['properties'] });
    expect(isPlatformManaged(node({ firstParty: 'Google Chrome Sync' }))).toBe(true);
    expect(isPlatformManaged(node({ appOwnerOrganizationId: '72F988BF-86F1-41AF-91AB-2D7CD011DB47' }))).toBe(true);
    expect(isPlatformManaged(node({ appOwnerOrganizationId: 'b7c4e0d2-3f19-4a6e-8c25-9d1f0e7a6b43' }))).toBe(false);
    expect(isPlatformManaged(node({ path: '/service/' }))).toBe(false);
    expect(isPlatformManaged(node({ firstParty: false }))).toBe(false);
  });

  it('no rotation finding on a grant or refresh token only the vendor holding it can rotate; the remaining finding says to revoke', () => {
    const due = hits(h, findings, R.notRotated);
    expect(due).not.toContain('userGrant');
    expect(due).not.toContain('vendorRefreshToken');
    expect(due).toEqual(expect.arrayContaining(['internalGrant', 'keyGivenToVendor']));
    expect(finding(h, findings, R.noExpiry, 'userGrant').evidence.summary).toContain('only the vendor can rotate it, revoking it is yours');
  });

  it('the leak rule fires for a secret found in data, never for a secret store or a CI secret', () => {
    expect(hits(h, findings, R.leakedCredential)).toEqual(['pastedKey']);
  });
});

describe('rules for NHI3, NHI5, NHI6, NHI8, NHI9', () => {
  const h = nhiScenario();
  const findings = governanceFindings(h.graph, { at: AT });

  it('NHI5: a service or workload identity holding a privileged role, through a group, or admin on a platform', () => {
    expect(hits(h, findings, R.privilegedNhi)).toEqual(['deployRole', 'platformAdminSvc', 'svcInAdmins']);
    const viaGroup = finding(h, findings, R.privilegedNhi, 'svcInAdmins');
    expect(viaGroup.severity).toBe('high');
    expect(viaGroup.evidence.related.map((r) => `${r.relation} ${r.id}`)).toEqual([`privileged role ${h.id('orgOwner')}`]);
    expect(finding(h, findings, R.privilegedNhi, 'deployRole').evidence.summary).toContain('privileged role AdministratorAccess');
  });

  it('NHI3: a third party (flagged, or managed from a vendor environment) that reaches a privileged non-human identity', () => {
    expect(hits(h, findings, R.thirdPartyPrivilegedWorkload)).toEqual(['ciVendorApp', 'vendorManagedApp']);
    const ci = finding(h, findings, R.thirdPartyPrivilegedWorkload, 'ciVendorApp');
    expect(ci.severity).toBe('critical');
    expect(ci.evidence.related.map((r) => r.id)).toEqual([h.id('deployRole')]);
    expect(ci.evidence.summary).toMatch(/^Third-party app from CI Vendor Ltd\. reaches a privileged non-human identity: deployRole \(privileged role AdministratorAccess\)/);
  });

  it('NHI6: a web-identity trust with no subject or an open one; pinned, org-wide, SAML and Entra subjects are not', () => {
    expect(hits(h, findings, R.federatedNoSubject)).toEqual(['oidcAnyRepo', 'oidcNoSubject', 'oidcToAdmin']);
    expect(finding(h, findings, R.federatedNoSubject, 'oidcNoSubject').severity).toBe('high');
    expect(finding(h, findings, R.federatedNoSubject, 'oidcToAdmin').severity).toBe('critical');
    expect(finding(h, findings, R.federatedNoSubject, 'oidcAnyRepo').evidence.summary).toContain('open subject condition (repo:*)');
  });

  it('NHI9: two workloads or two vendors on one credential; a registration and its vendor, or a human, count once', () => {
    expect(hits(h, findings, R.sharedCredential)).toEqual(['sharedKey', 'twoVendorsKey']);
    expect(finding(h, findings, R.sharedCredential, 'sharedKey').evidence.related.map((r) => r.id)).toEqual([h.id('workA'), h.id('workB')]);
  });

  it('NHI8: production and non-production by tags, names and the tenant platform; a pivot through a stored key does not count', () => {
    expect(hits(h, findings, R.crossEnvironment)).toEqual(['mixedKey', 'sandboxAndProdKey']);
    const mixed = finding(h, findings, R.crossEnvironment, 'mixedKey');
    expect(mixed.evidence.related.map((r) => `${r.relation} ${r.id}`)).toEqual([`production ${h.id('prodBucket')}`, `non-production ${h.id('stagingBucket')}`]);
  });

  it('a silenced node of one rule still raises the others: the SSO admin role reached by a vendor is that vendor\'s finding', () => {
    const withVendor = scenario((s) => {
      s.role('admin', { privileged: true });
      s.identity('ssoAdmin', { platform: 'aws', subtype: 'workload', properties: { path: '/aws-reserved/sso.amazonaws.com/' } });
      s.edge('HAS_ROLE', 'ssoAdmin', 'admin');
      s.app('vendor', { platform: 'v', thirdParty: true, ownerIds: ['x'] });
      s.credential('samlKey', { type: 'federated' });
      s.edge('HOLDS', 'vendor', 'samlKey').edge('AUTHENTICATES_AS', 'samlKey', 'ssoAdmin');
    });
    const found = governanceFindings(withVendor.graph, { at: AT });
    expect(hits(withVendor, found, R.privilegedNhi)).toEqual([]);
    expect(hits(withVendor, found, R.thirdPartyPrivilegedWorkload)).toEqual(['vendor']);
  });
});

describe('findings name where to act', () => {
  it('each finding carries its object name, platform, tenant and console path', () => {
    const h = scenario((s) => {
      s.identity('svcUser', { platform: 'aws', tenant: '111122223333', subtype: 'service', name: 'IAM user svc-data-export', properties: { userName: 'svc-data-export' } });
      s.credential('key', { platform: 'aws', tenant: '111122223333', type: 'api-key', name: 'Access key of svc-data-export (AKIA…7Q2X)' });
      s.resource('case', { platform: 'salesforce', tenant: 'org', resourceType: 'crm-record', name: 'Case 00031337' });
      s.edge('AUTHENTICATES_AS', 'key', 'svcUser').edge('CONTAINS_CREDENTIAL', 'case', 'key');
      s.credential('oktaToken', { platform: 'okta', tenant: 'corp.okta.com', type: 'api-key', name: 'Okta API token "provisioning"', createdAt: '2020-01-01', expiresAt: '2030-01-01' });
      s.app('dwdClient', { platform: 'google-workspace', name: 'Vaultline Backup', ownerIds: ['x'] });
      s.credential('dwd', { platform: 'google-workspace', type: 'oauth-grant', name: 'Domain-wide delegation for Vaultline Backup', properties: { delegation: 'domain-wide', clientId: '104477230918822460113' } });
      s.edge('HOLDS', 'dwdClient', 'dwd');
    });
    const findings = governanceFindings(h.graph, { at: AT });
    const leak = finding(h, findings, R.leakedCredential, 'key');
    expect(leak).toMatchObject({ nodeName: 'Access key of svc-data-export (AKIA…7Q2X)', platform: 'aws', tenant: '111122223333' });
    expect(leak.console).toBe('AWS console → IAM → Users → svc-data-export → Security credentials → Access keys');
    expect(finding(h, findings, R.notRotated, 'oktaToken').console).toBe('Okta Admin → Security → API → Tokens → Okta API token "provisioning"');
    expect(finding(h, findings, R.noExpiry, 'dwd').console).toBe('Google Admin → Security → Access and data control → API controls → Domain-wide delegation → client ID 104477230918822460113');
  });
});

describe('where to act on a vendor\'s app', () => {
  it('points at the customer-side object: the credential it holds on a platform the table knows', () => {
    const h = scenario((s) => {
      s.app('ledgerly', { platform: 'ledgerly', tenant: 'prod', thirdParty: true, vendor: 'Ledgerly Ltd.', publisherVerified: false });
      s.app('registration', { platform: 'entra', name: 'Ledgerly AP Inbox Sync', ownerIds: ['x'] });
      s.credential('secret', { platform: 'entra', type: 'client-secret', name: 'client secret ledgerly-2025' });
      s.resource('mailboxes', { platform: 'entra', tags: ['crown-jewel'] });
      s.edge('HOLDS', 'registration', 'secret').edge('HOLDS', 'ledgerly', 'secret').edge('CAN_READ', 'secret', 'mailboxes');
      s.app('unknownVendor', { platform: 'acme', thirdParty: true, vendor: 'Acme' });
    });
    const findings = governanceFindings(h.graph, { at: AT });
    expect(finding(h, findings, R.unverifiedThirdParty, 'ledgerly').console)
      .toBe('Ledgerly Ltd. runs ledgerly; on your side: Microsoft Entra admin center → App registrations → Ledgerly AP Inbox Sync → Certificates & secrets');
    expect(finding(h, findings, R.noOwner, 'unknownVendor').console).toBe('Acme runs unknownVendor; on your side: revoke what it was granted on each of your platforms');
  });
});

describe('findings on the AWS importer\'s own output', () => {
  it('a GitHub OIDC trust without a sub condition, as imported, raises the NHI6 finding; with one it does not', () => {
    const ACCOUNT = '111122223333';
    const role = (name: string, condition: object) => ({
      RoleName: name, RoleId: `AROA${name.toUpperCase()}`, Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, Path: '/', RolePolicyList: [], AttachedManagedPolicies: [], RoleLastUsed: {},
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition }] },
    });
    const text = JSON.stringify({
      UserDetailList: [], GroupDetailList: [], Policies: [],
      RoleDetailList: [
        role('open-ci', { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } }),
        role('pinned-ci', { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:corvid/infra:ref:refs/heads/main' } }),
      ],
    });
    const result = awsImporter.transform([{ path: `account-authorization-details-${ACCOUNT}.json`, text }], {});
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const graph = buildGraph({ nodes: result.fragment.nodes, edges: result.fragment.edges });
    const flagged = governanceFindings(graph, { at: AT, ruleIds: [R.federatedNoSubject] });
    expect(flagged.map((f) => f.nodeId)).toEqual([`aws:${ACCOUNT}:credential:oidc/token.actions.githubusercontent.com/open-ci`]);
    expect(flagged[0]!.console).toBe('AWS console → IAM → Roles → open-ci → Trust relationships');
  });
});

describe('reachScanner', () => {
  it('visits exactly what reach visits with the same edge-kind filter, at the same levels', () => {
    fc.assert(
      fc.property(randomGraph({ maxNodes: 12, maxEdges: 35 }), fc.constantFrom<string[]>(['HOLDS', 'CONTAINS_CREDENTIAL'], ['MEMBER_OF'], []), ({ graph }, excluded) => {
        const exclude = excluded.filter((kind) => graph.edgeKindNames.includes(kind));
        const scan = reachScanner(graph, RANDOM_AT, { excludeEdgeKinds: exclude });
        for (let v = 0; v < graph.nodeCount; v++) {
          const result = reach(graph, [v], { at: RANDOM_AT, excludeEdgeKinds: exclude });
          const scanned = scan(v);
          expect([...scanned.order].sort((a, b) => a - b)).toEqual([...result.order].sort((a, b) => a - b));
          scanned.order.forEach((u, i) => expect(scanned.levels[i]).toBe(result.level[u]));
        }
      }),
      { numRuns: 120 },
    );
  });
});

// Governance findings on a scenario with one node per rule and near-misses that must stay silent, the
// scope heuristic, references on every rule, filters, and order/determinism on random graphs.
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ADMIN_SCOPE_PATTERNS, adminScopeMatches, FINDING_RULES, NIST_CSF_OUTCOMES, OWASP_NHI_TOP10_2025, RULE_IDS, RULES_BY_ID,
} from '../../../engine/analysis/findings-catalog.ts';
import { compareFindings, evaluateFindings, FindingContext, findingsReport, governanceFindings, hasFindingAtLeast, privilegeScanner, RULE_CHECKS, RULE_NODE_KINDS, type Finding } from '../../../engine/analysis/findings.ts';
import { reach } from '../../../engine/analysis/reach.ts';
import { scoreOrder } from '../../../engine/analysis/score.ts';
import { BlastmapError } from '../../../engine/errors.ts';
import { FINDINGS_PER_RULE, findingsJsonChunks, findingsSarif, findingsSarifChunks, RELATED_INLINE, renderFindingsMarkdown, renderFindingsText } from '../../../engine/report/findings.ts';
import { generateFragment } from '../../../engine/generate/enterprise.ts';
import { renderFindingsHtml } from '../../../engine/report/html.ts';
import type { GraphNode } from '../../../engine/format/native.ts';
import { buildGraph, type CompactGraph } from '../../../engine/store/compact.ts';
import { AT as RANDOM_AT, randomGraph, reachableGraph } from '../../helpers/arbitraries.ts';
import { referenceFindings } from '../../helpers/reference-findings.ts';
import { referencePrivilegeScanner } from '../../helpers/reference-privilege.ts';
import { scenario, type Scenario, type ScenarioBuilder } from '../../helpers/scenario.ts';
import { nhiScenario } from './nhi-scenario.ts';
import { readRawFiles } from '../../../cli/commands/import.ts';
import { n8nImporter } from '../../../importers/n8n/index.ts';
import { REPO } from '../../helpers/cli.ts';

export const AT = '2026-06-01T00:00:00Z';
const R = RULE_IDS;

/** Defaults that keep a credential silent: recent, used yesterday, expiring next year. */
const QUIET_CREDENTIAL = { createdAt: '2026-01-01', lastUsedAt: '2026-05-31', expiresAt: '2027-01-01' };

export function governanceScenario(): Scenario {
  return scenario((s: ScenarioBuilder) => {
    const credential = (handle: string, props: Parameters<ScenarioBuilder['credential']>[1] = {}) => s.credential(handle, { ...QUIET_CREDENTIAL, ...props });
    const ownedApp = (handle: string, props: Parameters<ScenarioBuilder['app']>[1] = {}) => {
      s.app(handle, props);
      s.edge('OWNS', 'alice', handle);
      return handle;
    };
    s.identity('alice', { subtype: 'human', mfa: true });
    s.identity('bob', { subtype: 'human', enabled: false });
    s.platform('crm', { platform: 'salesforce' });
    s.resource('cases', { tags: ['pii'] });
    s.resource('case1');
    s.resource('vault', { tags: ['crown-jewel'] });
    s.resource('sandbox', { sensitivity: 1 });
    s.resource('directory', { platform: 'entra' });
    s.edge('CONTAINS', 'cases', 'case1');

    // Leaked credential: usable -> critical; revoked -> nothing.
    credential('leakedKey');
    credential('leakedRevoked', { revoked: true });
    s.edge('CONTAINS_CREDENTIAL', 'case1', 'leakedKey').edge('CONTAINS_CREDENTIAL', 'case1', 'leakedRevoked');

    // Unverified third party: crown jewel -> critical; admin on a resource -> high; verified or weak -> nothing.
    ownedApp('shadyApp', { thirdParty: true, publisherVerified: false, vendor: 'Shady Inc' });
    credential('shadyToken');
    s.edge('HOLDS', 'shadyApp', 'shadyToken').edge('CAN_READ', 'shadyToken', 'vault');
    ownedApp('adminVendorApp', { thirdParty: true });
    s.edge('CAN_ADMIN', 'adminVendorApp', 'sandbox');
    ownedApp('verifiedApp', { thirdParty: true, publisherVerified: true });
    credential('verifiedToken');
    s.edge('HOLDS', 'verifiedApp', 'verifiedToken').edge('CAN_READ', 'verifiedToken', 'vault');
    ownedApp('weakVendorApp', { thirdParty: true, publisherVerified: false });
    s.edge('CAN_READ', 'weakVendorApp', 'sandbox');

    // Tenant-wide or admin authority.
    ownedApp('graphApp', { platform: 'entra' });
    s.edge('CAN_READ', 'graphApp', 'directory', { scopes: ['Directory.Read.All', 'User.Read'] });
    credential('platformAdminCred');
    s.edge('CAN_ADMIN', 'platformAdminCred', 'crm');
    credential('sfGrant', { platform: 'salesforce', type: 'oauth-grant', scopes: ['api', 'refresh_token'] });
    credential('sfReadOnly', { platform: 'salesforce', type: 'oauth-grant', scopes: ['api'] });
    credential('ghToken', { platform: 'gitlab', type: 'pat', scopes: ['repo'] });
    s.role('globalAdmin', { privileged: true });
    s.role('reader', { privileged: false });
    ownedApp('roleApp');
    s.edge('HAS_ROLE', 'roleApp', 'globalAdmin');
    ownedApp('plainRoleApp');
    s.edge('HAS_ROLE', 'plainRoleApp', 'reader');

    // Privileged identity without MFA.
    s.identity('opsUser', { subtype: 'human', mfa: false });
    s.edge('CAN_WRITE', 'opsUser', 'vault');
    s.identity('internUser', { subtype: 'human', mfa: false });
    s.edge('CAN_READ', 'internUser', 'sandbox');
    s.identity('mfaUser', { subtype: 'human', mfa: true });
    s.edge('CAN_WRITE', 'mfaUser', 'vault');

    // Owner disabled: every owner (edge or ownerIds) -> medium; one of two -> low.
    s.app('orphanApp');
    s.edge('OWNS', 'bob', 'orphanApp');
    s.app('orphanByIdsApp', { ownerIds: [s.idOf('bob')] });
    s.app('halfApp');
    s.edge('OWNS', 'bob', 'halfApp').edge('OWNS', 'alice', 'halfApp');

    // No owner: app -> medium, third-party app -> high, service identity -> low; an unresolved ownerId is an owner.
    s.app('lonelyApp');
    s.edge('CAN_READ', 'lonelyApp', 'sandbox');
    s.app('lonelyVendorApp', { thirdParty: true, publisherVerified: true });
    s.identity('botUser', { subtype: 'service' });
    s.app('ownedByIdsApp', { ownerIds: ['hr:corp:identity:someone-not-imported'] });

    // Stale: 151 days unused -> medium; to a crown jewel -> high; used yesterday, exactly 90 days, revoked, unknown -> nothing.
    credential('staleToken', { lastUsedAt: '2026-01-01' });
    credential('staleVaultToken', { lastUsedAt: '2025-12-01' });
    s.edge('CAN_READ', 'staleVaultToken', 'vault');
    credential('freshToken');
    credential('edgeStaleToken', { lastUsedAt: '2026-03-03T00:00:00Z' });
    credential('revokedStaleToken', { lastUsedAt: '2025-01-01', revoked: true });
    credential('unknownUseToken', { lastUsedAt: undefined });

    // Not rotated: created 2024 -> medium; rotated recently, session, federated -> nothing.
    credential('oldKey', { createdAt: '2024-01-01' });
    credential('rotatedKey', { createdAt: '2024-01-01', rotatedAt: '2026-03-01' });
    credential('oldSession', { type: 'session', createdAt: '2024-01-01' });
    credential('oldFederated', { type: 'federated', createdAt: '2024-01-01' });

    // Granted but unused scopes.
    credential('broadGrant', {
      platform: 'google', type: 'oauth-grant',
      scopes: ['https://www.googleapis.com/auth/gmail.readonly', 'https://www.googleapis.com/auth/drive.readonly'],
      usedScopes: ['https://www.googleapis.com/auth/gmail.readonly'],
    });
    credential('unusedAdminGrant', { platform: 'entra', type: 'oauth-grant', scopes: ['Mail.Read', 'Directory.ReadWrite.All'], usedScopes: ['Mail.Read'] });
    credential('allUsedGrant', { type: 'oauth-grant', scopes: ['read'], usedScopes: ['read'] });
    credential('noUsageGrant', { type: 'oauth-grant', scopes: ['read', 'write'] });

    // A human holding a service account's password; a person's own PAT is fine.
    s.identity('svcAccount', { subtype: 'service', ownerIds: [s.idOf('alice')] });
    s.identity('carol', { subtype: 'human' });
    credential('svcPassword', { type: 'password' });
    s.edge('HOLDS', 'carol', 'svcPassword').edge('AUTHENTICATES_AS', 'svcPassword', 'svcAccount');
    s.identity('dave', { subtype: 'human' });
    credential('davePat', { type: 'pat' });
    s.edge('HOLDS', 'dave', 'davePat').edge('AUTHENTICATES_AS', 'davePat', 'dave');

    // No expiry: api key -> low; expired, session, federated -> nothing; too long only with maxLifetimeDays.
    credential('foreverKey', { expiresAt: undefined });
    credential('expiredKey', { expiresAt: '2026-01-02' });
    credential('foreverSession', { type: 'session', expiresAt: undefined });
    credential('foreverFederated', { type: 'federated', expiresAt: undefined });
    credential('longKey', { expiresAt: '2029-01-01' });
  });
}

const summarize = (h: Scenario, findings: readonly Finding[]): string[] =>
  findings.map((f) => `${f.severity} ${f.ruleId} ${h.handleOf(h.graph.indexOf.get(f.nodeId)!)}`);

const hits = (h: Scenario, findings: readonly Finding[], ruleId: string): string[] =>
  findings.filter((f) => f.ruleId === ruleId).map((f) => h.handleOf(h.graph.indexOf.get(f.nodeId)!)).sort();

describe('governanceFindings on a scenario with one node per rule', () => {
  const h = governanceScenario();
  const findings = governanceFindings(h.graph, { at: AT });

  it('reports exactly the expected findings, most severe first, then by rule and node id', () => {
    expect(summarize(h, findings)).toEqual([
      `critical ${R.leakedCredential} leakedKey`,
      `critical ${R.unverifiedThirdParty} shadyApp`,
      `high ${R.unverifiedThirdParty} adminVendorApp`,
      `high ${R.adminScopes} graphApp`,
      `high ${R.adminScopes} unusedAdminGrant`,
      `high ${R.adminScopes} sfGrant`,
      `high ${R.adminScopes} roleApp`,
      `high ${R.adminScopes} platformAdminCred`,
      `high ${R.noMfaPrivileged} opsUser`,
      `high ${R.noOwner} lonelyVendorApp`,
      `high ${R.stale} staleVaultToken`,
      `high ${R.unusedScopes} unusedAdminGrant`,
      `medium ${R.ownerDisabled} orphanApp`,
      `medium ${R.ownerDisabled} orphanByIdsApp`,
      `medium ${R.noOwner} lonelyApp`,
      `medium ${R.stale} staleToken`,
      `medium ${R.notRotated} oldKey`,
      `medium ${R.unusedScopes} broadGrant`,
      `medium ${R.humanUsesNhi} svcPassword`,
      `low ${R.ownerDisabled} halfApp`,
      `low ${R.noOwner} botUser`,
      `low ${R.noExpiry} foreverKey`,
    ]);
  });

  /** The scenario, the NHI scenario, one reviewed app and approved grant, and the n8n fixture: every rule fires on one of them. */
  const everyRuleGraphs = () => {
    const nhi = nhiScenario();
    // The review cadence (engine/analysis/findings-review.ts) needs data no scenario node carries: one app with it.
    // So do the approval rules (engine/analysis/findings-approval.ts): an approval by a disabled admin that covered fewer scopes.
    const reviewed = buildGraph({
      nodes: [
        { id: 'crm:t:app:reviewed', kind: 'App', name: 'reviewed', platform: 'crm', tenant: 't', reviewedAt: '2020-01-01T00:00:00.000Z', reviewEvery: 'P1Y' },
        { id: 'crm:t:identity:gone', kind: 'Identity', subtype: 'human', name: 'gone', platform: 'crm', tenant: 't', enabled: false },
        { id: 'crm:t:credential:grant', kind: 'Credential', type: 'oauth-grant', name: 'grant', platform: 'crm', tenant: 't', scopes: ['read', 'write'], approvedBy: 'crm:t:identity:gone', approvedAt: '2020-01-01T00:00:00.000Z', approvedScopes: ['read'] },
      ],
      edges: [],
    });
    // The integration-platform rules (engine/analysis/findings-ipaas.ts) read what the n8n importer records: its fixture.
    const n8n = n8nImporter.transform(readRawFiles([join(REPO, 'test/fixtures/n8n/acme')]), {});
    if (!n8n.ok) throw new Error(JSON.stringify(n8n.issues));
    return [h.graph, nhi.graph, reviewed, buildGraph(n8n.fragment)];
  };

  it('fires every rule of the catalogue at least once, with the NHI scenario of findings-nhi.test.ts', () => {
    const fired = new Set(everyRuleGraphs().flatMap((graph) => governanceFindings(graph, { at: AT })).map((f) => f.ruleId));
    expect(fired).toEqual(new Set(FINDING_RULES.map((rule) => rule.id)));
  });

  it('no rule fires on a node kind it does not list in RULE_NODE_KINDS (the evaluation asks it about those kinds only)', () => {
    const misfires = (graph: CompactGraph, at: number | string): string[] => {
      const ctx = new FindingContext(graph, { at });
      const found: string[] = [];
      for (const rule of FINDING_RULES) {
        const kinds = RULE_NODE_KINDS[rule.id];
        if (kinds === undefined) continue;
        for (let v = 0; v < graph.nodeCount; v++) {
          if (!ctx.usable(v) || kinds.includes(graph.nodes[v]!.kind)) continue;
          if (RULE_CHECKS[rule.id]!(ctx, v, rule) !== undefined) found.push(`${rule.id} ${graph.nodes[v]!.id}`);
        }
      }
      return found;
    };
    const graphs = everyRuleGraphs();
    for (const graph of graphs) expect(misfires(graph, AT)).toEqual([]);
    // Every kind of node is asked about by some rule that does not list it.
    const kindsSeen = new Set(graphs.flatMap((graph) => graph.nodes.map((node) => node.kind)));
    expect(kindsSeen).toEqual(new Set(['Platform', 'App', 'Identity', 'Group', 'Role', 'Credential', 'Resource']));
    fc.assert(fc.property(randomGraph({ maxNodes: 16, maxEdges: 40 }), ({ graph }) => { expect(misfires(graph, RANDOM_AT)).toEqual([]); }), { numRuns: 200 });
  });

  it('a credential used yesterday, used exactly at the threshold, revoked, or never observed in use is not stale', () => {
    expect(hits(h, findings, R.stale)).toEqual(['staleToken', 'staleVaultToken']);
  });

  it('an expired credential, a session and a federated trust do not count as never expiring', () => {
    expect(hits(h, findings, R.noExpiry)).toEqual(['foreverKey']);
  });

  it('a revoked credential found in data is not a live leak', () => {
    expect(hits(h, findings, R.leakedCredential)).toEqual(['leakedKey']);
  });

  it('a short scope name counts only on its own platform, and Salesforce api only with refresh_token', () => {
    const admin = hits(h, findings, R.adminScopes);
    expect(admin).toContain('sfGrant');
    expect(admin).not.toContain('sfReadOnly');
    expect(admin).not.toContain('ghToken');
    expect(admin).not.toContain('plainRoleApp');
  });

  it('the evidence names the dates, scopes and related nodes behind each finding', () => {
    const byId = new Map(findings.map((f) => [f.id, f]));
    const stale = byId.get(`${R.stale}:${h.id('staleToken')}`)!;
    expect(stale.evidence.dates.lastUsedAt).toBe('2026-01-01');
    expect(stale.evidence.summary).toMatch(/Last used 2026-01-01, 151 days before/);
    const leak = byId.get(`${R.leakedCredential}:${h.id('leakedKey')}`)!;
    expect(leak.evidence.related).toEqual([expect.objectContaining({ id: h.id('case1'), relation: 'contained in' })]);
    const unused = byId.get(`${R.unusedScopes}:${h.id('broadGrant')}`)!;
    expect(unused.evidence.scopes).toEqual(['https://www.googleapis.com/auth/drive.readonly']);
    const graphApp = byId.get(`${R.adminScopes}:${h.id('graphApp')}`)!;
    expect(graphApp.evidence.scopes).toEqual(['Directory.Read.All']);
    expect(graphApp.evidence.related.map((r) => r.id)).toEqual([h.id('directory')]);
    const shady = byId.get(`${R.unverifiedThirdParty}:${h.id('shadyApp')}`)!;
    expect(shady.evidence.privilege?.crownJewels).toEqual([h.id('vault')]);
    const orphan = byId.get(`${R.ownerDisabled}:${h.id('orphanApp')}`)!;
    expect(orphan.evidence.related).toEqual([expect.objectContaining({ id: h.id('bob'), relation: 'disabled owner' })]);
    const nhi = byId.get(`${R.humanUsesNhi}:${h.id('svcPassword')}`)!;
    expect(nhi.evidence.related.map((r) => `${r.relation} ${r.id}`)).toEqual([`held by human ${h.id('carol')}`, `authenticates as ${h.id('svcAccount')}`]);
  });

  it('every finding carries its rule remediation and OWASP NHI and NIST CSF references', () => {
    for (const finding of findings) {
      const rule = RULES_BY_ID.get(finding.ruleId)!;
      expect(finding.remediation).toBe(rule.remediation);
      expect(finding.references.owaspNhi.length).toBeGreaterThan(0);
      expect(finding.references.nistCsf.length).toBeGreaterThan(0);
      expect(finding.references).toEqual({ owaspNhi: [...rule.references.owaspNhi], nistCsf: [...rule.references.nistCsf] });
    }
  });
});

describe('governanceFindings options', () => {
  const h = governanceScenario();

  it('a longer stale threshold silences a credential unused for 151 days but not one unused for 182', () => {
    expect(hits(h, governanceFindings(h.graph, { at: AT, staleDays: 160 }), R.stale)).toEqual(['staleVaultToken']);
  });

  it('at an earlier instant the same credentials are fresh', () => {
    expect(hits(h, governanceFindings(h.graph, { at: '2026-01-15' }), R.stale)).toEqual([]);
  });

  it('the rotation threshold is measured from rotatedAt, else createdAt', () => {
    expect(hits(h, governanceFindings(h.graph, { at: AT, rotationDays: 60 }), R.notRotated)).toEqual(expect.arrayContaining(['oldKey', 'rotatedKey']));
    expect(hits(h, governanceFindings(h.graph, { at: AT, rotationDays: 1000 }), R.notRotated)).toEqual([]);
  });

  it('with a maximum lifetime, credentials that expire too late are flagged too', () => {
    expect(hits(h, governanceFindings(h.graph, { at: AT, maxLifetimeDays: 365 }), R.noExpiry)).toEqual(['foreverKey', 'longKey', 'oldKey']);
  });

  it('severityAtLeast and ruleIds filter the findings', () => {
    const high = governanceFindings(h.graph, { at: AT, severityAtLeast: 'high' });
    expect(high.length).toBe(12);
    expect(high.every((f) => f.severity === 'high' || f.severity === 'critical')).toBe(true);
    const only = governanceFindings(h.graph, { at: AT, ruleIds: [R.noOwner, 'bm-gov-stale'] });
    expect(new Set(only.map((f) => f.ruleId))).toEqual(new Set([R.noOwner, R.stale]));
  });

  it('an unknown rule or a negative threshold is an INVALID_OPTION error naming the rules', () => {
    let error: unknown;
    try { governanceFindings(h.graph, { at: AT, ruleIds: ['BM-GOV-NOPE'] }); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(BlastmapError);
    expect((error as BlastmapError).code).toBe('INVALID_OPTION');
    expect((error as BlastmapError).candidates).toContain(R.noOwner);
    expect(() => governanceFindings(h.graph, { at: AT, staleDays: -1 })).toThrow(/staleDays/);
  });

  it('the report counts findings by severity and hasFindingAtLeast gates on them', () => {
    const report = findingsReport(h.graph, { at: AT });
    expect(report.at).toBe('2026-06-01T00:00:00.000Z');
    expect(report.counts).toEqual({ critical: 2, high: 10, medium: 7, low: 3, info: 0 });
    expect(report.total).toBe(22);
    expect(report.thresholds).toEqual({ staleDays: 90, rotationDays: 365, maxLifetimeDays: null, privilegedScore: 25 });
    expect(hasFindingAtLeast(report.findings, 'critical')).toBe(true);
    const lowOnly = report.findings.filter((f) => f.severity === 'low');
    expect(hasFindingAtLeast(lowOnly, 'medium')).toBe(false);
  });
});

describe('the rule catalogue', () => {
  it('every rule cites known OWASP NHI Top 10 2025 ids and NIST CSF 2.0 outcome ids', () => {
    for (const rule of FINDING_RULES) {
      expect(rule.references.owaspNhi.length, rule.id).toBeGreaterThan(0);
      expect(rule.references.nistCsf.length, rule.id).toBeGreaterThan(0);
      for (const id of rule.references.owaspNhi) {
        expect(id).toMatch(/^NHI([1-9]|10):2025$/);
        expect(OWASP_NHI_TOP10_2025[id]).toBeDefined();
      }
      for (const id of rule.references.nistCsf) {
        expect(id).toMatch(/^(GV|ID|PR|DE|RS|RC)\.[A-Z]{2}-\d{2}$/);
        expect(NIST_CSF_OUTCOMES[id]).toBeDefined();
      }
      expect(rule.remediation.length).toBeGreaterThan(20);
    }
    expect(new Set(FINDING_RULES.map((rule) => rule.id)).size).toBe(FINDING_RULES.length);
  });
});

describe('adminScopeMatches', () => {
  it('matches Microsoft Graph tenant-wide permissions but not per-user ones', () => {
    expect(adminScopeMatches(['Mail.ReadWrite', 'User.Read', 'Files.ReadWrite.All', 'RoleManagement.ReadWrite.Directory'], 'entra').map((m) => m.scope))
      .toEqual(['Files.ReadWrite.All', 'RoleManagement.ReadWrite.Directory']);
  });

  it('treats AWS wildcards literally: iam:* and *:* match, s3:GetObject does not', () => {
    expect(adminScopeMatches(['s3:GetObject', 'iam:*', '*:*'], 'aws').map((m) => m.scope)).toEqual(['*:*', 'iam:*']);
    expect(adminScopeMatches(['*'], 'github')).toEqual([]);
  });

  it('restricts short names to their platform and its sub-keys', () => {
    expect(adminScopeMatches(['repo', 'public_repo'], 'github').map((m) => m.scope)).toEqual(['repo']);
    expect(adminScopeMatches(['repo'], 'gitlab')).toEqual([]);
    expect(adminScopeMatches(['https://mail.google.com/', 'https://www.googleapis.com/auth/admin.directory.user'], 'google-workspace').map((m) => m.scope))
      .toEqual(['https://mail.google.com/', 'https://www.googleapis.com/auth/admin.directory.user']);
    expect(adminScopeMatches(['admin.users:write', 'chat:write'], 'slack').map((m) => m.scope)).toEqual(['admin.users:write']);
    expect(adminScopeMatches(['okta.users.manage', 'okta.users.read'], 'okta').map((m) => m.scope)).toEqual(['okta.users.manage']);
  });

  it('every table entry explains what it grants', () => {
    for (const pattern of ADMIN_SCOPE_PATTERNS) expect(pattern.meaning.length).toBeGreaterThan(10);
  });
});

describe('rendering', () => {
  const h = governanceScenario();
  const report = findingsReport(h.graph, { at: AT });

  it('the text report groups by severity with a count line, evidence and remediation', () => {
    const text = renderFindingsText(report);
    expect(text).toContain('22 findings: 2 critical, 10 high, 7 medium, 3 low.');
    expect(text.indexOf('CRITICAL (2)')).toBeLessThan(text.indexOf('HIGH (10)'));
    expect(text.indexOf('HIGH (10)')).toBeLessThan(text.indexOf('LOW (3)'));
    expect(text).toContain('fix: Revoke or rotate the credential now');
    expect(text).toContain('NHI2:2025 Secret Leakage');
    expect(text).toContain('NIST CSF 2.0 PR.DS-01');
  });

  it('attacker-controlled names are escaped in markdown and stripped of control characters in text', () => {
    const evil = scenario((s) => { s.app('evil', { name: 'x | **y** <script>\u001b[31m' }); });
    const evilReport = findingsReport(evil.graph, { at: AT });
    const markdown = renderFindingsMarkdown(evilReport);
    expect(markdown).toContain('x \\| \\*\\*y\\*\\* \\<script\\>');
    expect(markdown).not.toContain('<script>');
    expect(renderFindingsText(evilReport)).not.toContain('\u001b');
  });

  it('text, markdown and SARIF name each finding\'s tenant and where to act', () => {
    const leak = report.findings.find((f) => f.ruleId === R.leakedCredential)!;
    expect(leak.console).toBe('test admin console → Credential leakedKey');
    expect(renderFindingsText(report)).toContain(`act in: ${leak.console}`);
    expect(renderFindingsMarkdown(report)).toContain('| node | kind | platform (tenant) | evidence | where to act |');
    expect(renderFindingsHtml(report)).toContain(`act in: ${leak.console}`);
    const sarif = findingsSarif(report, { toolVersion: '9.9.9' });
    const run = sarif.runs[0]!;
    expect(run.tool.driver.rules.map((rule) => rule.id)).toEqual(FINDING_RULES.map((rule) => rule.id));
    expect(run.results).toHaveLength(report.total);
    const result = run.results.find((r) => r.properties.nodeId === leak.nodeId)!;
    expect(result).toMatchObject({ ruleId: R.leakedCredential, level: 'error', locations: [{ logicalLocations: [{ fullyQualifiedName: leak.nodeId }], message: { text: leak.console } }] });
    expect(run.tool.driver.rules[result.ruleIndex]!.help.text).toContain('Remediation: Revoke or rotate');
    expect(run.results.filter((r) => r.level === 'note').length).toBe(report.counts.low);
  });

  it('text, markdown and html list the first findings of each rule and count the rest; --all lists every one', () => {
    const many = scenario((s) => { for (let i = 0; i < FINDINGS_PER_RULE + 3; i++) s.app(`orphan${String(i).padStart(2, '0')}`); });
    const set = evaluateFindings(many.graph, { at: AT });
    const noOwner = set.groups.find((group) => group.rule.id === R.noOwner)!;
    expect(noOwner.count).toBe(FINDINGS_PER_RULE + 3);
    const text = renderFindingsText(set);
    expect(text).toContain('orphan09');
    expect(text).not.toContain('orphan10');
    expect(text).toContain(`${FINDINGS_PER_RULE + 3} findings`);
    expect(text).toContain('... and 3 more (--all, or --format json)');
    expect(renderFindingsText(set, { all: true })).toContain('orphan12');
    expect(renderFindingsText(set, { all: true })).not.toContain('more (--all');
    // A built report renders the same as the set it was built from.
    expect(renderFindingsText(findingsReport(many.graph, { at: AT }))).toBe(text);
    expect(renderFindingsMarkdown(set)).toContain('… and 3 more (`--all`, or `--format json`).');
    expect(renderFindingsMarkdown(set, { all: true })).toContain('orphan12');
    expect(renderFindingsHtml(set)).toContain('… and 3 more No owner findings');
    expect(renderFindingsHtml(set, { all: true })).toContain('orphan12');
  });

  it('an empty graph says there is nothing to report', () => {
    const empty = findingsReport(buildGraph({ nodes: [], edges: [] }), { at: AT });
    expect(renderFindingsText(empty)).toContain('No findings.');
  });
});

describe('findings on random graphs', () => {
  it('name only nodes usable at the instant, once per rule and node, in sorted order, whatever the input order', () => {
    fc.assert(
      fc.property(randomGraph({ maxNodes: 12, maxEdges: 30 }), ({ nodes, edges, graph }) => {
        const findings = governanceFindings(graph, { at: RANDOM_AT });
        const ids = findings.map((f) => f.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (let i = 1; i < findings.length; i++) expect(compareFindings(findings[i - 1]!, findings[i]!)).toBeLessThan(0);
        for (const finding of findings) {
          const v = graph.indexOf.get(finding.nodeId)!;
          expect(graph.activeFrom[v]! <= RANDOM_AT && RANDOM_AT < graph.activeUntil[v]!).toBe(true);
          expect(finding.references.owaspNhi.length).toBeGreaterThan(0);
        }
        const reversed = buildGraph({ nodes: [...nodes].reverse(), edges: [...edges].reverse() });
        expect(governanceFindings(reversed, { at: RANDOM_AT })).toEqual(findings);
      }),
      { numRuns: 150 },
    );
  });
});

/**
 * Random graphs dressed for governance: identities of each subtype, some without MFA or unused for long,
 * privileged roles, resources and platforms named for production or staging, third-party apps, old credentials.
 */
const governanceGraph = randomGraph({ maxNodes: 16, maxEdges: 45 }).chain((g) =>
  fc.array(fc.nat(), { minLength: g.nodes.length, maxLength: g.nodes.length }).map((draws) => {
    const nodes = g.nodes.map((node, i): GraphNode => {
      const r = draws[i]!;
      const dressed = { ...node } as GraphNode;
      if (node.kind === 'Identity') {
        dressed.subtype = (['human', 'service', 'workload'] as const)[r % 3];
        if (r % 2 === 0) dressed.mfa = false;
      }
      if (node.kind === 'Role' && r % 3 === 0) dressed.privileged = true;
      if (node.kind === 'Resource' || node.kind === 'Platform') dressed.name = ['corvid-prod-exports', 'staging-db', node.name][r % 3]!;
      if (node.kind === 'App' && r % 2 === 0) dressed.thirdParty = true;
      if (node.createdAt === undefined && r % 4 !== 3) dressed.createdAt = '2023-01-01T00:00:00Z';
      if (r % 5 < 2) dressed.lastUsedAt = '2024-01-01T00:00:00Z';
      return dressed;
    });
    return { nodes, edges: g.edges, graph: buildGraph({ nodes, edges: g.edges }) };
  }));

describe('the finding set (one pass per rule, findings built when read) against the straightforward findings', () => {
  it('equals every rule on every node, built at once and sorted, with each decision asked of the node\'s own reach (random graphs)', () => {
    let fired = 0;
    fc.assert(fc.property(governanceGraph, fc.constantFrom(0, 10, 25), ({ graph }, privilegedScore) => {
      const expected = referenceFindings(graph, { at: RANDOM_AT, privilegedScore });
      fired += expected.length;
      expect(governanceFindings(graph, { at: RANDOM_AT, privilegedScore })).toEqual(expected);
    }), { numRuns: 250 });
    expect(fired).toBeGreaterThan(250);
  });

  it('equals them in a generated enterprise, every rule and each severity filter', () => {
    const graph = buildGraph(generateFragment({ nodes: 6_000, seed: 9 }));
    const at = '2026-01-01';
    const expected = referenceFindings(graph, { at });
    expect(new Set(expected.map((finding) => finding.ruleId)).size).toBeGreaterThan(10);
    expect(governanceFindings(graph, { at })).toEqual(expected);
    expect(governanceFindings(graph, { at, severityAtLeast: 'high' })).toEqual(expected.filter((finding) => ['critical', 'high'].includes(finding.severity)));
  });

  it('counts every finding without building one, and builds a group\'s first findings by node id', () => {
    const graph = buildGraph(generateFragment({ nodes: 6_000, seed: 9 }));
    const set = evaluateFindings(graph, { at: '2026-01-01' });
    const all = governanceFindings(graph, { at: '2026-01-01' });
    expect(set.total).toBe(all.length);
    const large = set.groups.find((group) => group.count > 3 * FINDINGS_PER_RULE)!;
    const ofGroup = all.filter((finding) => finding.ruleId === large.rule.id && finding.severity === large.severity);
    expect(large.count).toBe(ofGroup.length);
    expect([...large.findings(FINDINGS_PER_RULE)]).toEqual(ofGroup.slice(0, FINDINGS_PER_RULE));
    expect([...large.findings()]).toEqual(ofGroup);
    expect([...large.findings(FINDINGS_PER_RULE)]).toEqual(ofGroup.slice(0, FINDINGS_PER_RULE));
  });
});

describe('rules over shared hub closures (cross-environment, third party reaching privileged NHIs)', () => {
  const SHARED_RULES = ['BM-GOV-CROSS-ENVIRONMENT', 'BM-GOV-THIRD-PARTY-PRIVILEGED-NHI'];

  it('find the same on random graphs whether every closure is shared as a hub or none is (one reach per source)', () => {
    fc.assert(fc.property(randomGraph({ maxNodes: 16, maxEdges: 45 }), ({ graph }) => {
      const alone = governanceFindings(graph, { at: RANDOM_AT, ruleIds: SHARED_RULES, hubMinSize: Infinity });
      expect(governanceFindings(graph, { at: RANDOM_AT, ruleIds: SHARED_RULES, hubMinSize: 1 })).toEqual(alone);
    }), { numRuns: 200 });
  });

  it('find the same in a generated enterprise, and fire there (so the comparison is not empty)', () => {
    const graph = buildGraph(generateFragment({ nodes: 20_000, seed: 5 }));
    const at = '2026-01-01';
    const shared = governanceFindings(graph, { at, ruleIds: SHARED_RULES });
    expect(shared).toEqual(governanceFindings(graph, { at, ruleIds: SHARED_RULES, hubMinSize: Infinity }));
    for (const rule of SHARED_RULES) expect(shared.filter((finding) => finding.ruleId === rule).length).toBeGreaterThan(0);
    // The summary names a few identities and counts the rest; related lists them all.
    const wide = shared.find((finding) => finding.ruleId === 'BM-GOV-THIRD-PARTY-PRIVILEGED-NHI' && finding.evidence.related.length > 5)!;
    expect(wide.evidence.summary).toMatch(new RegExp(`reaches ${wide.evidence.related.length} privileged non-human identities: .* and ${wide.evidence.related.length - 5} more;`));
  });
});

describe('findings JSON and SARIF at scale', () => {
  const graph = buildGraph(generateFragment({ nodes: 20_000, seed: 5 }));
  const report = findingsReport(graph, { at: '2026-01-01' });

  it('JSON writes shared lists once and every finding can be rebuilt complete from them', () => {
    const parsed = JSON.parse([...findingsJsonChunks(report)].join('')) as {
      total: number; lists: { crownJewels: string[][]; related: unknown[][] };
      findings: (Finding & { evidence: { relatedList?: number; relatedCount?: number; privilege?: { crownJewelList: number; crownJewelCount: number } } })[];
    };
    expect(parsed.total).toBe(report.total);
    expect(parsed.findings).toHaveLength(report.findings.length);
    parsed.findings.forEach((written, i) => {
      const finding = report.findings[i]!;
      const { relatedList, relatedCount, privilege, ...rest } = written.evidence as unknown as Record<string, unknown> & { relatedList?: number; relatedCount?: number; privilege?: { crownJewelList: number; crownJewelCount: number } };
      const related = relatedList === undefined ? rest.related : parsed.lists.related[relatedList];
      if (relatedList !== undefined) expect(relatedCount).toBe(finding.evidence.related.length);
      const rebuilt: Record<string, unknown> = { ...rest, related };
      if (privilege) {
        const { crownJewelList, crownJewelCount, ...summary } = privilege;
        expect(crownJewelCount).toBe(finding.evidence.privilege!.crownJewels.length);
        rebuilt.privilege = { ...summary, crownJewels: parsed.lists.crownJewels[crownJewelList] };
      }
      expect({ ...written, evidence: rebuilt }).toEqual(finding);
    });
    // Sharing happened: fewer crown-jewel lists than findings carrying one.
    expect(parsed.lists.crownJewels.length).toBeLessThan(report.findings.filter((finding) => finding.evidence.privilege).length);
  });

  it('SARIF in pieces parses to the same log, with long lists cut to their first entries and counted', () => {
    const chunks = [...findingsSarifChunks(report, { toolVersion: '9.9.9' })];
    expect(chunks.length).toBeGreaterThan(report.findings.length);
    const streamed = JSON.parse(chunks.join(''));
    expect(streamed).toEqual(findingsSarif(report, { toolVersion: '9.9.9' }));
    const long = report.findings.findIndex((finding) => finding.evidence.related.length > RELATED_INLINE);
    expect(long).toBeGreaterThanOrEqual(0);
    const evidence = streamed.runs[0].results[long].properties.evidence;
    expect(evidence.related).toHaveLength(RELATED_INLINE);
    expect(evidence.relatedCount).toBe(report.findings[long]!.evidence.related.length);
    const empty = JSON.parse([...findingsSarifChunks({ ...report, findings: [], total: 0 }, { toolVersion: '9.9.9' })].join(''));
    expect(empty.runs[0].results).toEqual([]);
  });
});

describe('privilegeScanner', () => {
  it('rates every node as the one-reach-per-node version it replaced (shared hub or not, sensitivities whole or not)', () => {
    fc.assert(
      fc.property(reachableGraph(), fc.constantFrom(0, 10, 25), fc.boolean(), ({ nodes, edges, graph }, privilegedScore, fractional) => {
        // A fractional sensitivity makes sums order-dependent: the scanner then falls back to one reach per node.
        const rated = fractional && nodes.length > 0 ? buildGraph({ nodes: nodes.map((node, i) => (i === 0 ? { ...node, sensitivity: 2.5 } : node)), edges }) : graph;
        const scan = privilegeScanner(rated, RANDOM_AT, privilegedScore);
        const reference = referencePrivilegeScanner(rated, RANDOM_AT, privilegedScore);
        for (let v = 0; v < rated.nodeCount; v++) expect(scan(v)).toEqual(reference(v));
      }),
      { numRuns: 300 },
    );
  });

  it('rates every node exactly as its own reach does, with buffers reused across sources', () => {
    fc.assert(
      fc.property(randomGraph({ maxNodes: 12, maxEdges: 35 }), ({ graph }) => {
        const scan = privilegeScanner(graph, RANDOM_AT, 10);
        for (let v = 0; v < graph.nodeCount; v++) {
          const result = reach(graph, [v], { at: RANDOM_AT });
          const reached = result.order.filter((u) => u !== v);
          const crownJewels = reached.filter((u) => graph.nodes[u]!.tags?.includes('crown-jewel')).map((u) => graph.nodes[u]!.id).sort();
          const adminOn = reached.filter((u) => result.level[u] === 3 && graph.schema.nodeKinds[graph.nodes[u]!.kind]!.graded).length;
          const score = Math.round(scoreOrder(graph, result.level, result.order, [v]) * 100) / 100;
          expect(scan(v)).toEqual({ score, adminOn, crownJewels, privileged: crownJewels.length > 0 || adminOn > 0 || score >= 10 });
        }
      }),
      { numRuns: 150 },
    );
  });
});

// `blastmap findings` as a user runs it: formats, filters, and the --fail-on exit status that gates CI.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FINDING_RULES } from '../../engine/analysis/findings-catalog.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';

const AT = '2026-06-01';
let graph: string;

/** A support case holding a live AWS key (critical), an ownerless app (medium) and a key that never expires (low). */
const FRAGMENT = {
  nodes: [
    { id: 'okta:corp:identity:alice', kind: 'Identity', name: 'Alice', platform: 'okta', tenant: 'corp', subtype: 'human' },
    { id: 'salesforce:acme:resource:case-42', kind: 'Resource', name: 'Case 42', platform: 'salesforce', tenant: 'acme' },
    { id: 'aws:111:credential:AKIAEXAMPLE', kind: 'Credential', name: 'ci key', platform: 'aws', tenant: '111', type: 'api-key', createdAt: '2026-01-01', lastUsedAt: '2026-05-30', expiresAt: '2027-01-01' },
    { id: 'aws:111:credential:forever', kind: 'Credential', name: 'forever key', platform: 'aws', tenant: '111', type: 'api-key', createdAt: '2026-01-01', lastUsedAt: '2026-05-30' },
    { id: 'acme:prod:app:reporting', kind: 'App', name: 'Reporting', platform: 'acme', tenant: 'prod' },
  ],
  edges: [
    { kind: 'CONTAINS_CREDENTIAL', from: 'salesforce:acme:resource:case-42', to: 'aws:111:credential:AKIAEXAMPLE' },
  ],
};

beforeAll(() => {
  graph = join(tempDir(), 'governance.json');
  writeFileSync(graph, JSON.stringify(FRAGMENT));
});

describe('blastmap findings', () => {
  it('prints findings grouped by severity with a count line', async () => {
    const run = await runCli(['findings', '--graph', graph, '--at', AT]);
    expect(run.code).toBe(0);
    expect(run.out).toContain('3 findings: 1 critical, 1 medium, 1 low.');
    expect(run.out).toMatch(/CRITICAL \(1\)[\s\S]*ci key[\s\S]*found in Case 42/);
    expect(run.out).toMatch(/MEDIUM \(1\)[\s\S]*Reporting/);
  });

  it('JSON carries the instant, thresholds, counts and each finding with evidence and references', async () => {
    const run = await runCli(['findings', '--graph', graph, '--at', AT, '--format', 'json', '--stale-days', '30']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.out);
    expect(report.at).toBe('2026-06-01T00:00:00.000Z');
    expect(report.thresholds.staleDays).toBe(30);
    expect(report.counts).toEqual({ critical: 1, high: 0, medium: 1, low: 1, info: 0 });
    expect(report.findings.map((f: { ruleId: string; nodeId: string }) => `${f.ruleId} ${f.nodeId}`)).toEqual([
      'BM-GOV-LEAKED-CREDENTIAL aws:111:credential:AKIAEXAMPLE',
      'BM-GOV-NO-OWNER acme:prod:app:reporting',
      'BM-GOV-NO-EXPIRY aws:111:credential:forever',
    ]);
    expect(report.findings[0].references).toEqual({ owaspNhi: ['NHI2:2025'], nistCsf: ['PR.DS-01', 'PR.AA-01'] });
    expect(report.findings[0].evidence.related[0].id).toBe('salesforce:acme:resource:case-42');
  });

  it('markdown output is a report with a heading per severity', async () => {
    const run = await runCli(['findings', '--graph', graph, '--at', AT, '--format', 'markdown']);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^# Governance findings/);
    expect(run.out).toContain('## Critical (1)');
  });

  it('--fail-on exits 1 when a finding at or above that severity is reported, 0 otherwise', async () => {
    expect((await runCli(['findings', '--graph', graph, '--at', AT, '--fail-on', 'critical'])).code).toBe(1);
    expect((await runCli(['findings', '--graph', graph, '--at', AT, '--fail-on', 'low', '--format', 'json'])).code).toBe(1);
    const onlyExpiry = await runCli(['findings', '--graph', graph, '--at', AT, '--fail-on', 'medium', '--rule', 'BM-GOV-NO-EXPIRY']);
    expect(onlyExpiry.code).toBe(0);
    expect(onlyExpiry.out).toContain('1 finding: 1 low.');
    // Before the keys were created only the ownerless app (medium) is left.
    const before = await runCli(['findings', '--graph', graph, '--at', '2025-12-01', '--fail-on', 'high']);
    expect(before.out).toContain('1 finding: 1 medium.');
    expect(before.code).toBe(0);
  });

  it('--severity and repeated --rule filter what is reported', async () => {
    const run = await runCli(['findings', '--graph', graph, '--at', AT, '--severity', 'medium', '--rule', 'BM-GOV-NO-OWNER', '--rule', 'BM-GOV-NO-EXPIRY', '--format', 'json']);
    expect(JSON.parse(run.out).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['BM-GOV-NO-OWNER']);
  });

  it('rejects an unknown severity or rule with exit 2', async () => {
    const badSeverity = await runCli(['findings', '--graph', graph, '--fail-on', 'severe']);
    expect(badSeverity.code).toBe(2);
    expect(badSeverity.err).toMatch(/--fail-on severe: expected one of critical, high, medium, low, info/);
    const badRule = await runCli(['findings', '--graph', graph, '--rule', 'BM-GOV-NOPE']);
    expect(badRule.code).toBe(2);
    expect(badRule.err).toContain('BM-GOV-NO-OWNER');
  });

  it('--list-rules prints every rule without needing a graph', async () => {
    const run = await runCli(['findings', '--list-rules', '--graph', join(tempDir(), 'missing.bmap')]);
    expect(run.code).toBe(0);
    for (const rule of FINDING_RULES) expect(run.out).toContain(rule.id);
  });

  it('--format sarif gives one result per finding with where to act as its location message', async () => {
    const run = await runCli(['findings', '--graph', graph, '--at', AT, '--format', 'sarif']);
    expect(run.code).toBe(0);
    const sarif = JSON.parse(run.out);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['BM-GOV-LEAKED-CREDENTIAL', 'BM-GOV-NO-OWNER', 'BM-GOV-NO-EXPIRY']);
    expect(sarif.runs[0].results[0].locations[0].message.text).toBe('AWS console → IAM → Users → the holder → Security credentials → Access keys');
  });
});

describe('blastmap findings on the demo company', () => {
  const DEMO = join(REPO, 'datasets/demo');

  it('text lists the first findings of each rule with how many more, and --all lists every one, as many as the JSON has', async () => {
    const json = JSON.parse((await runCli(['findings', '--graph', DEMO, '--at', '2026-12-01', '--format', 'json'])).out) as { total: number };
    const brief = await runCli(['findings', '--graph', DEMO, '--at', '2026-12-01']);
    const all = await runCli(['findings', '--graph', DEMO, '--at', '2026-12-01', '--all']);
    const listed = (text: string): number => text.split('\n').filter((line) => line.startsWith('    - ')).length;
    const more = [...brief.out.matchAll(/\.\.\. and (\d+) more \(--all, or --format json\)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
    expect(more).toBeGreaterThan(0);
    expect(listed(brief.out) + more).toBe(json.total);
    expect(listed(all.out)).toBe(json.total);
    expect(all.out).not.toContain('more (--all');
  });

  it('the leak rule fires for the two secrets pasted in Salesforce cases, not for the secret store or the CI secrets', async () => {
    const run = await runCli(['findings', '--graph', DEMO, '--at', '2026-12-01', '--rule', 'BM-GOV-LEAKED-CREDENTIAL', '--format', 'json']);
    expect(run.code).toBe(0);
    const leaks = JSON.parse(run.out).findings as { nodeId: string; console: string; evidence: { related: { name: string; platform: string; relation: string }[] } }[];
    expect(leaks.map((f) => f.nodeId)).toEqual([
      'aws:111122223333:credential:access-key/9a184e3db4e81384',
      'snowflake:corvidlabs:credential:pat/SVC_REPORTING/GLIMPSE_DASHBOARDS',
    ]);
    for (const leak of leaks) expect(leak.evidence.related).toEqual([expect.objectContaining({ platform: 'salesforce', relation: 'contained in', name: expect.stringMatching(/^Case 000/) })]);
    expect(leaks.map((f) => f.console)).toEqual([
      'AWS console → IAM → Users → svc-data-export → Security credentials → Access keys',
      'Snowsight → Admin → Users & Roles → SVC_REPORTING → Programmatic access tokens (or ALTER USER … REMOVE PROGRAMMATIC ACCESS TOKEN)',
    ]);
  });

  it('no finding names what nobody can own, a key-only user\'s MFA, or a vendor-held grant\'s rotation', async () => {
    const run = await runCli(['findings', '--graph', DEMO, '--at', '2026-12-01', '--format', 'json']);
    const findings = JSON.parse(run.out).findings as { ruleId: string; nodeId: string }[];
    const ids = (ruleId: string) => findings.filter((f) => f.ruleId === ruleId).map((f) => f.nodeId);
    expect(ids('BM-GOV-NO-OWNER').filter((id) => /AWSReservedSSO_|^okta:.*:app:|f8cdef31-a31e-4b4a-93e4-5f571e91255a/.test(id))).toEqual([]);
    expect(ids('BM-GOV-NO-MFA-PRIVILEGED')).not.toContain('aws:111122223333:identity:user/svc-data-export');
    expect(ids('BM-GOV-NOT-ROTATED').filter((id) => /oauth-grant|oauth-token/.test(id))).toEqual([]);
  });
});

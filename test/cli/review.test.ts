// `blastmap review` as CI runs it: the example proposals against the demo company, every output format,
// and the exit statuses 0 (pass), 1 (violation) and 2 (usage: bad flags, unreadable or invalid inputs).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';

const DEMO = join(REPO, 'datasets/demo');
const POLICY = join(REPO, 'datasets/policies/default.yaml');
const proposal = (name: string) => join(REPO, 'datasets/proposals', name);
const AT = '2026-11-01';
const review = (file: string, ...extra: string[]) => runCli(['review', file, '--policy', POLICY, '--graph', DEMO, '--at', AT, ...extra]);

describe('blastmap review on the demo company', () => {
  it('passes the Tally Forecasts proposal: exit 0', async () => {
    const result = await review(proposal('tally-forecasts-snowflake.yaml'));
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^REVIEW PASSED: no violations/);
    expect(result.out).toContain('Tally Forecasts (App on tally, new): score 9');
  });

  it('fails the Notewise proposal on score, owner, lifetime, scope and publisher: exit 1', async () => {
    const result = await review(proposal('notewise-meeting-notes.yaml'));
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^REVIEW FAILED: 5 errors, 1 warning/);
    for (const id of ['BM-REVIEW-MAX-SCORE', 'BM-REVIEW-REQUIRE-OWNER', 'BM-REVIEW-MAX-CREDENTIAL-LIFETIME', 'BM-REVIEW-FORBIDDEN-SCOPE', 'BM-REVIEW-VERIFIED-PUBLISHER', 'BM-REVIEW-TENANT-WIDE-SCOPE']) {
      expect(result.out).toContain(id);
    }
    // Delegation with full Gmail access raises the mailboxes Parley Email already reads to admin.
    expect(result.out).toMatch(/RAISED +ADMIN All mailboxes \(corvidlabs\.com\)/);
    expect(result.out).toMatch(/RAISED +ADMIN Mailbox of chloe\.dubois@corvidlabs\.com/);
  });

  it('fails the Quarry BI proposal because it reaches the crown-jewel bucket', async () => {
    const result = await review(proposal('quarry-bi-warehouse.yaml'), '--format', 'json');
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.out);
    expect(parsed.passed).toBe(false);
    expect(parsed.violations.map((v: { rule: string; targetId: string }) => [v.rule, v.targetId])).toEqual([['forbidReach', 'aws:111122223333:resource:s3/corvid-prod-customer-data']]);
    expect(parsed.violations[0].location).toMatchObject({ file: 'datasets/proposals/quarry-bi-warehouse.yaml', path: '$.edges[4]' });
  });

  it('writes SARIF that points at the proposal file, and still exits 1', async () => {
    const result = await review(proposal('notewise-meeting-notes.yaml'), '--format', 'sarif');
    expect(result.code).toBe(1);
    const log = JSON.parse(result.out);
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].tool.driver.version).toMatch(/^\d+\.\d+\.\d+/);
    const uris = new Set(log.runs[0].results.map((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0]!.physicalLocation.artifactLocation.uri));
    expect([...uris]).toEqual(['datasets/proposals/notewise-meeting-notes.yaml']);
  });

  it('writes a markdown comment for the pull request', async () => {
    const result = await review(proposal('notewise-meeting-notes.yaml'), '--format', 'markdown');
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^## blastmap review: ❌ failed \(5 errors, 1 warning\)/);
    expect(result.out).toContain('| error | BM-REVIEW-REQUIRE-OWNER | Notewise AI Meeting Notes |');
  });

  it('exits 0 when the only violations are warnings', async () => {
    const dir = tempDir();
    const soft = join(dir, 'soft.yaml');
    writeFileSync(soft, 'version: 1\nrules: { requireVerifiedPublisher: true }\nseverity: { requireVerifiedPublisher: warning }\n');
    const result = await runCli(['review', proposal('notewise-meeting-notes.yaml'), '--policy', soft, '--graph', DEMO, '--at', AT]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^REVIEW PASSED: 1 warning/);
  });
});

describe('blastmap review usage errors exit 2', () => {
  it('without --policy', async () => {
    const result = await runCli(['review', proposal('tally-forecasts-snowflake.yaml'), '--graph', DEMO]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--policy/);
  });

  it('with an unknown --format', async () => {
    const result = await review(proposal('tally-forecasts-snowflake.yaml'), '--format', 'html');
    expect(result.code).toBe(2);
    expect(result.err).toContain('--format html');
  });

  it('with an invalid policy, naming the file, path and line', async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad-policy.yaml');
    writeFileSync(bad, 'version: 1\nrules:\n  maxScore: lots\n');
    const result = await runCli(['review', proposal('tally-forecasts-snowflake.yaml'), '--policy', bad, '--graph', DEMO]);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toMatch(/bad-policy\.yaml \$\.rules\.maxScore \(line 3\): expected a number, found "lots"/);
  });

  it('with a policy or proposal that cannot be read', async () => {
    const missingPolicy = await runCli(['review', proposal('tally-forecasts-snowflake.yaml'), '--policy', '/nonexistent/policy.yaml', '--graph', DEMO]);
    expect(missingPolicy.code).toBe(2);
    expect(missingPolicy.err).toContain('cannot read the policy /nonexistent/policy.yaml');
    const missingProposal = await review('/nonexistent/proposal.yaml');
    expect(missingProposal.code).toBe(2);
  });

  it('with a malformed proposal', async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'nodes:\n  - { id: "x:y:app:z", kind: Ap, name: Z, platform: x, tenant: y }\n');
    const result = await review(bad);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/bad\.yaml \$\.nodes\[0\]\.kind \(line 2\)/);
  });

  it('with a proposal edge to a node that is not in the graph', async () => {
    const dir = tempDir();
    const dangling = join(dir, 'dangling.yaml');
    writeFileSync(dangling, [
      'nodes:',
      '  - { id: "acme:prod:app:x", kind: App, name: X, platform: acme, tenant: prod }',
      'edges:',
      '  - { kind: CAN_READ, from: "acme:prod:app:x", to: "aws:111122223333:resource:s3/no-such-bucket" }',
      '',
    ].join('\n'));
    const result = await review(dangling);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/dangling\.yaml \$\.edges\[0\]\.to \(line 4\): expected the id of a node/);
    expect(result.err).toContain('1 problem in the proposal; nothing was reviewed');
  });
});

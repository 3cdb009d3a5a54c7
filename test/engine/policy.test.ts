// The review policy: parsing with file, path and line in every problem, and each rule on proposals whose
// right verdict is known (one that passes and one that fails per rule), severities and ordering.
import { describe, expect, it } from 'vitest';
import { review } from '../../engine/analysis/review.ts';
import type { Fragment } from '../../engine/format/native.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { parsePolicy, POLICY_RULE_NAMES, REVIEW_RULES, scopeMatcher, tenantWidePattern, type Policy, type PolicyInput } from '../../engine/policy.ts';
import { at, corp, edge, node, NOTES, NOTES_GRANT, notesProposal } from '../helpers/review-scenario.ts';

const policy = (rules: PolicyInput['rules'], severity?: PolicyInput['severity']): Policy => {
  const parsed = parsePolicy(JSON.stringify({ version: 1, rules, ...(severity ? { severity } : {}) }));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
};
const verdict = (proposal: Fragment, rules: PolicyInput['rules'], c = corp()) => review(c.graph, proposal, policy(rules), { at });
const ruleHits = (proposal: Fragment, rules: PolicyInput['rules'], c = corp()) => verdict(proposal, rules, c).violations.map((v) => [v.rule, v.nodeId]);

describe('parsePolicy', () => {
  it('reads a YAML policy with every rule and fills defaults', () => {
    const result = parsePolicy([
      'version: 1',
      'rules:',
      '  maxScore: 150',
      '  forbidReach: [{ tag: crown-jewel }, { tag: secrets, atLeast: write }]',
      '  requireOwner: true',
      '  maxCredentialLifetimeDays: 365',
      '  forbiddenScopes: ["https://mail.google.com/"]',
      '  forbidTenantWideScopes: true',
      '  requireVerifiedPublisher: true',
      'severity: { maxScore: warning }',
      '',
    ].join('\n'), { file: 'p.yaml' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.rules.forbidReach).toEqual([{ tag: 'crown-jewel', atLeast: 'read' }, { tag: 'secrets', atLeast: 'write' }]);
    expect(result.value.severity).toEqual({ maxScore: 'warning' });
  });

  it('reads the same policy as JSON', () => {
    const result = parsePolicy('{"version": 1, "rules": {"requireOwner": true}}', { file: 'p.json' });
    expect(result.ok && result.value.rules).toEqual({ requireOwner: true });
  });

  it('names the file, path and line of an unknown rule and lists the known ones', () => {
    const result = parsePolicy('version: 1\nrules:\n  maxScore: 10\n  requireOwners: true\n', { file: 'p.yaml' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([expect.objectContaining({ file: 'p.yaml', path: '$.rules', line: 3, found: '"requireOwners"' })]);
    expect(result.issues[0]!.expected).toContain('requireOwner');
  });

  it('reports every problem at once, each with its line', () => {
    const result = parsePolicy([
      'version: 1',
      'rules:',
      '  maxScore: -1',
      '  forbidReach:',
      '    - { tag: crown-jewel, atLeast: everything }',
      '  maxCredentialLifetimeDays: 1.5',
      'severity: { requireOwner: fatal }',
      '',
    ].join('\n'), { file: 'p.yaml' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byPath = Object.fromEntries(result.issues.map((issue) => [issue.path, issue]));
    expect(byPath['$.rules.maxScore']).toMatchObject({ line: 3, expected: 'a score of 0 or more', found: '-1' });
    expect(byPath['$.rules.forbidReach[0].atLeast']).toMatchObject({ line: 5, found: '"everything"' });
    expect(byPath['$.rules.maxCredentialLifetimeDays']).toMatchObject({ line: 6, found: '1.5' });
    expect(byPath['$.severity.requireOwner']).toMatchObject({ line: 7, found: '"fatal"' });
  });

  it('requires version 1 and a rules object', () => {
    const result = parsePolicy('rules: {}\n');
    expect(!result.ok && result.issues.map((issue) => issue.path)).toEqual(['$.version']);
    const noRules = parsePolicy('version: 1\n');
    expect(!noRules.ok && noRules.issues.map((issue) => issue.path)).toEqual(['$.rules']);
  });

  it('reports malformed YAML with its line', () => {
    const result = parsePolicy('version: 1\nrules:\n  maxScore: [1\n', { file: 'p.yaml' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toMatchObject({ file: 'p.yaml', path: '$' });
    expect(result.issues[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it('has one documented rule per schema field, with a unique SARIF id', () => {
    expect(REVIEW_RULES.map((rule) => rule.name)).toEqual(POLICY_RULE_NAMES);
    expect(new Set(REVIEW_RULES.map((rule) => rule.id)).size).toBe(REVIEW_RULES.length);
  });
});

describe('maxScore', () => {
  // Notes AI scores 29: its grant (1) + pii mailboxes read (8) + crown-jewel bucket write (20).
  it('passes at the maximum and fails above it', () => {
    expect(ruleHits(notesProposal(), { maxScore: 29 })).toEqual([]);
    const result = verdict(notesProposal(), { maxScore: 28 });
    expect(result.violations.map((v) => [v.rule, v.nodeId, v.evidence.score])).toEqual([['maxScore', NOTES, 29]]);
    expect(result.passed).toBe(false);
  });

  it('does not blame a changed app whose score did not grow', () => {
    const c = corp();
    // Re-declaring the chat token's existing grant with one more scope: same reach, score 8.
    const same: Fragment = { nodes: [], edges: [edge('CAN_READ', c.id('chatToken'), c.id('mailboxes'), { scopes: ['openid'] })] };
    expect(ruleHits(same, { maxScore: 5 }, c)).toEqual([]);
    const grows: Fragment = { nodes: [], edges: [edge('CAN_WRITE', c.id('chatToken'), c.id('repo'))] };
    expect(verdict(grows, { maxScore: 5 }, c).violations.map((v) => [v.nodeId, v.evidence.scoreBefore, v.evidence.score])).toEqual([[c.id('chatToken'), 8, 22]]);
  });
});

describe('forbidReach', () => {
  it('fails when the proposal reaches a tagged node at or above the level, and passes below it', () => {
    expect(ruleHits(notesProposal(), { forbidReach: [{ tag: 'crown-jewel', atLeast: 'admin' }] })).toEqual([]);
    const result = verdict(notesProposal(), { forbidReach: [{ tag: 'crown-jewel', atLeast: 'write' }] });
    expect(result.violations).toHaveLength(1);
    const violation = result.violations[0]!;
    expect(violation).toMatchObject({ rule: 'forbidReach', nodeId: NOTES, targetId: corp().id('bucket'), evidence: { tag: 'crown-jewel', level: 'write', atLeast: 'write' } });
    expect(violation.path!.map((step) => step.kind)).toEqual(['HOLDS', 'CAN_WRITE']);
  });

  it('defaults to read, and ignores tags the proposal does not reach', () => {
    expect(ruleHits(notesProposal(), { forbidReach: [{ tag: 'pii' }, { tag: 'financial' }] })).toEqual([['forbidReach', NOTES]]);
  });

  it('does not blame authority an existing app already had', () => {
    const c = corp();
    // The chat token already read the mailboxes; writing the repository is new.
    const proposal: Fragment = { nodes: [], edges: [edge('CAN_WRITE', c.id('chatToken'), c.id('repo'))] };
    expect(ruleHits(proposal, { forbidReach: [{ tag: 'pii' }] }, c)).toEqual([]);
    expect(ruleHits(proposal, { forbidReach: [{ tag: 'source-code', atLeast: 'write' }] }, c)).toEqual([['forbidReach', c.id('chatToken')]]);
  });

  it('catches existing integrations that newly reach a crown jewel through the proposal, once', () => {
    const c = corp();
    const proposal: Fragment = { nodes: [], edges: [edge('CONTAINS_CREDENTIAL', c.id('repo'), c.id('awsKey'))] };
    const result = verdict(proposal, { forbidReach: [{ tag: 'crown-jewel' }] }, c);
    expect(result.violations.map((v) => [v.nodeId, v.evidence.alsoReachedBy])).toEqual([[c.id('ciKey'), [c.id('ci')]]]);
    expect(result.violations[0]!.message).toMatch(/would reach, through this proposal, crown-jewel Resource bucket/);
    expect(result.violations[0]!.location).toEqual({ path: '$.edges[0]' });
  });
});

describe('requireOwner', () => {
  it('fails for an app without an owner', () => {
    expect(ruleHits(notesProposal(), { requireOwner: true })).toEqual([['requireOwner', NOTES]]);
    expect(ruleHits(notesProposal(), { requireOwner: false })).toEqual([]);
  });

  it('accepts an OWNS edge from the proposal, or ownerIds', () => {
    const c = corp();
    const owned = notesProposal(c);
    owned.edges.push(edge('OWNS', c.id('alice'), NOTES));
    expect(ruleHits(owned, { requireOwner: true }, c)).toEqual([]);
    const listed = notesProposal(c);
    listed.nodes[0]!.ownerIds = ['hr:corp:identity:e-1042'];
    expect(ruleHits(listed, { requireOwner: true }, c)).toEqual([]);
  });

  it('accepts an owner already in the graph for a changed app', () => {
    const c = corp();
    const first = notesProposal(c);
    first.edges.push(edge('OWNS', c.id('alice'), NOTES));
    const withNotes = review(c.graph, first, policy({}), { at });
    expect(withNotes.passed).toBe(true);
    // Re-review a change to the app against a graph that already records its owner.
    const graph = assembleGraph([{ fragment: first, provenance: { nodePaths: [], edgePaths: [] }, redactions: 0 }], c.graph).graph;
    const change: Fragment = { nodes: [node(NOTES, 'App', { name: 'Notes AI', thirdParty: true })], edges: [] };
    expect(review(graph, change, policy({ requireOwner: true }), { at }).violations).toEqual([]);
  });

  it('does not count a disabled owner', () => {
    const c = corp();
    const proposal = notesProposal(c);
    proposal.edges.push(edge('OWNS', c.id('bob'), NOTES));
    const result = verdict(proposal, { requireOwner: true }, c);
    expect(result.violations.map((v) => v.message)).toEqual(['Notes AI has no enabled owner (its owners bob are disabled)']);
  });
});

describe('maxCredentialLifetimeDays', () => {
  const withGrant = (props: Record<string, unknown>): Fragment => {
    const proposal = notesProposal();
    Object.assign(proposal.nodes[1]!, props);
    return proposal;
  };

  it('fails for a credential that never expires', () => {
    const result = verdict(withGrant({}), { maxCredentialLifetimeDays: 365 });
    expect(result.violations.map((v) => [v.nodeId, v.evidence.expires])).toEqual([[NOTES_GRANT, false]]);
    expect(result.violations[0]!.message).toContain('never expires');
  });

  it('measures from createdAt to expiresAt', () => {
    const valid180 = withGrant({ createdAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-06-30T00:00:00.000Z' });
    expect(ruleHits(valid180, { maxCredentialLifetimeDays: 180 })).toEqual([]);
    const result = verdict(valid180, { maxCredentialLifetimeDays: 90 });
    expect(result.violations.map((v) => v.evidence.days)).toEqual([180]);
  });

  it('measures from the analysis instant when createdAt is unknown', () => {
    // at is 2026-06-01: 30 days to 2026-07-01.
    expect(ruleHits(withGrant({ expiresAt: '2026-07-01T00:00:00.000Z' }), { maxCredentialLifetimeDays: 30 })).toEqual([]);
    expect(ruleHits(withGrant({ expiresAt: '2026-07-01T00:00:00.000Z' }), { maxCredentialLifetimeDays: 29 })).toEqual([['maxCredentialLifetimeDays', NOTES_GRANT]]);
  });

  it('skips federated trust (no secret) and revoked credentials', () => {
    expect(ruleHits(withGrant({ type: 'federated' }), { maxCredentialLifetimeDays: 1 })).toEqual([]);
    expect(ruleHits(withGrant({ revoked: true }), { maxCredentialLifetimeDays: 1 })).toEqual([]);
  });
});

describe('forbiddenScopes', () => {
  const scoped = (scopes: string[], c = corp()): Fragment => notesProposal(c, [edge('CAN_READ', NOTES_GRANT, c.id('mailboxes'), { scopes })]);

  it('matches exact scopes case-insensitively and globs with *', () => {
    expect(ruleHits(scoped(['https://mail.google.com/']), { forbiddenScopes: ['https://MAIL.google.com/'] })).toEqual([['forbiddenScopes', NOTES_GRANT]]);
    expect(ruleHits(scoped(['admin.users:read']), { forbiddenScopes: ['admin.*'] })).toEqual([['forbiddenScopes', NOTES_GRANT]]);
    expect(ruleHits(scoped(['https://www.googleapis.com/auth/gmail.readonly']), { forbiddenScopes: ['https://mail.google.com/', 'admin.*'] })).toEqual([]);
  });

  it('checks the scopes a proposed credential lists', () => {
    const proposal = notesProposal();
    proposal.nodes[1]!.scopes = ['Directory.ReadWrite.All'];
    const result = verdict(proposal, { forbiddenScopes: ['directory.readwrite.all'] });
    expect(result.violations.map((v) => [v.nodeId, v.evidence.scope, v.location?.path])).toEqual([[NOTES_GRANT, 'Directory.ReadWrite.All', '$.nodes[1]']]);
  });

  it('only judges scopes the proposal adds, once per carrier and scope', () => {
    const c = corp();
    // The chat token already had gmail.readonly on the mailboxes; the proposal adds only openid.
    const proposal: Fragment = {
      nodes: [node(c.id('chatToken'), 'Credential', { name: 'chatToken', type: 'oauth-grant', scopes: ['https://www.googleapis.com/auth/gmail.readonly', 'openid'] })],
      edges: [edge('CAN_READ', c.id('chatToken'), c.id('mailboxes'), { scopes: ['https://www.googleapis.com/auth/gmail.readonly', 'openid'] })],
    };
    const result = verdict(proposal, { forbiddenScopes: ['*'] }, c);
    expect(result.violations.map((v) => [v.evidence.scope, v.location?.path])).toEqual([['openid', '$.edges[0]']]);
  });

  it('names the scope with a scopeMatcher that escapes regex characters', () => {
    expect(scopeMatcher('a.b').test('aXb')).toBe(false);
    expect(scopeMatcher('*.All').test('Files.Read.All')).toBe(true);
  });
});

describe('forbidTenantWideScopes', () => {
  it('recognises the tenant-wide and admin scopes of the heuristic table', () => {
    const wide = ['Directory.ReadWrite.All', 'Mail.Read.All', 'full_access_as_app', 'https://mail.google.com/', 'https://www.googleapis.com/auth/admin.directory.user',
      'https://www.googleapis.com/auth/cloud-platform', 'admin', 'admin.users:write', 'full', 'okta.users.manage', 'repo', 'admin:org', 'user:read:admin', 'team_data.member', '*', '*:*'];
    const narrow = ['Mail.Read', 'User.Read', 'https://www.googleapis.com/auth/gmail.readonly', 'chat:write', 'channels:history', 'api', 'refresh_token',
      'okta.users.read', 'public_repo', 'read:org', 'user:read', 'contents:write', 's3:GetObject', 'SELECT'];
    expect(wide.filter((scope) => !tenantWidePattern(scope))).toEqual([]);
    expect(narrow.filter((scope) => tenantWidePattern(scope))).toEqual([]);
  });

  it('fails on a tenant-wide scope the proposal adds and passes on a narrow one', () => {
    const c = corp();
    const wide = notesProposal(c, [edge('CAN_WRITE', NOTES_GRANT, c.id('mailboxes'), { scopes: ['https://mail.google.com/'] })]);
    const result = verdict(wide, { forbidTenantWideScopes: true }, c);
    expect(result.violations.map((v) => [v.rule, v.evidence.platform])).toEqual([['forbidTenantWideScopes', 'Google Workspace']]);
    const narrow = notesProposal(c, [edge('CAN_READ', NOTES_GRANT, c.id('mailboxes'), { scopes: ['https://www.googleapis.com/auth/gmail.readonly'] })]);
    expect(ruleHits(narrow, { forbidTenantWideScopes: true }, c)).toEqual([]);
  });
});

describe('requireVerifiedPublisher', () => {
  it('fails for a third-party app that is unverified or does not say, passes otherwise', () => {
    const unverified = notesProposal();
    unverified.nodes[0]!.publisherVerified = false;
    expect(verdict(unverified, { requireVerifiedPublisher: true }).violations.map((v) => v.message)).toEqual(['Notes AI is a third-party app whose publisher is not verified']);
    expect(verdict(notesProposal(), { requireVerifiedPublisher: true }).violations.map((v) => v.evidence.publisherVerified)).toEqual(['unknown']);
    const verified = notesProposal();
    verified.nodes[0]!.publisherVerified = true;
    expect(ruleHits(verified, { requireVerifiedPublisher: true })).toEqual([]);
    const firstParty = notesProposal();
    firstParty.nodes[0]!.thirdParty = false;
    expect(ruleHits(firstParty, { requireVerifiedPublisher: true })).toEqual([]);
  });
});

describe('severity and the verdict', () => {
  it('passes with warnings and notes, fails with one error', () => {
    const rules: PolicyInput['rules'] = { requireOwner: true, maxCredentialLifetimeDays: 30 };
    const c = corp();
    const soft = review(c.graph, notesProposal(c), policy(rules, { requireOwner: 'warning', maxCredentialLifetimeDays: 'note' }), { at });
    expect([soft.passed, soft.counts]).toEqual([true, { error: 0, warning: 1, note: 1 }]);
    const hard = review(c.graph, notesProposal(c), policy(rules, { requireOwner: 'warning' }), { at });
    expect([hard.passed, hard.counts]).toEqual([false, { error: 1, warning: 1, note: 0 }]);
    // Errors first.
    expect(hard.violations.map((v) => v.severity)).toEqual(['error', 'warning']);
  });

  it('an empty rule set passes anything and records which rules were active', () => {
    const result = verdict(notesProposal(), {});
    expect(result.passed).toBe(true);
    expect(result.rules.every((rule) => !rule.active)).toBe(true);
    expect(verdict(notesProposal(), { requireOwner: true, forbiddenScopes: [] }).rules.filter((rule) => rule.active).map((rule) => rule.rule)).toEqual(['requireOwner']);
  });

  it('orders violations deterministically', () => {
    const rules: PolicyInput['rules'] = { maxScore: 0, forbidReach: [{ tag: 'pii' }, { tag: 'crown-jewel' }], requireOwner: true, maxCredentialLifetimeDays: 1, requireVerifiedPublisher: true };
    const first = verdict(notesProposal(), rules).violations;
    const again = verdict(notesProposal(), rules).violations;
    expect(again).toEqual(first);
    expect(first.map((v) => v.rule)).toEqual(['maxScore', 'forbidReach', 'forbidReach', 'requireOwner', 'maxCredentialLifetimeDays', 'requireVerifiedPublisher']);
  });
});

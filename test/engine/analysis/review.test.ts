// The review gate's analysis: a proposal merged in memory, the authority it adds, how the exposure of
// tagged resources changes (known answers on a small company, and a brute-force oracle on random graphs).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blastRadius } from '../../../engine/analysis/radius.ts';
import { reach } from '../../../engine/analysis/reach.ts';
import { review, reviewFacts } from '../../../engine/analysis/review.ts';
import { BlastmapError } from '../../../engine/errors.ts';
import type { Fragment, GraphEdge, GraphNode } from '../../../engine/format/native.ts';
import { parsePolicy, type Policy } from '../../../engine/policy.ts';
import { renderReviewMarkdown, renderReviewText } from '../../../engine/report/review.ts';
import { assembleGraph } from '../../../engine/store/assemble.ts';
import { buildGraph } from '../../../engine/store/compact.ts';
import { parseNative } from '../../../importers/native/index.ts';
import { AT, randomGraph } from '../../helpers/arbitraries.ts';
import { at, corp, edge, node, NOTES, NOTES_GRANT, notesProposal } from '../../helpers/review-scenario.ts';

const NO_RULES: Policy = { version: 1, rules: {} };

describe('the authority a proposal adds', () => {
  it("is the new app's blast radius in the merged graph, and the existing graph is not touched", () => {
    const c = corp();
    const before = c.graph.nodeCount;
    const result = review(c.graph, notesProposal(c), NO_RULES, { at });
    expect(result.addedAuthority.sources.map((s) => s.id)).toEqual([NOTES]);
    const levels = Object.fromEntries(result.addedAuthority.reached.map((e) => [e.id, e.level]));
    expect(levels).toEqual({ [NOTES_GRANT]: 'admin', [c.id('mailboxes')]: 'read', [c.id('bucket')]: 'write' });
    // 1 for the grant + pii 8 x read 1 + crown-jewel 10 x write 2
    expect(result.addedAuthority.score).toBe(29);
    expect(result.subjects).toEqual([expect.objectContaining({ id: NOTES, isNew: true, score: 29, scoreBefore: null, reached: 3, crownJewels: 1 })]);
    expect(c.graph.nodeCount).toBe(before);
    expect(c.graph.indexOf.has(NOTES)).toBe(false);
  });

  it('equals the blast radius computed on a graph that already contains the proposal', () => {
    const c = corp();
    const proposal = notesProposal(c);
    const whole = buildGraph({ nodes: [...c.nodes, ...proposal.nodes], edges: [...c.edges, ...proposal.edges] });
    const expected = blastRadius(whole, [whole.indexOf.get(NOTES)!], { at });
    expect(review(c.graph, proposal, NO_RULES, { at }).addedAuthority).toEqual(expected);
  });

  it('does not count a credential held by an app of the proposal as a separate source', () => {
    const facts = reviewFacts(corp().graph, notesProposal(), { at });
    expect(facts.subjects.map((s) => s.ref.id)).toEqual([NOTES]);
    expect(facts.credentials.map((cred) => cred.node.id)).toEqual([NOTES_GRANT]);
  });

  it('treats a lone credential of the proposal as its own source', () => {
    const c = corp();
    const key = 'aws:111:credential:new-key';
    const proposal: Fragment = { nodes: [node(key, 'Credential', { type: 'api-key' })], edges: [edge('CAN_ADMIN', key, c.id('bucket'))] };
    const result = review(c.graph, proposal, NO_RULES, { at });
    expect(result.subjects.map((s) => [s.id, s.isNew, s.score])).toEqual([[key, true, 30]]);
  });

  it('counts new and changed nodes and edges', () => {
    const c = corp();
    const proposal = notesProposal(c);
    proposal.nodes.push(node(c.id('chat'), 'App', { name: 'chat', ownerIds: ['okta:corp:identity:alice'] }));
    proposal.edges.push(edge('CAN_READ', c.id('ciKey'), c.id('repo'), { scopes: ['repo:read', 'repo:write'] }));
    const result = review(c.graph, proposal, NO_RULES, { at });
    expect(result.proposal.newNodes.map((n) => n.id)).toEqual([NOTES_GRANT, NOTES].sort());
    expect(result.proposal.changedNodes.map((n) => n.id)).toEqual([c.id('chat')]);
    expect([result.proposal.newEdges, result.proposal.changedEdges]).toEqual([3, 1]);
  });

  it('rejects a proposal edge to a node that is neither in the proposal nor in the graph', () => {
    const c = corp();
    const proposal = notesProposal(c, [edge('CAN_READ', NOTES_GRANT, 'google:corp.com:resource:nope')]);
    expect(() => review(c.graph, proposal, NO_RULES, { at })).toThrow(BlastmapError);
    try {
      review(c.graph, proposal, NO_RULES, { at });
    } catch (error) {
      expect((error as BlastmapError).code).toBe('INVALID_INPUT');
      expect((error as BlastmapError).issues[0]!.path).toBe('$.edges[1].to');
    }
  });
});

describe('how the exposure of tagged resources changes', () => {
  it('marks a resource no integration reached before as newly exposed, with the path from the proposal', () => {
    const c = corp();
    const { exposureChanges } = review(c.graph, notesProposal(c, [edge('CAN_READ', NOTES_GRANT, c.id('ledger'))]), NO_RULES, { at });
    expect(exposureChanges).toHaveLength(1);
    const ledger = exposureChanges[0]!;
    expect(ledger).toMatchObject({ change: 'newly-exposed', before: null, after: 'read', level: 'read', exposersBefore: 0, exposersAfter: 2, byProposal: true, hops: 2, tags: ['financial'] });
    expect(ledger.newExposers.map((x) => [x.id, x.level, x.before, x.byProposal])).toEqual([[NOTES, 'read', null, true], [NOTES_GRANT, 'read', null, true]]);
    expect(ledger.by.id).toBe(NOTES);
    expect(ledger.path.map((step) => [step.kind, step.to.id])).toEqual([['HOLDS', NOTES_GRANT], ['CAN_READ', c.id('ledger')]]);
  });

  it('marks a higher best level as raised and more integrations at a level already reached as widened', () => {
    const c = corp();
    const changes = review(c.graph, notesProposal(c), NO_RULES, { at }).exposureChanges;
    const summary = changes.map((x) => [x.resource.id, x.change, x.before, x.after, x.exposersBefore, x.exposersAfter]);
    // The loose AWS key already read the bucket; the chat app and its token already read the mailboxes.
    expect(summary).toEqual([
      [c.id('bucket'), 'raised', 'read', 'write', 1, 3],
      [c.id('mailboxes'), 'widened', 'read', 'read', 2, 4],
    ]);
    const higher = review(c.graph, notesProposal(c, [edge('CAN_WRITE', NOTES_GRANT, c.id('mailboxes'))]), NO_RULES, { at }).exposureChanges;
    expect(higher.map((x) => [x.resource.id, x.change, x.before, x.level])).toEqual([[c.id('mailboxes'), 'raised', 'read', 'write']]);
  });

  it('finds existing integrations that gain through the proposal: a key stored where CI can read', () => {
    const c = corp();
    // Only an edge, from a resource: the proposal has no app or credential of its own.
    const proposal: Fragment = { nodes: [], edges: [edge('CONTAINS_CREDENTIAL', c.id('repo'), c.id('awsKey'), { reason: 'deploy script keeps the key' })] };
    const result = review(c.graph, proposal, NO_RULES, { at });
    expect(result.subjects).toEqual([]);
    expect(result.addedAuthority.reachedCount).toBe(0);
    expect(result.exposureChanges).toHaveLength(1);
    const change = result.exposureChanges[0]!;
    expect(change).toMatchObject({ change: 'widened', before: 'read', level: 'read', byProposal: false, exposersBefore: 1, exposersAfter: 3 });
    expect(change.newExposers.map((x) => [x.id, x.hops])).toEqual([[c.id('ciKey'), 3], [c.id('ci'), 4]]);
    expect(change.path.map((step) => step.kind)).toEqual(['CAN_READ', 'CONTAINS_CREDENTIAL', 'CAN_READ']);
    expect(change.location).toEqual({ path: '$.edges[0]' });
  });

  it('judges a changed existing credential only on what it gains', () => {
    const c = corp();
    // The chat token, which already reads the mailboxes, is also allowed to write the repository.
    const proposal: Fragment = { nodes: [], edges: [edge('CAN_WRITE', c.id('chatToken'), c.id('repo'))] };
    const facts = reviewFacts(c.graph, proposal, { at });
    expect(facts.subjects.map((s) => [s.ref.id, s.isNew, s.scoreBefore, s.score])).toEqual([[c.id('chatToken'), false, 8, 22]]);
    expect(facts.exposureChanges.map((x) => [x.resource.id, x.change, x.before, x.level])).toEqual([[c.id('repo'), 'raised', 'read', 'write']]);
    expect(facts.exposureChanges[0]!.newExposers.map((x) => [x.id, x.byProposal])).toEqual([[c.id('chatToken'), true], [c.id('chat'), false]]);
    expect(facts.gains.some((gain) => gain.node === c.graph.indexOf.get(c.id('mailboxes')))).toBe(false);
  });

  it('sees what a credential brought back into use reaches again', () => {
    // The loose AWS key is revoked in this graph; the proposal rotates it back in (revoked: false).
    const revoked = corp();
    revoked.nodes.find((n) => n.id === revoked.id('awsKey'))!.revoked = true;
    const graph = buildGraph({ nodes: revoked.nodes, edges: revoked.edges });
    const proposal: Fragment = { nodes: [node(revoked.id('awsKey'), 'Credential', { type: 'api-key', revoked: false })], edges: [] };
    const result = review(graph, proposal, NO_RULES, { at });
    expect(result.proposal.changedNodes.map((n) => n.id)).toEqual([revoked.id('awsKey')]);
    expect(result.exposureChanges.map((x) => [x.resource.id, x.change, x.by.id])).toEqual([[revoked.id('bucket'), 'newly-exposed', revoked.id('awsKey')]]);
  });

  it('reports nothing when the proposal adds no reach', () => {
    const c = corp();
    const proposal: Fragment = { nodes: [node(c.id('wiki'), 'Resource', { name: 'wiki', platform: 'confluence', tenant: 'corp' })], edges: [] };
    const result = review(c.graph, proposal, NO_RULES, { at });
    expect(result.exposureChanges).toEqual([]);
    expect(result.passed).toBe(true);
  });

  it('ignores authority through a credential that has expired at the analysis instant', () => {
    const c = corp();
    const proposal = notesProposal(c);
    proposal.nodes[1]!.expiresAt = '2026-01-01T00:00:00.000Z';
    const result = review(c.graph, proposal, NO_RULES, { at });
    expect(result.exposureChanges).toEqual([]);
    expect(result.addedAuthority.dormant.map((d) => [d.id, d.why])).toEqual([[NOTES_GRANT, 'expired']]);
  });
});

describe('locations in the proposal file', () => {
  const text = [
    'nodes:',
    '  - id: "notes:prod:app:notes"',
    '    kind: App',
    '    name: Notes AI',
    '    platform: notes',
    '    tenant: prod',
    '  - { id: "google:corp.com:credential:notes-grant", kind: Credential, type: oauth-grant, name: Notes grant, platform: google, tenant: corp.com }',
    'edges:',
    '  - { kind: HOLDS, from: "notes:prod:app:notes", to: "google:corp.com:credential:notes-grant" }',
    '  - { kind: CAN_WRITE, from: "google:corp.com:credential:notes-grant", to: "aws:111:resource:bucket", scopes: ["full"] }',
    '',
  ].join('\n');

  it('point at the declaration of the element a violation is about, with its line', () => {
    const c = corp();
    const parsed = parseNative(text, { file: 'proposals/notes.yaml' });
    if (!parsed.ok) throw new Error('fixture should parse');
    const policy = parsePolicy('version: 1\nrules: { requireOwner: true, forbidReach: [{ tag: crown-jewel }], forbidTenantWideScopes: true, maxCredentialLifetimeDays: 30 }\n');
    if (!policy.ok) throw new Error('policy should parse');
    const result = review(c.graph, parsed.value, policy.value, { at });
    const where = Object.fromEntries(result.violations.map((v) => [v.rule, v.location]));
    expect(where.requireOwner).toEqual({ file: 'proposals/notes.yaml', path: '$.nodes[0]', line: 2 });
    expect(where.maxCredentialLifetimeDays).toEqual({ file: 'proposals/notes.yaml', path: '$.nodes[1]', line: 7 });
    expect(where.forbidTenantWideScopes).toEqual({ file: 'proposals/notes.yaml', path: '$.edges[1]', line: 10 });
    // The reach violation points at the proposal's grant that leads to the crown jewel.
    expect(where.forbidReach).toEqual({ file: 'proposals/notes.yaml', path: '$.edges[1]', line: 10 });
    expect(result.proposal.files).toEqual(['proposals/notes.yaml']);
  });
});

describe('reports', () => {
  it('escape names from the proposal in markdown and keep them in text', () => {
    const c = corp();
    const proposal = notesProposal(c);
    proposal.nodes[0]!.name = 'Evil <img src=x> | [click](https://x)';
    const policy: Policy = { version: 1, rules: { requireOwner: true } };
    const result = review(c.graph, proposal, policy, { at });
    const markdown = renderReviewMarkdown(result);
    expect(markdown).not.toMatch(/(?<!\\)</);
    expect(markdown).toContain('\\<img src=x\\>');
    expect(markdown).toContain('\\[click\\]');
    expect(markdown).toMatch(/^## blastmap review: ❌ failed \(1 error\)/);
    const text = renderReviewText(result);
    expect(text).toMatch(/^REVIEW FAILED: 1 error/);
    expect(text).toContain('Evil <img src=x>');
    expect(text).toMatch(/RAISED {3}WRITE bucket/);
  });

  it('say the review passed when only warnings are found', () => {
    const c = corp();
    const policy: Policy = { version: 1, rules: { requireOwner: true }, severity: { requireOwner: 'warning' } };
    const result = review(c.graph, notesProposal(c), policy, { at });
    expect(result.passed).toBe(true);
    expect(renderReviewText(result)).toMatch(/^REVIEW PASSED: 1 warning/);
    expect(renderReviewMarkdown(result)).toMatch(/^## blastmap review: ✅ passed \(1 warning\)/);
  });
});

describe('exposure changes against a brute-force oracle', () => {
  it('name exactly the apps and credentials that reach a tagged resource higher than before', () => {
    // Per node: 0 = in the graph, 1 = new in the proposal, 2 = re-declared usable (enabled, not revoked, valid
    // until 2100), 3 = re-declared disabled.
    const sample = randomGraph({ minNodes: 6, maxNodes: 12, minEdges: 30, maxEdges: 50, activeWeight: 12 })
      .chain((g) => fc.tuple(
        fc.constant(g),
        fc.array(fc.constantFrom(false, false, false, true), { minLength: g.edges.length, maxLength: g.edges.length }),
        fc.array(fc.constantFrom(0, 0, 0, 0, 1, 2, 3), { minLength: g.nodes.length, maxLength: g.nodes.length }),
      ));
    fc.assert(fc.property(sample, ([g, moved, nodeFlags]) => {
      const isNew = new Set(g.nodes.filter((_, i) => nodeFlags[i] === 1).map((n) => n.id));
      const inProposal = (e: GraphEdge, i: number): boolean => moved[i]! || isNew.has(e.from) || isNew.has(e.to);
      const existing = buildGraph({ nodes: g.nodes.filter((n) => !isNew.has(n.id)), edges: g.edges.filter((e, i) => !inProposal(e, i)) });
      const proposal: Fragment = {
        nodes: g.nodes.flatMap((n, i): GraphNode[] => {
          if (nodeFlags[i] === 1) return [n];
          if (nodeFlags[i] === 2) return [{ ...n, enabled: true, revoked: false, expiresAt: '2100-01-01T00:00:00.000Z' }];
          return nodeFlags[i] === 3 ? [{ ...n, enabled: false }] : [];
        }),
        edges: g.edges.filter((e, i) => inProposal(e, i)),
      };
      const sourced = { fragment: proposal, provenance: { nodePaths: [], edgePaths: [] }, redactions: 0 };
      const whole = assembleGraph([sourced], existing).graph;
      // Oracle: one forward search per app or credential, in each graph.
      const levels = (graph: typeof existing): Map<string, Map<string, number>> => {
        const out = new Map<string, Map<string, number>>();
        graph.nodes.forEach((n, s) => {
          if (n.kind !== 'App' && n.kind !== 'Credential') return;
          const r = reach(graph, [s], { at: AT });
          for (const v of r.order) {
            if (v === s) continue;
            const id = graph.nodes[v]!.id;
            if (!out.has(id)) out.set(id, new Map());
            out.get(id)!.set(n.id, r.level[v]!);
          }
        });
        return out;
      };
      const before = levels(existing);
      const after = levels(whole);
      const result = review(existing, proposal, NO_RULES, { at: AT });
      const reported = new Map(result.exposureChanges.map((x) => [x.resource.id, x]));
      const code = { read: 1, write: 2, admin: 3 } as const;
      for (const n of g.nodes) {
        const graded = n.kind === 'Resource' || n.kind === 'Platform';
        const was = before.get(n.id) ?? new Map<string, number>();
        const now = after.get(n.id) ?? new Map<string, number>();
        const gained = [...now].filter(([s, level]) => level > (was.get(s) ?? 0)).map(([s]) => s).sort();
        const entry = reported.get(n.id);
        if (!graded || !n.tags?.length || gained.length === 0) {
          expect(entry, `${n.id} should not be reported`).toBeUndefined();
          continue;
        }
        expect(entry, `${n.id} should be reported`).toBeDefined();
        expect(entry!.newExposers.map((x) => x.id).sort()).toEqual(gained);
        const bestBefore = Math.max(0, ...was.values());
        expect(entry!.before === null ? 0 : code[entry!.before]).toBe(bestBefore);
        expect(code[entry!.after]).toBe(Math.max(0, ...now.values()));
        expect([entry!.exposersBefore, entry!.exposersAfter]).toEqual([was.size, now.size]);
        for (const x of entry!.newExposers) expect(code[x.level]).toBe(now.get(x.id));
      }
    }), { numRuns: 150 });
  });
});

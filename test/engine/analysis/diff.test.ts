// The diff of two graphs: the property that its node and edge changes turn the old graph into the new one, and
// scenario graphs for each thing a reviewer reads (scope expansion, level upgrade, new crown-jewel path, scores,
// findings) and for the --fail-on expression language.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyChanges, canonicalJson, diffGraphs, evaluateFailOn, fragmentChanges, isEmptyDiff, parseFailOn, type GraphDiff } from '../../../engine/analysis/diff.ts';
import type { Fragment, GraphEdge, GraphNode } from '../../../engine/format/native.ts';
import { buildGraph, toFragment } from '../../../engine/store/compact.ts';
import { AT, randomGraph, type RandomGraph } from '../../helpers/arbitraries.ts';

/** Order-free form of a fragment, derived edges left out (the builder makes them again). */
function canonical(fragment: { nodes: readonly GraphNode[]; edges: readonly GraphEdge[] }): { nodes: string[]; edges: string[] } {
  return {
    nodes: fragment.nodes.map(canonicalJson).sort(),
    edges: fragment.edges.filter((edge) => edge.derivedFrom === undefined).map(canonicalJson).sort(),
  };
}

const SCOPES = ['repo', 'read:org', 'admin:org', 'drive.readonly', 'Mail.Read'];

/** A second graph made from the first: nodes dropped or renamed, edges dropped or given scopes and grants, nodes added. */
function mutated(base: RandomGraph): fc.Arbitrary<Fragment> {
  return fc.record({
    dropNode: fc.array(fc.boolean(), { minLength: base.nodes.length, maxLength: base.nodes.length }),
    rename: fc.array(fc.boolean(), { minLength: base.nodes.length, maxLength: base.nodes.length }),
    edgeChange: fc.array(fc.constantFrom('keep', 'keep', 'drop', 'scope', 'grant', 'approve'), { minLength: base.edges.length, maxLength: base.edges.length }),
    scope: fc.constantFrom(...SCOPES),
    extra: fc.array(fc.constantFrom('Resource', 'App', 'Credential'), { maxLength: 3 }),
  }).map(({ dropNode, rename, edgeChange, scope, extra }) => {
    const nodes: GraphNode[] = base.nodes.filter((_, i) => !dropNode[i]).map((node, i) => (rename[i] ? { ...node, name: `${node.name}-renamed`, sensitivity: 7 } : node));
    extra.forEach((kind, i) => nodes.push({ id: `p9:t:${kind.toLowerCase()}:new${i}`, kind, name: `new${i}`, platform: 'p9', tenant: 't', ...(kind === 'Credential' ? { type: 'oauth-grant' } : {}) } as GraphNode));
    const ids = new Set(nodes.map((node) => node.id));
    const credential = nodes.find((node) => node.kind === 'Credential');
    const edges: GraphEdge[] = [];
    base.edges.forEach((edge, i) => {
      if (!ids.has(edge.from) || !ids.has(edge.to)) return;
      const change = edgeChange[i];
      if (change === 'drop') return;
      if (change === 'scope') edges.push({ ...edge, scopes: [...(edge.scopes ?? []), scope] });
      else if (change === 'grant' && credential) edges.push({ ...edge, grant: credential.id });
      else if (change === 'approve') edges.push({ ...edge, approvedBy: edge.from, approvedAt: '2025-03-01T00:00:00.000Z', approvedScopes: [scope], reviewEvery: 'P90D' });
      else edges.push(edge);
    });
    return { nodes, edges };
  });
}

const pairs = fc.oneof(
  fc.tuple(randomGraph(), randomGraph()).map(([a, b]) => ({ a: a.graph, b: b.graph })),
  randomGraph().chain((a) => mutated(a).map((b) => ({ a: a.graph, b: buildGraph(b) }))),
);

describe('diff: property', () => {
  it('applying diff(A, B) to A gives B', () => {
    fc.assert(fc.property(pairs, ({ a, b }) => {
      const diff = diffGraphs(a, b, { at: AT });
      const applied = applyChanges(toFragment(a), diff);
      expect(canonical(applied)).toEqual(canonical(toFragment(b)));
    }), { numRuns: 150 });
  });

  it('diff(A, A) is empty in every part', () => {
    fc.assert(fc.property(randomGraph(), ({ graph }) => {
      const diff = diffGraphs(graph, graph, { at: AT });
      expect(isEmptyDiff(diff)).toBe(true);
      const lists = [diff.apps, diff.credentials, diff.grants, diff.memberships, diff.trusts, diff.otherEdges, diff.otherNodes];
      for (const pair of lists) expect(pair.added.length + pair.removed.length).toBe(0);
      expect(diff.scopeExpansions).toEqual([]);
      expect(diff.crownJewelPaths).toEqual([]);
      expect(diff.scores).toEqual([]);
      expect(diff.findings.added.length + diff.findings.resolved.length).toBe(0);
    }), { numRuns: 100 });
  });

  it('a rebuilt copy of the same fragment (other order) has no changes', () => {
    fc.assert(fc.property(randomGraph(), ({ nodes, edges, graph }) => {
      const shuffled = buildGraph({ nodes: [...nodes].reverse(), edges: [...edges].reverse() });
      expect(isEmptyDiff(fragmentChanges(toFragment(graph), toFragment(shuffled)))).toBe(true);
    }), { numRuns: 50 });
  });
});

// A connector with an OAuth grant on a CRM; a human with a role; a crown jewel behind a secret store.
const node = (id: string, kind: string, extra: Partial<GraphNode> = {}): GraphNode => ({ id, kind, name: id.split(':').pop()!, platform: id.split(':')[0]!, tenant: 't', ...extra } as GraphNode);
const h = {
  connector: 'crm:t:app:syncly',
  grant: 'crm:t:credential:syncly-grant',
  cases: 'crm:t:resource:cases',
  leads: 'crm:t:resource:leads',
  vault: 'crm:t:resource:vault',
  vaultKey: 'cloud:t:credential:key',
  cloudAdmin: 'cloud:t:identity:admin',
  customerData: 'cloud:t:resource:customer-data',
  alice: 'idp:t:identity:alice',
  admins: 'idp:t:group:admins',
};
const baseNodes = (): GraphNode[] => [
  node(h.connector, 'App', { thirdParty: true, ownerIds: [h.alice] }),
  node(h.grant, 'Credential', { type: 'oauth-grant', scopes: ['api'], createdAt: '2025-01-01', expiresAt: '2026-01-01' }),
  node(h.cases, 'Resource'), node(h.leads, 'Resource'), node(h.vault, 'Resource', { tags: ['secrets'] }),
  node(h.vaultKey, 'Credential', { type: 'api-key', createdAt: '2025-01-01', expiresAt: '2026-01-01' }),
  node(h.cloudAdmin, 'Identity', { subtype: 'service' }),
  node(h.customerData, 'Resource', { tags: ['crown-jewel'] }),
  node(h.alice, 'Identity', { subtype: 'human', email: 'alice@example.com' }), node(h.admins, 'Group'),
];
const baseEdges = (): GraphEdge[] => [
  { kind: 'HOLDS', from: h.connector, to: h.grant },
  { kind: 'CAN_READ', from: h.grant, to: h.cases, scopes: ['api'], grant: h.grant },
  { kind: 'CAN_READ', from: h.grant, to: h.leads, scopes: ['api'], grant: h.grant },
  { kind: 'STORES_CREDENTIAL', from: h.vault, to: h.vaultKey },
  { kind: 'AUTHENTICATES_AS', from: h.vaultKey, to: h.cloudAdmin },
  { kind: 'CAN_ADMIN', from: h.cloudAdmin, to: h.customerData },
];
const graphOf = (nodes: GraphNode[], edges: GraphEdge[]) => buildGraph({ nodes, edges });
const OPTIONS = { at: '2025-06-01' };

describe('diff: what a reviewer reads', () => {
  const before = graphOf(baseNodes(), baseEdges());

  it('a grant that gains a scope and a read that becomes a write are one scope expansion, and the crown jewel it now reaches is a new path', () => {
    const nodes = baseNodes().map((n) => (n.id === h.grant ? { ...n, scopes: ['api', 'full'] } : n));
    const edges = baseEdges().map((e) => (e.to === h.cases && e.kind === 'CAN_READ' ? { ...e, kind: 'CAN_WRITE', scopes: ['api', 'full'] } : e));
    edges.push({ kind: 'CAN_READ', from: h.grant, to: h.vault, scopes: ['full'], grant: h.grant });
    const diff = diffGraphs(before, graphOf(nodes, edges), OPTIONS);
    expect(diff.scopeExpansions).toHaveLength(1);
    const expansion = diff.scopeExpansions[0]!;
    expect(expansion.subject).toBe(h.grant);
    expect(expansion.holder.id).toBe(h.connector);
    expect(expansion.scopesAdded).toEqual(['full']);
    expect(expansion.levels).toEqual([
      { target: expect.objectContaining({ id: h.cases }), before: 'read', after: 'write' },
      { target: expect.objectContaining({ id: h.vault }), before: null, after: 'read' },
    ]);
    expect(diff.grants.added.map((e) => e.edgeId).sort()).toEqual([`${h.grant}|CAN_READ|${h.vault}|${h.grant}`, `${h.grant}|CAN_WRITE|${h.cases}|${h.grant}`]);
    expect(diff.grants.removed.map((e) => e.edgeId)).toEqual([`${h.grant}|CAN_READ|${h.cases}|${h.grant}`]);
    expect(diff.crownJewelPaths).toHaveLength(1);
    const path = diff.crownJewelPaths[0]!;
    expect([path.app.id, path.crownJewel.id, path.level, path.appExisted]).toEqual([h.connector, h.customerData, 'admin', true]);
    expect(path.path.map((step) => step.kind)).toEqual(['HOLDS', 'CAN_READ', 'STORES_CREDENTIAL', 'AUTHENTICATES_AS', 'CAN_ADMIN']);
    const score = diff.scores.find((entry) => entry.app.id === h.connector)!;
    expect(score.after! - score.before!).toBe(score.delta);
    expect(score.delta).toBeGreaterThan(0);
    expect([score.crownJewelsBefore, score.crownJewelsAfter]).toEqual([0, 1]);
  });

  it('a grant that gains a scope while its approval stays the same is a new BM-GOV-SCOPE-EXPANDED-SINCE-APPROVAL; a re-approval is not', () => {
    const approved = (approvedAt: string) => (n: GraphNode): GraphNode => (n.id === h.grant ? { ...n, approvedBy: h.alice, approvedAt } : n);
    const approvedBefore = graphOf(baseNodes().map(approved('2025-01-02T00:00:00.000Z')), baseEdges());
    const widened = baseEdges().map((e) => (e.to === h.cases ? { ...e, scopes: ['api', 'full'] } : e));
    const unapproved = diffGraphs(approvedBefore, graphOf(baseNodes().map(approved('2025-01-02T00:00:00.000Z')), widened), OPTIONS);
    expect(unapproved.scopeExpansions[0]!.approval).toEqual({ approvedAt: '2025-01-02T00:00:00.000Z', approvedBy: h.alice, on: 'grant', reapproved: false, approver: expect.objectContaining({ id: h.alice }) });
    const added = unapproved.findings.added.filter((f) => f.ruleId === 'BM-GOV-SCOPE-EXPANDED-SINCE-APPROVAL');
    expect(added.map((f) => [f.nodeId, f.evidence.scopes, f.evidence.summary])).toEqual([[h.grant, ['full'], 'Approved by alice on 2025-01-02 for api; now also carries full, with no approval since.']]);
    expect(added[0]!.console).not.toBe('');

    const reapproved = diffGraphs(approvedBefore, graphOf(baseNodes().map(approved('2025-05-01T00:00:00.000Z')), widened), OPTIONS);
    expect(reapproved.scopeExpansions[0]!.approval).toMatchObject({ approvedAt: '2025-05-01T00:00:00.000Z', reapproved: true });
    expect(reapproved.findings.added.some((f) => f.ruleId === 'BM-GOV-SCOPE-EXPANDED-SINCE-APPROVAL')).toBe(false);

    // Without any recorded approval, an expansion is only an expansion.
    const plain = diffGraphs(before, graphOf(baseNodes(), widened), OPTIONS);
    expect(plain.scopeExpansions[0]!.approval).toBeUndefined();
    expect(plain.findings.added.some((f) => f.ruleId === 'BM-GOV-SCOPE-EXPANDED-SINCE-APPROVAL')).toBe(false);
  });

  it('the approval of the app holding a grant stands for the grant when the grant records none', () => {
    const appApproved = (n: GraphNode): GraphNode => (n.id === h.connector ? { ...n, approvedBy: h.alice, approvedAt: '2025-01-02T00:00:00.000Z' } : n);
    const widened = baseEdges().map((e) => (e.to === h.leads ? { ...e, scopes: ['api', 'chatter'] } : e));
    const diff = diffGraphs(graphOf(baseNodes().map(appApproved), baseEdges()), graphOf(baseNodes().map(appApproved), widened), OPTIONS);
    expect(diff.scopeExpansions[0]!.approval).toMatchObject({ on: 'holder', reapproved: false });
    expect(diff.findings.added.filter((f) => f.ruleId === 'BM-GOV-SCOPE-EXPANDED-SINCE-APPROVAL').map((f) => f.nodeId)).toEqual([h.grant]);
  });

  it('a new app is a new app with a new grant, never a scope expansion', () => {
    const nodes = [...baseNodes(), node('crm:t:app:newcomer', 'App', { thirdParty: true }), node('crm:t:credential:newcomer-grant', 'Credential', { type: 'oauth-grant', scopes: ['api'] })];
    const edges = [...baseEdges(), { kind: 'HOLDS', from: 'crm:t:app:newcomer', to: 'crm:t:credential:newcomer-grant' }, { kind: 'CAN_READ', from: 'crm:t:credential:newcomer-grant', to: h.leads, scopes: ['api'], grant: 'crm:t:credential:newcomer-grant' }];
    const diff = diffGraphs(before, graphOf(nodes, edges), OPTIONS);
    expect(diff.apps.added.map((app) => [app.id, app.thirdParty])).toEqual([['crm:t:app:newcomer', true]]);
    expect(diff.credentials.added.map((c) => [c.id, c.type])).toEqual([['crm:t:credential:newcomer-grant', 'oauth-grant']]);
    expect(diff.scopeExpansions).toEqual([]);
    expect(diff.grants.added).toHaveLength(1);
    expect(diff.otherEdges.added.map((e) => e.kind)).toEqual(['HOLDS']);
    expect(diff.scores).toEqual([expect.objectContaining({ app: expect.objectContaining({ id: 'crm:t:app:newcomer' }), before: null, delta: expect.any(Number) })]);
    // The new app has no owner: a new governance finding about it.
    expect(diff.findings.added.some((finding) => finding.nodeId === 'crm:t:app:newcomer')).toBe(true);
    expect(diff.findings.resolved).toEqual([]);
  });

  it('memberships and trusts are told apart, and a removed owner resolves nothing it did not raise', () => {
    const edges = [...baseEdges(), { kind: 'MEMBER_OF', from: h.alice, to: h.admins } as GraphEdge, { kind: 'CAN_IMPERSONATE', from: h.connector, to: h.alice } as GraphEdge];
    const diff = diffGraphs(before, graphOf(baseNodes(), edges), OPTIONS);
    expect(diff.memberships.added.map((e) => e.kind)).toEqual(['MEMBER_OF']);
    expect(diff.trusts.added.map((e) => e.kind)).toEqual(['CAN_IMPERSONATE']);
    const back = diffGraphs(graphOf(baseNodes(), edges), before, OPTIONS);
    expect(back.memberships.removed).toHaveLength(1);
    expect(back.trusts.removed).toHaveLength(1);
  });

  it('a revoked credential is a changed node, its radius shrinks and findings about it resolve', () => {
    const nodes = baseNodes().map((n) => (n.id === h.grant ? { ...n, revoked: true, revokedAt: '2025-05-01T00:00:00.000Z' } : n));
    const diff = diffGraphs(before, graphOf(nodes, baseEdges()), OPTIONS);
    expect(diff.nodes.changed.map((change) => [change.node.id, change.fields])).toEqual([[h.grant, ['revoked', 'revokedAt']]]);
    expect(diff.scores.find((entry) => entry.app.id === h.connector)!.delta).toBeLessThan(0);
    expect(diff.scopeExpansions).toEqual([]);
  });
});

describe('diff: --fail-on expressions', () => {
  const before = graphOf(baseNodes(), baseEdges());
  const expanded = graphOf(baseNodes().map((n) => (n.id === h.grant ? { ...n, scopes: ['api', 'full'] } : n)), [...baseEdges(), { kind: 'CAN_READ', from: h.grant, to: h.vault, scopes: ['full'], grant: h.grant }]);
  const diff: GraphDiff = diffGraphs(before, expanded, OPTIONS);
  const matches = (expression: string): string[] => {
    const parsed = parseFailOn(expression);
    if (!parsed.ok) throw new Error(parsed.message);
    return evaluateFailOn(diff, parsed.terms).map((match) => match.term.text);
  };

  it('terms hold on what the diff contains; comma is or', () => {
    expect(matches('scope-expansion')).toEqual(['scope-expansion']);
    expect(matches('new-app')).toEqual([]);
    expect(matches('new-app, new-crown-jewel-path')).toEqual(['new-crown-jewel-path']);
    const increase = diff.scores.find((entry) => entry.app.id === h.connector)!.delta;
    expect(matches(`score-increase>${increase - 1}`)).toEqual([`score-increase>${increase - 1}`]);
    expect(matches(`score-increase>${increase}`)).toEqual([]);
    expect(matches(`score-increase>=${increase}`)).toHaveLength(1);
    expect(matches('new-grant=1')).toEqual(['new-grant=1']);
    expect(matches('new-grant>1')).toEqual([]);
  });

  it('finding terms compare severities', () => {
    const severities = diff.findings.added.map((finding) => finding.severity);
    expect(matches('new-finding>=info')).toHaveLength(severities.length > 0 ? 1 : 0);
    expect(matches('new-finding>critical')).toEqual([]);
  });

  it('bad expressions are refused with what is expected', () => {
    expect(parseFailOn('scope-expansion,')).toMatchObject({ ok: false, message: expect.stringContaining('empty term') });
    expect(parseFailOn('scope-growth')).toMatchObject({ ok: false, message: expect.stringContaining('unknown term "scope-growth"') });
    expect(parseFailOn('score-increase>lots')).toMatchObject({ ok: false, message: expect.stringContaining('expected a number') });
    expect(parseFailOn('new-finding>=severe')).toMatchObject({ ok: false, message: expect.stringContaining('or a severity') });
  });
});

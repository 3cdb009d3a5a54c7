// Verified revocation on the demo: a plan made on the demo, a later graph where some of its steps were carried out
// (the credentials revoked in the native records) and one was not, and what verify says about each; plus the
// checks one by one (an edge removed, a principal disabled, a tenant the new import does not cover).
import { describe, expect, it } from 'vitest';
import { DEMO_DIR } from '../../../cli/commands/demo.ts';
import { loadWorkspace } from '../../../cli/workspace.ts';
import { revocationPlan } from '../../../engine/analysis/plan.ts';
import { readPlanJson, verifyPlan, type CheckablePlan } from '../../../engine/analysis/verify.ts';
import type { Fragment, GraphEdge, GraphNode } from '../../../engine/format/native.ts';
import { buildGraph, toFragment, type CompactGraph } from '../../../engine/store/compact.ts';
import { edgeKey } from '../../../engine/analysis/diff.ts';

const PLANNED = '2026-11-24';
const CHECKED = '2026-12-01';
const demo = loadWorkspace(DEMO_DIR).graph;

/** The demo's records without what the builder derives (it derives them again). */
const records = (graph: CompactGraph): Fragment => {
  const fragment = toFragment(graph);
  return { nodes: fragment.nodes, edges: fragment.edges.filter((edge) => edge.derivedFrom === undefined) };
};

/** The graph after an operator carried out these mitigations, as a later import would show it. */
function carriedOut(graph: CompactGraph, mitigations: readonly ({ revoke: string } | { disable: string } | { removeEdge: string })[]): CompactGraph {
  const { nodes, edges } = records(graph);
  const revoke = new Set(mitigations.flatMap((m) => ('revoke' in m ? [m.revoke] : [])));
  const disable = new Set(mitigations.flatMap((m) => ('disable' in m ? [m.disable] : [])));
  const remove = new Set(mitigations.flatMap((m) => ('removeEdge' in m ? [m.removeEdge] : [])));
  return buildGraph({
    nodes: nodes.map((node): GraphNode => (revoke.has(node.id) ? { ...node, revoked: true, revokedAt: '2026-11-25T09:00:00.000Z' } : disable.has(node.id) ? { ...node, enabled: false } : node)),
    edges: edges.filter((edge) => !remove.has(edgeKey(edge))),
  });
}

describe('verify: a plan on the demo', () => {
  const source = demo.indexOf.get('parley:prod:app:parley-chat')!;
  const plan = revocationPlan(demo, [source], { at: PLANNED, steps: 5 });
  const read = readPlanJson(JSON.parse(JSON.stringify({ chokePoints: null, plan })));
  if (!read.ok) throw new Error('the plan does not read back');
  const checkable = read.plan;

  it('reads back what `blastmap plan -f json` writes', () => {
    expect(checkable.kind).toBe('plan');
    expect(checkable.steps.map((step) => step.mitigations)).toEqual(plan.steps.map((step) => step.cut.mitigations));
    expect(checkable.steps.length).toBe(5);
  });

  it('the step not carried out is still live, the others done, and the radius shrank less than predicted', () => {
    const skipped = checkable.steps[1]!;
    const later = carriedOut(demo, checkable.steps.filter((step) => step !== skipped).flatMap((step) => step.mitigations));
    const verification = verifyPlan(later, checkable, { at: CHECKED });
    expect(verification.steps.map((step) => step.status)).toEqual(['done', 'still-live', 'done', 'done', 'done']);
    expect(verification.counts).toEqual({ 'done': 4, 'still-live': 1, 'cannot-tell': 0 });
    expect(verification.steps[1]!.checks[0]!.evidence).toMatch(/^still usable/);
    expect(verification.steps[0]!.checks[0]!.evidence).toBe('revoked at 2026-11-25T09:00:00Z');
    expect(verification.radius.verdict).toBe('partly');
    expect(verification.radius.now).toBeGreaterThan(plan.finalScore);
    expect(verification.radius.now).toBeLessThan(plan.initialScore);
  });

  it('every step carried out: all done, and the radius is what the plan predicted', () => {
    const later = carriedOut(demo, checkable.steps.flatMap((step) => step.mitigations));
    const verification = verifyPlan(later, checkable, { at: CHECKED });
    expect(verification.counts).toEqual({ 'done': 5, 'still-live': 0, 'cannot-tell': 0 });
    expect(verification.radius).toMatchObject({ verdict: 'as-predicted', now: plan.finalScore, before: plan.initialScore });
  });

  it('nothing carried out: every step still live and the radius did not shrink', () => {
    const verification = verifyPlan(demo, checkable, { at: PLANNED });
    expect(verification.counts['still-live']).toBe(5);
    expect(verification.radius).toMatchObject({ verdict: 'not-shrunk', now: plan.initialScore });
  });

  it('a credential deleted from the tenant is done; a tenant the new import lacks cannot be told', () => {
    const first = checkable.steps[0]!.mitigations[0]! as { revoke: string };
    const { nodes, edges } = records(demo);
    const without = buildGraph({ nodes: nodes.filter((n) => n.id !== first.revoke), edges: edges.filter((e) => e.from !== first.revoke && e.to !== first.revoke) });
    expect(verifyPlan(without, checkable, { at: CHECKED }).steps[0]).toMatchObject({ status: 'done', checks: [{ evidence: 'absent from the new import (deleted)' }] });
    const tenant = first.revoke.split(':').slice(0, 2).join(':');
    const keep = (id: string): boolean => !id.startsWith(`${tenant}:`);
    const noTenant = buildGraph({ nodes: nodes.filter((n) => keep(n.id)), edges: edges.filter((e) => keep(e.from) && keep(e.to)) });
    expect(verifyPlan(noTenant, checkable, { at: CHECKED }).steps[0]).toMatchObject({ status: 'cannot-tell', checks: [{ evidence: 'the new import has nothing from this platform and tenant' }] });
  });
});

describe('verify: each kind of check', () => {
  const node = (id: string, kind: string, extra: Partial<GraphNode> = {}): GraphNode => ({ id, kind, name: id.split(':').pop()!, platform: id.split(':')[0]!, tenant: 't', ...extra } as GraphNode);
  const nodes = [node('crm:t:app:bot', 'App'), node('crm:t:identity:svc', 'Identity', { subtype: 'service' }), node('crm:t:role:admin', 'Role'), node('crm:t:resource:cases', 'Resource', { sensitivity: 5 })];
  const roleEdge: GraphEdge = { kind: 'HAS_ROLE', from: 'crm:t:identity:svc', to: 'crm:t:role:admin' };
  const edges: GraphEdge[] = [{ kind: 'CAN_IMPERSONATE', from: 'crm:t:app:bot', to: 'crm:t:identity:svc' } as GraphEdge, roleEdge, { kind: 'CAN_ADMIN', from: 'crm:t:role:admin', to: 'crm:t:resource:cases' }];
  const plan: CheckablePlan = {
    kind: 'plan', sources: [{ id: 'crm:t:app:bot', name: 'bot', kind: 'App', platform: 'crm', tenant: 't' }], at: PLANNED, initialScore: 17, finalScore: 0,
    steps: [
      { step: 1, title: 'remove-edge role', predictedScoreAfter: 1, mitigations: [{ removeEdge: edgeKey(roleEdge) }], checkable: true },
      { step: 2, title: 'disable svc', predictedScoreAfter: 0, mitigations: [{ disable: 'crm:t:identity:svc' }], checkable: true },
    ],
  };

  it('an edge still present between usable ends is still live; removed, it is done; with a disabled end, done', () => {
    const before = verifyPlan(buildGraph({ nodes, edges }), plan, { at: CHECKED });
    expect(before.steps.map((s) => s.status)).toEqual(['still-live', 'still-live']);
    expect(before.radius).toMatchObject({ now: 17, verdict: 'not-shrunk' });
    const removed = verifyPlan(buildGraph({ nodes, edges: edges.filter((e) => e !== roleEdge) }), plan, { at: CHECKED });
    expect(removed.steps.map((s) => [s.status, s.checks[0]!.evidence])).toEqual([['done', 'absent from the new import'], ['still-live', 'still usable']]);
    expect(removed.radius).toMatchObject({ now: 1, verdict: 'partly' });
    const disabled = verifyPlan(buildGraph({ nodes: nodes.map((n) => (n.id === 'crm:t:identity:svc' ? { ...n, enabled: false } : n)), edges }), plan, { at: CHECKED });
    expect(disabled.steps.map((s) => [s.status, s.checks[0]!.evidence])).toEqual([['done', 'still in the graph, but an end of it is revoked, expired or disabled'], ['done', 'disabled']]);
    expect(disabled.radius).toMatchObject({ now: 0, verdict: 'as-predicted' });
  });
});

describe('verify: reading plans', () => {
  it('a containment plan: hunting and cleaning up cannot be told from a graph', () => {
    const respond = {
      source: {}, harvested: [], sources: [{ id: 'a:t:app:x', name: 'x', kind: 'App', platform: 'a', tenant: 't' }], at: PLANNED, since: null, initialScore: 3, finalScore: 0,
      steps: [
        { step: 1, phase: 'contain', action: 'disable-app', title: 'Disable x', target: { id: 'a:t:app:x', name: 'x', kind: 'App', platform: 'a', tenant: 't' }, scoreAfter: 0, containment: true, mitigations: [], blocks: { nodes: ['a:t:app:x'], edges: [] } },
        { step: 2, phase: 'hunt', action: 'hunt-persistence', title: 'Hunt', target: { id: 'a:t:app:x', name: 'x', kind: 'App', platform: 'a', tenant: 't' }, scoreAfter: 0, containment: false, mitigations: [], blocks: { nodes: [], edges: [] } },
      ],
    };
    const read = readPlanJson(respond);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.plan.steps.map((s) => [s.checkable, s.mitigations])).toEqual([[true, [{ disable: 'a:t:app:x' }]], [false, []]]);
    const graph = buildGraph({ nodes: [{ id: 'a:t:app:x', kind: 'App', name: 'x', platform: 'a', tenant: 't', enabled: false } as GraphNode], edges: [] });
    expect(verifyPlan(graph, read.plan, { at: CHECKED }).steps.map((s) => s.status)).toEqual(['done', 'cannot-tell']);
  });

  it('anything else is refused with the JSON path of the problem', () => {
    expect(readPlanJson([1, 2], 'x.json')).toMatchObject({ ok: false, issues: [{ file: 'x.json', path: '$', message: 'not a plan' }] });
    const broken = readPlanJson({ plan: { sources: [{ id: 'a', name: 'a', kind: 'App', platform: 'p', tenant: 't' }], at: PLANNED, initialScore: 1, finalScore: 0, steps: [{ step: 1, scoreAfter: 0, cut: { action: 'revoke', id: 'a', name: 'a' } }] } }, 'x.json');
    expect(broken).toMatchObject({ ok: false, issues: [{ file: 'x.json', path: '$.plan.steps[0].cut.mitigations' }] });
  });
});

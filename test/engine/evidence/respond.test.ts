// respond with evidence on a scenario with named handles: the hunt phase puts the tenant the logs show in use first
// (alphabetical order otherwise), and each step carries what the logs say of its target.
import { describe, expect, it } from 'vitest';
import { respondPlan } from '../../../engine/analysis/respond.ts';
import { resolveEvidence } from '../../../engine/evidence/report.ts';
import { respondWithEvidence } from '../../../engine/evidence/respond.ts';
import { createStore } from '../../../engine/evidence/store.ts';
import type { GraphNode } from '../../../engine/format/native.ts';
import { buildGraph } from '../../../engine/store/compact.ts';

const h = {
  vendor: 'vendor:prod:app:connector',
  alpha: 'alpha:t1:platform:org',
  beta: 'beta:t2:platform:org',
};
const nodes: GraphNode[] = [
  { id: h.vendor, kind: 'App', name: 'Connector', platform: 'vendor', tenant: 'prod' },
  { id: h.alpha, kind: 'Platform', name: 'Alpha org', platform: 'alpha', tenant: 't1' },
  { id: h.beta, kind: 'Platform', name: 'Beta org', platform: 'beta', tenant: 't2' },
] as GraphNode[];
const graph = buildGraph({ nodes, edges: [{ kind: 'CAN_ADMIN', from: h.vendor, to: h.alpha }, { kind: 'CAN_ADMIN', from: h.vendor, to: h.beta }] });
const AT = '2026-11-22T00:00:00Z';
const source = graph.indexOf.get(h.vendor)!;

describe('respond with evidence', () => {
  it('hunts first where the logs show the attacker, and says so on the step', () => {
    const plain = respondPlan(graph, [source], { at: AT });
    expect(plain.steps.filter((s) => s.phase === 'hunt').map((s) => s.target.id)).toEqual([h.alpha, h.beta]);
    const store = createStore([{
      at: Date.parse('2026-11-21T22:00:00Z'), actor: { platform: 'vendor', ids: [h.vendor] }, target: { platform: 'beta', ids: ['Beta org'] },
      action: 'CreateUser', family: 'admin', category: 'persistence', outcome: 'success', ip: '203.0.113.77', source: 'test', eventId: '1',
    }]);
    const plan = respondWithEvidence(graph, [source], { at: AT }, resolveEvidence(graph, store));
    const hunt = plan.steps.filter((s) => s.phase === 'hunt');
    expect(hunt.map((s) => s.target.id)).toEqual([h.beta, h.alpha]);
    expect(hunt[0]!.evidence).toMatchObject({ status: 'observed', count: 1, ips: ['203.0.113.77'] });
    expect(hunt[0]!.evidence!.actions!.map((a) => `${a.category} ${a.action} ${a.target}`)).toEqual([`persistence CreateUser ${h.beta}`]);
    expect(hunt[1]!.evidence).toEqual({ status: 'possible' });
    expect(plan.evidence?.nodes.map((n) => `${n.id} ${n.status}`)).toEqual([`${h.beta} observed`, `${h.vendor} observed`]);
  });
});

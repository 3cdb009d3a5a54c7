// The fast choke points and plans (typed flow graph, effects read off the dominator tree, only witness edges
// indexed) against the first, straightforward implementation kept in test/helpers/reference-plan.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chokePoints, planWithChokePoints, revocationPlan } from '../../../engine/analysis/plan.ts';
import { cutCaseArb, reachOptionsOf } from '../../helpers/cuts.ts';
import { referenceChokePoints, referenceRevocationPlan } from '../../helpers/reference-plan.ts';
import { driftScenario } from '../../helpers/scenario.ts';

/** Scores are sums of the same points added in another order: equal to 1e-6. */
const rounded = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v)));

describe('plan against the reference implementation', () => {
  it('the drift scenario: the same choke points and plan', () => {
    const s = driftScenario();
    const options = { at: Date.parse('2026-01-01T00:00:00Z') };
    expect(rounded(chokePoints(s.graph, [s.ix('drift')], options))).toEqual(rounded(referenceChokePoints(s.graph, [s.ix('drift')], options)));
    expect(rounded(revocationPlan(s.graph, [s.ix('drift')], options))).toEqual(rounded(referenceRevocationPlan(s.graph, [s.ix('drift')], options)));
  });

  it('choke points: the same cuts, effects, equivalents and counts (random graphs)', () => {
    fc.assert(fc.property(cutCaseArb(), fc.integer({ min: 0, max: 6 }), (c, top) => {
      const options = { ...reachOptionsOf(c), top };
      expect(rounded(chokePoints(c.graph, c.sources, options))).toEqual(rounded(referenceChokePoints(c.graph, c.sources, options)));
    }), { numRuns: 300 });
  });

  it('plans, preventive and containment: the same steps, alternatives and totals (random graphs)', () => {
    fc.assert(fc.property(cutCaseArb(), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 }), fc.boolean(), (c, steps, alternatives, containment) => {
      const options = { ...reachOptionsOf(c), steps, alternatives, containment };
      expect(rounded(revocationPlan(c.graph, c.sources, options))).toEqual(rounded(referenceRevocationPlan(c.graph, c.sources, options)));
    }), { numRuns: 300 });
  });

  it("plans under the caller's overlay (blocked nodes and edges, or none blocked): the same steps, and the overlay untouched (random graphs)", () => {
    // The plan copies the caller's per-edge flags only when one is set, and makes its own when a cut first removes
    // an edge: every mix of the two is checked here.
    const picks = fc.array(fc.nat(), { maxLength: 4 });
    fc.assert(fc.property(cutCaseArb(), picks, picks, fc.integer({ min: 0, max: 4 }), fc.boolean(), (c, nodePicks, edgePicks, steps, containment) => {
      const blockedNodes = new Uint8Array(c.graph.nodeCount);
      const blockedEdges = new Uint8Array(c.graph.edgeCount);
      for (const k of nodePicks) blockedNodes[k % c.graph.nodeCount] = 1;
      if (c.graph.edgeCount > 0) for (const k of edgePicks) blockedEdges[k % c.graph.edgeCount] = 1;
      const before = [blockedNodes.slice(), blockedEdges.slice()];
      const options = { ...reachOptionsOf(c), steps, alternatives: 1, containment, overlay: { blockedNodes, blockedEdges } };
      expect(rounded(revocationPlan(c.graph, c.sources, options))).toEqual(rounded(referenceRevocationPlan(c.graph, c.sources, options)));
      expect([blockedNodes, blockedEdges]).toEqual(before);
    }), { numRuns: 300 });
  });

  it('long plans, each step ranked on the flow graph of the step before without the cut: the same steps (random graphs)', () => {
    // Many steps on small graphs run the plan until nothing is left or no single cut helps, so that cuts made
    // by edges that only became witnesses after earlier cuts are ranked from a kept flow graph too.
    fc.assert(fc.property(cutCaseArb(), fc.integer({ min: 5, max: 12 }), fc.integer({ min: 0, max: 3 }), fc.boolean(), (c, steps, alternatives, containment) => {
      const options = { ...reachOptionsOf(c), steps, alternatives, containment };
      expect(rounded(revocationPlan(c.graph, c.sources, options))).toEqual(rounded(referenceRevocationPlan(c.graph, c.sources, options)));
    }), { numRuns: 200 });
  });
});

describe('planWithChokePoints', () => {
  it('is the plan and the choke points computed apart, sharing the first ranking (random graphs)', () => {
    fc.assert(fc.property(cutCaseArb(), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 }), (c, steps, top, alternatives) => {
      const options = { ...reachOptionsOf(c), steps, alternatives };
      const both = planWithChokePoints(c.graph, c.sources, { ...options, top });
      expect(rounded(both.plan)).toEqual(rounded(referenceRevocationPlan(c.graph, c.sources, options)));
      expect(rounded(both.chokePoints ?? null)).toEqual(top > 0 ? rounded(referenceChokePoints(c.graph, c.sources, { ...reachOptionsOf(c), top })) : null);
    }), { numRuns: 300 });
  });
});

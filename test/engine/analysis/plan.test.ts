// Choke points and the revocation plan: scenario graphs whose best cuts are known by construction, and
// random graphs against a brute force over every possible cut scored by the naive fixpoint.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chokePoints, revocationPlan, type Cut } from '../../../engine/analysis/plan.ts';
import { AT } from '../../helpers/arbitraries.ts';
import { cutCaseArb, everyCut, oracleOptions, oracleScore, reachOptionsOf, type CutCase, type CutSpec } from '../../helpers/cuts.ts';
import { driftScenario, scenario } from '../../helpers/scenario.ts';

const at = AT;
const spec = (cut: Cut): CutSpec => ({ action: cut.action, id: cut.id });

/** Two tokens held by one app, each alone enough to read the crown jewel. */
const twoTokens = () => scenario((s) => {
  s.app('app');
  s.credential('t1');
  s.credential('t2');
  s.resource('db', { tags: ['crown-jewel'] });
  s.edge('HOLDS', 'app', 't1').edge('HOLDS', 'app', 't2').edge('CAN_READ', 't1', 'db').edge('CAN_READ', 't2', 'db');
});

describe('revocationPlan', () => {
  it('in the drift chain revokes the Salesforce token first, then the mail grant, and nothing is left', () => {
    const s = driftScenario();
    const plan = revocationPlan(s.graph, [s.ix('drift')], { at });
    expect(plan.initialScore).toBe(41);
    expect(plan.steps.map((step) => [step.cut.action, step.cut.id, step.scoreBefore, step.removed, step.scoreAfter])).toEqual([
      ['revoke', s.id('sfToken'), 41, 32, 9],
      ['revoke', s.id('mailGrant'), 9, 9, 0],
    ]);
    const [first] = plan.steps;
    expect(first!.crownJewelsLost.map((j) => j.id)).toEqual([s.id('bucket')]);
    expect(first!.lost.map((n) => n.id).sort()).toEqual(['sfToken', 'cases', 'case1', 'awsKey', 'awsUser', 'bucket'].map(s.id).sort());
    // Cutting Drift's hold on the token removes as much, but only revoking stops a copy the attacker already took.
    expect(first!.alternatives.map((cut) => [cut.action, cut.edges?.[0]?.kind, cut.edges?.[0]?.to.id])).toEqual([['remove-edge', 'HOLDS', s.id('sfToken')]]);
    expect(first!.cut.mitigations).toEqual([{ revoke: s.id('sfToken') }]);
    expect(plan.stoppedBecause).toBe('nothing-left');
    expect(plan.finalScore).toBe(0);
    expect(plan.crownJewelsBefore.map((j) => j.id)).toEqual([s.id('bucket')]);
    expect(plan.crownJewelsAfter).toEqual([]);
  });

  it('re-evaluates after each cut: the second of two redundant tokens is worth more once the first is revoked', () => {
    const s = twoTokens();
    const plan = revocationPlan(s.graph, [s.ix('app')], { at });
    expect(plan.steps.map((step) => [step.cut.id, step.removed])).toEqual([[s.id('t1'), 1], [s.id('t2'), 11]]);
    expect(plan.steps[1]!.crownJewelsLost.map((j) => j.id)).toEqual([s.id('db')]);
  });

  it('withdraws a grant that spans two principals when that removes more than disabling either', () => {
    const s = scenario((b) => {
      b.identity('admin');
      b.identity('u1');
      b.identity('u2');
      b.resource('db1', { tags: ['crown-jewel'] });
      b.resource('db2', { tags: ['crown-jewel'] });
      b.edge('CAN_IMPERSONATE', 'admin', 'u1').edge('CAN_IMPERSONATE', 'admin', 'u2');
      b.edge('CAN_READ', 'u1', 'db1', { grant: 'consent-42' }).edge('CAN_READ', 'u2', 'db2', { grant: 'consent-42' });
    });
    const plan = revocationPlan(s.graph, [s.ix('admin')], { at, steps: 1 });
    expect(plan.steps.map((step) => [step.cut.action, step.cut.id, step.removed])).toEqual([['remove-grant', 'consent-42', 20]]);
    expect(plan.steps[0]!.cut.edges).toHaveLength(2);
    expect(plan.stoppedBecause).toBe('steps');
  });

  it('stops when no single cut removes anything: two independent routes to the crown jewel', () => {
    const s = scenario((b) => {
      b.platform('vendor');
      b.resource('r1', { sensitivity: 0 });
      b.resource('r2', { sensitivity: 0 });
      b.resource('db', { tags: ['crown-jewel'] });
      b.edge('CONTAINS', 'vendor', 'r1').edge('CONTAINS', 'vendor', 'r2').edge('CONTAINS', 'r1', 'db').edge('CONTAINS', 'r2', 'db');
    });
    const plan = revocationPlan(s.graph, [s.ix('vendor')], { at });
    expect(plan.initialScore).toBe(30);
    expect(plan.steps).toEqual([]);
    expect(plan.stoppedBecause).toBe('no-single-cut-helps');
    expect(chokePoints(s.graph, [s.ix('vendor')], { at }).chokePoints).toEqual([]);
  });

  it('never cuts a source, even when revoking it would remove everything', () => {
    const s = driftScenario();
    const plan = revocationPlan(s.graph, [s.ix('sfToken')], { at, steps: 10 });
    expect(plan.steps.length).toBeGreaterThan(0);
    // Withdrawing the token's own grant (its scopes) is fair; revoking the token itself is not a plan.
    expect(plan.steps.every((step) => step.cut.node?.id !== s.id('sfToken'))).toBe(true);
    expect(plan.finalScore).toBe(0);
  });

  it("leaves the caller's overlay untouched", () => {
    const s = driftScenario();
    const overlay = { blockedNodes: new Uint8Array(s.graph.nodeCount), blockedEdges: new Uint8Array(s.graph.edgeCount) };
    overlay.blockedNodes[s.ix('mailGrant')] = 1;
    const plan = revocationPlan(s.graph, [s.ix('drift')], { at, overlay });
    expect(plan.initialScore).toBe(32);
    expect([...overlay.blockedNodes].reduce((a, b) => a + b, 0)).toBe(1);
    expect([...overlay.blockedEdges].every((x) => x === 0)).toBe(true);
  });

  it('rejects a negative number of steps', () => {
    const s = driftScenario();
    expect(() => revocationPlan(s.graph, [s.ix('drift')], { at, steps: -1 })).toThrow(/steps/);
  });

  it("each step removes exactly the recomputed difference, is the best single cut there is, and prefers revocation on ties (random graphs)", () => {
    fc.assert(fc.property(cutCaseArb(), (c) => {
      const plan = revocationPlan(c.graph, c.sources, { ...reachOptionsOf(c), steps: 3 });
      const applied: CutSpec[] = [];
      const sourceIds = new Set(c.sources.map((v) => c.graph.nodes[v]!.id));
      for (const step of plan.steps) {
        const before = oracleScore(c.graph, c.sources, oracleOptions(c, applied));
        const after = oracleScore(c.graph, c.sources, oracleOptions(c, [...applied, spec(step.cut)]));
        expect(step.scoreBefore).toBeCloseTo(before, 9);
        expect(step.scoreAfter).toBeCloseTo(after, 9);
        expect(step.removed).toBe(step.scoreBefore - step.scoreAfter);
        expect(step.removed).toBeGreaterThan(0);
        expect(sourceIds.has(step.cut.id) && step.cut.node !== undefined).toBe(false);
        const best = bestCuts(c, applied, before);
        expect(step.removed).toBeCloseTo(best.removed, 9);
        expect(rank(step.cut.action)).toBe(Math.min(...best.cuts.map((cut) => rank(cut.action))));
        for (const alternative of step.alternatives) {
          const removed = before - oracleScore(c.graph, c.sources, oracleOptions(c, [...applied, spec(alternative)]));
          expect(removed).toBeCloseTo(step.removed, 9);
        }
        applied.push(spec(step.cut));
      }
      const final = oracleScore(c.graph, c.sources, oracleOptions(c, applied));
      expect(plan.finalScore).toBeCloseTo(final, 9);
      if (plan.stoppedBecause === 'nothing-left') expect(final).toBe(0);
      if (plan.stoppedBecause === 'no-single-cut-helps') expect(bestCuts(c, applied, final).removed).toBeCloseTo(0, 9);
      if (plan.stoppedBecause === 'steps') expect(plan.steps).toHaveLength(3);
    }), { numRuns: 200 });
  });
});

const rank = (action: Cut['action']): number => ({ revoke: 0, disable: 1, 'remove-grant': 2, 'remove-edge': 2 })[action];

/** The most any single cut removes on top of `applied`, and every cut that removes that much. */
function bestCuts(c: CutCase, applied: readonly CutSpec[], before: number): { removed: number; cuts: CutSpec[] } {
  let removed = 0;
  let cuts: CutSpec[] = [];
  for (const cut of everyCut(c.graph, c.sources)) {
    const gain = before - oracleScore(c.graph, c.sources, oracleOptions(c, [...applied, cut]));
    if (gain > removed + 1e-9) { removed = gain; cuts = [cut]; } else if (Math.abs(gain - removed) <= 1e-9) cuts.push(cut);
  }
  return { removed, cuts };
}

describe('chokePoints', () => {
  it('ranks the drift cuts: the token (same effect as Drift\'s hold on it), then its grant, then the AWS key found in the case', () => {
    const s = driftScenario();
    const result = chokePoints(s.graph, [s.ix('drift')], { at, top: 4 });
    expect(result.score).toBe(41);
    expect(result.chokePoints.map((p) => [p.rank, p.cut.action, p.cut.id, p.removed])).toEqual([
      [1, 'revoke', s.id('sfToken'), 32],
      [2, 'remove-grant', s.id('sfToken'), 31],
      [3, 'revoke', s.id('awsKey'), 22],
      [4, 'disable', s.id('awsUser'), 21],
    ]);
    expect(result.chokePoints[0]!.equivalent.map((cut) => cut.id)).toEqual([`${s.id('drift')}|HOLDS|${s.id('sfToken')}`]);
    expect(result.chokePoints[0]!.share).toBeCloseTo(32 / 41, 9);
    // Deleting the pasted key from the case is a real action, equivalent to revoking it.
    expect(result.chokePoints[2]!.equivalent.map((cut) => cut.id)).toEqual([`${s.id('case1')}|CONTAINS_CREDENTIAL|${s.id('awsKey')}`]);
  });

  it('never proposes removing a structural edge: a container\'s part or an administrator\'s reach', () => {
    const s = driftScenario();
    const cuts = chokePoints(s.graph, [s.ix('drift')], { at, top: 100 }).chokePoints.flatMap((p) => [p.cut, ...p.equivalent]);
    expect(cuts.length).toBeGreaterThan(4);
    expect(cuts.filter((cut) => cut.action === 'remove-edge' && /\|(CONTAINS|MANAGES)\|/.test(cut.id))).toEqual([]);
    const plan = revocationPlan(s.graph, [s.ix('vendor')], { at, steps: 5 });
    expect(plan.steps.flatMap((step) => [step.cut, ...step.alternatives]).filter((cut) => /\|(CONTAINS|MANAGES)\|/.test(cut.id))).toEqual([]);
  });

  it('a credential with a redundant twin is worth only itself', () => {
    const s = twoTokens();
    const result = chokePoints(s.graph, [s.ix('app')], { at });
    expect(result.chokePoints.map((p) => [p.cut.id, p.removed, p.crownJewelsLost.length])).toEqual([[s.id('t1'), 1, 0], [s.id('t2'), 1, 0]]);
  });

  it('under a depth bound a detour that is too long is no alternative', () => {
    const s = scenario((b) => {
      b.app('app');
      b.credential('t1');
      b.credential('t2');
      b.identity('svc');
      b.resource('db', { tags: ['crown-jewel'] });
      b.edge('HOLDS', 'app', 't1').edge('CAN_READ', 't1', 'db');
      b.edge('HOLDS', 'app', 't2').edge('AUTHENTICATES_AS', 't2', 'svc').edge('CAN_READ', 'svc', 'db');
    });
    const unbounded = chokePoints(s.graph, [s.ix('app')], { at });
    expect(unbounded.chokePoints.find((p) => p.cut.id === s.id('t1'))?.removed).toBe(1);
    const bounded = chokePoints(s.graph, [s.ix('app')], { at, maxDepth: 2 });
    const t1 = bounded.chokePoints.find((p) => p.cut.id === s.id('t1'));
    expect(t1?.removed).toBe(11);
    expect(t1?.crownJewelsLost.map((j) => j.id)).toEqual([s.id('db')]);
  });

  it('each choke point removes the recomputed difference, best first, and the first is the best single cut (random graphs)', () => {
    fc.assert(fc.property(cutCaseArb(), (c) => {
      const result = chokePoints(c.graph, c.sources, { ...reachOptionsOf(c), top: 5 });
      const before = oracleScore(c.graph, c.sources, oracleOptions(c));
      expect(result.score).toBeCloseTo(before, 9);
      const effects = new Set<string>();
      result.chokePoints.forEach((point, i) => {
        for (const cut of [point.cut, ...point.equivalent]) {
          expect(before - oracleScore(c.graph, c.sources, oracleOptions(c, [spec(cut)]))).toBeCloseTo(point.removed, 9);
        }
        if (i > 0) expect(point.removed).toBeLessThanOrEqual(result.chokePoints[i - 1]!.removed + 1e-9);
        const effect = point.lost.map((n) => n.id).join() + '|' + point.lowered.map((n) => n.id + n.levelAfter).join();
        expect(effects.has(effect)).toBe(false);
        effects.add(effect);
      });
      const best = bestCuts(c, [], before);
      if (best.removed > 1e-9) expect(result.chokePoints[0]!.removed).toBeCloseTo(best.removed, 9);
      else expect(result.chokePoints).toEqual([]);
    }), { numRuns: 100 });
  });
});

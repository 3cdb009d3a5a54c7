// The Respond view's reducer on the demo, against the engine's own containment plan for the chat vendor: ticking
// the steps in order gives, through the server's radius answer, exactly the live radius the engine measured
// after each step; harvested credentials stay sources (and lit) after containment until they are rotated.
import { describe, expect, it } from 'vitest';
import { loadDemoGraph } from '../../cli/commands/demo.ts';
import { radiusResponse, respondResponse } from '../../cli/server/views.ts';
import { respondResponseSchema } from '../../engine/api/schemas.ts';
import { respondState, stepKeys, stepMitigations, toggleStep, whoText } from '../../ui/src/logic/respond.ts';
import type { Mitigation } from '../../ui/src/logic/wire.ts';

const demo = loadDemoGraph();
const AT = '2026-11-01';
const PARLEY = 'parley:prod:app:parley-chat';
const AWS_KEY = 'aws:111122223333:credential:access-key/9a184e3db4e81384';
const SNOWFLAKE_PAT = 'snowflake:corvidlabs:credential:pat/SVC_REPORTING/GLIMPSE_DASHBOARDS';
const BUCKET = 'aws:111122223333:resource:s3/corvid-prod-customer-data';
const REVENUE = 'snowflake:corvidlabs:resource:ANALYTICS.PUBLIC.CUSTOMER_REVENUE';

const plan = respondResponseSchema.parse(respondResponse(demo, { sources: [PARLEY], at: AT }));
const keys = stepKeys(plan.steps);

const live = (mitigations: readonly Mitigation[]) => {
  const state = respondState(plan, [PARLEY], mitigations, []);
  return { state, radius: radiusResponse(demo, { sources: state.sources, at: AT, ...(mitigations.length > 0 ? { mitigations: [...mitigations] } : {}) }) };
};
const reached = (radius: ReturnType<typeof radiusResponse>) => new Set(radius.reached.map((entry) => entry.id));
const tick = (mitigations: Mitigation[], phase: string) => {
  let next = mitigations;
  plan.steps.forEach((step, i) => { if (step.phase === phase) next = toggleStep(plan, keys[i]!, next, []).mitigations; });
  return next;
};

describe('respond view state on the engine\u2019s plan for Parley', () => {
  it('has something to contain and rotate (the fixture this test relies on)', () => {
    expect(plan.steps.filter((step) => step.phase === 'contain').length).toBeGreaterThan(0);
    expect(plan.harvested.filter((h) => h.remediation === 'rotate').map((h) => h.id).sort()).toEqual([AWS_KEY, SNOWFLAKE_PAT].sort());
  });

  it('lists the phases in their order, each step once', () => {
    const state = respondState(plan, [PARLEY], [], []);
    const order = ['contain', 'rotate', 'cut', 'hunt', 'cleanup'];
    const phases = state.phases.map((group) => group.phase);
    expect(phases).toEqual([...phases].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
    expect(state.phases.flatMap((group) => group.steps.map((view) => view.step.step))).toEqual(plan.steps.map((step) => step.step));
    expect(new Set(keys).size).toBe(keys.length);
    expect(state.ticked).toBe(0);
  });

  it('models each step by exactly what it blocks', () => {
    for (const step of plan.steps) {
      const items = stepMitigations(step);
      const nodes = items.flatMap((item) => ('revoke' in item ? [item.revoke] : 'disable' in item ? [item.disable] : []));
      const edges = items.flatMap((item) => ('removeEdge' in item ? [item.removeEdge] : []));
      expect(new Set(nodes)).toEqual(new Set(step.blocks.nodes));
      expect(new Set(edges)).toEqual(new Set(step.blocks.edges));
      if (items.length > 0) expect(items[0]!.description).toBe(step.title);
    }
  });

  it('ticking the steps in order gives the live radius the engine measured after each one', () => {
    let mitigations: Mitigation[] = [];
    const start = live(mitigations);
    expect(start.radius.score).toBeCloseTo(plan.initialScore, 6);
    expect(start.radius.reachedCount).toBe(plan.initialReached);
    plan.steps.forEach((step, i) => {
      mitigations = toggleStep(plan, keys[i]!, mitigations, []).mitigations;
      const { radius } = live(mitigations);
      expect(radius.score, `after step ${step.step} (${step.title})`).toBeCloseTo(step.scoreAfter, 6);
      expect(radius.reachedCount, `after step ${step.step}`).toBe(step.reachedAfter);
    });
    expect(live(mitigations).radius.reachedCount).toBe(plan.finalReached);
  });

  it('keeps the harvested keys lit and reaching after containment, until their rotate step is ticked', () => {
    const before = live([]);
    expect([...before.state.harvestedLive]).toEqual(expect.arrayContaining([AWS_KEY, SNOWFLAKE_PAT]));
    const contained = live(tick([], 'contain'));
    expect(contained.state.phases.find((group) => group.phase === 'contain')!.steps.every((view) => view.ticked)).toBe(true);
    expect([...contained.state.harvestedLive].sort()).toEqual([AWS_KEY, SNOWFLAKE_PAT].sort());
    expect(contained.state.sources).toEqual(expect.arrayContaining([PARLEY, AWS_KEY, SNOWFLAKE_PAT]));
    // The vendor is cut off, yet the keys read from the support cases still open the bucket and the revenue table.
    expect(reached(contained.radius)).toContain(BUCKET);
    expect(reached(contained.radius)).toContain(REVENUE);

    const awsStep = keys[plan.steps.findIndex((step) => step.phase === 'rotate' && step.target.id === AWS_KEY)]!;
    const awsRotated = live(toggleStep(plan, awsStep, tick([], 'contain'), []).mitigations);
    expect([...awsRotated.state.harvestedLive]).toEqual([SNOWFLAKE_PAT]);
    expect(reached(awsRotated.radius)).not.toContain(BUCKET);
    expect(reached(awsRotated.radius)).toContain(REVENUE);

    const rotated = live(tick(tick([], 'contain'), 'rotate'));
    expect(rotated.state.harvestedLive.size).toBe(0);
    expect(rotated.state.sources).toEqual([PARLEY]);
  });

  it('unticks a step when one of its mitigations is undone elsewhere; steps that block nothing toggle a done-mark', () => {
    const rotateIndex = plan.steps.findIndex((step) => step.phase === 'rotate');
    const { mitigations } = toggleStep(plan, keys[rotateIndex]!, [], []);
    const view = () => respondState(plan, [PARLEY], mitigations.slice(1), []).phases.flatMap((group) => group.steps)[rotateIndex]!;
    expect(respondState(plan, [PARLEY], mitigations, []).ticked).toBe(1);
    expect(view().ticked).toBe(false);
    expect(toggleStep(plan, keys[rotateIndex]!, mitigations, []).mitigations).toEqual([]);

    const cleanupIndex = plan.steps.findIndex((step) => step.blocks.nodes.length === 0 && step.blocks.edges.length === 0);
    expect(cleanupIndex).toBeGreaterThanOrEqual(0);
    const marked = toggleStep(plan, keys[cleanupIndex]!, [], []);
    expect(marked).toEqual({ mitigations: [], done: [keys[cleanupIndex]] });
    expect(respondState(plan, [PARLEY], [], marked.done).ticked).toBe(1);
    expect(toggleStep(plan, keys[cleanupIndex]!, [], marked.done).done).toEqual([]);
  });

  it('says who can act, and warns about anyone the attacker reached', () => {
    expect(whoText([{ id: 'a', name: 'Ana', kind: 'Identity', platform: 'okta', how: 'administers okta', compromised: false }])).toBe('Ana (administers okta)');
    expect(whoText([{ id: 'b', name: 'Bo', kind: 'Identity', platform: 'okta', how: 'holds Super Admin', compromised: true }])).toContain('do not rely');
  });
});

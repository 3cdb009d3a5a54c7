// The Respond view's reducer on the demo: a containment plan for the chat vendor plus the ticked steps become
// the live radius request; the server's own radius answer proves that containing the vendor leaves what the
// harvested keys open until they are rotated, and that ticking every step empties the radius.
import { describe, expect, it } from 'vitest';
import { loadDemoGraph } from '../../cli/commands/demo.ts';
import { radiusResponse } from '../../cli/server/views.ts';
import { respondResponseSchema, type RespondResponse } from '../../engine/api/schemas.ts';
import { describeValue, respondState, stepKeys, stepMitigations, toggleStep } from '../../ui/src/logic/respond.ts';
import { mitigationKey } from '../../ui/src/logic/url-state.ts';
import type { Mitigation } from '../../ui/src/logic/wire.ts';

const demo = loadDemoGraph();
const AT = '2026-11-01';
const PARLEY = 'parley:prod:app:parley-chat';
const REFRESH_TOKEN = 'salesforce:00dhs000000cvdlmak:credential:oauth-token/0H4Hs000000Cv01GAA/005Hs00000JrW4FIAQ/2024-03-12T16:22:05.000Z';
const AWS_KEY = 'aws:111122223333:credential:access-key/9a184e3db4e81384';
const SNOWFLAKE_PAT = 'snowflake:corvidlabs:credential:pat/SVC_REPORTING/GLIMPSE_DASHBOARDS';
const BUCKET = 'aws:111122223333:resource:s3/corvid-prod-customer-data';
const REVENUE = 'snowflake:corvidlabs:resource:ANALYTICS.PUBLIC.CUSTOMER_REVENUE';

const ref = (id: string) => {
  const node = demo.nodes[demo.indexOf.get(id)!]!;
  return { id, name: node.name, kind: node.kind, platform: node.platform };
};
const grants = demo.nodes.filter((n) => n.kind === 'Credential' && n.id.includes('prl3mailsync')).map((n) => n.id);

/** The plan the contract describes for Parley, in the order of its phases but listed shuffled. */
const plan: RespondResponse = respondResponseSchema.parse({
  source: [ref(PARLEY)],
  since: '2026-10-01',
  at: AT,
  harvested: [
    { id: AWS_KEY, name: ref(AWS_KEY).name, via: 'CONTAINS_CREDENTIAL' },
    { id: SNOWFLAKE_PAT, name: ref(SNOWFLAKE_PAT).name, via: 'CONTAINS_CREDENTIAL' },
  ],
  steps: [
    { phase: 'hunt', action: 'look for persistence', target: ref(AWS_KEY), where: 'aws', who: ['AWS admin'], removes: 0, impact: 'none' },
    { phase: 'rotate', action: 'rotate', target: ref(AWS_KEY), where: 'aws', who: ['AWS admin'], removes: ['S3 buckets'], impact: 'svc-data-export jobs' },
    { phase: 'contain', action: 'disable', target: ref(PARLEY), where: 'parley', who: [{ name: 'Parley vendor contact' }], removes: 50, impact: 'chat on the website' },
    { phase: 'contain', action: 'revoke', target: ref(REFRESH_TOKEN), where: 'salesforce', who: ['Salesforce admin'], removes: 40, impact: 'Parley sync' },
    ...grants.map((id) => ({ phase: 'contain', action: 'revoke', target: ref(id), where: 'google-workspace', who: ['Workspace admin'], removes: 3, impact: 'mail sync' })),
    { phase: 'rotate', action: 'rotate', target: ref(SNOWFLAKE_PAT), where: 'snowflake', who: ['Snowflake admin'], removes: 9, impact: 'dashboards' },
  ],
});

const live = (mitigations: readonly Mitigation[]) => {
  const state = respondState(plan, [PARLEY], mitigations, []);
  return { state, radius: radiusResponse(demo, { sources: state.sources, at: AT, ...(state.mitigations.length > 0 ? { mitigations: state.mitigations } : {}) }) };
};
const reached = (radius: ReturnType<typeof radiusResponse>) => new Set(radius.reached.map((entry) => entry.id));

describe('respond view state', () => {
  it('lists the phases in their order, whatever the order of the steps', () => {
    const state = respondState(plan, [PARLEY], [], []);
    expect(state.phases.map((group) => group.phase)).toEqual(['contain', 'rotate', 'hunt']);
    expect(state.phases[0]!.steps.map((view) => view.step.target.id)).toEqual([PARLEY, REFRESH_TOKEN, ...grants]);
    expect(state.total).toBe(plan.steps.length);
    expect(state.ticked).toBe(0);
  });

  it('models a step as its what-if: credentials revoked, apps disabled, edges removed, hunting nothing', () => {
    expect(stepMitigations(plan.steps[2]!).map(mitigationKey)).toEqual([mitigationKey({ disable: PARLEY })]);
    expect(stepMitigations(plan.steps[1]!).map(mitigationKey)).toEqual([mitigationKey({ revoke: AWS_KEY })]);
    expect(stepMitigations(plan.steps[0]!)).toEqual([]);
    const edge = { ...plan.steps[1]!, phase: 'cut' as const, target: { id: `${PARLEY}|HOLDS|${REFRESH_TOKEN}`, name: 'hold', kind: 'HOLDS', platform: 'parley' } };
    expect(stepMitigations(edge)).toEqual([{ removeEdge: edge.target.id, description: 'rotate hold' }]);
    // What the engine states wins over the guess.
    expect(stepMitigations({ ...plan.steps[2]!, mitigations: [{ revoke: REFRESH_TOKEN }] })).toEqual([{ revoke: REFRESH_TOKEN }]);
  });

  it('keeps the harvested credentials lit and reaching after containment, until their rotate step is ticked', () => {
    const before = live([]);
    expect([...before.state.harvestedLive].sort()).toEqual([AWS_KEY, SNOWFLAKE_PAT].sort());
    expect(reached(before.radius)).toContain(BUCKET);

    let mitigations: Mitigation[] = [];
    const keys = stepKeys(plan.steps);
    for (const [i, step] of plan.steps.entries()) if (step.phase === 'contain') ({ mitigations } = toggleStep(plan, keys[i]!, mitigations, []));
    const contained = live(mitigations);
    expect(contained.state.phases[0]!.steps.every((view) => view.ticked)).toBe(true);
    expect(contained.state.harvestedLive.size).toBe(2);
    // The vendor is cut off, yet the keys read from the cases still open the bucket and the revenue table.
    expect(reached(contained.radius)).toContain(BUCKET);
    expect(reached(contained.radius)).toContain(REVENUE);
    expect(contained.radius.reachedCount).toBeLessThan(before.radius.reachedCount);

    ({ mitigations } = toggleStep(plan, keys[1]!, mitigations, []));
    const awsRotated = live(mitigations);
    expect([...awsRotated.state.harvestedLive]).toEqual([SNOWFLAKE_PAT]);
    expect(reached(awsRotated.radius)).not.toContain(BUCKET);
    expect(reached(awsRotated.radius)).toContain(REVENUE);

    ({ mitigations } = toggleStep(plan, keys.at(-1)!, mitigations, []));
    const done = live(mitigations);
    expect(done.state.harvestedLive.size).toBe(0);
    expect(done.state.sources).toEqual([PARLEY]);
    expect(done.radius.reachedCount).toBe(0);
  });

  it('unticks a step when one of its mitigations is undone elsewhere, and toggles done-marks for hunting', () => {
    const keys = stepKeys(plan.steps);
    const { mitigations } = toggleStep(plan, keys[1]!, [], []);
    expect(respondState(plan, [PARLEY], mitigations, []).phases[1]!.steps[0]!.ticked).toBe(true);
    expect(toggleStep(plan, keys[1]!, mitigations, []).mitigations).toEqual([]);
    const hunt = toggleStep(plan, keys[0]!, [], []);
    expect(hunt).toEqual({ mitigations: [], done: [keys[0]] });
    expect(respondState(plan, [PARLEY], [], hunt.done).ticked).toBe(1);
    expect(toggleStep(plan, keys[0]!, [], hunt.done).done).toEqual([]);
  });

  it('keys repeated steps apart and describes loosely shaped values as text', () => {
    const twice = [plan.steps[1]!, plan.steps[1]!];
    const keys = stepKeys(twice);
    expect(new Set(keys).size).toBe(2);
    expect(describeValue([{ name: 'Parley vendor contact' }, 'SOC'])).toBe('Parley vendor contact, SOC');
    expect(describeValue({ nodes: 3, score: 12.5 })).toBe('nodes 3, score 12.5');
    expect(describeValue(undefined)).toBe('');
  });
});

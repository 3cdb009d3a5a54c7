// The containment plan's reports at scale: past 20 harvested credentials or steps in a phase, text, markdown and
// HTML list the first 10 in full and group the rest by tenant with counts that add up (`all` lists every one); the
// JSON shares the harvested paths in a witness table and reads back as the plan itself.
import { describe, expect, it } from 'vitest';
import { respondPlan, type ResponsePlan } from '../../../engine/analysis/respond.ts';
import fc from 'fast-check';
import { renderRespondHtml, renderRespondMarkdown, renderRespondText, respondJsonChunks, respondPlanFromJson } from '../../../engine/report/respond.ts';
import { cutCaseArb, reachOptionsOf } from '../../helpers/cuts.ts';
import { AT } from '../../helpers/arbitraries.ts';
import { scenario } from '../../helpers/scenario.ts';

/** A stolen key whose service account reads a vault keeping 18 AWS keys of one account and 12 GitHub tokens of one org, each opening a bucket or repo. */
const vaultScenario = (aws: number, github: number) => scenario((s) => {
  s.credential('stolen', { platform: 'vault', tenant: 'corp', type: 'api-key', name: 'stolen vault token' });
  s.identity('reader', { platform: 'vault', tenant: 'corp', subtype: 'service', name: 'vault reader' });
  s.resource('vault', { platform: 'vault', tenant: 'corp', name: 'team vault' });
  s.edge('AUTHENTICATES_AS', 'stolen', 'reader').edge('CAN_READ', 'reader', 'vault');
  const add = (platform: string, tenant: string, n: number, prefix: string) => {
    for (let i = 0; i < n; i++) {
      s.credential(`${prefix}${i}`, { platform, tenant, type: 'api-key', name: `${prefix} key ${String(i).padStart(2, '0')}` });
      s.identity(`${prefix}user${i}`, { platform, tenant, subtype: 'service' });
      s.resource(`${prefix}data${i}`, { platform, tenant, sensitivity: 1 + (i % 5) });
      s.edge('STORES_CREDENTIAL', 'vault', `${prefix}${i}`).edge('AUTHENTICATES_AS', `${prefix}${i}`, `${prefix}user${i}`).edge('CAN_READ', `${prefix}user${i}`, `${prefix}data${i}`);
    }
  };
  add('aws', '111122223333', aws, 'aws');
  add('github', 'acme', github, 'gh');
});

const planOf = (aws: number, github: number): ResponsePlan => {
  const h = vaultScenario(aws, github);
  return respondPlan(h.graph, [h.ix('stolen')], { at: AT });
};

describe('respond reports at scale', () => {
  it('lists the first 10 rotations, then one line per tenant whose counts add up to the rest', () => {
    const plan = planOf(18, 12);
    const rotations = plan.steps.filter((step) => step.phase === 'rotate');
    expect(rotations).toHaveLength(30);
    expect(plan.harvested).toHaveLength(30);
    const text = renderRespondText(plan);
    // The first 10 in full (title and target), the 11th onwards not.
    for (const step of rotations.slice(0, 10)) expect(text).toContain(`  ${step.step}. ${step.title}`);
    for (const step of rotations.slice(10)) expect(text).not.toContain(`  ${step.step}. `);
    expect(text).toContain('30 steps: the first 10 in full, then the rest by tenant');
    const rest = rotations.slice(10);
    const awsRest = rest.filter((step) => step.target.platform === 'aws');
    const ghRest = rest.filter((step) => step.target.platform === 'github');
    const removes = (steps: typeof rest) => Math.round(steps.reduce((sum, step) => sum + step.removes, 0) * 100) / 100;
    const lines = text.split('\n').filter((line) => line.startsWith('  + rotate '));
    expect(lines).toHaveLength([awsRest, ghRest].filter((g) => g.length > 0).length);
    if (awsRest.length > 0) expect(text).toContain(`  + rotate ${awsRest.length} more credential${awsRest.length === 1 ? '' : 's'} on aws 111122223333, removing ${removes(awsRest)} in all: ${awsRest[0]!.target.name}`);
    if (ghRest.length > 0) expect(text).toContain(`  + rotate ${ghRest.length} more credential${ghRest.length === 1 ? '' : 's'} on github acme, removing ${removes(ghRest)} in all: ${ghRest[0]!.target.name}`);
    // Harvested: 30 to rotate, the first 10 with their path, then per tenant.
    expect(text).toContain('30 to rotate; the first 10, then by tenant');
    const harvestedRest = plan.harvested.slice(10);
    const awsHarvested = harvestedRest.filter((h) => h.platform === 'aws').length;
    expect(text).toContain(`  + ${awsHarvested} more on aws 111122223333 (${awsHarvested} to rotate), read in team vault (${awsHarvested})`);
  });

  it('lists every credential and step with `all`, and in every format when a section is short', () => {
    const plan = planOf(18, 12);
    const all = renderRespondText(plan, { all: true });
    for (const step of plan.steps) expect(all).toContain(`  ${step.step}. ${step.title}`);
    for (const h of plan.harvested) expect(all).toContain(`  - ${h.name} (Credential on ${h.platform})`);
    expect(all).not.toContain('more credentials on');
    const markdownAll = renderRespondMarkdown(plan, { all: true });
    for (const step of plan.steps) expect(markdownAll).toContain(`| ${step.step} | `);

    const small = planOf(12, 8);
    expect(small.steps.filter((step) => step.phase === 'rotate')).toHaveLength(20);
    const text = renderRespondText(small);
    for (const step of small.steps) expect(text).toContain(`  ${step.step}. ${step.title}`);
    expect(text).toBe(renderRespondText(small, { all: true }));
    expect(renderRespondMarkdown(small)).toBe(renderRespondMarkdown(small, { all: true }));
    expect(renderRespondHtml(small)).toBe(renderRespondHtml(small, { all: true }));
  });

  it('groups in markdown and HTML the same way', () => {
    const plan = planOf(18, 12);
    const rotations = plan.steps.filter((step) => step.phase === 'rotate');
    const markdown = renderRespondMarkdown(plan);
    for (const step of rotations.slice(0, 10)) expect(markdown).toContain(`| ${step.step} | `);
    for (const step of rotations.slice(10)) expect(markdown).not.toContain(`| ${step.step} | `);
    expect(markdown).toMatch(/^- rotate \d+ more credentials on aws 111122223333, removing /m);
    const html = renderRespondHtml(plan);
    expect(html).toMatch(/<li>rotate \d+ more credentials on (aws 111122223333|github acme), removing /);
    for (const step of rotations.slice(10)) expect(html).not.toContain(`<td class="num">${step.step}</td>`);
  });
});

describe('respond JSON', () => {
  const roundTrip = (plan: ResponsePlan) => {
    const text = [...respondJsonChunks(plan)].join('');
    const document = JSON.parse(text) as Parameters<typeof respondPlanFromJson>[0];
    return { text, document, back: respondPlanFromJson(document) };
  };

  it('writes the harvested paths once in a shared table; the document reads back as the plan, one list element per line', () => {
    const plan = planOf(18, 12);
    const { text, document, back } = roundTrip(plan);
    expect(back).toEqual(plan);
    // Thirty paths of three steps (stolen -> reader -> vault -> key) share their first two.
    expect(plan.harvested.reduce((n, h) => n + h.path.length, 0)).toBe(90);
    expect(document.witness).toHaveLength(32);
    expect(text.split('\n').filter((line) => line.startsWith('{"step":'))).toHaveLength(plan.steps.length);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('reads back as the plan on random graphs', () => {
    fc.assert(fc.property(cutCaseArb(), fc.constantFrom(undefined, AT - 10 * 86_400_000), (c, since) => {
      const plan = respondPlan(c.graph, [...new Set(c.sources)], { ...reachOptionsOf(c), ...(since !== undefined ? { since } : {}) });
      expect(roundTrip(plan).back).toEqual(JSON.parse(JSON.stringify(plan)));
    }), { numRuns: 150 });
  });
});

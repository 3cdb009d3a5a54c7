// whatif and paths JSON with a shared witness table: following each entry's `witness` up the parents gives
// exactly the path the first implementations wrote per entry (kept as the oracle), every step is stored once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lateralPathsJsonSchema, whatIfJsonSchema } from '../../../engine/api/schemas.ts';
import { lateralPaths, WITNESS_STATE } from '../../../engine/analysis/paths.ts';
import { whatIf } from '../../../engine/analysis/whatif.ts';
import { lateralPathsJsonChunks } from '../../../engine/report/plan.ts';
import { whatIfJsonChunks } from '../../../engine/report/whatif.ts';
import { pathFromViewTable, type WitnessViewStep } from '../../../engine/report/witness.ts';
import { buildGraph, toFragment } from '../../../engine/store/compact.ts';
import { cutCaseArb, reachOptionsOf } from '../../helpers/cuts.ts';
import { referenceLateralPaths } from '../../helpers/reference-paths.ts';
import { referenceWhatIf } from '../../helpers/reference-whatif.ts';
import { runCli } from '../../helpers/cli.ts';
import { driftScenario } from '../../helpers/scenario.ts';

const AT = Date.parse('2026-01-01T00:00:00Z');
/** The document as a reader parses it; numbers rounded as the reference tests do (sums may differ in the last bit). */
const parse = (text: string): unknown => JSON.parse(text, (_key, v: unknown) => (typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v));
const plain = (value: unknown): unknown => parse(JSON.stringify(value));

/** Parents come first and no (parent, edge, level) step is stored twice: prefixes are shared, not repeated. */
function expectShared(steps: readonly WitnessViewStep[]): void {
  const seen = new Set<string>();
  steps.forEach((step, i) => {
    expect(step.parent).toBeLessThan(i);
    expect(step.parent < 0).toBe(step.from !== undefined);
    const key = `${step.parent}|${step.from?.id ?? ''}|${step.edgeId}|${step.level}`;
    expect(seen.has(key)).toBe(false);
    seen.add(key);
  });
}

/** The old whatif shape rebuilt from the new: each removed entry's `pathBefore` from the table. */
function whatIfOldShape(text: string): unknown {
  const document = whatIfJsonSchema.parse(parse(text));
  expectShared(document.witness);
  const { witness, removed, ...rest } = document;
  return { ...rest, removed: removed.map(({ witness: last, ...entry }) => ({ ...entry, pathBefore: pathFromViewTable(witness, last) })) };
}

function lateralOldShape(text: string): unknown {
  const document = lateralPathsJsonSchema.parse(parse(text));
  expectShared(document.witness);
  const { witness, bridges, ...rest } = document;
  return { ...rest, bridges: bridges.map((bridge) => ({ ...bridge, targets: bridge.targets.map(({ witness: last, ...target }) => ({ ...target, path: pathFromViewTable(witness, last) })) })) };
}

/** Key order aside (the table moved `targets` after `onward`), the same value. */
const sorted = (value: unknown): unknown => Array.isArray(value) ? value.map(sorted)
  : value !== null && typeof value === 'object' ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted((value as Record<string, unknown>)[key])])) : value;

/** Random graphs as in the reference tests: nodes spread over platforms, some crown jewels. */
const spreadCase = fc.tuple(cutCaseArb(), fc.array(fc.constantFrom('aws', 'slack', 'github'), { minLength: 12, maxLength: 12 }), fc.nat()).map(([c, platforms, pick]) => {
  const fragment = toFragment(c.graph);
  const graph = buildGraph({ ...fragment, nodes: fragment.nodes.map((node, v) => ({ ...node, platform: platforms[v % platforms.length]!, ...(v % 4 === 1 ? { tags: ['crown-jewel'] } : {}) })) });
  return { c, graph, disable: graph.nodes[pick % graph.nodeCount]!.id };
});

describe('whatif --format json', () => {
  it('the drift scenario: disabling the Drift app, every removed path rebuilt from the table', () => {
    const s = driftScenario();
    const result = whatIf(s.graph, [s.ix('drift')], [{ disable: s.id('drift') }], { at: AT });
    expect(result.removed.length).toBeGreaterThan(2);
    expect(WITNESS_STATE in result.removed[0]!).toBe(true);
    const text = [...whatIfJsonChunks(result)].join('');
    expect(text).not.toContain('pathBefore');
    expect(sorted(whatIfOldShape(text))).toEqual(sorted(plain(referenceWhatIf(s.graph, [s.ix('drift')], [{ disable: s.id('drift') }], { at: AT }))));
  });

  it('random graphs: resolving the table gives exactly the first implementation\'s per-entry paths', () => {
    fc.assert(fc.property(spreadCase, ({ c, graph, disable }) => {
      const options = reachOptionsOf(c);
      const text = [...whatIfJsonChunks(whatIf(graph, c.sources, [{ disable }], options))].join('');
      expect(sorted(whatIfOldShape(text))).toEqual(sorted(plain(referenceWhatIf(graph, c.sources, [{ disable }], options))));
    }), { numRuns: 200 });
  });
});

describe('paths --format json (lateral)', () => {
  it('the drift scenario', () => {
    const s = driftScenario();
    const result = lateralPaths(s.graph, [s.ix('drift')], { at: AT });
    expect(result.bridges.length).toBeGreaterThan(0);
    // The writer numbers the witness tree's states (no path view per target), not the fallback from paths.
    expect(WITNESS_STATE in result.bridges[0]!.targets[0]!).toBe(true);
    const text = [...lateralPathsJsonChunks(result)].join('');
    expect(sorted(lateralOldShape(text))).toEqual(sorted(plain(referenceLateralPaths(s.graph, [s.ix('drift')], { at: AT }))));
  });

  it('random graphs: resolving the table gives exactly the first implementation\'s per-target paths', () => {
    fc.assert(fc.property(spreadCase, ({ c, graph }) => {
      const options = reachOptionsOf(c);
      const text = [...lateralPathsJsonChunks(lateralPaths(graph, c.sources, options))].join('');
      expect(sorted(lateralOldShape(text))).toEqual(sorted(plain(referenceLateralPaths(graph, c.sources, options))));
    }), { numRuns: 200 });
  });
});

describe('the CLI on the demo', () => {
  it('whatif and paths --format json are valid documents whose every path ends at its node', async () => {
    const whatif = await runCli(['whatif', 'Parley Chat', '--disable', 'Parley Chat', '--graph', 'datasets/demo', '--at', '2026-11-22', '--format', 'json']);
    expect(whatif.code).toBe(0);
    const diff = whatIfJsonSchema.parse(JSON.parse(whatif.out));
    expect(diff.removed.length).toBeGreaterThan(5);
    expect(diff.witness.length).toBeLessThan(diff.removed.reduce((sum, entry) => sum + pathFromViewTable(diff.witness, entry.witness).length, 0));
    for (const entry of diff.removed) expect(pathFromViewTable(diff.witness, entry.witness).at(-1)!.to.id).toBe(entry.id);

    const paths = await runCli(['paths', 'Parley Chat', '--graph', 'datasets/demo', '--at', '2026-11-22', '--format', 'json']);
    expect(paths.code).toBe(0);
    const lateral = lateralPathsJsonSchema.parse(JSON.parse(paths.out));
    const targets = lateral.bridges.flatMap((bridge) => bridge.targets);
    expect(targets.length).toBeGreaterThan(3);
    for (const target of targets) expect(pathFromViewTable(lateral.witness, target.witness).at(-1)!.to.id).toBe(target.id);
  });
});

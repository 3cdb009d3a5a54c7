// Lateral paths from the witness tree (bridges and crossings by subtree sums, paths built when read) against
// the first implementation, which built every off-platform node's witness path: the same JSON.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lateralPaths, lateralPathsOf } from '../../../engine/analysis/paths.ts';
import { nodeIdRanks } from '../../../engine/analysis/radius.ts';
import { reach } from '../../../engine/analysis/reach.ts';
import { buildGraph, toFragment } from '../../../engine/store/compact.ts';
import { cutCaseArb, reachOptionsOf } from '../../helpers/cuts.ts';
import { referenceLateralPaths } from '../../helpers/reference-paths.ts';
import { driftScenario } from '../../helpers/scenario.ts';

const text = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v));

describe('lateralPaths against the reference implementation', () => {
  it('the drift scenario', () => {
    const s = driftScenario();
    const options = { at: Date.parse('2026-01-01T00:00:00Z') };
    const result = lateralPaths(s.graph, [s.ix('drift')], options);
    expect(result.bridges.length).toBeGreaterThan(0);
    expect(text(result)).toBe(text(referenceLateralPaths(s.graph, [s.ix('drift')], options)));
  });

  it('random graphs over a few platforms, some nodes crown jewels', () => {
    fc.assert(fc.property(cutCaseArb(), fc.array(fc.constantFrom('aws', 'slack', 'github'), { minLength: 12, maxLength: 12 }), (c, platforms) => {
      // Spread the nodes over platforms so paths cross and cross again.
      const fragment = toFragment(c.graph);
      const graph = buildGraph({ ...fragment, nodes: fragment.nodes.map((node, v) => ({ ...node, platform: platforms[v % platforms.length]!, ...(v % 4 === 1 ? { tags: ['crown-jewel'] } : {}) })) });
      const options = reachOptionsOf(c);
      expect(text(lateralPaths(graph, c.sources, options))).toBe(text(referenceLateralPaths(graph, c.sources, options)));
    }), { numRuns: 300 });
  });

  it('with the graph\'s ids ranked once (the server) and targets capped per bridge: the reference with each target list cut short', () => {
    fc.assert(fc.property(cutCaseArb(), fc.array(fc.constantFrom('aws', 'slack', 'github'), { minLength: 12, maxLength: 12 }), fc.nat({ max: 3 }), (c, platforms, cap) => {
      const fragment = toFragment(c.graph);
      const graph = buildGraph({ ...fragment, nodes: fragment.nodes.map((node, v) => ({ ...node, platform: platforms[v % platforms.length]!, ...(v % 4 === 1 ? { tags: ['crown-jewel'] } : {}) })) });
      const options = reachOptionsOf(c);
      nodeIdRanks(graph);
      const expected = referenceLateralPaths(graph, c.sources, options);
      const capped = { ...expected, bridges: expected.bridges.map((bridge) => ({ ...bridge, targets: bridge.targets.slice(0, cap) })) };
      expect(text(lateralPathsOf(reach(graph, c.sources, options), { ...options, targetsPerBridge: cap }))).toBe(text(capped));
    }), { numRuns: 300 });
  });

  it('capped with every crown jewel listed (the text report): the first max(cap, crown jewels) of each list; fractional points too', () => {
    let selected = 0;
    fc.assert(fc.property(cutCaseArb(), fc.array(fc.constantFrom('aws', 'slack', 'github'), { minLength: 12, maxLength: 12 }), fc.nat({ max: 3 }), fc.boolean(), (c, platforms, cap, fractional) => {
      const fragment = toFragment(c.graph);
      // Fractional sensitivities make the per-platform sums depend on the order they are added in (the sorting path).
      const graph = buildGraph({ ...fragment, nodes: fragment.nodes.map((node, v) => ({
        ...node, platform: platforms[v % platforms.length]!, ...(v % 4 === 1 ? { tags: ['crown-jewel'] } : {}), ...(fractional && v % 3 === 0 ? { sensitivity: 2.7 + v / 10 } : {}),
      })) });
      const options = reachOptionsOf(c);
      const expected = referenceLateralPaths(graph, c.sources, options);
      // Every node beyond a bridge is one of its targets: the text's "and N more" counts from reachedCount.
      for (const bridge of expected.bridges) expect(bridge.targets.length).toBe(bridge.reachedCount);
      const capped = { ...expected, bridges: expected.bridges.map((bridge) => ({ ...bridge, targets: bridge.targets.filter((t, k) => t.crownJewel || k < cap) })) };
      expect(text(lateralPathsOf(reach(graph, c.sources, options), { ...options, targetsPerBridge: cap, everyCrownJewel: true }))).toBe(text(capped));
      if (!fractional && expected.bridges.some((bridge) => bridge.targets.length > cap)) selected++;
    }), { numRuns: 300 });
    expect(selected).toBeGreaterThan(20);
  });
});

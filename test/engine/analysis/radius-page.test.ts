// describeRadius against the straightforward description (full witness paths per node, localeCompare order), and
// a page of it (what the web API sends) against the same slice of the full list: property tests on random graphs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeRadius, nodeIdRanks } from '../../../engine/analysis/radius.ts';
import { reach } from '../../../engine/analysis/reach.ts';
import { buildGraph } from '../../../engine/store/compact.ts';
import { AT, reachableGraph } from '../../helpers/arbitraries.ts';
import { referenceDescribeRadius } from '../../helpers/reference-radius.ts';

const withSources = () => reachableGraph().chain((g) => fc.tuple(fc.constant(g), fc.uniqueArray(fc.nat({ max: g.graph.nodeCount - 1 }), { minLength: 1, maxLength: 2 })));

describe('describeRadius', () => {
  it('equals the straightforward description: entries, order, paths, bridges, controls and every summary', () => {
    fc.assert(fc.property(withSources(), ([{ graph }, sources]) => {
      const options = { at: AT, sourceLevel: 'admin' as const };
      const { dormant: _dormant, ...radius } = describeRadius(reach(graph, sources, options), options);
      expect(radius).toEqual(referenceDescribeRadius(reach(graph, sources, options), options));
      // Crown jewels are the reached list's own entries.
      radius.crownJewels.forEach((entry, i) => expect(entry).toBe(radius.reached[i]));
    }), { numRuns: 300 });
  });

  it('a page lists the same entries as the same slice of the full list; everything else is unchanged', () => {
    fc.assert(fc.property(withSources(), fc.nat({ max: 14 }), fc.nat({ max: 14 }), ([{ graph }, sources], offset, limit) => {
      const options = { at: AT, sourceLevel: 'admin' as const };
      const result = reach(graph, sources, options);
      const full = describeRadius(result, options);
      const page = describeRadius(result, options, { offset, limit });
      expect(page).toEqual({ ...full, reached: full.reached.slice(offset, offset + limit) });
      // With the graph's ids ranked once (what the server does), the same answer.
      nodeIdRanks(graph);
      expect(describeRadius(reach(graph, sources, options), options, { offset, limit })).toEqual(page);
    }), { numRuns: 300 });
  });

  it('a page within the crown jewels (summaries in traversal order) keeps every summary as the full order gives it: tenants, kinds, sums', () => {
    // Several tenants per platform, and sometimes fractional sensitivities (whose sums depend on the order added).
    const varied = withSources().chain(([{ nodes, edges }, sources]) => fc.tuple(
      fc.array(fc.constantFrom('t1', 't2', 't3'), { minLength: nodes.length, maxLength: nodes.length }),
      fc.array(fc.option(fc.constantFrom(0.1, 2.7, 3.3, 7), { nil: undefined }), { minLength: nodes.length, maxLength: nodes.length }),
    ).map(([tenants, fractions]) => {
      const changed = nodes.map((node, i) => (fractions[i] === undefined ? { ...node, tenant: tenants[i]! } : { ...node, tenant: tenants[i]!, sensitivity: fractions[i] }));
      return { graph: buildGraph({ nodes: changed, edges: edges.map((edge) => ({ ...edge })) }), sources };
    }));
    let summarised = 0;
    fc.assert(fc.property(varied, fc.nat({ max: 3 }), ({ graph, sources }, limit) => {
      const options = { at: AT, sourceLevel: 'admin' as const };
      const result = reach(graph, sources, options);
      const full = describeRadius(result, options);
      const page = describeRadius(result, options, { offset: 0, limit });
      expect(page).toEqual({ ...full, reached: full.reached.slice(0, limit) });
      // Key order is what JSON writes: kinds and tenants in the order the full list first shows them.
      expect(Object.keys(page.byKind)).toEqual(Object.keys(full.byKind));
      expect(page.platforms.map((p) => p.tenants)).toEqual(full.platforms.map((p) => p.tenants));
      if (limit <= full.crownJewels.length && full.reachedCount > limit) summarised++;
    }), { numRuns: 400 });
    // The property covered the summarised case, not only the full sort.
    expect(summarised).toBeGreaterThan(20);
  });
});

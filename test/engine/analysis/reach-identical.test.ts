// The optimised reach (reused state queue, one table lookup per edge) must return exactly what the first
// straightforward version returned: same levels, hops, witness parents, discovery order and dormant nodes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reach, type ReachOptions, type ReachResult } from '../../../engine/analysis/reach.ts';
import { generateFragment } from '../../../engine/generate/enterprise.ts';
import { DEFAULT_SCHEMA, type Level } from '../../../engine/schema/index.ts';
import { buildGraph } from '../../../engine/store/compact.ts';
import { AT, randomGraph } from '../../helpers/arbitraries.ts';
import { referenceReach } from '../../helpers/reference-reach.ts';

const EDGE_KINDS = Object.keys(DEFAULT_SCHEMA.edgeKinds);

function fields(result: ReachResult) {
  return {
    sources: result.sources, at: result.at, level: [...result.level], hops: [...result.hops], parentEdge: [...result.parentEdge],
    parentLevel: [...result.parentLevel], order: result.order, dormant: [...result.dormant.entries()],
  };
}

describe('optimised reach', () => {
  it('returns field for field what the reference algorithm returns, under every option (random graphs)', () => {
    const arb = randomGraph({ maxNodes: 18, maxEdges: 60 }).chain((g) => {
      const n = g.graph.nodeCount;
      const m = g.graph.edgeCount;
      return fc.record({
        g: fc.constant(g),
        sources: fc.array(fc.nat({ max: n - 1 }), { minLength: 1, maxLength: 3 }),
        maxDepth: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
        edgeKinds: fc.option(fc.subarray(EDGE_KINDS), { nil: undefined, freq: 4 }),
        excludeEdgeKinds: fc.option(fc.subarray(EDGE_KINDS, { maxLength: 3 }), { nil: undefined, freq: 3 }),
        enforceConditions: fc.option(fc.constant(['mfa']), { nil: undefined }),
        sourceLevel: fc.option(fc.constantFrom<Level>('read', 'write', 'admin'), { nil: undefined }),
        blockedNodes: fc.option(fc.uint8Array({ min: 0, max: 1, minLength: n, maxLength: n }), { nil: undefined, freq: 3 }),
        blockedEdges: fc.option(fc.uint8Array({ min: 0, max: 1, minLength: m, maxLength: m }), { nil: undefined, freq: 3 }),
      });
    });
    fc.assert(fc.property(arb, ({ g, sources, blockedNodes, blockedEdges, ...rest }) => {
      const options: ReachOptions = { at: AT };
      for (const [key, value] of Object.entries(rest)) if (value !== undefined) (options as Record<string, unknown>)[key] = value;
      if (blockedNodes || blockedEdges) options.overlay = { blockedNodes, blockedEdges };
      // Twice on the same graph: the reused queue must not leak state from one call into the next.
      expect(fields(reach(g.graph, sources, options))).toEqual(fields(referenceReach(g.graph, sources, options)));
      expect(fields(reach(g.graph, sources, options))).toEqual(fields(referenceReach(g.graph, sources, options)));
    }), { numRuns: 250 });
  });

  it('returns what the reference algorithm returns for every connector of a generated enterprise', () => {
    const graph = buildGraph(generateFragment({ nodes: 3000, seed: 11 }));
    const at = Date.parse('2026-01-01T00:00:00Z');
    const apps = graph.nodes.flatMap((node, v) => (node.kind === 'App' ? [v] : []));
    const identities = graph.nodes.flatMap((node, v) => (node.kind === 'Identity' ? [v] : [])).slice(0, 20);
    expect(apps.length).toBeGreaterThan(0);
    for (const v of [...apps, ...identities]) {
      expect(fields(reach(graph, [v], { at }))).toEqual(fields(referenceReach(graph, [v], { at })));
    }
    expect(fields(reach(graph, apps, { at, maxDepth: 4 }))).toEqual(fields(referenceReach(graph, apps, { at, maxDepth: 4 })));
  });

  it('rejects the same bad options with the same errors', () => {
    const graph = buildGraph(generateFragment({ nodes: 300, seed: 2 }));
    for (const options of [{ maxDepth: -1 }, { at: 'not a date' }, { edgeKinds: ['NOT_A_KIND'] }] as ReachOptions[]) {
      expect(() => reach(graph, [0], options)).toThrowError(/./);
      let reference = '';
      try { referenceReach(graph, [0], options); } catch (error) { reference = (error as Error).message; }
      expect(() => reach(graph, [0], options)).toThrowError(reference);
    }
    expect(() => reach(graph, [graph.nodeCount], {})).toThrowError(/not a node/);
  });
});

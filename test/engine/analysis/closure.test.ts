// Ranking through shared closures must give exactly what one full reach per source gives: same score,
// reached count, crown jewels, lateral platforms and usability, on random graphs and a generated enterprise.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sharedHubChoice, summarizeByReach, summarizeSources } from '../../../engine/analysis/closure.ts';
import { rankNodes } from '../../../engine/analysis/rank.ts';
import { reach, type ReachOptions } from '../../../engine/analysis/reach.ts';
import { generateFragment } from '../../../engine/generate/enterprise.ts';
import { DEFAULT_SCHEMA, type Level } from '../../../engine/schema/index.ts';
import { buildGraph } from '../../../engine/store/compact.ts';
import { AT, randomGraph } from '../../helpers/arbitraries.ts';

const EDGE_KINDS = Object.keys(DEFAULT_SCHEMA.edgeKinds);

describe('shared-closure radius summaries', () => {
  it('equal one reach per source under random options (random graphs, hub forced)', () => {
    const arb = randomGraph({ maxNodes: 16, maxEdges: 50 }).chain((g) => {
      const n = g.graph.nodeCount;
      const m = g.graph.edgeCount;
      return fc.record({
        g: fc.constant(g),
        sources: fc.array(fc.nat({ max: n - 1 }), { minLength: 1, maxLength: 8 }),
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
      // The reaches below leave reach()'s work arrays full of their states: summarizeSources then borrows them.
      const expected = sources.map((v) => summarizeByReach(g.graph, v, options));
      expect(summarizeSources(g.graph, sources, options, { forceHub: true })).toEqual(expected);
      expect(summarizeSources(g.graph, sources, options)).toEqual(expected);
    }), { numRuns: 300 });
  });

  it('choose the hub exploring every candidate would (random graphs with cycles among the candidates)', () => {
    // Candidates that hold each other at admin are explored only until they do: the sizes and the shares the
    // choice is made from must be those of a full reach from each candidate, whatever the classes.
    const arb = randomGraph({ maxNodes: 14, maxEdges: 60 }).chain((g) => fc.record({
      g: fc.constant(g),
      sources: fc.array(fc.nat({ max: g.graph.nodeCount - 1 }), { minLength: 1, maxLength: 10 }),
      sourceLevel: fc.constantFrom<Level>('read', 'write', 'admin'),
      blockedNodes: fc.option(fc.uint8Array({ min: 0, max: 1, minLength: g.graph.nodeCount, maxLength: g.graph.nodeCount }), { nil: undefined, freq: 3 }),
    }));
    let classes = 0;
    const property = fc.property(arb, ({ g, sources, sourceLevel, blockedNodes }) => {
      const graph = g.graph;
      const options: ReachOptions = { at: AT, sourceLevel, ...(blockedNodes ? { overlay: { blockedNodes } } : {}) };
      const { hub, candidates } = sharedHubChoice(graph, sources, options);
      // The oracle: a full reach from each candidate at admin gives its closure and whom it holds at admin; a
      // reach from each source says whether it holds the candidate at admin.
      const reaches = candidates.map((v) => reach(graph, [v], { ...options, sourceLevel: 'admin' }));
      const sized = candidates.map((v, i) => ({ v, size: reaches[i]!.order.length }));
      candidates.forEach((v, i) => candidates.forEach((w, j) => {
        if (i < j && reaches[i]!.level[w] === 3 && reaches[j]!.level[v] === 3) classes++;
      }));
      sized.sort((a, b) => b.size - a.size || a.v - b.v);
      let best: { v: number; worth: number } | undefined;
      for (const { v, size } of sized.slice(0, 3)) {
        const sharing = sources.filter((s) => reach(graph, [s], options).level[v] === 3 || (s === v && sourceLevel === 'admin')).length;
        if (!best || sharing * size > best.worth) best = { v, worth: sharing * size };
      }
      expect(hub).toBe(best?.v);
    });
    // A random seed each run, then a fixed one known to produce mutually held candidates: some random seeds give
    // none in 300 graphs, and the check below must not depend on luck.
    fc.assert(property, { numRuns: 300 });
    fc.assert(property, { numRuns: 300, seed: 7 });
    // Mutually held candidates occurred, so the shortcut was taken.
    expect(classes).toBeGreaterThan(0);
  });

  it('equal one reach per connector in a generated enterprise, where most connectors share a hub', () => {
    const graph = buildGraph(generateFragment({ nodes: 20_000, seed: 5 }));
    const at = Date.parse('2026-01-01T00:00:00Z');
    const sources = graph.nodes.flatMap((node, v) => (node.kind === 'App' || (node.kind === 'Identity' && v % 97 === 0) ? [v] : []));
    expect(sources.length).toBeGreaterThan(HUB_SOURCES);
    const expected = sources.map((v) => summarizeByReach(graph, v, { at }));
    expect(summarizeSources(graph, sources, { at })).toEqual(expected);
    // Some connectors reach far (through the hub) and some stay small: both paths are exercised.
    expect(Math.max(...expected.map((s) => s.reached))).toBeGreaterThan(1000);
    expect(Math.min(...expected.map((s) => s.reached))).toBeLessThan(50);
  });

  it('keeps one reach per source when a depth limit makes hop counts matter or points are fractional', () => {
    const fragment = generateFragment({ nodes: 2000, seed: 9 });
    const graph = buildGraph(fragment);
    const at = Date.parse('2026-01-01T00:00:00Z');
    const sources = graph.nodes.flatMap((node, v) => (node.kind === 'Identity' ? [v] : [])).slice(0, 40);
    expect(summarizeSources(graph, sources, { at, maxDepth: 3 })).toEqual(sources.map((v) => summarizeByReach(graph, v, { at, maxDepth: 3 })));
    const fractional = buildGraph({ nodes: fragment.nodes.map((node) => (node.kind === 'Resource' ? { ...node, sensitivity: 0.1 } : node)), edges: fragment.edges });
    expect(summarizeSources(fractional, sources, { at })).toEqual(sources.map((v) => summarizeByReach(fractional, v, { at })));
  });

  it('ranks connectors exactly as scoring each connector on its own does', () => {
    const graph = buildGraph(generateFragment({ nodes: 8000, seed: 3 }));
    const at = Date.parse('2026-01-01T00:00:00Z');
    const ranked = rankNodes(graph, { at, kinds: ['App', 'Credential'] });
    const byIndex = new Map(ranked.map((entry) => [entry.index, entry]));
    for (const [index, entry] of byIndex) {
      const { score, reached, crownJewels, lateralPlatforms, usable } = entry;
      expect({ score, reached, crownJewels, lateralPlatforms, usable }).toEqual(summarizeByReach(graph, index, { at }));
    }
    expect(ranked.length).toBe(graph.nodes.filter((node) => node.kind === 'App' || node.kind === 'Credential').length);
  });
});

const HUB_SOURCES = 16;

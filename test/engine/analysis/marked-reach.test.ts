// The shared-hub marked reach (what the cross-environment and third-party findings ask of every credential and
// app) must give exactly what one full reach per source gives: counts per class and the first nodes by id.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markedClassesReached, markedReachScanner, targetsReached, type MarkedReach } from '../../../engine/analysis/closure.ts';
import { reachScanner } from '../../../engine/analysis/findings.ts';
import { generateFragment } from '../../../engine/generate/enterprise.ts';
import { DEFAULT_SCHEMA } from '../../../engine/schema/index.ts';
import { buildGraph, type CompactGraph } from '../../../engine/store/compact.ts';
import { AT, randomGraph } from '../../helpers/arbitraries.ts';

const EDGE_KINDS = Object.keys(DEFAULT_SCHEMA.edgeKinds);
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The oracle: one full reach (`reachScanner`, tested against `reach`) per source. */
function markedByReach(graph: CompactGraph, at: number, excludeEdgeKinds: string[], marks: Uint8Array, classes: number, keep: number, v: number): MarkedReach {
  const order = reachScanner(graph, at, { excludeEdgeKinds })(v).order;
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (const u of order) if (u !== v && marks[u]! > 0) byClass[marks[u]! - 1]!.push(u);
  return {
    usable: order.length > 0,
    counts: byClass.map((list) => list.length),
    first: byClass.map((list) => list.sort((a, b) => compareText(graph.nodes[a]!.id, graph.nodes[b]!.id)).slice(0, keep)),
  };
}

describe('markedReachScanner', () => {
  it('equals one reach per source on random graphs, marks and options, hubs shared from the smallest closure', () => {
    const arb = randomGraph({ maxNodes: 18, maxEdges: 60 }).chain((g) => fc.record({
      g: fc.constant(g),
      marks: fc.uint8Array({ min: 0, max: 2, minLength: g.graph.nodeCount, maxLength: g.graph.nodeCount }),
      keep: fc.constantFrom(0, 1, 2, 5, Infinity),
      excludeEdgeKinds: fc.subarray(EDGE_KINDS, { maxLength: 4 }),
      hubMinSize: fc.constantFrom(1, 2, 4),
    }));
    fc.assert(fc.property(arb, ({ g, marks, keep, excludeEdgeKinds, hubMinSize }) => {
      const { graph } = g;
      const before = (a: number, b: number) => compareText(graph.nodes[a]!.id, graph.nodes[b]!.id);
      const scan = markedReachScanner(graph, { at: AT, excludeEdgeKinds }, marks, 2, keep, before, hubMinSize)!;
      for (let v = 0; v < graph.nodeCount; v++) {
        const got = scan(v);
        expect({ ...got, first: got.first.map((list) => [...list]) }).toEqual(markedByReach(graph, AT, excludeEdgeKinds, marks, 2, keep, v));
      }
    }), { numRuns: 300 });
  });

  it('equals one reach per source in a generated enterprise, where most sources share a hub', () => {
    const graph = buildGraph(generateFragment({ nodes: 8_000, seed: 3 }));
    const at = Date.parse('2026-01-01T00:00:00Z');
    const marks = new Uint8Array(graph.nodeCount);
    graph.nodes.forEach((node, v) => { if (node.kind === 'Resource') marks[v] = node.tags?.includes('crown-jewel') ? 1 : 2; });
    const before = (a: number, b: number) => compareText(graph.nodes[a]!.id, graph.nodes[b]!.id);
    const scan = markedReachScanner(graph, { at }, marks, 2, 5, before)!;
    const sources = graph.nodes.flatMap((node, v) => (node.kind === 'App' || (node.kind === 'Credential' && v % 7 === 0) ? [v] : []));
    const expected = sources.map((v) => markedByReach(graph, at, [], marks, 2, 5, v));
    expect(sources.map((v) => { const got = scan(v); return { ...got, first: got.first.map((list) => [...list]) }; })).toEqual(expected);
    // Both kinds of source are exercised: some reach the shared core, some stay small.
    expect(Math.max(...expected.map((m) => m.counts[1]!))).toBeGreaterThan(500);
    expect(Math.min(...expected.map((m) => m.counts[1]!))).toBeLessThan(20);
  });
});

describe('markedClassesReached', () => {
  /** The oracle: whether one full reach from v (v included) holds a node of class c. */
  const reachesByReach = (graph: CompactGraph, at: number, excludeEdgeKinds: string[], marks: Uint8Array, v: number, c: number): boolean =>
    reachScanner(graph, at, { excludeEdgeKinds })(v).order.some((u) => marks[u] === c);

  it('says for every node at once what one reach per source says, on random graphs, marks and edge filters', () => {
    const arb = randomGraph({ maxNodes: 18, maxEdges: 60 }).chain((g) => fc.record({
      g: fc.constant(g),
      marks: fc.uint8Array({ min: 0, max: 2, minLength: g.graph.nodeCount, maxLength: g.graph.nodeCount }),
      excludeEdgeKinds: fc.subarray(EDGE_KINDS, { maxLength: 4 }),
    }));
    fc.assert(fc.property(arb, ({ g, marks, excludeEdgeKinds }) => {
      const { graph } = g;
      const reaches = markedClassesReached(graph, { at: AT, excludeEdgeKinds }, marks, 2)!;
      for (let v = 0; v < graph.nodeCount; v++) {
        for (const c of [1, 2]) expect(reaches(v, c), `node ${v} class ${c}`).toBe(reachesByReach(graph, AT, excludeEdgeKinds, marks, v, c));
      }
    }), { numRuns: 300 });
  });

  it('agrees with the shared-hub scanner\'s counts in a generated enterprise, where both answers occur', () => {
    const graph = buildGraph(generateFragment({ nodes: 8_000, seed: 3 }));
    const at = Date.parse('2026-01-01T00:00:00Z');
    const marks = new Uint8Array(graph.nodeCount);
    graph.nodes.forEach((node, v) => { if (node.kind === 'Resource') marks[v] = node.tags?.includes('crown-jewel') ? 1 : 2; });
    const reaches = markedClassesReached(graph, { at, excludeEdgeKinds: ['HOLDS'] }, marks, 2)!;
    const scan = markedReachScanner(graph, { at, excludeEdgeKinds: ['HOLDS'] }, marks, 2, 0, (a, b) => a - b)!;
    const answers = new Set<string>();
    graph.nodes.forEach((node, v) => {
      if (marks[v] !== 0) return;
      const counts = scan(v).counts;
      for (const c of [1, 2]) {
        expect(reaches(v, c)).toBe(counts[c - 1]! > 0);
        answers.add(`${c}:${reaches(v, c)}`);
      }
    });
    expect([...answers].sort()).toEqual(['1:false', '1:true', '2:false', '2:true']);
  });
});

describe('targetsReached', () => {
  it('says for every node whether one reach from it holds some target at that target\'s level or higher', () => {
    const arb = randomGraph({ maxNodes: 18, maxEdges: 60 }).chain((g) => fc.record({
      g: fc.constant(g),
      levels: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: g.graph.nodeCount, maxLength: g.graph.nodeCount }),
      excludeEdgeKinds: fc.subarray(EDGE_KINDS, { maxLength: 4 }),
    }));
    fc.assert(fc.property(arb, ({ g, levels, excludeEdgeKinds }) => {
      const { graph } = g;
      const targets = levels.flatMap((level, v) => (level > 0 ? [v] : []));
      const reaches = targetsReached(graph, { at: AT, excludeEdgeKinds }, targets, targets.map((v) => levels[v]!))!;
      const scan = reachScanner(graph, AT, { excludeEdgeKinds });
      for (let v = 0; v < graph.nodeCount; v++) {
        const { order, levels: held } = scan(v);
        const expected = order.some((u, i) => levels[u]! > 0 && held[i]! >= levels[u]!);
        expect(reaches(v), `node ${v}`).toBe(expected);
      }
    }), { numRuns: 300 });
  });
});

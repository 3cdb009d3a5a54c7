// The radius map (POST /api/map) against the engine's own radius as the oracle, on random graphs: every
// reached node is counted once, as itself or in its platform/kind/level cluster; sources, crown jewels and
// the examined path are always drawn; the budget holds otherwise; the summary matches the radius.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { levelClusterKey, radiusMap } from '../../../cli/server/aggregate.ts';
import { blastRadius } from '../../../engine/analysis/radius.ts';
import { reach } from '../../../engine/analysis/reach.ts';
import { randomGraph } from '../../helpers/arbitraries.ts';

const AT = '2026-01-01';

describe('the radius map', () => {
  it('counts each reached node once and draws the sources, every crown jewel and the path nodes whatever the budget', () => {
    fc.assert(fc.property(randomGraph({ minNodes: 2, maxNodes: 30, maxEdges: 80 }), fc.integer({ min: 1, max: 35 }), fc.nat(), fc.nat(), ({ graph }, budget, pick, pathPick) => {
      const source = pick % graph.nodeCount;
      const pathNode = pathPick % graph.nodeCount;
      const oracle = blastRadius(graph, [source], { at: AT });
      const map = radiusMap(reach(graph, [source], { at: AT }), { budget, pathNodes: [pathNode] });
      const drawn = new Set(map.nodes.map((node) => node.id));
      expect(drawn.has(graph.nodes[source]!.id)).toBe(true);
      expect(drawn.has(graph.nodes[pathNode]!.id)).toBe(true);
      for (const jewel of oracle.crownJewels) expect(drawn.has(jewel.id)).toBe(true);
      const forced = new Set([graph.nodes[source]!.id, graph.nodes[pathNode]!.id, ...oracle.crownJewels.map((j) => j.id)]);
      expect(map.nodes.length).toBeLessThanOrEqual(Math.max(budget, forced.size));

      expect(map.summary.reachedCount).toBe(oracle.reachedCount);
      expect(map.summary.crownJewelCount).toBe(oracle.crownJewels.length);
      const drawnReached = oracle.reached.filter((entry) => drawn.has(entry.id));
      expect(map.reached.map((entry) => entry.id).sort()).toEqual(drawnReached.map((entry) => entry.id).sort());
      const byId = new Map(oracle.reached.map((entry) => [entry.id, entry]));
      for (const entry of map.reached) {
        const expected = byId.get(entry.id)!;
        expect(entry.level).toBe(expected.level);
        expect(entry.hops).toBe(expected.hops);
        expect(entry.via).toBe(expected.path.at(-1)?.edgeId ?? null);
      }
      // The rest of the radius is in level clusters, exactly.
      const expectedClusters = new Map<string, number>();
      for (const entry of oracle.reached) {
        if (drawn.has(entry.id)) continue;
        const key = levelClusterKey(entry.platform, entry.kind, entry.level);
        expectedClusters.set(key, (expectedClusters.get(key) ?? 0) + 1);
      }
      const levelClusters = map.clusters.filter((cluster) => cluster.level !== undefined);
      expect(new Map(levelClusters.map((cluster) => [cluster.key, cluster.count]))).toEqual(expectedClusters);
      expect(map.summary.clusteredReached).toBe([...expectedClusters.values()].reduce((a, b) => a + b, 0));
      // Nodes neither reached nor drawn are in the grey clusters.
      const reachedIds = new Set([...oracle.reached.map((e) => e.id), graph.nodes[source]!.id]);
      const grey = map.clusters.filter((cluster) => cluster.level === undefined).reduce((sum, cluster) => sum + cluster.count, 0);
      expect(grey).toBe(graph.nodes.filter((node) => !reachedIds.has(node.id) && !drawn.has(node.id)).length);
      // Platforms x levels as the radius counts them.
      for (const row of oracle.platforms) {
        const mapped = map.summary.platforms.find((p) => p.platform === row.platform)!;
        expect([mapped.read, mapped.write, mapped.admin, mapped.crownJewels]).toEqual([row.read, row.write, row.admin, row.crownJewels]);
      }
      expect(map.summary.byBridge.reduce((sum, group) => sum + group.crownJewels.length, 0)).toBe(oracle.crownJewels.length);
    }), { numRuns: 250 });
  });

  it('draws the witness tree: an edge per drawn reached node whose parent is drawn, the others summed between units', () => {
    fc.assert(fc.property(randomGraph({ minNodes: 2, maxNodes: 25, maxEdges: 70 }), fc.integer({ min: 1, max: 30 }), ({ graph }, budget) => {
      const result = reach(graph, [0], { at: AT });
      const map = radiusMap(result, { budget });
      const drawn = new Set(map.nodes.map((node) => node.id));
      const edgeIds = new Set(map.edges.map((edge) => edge.id ?? `${edge.source}|${edge.kind}|${edge.target}`));
      for (const entry of map.reached) {
        if (entry.parent !== null && drawn.has(entry.parent)) expect(edgeIds.has(entry.via!)).toBe(true);
      }
      for (const edge of map.edges) expect(drawn.has(edge.source) && drawn.has(edge.target)).toBe(true);
      for (const link of map.links) expect(link.source).not.toBe(link.target);
    }), { numRuns: 200 });
  });
});

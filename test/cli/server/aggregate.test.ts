// Aggregation of large views by platform and kind: nothing is lost or counted twice, the budget is kept,
// focus nodes come first, expanded clusters are shown node by node. Checked on random graphs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterKey, graphView, parseClusterKey } from '../../../cli/server/aggregate.ts';
import { randomGraph } from '../../helpers/arbitraries.ts';

describe('graph views over the budget', () => {
  it('counts every matching node exactly once, as itself or in its cluster, within the budget', () => {
    fc.assert(fc.property(randomGraph({ maxNodes: 30, maxEdges: 60 }), fc.integer({ min: 1, max: 35 }), fc.subarray(['p1', 'p2', 'p3']), ({ graph }, budget, platforms) => {
      const view = graphView(graph, { budget, platforms });
      const matching = graph.nodes.filter((n) => platforms.length === 0 || platforms.includes(n.platform));
      expect(view.matching).toBe(matching.length);
      expect(view.aggregated).toBe(matching.length > budget);
      expect(view.nodes.length).toBeLessThanOrEqual(budget);
      expect(view.nodes.length + view.clusters.reduce((sum, c) => sum + c.count, 0)).toBe(matching.length);
      for (const cluster of view.clusters) {
        expect(cluster.count).toBe(matching.filter((n) => clusterKey(n.platform, n.kind) === cluster.key).length - view.nodes.filter((n) => clusterKey(n.platform, n.kind) === cluster.key).length);
      }
    }), { numRuns: 200 });
  });

  it('keeps every edge between matching nodes, one by one or summed into a link, except inside one cluster', () => {
    fc.assert(fc.property(randomGraph({ maxNodes: 25, maxEdges: 60 }), fc.integer({ min: 1, max: 30 }), ({ graph }, budget) => {
      const view = graphView(graph, { budget });
      const shown = new Set(view.nodes.map((n) => n.id));
      const unit = (v: number) => (shown.has(graph.nodes[v]!.id) ? `n:${graph.nodes[v]!.id}` : `c:${clusterKey(graph.nodes[v]!.platform, graph.nodes[v]!.kind)}`);
      let expectedLinks = 0;
      for (let e = 0; e < graph.edgeCount; e++) {
        const [a, b] = [graph.edgeSrc[e]!, graph.edgeDst[e]!];
        if (shown.has(graph.nodes[a]!.id) && shown.has(graph.nodes[b]!.id)) continue;
        if (unit(a) !== unit(b)) expectedLinks++;
      }
      expect(view.edges.length).toBe([...Array(graph.edgeCount).keys()].filter((e) => shown.has(graph.nodes[graph.edgeSrc[e]!]!.id) && shown.has(graph.nodes[graph.edgeDst[e]!]!.id)).length);
      expect(view.links.reduce((sum, link) => sum + link.count, 0)).toBe(expectedLinks);
    }), { numRuns: 200 });
  });

  it('shows focus nodes first, in order, up to the budget', () => {
    fc.assert(fc.property(randomGraph({ minNodes: 5, maxNodes: 25 }), fc.integer({ min: 1, max: 4 }), ({ graph }, budget) => {
      const focus = [...graph.nodes.keys()].reverse();
      const view = graphView(graph, { budget, focus });
      if (!view.aggregated) return;
      expect(view.nodes.map((n) => n.id).sort()).toEqual(focus.slice(0, budget).map((v) => graph.nodes[v]!.id).sort());
    }), { numRuns: 100 });
  });

  it('shows an expanded cluster node by node when the budget allows', () => {
    fc.assert(fc.property(randomGraph({ minNodes: 6, maxNodes: 25 }), ({ graph }) => {
      const first = graph.nodes[0]!;
      const key = clusterKey(first.platform, first.kind);
      const members = graph.nodes.filter((n) => clusterKey(n.platform, n.kind) === key);
      const view = graphView(graph, { budget: Math.max(members.length, graph.nodeCount - 1), expand: [key] });
      if (!view.aggregated) return;
      for (const member of members) expect(view.nodes.some((n) => n.id === member.id)).toBe(true);
      expect(view.clusters.some((c) => c.key === key)).toBe(false);
    }), { numRuns: 100 });
  });

  it('reads cluster keys back, and rejects what is not one', () => {
    expect(parseClusterKey(clusterKey('google-workspace', 'App'))).toEqual({ platform: 'google-workspace', kind: 'App' });
    expect(parseClusterKey('no-slash')).toBeUndefined();
    expect(parseClusterKey('/App')).toBeUndefined();
    expect(parseClusterKey('aws/')).toBeUndefined();
  });
});

// Baselines for the benchmark: the simplest breadth-first search over the same compiled graph (no levels,
// no time, no witness data), so a radius time can be read as a multiple of bare graph traversal.
import type { CompactGraph } from '../../engine/store/compact.ts';

/**
 * Nodes reachable from `source` over traversable edges, ignoring levels, time and conditions. Allocates
 * its visited array and queue per call, as a standalone BFS does. Returns how many nodes it visited.
 */
export function plainBfs(graph: CompactGraph, source: number): number {
  const n = graph.nodeCount;
  const { fwdOffsets, edgeDst, edgeKind, kindTraversable } = graph;
  const visited = new Uint8Array(n);
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  visited[source] = 1;
  queue[tail++] = source;
  while (head < tail) {
    const u = queue[head++]!;
    for (let e = fwdOffsets[u]!, end = fwdOffsets[u + 1]!; e < end; e++) {
      if (kindTraversable[edgeKind[e]!] === 0) continue;
      const v = edgeDst[e]!;
      if (visited[v] === 0) {
        visited[v] = 1;
        queue[tail++] = v;
      }
    }
  }
  return tail;
}

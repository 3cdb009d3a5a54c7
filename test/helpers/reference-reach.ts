// The reach algorithm exactly as first written (frontier arrays, closure checks), kept as a reference:
// the optimised engine/analysis/reach.ts must return identical results field by field, not just equivalent ones.
import { BlastmapError } from '../../engine/errors.ts';
import { allowedKinds, toInstant, type DormantReach, type ReachOptions, type ReachResult } from '../../engine/analysis/reach.ts';
import { LEVEL_CODE } from '../../engine/schema/index.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';

function blockedEdgeMask(graph: CompactGraph, options: ReachOptions): Uint8Array | undefined {
  const enforce = options.enforceConditions && options.enforceConditions.length > 0 ? new Set(options.enforceConditions) : undefined;
  const overlay = options.overlay?.blockedEdges;
  if (!enforce) return overlay;
  const mask = overlay ? overlay.slice() : new Uint8Array(graph.edgeCount);
  for (const e of graph.conditionedEdges) {
    if (graph.edgeAttrs[e]?.conditions?.some((condition) => enforce.has(condition))) mask[e] = 1;
  }
  return mask;
}

export function referenceReach(graph: CompactGraph, sources: readonly number[], options: ReachOptions = {}): ReachResult {
  const n = graph.nodeCount;
  const at = toInstant(options.at);
  const maxDepth = options.maxDepth ?? Infinity;
  if (!(maxDepth >= 0)) throw new BlastmapError('INVALID_OPTION', `engine/analysis: max depth must be 0 or more, got ${maxDepth}`);
  const allowed = allowedKinds(graph, options);
  const blockedEdges = blockedEdgeMask(graph, options);
  const blockedNodes = options.overlay?.blockedNodes;
  const { fwdOffsets, edgeDst, edgeKind, kindRequires, kindGrants, activeFrom, activeUntil } = graph;

  const level = new Uint8Array(n);
  const hops = new Int32Array(n * 3).fill(-1);
  const parentEdge = new Int32Array(n * 3).fill(-1);
  const parentLevel = new Uint8Array(n * 3);
  const order: number[] = [];
  const dormant = new Map<number, DormantReach>();
  const usable = (v: number): boolean => activeFrom[v]! <= at && at < activeUntil[v]! && (blockedNodes === undefined || blockedNodes[v] === 0);

  const startLevel = LEVEL_CODE[options.sourceLevel ?? 'admin'];
  let frontier: number[] = [];
  for (const s of sources) {
    if (s < 0 || s >= n) throw new BlastmapError('INVALID_OPTION', `engine/analysis: source index ${s} is not a node`);
    if (level[s]! >= startLevel) continue;
    if (!usable(s)) {
      dormant.set(s, { level: startLevel, hops: 0, viaEdge: -1, viaLevel: 0 });
      continue;
    }
    if (level[s] === 0) order.push(s);
    level[s] = startLevel;
    hops[s * 3 + startLevel - 1] = 0;
    frontier.push(s * 4 + startLevel);
  }

  for (let depth = 0; frontier.length > 0 && depth < maxDepth; depth++) {
    const next: number[] = [];
    for (const state of frontier) {
      const u = state >>> 2;
      const held = state & 3;
      for (let e = fwdOffsets[u]!, end = fwdOffsets[u + 1]!; e < end; e++) {
        const kind = edgeKind[e]!;
        if (allowed[kind] === 0 || held < kindRequires[kind]! || (blockedEdges !== undefined && blockedEdges[e] === 1)) continue;
        const grant = kindGrants[kind]! || held;
        const v = edgeDst[e]!;
        if (level[v]! >= grant) continue;
        if (!usable(v)) {
          const seen = dormant.get(v);
          if (!seen || seen.level < grant) dormant.set(v, { level: grant, hops: depth + 1, viaEdge: e, viaLevel: held });
          continue;
        }
        if (level[v] === 0) order.push(v);
        level[v] = grant;
        const slot = v * 3 + grant - 1;
        hops[slot] = depth + 1;
        parentEdge[slot] = e;
        parentLevel[slot] = held;
        next.push(v * 4 + grant);
      }
    }
    frontier = next;
  }
  return { graph, sources: [...sources], at, level, hops, parentEdge, parentLevel, order, dormant };
}

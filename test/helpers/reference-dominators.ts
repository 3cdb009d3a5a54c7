// reachDominators as first written (Map-keyed edge and grant vertices, arcs in plain arrays): the oracle the
// typed-array flow graph of engine/analysis/dominators.ts must agree with, and what reference-plan.ts ranks with.
import { LEVEL_CODE } from '../../engine/schema/index.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { reach, toInstant, traversalRules, type ReachOptions, type ReachResult } from '../../engine/analysis/reach.ts';
import { nodePoints } from '../../engine/analysis/score.ts';

export interface FlowDominators {
  /** Immediate dominator of each vertex; the root is its own; -1 when the root does not reach the vertex. */
  idom: Int32Array;
  /** Vertices the root reaches, in reverse postorder (root first): a dominator always precedes what it dominates. */
  order: Int32Array;
  /** Index of each vertex in `order`, -1 when unreachable. */
  position: Int32Array;
}

/**
 * Immediate dominators of a flow graph given as successor lists in CSR form (successors of v are
 * targets[offsets[v] .. offsets[v+1]]). Cooper, Harvey and Kennedy, "A Simple, Fast Dominance Algorithm"
 * (2001): iterate `idom(v) = nearest common dominator of v's processed predecessors` in reverse postorder
 * until nothing changes. On the nearly acyclic graphs reach produces this settles in two or three passes.
 */
export function immediateDominators(vertexCount: number, offsets: ArrayLike<number>, targets: ArrayLike<number>, root: number): FlowDominators {
  const position = new Int32Array(vertexCount).fill(-1);
  const postorder: number[] = [];
  // Iterative depth-first search: recursion would overflow on long credential chains.
  const visited = new Uint8Array(vertexCount);
  const stack: number[] = [root];
  const cursor = new Int32Array(vertexCount);
  visited[root] = 1;
  cursor[root] = offsets[root]!;
  while (stack.length > 0) {
    const v = stack[stack.length - 1]!;
    if (cursor[v]! < offsets[v + 1]!) {
      const w = targets[cursor[v]!++]!;
      if (visited[w] === 0) {
        visited[w] = 1;
        cursor[w] = offsets[w]!;
        stack.push(w);
      }
    } else {
      stack.pop();
      postorder.push(v);
    }
  }
  const order = Int32Array.from(postorder.reverse());
  order.forEach((v, i) => { position[v] = i; });

  // Predecessors among reachable vertices only.
  const predCount = new Uint32Array(vertexCount + 1);
  for (const v of order) for (let i = offsets[v]!; i < offsets[v + 1]!; i++) predCount[targets[i]! + 1]!++;
  for (let v = 0; v < vertexCount; v++) predCount[v + 1]! += predCount[v]!;
  const predOffsets = predCount;
  const preds = new Int32Array(predOffsets[vertexCount]!);
  const fill = predOffsets.slice(0, vertexCount);
  for (const v of order) for (let i = offsets[v]!; i < offsets[v + 1]!; i++) preds[fill[targets[i]!]!++] = v;

  const idom = new Int32Array(vertexCount).fill(-1);
  idom[root] = root;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (position[a]! > position[b]!) a = idom[a]!;
      while (position[b]! > position[a]!) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 1; i < order.length; i++) {
      const v = order[i]!;
      let candidate = -1;
      for (let p = predOffsets[v]!; p < predOffsets[v + 1]!; p++) {
        const u = preds[p]!;
        if (idom[u] === -1) continue;
        candidate = candidate === -1 ? u : intersect(u, candidate);
      }
      if (idom[v] !== candidate) {
        idom[v] = candidate;
        changed = true;
      }
    }
  }
  return { idom, order, position };
}

/** The nearest vertex that dominates both a and b (both reachable). */
export function nearestCommonDominator(dominators: FlowDominators, a: number, b: number): number {
  const { idom, position } = dominators;
  while (a !== b) {
    while (position[a]! > position[b]!) a = idom[a]!;
    while (position[b]! > position[a]!) b = idom[b]!;
  }
  return a;
}

export interface ReachDominators {
  reach: ReachResult;
  /** Flow-graph vertex of each reachable (node, level) state by slot `node * 3 + level - 1`, -1 when unreachable. */
  stateVertex: Int32Array;
  /** Vertices standing for the uses of edge e: one per level it delivers on its target. */
  edgeVertices: ReadonlyMap<number, readonly number[]>;
  /** Vertices standing for the uses of a grant: one per (node, level) state its edges are used from. */
  grantVertices: ReadonlyMap<string, readonly number[]>;
  vertexCount: number;
  dominators: FlowDominators;
  /** Per vertex: the score lost when that vertex alone is removed from the flow graph. */
  dominatedScore: Float64Array;
  /**
   * True when removing one vertex is exactly the cut it stands for. False under a depth bound: the flow
   * graph ignores depth, so a route it counts as an alternative may be too long, and the score a vertex
   * dominates is then only a lower bound of what its cut removes.
   */
  exact: boolean;
}

/**
 * Builds the flow graph of everything the sources reach and its dominator tree.
 *
 * Vertices: a virtual root; one per (node, level) state reachable from the sources (every state, not only
 * the ones that raised a node's best level, so every route counts); one per edge use, keyed by the edge
 * and the level it delivers, placed between the state it leaves and the state it reaches; and one per
 * grant used from a state, placed before the edge vertices of that grant's edges leaving the state.
 * Removing a node's only state, an edge's only use vertex, or a grant's only vertex removes exactly the
 * routes that the cut removes, because each such vertex sits on those routes and on nothing else.
 *
 * Score: node x held at best level L contributes nodePoints(x, k) - nodePoints(x, k - 1) for each
 * k <= L, attached to a virtual sink fed by every state of x at level k or more; a vertex dominating that
 * sink is one without which x falls below level k. Summed over the dominator tree, each vertex gets the
 * score that depends on it alone.
 */
export function referenceReachDominators(graph: CompactGraph, sources: readonly number[], options: ReachOptions = {}, precomputed?: ReachResult): ReachDominators {
  const at = precomputed?.at ?? toInstant(options.at);
  const result = precomputed ?? reach(graph, sources, { ...options, at });
  const rules = traversalRules(graph, { ...options, at });
  const n = graph.nodeCount;
  const stateVertex = new Int32Array(n * 3).fill(-1);
  const edgeVertexByUse = new Map<number, number>();
  const grantVertexByUse = new Map<string, number>();
  const edgeVertices = new Map<number, number[]>();
  const grantVertices = new Map<string, number[]>();
  const arcFrom: number[] = [];
  const arcTo: number[] = [];
  const ROOT = 0;
  let vertexCount = 1;
  const arc = (a: number, b: number) => { arcFrom.push(a); arcTo.push(b); };

  const queue: number[] = [];
  const stateOf = (slot: number): number => {
    let vertex = stateVertex[slot]!;
    if (vertex < 0) {
      vertex = vertexCount++;
      stateVertex[slot] = vertex;
      queue.push(slot);
    }
    return vertex;
  };

  const startLevel = LEVEL_CODE[options.sourceLevel ?? 'admin'];
  for (const s of result.sources) {
    if (!rules.usable(s)) continue;
    const fresh = stateVertex[s * 3 + startLevel - 1]! < 0;
    const vertex = stateOf(s * 3 + startLevel - 1);
    if (fresh) arc(ROOT, vertex);
  }
  const { fwdOffsets, edgeDst, edgeAttrs } = graph;
  for (let head = 0; head < queue.length; head++) {
    const slot = queue[head]!;
    const u = (slot / 3) | 0;
    const held = (slot % 3) + 1;
    const from = stateVertex[slot]!;
    for (let e = fwdOffsets[u]!, end = fwdOffsets[u + 1]!; e < end; e++) {
      const gained = rules.step(e, held);
      if (gained === 0) continue;
      const v = edgeDst[e]!;
      if (!rules.usable(v)) continue;
      const to = stateOf(v * 3 + gained - 1);
      const useKey = e * 3 + gained - 1;
      let use = edgeVertexByUse.get(useKey);
      if (use === undefined) {
        use = vertexCount++;
        edgeVertexByUse.set(useKey, use);
        const list = edgeVertices.get(e);
        if (list) list.push(use);
        else edgeVertices.set(e, [use]);
        arc(use, to);
      }
      const grant = edgeAttrs[e]?.grant;
      if (grant === undefined) {
        arc(from, use);
        continue;
      }
      const grantKey = `${slot}\u0000${grant}`;
      let grantVertex = grantVertexByUse.get(grantKey);
      if (grantVertex === undefined) {
        grantVertex = vertexCount++;
        grantVertexByUse.set(grantKey, grantVertex);
        const list = grantVertices.get(grant);
        if (list) list.push(grantVertex);
        else grantVertices.set(grant, [grantVertex]);
        arc(from, grantVertex);
      }
      arc(grantVertex, use);
    }
  }

  const offsets = new Uint32Array(vertexCount + 1);
  for (const a of arcFrom) offsets[a + 1]!++;
  for (let v = 0; v < vertexCount; v++) offsets[v + 1]! += offsets[v]!;
  const targets = new Int32Array(arcFrom.length);
  const fill = offsets.slice(0, vertexCount);
  arcFrom.forEach((a, i) => { targets[fill[a]!++] = arcTo[i]!; });
  const dominators = immediateDominators(vertexCount, offsets, targets, ROOT);

  const dominatedScore = new Float64Array(vertexCount);
  const isSource = new Set(result.sources);
  for (const x of result.order) {
    if (isSource.has(x)) continue;
    const best = result.level[x]!;
    for (let k = 1; k <= best; k++) {
      const weight = nodePoints(graph, x, k) - nodePoints(graph, x, k - 1);
      if (weight === 0) continue;
      let sinkParent = -1;
      for (let l = k; l <= 3; l++) {
        const vertex = stateVertex[x * 3 + l - 1]!;
        if (vertex < 0) continue;
        sinkParent = sinkParent < 0 ? vertex : nearestCommonDominator(dominators, sinkParent, vertex);
      }
      if (sinkParent >= 0) dominatedScore[sinkParent]! += weight;
    }
  }
  const { order, idom } = dominators;
  for (let i = order.length - 1; i > 0; i--) {
    const v = order[i]!;
    dominatedScore[idom[v]!]! += dominatedScore[v]!;
  }
  const exact = options.maxDepth === undefined || options.maxDepth === Infinity;
  return { reach: result, stateVertex, edgeVertices, grantVertices, vertexCount, dominators, dominatedScore, exact };
}

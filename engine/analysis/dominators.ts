// Dominators of the reach graph: the state, edge or grant that every route to part of a blast radius passes
// through. Cooper-Harvey-Kennedy's iterative algorithm on a flow graph built from the (node, level) states.
import { LEVEL_CODE } from '../schema/index.ts';
import type { CompactGraph } from '../store/compact.ts';
import { reach, toInstant, traversalRules, type ReachOptions, type ReachResult } from './reach.ts';
import { nodePoints } from './score.ts';

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
  /** Slot of each state vertex, -1 for the root and for edge and grant vertices. */
  vertexSlot: Int32Array;
  /** Vertices standing for the uses of edge e: one per level it delivers on its target (none when unused). */
  edgeVertices: (e: number) => number[];
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

/** A growable list of 32-bit integers: the flow graph has millions of arcs at enterprise scale. */
class IntList {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) { this.data = new Int32Array(capacity); }
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
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
 *
 * Built in two passes so that every array is typed and no vertex is looked up by a composite key: first the
 * reachable states (a breadth-first search), then, node by node, the uses of each edge leaving it from
 * each of its states (the uses of one edge are consecutive vertices).
 */
export function reachDominators(graph: CompactGraph, sources: readonly number[], options: ReachOptions = {}, precomputed?: ReachResult): ReachDominators {
  const at = precomputed?.at ?? toInstant(options.at);
  const result = precomputed ?? reach(graph, sources, { ...options, at });
  const rules = traversalRules(graph, { ...options, at });
  const n = graph.nodeCount;
  const { fwdOffsets, edgeDst, edgeAttrs } = graph;
  const ROOT = 0;

  // Pass 1: the reachable states, numbered 1.. in breadth-first order.
  const stateVertex = new Int32Array(n * 3).fill(-1);
  const slots = new IntList(1 << 16);
  slots.push(-1);
  const stateOf = (slot: number): number => {
    let vertex = stateVertex[slot]!;
    if (vertex < 0) {
      vertex = slots.length;
      stateVertex[slot] = vertex;
      slots.push(slot);
    }
    return vertex;
  };
  const startLevel = LEVEL_CODE[options.sourceLevel ?? 'admin'];
  const rootArcs: number[] = [];
  for (const s of result.sources) {
    if (!rules.usable(s)) continue;
    const fresh = stateVertex[s * 3 + startLevel - 1]! < 0;
    const vertex = stateOf(s * 3 + startLevel - 1);
    if (fresh) rootArcs.push(vertex);
  }
  for (let head = 1; head < slots.length; head++) {
    const slot = slots.data[head]!;
    const u = (slot / 3) | 0;
    const held = (slot % 3) + 1;
    for (let e = fwdOffsets[u]!, end = fwdOffsets[u + 1]!; e < end; e++) {
      const gained = rules.step(e, held);
      if (gained === 0) continue;
      const v = edgeDst[e]!;
      if (rules.usable(v)) stateOf(v * 3 + gained - 1);
    }
  }
  const stateCount = slots.length;

  // Pass 2: edge-use and grant vertices, and every arc.
  const arcFrom = new IntList(1 << 16);
  const arcTo = new IntList(1 << 16);
  const arc = (a: number, b: number) => { arcFrom.push(a); arcTo.push(b); };
  for (const vertex of rootArcs) arc(ROOT, vertex);
  let vertexCount = stateCount;
  const useEdge = new IntList(1 << 16);
  /** Edge of each vertex from stateCount on: the edge of a use vertex, -1 for a grant vertex. */
  const firstUse = new Int32Array(graph.edgeCount).fill(-1);
  const grantVertices = new Map<string, number[]>();
  /** Grant vertices of the node being expanded, per level held on it. */
  const grantOfHeld = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>()];
  const useByLevel = [-1, -1, -1];
  const visitedNode = new Uint8Array(n);
  for (let head = 1; head < stateCount; head++) {
    const u = (slots.data[head]! / 3) | 0;
    if (visitedNode[u] === 1) continue;
    visitedNode[u] = 1;
    for (const map of grantOfHeld) map.clear();
    for (let e = fwdOffsets[u]!, end = fwdOffsets[u + 1]!; e < end; e++) {
      const v = edgeDst[e]!;
      if (!rules.usable(v)) continue;
      useByLevel[0] = useByLevel[1] = useByLevel[2] = -1;
      const grant = edgeAttrs[e]?.grant;
      for (let held = 1; held <= 3; held++) {
        const from = stateVertex[u * 3 + held - 1]!;
        if (from < 0) continue;
        const gained = rules.step(e, held);
        if (gained === 0) continue;
        let use = useByLevel[gained - 1]!;
        if (use < 0) {
          use = vertexCount++;
          useByLevel[gained - 1] = use;
          if (firstUse[e] === -1) firstUse[e] = use;
          useEdge.push(e);
          arc(use, stateVertex[v * 3 + gained - 1]!);
        }
        if (grant === undefined) {
          arc(from, use);
          continue;
        }
        const grantOfState = grantOfHeld[held - 1]!;
        let grantVertex = grantOfState.get(grant);
        if (grantVertex === undefined) {
          grantVertex = vertexCount++;
          useEdge.push(-1);
          grantOfState.set(grant, grantVertex);
          const list = grantVertices.get(grant);
          if (list) list.push(grantVertex);
          else grantVertices.set(grant, [grantVertex]);
          arc(from, grantVertex);
        }
        arc(grantVertex, use);
      }
    }
  }

  const offsets = new Uint32Array(vertexCount + 1);
  const arcCount = arcFrom.length;
  for (let i = 0; i < arcCount; i++) offsets[arcFrom.data[i]! + 1]!++;
  for (let v = 0; v < vertexCount; v++) offsets[v + 1]! += offsets[v]!;
  const targets = new Int32Array(arcCount);
  const fill = offsets.slice(0, vertexCount);
  for (let i = 0; i < arcCount; i++) targets[fill[arcFrom.data[i]!]!++] = arcTo.data[i]!;
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
  const vertexSlot = new Int32Array(vertexCount).fill(-1);
  vertexSlot.set(slots.data.subarray(1, stateCount), 1);
  const uses = useEdge.data;
  const edgeVertices = (e: number): number[] => {
    const first = firstUse[e]!;
    if (first < 0) return [];
    // The vertices made while expanding e are its uses and grant vertices (edge -1); the next edge's start with a use.
    const list: number[] = [];
    for (let vertex = first; vertex < vertexCount; vertex++) {
      const owner = uses[vertex - stateCount]!;
      if (owner === e) list.push(vertex);
      else if (owner !== -1) break;
    }
    return list;
  };
  const exact = options.maxDepth === undefined || options.maxDepth === Infinity;
  return { reach: result, stateVertex, vertexSlot, edgeVertices, grantVertices, vertexCount, dominators, dominatedScore, exact };
}

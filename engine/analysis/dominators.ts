// Dominators of the reach graph: the state, edge or grant that every route to part of a blast radius passes
// through. Semi-NCA dominators of a flow graph built from the (node, level) states.
import { LEVEL_CODE } from '../schema/index.ts';
import type { CompactGraph } from '../store/compact.ts';
import { reach, toInstant, traversalRules, type ReachOptions, type ReachResult } from './reach.ts';
import { nodePoints } from './score.ts';

export interface FlowDominators {
  /** Immediate dominator of each vertex; the root is its own; -1 when the root does not reach the vertex. */
  idom: Int32Array;
  /** Vertices the root reaches, in depth-first preorder (root first): a dominator always precedes what it dominates. */
  order: Int32Array;
  /** Index of each vertex in `order`, -1 when unreachable. */
  position: Int32Array;
}

/**
 * Immediate dominators of a flow graph given as successor lists in CSR form (successors of v are
 * targets[offsets[v] .. offsets[v+1]]). Semi-NCA (Georgiadis, Tarjan and Werneck, "Finding dominators in
 * practice", 2006): semidominators by Lengauer and Tarjan's path-compressed evaluation in reverse depth-first
 * preorder, then each immediate dominator as the nearest ancestor of the depth-first parent whose number does
 * not exceed the semidominator's. Near-linear: the iterative Cooper-Harvey-Kennedy scheme used first walked
 * long idom chains on the million-vertex flow graphs of an enterprise radius (seconds per graph).
 * Everything is iterative: recursion would overflow on long credential chains.
 */
export function immediateDominators(vertexCount: number, offsets: ArrayLike<number>, targets: ArrayLike<number>, root: number): FlowDominators {
  // Depth-first preorder: number[v] in 1..count (0 = unreachable), vertexOf[number] = v, parent by number.
  const number = new Int32Array(vertexCount);
  const vertexOf = new Int32Array(vertexCount + 1);
  const parent = new Int32Array(vertexCount + 1);
  const cursor = new Int32Array(vertexCount);
  const stack = new Int32Array(vertexCount + 1);
  let count = 0;
  let top = 0;
  number[root] = ++count;
  vertexOf[count] = root;
  cursor[root] = offsets[root]!;
  stack[top++] = root;
  while (top > 0) {
    const v = stack[top - 1]!;
    if (cursor[v]! < offsets[v + 1]!) {
      const w = targets[cursor[v]!++]!;
      if (number[w] === 0) {
        number[w] = ++count;
        vertexOf[count] = w;
        parent[count] = number[v]!;
        cursor[w] = offsets[w]!;
        stack[top++] = w;
      }
    } else top--;
  }

  // Predecessors by number, among reachable vertices only.
  const predOffsets = new Int32Array(count + 2);
  for (let i = 1; i <= count; i++) {
    const v = vertexOf[i]!;
    for (let k = offsets[v]!; k < offsets[v + 1]!; k++) predOffsets[number[targets[k]!]! + 1]!++;
  }
  for (let i = 0; i <= count; i++) predOffsets[i + 1]! += predOffsets[i]!;
  const preds = new Int32Array(predOffsets[count + 1]!);
  const fill = predOffsets.slice(0, count + 1);
  for (let i = 1; i <= count; i++) {
    const v = vertexOf[i]!;
    for (let k = offsets[v]!; k < offsets[v + 1]!; k++) preds[fill[number[targets[k]!]!]!++] = i;
  }

  // Semidominators, in reverse preorder; `ancestor` links processed vertices into a path-compressed forest.
  const semi = new Int32Array(count + 1);
  const label = new Int32Array(count + 1);
  const ancestor = new Int32Array(count + 1);
  for (let i = 1; i <= count; i++) { semi[i] = i; label[i] = i; }
  const path = stack;
  const evaluate = (v: number): number => {
    if (ancestor[v] === 0) return v;
    // Compress the path from v to its forest root's child, keeping on each vertex the label of least semi.
    let depth = 0;
    for (let x = v; ancestor[ancestor[x]!] !== 0; x = ancestor[x]!) path[depth++] = x;
    while (depth > 0) {
      const x = path[--depth]!;
      const a = ancestor[x]!;
      if (semi[label[a]!]! < semi[label[x]!]!) label[x] = label[a]!;
      ancestor[x] = ancestor[a]!;
    }
    return label[v]!;
  };
  for (let w = count; w >= 2; w--) {
    for (let p = predOffsets[w]!; p < predOffsets[w + 1]!; p++) {
      const u = evaluate(preds[p]!);
      if (semi[u]! < semi[w]!) semi[w] = semi[u]!;
    }
    ancestor[w] = parent[w]!;
  }
  // Nearest common ancestor step, in preorder (a vertex's dominators are numbered before it).
  const idomByNumber = new Int32Array(count + 1);
  idomByNumber[1] = 1;
  for (let w = 2; w <= count; w++) {
    let d = parent[w]!;
    while (d > semi[w]!) d = idomByNumber[d]!;
    idomByNumber[w] = d;
  }

  const idom = new Int32Array(vertexCount).fill(-1);
  const position = new Int32Array(vertexCount).fill(-1);
  const order = new Int32Array(count);
  for (let i = 1; i <= count; i++) {
    const v = vertexOf[i]!;
    idom[v] = vertexOf[idomByNumber[i]!]!;
    position[v] = i - 1;
    order[i - 1] = v;
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
  /** Vertices standing for the uses of edge e: one per level it delivers on its target (none when unused). Only for `edgesAsked`. */
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
 * `edgesAsked` (a flag per edge) limits edge-use vertices to the edges a caller will ask about (the cuts it
 * ranks); every other use is an arc from the state to the state it reaches, which leaves every other
 * vertex's dominators as they are and makes the enterprise flow graph several times smaller.
 *
 * Built in two passes so that every array is typed and no vertex is looked up by a composite key: first the
 * reachable states (a breadth-first search), then, node by node, the uses of each edge leaving it from
 * each of its states (the uses of one edge are consecutive vertices).
 */
export function reachDominators(graph: CompactGraph, sources: readonly number[], options: ReachOptions = {}, precomputed?: ReachResult, edgesAsked?: Uint8Array): ReachDominators {
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
      const separate = edgesAsked === undefined || edgesAsked[e] === 1;
      const grant = edgeAttrs[e]?.grant;
      for (let held = 1; held <= 3; held++) {
        const from = stateVertex[u * 3 + held - 1]!;
        if (from < 0) continue;
        const gained = rules.step(e, held);
        if (gained === 0) continue;
        // An edge no cut asks about needs no vertex of its own: its routes go straight to the state it reaches.
        let use = separate ? useByLevel[gained - 1]! : stateVertex[v * 3 + gained - 1]!;
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
    if (edgesAsked !== undefined && edgesAsked[e] !== 1) throw new Error(`engine/analysis: edge ${e} has no flow vertices: it was not among the edges asked for`);
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

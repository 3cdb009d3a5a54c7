// Dominators of the reach graph: the state, edge or grant that every route to part of a blast radius passes
// through. Semi-NCA dominators of a flow graph built from the (node, level) states.
import { LEVEL_CODE } from '../schema/index.ts';
import type { CompactGraph } from '../store/compact.ts';
import { compileReachRules, reach, toInstant, type ReachOptions, type ReachResult } from './reach.ts';
import { gradedKinds, LEVEL_WEIGHT, PRINCIPAL_POINTS, sensitivities } from './score.ts';

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
 * Everything is iterative: recursion would overflow on long credential chains. `removed` (a flag per vertex):
 * the dominators of the graph without those vertices.
 */
/**
 * Scratch arrays reused from one call to the next (the calls never overlap: everything here is synchronous).
 * A plan ranks cuts six times over a million-vertex flow graph: fresh arrays each time were tens of
 * megabytes of ArrayBuffers per ranking, and V8 answers that much outside memory with full collections,
 * each of which walks the whole snapshot's heap.
 */
const scratchPool = new Map<string, Int32Array>();
/** A reused Int32Array of at least `length` entries, zeroed when asked (else holding whatever the last user left). */
export function scratchInt32(name: string, length: number, zeroed: boolean): Int32Array {
  let buffer = scratchPool.get(name);
  if (!buffer || buffer.length < length) {
    buffer = new Int32Array(Math.max(length, Math.ceil((buffer?.length ?? 0) * 1.25)));
    scratchPool.set(name, buffer);
    return buffer.subarray(0, length);
  }
  const view = buffer.subarray(0, length);
  if (zeroed) view.fill(0);
  return view;
}

export function immediateDominators(vertexCount: number, offsets: ArrayLike<number>, targets: ArrayLike<number>, root: number, removed?: Uint8Array, predecessors?: { offsets: ArrayLike<number>; sources: ArrayLike<number> }, into?: FlowDominators): FlowDominators {
  // Depth-first preorder: number[v] in 1..count (0 = unreachable), vertexOf[number] = v, parent by number.
  const number = scratchInt32('number', vertexCount, true);
  const vertexOf = scratchInt32('vertexOf', vertexCount + 1, false);
  const parent = scratchInt32('parent', vertexCount + 1, false);
  const cursor = scratchInt32('cursor', vertexCount, false);
  const stack = scratchInt32('stack', vertexCount + 1, false);
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
      // A removed vertex is never numbered, so no arc into it is a route (preds are numbered vertices only).
      if (number[w] === 0 && (removed === undefined || removed[w] === 0)) {
        number[w] = ++count;
        vertexOf[count] = w;
        parent[count] = number[v]!;
        cursor[w] = offsets[w]!;
        stack[top++] = w;
      }
    } else top--;
  }

  // Predecessors by number, among reachable vertices only: built here, unless the caller keeps the graph's
  // predecessor lists (by vertex) from one call to the next, when it is read through `number` instead (a plan
  // recomputes the dominators of one flow graph after each cut: building these was a third of each run).
  let predOffsets: Int32Array | undefined;
  let preds: Int32Array | undefined;
  if (predecessors === undefined) {
    predOffsets = scratchInt32('predOffsets', count + 2, true);
    for (let i = 1; i <= count; i++) {
      const v = vertexOf[i]!;
      for (let k = offsets[v]!; k < offsets[v + 1]!; k++) predOffsets[number[targets[k]!]! + 1]!++;
    }
    for (let i = 0; i <= count; i++) predOffsets[i + 1]! += predOffsets[i]!;
    preds = scratchInt32('preds', predOffsets[count + 1]!, false);
    const fill = scratchInt32('fill', count + 1, false);
    fill.set(predOffsets.subarray(0, count + 1));
    for (let i = 1; i <= count; i++) {
      const v = vertexOf[i]!;
      for (let k = offsets[v]!; k < offsets[v + 1]!; k++) preds[fill[number[targets[k]!]!]!++] = i;
    }
  }

  // Semidominators, in reverse preorder; `ancestor` links processed vertices into a path-compressed forest.
  const semi = scratchInt32('semi', count + 1, false);
  const label = scratchInt32('label', count + 1, false);
  const ancestor = scratchInt32('ancestor', count + 1, true);
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
  // A predecessor numbered before w is not processed yet (no ancestor link, its semi its own number), so it is
  // its own evaluation and offers its number: read without evaluate's lookups (most arcs are tree and forward arcs).
  if (predecessors === undefined) {
    for (let w = count; w >= 2; w--) {
      let best = semi[w]!;
      for (let p = predOffsets![w]!; p < predOffsets![w + 1]!; p++) {
        const from = preds![p]!;
        const offer = from < w ? from : semi[evaluate(from)]!;
        if (offer < best) best = offer;
      }
      semi[w] = best;
      ancestor[w] = parent[w]!;
    }
  } else {
    const { offsets: byVertex, sources } = predecessors;
    for (let w = count; w >= 2; w--) {
      const v = vertexOf[w]!;
      let best = semi[w]!;
      for (let p = byVertex[v]!, end = byVertex[v + 1]!; p < end; p++) {
        // Removed and unreachable vertices are unnumbered (0): not routes.
        const from = number[sources[p]!]!;
        if (from === 0) continue;
        const offer = from < w ? from : semi[evaluate(from)]!;
        if (offer < best) best = offer;
      }
      semi[w] = best;
      ancestor[w] = parent[w]!;
    }
  }
  // Nearest common ancestor step, in preorder (a vertex's dominators are numbered before it).
  const idomByNumber = scratchInt32('idomByNumber', count + 1, false);
  idomByNumber[1] = 1;
  for (let w = 2; w <= count; w++) {
    let d = parent[w]!;
    while (d > semi[w]!) d = idomByNumber[d]!;
    idomByNumber[w] = d;
  }

  // `into`: arrays the caller no longer reads (a plan's previous step's), written over instead of allocated.
  const { idom, position, order } = resultArrays(vertexCount, count, into);
  for (let i = 1; i <= count; i++) {
    const v = vertexOf[i]!;
    idom[v] = vertexOf[idomByNumber[i]!]!;
    position[v] = i - 1;
    order[i - 1] = v;
  }
  return { idom, order, position };
}

/**
 * The arrays of a FlowDominators of `count` reachable vertices: `into`'s, written over (idom and position reset to
 * -1), when they are large enough, else new ones. A plan's steps after the first write their dominators over the
 * step before's: at 1M nodes that was 7 MB of new ArrayBuffers per step, and V8 answers each 64 MB of them with a
 * full collection of the snapshot's heap.
 */
function resultArrays(vertexCount: number, count: number, into: FlowDominators | undefined): FlowDominators {
  if (into !== undefined && into.idom.length === vertexCount && into.position.length === vertexCount) {
    const orderBuffer = into.order.buffer.byteLength >= into.order.byteOffset + count * 4 ? new Int32Array(into.order.buffer, into.order.byteOffset, count) : new Int32Array(count);
    return { idom: into.idom.fill(-1), position: into.position.fill(-1), order: orderBuffer };
  }
  return { idom: new Int32Array(vertexCount).fill(-1), position: new Int32Array(vertexCount).fill(-1), order: new Int32Array(count) };
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
  /** Whether edge e has use vertices of its own (it was among the edges asked for). */
  hasEdgeVertices: (e: number) => boolean;
  /** The arcs, in CSR form: kept so that a cut can be applied to this flow graph instead of building the next one. */
  successors: {
    offsets: Uint32Array;
    targets: Int32Array;
    /** Per arc: the edge whose use it is when that edge has no use vertex (an arc from its source's state or grant vertex straight to the state it reaches), else -1. */
    edges: Int32Array;
  };
  /** Vertices removed since the flow graph was built (reachDominatorsWithout): the root no longer reaches them. */
  removedVertices?: Uint8Array;
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
  // reach()'s compiled rules, read inline (the closures of traversalRules were a call per edge and per node):
  // the level edge e gives holding `held` is grants[kind << 2 | held] unless the edge is blocked, and node v can be
  // used when it is active at `at` and not blocked.
  const { grants, blockedEdges, blockedNodes } = compileReachRules(graph, { ...options, at });
  const { edgeKind, activeFrom, activeUntil } = graph;
  // Per node, once (one byte read per edge instead of two 8-byte reads and a call V8 did not inline).
  const usableNode = new Uint8Array(graph.nodeCount);
  for (let v = 0; v < graph.nodeCount; v++) usableNode[v] = activeFrom[v]! <= at && at < activeUntil[v]! && (blockedNodes === undefined || blockedNodes[v] === 0) ? 1 : 0;
  const step = (e: number, held: number): number => (blockedEdges !== undefined && blockedEdges[e] === 1 ? 0 : grants[(edgeKind[e]! << 2) | held]!);
  const n = graph.nodeCount;
  const { fwdOffsets, edgeDst, edgeAttrs } = graph;
  const ROOT = 0;

  // Pass 1: the reachable states, numbered 1.. in breadth-first order.
  const stateVertex = new Int32Array(n * 3).fill(-1);
  // At most three states per reached node (and the root): sized once instead of grown by doubling (8 MB of
  // ArrayBuffers at 1M nodes for 4 MB of states).
  const slots = new IntList(3 * (result.order.length + result.sources.length) + 2);
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
  /** (state, edge) pairs that deliver a state: pass 2 makes one arc for each, plus one per use and grant vertex. */
  let steps = 0;
  for (const s of result.sources) {
    if (usableNode[s] !== 1) continue;
    const fresh = stateVertex[s * 3 + startLevel - 1]! < 0;
    const vertex = stateOf(s * 3 + startLevel - 1);
    if (fresh) rootArcs.push(vertex);
  }
  for (let head = 1; head < slots.length; head++) {
    const slot = slots.data[head]!;
    const u = (slot / 3) | 0;
    const held = (slot % 3) + 1;
    for (let e = fwdOffsets[u]!, end = fwdOffsets[u + 1]!; e < end; e++) {
      const gained = step(e, held);
      if (gained === 0) continue;
      const v = edgeDst[e]!;
      if (usableNode[v] === 1) {
        stateOf(v * 3 + gained - 1);
        steps++;
      }
    }
  }
  const stateCount = slots.length;

  // Pass 2: edge-use and grant vertices, and every arc.
  // Sized for the arcs pass 1 counted and a margin for the use and grant vertices' own (at 1M nodes: 3,444,983
  // steps, 3,504,002 arcs): grown by doubling from 64K they were 97 MB of ArrayBuffers for 42 MB of arcs, and
  // V8 answers every 64 MB allocated outside its heap with a full collection.
  const arcCapacity = steps + (steps >> 4) + rootArcs.length + 1024;
  const arcFrom = new IntList(arcCapacity);
  const arcTo = new IntList(arcCapacity);
  /** The edge of an arc that is an edge's use itself (an edge without a use vertex), else -1. */
  const arcEdge = new IntList(arcCapacity);
  const arc = (a: number, b: number, e = -1) => { arcFrom.push(a); arcTo.push(b); arcEdge.push(e); };
  for (const vertex of rootArcs) arc(ROOT, vertex);
  let vertexCount = stateCount;
  /** Edge of each vertex from stateCount on: the edge of a use vertex, -1 for a grant vertex. */
  const useEdge = new IntList(1 << 16);
  /** Per vertex from stateCount on, the edge being expanded when it was made: ascending within a node's vertices. */
  const madeFor = new IntList(1 << 16);
  // The vertices made while expanding node u are vertexCount's values from vertexFrom[u] to vertexTo[u]: an edge's
  // use vertices are found there by bisection (an array over every edge was 32 MB at 8M edges).
  const vertexFrom = new Int32Array(n).fill(-1);
  const vertexTo = new Int32Array(n);
  const grantVertices = new Map<string, number[]>();
  /** Grant vertices of the node being expanded, per level held on it. */
  const grantOfHeld = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>()];
  const useByLevel = [-1, -1, -1];
  const visitedNode = new Uint8Array(n);
  for (let head = 1; head < stateCount; head++) {
    const u = (slots.data[head]! / 3) | 0;
    if (visitedNode[u] === 1) continue;
    visitedNode[u] = 1;
    vertexFrom[u] = vertexCount;
    for (const map of grantOfHeld) map.clear();
    for (let e = fwdOffsets[u]!, end = fwdOffsets[u + 1]!; e < end; e++) {
      const v = edgeDst[e]!;
      if (usableNode[v] !== 1) continue;
      useByLevel[0] = useByLevel[1] = useByLevel[2] = -1;
      const separate = edgesAsked === undefined || edgesAsked[e] === 1;
      const grant = edgeAttrs[e]?.grant;
      for (let held = 1; held <= 3; held++) {
        const from = stateVertex[u * 3 + held - 1]!;
        if (from < 0) continue;
        const gained = step(e, held);
        if (gained === 0) continue;
        // An edge no cut asks about needs no vertex of its own: its routes go straight to the state it reaches.
        let use = separate ? useByLevel[gained - 1]! : stateVertex[v * 3 + gained - 1]!;
        if (use < 0) {
          use = vertexCount++;
          useByLevel[gained - 1] = use;
          useEdge.push(e);
          madeFor.push(e);
          arc(use, stateVertex[v * 3 + gained - 1]!);
        }
        const direct = separate ? -1 : e;
        if (grant === undefined) {
          arc(from, use, direct);
          continue;
        }
        const grantOfState = grantOfHeld[held - 1]!;
        let grantVertex = grantOfState.get(grant);
        if (grantVertex === undefined) {
          grantVertex = vertexCount++;
          useEdge.push(-1);
          madeFor.push(e);
          grantOfState.set(grant, grantVertex);
          const list = grantVertices.get(grant);
          if (list) list.push(grantVertex);
          else grantVertices.set(grant, [grantVertex]);
          arc(from, grantVertex);
        }
        arc(grantVertex, use, direct);
      }
    }
    vertexTo[u] = vertexCount;
  }

  const offsets = new Uint32Array(vertexCount + 1);
  const arcCount = arcFrom.length;
  for (let i = 0; i < arcCount; i++) offsets[arcFrom.data[i]! + 1]!++;
  for (let v = 0; v < vertexCount; v++) offsets[v + 1]! += offsets[v]!;
  const targets = new Int32Array(arcCount);
  const fill = scratchInt32('fill', vertexCount, false);
  fill.set(offsets.subarray(0, vertexCount));
  const edges = new Int32Array(arcCount);
  for (let i = 0; i < arcCount; i++) {
    const k = fill[arcFrom.data[i]!]!++;
    targets[k] = arcTo.data[i]!;
    edges[k] = arcEdge.data[i]!;
  }
  // The predecessor lists by vertex, built here once: Semi-NCA reads them now and again after every cut a plan
  // makes (dominatorsWithout). Built by depth-first number inside immediateDominators instead, they were 16 MB
  // more of ArrayBuffers at 1M nodes and two more passes over the arcs.
  const successors = { offsets, targets, edges };
  // The predecessor lists are written into the arc lists' buffers, which the CSR arrays have replaced: 28 MB fewer
  // ArrayBuffers at 1M nodes (V8 answers every 64 MB of them with a full collection of the snapshot's heap).
  const predecessors = predecessorsOf(successors, vertexCount, { sources: arcFrom.data.subarray(0, arcCount), edges: arcTo.data.subarray(0, arcCount) });
  const dominators = immediateDominators(vertexCount, offsets, targets, ROOT, undefined, predecessors);
  const dominatedScore = scoreDominated(graph, result, stateVertex, dominators, vertexCount);
  const vertexSlot = new Int32Array(vertexCount).fill(-1);
  vertexSlot.set(slots.data.subarray(1, stateCount), 1);
  const uses = useEdge.data;
  const made = madeFor.data;
  const { edgeSrc } = graph;
  const edgeVertices = (e: number): number[] => {
    if (edgesAsked !== undefined && edgesAsked[e] !== 1) throw new Error(`engine/analysis: edge ${e} has no flow vertices: it was not among the edges asked for`);
    const u = edgeSrc[e]!;
    if (vertexFrom[u]! < 0) return [];
    // The first vertex made while expanding e (its uses and grant vertices, made in edge order), by bisection.
    let low = vertexFrom[u]!;
    let high = vertexTo[u]!;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (made[middle - stateCount]! < e) low = middle + 1;
      else high = middle;
    }
    const list: number[] = [];
    for (let vertex = low; vertex < vertexTo[u]! && made[vertex - stateCount] === e; vertex++) if (uses[vertex - stateCount] === e) list.push(vertex);
    return list;
  };
  const exact = options.maxDepth === undefined || options.maxDepth === Infinity;
  const hasEdgeVertices = (e: number): boolean => edgesAsked === undefined || edgesAsked[e] === 1;
  return {
    reach: result, stateVertex, vertexSlot, edgeVertices, grantVertices, vertexCount, dominators, dominatedScore, exact,
    hasEdgeVertices, successors,
  };
}

/** nodePoints with its per-graph tables looked up once instead of per call (it runs for every node of every ranking). */
export function pointsTable(graph: CompactGraph): (v: number, levelCode: number) => number {
  const graded = gradedKinds(graph);
  const sensitivity = sensitivities(graph);
  const kind = graph.nodeKind;
  return (v, levelCode) => (levelCode === 0 ? 0 : graded[kind[v]!] === 1 ? sensitivity[v]! * LEVEL_WEIGHT[levelCode as 1 | 2 | 3] : PRINCIPAL_POINTS);
}

/**
 * Per vertex, the score lost when it alone is removed: node x held at best level L contributes
 * nodePoints(x, k) - nodePoints(x, k - 1) for each k <= L to the nearest common dominator of its states at
 * level k or more (a virtual sink fed by them), then scores are summed up the dominator tree. States whose
 * vertex the root does not reach (cut earlier) are not routes.
 */
function scoreDominated(graph: CompactGraph, result: ReachResult, stateVertex: Int32Array, dominators: FlowDominators, vertexCount: number, into?: Float64Array): Float64Array {
  const dominatedScore = into !== undefined && into.length === vertexCount ? into.fill(0) : new Float64Array(vertexCount);
  const { order, idom, position } = dominators;
  const isSource = new Set(result.sources);
  const points = pointsTable(graph);
  // The sink of level k is fed by the states of levels k..3, so it is found from level 3 down, each level's from
  // the one above (one nearest-common-dominator walk per state, not one per pair of levels); the weights are then
  // added from level 1 up, in the order they always were.
  const sinks = [-1, -1, -1, -1, -1];
  for (const x of result.order) {
    if (isSource.has(x)) continue;
    const best = result.level[x]!;
    if (best === 0) continue;
    let sinkParent = -1;
    for (let l = 3; l >= 1; l--) {
      const vertex = stateVertex[x * 3 + l - 1]!;
      if (vertex >= 0 && position[vertex]! >= 0) sinkParent = sinkParent < 0 ? vertex : nearestCommonDominator(dominators, sinkParent, vertex);
      sinks[l] = sinkParent;
    }
    for (let k = 1; k <= best; k++) {
      const weight = points(x, k) - points(x, k - 1);
      if (weight === 0) continue;
      const sinkParent = sinks[k]!;
      if (sinkParent >= 0) dominatedScore[sinkParent]! += weight;
    }
  }
  for (let i = order.length - 1; i > 0; i--) {
    const v = order[i]!;
    dominatedScore[idom[v]!]! += dominatedScore[v]!;
  }
  return dominatedScore;
}

/** Predecessor lists of a flow graph, in CSR form, built once per arc set (shared by every cut applied to it). */
interface PredecessorLists {
  offsets: Int32Array;
  sources: Int32Array;
  /** The arc's edge label (ReachDominators.successors.edges). */
  edges: Int32Array;
}
const predecessorLists = new WeakMap<Int32Array, PredecessorLists>();
function predecessorsOf(successors: ReachDominators['successors'], vertexCount: number, reuse?: { sources: Int32Array; edges: Int32Array }): PredecessorLists {
  let lists = predecessorLists.get(successors.targets);
  if (!lists) {
    const { offsets, targets, edges } = successors;
    const predOffsets = new Int32Array(vertexCount + 1);
    for (let k = 0; k < targets.length; k++) predOffsets[targets[k]! + 1]!++;
    for (let v = 0; v < vertexCount; v++) predOffsets[v + 1]! += predOffsets[v]!;
    // `reuse`: arrays of one entry per arc that nothing else reads any more.
    const sources = reuse?.sources ?? new Int32Array(targets.length);
    const labels = reuse?.edges ?? new Int32Array(targets.length);
    const fill = scratchInt32('fill', vertexCount, false);
    fill.set(predOffsets.subarray(0, vertexCount));
    for (let v = 0; v < vertexCount; v++) {
      for (let k = offsets[v]!; k < offsets[v + 1]!; k++) {
        const slot = fill[targets[k]!]!++;
        sources[slot] = v;
        labels[slot] = edges[k]!;
      }
    }
    lists = { offsets: predOffsets, sources, edges: labels };
    predecessorLists.set(successors.targets, lists);
  }
  return lists;
}

/**
 * Dominators of a flow graph after removing some vertices, from its dominators before. Only the vertices a
 * removed vertex has a route to (the affected region) can change: every route to any other vertex avoids the
 * removed ones, so its dominators stay. The region's dominators are those of a small flow graph: the old
 * dominator chains of the vertices that enter the region from outside (a vertex's dominators are exactly its
 * chain, so the chain stands for every route to it), the arcs entering the region, and the arcs inside it
 * (a route that enters the region never leaves it). Costs in proportion to the region, not to the graph,
 * plus one pass to renumber the dominator tree.
 */
export function dominatorsWithout(successors: ReachDominators['successors'], vertexCount: number, before: FlowDominators, removed: readonly number[], removedSoFar: Uint8Array, root = 0, into?: FlowDominators): FlowDominators {
  const { offsets, targets } = successors;
  const oldIdom = before.idom;
  const reachable = before.position;
  // 1 = removed, 2 = in the affected region.
  const region = new Uint8Array(vertexCount);
  const queue = scratchInt32('region', vertexCount, false);
  let tail = 0;
  for (const x of removed) if (x !== root && reachable[x]! >= 0 && region[x] === 0) { region[x] = 1; queue[tail++] = x; }
  const removedCount = tail;
  // A cut upstream of a cycle affects most of the graph (at 1M, 593,602 of 593,637 vertices): then the
  // whole graph again, without the removed vertices, costs less than copying the region into a small one. The
  // search stops as soon as the region is that large (searching on was a traversal of every arc per plan step).
  const largest = vertexCount / 4;
  let large = false;
  for (let head = 0; head < tail && !large; head++) {
    const v = queue[head]!;
    for (let k = offsets[v]!, end = offsets[v + 1]!; k < end; k++) {
      const w = targets[k]!;
      if (region[w] === 0 && reachable[w]! >= 0 && w !== root) {
        region[w] = 2;
        queue[tail++] = w;
        if (tail - removedCount > largest) { large = true; break; }
      }
    }
  }
  const preds = predecessorsOf(successors, vertexCount);
  // `into` (may be `before` itself): everything read from `before` below is read before it is written over.
  if (large) return immediateDominators(vertexCount, offsets, targets, root, removedSoFar, preds, into);
  const reuse = into !== undefined && into.idom.length === vertexCount && into.position.length === vertexCount;
  const idom = reuse ? into.idom : oldIdom.slice();
  if (idom !== oldIdom) idom.set(oldIdom);
  for (let i = 0; i < removedCount; i++) idom[queue[i]!] = -1;
  if (tail > removedCount) {
    // The small flow graph: local numbers, root 0, the region, then the chains of the vertices entering it.
    const local = new Int32Array(vertexCount).fill(-1);
    const globalOf = new IntList(Math.max(16, (tail - removedCount) * 2));
    const add = (v: number) => { local[v] = globalOf.length; globalOf.push(v); };
    add(root);
    for (let i = removedCount; i < tail; i++) add(queue[i]!);
    const arcFrom = new IntList(1 << 10);
    const arcTo = new IntList(1 << 10);
    for (let i = removedCount; i < tail; i++) {
      const a = queue[i]!;
      for (let k = preds.offsets[a]!, end = preds.offsets[a + 1]!; k < end; k++) {
        const u = preds.sources[k]!;
        if (region[u] !== 0 || reachable[u]! < 0) continue;
        // u keeps its dominators: its chain, added once, stands for every route to it.
        for (let y = u; local[y] === -1; y = oldIdom[y]!) {
          add(y);
          arcFrom.push(oldIdom[y]!);
          arcTo.push(y);
        }
        arcFrom.push(u);
        arcTo.push(a);
      }
      for (let k = offsets[a]!, end = offsets[a + 1]!; k < end; k++) {
        const w = targets[k]!;
        if (region[w] === 2) { arcFrom.push(a); arcTo.push(w); }
      }
    }
    const count = globalOf.length;
    const localOffsets = new Uint32Array(count + 1);
    for (let i = 0; i < arcFrom.length; i++) localOffsets[local[arcFrom.data[i]!]! + 1]!++;
    for (let v = 0; v < count; v++) localOffsets[v + 1]! += localOffsets[v]!;
    const localTargets = new Int32Array(arcFrom.length);
    const fill = localOffsets.slice(0, count);
    for (let i = 0; i < arcFrom.length; i++) localTargets[fill[local[arcFrom.data[i]!]!]!++] = local[arcTo.data[i]!]!;
    const small = immediateDominators(count, localOffsets, localTargets, 0);
    for (let i = removedCount; i < tail; i++) {
      const a = queue[i]!;
      const d = small.idom[local[a]!]!;
      idom[a] = d >= 0 ? globalOf.data[d]! : -1;
    }
  }
  // Renumber: a preorder of the new dominator tree, so that a dominator still precedes what it dominates.
  const childOffsets = new Int32Array(vertexCount + 1);
  for (let v = 0; v < vertexCount; v++) if (v !== root && idom[v]! >= 0) childOffsets[idom[v]! + 1]!++;
  for (let v = 0; v < vertexCount; v++) childOffsets[v + 1]! += childOffsets[v]!;
  const children = new Int32Array(childOffsets[vertexCount]!);
  const fill = childOffsets.slice(0, vertexCount);
  for (let v = 0; v < vertexCount; v++) if (v !== root && idom[v]! >= 0) children[fill[idom[v]!]!++] = v;
  // `reachable` (before.position) is not read from here on.
  const position = reuse ? into.position.fill(-1) : new Int32Array(vertexCount).fill(-1);
  const order = reuse && into.order.buffer.byteLength >= into.order.byteOffset + (children.length + 1) * 4 ? new Int32Array(into.order.buffer, into.order.byteOffset, children.length + 1) : new Int32Array(children.length + 1);
  let next = 0;
  const stack = queue;
  let top = 0;
  stack[top++] = root;
  while (top > 0) {
    const v = stack[--top]!;
    position[v] = next;
    order[next++] = v;
    for (let k = childOffsets[v + 1]! - 1; k >= childOffsets[v]!; k--) stack[top++] = children[k]!;
  }
  return { idom, order, position };
}

/**
 * The flow graph of a radius after a cut that removes exactly these vertices (a node's states, an edge's uses,
 * a grant's vertices), with `after` the radius under the cut: the same vertices and arcs, the dominators
 * updated over the region the cut affects (dominatorsWithout), the scores summed again.
 */
export function reachDominatorsWithout(graph: CompactGraph, flow: ReachDominators, removed: readonly number[], after: ReachResult, reuse = false): ReachDominators {
  // `reuse`: the caller never reads `flow` again (a plan's step before the last), so its dominators, scores and
  // removed flags are written over: 13 MB of ArrayBuffers per plan step at 1M nodes, each 64 MB of which V8
  // answers with a full collection of the snapshot's heap.
  const removedSoFar = reuse && flow.removedVertices ? flow.removedVertices : flow.removedVertices ? flow.removedVertices.slice() : new Uint8Array(flow.vertexCount);
  for (const vertex of removed) removedSoFar[vertex] = 1;
  const dominators = dominatorsWithout(flow.successors, flow.vertexCount, flow.dominators, removed, removedSoFar, 0, reuse ? flow.dominators : undefined);
  const dominatedScore = scoreDominated(graph, after, flow.stateVertex, dominators, flow.vertexCount, reuse ? flow.dominatedScore : undefined);
  return { ...flow, reach: after, dominators, dominatedScore, removedVertices: removedSoFar };
}

/**
 * The score lost by removing edges that have no use vertex of their own (their uses are plain arcs), read off
 * the dominator tree, or undefined when it cannot be (their uses reach more than one state, or none). When
 * the removed arcs are every arc into their one target state w from a vertex w does not dominate, w is no
 * longer reached and the loss is the score w dominates; otherwise w is still reached, every route through a
 * removed arc can enter w another way, and nothing is lost.
 */
export function edgeArcsLoss(flow: ReachDominators, edgeSet: readonly number[], graph: CompactGraph): number | undefined {
  const { offsets, targets, edges } = flow.successors;
  const { position, idom } = flow.dominators;
  const inSet = (e: number): boolean => edgeSet.includes(e);
  let target = -1;
  const visit = (from: number): boolean => {
    for (let k = offsets[from]!, end = offsets[from + 1]!; k < end; k++) {
      const e = edges[k]!;
      if (e < 0 || !inSet(e)) continue;
      const w = targets[k]!;
      if (target >= 0 && target !== w) return false;
      target = w;
    }
    return true;
  };
  const sources = new Set<number>();
  for (const e of edgeSet) {
    if (flow.hasEdgeVertices(e)) return undefined;
    sources.add(graph.edgeSrc[e]!);
  }
  for (const u of sources) {
    for (let l = 0; l < 3; l++) {
      const state = flow.stateVertex[u * 3 + l]!;
      if (state < 0 || position[state]! < 0) continue;
      if (!visit(state)) return undefined;
      // Granted edges leave through the state's grant vertices (vertexSlot -1, not the root).
      for (let k = offsets[state]!, end = offsets[state + 1]!; k < end; k++) {
        const g = targets[k]!;
        if (edges[k] === -1 && flow.vertexSlot[g] === -1 && position[g]! >= 0 && !visit(g)) return undefined;
      }
    }
  }
  if (target < 0 || position[target]! < 0) return undefined;
  const preds = predecessorsOf(flow.successors, flow.vertexCount);
  for (let k = preds.offsets[target]!, end = preds.offsets[target + 1]!; k < end; k++) {
    const p = preds.sources[k]!;
    if (position[p]! < 0) continue;
    const e = preds.edges[k]!;
    if (e >= 0 && inSet(e)) continue;
    // An arc from a vertex that target dominates is never a route's way in.
    let up = p;
    while (position[up]! > position[target]!) up = idom[up]!;
    if (up !== target) return 0;
  }
  return flow.dominatedScore[target]!;
}


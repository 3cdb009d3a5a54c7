// Choke points and the revocation plan: which single cut (revoke a credential, disable a principal, remove a
// grant or an edge) removes the most of a blast radius, and a greedy plan of cuts re-evaluated after each one.
import { BlastmapError } from '../errors.ts';
import { isCuttable, levelName, type Level } from '../schema/index.ts';
import { edgeIdAt, type CompactGraph } from '../store/compact.ts';
import { edgeArcsLoss, pointsTable, reachDominators, reachDominatorsWithout, scratchInt32, type ReachDominators } from './dominators.ts';
import { edgeAttributeIndex, edgesWithId, sameIdEdges } from './mitigations.ts';
import { CROWN_JEWEL_TAG, nodeRef, type NodeRef } from './radius.ts';
import { indexStates, reach, stateSlot, toInstant, witnessStates, type ReachOptions, type ReachOverlay, type ReachResult, type WitnessStates } from './reach.ts';
import { gradedKinds, nodePoints } from './score.ts';
import { vendorIndex } from './vendors.ts';

/** What an operator does: revoke a credential, disable a principal, remove a grant, remove an edge. */
export type CutAction = 'revoke' | 'disable' | 'remove-grant' | 'remove-edge';

export interface EdgeRef {
  edgeId: string;
  kind: string;
  from: NodeRef;
  to: NodeRef;
  scopes?: string[];
  grant?: string;
  reason?: string;
  conditions?: string[];
}

/** The same cut written as `blastmap whatif` mitigations, to replay or refine it. */
export type CutMitigation = { revoke: string } | { disable: string } | { removeEdge: string };

export interface Cut {
  action: CutAction;
  /** Node id (revoke, disable), grant id (remove-grant) or edge id (remove-edge). */
  id: string;
  /** What to call it: the node's name, the grant's credential name (or the grant id), or `from -KIND-> to`. */
  name: string;
  /** revoke and disable: the node, with its credential type or identity subtype when it has one. */
  node?: NodeRef & { type?: string };
  /** remove-grant and remove-edge: every edge treated as absent. */
  edges?: EdgeRef[];
  /** Edges the cut takes out of the graph (a node's own edges, or the removed edges): a proxy for what else it breaks. */
  edgesDisabled: number;
  /** remove-edge of a scoped delegation: `id` is the delegation's edge id and `edges` what the builder derived from it. */
  delegation?: true;
  mitigations: CutMitigation[];
}

export interface LostNode extends NodeRef {
  level: Level;
  points: number;
  crownJewel: boolean;
}

export interface LoweredNode extends NodeRef {
  levelBefore: Level;
  levelAfter: Level;
}

export interface CutEffect {
  scoreBefore: number;
  scoreAfter: number;
  /** scoreBefore - scoreAfter: never negative, because a cut never grows a radius. */
  removed: number;
  /** Reached before the cut, not at all after it. */
  lost: LostNode[];
  /** Still reached after the cut, at a lower level. */
  lowered: LoweredNode[];
  crownJewelsLost: NodeRef[];
}

export interface ChokePoint extends CutEffect {
  rank: number;
  cut: Cut;
  /** Other cuts with exactly the same effect (the same nodes lost and lowered), e.g. the edge to a credential. */
  equivalent: Cut[];
  /** removed / scoreBefore. */
  share: number;
}

export interface ChokePoints {
  sources: NodeRef[];
  at: string;
  maxDepth: number | null;
  score: number;
  reachedCount: number;
  /** Cuts that could change the radius (on a witness path), of which `chokePoints` are the best. */
  candidateCount: number;
  chokePoints: ChokePoint[];
}

export interface PlanStep extends CutEffect {
  step: number;
  cut: Cut;
  /** Other cuts that would remove exactly as much at this step. */
  alternatives: Cut[];
}

/** Why the plan has fewer steps than asked, or `steps` when it used them all. */
export type PlanStop = 'steps' | 'nothing-left' | 'no-single-cut-helps';

/** A plan's radius before any step and after all of them: what the preventive plan and the containment plan share. */
export interface PlanTotals {
  initialScore: number;
  finalScore: number;
  initialReached: number;
  finalReached: number;
  crownJewelsBefore: NodeRef[];
  /** Crown jewels still reached after every step. */
  crownJewelsAfter: NodeRef[];
}

export interface RevocationPlan extends PlanTotals {
  sources: NodeRef[];
  at: string;
  maxDepth: number | null;
  steps: PlanStep[];
  stoppedBecause: PlanStop;
}

export interface ChokePointOptions extends ReachOptions {
  /** How many choke points to report (default 10). */
  top?: number;
}

export interface PlanOptions extends ReachOptions {
  /** Most cuts to plan (default 5). */
  steps?: number;
  /** Equally good cuts listed per step (default 3). */
  alternatives?: number;
  /**
   * Containment (`blastmap respond`): also leave out cuts on the vendor's side (disabling a vendor's app, removing
   * a vendor's own grant), and when no single cut removes anything, still cut the path that carries the most,
   * so parallel paths are cut one by one instead of being left standing.
   */
  containment?: boolean;
}

/** A cut under evaluation: what it blocks and bounds on what it removes. */
interface Candidate {
  action: CutAction;
  /** Node id (revoke, disable), grant id, or edge id: read only when reported or when two cuts tie. */
  readonly id: string;
  nodes: number[];
  edges: number[];
  edgesDisabled: number;
  /** Score of the nodes whose witness path the cut touches: nothing else can be lost. */
  upper: number;
  /** Exact score removed, once known. */
  removed?: number;
  /** The one flow vertex that stands for the cut, when there is one: its dominator subtree is what the cut loses. */
  vertex?: number;
  /** Disabling a person's account: the costliest cut, taken after any other cut that removes as much. */
  human?: boolean;
  /** Row in the ranking's candidate set: the order of cuts that compare equal. */
  seq?: number;
}

/**
 * The candidate cuts of one ranking, in the order they were found (nodes, grants, delegations, edge groups).
 * An enterprise radius has hundreds of thousands of single-node and single-edge cuts: those are typed rows,
 * made into Candidate objects only when measured or ranked (one object each, per step, was most of the
 * garbage the plan made); the rest are objects from the start.
 */
interface CandidateSet {
  count: number;
  /** Per row: NODE_ROW (subject is the node), EDGE_ROW (subject is the edge) or OBJECT_ROW (subject indexes objects). */
  kind: Uint8Array;
  subject: Int32Array;
  upper: Float64Array;
  objects: Candidate[];
  /** The Candidate of a row (a new object for a typed row). */
  candidate: (row: number) => Candidate;
}
const NODE_ROW = 0;
const EDGE_ROW = 1;
const OBJECT_ROW = 2;

/** A cut of edges whose id is built only when read (an enterprise radius has hundreds of thousands of witness edges). */
function edgeCandidate(graph: CompactGraph, edges: number[], upper: number): Candidate {
  let id: string | undefined;
  return {
    action: 'remove-edge', nodes: [], edges, edgesDisabled: edges.length, upper,
    get id() { return (id ??= edgeIdAt(graph, edges[0]!)); },
  };
}

const ACTION_RANK: Record<CutAction, number> = { revoke: 0, disable: 1, 'remove-grant': 2, 'remove-edge': 2 };
/** Disabling a human comes after every other kind of cut that removes as much. */
const HUMAN_RANK = 3;
const actionRank = (cut: Candidate): number => (cut.human ? HUMAN_RANK : ACTION_RANK[cut.action]);

/**
 * Order of cuts removing the same score: revoking a credential first (it works even when the attacker
 * already copied the secret, which removing a path to it does not), then disabling a non-human principal,
 * then grant and edge removals, then disabling a person's account; then the cut that takes out fewer edges;
 * then a grant before a bare edge; then by id.
 */
function compareCuts(a: Candidate, b: Candidate, tolerance: number): number {
  const difference = (b.removed ?? 0) - (a.removed ?? 0);
  if (Math.abs(difference) > tolerance) return difference;
  return actionRank(a) - actionRank(b)
    || a.edgesDisabled - b.edgesDisabled
    || Number(a.action === 'remove-edge') - Number(b.action === 'remove-edge')
    || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Scores are sums of small numbers; two cuts within this of each other remove the same. */
const toleranceFor = (score: number): number => 1e-9 * Math.max(1, Math.abs(score));

/** An overlay the plan writes cuts into; `blockedEdges` is made when a cut first removes an edge. */
interface WorkingOverlay {
  blockedNodes: Uint8Array;
  blockedEdges?: Uint8Array;
}

/**
 * A private, writable copy of the caller's overlay: cuts accumulate in it. The per-edge flags (8 MB at 8M edges,
 * three copies per `blastmap plan`) are copied only when the caller blocked an edge, and made only when a cut
 * removes one: an overlay without them blocks no edge, and V8 answers every 64 MB of ArrayBuffers with a full
 * collection of the snapshot's heap.
 */
function workingOverlay(graph: CompactGraph, overlay: ReachOverlay | undefined): WorkingOverlay {
  const working: WorkingOverlay = { blockedNodes: overlay?.blockedNodes ? overlay.blockedNodes.slice() : new Uint8Array(graph.nodeCount) };
  // reach() blocks an edge whose flag is 1; none is when no flag is.
  if (overlay?.blockedEdges && overlay.blockedEdges.indexOf(1) >= 0) working.blockedEdges = overlay.blockedEdges.slice();
  return working;
}

/** Applies a cut to the overlay and returns a function that undoes it. */
function applyCut(graph: CompactGraph, overlay: WorkingOverlay, cut: Candidate): () => void {
  const blockedEdges = cut.edges.length > 0 ? (overlay.blockedEdges ??= new Uint8Array(graph.edgeCount)) : undefined;
  const nodes = cut.nodes.map((v) => overlay.blockedNodes[v]!);
  const edges = cut.edges.map((e) => blockedEdges![e]!);
  for (const v of cut.nodes) overlay.blockedNodes[v] = 1;
  for (const e of cut.edges) blockedEdges![e] = 1;
  return () => {
    cut.nodes.forEach((v, i) => { overlay.blockedNodes[v] = nodes[i]!; });
    cut.edges.forEach((e, i) => { blockedEdges![e] = edges[i]!; });
  };
}

/** The radius's score (scoreOrder, summed in the same order), with the point tables looked up once. */
function scoreOf(graph: CompactGraph, result: ReachResult): number {
  const points = pointsTable(graph);
  const isSource = new Set(result.sources);
  let score = 0;
  for (const v of result.order) if (!isSource.has(v)) score += points(v, result.level[v]!);
  return score;
}

interface CandidateScratch {
  /** Per (node, level) slot: the index of that state among the radius's kept states, -1 when not kept. Reset after each ranking. */
  stateOf: Int32Array;
  /** Per state: the score of the best-level states whose witness path passes there (the witness subtree's weight). */
  below: Float64Array;
  /** Per state: its number of hops. */
  depthOf: Int32Array;
  /** States in the order their weight is passed up (decreasing hops). */
  ordered: Int32Array;
  /** Bit per edge: on a witness path; taken into an edge group. */
  isWitness: Uint32Array;
  grouped: Uint32Array;
  /** The candidate rows, grown when a ranking needs more. */
  kind: Uint8Array;
  subject: Int32Array;
  upper: Float64Array;
  /** rankCuts' per-row exact score and flow vertex. */
  removed: Float64Array;
  vertexOf: Int32Array;
}

/**
 * Per graph, the large work arrays of candidateCuts and rankCuts, reused by every ranking. V8 answers each 64 MB
 * of ArrayBuffers allocated outside its heap with a full collection, which walks the whole snapshot's heap (0.3
 * to 0.6 s each at 1M nodes), so they are few and small: the witness tree's weights are per kept state (about
 * 450,000 at 1M nodes) rather than per (node, level) slot (3M), with one slot-to-state index of 12 MB, and the
 * per-edge flags are bits (1 MB each for 8M edges). Per slot they were 67 MB.
 */
const candidateScratches = new WeakMap<CompactGraph, CandidateScratch>();
function candidateScratch(graph: CompactGraph, stateCount: number): CandidateScratch {
  let scratch = candidateScratches.get(graph);
  const words = (graph.edgeCount >>> 5) + 1;
  if (!scratch) {
    scratch = {
      stateOf: new Int32Array(graph.nodeCount * 3).fill(-1), below: new Float64Array(0), depthOf: new Int32Array(0), ordered: new Int32Array(0),
      isWitness: new Uint32Array(words), grouped: new Uint32Array(words),
      kind: new Uint8Array(0), subject: new Int32Array(0), upper: new Float64Array(0), removed: new Float64Array(0), vertexOf: new Int32Array(0),
    };
    candidateScratches.set(graph, scratch);
  } else {
    scratch.isWitness.fill(0);
    scratch.grouped.fill(0);
  }
  if (scratch.below.length < stateCount) {
    const size = Math.ceil(stateCount * 1.25);
    scratch.below = new Float64Array(size);
    scratch.depthOf = new Int32Array(size);
    scratch.ordered = new Int32Array(size);
  } else scratch.below.fill(0, 0, stateCount);
  return scratch;
}

/** The scratch's candidate rows, at least `capacity` long (contents undefined). */
function candidateRows(scratch: CandidateScratch, capacity: number): void {
  if (scratch.kind.length >= capacity) return;
  const size = Math.ceil(capacity * 1.25);
  scratch.kind = new Uint8Array(size);
  scratch.subject = new Int32Array(size);
  scratch.upper = new Float64Array(size);
  scratch.removed = new Float64Array(size);
  scratch.vertexOf = new Int32Array(size);
}

/** The kept states of a radius: rankCuts ranks only what its own reach() returned. */
function keptStates(result: ReachResult): WitnessStates {
  const kept = witnessStates(result);
  if (!kept) throw new Error('engine/analysis: cuts are ranked on a radius made by reach()');
  return kept;
}

/**
 * Every cut that can change the radius, with an upper bound on what it removes. A cut that touches no
 * witness path removes nothing (every node keeps its witness path, hence its level), so the candidates are
 * the reached nodes that can be cut (credentials and principals, never a source), the edges on witness paths
 * (by edge id), and the grants those edges derive from. Only witness edges are looked at: no index of every
 * edge of the graph is built.
 */
function candidateCuts(graph: CompactGraph, result: ReachResult, containment = false): CandidateSet {
  const { byGrant, byDelegation } = edgeAttributeIndex(graph);
  const { vendorSide } = vendorIndex(graph);
  const holdsCode = graph.edgeKindNames.indexOf('HOLDS');
  const isSource = new Set(result.sources);
  const graded = gradedKinds(graph);
  const { states, parents, held, depthStarts } = keptStates(result);
  const stateCount = states.length;
  const scratch = candidateScratch(graph, stateCount);
  const { stateOf, below, depthOf, ordered, isWitness, grouped } = scratch;
  const edgeSrcOf = graph.edgeSrc;
  const isSet = (bits: Uint32Array, e: number): boolean => (bits[e >>> 5]! & (1 << (e & 31))) !== 0;
  const set = (bits: Uint32Array, e: number): void => { bits[e >>> 5]! |= 1 << (e & 31); };

  // Witness tree over states: subtree weight = score of the best-level states whose witness path passes there.
  // States by decreasing hops (a counting sort: hops are small; the bucket sizes are the traversal's counts per
  // depth), in the radius order and by level within a depth, so a state's weight is complete before it is passed
  // up and every weight is summed in the same order as over the per-slot arrays this replaced.
  const maxHops = depthStarts.length;
  const starts = new Int32Array(maxHops + 2);
  let depth = 0;
  for (let q = 0; q < stateCount; q++) {
    while (depth < depthStarts.length && depthStarts[depth]! <= q) depth++;
    const state = states[q]!;
    stateOf[stateSlot(state)] = q;
    depthOf[q] = depth;
    starts[maxHops - depth + 1]!++;
  }
  for (let i = 0; i <= maxHops; i++) starts[i + 1]! += starts[i]!;
  for (const v of result.order) {
    for (let l = 0; l < 3; l++) {
      const q = stateOf[v * 3 + l]!;
      if (q >= 0) ordered[starts[maxHops - depthOf[q]!]!++] = q;
    }
  }
  const points = pointsTable(graph);
  // Each reached node adds its points once, to its own best-level state: in node order, the slot index is read
  // front to back instead of at random (the radius order).
  const { level } = result;
  for (let v = 0; v < graph.nodeCount; v++) {
    const l = level[v]!;
    if (l !== 0 && !isSource.has(v)) below[stateOf[v * 3 + l - 1]!]! += points(v, l);
  }
  const witnessEdges: number[] = [];
  for (let i = 0; i < stateCount; i++) {
    const q = ordered[i]!;
    const e = parents[q]!;
    if (e < 0) continue;
    below[stateOf[edgeSrcOf[e]! * 3 + held[q]! - 1]!]! += below[q]!;
    if (!isSet(isWitness, e)) { set(isWitness, e); witnessEdges.push(e); }
  }
  /** Weight of the states edge e is the witness of: they are states of its target. */
  const edgeUpper = (e: number): number => {
    if (!isSet(isWitness, e)) return 0;
    const base = graph.edgeDst[e]! * 3;
    let sum = 0;
    for (let l = 0; l < 3; l++) {
      const q = stateOf[base + l]!;
      if (q >= 0 && parents[q] === e) sum += below[q]!;
    }
    return sum;
  };
  // Summing overlapping subtrees only loosens the bound, which stays an upper bound.
  const upperOfEdges = (edges: readonly number[]): number => {
    let sum = 0;
    for (const e of edges) sum += edgeUpper(e);
    return sum;
  };

  const grants = new Set<string>();
  const delegations = new Set<string>();
  const cuttableKind = graph.edgeKindNames.map((name) => isCuttable(graph.schema.edgeKinds[name]));
  const edgeGroups: (number | number[])[] = [];
  for (const e of witnessEdges) {
    const attrs = graph.edgeAttrs[e];
    if (attrs?.grant !== undefined) grants.add(attrs.grant);
    // An edge derived from a scoped delegation is removed by removing the delegation, not on its own.
    if (attrs?.derivedFrom !== undefined) { delegations.add(attrs.derivedFrom); continue; }
    // A group with a structural edge is never a cut (below): no need to find its twins.
    if (isSet(grouped, e) || !cuttableKind[graph.edgeKind[e]!]) continue;
    const edges = sameIdEdges(graph, e);
    for (const f of edges) set(grouped, f);
    edgeGroups.push(edges.length === 1 ? e : edges);
  }
  // One row per node cut, grant, delegation and edge group at most: sized from them (twice the witness edges
  // before, 11 MB more of ArrayBuffers at 1M nodes).
  candidateRows(scratch, result.order.length + grants.size + delegations.size + edgeGroups.length + 1);
  const { kind, subject, upper: upperOf } = scratch;
  const objects: Candidate[] = [];
  let count = 0;
  const addRow = (rowKind: number, value: number, upper: number) => {
    kind[count] = rowKind;
    subject[count] = value;
    upperOf[count++] = upper;
  };
  const addObject = (candidate: Candidate) => {
    addRow(OBJECT_ROW, objects.length, candidate.upper);
    objects.push(candidate);
  };
  for (const v of result.order) {
    if (isSource.has(v) || graded[graph.nodeKind[v]!] === 1) continue;
    // The customer cannot disable what runs in the vendor's environment; it revokes what the vendor was given.
    if (containment && vendorSide[v] === 1) continue;
    let upper = 0;
    for (let l = 0; l < 3; l++) {
      const q = stateOf[v * 3 + l]!;
      if (q >= 0) upper += below[q]!;
    }
    addRow(NODE_ROW, v, upper);
  }
  for (const grant of grants) {
    const edges = byGrant.get(grant)!;
    addObject({ action: 'remove-grant', id: grant, nodes: [], edges, edgesDisabled: edges.length, upper: upperOfEdges(edges) });
  }
  for (const id of delegations) {
    const edges = [...edgesWithId(graph, id), ...byDelegation.get(id)!];
    if (containment && edges.every((e) => vendorSide[graph.edgeSrc[e]!] === 1)) continue;
    addObject({ action: 'remove-edge', id, nodes: [], edges, edgesDisabled: edges.length, upper: upperOfEdges(edges) });
  }
  const single: number[] = [0];
  for (const group of edgeGroups) {
    let edges: readonly number[];
    if (typeof group === 'number') { single[0] = group; edges = single; } else edges = group;
    // A grant with this one edge is the same cut, better named.
    const grant = graph.edgeAttrs[edges[0]!]?.grant;
    if (edges.length === 1 && grant !== undefined && byGrant.get(grant)!.length === 1) continue;
    // Structural edges (a container's parts, an administrator's reach) are not something a responder removes.
    if (!edges.every((e) => cuttableKind[graph.edgeKind[e]!])) continue;
    // Nobody can make a vendor forget a credential it holds: revoking the credential is the action.
    if (edges.some((e) => graph.edgeKind[e] === holdsCode && vendorSide[graph.edgeSrc[e]!] === 1)) continue;
    // Nor take back what the vendor granted itself in its own environment.
    if (containment && edges.every((e) => vendorSide[graph.edgeSrc[e]!] === 1)) continue;
    if (typeof group === 'number') addRow(EDGE_ROW, group, edgeUpper(group));
    else addObject(edgeCandidate(graph, group, upperOfEdges(group)));
  }
  // Back to "nothing reached" for the next ranking.
  indexStates(stateOf, states, -1);
  const candidate = (row: number): Candidate => {
    const value = subject[row]!;
    if (kind[row] === OBJECT_ROW) return objects[value]!;
    if (kind[row] === EDGE_ROW) return edgeCandidate(graph, [value], upperOf[row]!);
    const record = graph.nodes[value]!;
    const made: Candidate = {
      action: graph.schema.nodeKinds[record.kind]!.principal ? 'disable' : 'revoke', id: record.id, nodes: [value], edges: [],
      edgesDisabled: graph.fwdOffsets[value + 1]! - graph.fwdOffsets[value]! + graph.revOffsets[value + 1]! - graph.revOffsets[value]!, upper: upperOf[row]!,
    };
    if (record.kind === 'Identity' && record.subtype === 'human') made.human = true;
    return made;
  };
  return { count, kind, subject, upper: upperOf, objects, candidate };
}

/** The radius under the overlay, as a ranking with nothing ranked (what a plan reads after its last step). */
function radiusLeft(graph: CompactGraph, sources: readonly number[], options: ReachOptions): RankedCuts {
  const result = reach(graph, sources, options);
  return { result, score: scoreOf(graph, result), candidateCount: 0, ranked: [] };
}

interface RankedCuts {
  result: ReachResult;
  score: number;
  candidateCount: number;
  /** The best `count` cuts that remove something, best first, each with its exact `removed`. */
  ranked: Candidate[];
  /** Containment only: when no single cut removes anything, the cut on the witness paths that carry the most. */
  fallback?: Candidate;
  /** The flow graph the exact scores came from (absent when nothing was ranked). */
  flow?: ReachDominators;
}

/**
 * The flow vertices a cut removes (those the root still reaches), or undefined when the flow graph cannot
 * say (an edge without use vertices of its own). Stops early once more than `most` are found.
 */
function cutVertices(flow: ReachDominators, candidate: Candidate, most = Infinity): number[] | undefined {
  const alive = flow.dominators.position;
  const vertices: number[] = [];
  for (const v of candidate.nodes) {
    for (let l = 1; l <= 3; l++) {
      const state = flow.stateVertex[v * 3 + l - 1]!;
      if (state >= 0 && alive[state]! >= 0) vertices.push(state);
    }
  }
  if (candidate.action === 'remove-grant') {
    for (const vertex of flow.grantVertices.get(candidate.id) ?? []) if (alive[vertex]! >= 0) vertices.push(vertex);
  } else {
    for (const e of candidate.edges) {
      if (!flow.hasEdgeVertices(e)) return undefined;
      for (const vertex of flow.edgeVertices(e)) if (alive[vertex]! >= 0) vertices.push(vertex);
      if (vertices.length > most) break;
    }
  }
  return vertices;
}

/** A flow graph to start the next ranking from: the previous one and the vertices the cut since removed. */
interface FlowAfterCut {
  flow: ReachDominators;
  removed: number[];
  /** `flow` is read by nothing after this ranking (not the plan's first: the choke points read that one), so its arrays are written over. */
  reuse: boolean;
}

/**
 * The best `count` cuts under the working overlay. Dominators give the exact score of every cut that one
 * flow-graph vertex stands for (most of them: credentials, principals, single-use edges and grants); the
 * others are evaluated by a fresh reach, in decreasing order of their upper bound, only while that bound
 * can still beat or tie the `count`-th best found. Only the cuts that can make the first `count` are sorted.
 * With `previous` (a plan's next step), the flow graph is the previous step's with the cut's vertices
 * removed, and only the dominators of what the cut affects are recomputed.
 */
function rankCuts(graph: CompactGraph, sources: readonly number[], options: ReachOptions, overlay: WorkingOverlay, count: number, containment = false, previous?: FlowAfterCut): RankedCuts {
  const reachOptions: ReachOptions = { ...options, overlay };
  const result = reach(graph, sources, reachOptions);
  const score = scoreOf(graph, result);
  const tolerance = toleranceFor(score);
  const candidates = candidateCuts(graph, result, containment);
  const { kind, subject, upper } = candidates;
  const rows = candidates.count;
  if (score <= tolerance || count <= 0) return { result, score, candidateCount: rows, ranked: [] };

  let flow: ReachDominators;
  if (previous) flow = reachDominatorsWithout(graph, previous.flow, previous.removed, result, previous.reuse);
  else {
    const edgesAsked = new Uint8Array(graph.edgeCount);
    for (let row = 0; row < rows; row++) if (kind[row] === EDGE_ROW) edgesAsked[subject[row]!] = 1;
    for (const candidate of candidates.objects) if (candidate.action === 'remove-edge') for (const e of candidate.edges) edgesAsked[e] = 1;
    flow = reachDominators(graph, sources, reachOptions, result, edgesAsked);
  }
  // Exact score removed per row (NaN: not known yet), and the one flow vertex that stands for the cut (-1: none).
  // The scratch candidateCuts just used (its rows are this ranking's).
  const { removed, vertexOf } = candidateScratches.get(graph)!;
  removed.fill(Number.NaN, 0, rows);
  vertexOf.fill(-1, 0, rows);
  const alive = flow.dominators.position;
  for (let row = 0; row < rows; row++) {
    if (upper[row]! <= tolerance) {
      removed[row] = 0;
      continue;
    }
    if (!flow.exact) continue;
    const value = subject[row]!;
    let vertex = -1;
    let found = 0;
    if (kind[row] === NODE_ROW) {
      for (let l = 0; l < 3; l++) {
        const state = flow.stateVertex[value * 3 + l]!;
        if (state >= 0 && alive[state]! >= 0) { vertex = state; found++; }
      }
    } else if (kind[row] === EDGE_ROW && flow.hasEdgeVertices(value)) {
      for (const use of flow.edgeVertices(value)) if (alive[use]! >= 0) { vertex = use; found++; }
    } else if (kind[row] === EDGE_ROW) {
      // A flow graph kept from an earlier step has no use vertex for an edge that became a witness since.
      const loss = edgeArcsLoss(flow, [value], graph);
      if (loss !== undefined) removed[row] = loss;
      continue;
    } else {
      const candidate = candidates.objects[value]!;
      const vertices = cutVertices(flow, candidate, 1);
      if (vertices === undefined) {
        const loss = edgeArcsLoss(flow, candidate.edges, graph);
        if (loss !== undefined) removed[row] = loss;
        continue;
      }
      found = vertices.length;
      vertex = vertices[0] ?? -1;
    }
    if (found === 1) {
      vertexOf[row] = vertex;
      removed[row] = flow.dominatedScore[vertex]!;
    }
  }

  // The `count` best scores so far, best first: a cut below the last one cannot be ranked.
  const best = new Float64Array(count).fill(-Infinity);
  const admit = (value: number) => {
    if (!(value > best[count - 1]!)) return;
    let i = count - 1;
    for (; i > 0 && best[i - 1]! < value; i--) best[i] = best[i - 1]!;
    best[i] = value;
  };
  const pending: number[] = [];
  for (let row = 0; row < rows; row++) {
    if (Number.isNaN(removed[row]!)) pending.push(row);
    else admit(removed[row]!);
  }
  pending.sort((a, b) => upper[b]! - upper[a]! || a - b);
  for (const row of pending) {
    if (upper[row]! < best[count - 1]! - tolerance) break;
    const undo = applyCut(graph, overlay, candidates.candidate(row));
    const after = reach(graph, sources, reachOptions);
    undo();
    removed[row] = score - scoreOf(graph, after);
    admit(removed[row]!);
  }
  const threshold = best[count - 1]! - tolerance;
  const made = (row: number): Candidate => {
    const candidate = candidates.candidate(row);
    candidate.removed = removed[row]!;
    candidate.seq = row;
    if (vertexOf[row]! >= 0) candidate.vertex = vertexOf[row]!;
    return candidate;
  };
  const ranked: Candidate[] = [];
  for (let row = 0; row < rows; row++) if (removed[row]! > tolerance && removed[row]! >= threshold) ranked.push(made(row));
  // Rows are in the order the candidates were found, which breaks the ties compareCuts leaves.
  ranked.sort((a, b) => compareCuts(a, b, tolerance) || a.seq! - b.seq!);
  ranked.length = Math.min(ranked.length, count);
  if (ranked.length === 0 && containment) {
    // Parallel paths: no one cut helps, but cutting the heaviest witness path makes the next cut count.
    const order = (a: Candidate, b: Candidate) => b.upper - a.upper || actionRank(a) - actionRank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    let fallback: Candidate | undefined;
    for (let row = 0; row < rows; row++) {
      if (!(upper[row]! > tolerance) || (fallback !== undefined && upper[row]! < fallback.upper)) continue;
      const candidate = candidates.candidate(row);
      if (fallback === undefined || order(candidate, fallback) < 0) fallback = candidate;
    }
    if (fallback) {
      fallback.removed = 0;
      return { result, score, candidateCount: rows, ranked, fallback, flow };
    }
  }
  return { result, score, candidateCount: rows, ranked, flow };
}

function edgeRef(graph: CompactGraph, e: number, edgeId: string): EdgeRef {
  const attrs = graph.edgeAttrs[e];
  const view: EdgeRef = {
    edgeId,
    kind: graph.edgeKindNames[graph.edgeKind[e]!]!,
    from: nodeRef(graph, graph.edgeSrc[e]!),
    to: nodeRef(graph, graph.edgeDst[e]!),
  };
  if (attrs?.scopes) view.scopes = attrs.scopes;
  if (attrs?.grant) view.grant = attrs.grant;
  if (attrs?.reason) view.reason = attrs.reason;
  if (attrs?.conditions) view.conditions = attrs.conditions;
  return view;
}

/** The report value of a cut. */
function describeCut(graph: CompactGraph, candidate: Candidate): Cut {
  if (candidate.action === 'revoke' || candidate.action === 'disable') {
    const v = candidate.nodes[0]!;
    const record = graph.nodes[v]!;
    const node: NodeRef & { type?: string } = nodeRef(graph, v);
    const type = record.type ?? record.subtype;
    if (type !== undefined) node.type = type;
    const mitigation: CutMitigation = candidate.action === 'revoke' ? { revoke: record.id } : { disable: record.id };
    return { action: candidate.action, id: candidate.id, name: record.name, node, edgesDisabled: candidate.edgesDisabled, mitigations: [mitigation] };
  }
  const edges = candidate.edges.map((e) => edgeRef(graph, e, edgeIdAt(graph, e)));
  const delegation = candidate.action === 'remove-edge' && candidate.edges.some((e) => graph.edgeAttrs[e]?.derivedFrom === candidate.id);
  // A delegation is removed as one (whatif's removeEdge of its id takes its derived edges with it).
  const mitigations: CutMitigation[] = delegation ? [{ removeEdge: candidate.id }] : [...new Set(edges.map((edge) => edge.edgeId))].map((removeEdge) => ({ removeEdge }));
  let name: string;
  if (delegation) {
    const own = edges.find((edge) => edge.edgeId === candidate.id && edge.kind === 'DELEGATED_AS');
    name = own ? `${own.from.name} -DELEGATED_AS-> ${own.to.name}` : `delegation ${candidate.id}`;
  } else if (candidate.action === 'remove-grant') {
    const holder = graph.indexOf.get(candidate.id);
    name = holder !== undefined ? graph.nodes[holder]!.name : candidate.id;
  } else {
    const first = edges[0]!;
    name = `${first.from.name} -${first.kind}-> ${first.to.name}`;
  }
  const cut: Cut = { action: candidate.action, id: candidate.id, name, edges, edgesDisabled: candidate.edgesDisabled, mitigations };
  if (delegation) cut.delegation = true;
  return cut;
}

const isCrownJewel = (graph: CompactGraph, v: number): boolean => graph.nodes[v]!.tags?.includes(CROWN_JEWEL_TAG) ?? false;

/** The effect of a cut from the nodes it changes: each with its level before and after (0 = lost). */
function effectOf(graph: CompactGraph, changed: readonly (readonly [number, number, number])[], scoreBefore: number, scoreAfter: number): CutEffect {
  const lost: LostNode[] = [];
  const lowered: LoweredNode[] = [];
  for (const [v, was, now] of changed) {
    if (now === 0) lost.push({ ...nodeRef(graph, v), level: levelName(was), points: nodePoints(graph, v, was), crownJewel: isCrownJewel(graph, v) });
    else if (now < was) lowered.push({ ...nodeRef(graph, v), levelBefore: levelName(was), levelAfter: levelName(now) });
  }
  lost.sort((a, b) => Number(b.crownJewel) - Number(a.crownJewel) || b.points - a.points || a.id.localeCompare(b.id));
  lowered.sort((a, b) => a.id.localeCompare(b.id));
  const crownJewelsLost = lost.filter((entry) => entry.crownJewel).map(({ id, name, kind, platform, tenant }) => ({ id, name, kind, platform, tenant }));
  return { scoreBefore, scoreAfter, removed: scoreBefore - scoreAfter, lost, lowered, crownJewelsLost };
}

function cutEffect(graph: CompactGraph, before: ReachResult, after: ReachResult, scoreBefore: number, scoreAfter: number): CutEffect {
  const isSource = new Set(before.sources);
  const changed: [number, number, number][] = [];
  for (const v of before.order) {
    if (isSource.has(v)) continue;
    if (after.level[v]! < before.level[v]!) changed.push([v, before.level[v]!, after.level[v]!]);
  }
  return effectOf(graph, changed, scoreBefore, scoreAfter);
}

/**
 * The dominator tree in preorder, built once per flow graph: a vertex's subtree is the run of `preorder` from its
 * own position to `last[vertex]`, so a choke point's subtree is read as one slice and "inside the subtree" is
 * two comparisons (a Set of each subtree's vertices, hundreds of thousands for the first choke points at 1M
 * nodes, was most of measuring them).
 */
interface DominatorPreorder {
  preorder: Int32Array;
  /** Per vertex: its index in `preorder`, -1 when the root does not reach it. */
  position: Int32Array;
  /** Per vertex: the index in `preorder` of the last vertex of its subtree. */
  last: Int32Array;
}
const dominatorPreorders = new WeakMap<ReachDominators, DominatorPreorder>();
function dominatorPreorder(flow: ReachDominators): DominatorPreorder {
  let tree = dominatorPreorders.get(flow);
  if (!tree) {
    const { idom, order } = flow.dominators;
    // The children lists and the walk's stack live only here: Semi-NCA's reused work arrays (no call overlaps).
    const offsets = scratchInt32('predOffsets', flow.vertexCount + 1, true);
    for (let i = 1; i < order.length; i++) offsets[idom[order[i]!]! + 1]!++;
    for (let v = 0; v < flow.vertexCount; v++) offsets[v + 1]! += offsets[v]!;
    const children = scratchInt32('preds', Math.max(0, order.length - 1), false);
    const fill = scratchInt32('fill', flow.vertexCount, false);
    fill.set(offsets.subarray(0, flow.vertexCount));
    for (let i = 1; i < order.length; i++) children[fill[idom[order[i]!]!]!++] = order[i]!;
    const preorder = new Int32Array(order.length);
    const position = new Int32Array(flow.vertexCount).fill(-1);
    const last = new Int32Array(flow.vertexCount).fill(-1);
    // Iterative depth-first walk: a vertex is numbered when pushed out, its subtree closed when its children are done.
    const stack = scratchInt32('stack', order.length * 2, false);
    let top = 0;
    let next = 0;
    if (order.length > 0) { stack[top++] = order[0]!; }
    while (top > 0) {
      const entry = stack[--top]!;
      if (entry < 0) { last[~entry] = next - 1; continue; }
      position[entry] = next;
      preorder[next++] = entry;
      stack[top++] = ~entry;
      for (let k = offsets[entry + 1]! - 1; k >= offsets[entry]!; k--) stack[top++] = children[k]!;
    }
    tree = { preorder, position, last };
    dominatorPreorders.set(flow, tree);
  }
  return tree;
}

/**
 * The effect of removing one flow vertex, read off the dominator tree without another traversal: the states
 * it dominates are exactly those no route reaches any more, so a node falls to its best state outside that
 * subtree (none: lost). Exact only when the flow graph is (no depth bound).
 */
function cutEffectFromFlow(graph: CompactGraph, flow: ReachDominators, vertex: number, scoreBefore: number): CutEffect {
  const { preorder, position, last } = dominatorPreorder(flow);
  const result = flow.reach;
  const from = position[vertex]!;
  const to = last[vertex]!;
  const inside = (state: number): boolean => position[state]! >= from && position[state]! <= to;
  const isSource = new Set(result.sources);
  const changed: [number, number, number][] = [];
  const { level } = result;
  for (let i = from; i <= to; i++) {
    const slot = flow.vertexSlot[preorder[i]!]!;
    if (slot < 0) continue;
    const x = (slot / 3) | 0;
    // A node changes only when the state of its best level is in the subtree: looked at from that state, once.
    if (slot - x * 3 + 1 !== level[x] || isSource.has(x)) continue;
    let now = 0;
    for (let l = 3; l >= 1 && now === 0; l--) {
      const state = flow.stateVertex[x * 3 + l - 1]!;
      if (state >= 0 && flow.dominators.position[state]! >= 0 && !inside(state)) now = l;
    }
    if (now < level[x]!) changed.push([x, level[x]!, now]);
  }
  return effectOf(graph, changed, scoreBefore, scoreBefore - flow.dominatedScore[vertex]!);
}

/** The crown jewels a radius reaches (not its sources), by id. */
function crownJewelIndices(graph: CompactGraph, result: ReachResult): number[] {
  const isSource = new Set(result.sources);
  const { nodes } = graph;
  return result.order.filter((v) => !isSource.has(v) && isCrownJewel(graph, v)).sort((a, b) => nodes[a]!.id.localeCompare(nodes[b]!.id));
}

function checkCount(name: string, value: number | undefined, fallback: number): number {
  const count = value ?? fallback;
  if (!Number.isInteger(count) || count < 0) throw new BlastmapError('INVALID_OPTION', `engine/analysis: ${name} must be a whole number of at least 0, got ${count}`);
  return count;
}

/**
 * The single cuts that remove the most of the radius, best first, each re-measured with the cut applied:
 * the credentials, principals, grants and edges most of the radius depends on.
 */
export function chokePoints(graph: CompactGraph, sources: readonly number[], options: ChokePointOptions = {}): ChokePoints {
  return chokePointsFrom(graph, sources, options);
}

/** chokePoints, starting from a ranking already made under the same overlay (at least `top * 3` deep). */
function chokePointsFrom(graph: CompactGraph, sources: readonly number[], options: ChokePointOptions, initial?: { ranking: RankedCuts; count: number }): ChokePoints {
  const top = checkCount('top', options.top, 10);
  const { top: _top, ...rest } = options;
  // One instant for every traversal, so no cut is measured a millisecond later than the others.
  const reachOptions: ReachOptions = { ...rest, at: toInstant(options.at) };
  const overlay = workingOverlay(graph, options.overlay);
  const withOverlay: ReachOptions = { ...reachOptions, overlay };
  // Cuts with the same effect are one choke point. Rankings are prefix-stable (a total order on exact
  // scores), so asking for more cuts only appends: widen until `top` distinct effects are found.
  const groups = new Map<string, { candidate: Candidate; effect: CutEffect; equivalent: Candidate[] }>();
  let count = initial?.count ?? Math.max(1, top * 3);
  let measured = 0;
  let ranking = initial?.ranking ?? rankCuts(graph, sources, reachOptions, overlay, top > 0 ? count : 0);
  for (;;) {
    for (; measured < ranking.ranked.length; measured++) {
      const candidate = ranking.ranked[measured]!;
      const full = groups.size >= top;
      // Once `top` effects are found, only cuts as good as the last one can still be equivalents.
      if (full && candidate.removed! < [...groups.values()].at(-1)!.effect.removed - toleranceFor(ranking.score)) break;
      let effect: CutEffect;
      if (candidate.vertex !== undefined && ranking.flow?.exact) effect = cutEffectFromFlow(graph, ranking.flow, candidate.vertex, ranking.score);
      else {
        const undo = applyCut(graph, overlay, candidate);
        const after = reach(graph, sources, withOverlay);
        undo();
        effect = cutEffect(graph, ranking.result, after, ranking.score, scoreOf(graph, after));
      }
      const signature = `${effect.lost.map((n) => n.id).join('\n')}\u0000${effect.lowered.map((n) => `${n.id}:${n.levelAfter}`).join('\n')}`;
      const group = groups.get(signature);
      if (group) group.equivalent.push(candidate);
      else if (!full) groups.set(signature, { candidate, effect, equivalent: [] });
    }
    if (measured < ranking.ranked.length || ranking.ranked.length < count) break;
    count *= 2;
    ranking = rankCuts(graph, sources, reachOptions, overlay, count);
  }
  const points = [...groups.values()].slice(0, top).map(({ candidate, effect, equivalent }, i): ChokePoint => ({
    rank: i + 1,
    cut: describeCut(graph, candidate),
    equivalent: equivalent.map((c) => describeCut(graph, c)),
    share: ranking.score > 0 ? effect.removed / ranking.score : 0,
    ...effect,
  }));
  const isSource = new Set(ranking.result.sources);
  return {
    sources: ranking.result.sources.map((s) => nodeRef(graph, s)),
    at: new Date(ranking.result.at).toISOString(),
    maxDepth: options.maxDepth ?? null,
    score: ranking.score,
    reachedCount: ranking.result.order.filter((v) => !isSource.has(v)).length,
    candidateCount: ranking.candidateCount,
    chokePoints: points,
  };
}

/**
 * A greedy plan of at most `steps` cuts: each step takes the single cut that removes the most of what is
 * still reachable given the cuts before it (re-evaluated, since one cut changes what the next is worth),
 * and reports the score before and after. Stops early when nothing is left or no single cut helps.
 */
export function revocationPlan(graph: CompactGraph, sources: readonly number[], options: PlanOptions = {}): RevocationPlan {
  return revocationPlanFrom(graph, sources, options);
}

/**
 * The plan and the choke points of one radius (what `blastmap plan` prints), sharing the first ranking of
 * cuts: the same as calling revocationPlan and chokePoints, one traversal and flow graph fewer.
 */
export function planWithChokePoints(graph: CompactGraph, sources: readonly number[], options: PlanOptions & { top?: number } = {}): { plan: RevocationPlan; chokePoints: ChokePoints | undefined } {
  const top = checkCount('top', options.top, 10);
  const stepCount = checkCount('steps', options.steps, 5);
  const alternativeCount = checkCount('alternatives', options.alternatives, 3);
  const { top: _top, steps: _steps, alternatives: _alternatives, containment = false, ...rest } = options;
  const at = toInstant(options.at);
  const reachOptions: ReachOptions = { ...rest, at };
  const count = Math.max(top > 0 ? Math.max(1, top * 3) : 0, stepCount > 0 ? 1 + alternativeCount : 0);
  // Ranking is prefix-stable: the plan reads the first 1 + alternatives, the choke points the first top * 3.
  const initial = rankCuts(graph, sources, reachOptions, workingOverlay(graph, options.overlay), count, containment);
  const plan = revocationPlanFrom(graph, sources, { ...options, at }, initial);
  const chokes = top > 0 ? chokePointsFrom(graph, sources, { ...rest, at, top }, containment ? undefined : { ranking: initial, count }) : undefined;
  return { plan, chokePoints: chokes };
}

/** revocationPlan, starting from a ranking already made under the same overlay (at least 1 + alternatives deep). */
function revocationPlanFrom(graph: CompactGraph, sources: readonly number[], options: PlanOptions, initialRanking?: RankedCuts): RevocationPlan {
  const stepCount = checkCount('steps', options.steps, 5);
  const alternativeCount = checkCount('alternatives', options.alternatives, 3);
  const { steps: _steps, alternatives: _alternatives, containment = false, ...rest } = options;
  const reachOptions: ReachOptions = { ...rest, at: toInstant(options.at) };
  const overlay = workingOverlay(graph, options.overlay);
  const steps: PlanStep[] = [];
  let stoppedBecause: PlanStop = 'steps';
  let current = initialRanking ?? rankCuts(graph, sources, reachOptions, overlay, stepCount > 0 ? 1 + alternativeCount : 0, containment);
  const initial = current;
  for (let step = 1; step <= stepCount; step++) {
    const tolerance = toleranceFor(current.score);
    if (current.score <= tolerance) { stoppedBecause = 'nothing-left'; break; }
    const chosen = current.ranked[0] ?? current.fallback;
    if (!chosen) { stoppedBecause = 'no-single-cut-helps'; break; }
    applyCut(graph, overlay, chosen);
    // The next flow graph is this one without the cut's vertices, when the cut is made of them.
    const removed = current.flow?.exact ? cutVertices(current.flow, chosen) : undefined;
    // The first ranking's flow graph stays as it is (the choke points read it); a later step's is read only here.
    const previous = current.flow && removed ? { flow: current.flow, removed, reuse: current !== initial } : undefined;
    // After the last step only the radius left is read: no cuts to rank.
    const next = step < stepCount ? rankCuts(graph, sources, reachOptions, overlay, 1 + alternativeCount, containment, previous) : radiusLeft(graph, sources, { ...reachOptions, overlay });
    const alternatives = current.ranked.slice(1, 1 + alternativeCount).filter((c) => Math.abs(c.removed! - chosen.removed!) <= tolerance).map((c) => describeCut(graph, c));
    steps.push({ step, cut: describeCut(graph, chosen), alternatives, ...cutEffect(graph, current.result, next.result, current.score, next.score) });
    current = next;
  }
  if (stoppedBecause === 'steps' && current.score <= toleranceFor(current.score)) stoppedBecause = 'nothing-left';
  const jewelsBefore = crownJewelIndices(graph, initial.result);
  const countReached = (result: ReachResult) => {
    const isSource = new Set(result.sources);
    return result.order.filter((v) => !isSource.has(v)).length;
  };
  return {
    sources: initial.result.sources.map((s) => nodeRef(graph, s)),
    at: new Date(initial.result.at).toISOString(),
    maxDepth: options.maxDepth ?? null,
    initialScore: initial.score,
    finalScore: current.score,
    initialReached: countReached(initial.result),
    finalReached: countReached(current.result),
    crownJewelsBefore: jewelsBefore.map((v) => nodeRef(graph, v)),
    // Cuts only shrink the radius (the same sources, more blocked): the crown jewels left are among those before,
    // so the initial list is filtered instead of the final radius scanned again (a record read per reached node).
    crownJewelsAfter: jewelsBefore.filter((v) => current.result.level[v]! > 0).map((v) => nodeRef(graph, v)),
    steps,
    stoppedBecause,
  };
}

// Level- and time-aware reachability over the compiled graph: a breadth-first search over (node, level)
// states where each edge kind's `requires` and `grants` come from the schema. Never branches on a kind.
import { calendarInstant } from '../format/dates.ts';
import { BlastmapError } from '../errors.ts';
import { LEVEL_CODE, type Level } from '../schema/index.ts';
import { checkEnforcedConditions } from './controls.ts';
import type { CompactGraph } from '../store/compact.ts';
import { WORK } from './work.ts';

export interface ReachOptions {
  /** Analysis instant: credentials revoked or expired before it, or created after it, do not traverse. */
  at?: Date | string | number;
  /** Stop after this many hops (edges) from a source. */
  maxDepth?: number;
  /** Only these edge kinds extend the radius (default: every traversable kind). */
  edgeKinds?: readonly string[];
  /** These edge kinds never extend the radius. */
  excludeEdgeKinds?: readonly string[];
  /** Edges carrying any of these conditions (e.g. `ip-allowlist`) are treated as blocking controls. */
  enforceConditions?: readonly string[];
  /** Level held on each source (default admin: the attacker controls it). */
  sourceLevel?: Level;
  /** Mitigations applied on top of the graph without changing it. */
  overlay?: ReachOverlay;
}

/** Cuts applied to a traversal: nodes treated as unusable and edges treated as absent. */
export interface ReachOverlay {
  blockedNodes?: Uint8Array;
  blockedEdges?: Uint8Array;
}

export interface ReachResult {
  readonly graph: CompactGraph;
  readonly sources: readonly number[];
  readonly at: number;
  /** Best level code reached per node (0 = not reached). */
  readonly level: Uint8Array;
  /** Per (node, level) slot `node * 3 + level - 1`: hops at which that level was first reached, -1 if never. */
  readonly hops: Int32Array;
  /** Per slot: the edge used to get there (-1 for a source). */
  readonly parentEdge: Int32Array;
  /** Per slot: the level held on the edge's source at that moment. */
  readonly parentLevel: Uint8Array;
  /** Reached nodes in the order they were first reached (sources first). */
  readonly order: readonly number[];
  /** Nodes the attacker got to but could not use (revoked, expired, disabled, not yet created), with how. */
  readonly dormant: ReadonlyMap<number, DormantReach>;
  /**
   * Set by a traversal over a partial graph (the database's witness subgraph, which lacks the minting edges that led
   * nowhere): the minter keeping each reached node alive past its own expiry, as `renewedBy` finds it on the whole
   * graph. Absent, the report asks `renewedBy` of the graph.
   */
  readonly renewedBy?: ReadonlyMap<number, number>;
}

export interface DormantReach {
  /** Level the attacker would have had. */
  level: number;
  hops: number;
  /** Edge that led to it (-1 when the node is itself a source). */
  viaEdge: number;
  /** Level held on that edge's source. */
  viaLevel: number;
}

export function toInstant(at: ReachOptions['at']): number {
  if (at === undefined) return Date.now();
  const ms = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : /^\d{4}-\d{2}-\d{2}/.test(at) ? calendarInstant(at) : Number.NaN;
  if (Number.isNaN(ms)) throw new BlastmapError('INVALID_OPTION', `engine/analysis: --at ${String(at)} is not a date`);
  return ms;
}

/** Per edge-kind code: 1 when the kind may extend the radius under these options. */
export function allowedKinds(graph: CompactGraph, options: ReachOptions): Uint8Array {
  const allowed = new Uint8Array(graph.edgeKindNames.length);
  const include = options.edgeKinds ? new Set(options.edgeKinds) : undefined;
  const exclude = new Set(options.excludeEdgeKinds ?? []);
  for (const name of [...(include ?? []), ...exclude]) {
    if (!graph.edgeKindNames.includes(name)) throw new BlastmapError('INVALID_OPTION', `engine/analysis: unknown edge kind ${name}`, { candidates: graph.edgeKindNames });
  }
  // Every traversal compiles its kinds here, so this is where a misspelt control is caught.
  checkEnforcedConditions(graph, options.enforceConditions);
  graph.edgeKindNames.forEach((name, code) => {
    allowed[code] = graph.kindTraversable[code] === 1 && (!include || include.has(name)) && !exclude.has(name) ? 1 : 0;
  });
  return allowed;
}

/** Edges blocked by the overlay or by enforced conditions, or undefined when nothing is blocked. */
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

/**
 * Per graph, reused by every traversal so a call allocates only its result: the queue of (node, level)
 * states, and for each state the edge that produced it and the level held on that edge's source.
 */
interface StateWorkspace {
  queue: Int32Array;
  parentEdge: Int32Array;
  parentLevel: Uint8Array;
  /**
   * Each edge's kind code and target in one word (`kind << 27 | target`), when they fit: expanding a
   * node then reads one array instead of two, which at a million nodes is one cache miss saved per node.
   */
  packed: Uint32Array | undefined;
}

const PACK_SHIFT = 27;
const PACK_TARGET = (1 << PACK_SHIFT) - 1;

function packEdges(graph: CompactGraph): Uint32Array | undefined {
  if (graph.nodeCount > PACK_TARGET + 1 || graph.edgeKindNames.length > 32) return undefined;
  // Columns read into locals: a property load of the graph per edge, 8M of them, took 0.1-0.5 s.
  const { edgeCount, edgeKind, edgeDst } = graph;
  const packed = new Uint32Array(edgeCount);
  for (let e = 0; e < edgeCount; e++) packed[e] = ((edgeKind[e]! << PACK_SHIFT) | edgeDst[e]!) >>> 0;
  return packed;
}
const workspaces = new WeakMap<CompactGraph, StateWorkspace>();

function stateWorkspace(graph: CompactGraph): StateWorkspace {
  // Every push raises a node's best level, which happens at most three times per node.
  const capacity = 3 * graph.nodeCount + 1;
  let workspace = workspaces.get(graph);
  if (!workspace || workspace.queue.length < capacity) {
    workspace = { queue: new Int32Array(capacity), parentEdge: new Int32Array(capacity), parentLevel: new Uint8Array(capacity), packed: packEdges(graph) };
    workspaces.set(graph, workspace);
  }
  return workspace;
}

/**
 * The traversal's per-graph work arrays when a reach() on this graph already made them (undefined otherwise: they
 * are not made for a caller that never reaches), for a caller that needs scratch of this size while it calls no
 * reach() (summarizeSources): 27 MB at a million nodes it need not allocate. Their contents are garbage.
 */
export function idleReachScratch(graph: CompactGraph): { queue: Int32Array; parentEdge: Int32Array; parentLevel: Uint8Array } | undefined {
  const workspace = workspaces.get(graph);
  return workspace && workspace.queue.length >= 3 * graph.nodeCount + 1 ? workspace : undefined;
}

/** The states a reach() result kept, in breadth-first order: what its per-(node, level) arrays are built from. */
export interface WitnessStates {
  /** States `node * 4 + level`, each at most once (a state is kept only when it raises its node's best level). */
  states: Int32Array;
  /** Per state: the edge that produced it (-1 for a source). */
  parents: Int32Array;
  /** Per state: the level held on that edge's source. */
  held: Uint8Array;
  /** Positions in `states` where depth 1, 2, ... begin (sources are depth 0). */
  depthStarts: readonly number[];
}
const witnessStatesOf = new WeakMap<object, WitnessStates>();

/** The per-(node, level) slot, `node * 3 + level - 1`, of a kept state (`node * 4 + level`). */
export const stateSlot = (state: number): number => (state >>> 2) * 3 + (state & 3) - 1;

/** Writes `value` (each state's own index when undefined) at every kept state's slot of `index`. */
export function indexStates(index: Int32Array, states: Int32Array, value?: number): void {
  for (let q = 0; q < states.length; q++) index[stateSlot(states[q]!)] = value ?? q;
}

/**
 * The states of a result made by reach(), undefined for any other result. For callers that need the witness
 * arrays only for a moment (a plan's ranking): they can fill arrays of their own, reused from one traversal to
 * the next, instead of the 28 MB a million-node result allocates when its `hops` is first read.
 */
export function witnessStates(result: ReachResult): WitnessStates | undefined {
  return witnessStatesOf.get(result);
}

/**
 * The per-(node, level) arrays of a result, built from its states on first use: most callers (scores,
 * rankings) never read them, and at a million nodes they are 28 MB to allocate and fill per traversal.
 */
function defineWitnessArrays(result: Record<string, unknown>, n: number, states: Int32Array, parents: Int32Array, held: Uint8Array, depthStarts: readonly number[]): void {
  let arrays: { hops: Int32Array; parentEdge: Int32Array; parentLevel: Uint8Array } | undefined;
  const build = () => {
    if (arrays) return arrays;
    const hops = new Int32Array(n * 3).fill(-1);
    const parentEdge = new Int32Array(n * 3).fill(-1);
    const parentLevel = new Uint8Array(n * 3);
    let depth = 0;
    for (let q = 0; q < states.length; q++) {
      while (depth < depthStarts.length && depthStarts[depth]! <= q) depth++;
      const state = states[q]!;
      const slot = stateSlot(state);
      hops[slot] = depth;
      parentEdge[slot] = parents[q]!;
      parentLevel[slot] = held[q]!;
    }
    arrays = { hops, parentEdge, parentLevel };
    return arrays;
  };
  witnessStatesOf.set(result, { states, parents, held, depthStarts });
  Object.defineProperties(result, {
    hops: { enumerable: true, get: () => build().hops },
    parentEdge: { enumerable: true, get: () => build().parentEdge },
    parentLevel: { enumerable: true, get: () => build().parentLevel },
  });
}

/**
 * Per (edge-kind code, held level) at index `kind * 4 + held`: the level the edge grants on its target
 * under these options, 0 when the kind may not be used at that level. One lookup per edge in the loop.
 */
function grantTable(graph: CompactGraph, options: ReachOptions): Uint8Array {
  const allowed = allowedKinds(graph, options);
  const table = new Uint8Array(allowed.length * 4);
  for (let code = 0; code < allowed.length; code++) {
    if (allowed[code] === 0) continue;
    for (let held = graph.kindRequires[code]!; held <= 3; held++) table[code * 4 + held] = graph.kindGrants[code]! || held;
  }
  return table;
}

/** Options compiled for a traversal's inner loop; shared by reach and the ranking's closures. */
export interface CompiledReachRules {
  at: number;
  /** Index `kind * 4 + held`: the level an edge of that kind grants, 0 when it may not be used. */
  grants: Uint8Array;
  /** Edges treated as absent (overlay or enforced conditions), if any. */
  blockedEdges: Uint8Array | undefined;
  /** Nodes treated as unusable by the overlay, if any. */
  blockedNodes: Uint8Array | undefined;
}

export function compileReachRules(graph: CompactGraph, options: ReachOptions): CompiledReachRules {
  return { at: toInstant(options.at), grants: grantTable(graph, options), blockedEdges: blockedEdgeMask(graph, options), blockedNodes: options.overlay?.blockedNodes };
}

/**
 * Everything reachable from the sources. Breadth-first over (node, level) states: a state is kept only
 * when it raises the best level known for its node, so each node is expanded at most three times and
 * the first time a node reaches a level is the fewest hops that level needs.
 */
export function reach(graph: CompactGraph, sources: readonly number[], options: ReachOptions = {}): ReachResult {
  const n = graph.nodeCount;
  const at = toInstant(options.at);
  const maxDepth = options.maxDepth ?? Infinity;
  if (!(maxDepth >= 0)) throw new BlastmapError('INVALID_OPTION', `engine/analysis: max depth must be 0 or more, got ${maxDepth}`);
  const grants = grantTable(graph, options);
  const blockedEdges = blockedEdgeMask(graph, options);
  const blockedNodes = options.overlay?.blockedNodes;
  const { fwdOffsets, edgeDst, edgeKind, activeFrom, activeUntil } = graph;

  const level = new Uint8Array(n);
  const order: number[] = [];
  const dormant = new Map<number, DormantReach>();
  // The queue holds states `node * 4 + level`; the states of one depth are queue[head .. depthEnd).
  const { queue, parentEdge, parentLevel, packed } = stateWorkspace(graph);
  /** Queue positions where the states of depth 1, 2, ... begin (sources are depth 0). */
  const depthStarts: number[] = [];
  let tail = 0;

  const startLevel = LEVEL_CODE[options.sourceLevel ?? 'admin'];
  for (const s of sources) {
    if (s < 0 || s >= n) throw new BlastmapError('INVALID_OPTION', `engine/analysis: source index ${s} is not a node`);
    if (level[s]! >= startLevel) continue;
    if (!(activeFrom[s]! <= at && at < activeUntil[s]! && (blockedNodes === undefined || blockedNodes[s] === 0))) {
      dormant.set(s, { level: startLevel, hops: 0, viaEdge: -1, viaLevel: 0 });
      continue;
    }
    if (level[s] === 0) order.push(s);
    level[s] = startLevel;
    parentEdge[tail] = -1;
    parentLevel[tail] = 0;
    queue[tail++] = s * 4 + startLevel;
  }

  let head = 0;
  for (let depth = 0; head < tail && depth < maxDepth; depth++) {
    const depthEnd = tail;
    const reachedHops = depth + 1;
    depthStarts.push(depthEnd);
    for (; head < depthEnd; head++) {
      const state = queue[head]!;
      const u = state >>> 2;
      const held = state & 3;
      WORK.edges += fwdOffsets[u + 1]! - fwdOffsets[u]!;
      for (let e = fwdOffsets[u]!, end = fwdOffsets[u + 1]!; e < end; e++) {
        let grant: number;
        let v: number;
        if (packed !== undefined) {
          const word = packed[e]!;
          grant = grants[((word >>> PACK_SHIFT) << 2) | held]!;
          v = word & PACK_TARGET;
        } else {
          grant = grants[(edgeKind[e]! << 2) | held]!;
          v = edgeDst[e]!;
        }
        if (grant === 0 || (blockedEdges !== undefined && blockedEdges[e] === 1)) continue;
        if (level[v]! >= grant) continue;
        if (!(activeFrom[v]! <= at && at < activeUntil[v]! && (blockedNodes === undefined || blockedNodes[v] === 0))) {
          const seen = dormant.get(v);
          if (!seen || seen.level < grant) dormant.set(v, { level: grant, hops: reachedHops, viaEdge: e, viaLevel: held });
          continue;
        }
        if (level[v] === 0) order.push(v);
        level[v] = grant;
        parentEdge[tail] = e;
        parentLevel[tail] = held;
        queue[tail++] = v * 4 + grant;
      }
    }
  }
  const result = { graph, sources: [...sources], at, level } as Record<string, unknown>;
  defineWitnessArrays(result, n, queue.slice(0, tail), parentEdge.slice(0, tail), parentLevel.slice(0, tail), depthStarts);
  result.order = order;
  result.dormant = dormant;
  return result as unknown as ReachResult;
}

/** Fewest hops at which node v is held at `atLeast` or higher, or -1. */
export function hopsAtLeast(result: ReachResult, v: number, atLeast: number): number {
  let best = -1;
  for (let l = atLeast; l <= 3; l++) {
    const h = result.hops[v * 3 + l - 1]!;
    if (h >= 0 && (best < 0 || h < best)) best = h;
  }
  return best;
}

/** One step of a witness path: the edge taken and the level held on its target afterwards. */
export interface PathStep {
  edge: number;
  from: number;
  to: number;
  /** Level held on `from` when the edge was used. */
  fromLevel: number;
  /** Level obtained on `to`. */
  toLevel: number;
}

/** The witness path (sources first) that first reached node v at exactly level `lvl`. */
export function witnessPath(result: ReachResult, v: number, lvl: number = result.level[v]!): PathStep[] {
  const steps: PathStep[] = [];
  let node = v;
  let held = lvl;
  for (let guard = 0; guard <= result.graph.nodeCount * 3; guard++) {
    const slot = node * 3 + held - 1;
    const e = result.parentEdge[slot]!;
    if (e < 0) return steps.reverse();
    const from = result.graph.edgeSrc[e]!;
    const fromLevel = result.parentLevel[slot]!;
    steps.push({ edge: e, from, to: node, fromLevel, toLevel: held });
    node = from;
    held = fromLevel;
  }
  throw new Error('engine/analysis: witness path did not end at a source');
}

/** The path that led to a dormant node: the witness path to the edge's source, then the edge. */
export function dormantPath(result: ReachResult, v: number): PathStep[] {
  const info = result.dormant.get(v);
  if (!info || info.viaEdge < 0) return [];
  const from = result.graph.edgeSrc[info.viaEdge]!;
  return [...witnessPath(result, from, info.viaLevel), { edge: info.viaEdge, from, to: v, fromLevel: info.viaLevel, toLevel: info.level }];
}

/** The step rules reach() applies, for analyses that walk the (node, level) state graph themselves. */
export interface TraversalRules {
  at: number;
  /** Node v can be used at `at` and is not blocked by the overlay. */
  usable: (v: number) => boolean;
  /** Level obtained on edge e's target when e is used holding `held`, or 0 when e cannot be used (kind, requires, block). */
  step: (e: number, held: number) => number;
}

export function traversalRules(graph: CompactGraph, options: ReachOptions = {}): TraversalRules {
  const at = toInstant(options.at);
  const allowed = allowedKinds(graph, options);
  const blockedEdges = blockedEdgeMask(graph, options);
  const blockedNodes = options.overlay?.blockedNodes;
  const { edgeKind, kindRequires, kindGrants, activeFrom, activeUntil } = graph;
  return {
    at,
    usable: (v) => activeFrom[v]! <= at && at < activeUntil[v]! && (blockedNodes === undefined || blockedNodes[v] === 0),
    step: (e, held) => {
      const kind = edgeKind[e]!;
      if (allowed[kind] === 0 || held < kindRequires[kind]! || (blockedEdges !== undefined && blockedEdges[e] === 1)) return 0;
      return kindGrants[kind]! || held;
    },
  };
}

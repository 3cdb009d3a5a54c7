// Exposure (reverse analysis): for one target such as a crown jewel, every identity, role, app and credential
// (or other chosen kinds) whose compromise reaches it, at which level, and the best path for each.
import { BlastmapError } from '../errors.ts';
import { effectiveSensitivity, LEVEL_CODE, levelName, type Level } from '../schema/index.ts';
import type { CompactGraph } from '../store/compact.ts';
import { CROWN_JEWEL_TAG, idRanks, nodeRef, stepView, type NodeRef, type PathStepView } from './radius.ts';
import { allowedKinds, compileReachRules, toInstant, type CompiledReachRules, type PathStep, type ReachOptions } from './reach.ts';
import { WORK } from './work.ts';

export interface ExposureOptions extends ReachOptions {
  /** Node kinds considered as compromised sources (default Identity, Role, App and Credential). */
  kinds?: readonly string[];
  /** Keep only the first n entries (after sorting); `exposedCount` still counts them all. */
  top?: number;
  /** Called after each of the three reverse passes (one per level), for progress bars. */
  onProgress?: (done: number, total: number) => void;
}

export interface ExposureEntry extends NodeRef {
  /** Level the source's compromise obtains on the target. */
  level: Level;
  /** Fewest hops to that level. */
  hops: number;
  /** Fewest-hop witness path from the source to the target at that level. */
  path: PathStepView[];
  /** An Identity's subtype (`human`, `service`, `workload`) when known. */
  subtype?: string;
  /** A Role's `privileged` flag when known. */
  privileged?: boolean;
}

export interface Exposure {
  target: NodeRef & { tags: string[]; sensitivity: number; crownJewel: boolean };
  at: string;
  maxDepth: number | null;
  kinds: string[];
  /** False when the target itself is revoked, expired, disabled or mitigated at `at`: nothing reaches it. */
  targetUsable: boolean;
  /** Nodes of those kinds that have a usable path of allowed edges to the target, ignoring levels. */
  candidateCount: number;
  /** Sources that do reach the target (before `top`). */
  exposedCount: number;
  byLevel: Record<Level, number>;
  byKind: Record<string, number>;
  /** Identities that reach it by subtype (`human`, `service`, `workload`, `unknown`). */
  identitiesBySubtype: Record<string, number>;
  /** Roles with `privileged: true` that reach it. */
  privilegedRoles: number;
  /** Sorted by level (highest first), then hops, then id. */
  exposed: ExposureEntry[];
}

/**
 * Who reaches a crown jewel is first people and roles (the admins and accounts a phish or a stolen session
 * turns into the attacker), then the integrations and their credentials.
 */
export const DEFAULT_EXPOSURE_KINDS: readonly string[] = ['Identity', 'Role', 'App', 'Credential'];
/** The integrations-only view (`--integrations`): apps and the credentials they hold. */
export const INTEGRATION_KINDS: readonly string[] = ['App', 'Credential'];

/** Throws INVALID_OPTION when a kind is not a node kind of the graph's schema. */
export function checkNodeKinds(graph: CompactGraph, kinds: readonly string[]): void {
  for (const kind of kinds) {
    if (!graph.nodeKindNames.includes(kind)) throw new BlastmapError('INVALID_OPTION', `engine/analysis: unknown node kind ${kind}`, { candidates: graph.nodeKindNames });
  }
}

/**
 * Nodes that can possibly reach the target: a reverse breadth-first search over allowed, unblocked edges
 * through usable nodes, ignoring levels (so a superset of the true sources). Returns the reverse distance
 * per node (-1 = cannot reach).
 */
export function reverseDistances(graph: CompactGraph, target: number, options: ReachOptions = {}): Int32Array {
  const at = toInstant(options.at);
  const allowed = allowedKinds(graph, options);
  const enforce = new Set(options.enforceConditions ?? []);
  const blockedNodes = options.overlay?.blockedNodes;
  const blockedEdges = options.overlay?.blockedEdges;
  const { revOffsets, revEdges, edgeSrc, edgeKind, activeFrom, activeUntil, edgeAttrs } = graph;
  const usable = (v: number): boolean => activeFrom[v]! <= at && at < activeUntil[v]! && blockedNodes?.[v] !== 1;
  const distance = new Int32Array(graph.nodeCount).fill(-1);
  if (!usable(target)) return distance;
  distance[target] = 0;
  let frontier = [target];
  for (let depth = 1; frontier.length > 0; depth++) {
    const next: number[] = [];
    for (const v of frontier) {
      WORK.edges += revOffsets[v + 1]! - revOffsets[v]!;
      for (let i = revOffsets[v]!, end = revOffsets[v + 1]!; i < end; i++) {
        const e = revEdges[i]!;
        if (allowed[edgeKind[e]!] === 0 || blockedEdges?.[e] === 1) continue;
        if (enforce.size > 0 && edgeAttrs[e]?.conditions?.some((condition) => enforce.has(condition))) continue;
        const u = edgeSrc[e]!;
        if (distance[u] !== -1 || !usable(u)) continue;
        distance[u] = depth;
        next.push(u);
      }
    }
    frontier = next;
  }
  return distance;
}

/**
 * For one target level: breadth-first over (node, need) states backwards from the target, where `need` is
 * the lowest level that, held on the node, gets the target to at least `targetLevel`. A state is kept only
 * when it lowers the need known for its node (holding more never grants less), so each node is expanded at
 * most three times and the first depth at which a node's need drops to the source level is the fewest hops
 * its compromise needs: the mirror image of `reach`, in one pass for every source at once.
 */
interface ReverseLevelPass {
  /** Per node: queue position of the first state whose need the source level meets, -1 if none. */
  firstHit: Int32Array;
  /** Per node: the depth of that state (hops from the node to the target). */
  hitDepth: Int32Array;
  /** Per queue position: the edge taken towards the target, -1 for the target itself. */
  parentEdge: Int32Array;
  /** Per queue position: the queue position of the state that edge leads to. */
  parentPos: Int32Array;
}

function reverseLevelPass(graph: CompactGraph, target: number, targetLevel: number, sourceLevel: number, maxDepth: number,
  minHeld: Uint8Array, rules: CompiledReachRules): ReverseLevelPass {
  const n = graph.nodeCount;
  const { revOffsets, revEdges, edgeSrc, edgeKind, activeFrom, activeUntil } = graph;
  const { at, blockedEdges, blockedNodes } = rules;
  const usable = (v: number): boolean => activeFrom[v]! <= at && at < activeUntil[v]! && (blockedNodes === undefined || blockedNodes[v] === 0);
  // 4 = no level held on this node gets the target there (yet).
  const need = new Uint8Array(n).fill(4);
  const firstHit = new Int32Array(n).fill(-1);
  const hitDepth = new Int32Array(n).fill(-1);
  const capacity = 3 * n + 1;
  const queue = new Int32Array(capacity);
  const parentEdge = new Int32Array(capacity);
  const parentPos = new Int32Array(capacity);
  let tail = 0;
  if (usable(target)) {
    need[target] = targetLevel;
    parentEdge[0] = -1;
    parentPos[0] = -1;
    queue[tail++] = target * 4 + targetLevel;
    if (targetLevel <= sourceLevel) { firstHit[target] = 0; hitDepth[target] = 0; }
  }
  let head = 0;
  for (let depth = 0; head < tail && depth < maxDepth; depth++) {
    const depthEnd = tail;
    for (; head < depthEnd; head++) {
      const state = queue[head]!;
      const v = state >>> 2;
      const wanted = state & 3;
      WORK.edges += revOffsets[v + 1]! - revOffsets[v]!;
      for (let i = revOffsets[v]!, end = revOffsets[v + 1]!; i < end; i++) {
        const e = revEdges[i]!;
        const held = minHeld[(edgeKind[e]! << 2) | wanted]!;
        if (held === 0 || (blockedEdges !== undefined && blockedEdges[e] === 1)) continue;
        const u = edgeSrc[e]!;
        if (need[u]! <= held || !usable(u)) continue;
        need[u] = held;
        parentEdge[tail] = e;
        parentPos[tail] = head;
        if (held <= sourceLevel && firstHit[u] === -1) { firstHit[u] = tail; hitDepth[u] = depth + 1; }
        queue[tail++] = u * 4 + held;
      }
    }
  }
  return { firstHit, hitDepth, parentEdge, parentPos };
}

/** Index `kind * 4 + need`: the lowest level held on an edge's source that gets its target to `need`, 0 when none does. */
function minHeldTable(grants: Uint8Array): Uint8Array {
  const table = new Uint8Array(grants.length);
  for (let code = 0; code * 4 < grants.length; code++) {
    for (let wanted = 1; wanted <= 3; wanted++) {
      for (let held = 1; held <= 3; held++) {
        if (grants[code * 4 + held]! >= wanted) { table[code * 4 + wanted] = held; break; }
      }
    }
  }
  return table;
}

/**
 * Who reaches `target`, in linear time: three reverse passes over (node, level) states (one per level the
 * target can be held at, highest first) instead of a forward reach per candidate source. A source's level is
 * the highest pass that meets it, its hops the depth at which it did, and its witness path the chain of
 * states back to the target, replayed forwards from the source level to get the level held at each step.
 * The quadratic version it replaced is kept as the oracle of its property test (test/helpers/reference-exposure.ts).
 */
export function exposureOf(graph: CompactGraph, target: number, options: ExposureOptions = {}): Exposure {
  if (target < 0 || target >= graph.nodeCount) throw new BlastmapError('INVALID_OPTION', `engine/analysis: target index ${target} is not a node`);
  const kinds = [...(options.kinds ?? DEFAULT_EXPOSURE_KINDS)];
  checkNodeKinds(graph, kinds);
  if (options.top !== undefined && !(options.top >= 0)) throw new BlastmapError('INVALID_OPTION', `engine/analysis: top must be 0 or more, got ${options.top}`);
  const { kinds: _kinds, top: _top, onProgress: _progress, ...reachOptions } = options;
  const at = toInstant(options.at);
  const maxDepth = options.maxDepth ?? Infinity;
  if (!(maxDepth >= 0)) throw new BlastmapError('INVALID_OPTION', `engine/analysis: max depth must be 0 or more, got ${maxDepth}`);
  const distance = reverseDistances(graph, target, { ...reachOptions, at });
  const wanted = new Set(kinds);
  const isCandidate = new Uint8Array(graph.nodeCount);
  let candidateCount = 0;
  for (let v = 0; v < graph.nodeCount; v++) {
    const d = distance[v]!;
    if (d >= 0 && v !== target && d <= maxDepth && wanted.has(graph.nodes[v]!.kind)) { isCandidate[v] = 1; candidateCount++; }
  }

  const rules = compileReachRules(graph, { ...reachOptions, at });
  const minHeld = minHeldTable(rules.grants);
  const sourceLevel = LEVEL_CODE[options.sourceLevel ?? 'admin'];
  const found = new Uint8Array(graph.nodeCount);
  const exposed: ExposureEntry[] = [];
  for (let targetLevel = 3; targetLevel >= 1; targetLevel--) {
    if (candidateCount === 0) break;
    const pass = reverseLevelPass(graph, target, targetLevel, sourceLevel, maxDepth, minHeld, rules);
    for (let source = 0; source < graph.nodeCount; source++) {
      if (isCandidate[source] === 0 || found[source] === 1 || pass.firstHit[source]! < 0) continue;
      found[source] = 1;
      const node = graph.nodes[source]!;
      exposed.push(new ExposedEntry({ graph, pass, source, sourceLevel, grants: rules.grants }, node, levelName(targetLevel), pass.hitDepth[source]!) as ExposureEntry);
    }
    options.onProgress?.(4 - targetLevel, 3);
  }
  const rank: Record<Level, number> = { read: 1, write: 2, admin: 3 };
  const idRank = idRanks(exposed.map((entry) => entry.id));
  const order = Array.from({ length: exposed.length }, (_, i) => i);
  order.sort((a, b) => rank[exposed[b]!.level] - rank[exposed[a]!.level] || exposed[a]!.hops - exposed[b]!.hops || idRank[a]! - idRank[b]!);
  const sortedExposed = order.map((i) => exposed[i]!);
  for (let i = 0; i < sortedExposed.length; i++) exposed[i] = sortedExposed[i]!;

  const byLevel: Record<Level, number> = { admin: 0, write: 0, read: 0 };
  const byKind: Record<string, number> = {};
  const identitiesBySubtype: Record<string, number> = {};
  let privilegedRoles = 0;
  for (const entry of exposed) {
    byLevel[entry.level]++;
    byKind[entry.kind] = (byKind[entry.kind] ?? 0) + 1;
    if (entry.kind === 'Identity') identitiesBySubtype[entry.subtype ?? 'unknown'] = (identitiesBySubtype[entry.subtype ?? 'unknown'] ?? 0) + 1;
    if (entry.kind === 'Role' && entry.privileged === true) privilegedRoles++;
  }
  const node = graph.nodes[target]!;
  return {
    target: { ...nodeRef(graph, target), tags: node.tags ?? [], sensitivity: effectiveSensitivity(node), crownJewel: node.tags?.includes(CROWN_JEWEL_TAG) ?? false },
    at: new Date(at).toISOString(),
    maxDepth: options.maxDepth ?? null,
    kinds,
    targetUsable: distance[target] === 0,
    candidateCount,
    exposedCount: exposed.length,
    byLevel,
    byKind,
    identitiesBySubtype,
    privilegedRoles,
    exposed: options.top !== undefined ? exposed.slice(0, options.top) : exposed,
  };
}

/** Where an exposed source's witness path comes from: its chain of states in one reverse pass. */
export interface ExposureOrigin {
  graph: CompactGraph;
  pass: ReverseLevelPass;
  source: number;
  sourceLevel: number;
  grants: Uint8Array;
}

/**
 * An exposed source. `path` is an own enumerable getter, one function for every entry (V8 keeps the objects in
 * fast mode; a closure per entry made each a dictionary): a report shows a few paths, and a crown jewel of a
 * large enterprise has hundreds of thousands of sources.
 */
class ExposedEntry {
  declare id: string;
  declare name: string;
  declare kind: string;
  declare platform: string;
  declare tenant: string;
  declare level: Level;
  declare hops: number;
  declare path: PathStepView[];
  declare subtype?: string;
  declare privileged?: boolean;
  readonly #origin: ExposureOrigin;

  constructor(origin: ExposureOrigin, node: CompactGraph['nodes'][number], level: Level, hops: number) {
    this.id = node.id;
    this.name = node.name;
    this.kind = node.kind;
    this.platform = node.platform;
    this.tenant = node.tenant;
    this.level = level;
    this.hops = hops;
    if (node.kind === 'Identity' && node.subtype !== undefined) this.subtype = node.subtype;
    if (node.kind === 'Role' && node.privileged !== undefined) this.privileged = node.privileged;
    Object.defineProperty(this, 'path', EXPOSURE_PATH);
    this.#origin = origin;
  }

  static originOf(entry: object): ExposureOrigin | undefined {
    return #origin in entry ? (entry as ExposedEntry).#origin : undefined;
  }
}

/** The reverse pass behind an entry from `exposureOf` (undefined for entries built elsewhere). */
export function exposureOrigin(entry: ExposureEntry): ExposureOrigin | undefined {
  return ExposedEntry.originOf(entry);
}

const EXPOSURE_PATH: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: ExposureEntry): PathStepView[] {
    const { graph, pass, source, sourceLevel, grants } = exposureOrigin(this)!;
    return replayTowardsTarget(graph, pass, source, sourceLevel, grants).map((step) => stepView(graph, step));
  },
};

/**
 * The witness paths of exposed sources as one table of steps towards the target: step `next` is the index of
 * the step after it (-1 at the target), so sources whose paths join share the rest. A step is one (state, level
 * held) pair of the reverse pass: where two paths meet holding the same level, everything after is the same.
 * Per entry, `first` is the index of its first step (-1 for an empty path). Undefined unless every entry comes
 * from `exposureOf` with one pass per level.
 */
export function exposureWitnessTable(entries: readonly ExposureEntry[]): { steps: ExposureStep[]; first: Int32Array } | undefined {
  const origins: ExposureOrigin[] = [];
  for (const entry of entries) {
    const origin = exposureOrigin(entry);
    if (!origin) return undefined;
    origins.push(origin);
  }
  const steps: ExposureStep[] = [];
  const indexByPass = new Map<ReverseLevelPass, Map<number, number>>();
  const first = new Int32Array(entries.length);
  const chain: [q: number, held: number, e: number, toLevel: number][] = [];
  for (let i = 0; i < origins.length; i++) {
    const { graph, pass, source, sourceLevel, grants } = origins[i]!;
    let index = indexByPass.get(pass);
    if (!index) indexByPass.set(pass, index = new Map());
    chain.length = 0;
    let held = sourceLevel;
    let joined = -1;
    for (let q = pass.firstHit[source]!; pass.parentEdge[q]! >= 0; q = pass.parentPos[q]!) {
      const known = index.get(q * 4 + held);
      if (known !== undefined) { joined = known; break; }
      const e = pass.parentEdge[q]!;
      const toLevel = grants[(graph.edgeKind[e]! << 2) | held]!;
      chain.push([q, held, e, toLevel]);
      held = toLevel;
    }
    // Steps are numbered from the target end, so a step's `next` is always written before it.
    let next = joined;
    for (let k = chain.length - 1; k >= 0; k--) {
      const [q, fromLevel, e, toLevel] = chain[k]!;
      const view = stepView(graph, { edge: e, from: graph.edgeSrc[e]!, to: graph.edgeDst[e]!, fromLevel, toLevel });
      const { from, to, ...rest } = view;
      steps.push({ next, from: from.id, to: to.id, ...rest });
      next = steps.length - 1;
      index.set(q * 4 + fromLevel, next);
    }
    first[i] = next;
  }
  return { steps, first };
}

/** One step of the exposure witness table (see exposureWitnessTable). */
export interface ExposureStep extends Omit<PathStepView, 'from' | 'to'> {
  next: number;
  from: string;
  to: string;
}

/** The source's chain of states to the target, with the levels an attacker holding the source level actually gets at each step. */
function replayTowardsTarget(graph: CompactGraph, pass: ReverseLevelPass, source: number, sourceLevel: number, grants: Uint8Array): PathStep[] {
  const steps: PathStep[] = [];
  let held = sourceLevel;
  for (let q = pass.firstHit[source]!; pass.parentEdge[q]! >= 0; q = pass.parentPos[q]!) {
    const e = pass.parentEdge[q]!;
    const toLevel = grants[(graph.edgeKind[e]! << 2) | held]!;
    steps.push({ edge: e, from: graph.edgeSrc[e]!, to: graph.edgeDst[e]!, fromLevel: held, toLevel });
    held = toLevel;
  }
  return steps;
}

// Radius summaries of many sources at once (ranking every connector): sources that reach a shared hub
// reuse the hub's closure and only explore what lies outside it, the way members of one strongly
// connected component share their reach. Equal to one full reach per source (tested).
import type { CompactGraph } from '../store/compact.ts';
import { compileReachRules, idleReachScratch, reach, type CompiledReachRules, type ReachOptions } from './reach.ts';
import { gradedKinds, LEVEL_WEIGHT, PRINCIPAL_POINTS, scoreOrder, sensitivities } from './score.ts';
import { LEVEL_CODE } from '../schema/index.ts';
import { CROWN_JEWEL_TAG } from './radius.ts';
import { WORK } from './work.ts';

/** What a ranking shows of one source's blast radius. */
export interface RadiusSummary {
  score: number;
  /** Nodes reached, the source excluded. */
  reached: number;
  crownJewels: number;
  /** Platforms reached other than the source's own. */
  lateralPlatforms: number;
  /** False when the source cannot be used at the instant: it reaches nothing. */
  usable: boolean;
}

/** One full reach: the reference every faster path must equal. */
export function summarizeByReach(graph: CompactGraph, v: number, options: ReachOptions): RadiusSummary {
  const result = reach(graph, [v], options);
  const node = graph.nodes[v]!;
  let crownJewels = 0;
  const platforms = new Set<string>();
  for (const u of result.order) {
    if (u === v) continue;
    const reachedNode = graph.nodes[u]!;
    if (reachedNode.tags?.includes(CROWN_JEWEL_TAG)) crownJewels++;
    if (reachedNode.platform !== node.platform) platforms.add(reachedNode.platform);
  }
  return {
    score: scoreOrder(graph, result.level, result.order, [v]),
    reached: result.order.length - (result.level[v] ? 1 : 0),
    crownJewels,
    lateralPlatforms: platforms.size,
    usable: result.level[v]! > 0,
  };
}

/** Below this many sources, sharing a hub's closure does not pay for finding the hub. */
const HUB_WORTH_FROM = 16;
/** How many well-connected nodes are tried as the hub. */
const HUB_CANDIDATES = 8;

/**
 * Level-only closure traversal with arrays reused across sources: levels are valid only where the
 * stamp equals the current epoch, so starting a traversal costs nothing however large the graph.
 */
class ClosureWorkspace {
  readonly stamp: Uint32Array;
  readonly level: Uint8Array;
  readonly queue: Int32Array;
  /** Nodes whose level this traversal raised, in first-raised order. */
  readonly touched: Int32Array;
  touchedCount = 0;
  private epoch = 0;

  /**
   * With `borrow`, the arrays are views of reach()'s idle work arrays (idleReachScratch) when it has made them: the
   * caller then runs no reach() on this graph while it uses this workspace.
   */
  constructor(private readonly graph: CompactGraph, private readonly rules: CompiledReachRules, borrow = false) {
    const n = graph.nodeCount;
    const idle = borrow ? idleReachScratch(graph) : undefined;
    if (idle) {
      const { queue, parentEdge, parentLevel } = idle;
      this.stamp = new Uint32Array(parentEdge.buffer, parentEdge.byteOffset, n).fill(0);
      this.touched = parentEdge.subarray(n, 2 * n);
      this.level = parentLevel.subarray(0, n);
      this.queue = queue;
      return;
    }
    this.stamp = new Uint32Array(n);
    this.level = new Uint8Array(n);
    this.queue = new Int32Array(3 * n + 1);
    this.touched = new Int32Array(n);
  }

  usable(v: number): boolean {
    const { at, blockedNodes } = this.rules;
    return this.graph.activeFrom[v]! <= at && at < this.graph.activeUntil[v]! && (blockedNodes === undefined || blockedNodes[v] === 0);
  }

  private usableNodes: Uint8Array | undefined;

  /**
   * `usable` of every node, computed once per graph and instant (once per workspace under an overlay, which the
   * per-instant cache does not cover: respond's hub search read it afresh for each of three hubs tried).
   */
  usableMask(): Uint8Array {
    return (this.usableNodes ??= usableMask(this.graph, this.rules));
  }

  /** Level this traversal gave v (0 when it did not raise v above the floor). */
  levelOf(v: number): number {
    return this.stamp[v] === this.epoch ? this.level[v]! : 0;
  }

  /**
   * Everything reachable from (source, start) that is not already held at least as high in `floor`
   * (a closure known to be reached as well; zeros when there is none). Fills `touched`.
   */
  run(source: number, start: number, floor: Uint8Array): void {
    this.runUntil(source, start, floor, undefined);
  }

  /**
   * `run`, stopping as soon as a node marked in `stop` is held at admin: returns true then (`touched` is then
   * only what was found so far), false when the closure was explored in full.
   */
  runUntil(source: number, start: number, floor: Uint8Array, stop: Uint8Array | undefined): boolean {
    const { fwdOffsets, edgeDst, edgeKind } = this.graph;
    const { grants, blockedEdges } = this.rules;
    const { stamp, level, queue, touched } = this;
    if (++this.epoch === 0xffffffff) {
      stamp.fill(0);
      this.epoch = 1;
    }
    const epoch = this.epoch;
    this.touchedCount = 0;
    if (!this.usable(source) || start <= floor[source]!) return false;
    let tail = 0;
    let count = 0;
    stamp[source] = epoch;
    level[source] = start;
    touched[count++] = source;
    queue[tail++] = source * 4 + start;
    for (let head = 0; head < tail; head++) {
      const state = queue[head]!;
      const u = state >>> 2;
      const held = state & 3;
      WORK.edges += fwdOffsets[u + 1]! - fwdOffsets[u]!;
      for (let e = fwdOffsets[u]!, end = fwdOffsets[u + 1]!; e < end; e++) {
        const grant = grants[(edgeKind[e]! << 2) | held]!;
        if (grant === 0 || (blockedEdges !== undefined && blockedEdges[e] === 1)) continue;
        const w = edgeDst[e]!;
        const current = stamp[w] === epoch ? level[w]! : 0;
        if (grant <= current || grant <= floor[w]! || !this.usable(w)) continue;
        if (current === 0) touched[count++] = w;
        stamp[w] = epoch;
        level[w] = grant;
        queue[tail++] = w * 4 + grant;
        if (stop !== undefined && grant === 3 && stop[w] === 1) {
          this.touchedCount = count;
          return true;
        }
      }
    }
    this.touchedCount = count;
    return false;
  }
}

/**
 * Per node, the least level that must be held on it to end up holding `hub` at `hubLevel` or higher
 * (4 = never): a reverse search over the same rules, each node lowered at most three times.
 */
function levelNeededFor(graph: CompactGraph, rules: CompiledReachRules, workspace: ClosureWorkspace, hub: number, hubLevel: number): Uint8Array {
  // The workspace's queue is free between traversals: one 3n-entry array less per hub tried.
  return levelNeededForAny(graph, rules, workspace.usableMask(), workspace.queue, [hub], hubLevel);
}

/**
 * Per edge kind and level needed after the edge, the least level to hold before it (4 = none will do):
 * the reverse search's step, read once per edge instead of trying each level.
 */
function leastHeldTable(graph: CompactGraph, grants: Uint8Array): Uint8Array {
  const table = new Uint8Array(graph.edgeKindNames.length * 4).fill(4);
  for (let kind = 0; kind < graph.edgeKindNames.length; kind++) {
    for (let needed = 1; needed <= 3; needed++) {
      for (let held = 1; held <= 3; held++) {
        const grant = grants[(kind << 2) | held]!;
        if (grant !== 0 && grant >= needed) { table[(kind << 2) | needed] = held; break; }
      }
    }
  }
  return table;
}

/**
 * Per node, the least level that must be held on it to end up holding one of `targets` (usable ones) at its
 * level (`levels`, one for all or one per target) or higher (4 = never). One reverse search from all targets at
 * once: a node's need only ever falls (4 to 3 to 2 to 1), and each fall re-examines its in-edges, so the cost is
 * linear in the graph. `queue` needs room for three entries per node.
 */
function levelNeededForAny(graph: CompactGraph, rules: CompiledReachRules, usable: Uint8Array, queue: Int32Array, targets: readonly number[], levels: number | readonly number[]): Uint8Array {
  const n = graph.nodeCount;
  const need = new Uint8Array(n).fill(4);
  const { revOffsets, revEdges, edgeSrc, edgeKind } = graph;
  const { blockedEdges } = rules;
  const leastHeld = leastHeldTable(graph, rules.grants);
  let tail = 0;
  targets.forEach((target, i) => {
    const level = typeof levels === 'number' ? levels : levels[i]!;
    if (need[target]! <= level || usable[target] === 0) return;
    if (need[target] === 4) queue[tail++] = target;
    need[target] = level;
  });
  for (let head = 0; head < tail; head++) {
    const w = queue[head]!;
    const needed = need[w]!;
    WORK.edges += revOffsets[w + 1]! - revOffsets[w]!;
    for (let r = revOffsets[w]!, end = revOffsets[w + 1]!; r < end; r++) {
      const e = revEdges[r]!;
      if (blockedEdges !== undefined && blockedEdges[e] === 1) continue;
      const u = edgeSrc[e]!;
      const held = leastHeld[(edgeKind[e]! << 2) | needed]!;
      if (held < need[u]! && usable[u] === 1) {
        need[u] = held;
        queue[tail++] = u;
      }
    }
  }
  return need;
}

/**
 * For every node at once, whether its reach from `options.sourceLevel` (admin by default) at `options.at` holds
 * one of `targets` at its level (`targetLevels`, one for all or one per target) or higher (a target counts when it reaches itself, so a caller that
 * excludes the source asks its own reach for a source that is a target): one reverse search, linear in the
 * graph, where a forward reach per source costs the sum of their radii. Undefined with a depth limit (hop
 * counts matter). Tested against one reach per source.
 */
export function targetsReached(graph: CompactGraph, options: ReachOptions, targets: readonly number[], targetLevels: number | readonly number[] = 1): ((v: number) => boolean) | undefined {
  if (options.maxDepth !== undefined) return undefined;
  const rules = compileReachRules(graph, options);
  const usable = usableMask(graph, rules);
  const start = LEVEL_CODE[options.sourceLevel ?? 'admin'];
  const need = levelNeededForAny(graph, rules, usable, reverseQueue(graph), targets, targetLevels);
  return (v) => need[v]! <= start && usable[v] === 1;
}

/**
 * Scratch shared by the reverse searches of one graph: the queue (three entries per node) and, per instant, which
 * nodes are usable. Findings run a handful of searches over a million nodes; a fresh 12 MB queue and mask each
 * time is garbage the collector then has to sweep while the whole graph is in memory.
 */
const reverseScratch = new WeakMap<CompactGraph, { queue: Int32Array; usable: Map<number, Uint8Array> }>();

function scratchOf(graph: CompactGraph): { queue: Int32Array; usable: Map<number, Uint8Array> } {
  let scratch = reverseScratch.get(graph);
  if (!scratch) reverseScratch.set(graph, scratch = { queue: new Int32Array(3 * graph.nodeCount + 1), usable: new Map() });
  return scratch;
}

function reverseQueue(graph: CompactGraph): Int32Array {
  return scratchOf(graph).queue;
}

function usableMask(graph: CompactGraph, rules: CompiledReachRules): Uint8Array {
  const { at, blockedNodes } = rules;
  const cache = scratchOf(graph).usable;
  const known = blockedNodes === undefined ? cache.get(at) : undefined;
  if (known) return known;
  const { activeFrom, activeUntil } = graph;
  const mask = new Uint8Array(graph.nodeCount);
  for (let v = 0; v < mask.length; v++) mask[v] = activeFrom[v]! <= at && at < activeUntil[v]! && (blockedNodes === undefined || blockedNodes[v] === 0) ? 1 : 0;
  if (blockedNodes === undefined) cache.set(at, mask);
  return mask;
}

/**
 * `targetsReached` per class of a marked set (`marks[v]` is 1..classes, 0 for unmarked): `reaches(v, c)` is
 * true when v is usable and reaches a node of class c at any level (v itself counts when it is of class c).
 */
export function markedClassesReached(graph: CompactGraph, options: ReachOptions, marks: Uint8Array, classes: number): ((v: number, cls: number) => boolean) | undefined {
  const perClass: ((v: number) => boolean)[] = [];
  for (let c = 1; c <= classes; c++) {
    const targets: number[] = [];
    for (let v = 0; v < graph.nodeCount; v++) if (marks[v] === c) targets.push(v);
    const reaches = targetsReached(graph, options, targets, 1);
    if (!reaches) return undefined;
    perClass.push(reaches);
  }
  return (v, cls) => perClass[cls - 1]!(v);
}

/** Per-node facts the summaries add up, computed once per graph and options. */
interface NodeFacts {
  /** The graph's sensitivities, kinds and graded kinds, which `pointsAt` reads (no 16 MB table of points per call). */
  sensitivity: Float64Array;
  nodeKind: Uint8Array;
  graded: Uint8Array;
  crown: Uint8Array;
  platform: Int32Array;
  platformCount: number;
}

function nodeFacts(graph: CompactGraph): NodeFacts | undefined {
  const n = graph.nodeCount;
  const sensitivity = sensitivities(graph);
  const graded = gradedKinds(graph);
  const crown = new Uint8Array(n);
  const platform = new Int32Array(n);
  const platformCodes = new Map<string, number>();
  for (let v = 0; v < n; v++) {
    const node = graph.nodes[v]!;
    for (let level = 1; level <= 3; level++) {
      const value = graded[graph.nodeKind[v]!] === 1 ? sensitivity[v]! * LEVEL_WEIGHT[level as 1 | 2 | 3] : PRINCIPAL_POINTS;
      // Whole points add up exactly in any order; anything else must be summed in reach order.
      if (!Number.isInteger(value) || Math.abs(value) > 0x7fffffff) return undefined;
    }
    if (node.tags?.includes(CROWN_JEWEL_TAG)) crown[v] = 1;
    let code = platformCodes.get(node.platform);
    if (code === undefined) platformCodes.set(node.platform, (code = platformCodes.size));
    platform[v] = code;
  }
  return { sensitivity, nodeKind: graph.nodeKind, graded, crown, platform, platformCount: platformCodes.size };
}

/** Points of node v held at `level` (0 for 0): the values nodeFacts checked are whole numbers. */
function pointsAt(facts: NodeFacts, v: number, level: number): number {
  if (level === 0) return 0;
  return facts.graded[facts.nodeKind[v]!] === 1 ? facts.sensitivity[v]! * LEVEL_WEIGHT[level as 1 | 2 | 3] : PRINCIPAL_POINTS;
}

/** A closure already reached (the hub's), with its totals. */
interface SharedClosure {
  floor: Uint8Array;
  score: number;
  reached: number;
  crownJewels: number;
  perPlatform: Int32Array;
  platforms: number;
}

function sharedClosure(workspace: ClosureWorkspace, facts: NodeFacts, n: number, hub: number, hubLevel: number, zero: Uint8Array): SharedClosure {
  workspace.run(hub, hubLevel, zero);
  const floor = new Uint8Array(n);
  const perPlatform = new Int32Array(facts.platformCount);
  let score = 0;
  let crownJewels = 0;
  let platforms = 0;
  for (let i = 0; i < workspace.touchedCount; i++) {
    const u = workspace.touched[i]!;
    const level = workspace.level[u]!;
    floor[u] = level;
    score += pointsAt(facts, u, level);
    crownJewels += facts.crown[u]!;
    const p = facts.platform[u]!;
    if (perPlatform[p] === 0) platforms++;
    perPlatform[p]!++;
  }
  return { floor, score, reached: workspace.touchedCount, crownJewels, perPlatform, platforms };
}

/** How many of the largest closures are weighed by how many sources reach them. */
const HUB_FINALISTS = 3;

/**
 * The hub whose closure saves the most work: among the candidates, the few with the largest closures, then the
 * one whose closure times the number of sources that reach it at admin is largest. A connector fanning out to
 * thousands of mailboxes has a large closure that no other source reaches.
 */
/**
 * Usable nodes worth trying as hubs: the most edges, and the most edges in (a group everyone belongs to is
 * reached by nearly every source, though a connector fanning out to thousands of mailboxes may have more edges).
 */
function hubCandidates(graph: CompactGraph, workspace: ClosureWorkspace): number[] {
  const byDegree: [node: number, degree: number][] = [];
  const byInDegree: [node: number, degree: number][] = [];
  const offer = (best: [number, number][], v: number, degree: number): void => {
    if (best.length >= HUB_CANDIDATES && degree <= best[best.length - 1]![1]) return;
    if (!workspace.usable(v)) return;
    best.push([v, degree]);
    best.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    if (best.length > HUB_CANDIDATES) best.pop();
  };
  for (let v = 0; v < graph.nodeCount; v++) {
    const inDegree = graph.revOffsets[v + 1]! - graph.revOffsets[v]!;
    offer(byDegree, v, inDegree + graph.fwdOffsets[v + 1]! - graph.fwdOffsets[v]!);
    offer(byInDegree, v, inDegree);
  }
  return [...new Set([...byDegree, ...byInDegree].map(([node]) => node))];
}

function chooseHub(graph: CompactGraph, rules: CompiledReachRules, workspace: ClosureWorkspace, zero: Uint8Array, sources: readonly number[], start: number): { hub: number; need: Uint8Array } | undefined {
  const candidates = hubCandidates(graph, workspace);
  // Candidates that hold each other at admin have the same closure and are reached by the same nodes (whatever
  // holds one at admin holds the other): a class. The well-connected nodes of an enterprise (its IdPs, its
  // platforms, "All employees") are often one class, each a traversal of the whole radius (at 1M nodes, 8 of the
  // 16 candidates: 341k nodes each). A candidate that a candidate explored before holds at admin is explored
  // only until it holds that one at admin too, which makes it a member of its class; the size and the
  // finalists' scores are the same as exploring each, which the choice, and only the choice, depends on.
  const classOf = new Int32Array(candidates.length).fill(-1);
  const heldBy: number[][] = candidates.map(() => []);
  const stop = new Uint8Array(graph.nodeCount);
  const sized: [node: number, size: number, index: number][] = [];
  candidates.forEach((v, i) => {
    for (const j of heldBy[i]!) stop[candidates[j]!] = 1;
    const joined = workspace.runUntil(v, 3, zero, heldBy[i]!.length > 0 ? stop : undefined);
    for (const j of heldBy[i]!) stop[candidates[j]!] = 0;
    if (joined) {
      const j = heldBy[i]!.find((k) => workspace.levelOf(candidates[k]!) === 3)!;
      classOf[i] = classOf[j]!;
      sized.push([v, sized.find(([, , index]) => index === j)![1], i]);
      return;
    }
    classOf[i] = i;
    sized.push([v, workspace.touchedCount, i]);
    // Only explored candidates are class representatives: a later one held at admin may belong to this class.
    for (let k = i + 1; k < candidates.length; k++) if (workspace.levelOf(candidates[k]!) === 3) heldBy[k]!.push(i);
  });
  sized.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  let best: { hub: number; need: Uint8Array; worth: number } | undefined;
  const needOfClass = new Map<number, Uint8Array>();
  for (const [v, size, index] of sized.slice(0, HUB_FINALISTS)) {
    let need = needOfClass.get(classOf[index]!);
    if (!need) needOfClass.set(classOf[index]!, need = levelNeededFor(graph, rules, workspace, v, 3));
    let sharing = 0;
    for (const s of sources) if (need[s]! <= start) sharing++;
    const worth = sharing * size;
    if (!best || worth > best.worth) best = { hub: v, need, worth };
  }
  return best;
}

/**
 * The hub summarizeSources would share for these sources and options, with the candidates it weighed (for
 * tests: the choice changes only how fast the summaries are, never what they are).
 */
export function sharedHubChoice(graph: CompactGraph, sources: readonly number[], options: ReachOptions): { hub: number | undefined; candidates: number[] } {
  const rules = compileReachRules(graph, options);
  const workspace = new ClosureWorkspace(graph, rules);
  const start = LEVEL_CODE[options.sourceLevel ?? 'admin'];
  const candidates = hubCandidates(graph, workspace);
  return { hub: chooseHub(graph, rules, workspace, new Uint8Array(graph.nodeCount), sources, start)?.hub, candidates };
}

export interface SummaryOptions {
  /** Use a shared hub even for few sources (tests exercise the fast path on small graphs). */
  forceHub?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Summaries of the blast radius of each source, equal to `summarizeByReach` for each. With a depth
 * limit (hop counts matter) or non-integer points (sums depend on order) it runs one reach per source;
 * otherwise sources that reach the hub share its closure.
 */
export function summarizeSources(graph: CompactGraph, sources: readonly number[], options: ReachOptions, summary: SummaryOptions = {}): RadiusSummary[] {
  const facts = options.maxDepth === undefined ? nodeFacts(graph) : undefined;
  if (!facts) {
    return sources.map((v, i) => {
      const result = summarizeByReach(graph, v, options);
      summary.onProgress?.(i + 1, sources.length);
      return result;
    });
  }
  const n = graph.nodeCount;
  const rules = compileReachRules(graph, options);
  for (const v of sources) if (v < 0 || v >= n) return sources.map((s) => summarizeByReach(graph, s, options));
  // No reach() below: the traversal's idle work arrays serve (respond calls this after its traversals, at 1M nodes
  // 21 MB of ArrayBuffers fewer; V8 answers every 64 MB of new ones with a full collection of the graph's heap).
  const workspace = new ClosureWorkspace(graph, rules, true);
  const zero = new Uint8Array(n);
  const start = LEVEL_CODE[options.sourceLevel ?? 'admin'];
  let shared: SharedClosure | undefined;
  let need: Uint8Array | undefined;
  if (sources.length >= HUB_WORTH_FROM || summary.forceHub) {
    const chosen = chooseHub(graph, rules, workspace, zero, sources, start);
    if (chosen) {
      shared = sharedClosure(workspace, facts, n, chosen.hub, 3, zero);
      need = chosen.need;
    }
  }
  const localPlatforms = new Uint8Array(facts.platformCount);
  const seenPlatforms: number[] = [];
  return sources.map((v, i) => {
    const base = shared !== undefined && need![v]! <= start ? shared : undefined;
    const floor = base?.floor ?? zero;
    workspace.run(v, start, floor);
    let score = base?.score ?? 0;
    let reached = base?.reached ?? 0;
    let crownJewels = base?.crownJewels ?? 0;
    let lateral = base?.platforms ?? 0;
    const own = facts.platform[v]!;
    if (base && base.perPlatform[own]! > 0) lateral--;
    for (let k = 0; k < workspace.touchedCount; k++) {
      const u = workspace.touched[k]!;
      const level = workspace.level[u]!;
      const below = floor[u]!;
      score += pointsAt(facts, u, level) - (below > 0 ? pointsAt(facts, u, below) : 0);
      if (below > 0) continue;
      reached++;
      crownJewels += facts.crown[u]!;
      const p = facts.platform[u]!;
      if (p !== own && (base === undefined || base.perPlatform[p] === 0) && localPlatforms[p] === 0) {
        localPlatforms[p] = 1;
        seenPlatforms.push(p);
        lateral++;
      }
    }
    for (const p of seenPlatforms) localPlatforms[p] = 0;
    seenPlatforms.length = 0;
    const sourceLevel = Math.max(floor[v]!, workspace.levelOf(v));
    if (sourceLevel > 0) {
      score -= pointsAt(facts, v, sourceLevel);
      reached--;
      crownJewels -= facts.crown[v]!;
    }
    summary.onProgress?.(i + 1, sources.length);
    return { score, reached, crownJewels, lateralPlatforms: lateral, usable: sourceLevel > 0 };
  });
}

/** What governance findings need of one source's blast radius: score, graded nodes held at admin and crown jewels, the source excluded. */
export interface ReachTotals {
  score: number;
  adminOn: number;
  /** Crown jewels reached (node indices, in no particular order). Sources that add none to the hub's share its array. */
  crownJewels: readonly number[];
  /** False when the source cannot be used at the instant: it reaches nothing. */
  usable: boolean;
}

/**
 * Reach totals of many sources on one graph, each equal to a full reach from it, sharing hubs' closures
 * the way `summarizeSources` shares one: a source that reaches a hub at admin starts from the hub's totals and
 * only explores what lies outside it, so rating every credential of an enterprise costs little more than
 * the part of each radius not shared with the others. Undefined with a depth limit or non-integer points
 * (the caller then runs one reach per source). The hubs are chosen on the first call.
 */
export function reachTotalsScanner(graph: CompactGraph, options: ReachOptions): ((source: number) => ReachTotals) | undefined {
  if (options.maxDepth !== undefined) return undefined;
  const facts = nodeFacts(graph);
  if (!facts) return undefined;
  const n = graph.nodeCount;
  const rules = compileReachRules(graph, options);
  const workspace = new ClosureWorkspace(graph, rules);
  const zero = new Uint8Array(n);
  const graded = gradedKinds(graph);
  const { nodeKind } = graph;
  const start = LEVEL_CODE[options.sourceLevel ?? 'admin'];
  let hubs: HubClosure[] | undefined;
  return (v) => {
    hubs ??= hubClosures(graph, rules, workspace, facts, graded, zero);
    // The largest closure this source reaches at admin: what it shares with others and need not explore.
    let base: HubClosure | undefined;
    for (const hub of hubs) if (hub.need[v]! <= start && (!base || hub.size > base.size)) base = hub;
    const floor = base?.floor ?? zero;
    workspace.run(v, start, floor);
    let score = base?.score ?? 0;
    let adminOn = base?.adminOn ?? 0;
    let added: number[] | undefined;
    for (let k = 0; k < workspace.touchedCount; k++) {
      const u = workspace.touched[k]!;
      const level = workspace.level[u]!;
      const below = floor[u]!;
      score += pointsAt(facts, u, level) - (below > 0 ? pointsAt(facts, u, below) : 0);
      // Touched nodes were raised above the floor: a level of 3 here is new admin.
      if (level === 3 && graded[nodeKind[u]!] === 1) adminOn++;
      if (below === 0 && facts.crown[u] === 1) (added ??= []).push(u);
    }
    const sourceLevel = Math.max(floor[v]!, workspace.levelOf(v));
    if (sourceLevel === 0) return { score: 0, adminOn: 0, crownJewels: [], usable: false };
    score -= pointsAt(facts, v, sourceLevel);
    if (sourceLevel === 3 && graded[nodeKind[v]!] === 1) adminOn--;
    let crownJewels: readonly number[] = base?.crownJewels ?? [];
    if (added || facts.crown[v] === 1) crownJewels = [...crownJewels, ...(added ?? [])].filter((u) => u !== v);
    return { score, adminOn, crownJewels, usable: true };
  };
}

/** A hub's closure at admin with its totals, and per node the level needed on it to get there. */
interface HubClosure {
  floor: Uint8Array;
  need: Uint8Array;
  size: number;
  score: number;
  adminOn: number;
  crownJewels: number[];
}

/** Below this many nodes a closure is not worth keeping as a hub. */
const HUB_MIN_SIZE = 64;

/**
 * Closures of the best-connected usable nodes: an enterprise has several cores (each cloud account, the
 * identity provider) and a source reaches some of them; each source then starts from the largest it reaches.
 */
function hubClosures(graph: CompactGraph, rules: CompiledReachRules, workspace: ClosureWorkspace, facts: NodeFacts, graded: Uint8Array, zero: Uint8Array): HubClosure[] {
  const best: [node: number, degree: number][] = [];
  for (let v = 0; v < graph.nodeCount; v++) {
    const degree = graph.revOffsets[v + 1]! - graph.revOffsets[v]! + graph.fwdOffsets[v + 1]! - graph.fwdOffsets[v]!;
    if (best.length < HUB_CANDIDATES || degree > best[best.length - 1]![1]) {
      if (!workspace.usable(v)) continue;
      best.push([v, degree]);
      best.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      if (best.length > HUB_CANDIDATES) best.pop();
    }
  }
  const hubs: HubClosure[] = [];
  for (const [hub] of best) {
    // A candidate inside a kept hub's closure at admin has a closure inside it: a source reaching it reaches
    // that hub's closure too, and its reverse pass would be one more traversal of the whole graph.
    if (hubs.some((kept) => kept.floor[hub] === 3)) continue;
    workspace.run(hub, 3, zero);
    if (workspace.touchedCount < HUB_MIN_SIZE) continue;
    const floor = new Uint8Array(graph.nodeCount);
    let score = 0;
    let adminOn = 0;
    const crownJewels: number[] = [];
    for (let i = 0; i < workspace.touchedCount; i++) {
      const u = workspace.touched[i]!;
      const level = workspace.level[u]!;
      floor[u] = level;
      score += pointsAt(facts, u, level);
      if (level === 3 && graded[graph.nodeKind[u]!] === 1) adminOn++;
      if (facts.crown[u] === 1) crownJewels.push(u);
    }
    const size = workspace.touchedCount;
    hubs.push({ floor, need: levelNeededFor(graph, rules, workspace, hub, 3), size, score, adminOn, crownJewels });
  }
  return hubs;
}

/** What `markedReachScanner` reports of one source: per mark class, how many marked nodes it reaches and the first few. */
export interface MarkedReach {
  /** False when the source cannot be used at the instant: it reaches nothing. */
  usable: boolean;
  /** Per class (index = class - 1): marked nodes reached, the source excluded. */
  counts: number[];
  /** Per class: the `keep` first reached marked nodes in `before` order (all of them when `keep` is Infinity). */
  first: (readonly number[])[];
}

/**
 * For many sources on one graph, which nodes of a marked set each reaches (by class: `marks[v]` is 1..classes,
 * 0 for unmarked), each equal to a full reach from it, with hubs' closures shared as in `reachTotalsScanner`: a
 * source that reaches a hub at admin starts from the hub's marked nodes and only explores what lies outside the
 * hub's closure. A rule that asks this of every credential then costs about one traversal of the shared core
 * plus what each credential adds, not one full traversal per credential. `before` orders the kept nodes.
 * Undefined with a depth limit (hop counts matter; the caller runs one reach per source).
 */
export function markedReachScanner(graph: CompactGraph, options: ReachOptions, marks: Uint8Array, classes: number, keep: number,
  before: (a: number, b: number) => number, hubMinSize = HUB_MIN_SIZE): ((source: number) => MarkedReach) | undefined {
  if (options.maxDepth !== undefined) return undefined;
  const n = graph.nodeCount;
  const rules = compileReachRules(graph, options);
  const workspace = new ClosureWorkspace(graph, rules);
  const zero = new Uint8Array(n);
  const start = LEVEL_CODE[options.sourceLevel ?? 'admin'];
  interface MarkedHub { floor: Uint8Array; need: Uint8Array; size: number; counts: number[]; first: number[][] }
  let hubs: MarkedHub[] | undefined;
  // Marked nodes ranked once by `before`: every later comparison is between two integers.
  let rank: Int32Array | undefined;
  let byRank: Int32Array | undefined;
  const rankMarked = (): void => {
    const marked: number[] = [];
    for (let u = 0; u < n; u++) if (marks[u]! > 0) marked.push(u);
    marked.sort(before);
    rank = new Int32Array(n).fill(-1);
    byRank = Int32Array.from(marked);
    marked.forEach((u, i) => { rank![u] = i; });
  };
  /** The `limit` first of `nodes` in `before` order: a selection for a few, a numeric sort of ranks for all. */
  const firstOf = (nodes: readonly number[], limit = keep): number[] => {
    if (limit <= 0) return [];
    if (limit >= nodes.length) {
      const ranks = Int32Array.from(nodes, (u) => rank![u]!).sort();
      return Array.from(ranks, (r) => byRank![r]!);
    }
    const best: number[] = [];
    for (const u of nodes) {
      const r = rank![u]!;
      if (best.length === limit && r >= rank![best[limit - 1]!]!) continue;
      let i = best.length < limit ? best.length : limit - 1;
      while (i > 0 && rank![best[i - 1]!]! > r) { if (i < limit) best[i] = best[i - 1]!; i--; }
      best[i] = u;
    }
    return best;
  };
  const findHubs = (): MarkedHub[] => {
    const found: MarkedHub[] = [];
    for (const hub of hubCandidates(graph, workspace)) {
      // A candidate inside a kept hub's closure at admin has a closure inside it: sources reaching it mostly
      // reach that hub too, and the reverse pass it would cost is a traversal of the whole graph.
      if (found.some((kept) => kept.floor[hub] === 3)) continue;
      workspace.run(hub, 3, zero);
      if (workspace.touchedCount < hubMinSize) continue;
      const floor = new Uint8Array(n);
      const counts = new Array<number>(classes).fill(0);
      const all: number[][] = Array.from({ length: classes }, () => []);
      for (let i = 0; i < workspace.touchedCount; i++) {
        const u = workspace.touched[i]!;
        floor[u] = workspace.level[u]!;
        const mark = marks[u]!;
        if (mark === 0) continue;
        counts[mark - 1]!++;
        all[mark - 1]!.push(u);
      }
      found.push({ floor, need: levelNeededFor(graph, rules, workspace, hub, 3), size: workspace.touchedCount, counts, first: all.map((nodes) => firstOf(nodes, keep + 1)) });
    }
    return found;
  };
  return (v) => {
    if (!rank) rankMarked();
    hubs ??= findHubs();
    let base: MarkedHub | undefined;
    for (const hub of hubs) if (hub.need[v]! <= start && (!base || hub.size > base.size)) base = hub;
    const floor = base?.floor ?? zero;
    workspace.run(v, start, floor);
    const sourceLevel = Math.max(floor[v]!, workspace.levelOf(v));
    if (sourceLevel === 0) return { usable: false, counts: new Array<number>(classes).fill(0), first: Array.from({ length: classes }, () => []) };
    const counts = base ? [...base.counts] : new Array<number>(classes).fill(0);
    let added: number[][] | undefined;
    for (let k = 0; k < workspace.touchedCount; k++) {
      const u = workspace.touched[k]!;
      const mark = marks[u]!;
      if (mark === 0 || floor[u]! > 0) continue;
      counts[mark - 1]!++;
      ((added ??= Array.from({ length: classes }, () => []))[mark - 1]!).push(u);
    }
    const first: (readonly number[])[] = [];
    for (let c = 0; c < classes; c++) {
      const shared = base?.first[c] ?? [];
      const own = added?.[c] ?? [];
      const dropSource = marks[v] === c + 1;
      // Hubs keep one more than `keep`, in case the source is among them.
      if (own.length === 0 && !dropSource) { first.push(shared.length > keep ? shared.slice(0, keep) : shared); continue; }
      first.push(firstOf([...shared, ...own].filter((u) => u !== v)));
    }
    if (marks[v]! > 0) counts[marks[v]! - 1]!--;
    return { usable: true, counts, first };
  };
}

/**
 * For each target, how many of `sources` reach it (a source is not counted on itself), each answer equal to one
 * full reach per source, with hubs' closures shared as in `markedReachScanner`: a source that reaches a hub at admin
 * counts once for the hub's share and only explores what lies outside the hub's closure. What the review gate needs
 * to say how many integrations reach a resource before and after a proposal, for thousands of resources at once.
 * Undefined with a depth limit (hop counts matter; the caller runs one exposure search per target).
 */
export function exposerCounts(graph: CompactGraph, options: ReachOptions, sources: readonly number[], targets: readonly number[],
  hubOptions: { minSize?: number; force?: boolean } = {}): Int32Array | undefined {
  if (options.maxDepth !== undefined) return undefined;
  const n = graph.nodeCount;
  const counts = new Int32Array(targets.length);
  if (targets.length === 0 || sources.length === 0) return counts;
  const slot = new Int32Array(n).fill(-1);
  targets.forEach((v, i) => { slot[v] = i; });
  const rules = compileReachRules(graph, options);
  const workspace = new ClosureWorkspace(graph, rules);
  const zero = new Uint8Array(n);
  const start = LEVEL_CODE[options.sourceLevel ?? 'admin'];
  interface CountingHub { floor: Uint8Array; need: Uint8Array; size: number; sharing: number }
  const hubs: CountingHub[] = [];
  if (sources.length >= HUB_WORTH_FROM || hubOptions.force === true) {
    for (const hub of hubCandidates(graph, workspace)) {
      if (hubs.some((kept) => kept.floor[hub] === 3)) continue;
      workspace.run(hub, 3, zero);
      if (workspace.touchedCount < (hubOptions.minSize ?? HUB_MIN_SIZE)) continue;
      const floor = new Uint8Array(n);
      for (let i = 0; i < workspace.touchedCount; i++) floor[workspace.touched[i]!] = workspace.level[workspace.touched[i]!]!;
      hubs.push({ floor, need: levelNeededFor(graph, rules, workspace, hub, 3), size: workspace.touchedCount, sharing: 0 });
    }
  }
  for (const s of sources) {
    let base: CountingHub | undefined;
    for (const hub of hubs) if (hub.need[s]! <= start && (!base || hub.size > base.size)) base = hub;
    const floor = base?.floor ?? zero;
    workspace.run(s, start, floor);
    if (base) {
      base.sharing++;
      // The hub's share counts every target in its closure; a source is not its own exposer.
      if (floor[s]! > 0 && slot[s]! >= 0) counts[slot[s]!]!--;
    }
    for (let k = 0; k < workspace.touchedCount; k++) {
      const u = workspace.touched[k]!;
      if (floor[u]! > 0 || u === s) continue;
      const i = slot[u]!;
      if (i >= 0) counts[i]!++;
    }
  }
  for (const hub of hubs) {
    if (hub.sharing === 0) continue;
    targets.forEach((v, i) => { if (hub.floor[v]! > 0) counts[i]! += hub.sharing; });
  }
  return counts;
}

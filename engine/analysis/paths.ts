// Attack paths out of a blast radius: lateral movement (witness paths that leave the sources' platforms,
// grouped by the step that leaves them) and every shortest path to one target, level-aware.
import { BlastmapError } from '../errors.ts';
import { effectiveSensitivity, LEVEL_CODE, levelName, type Level } from '../schema/index.ts';
import type { CompactGraph } from '../store/compact.ts';
import { compareIds, CROWN_JEWEL_TAG, nodeRef, ranksOfNodes, stepView, type NodeRef, type PathStepView } from './radius.ts';
import { dormantPath, hopsAtLeast, reach, toInstant, traversalRules, witnessPath, type PathStep, type ReachOptions, type ReachResult } from './reach.ts';
import { impactOrder, nodeColumns } from './columns.ts';
import { nodePoints, scoreOrder } from './score.ts';

export interface LateralTarget extends NodeRef {
  level: Level;
  hops: number;
  points: number;
  sensitivity: number;
  crownJewel: boolean;
  /** Platforms the witness path passes through, in order, from the source's. */
  platforms: string[];
  /** Witness path from a source; replaying it yields `level`. */
  path: PathStepView[];
}

/** A later step on the witness paths beyond a bridge that changes platform again (e.g. a cloud key found in CRM data). */
export interface LateralCrossing {
  step: PathStepView;
  /** Points of the nodes whose witness path takes this step. */
  score: number;
  reachedCount: number;
  crownJewels: number;
}

export interface LateralBridge {
  /** The step that first leaves the sources' platforms. */
  bridge: PathStepView;
  /** Witness path from a source up to and including the bridge. */
  approach: PathStepView[];
  /** Points of the off-platform nodes whose witness path crosses this bridge. */
  score: number;
  reachedCount: number;
  crownJewels: number;
  /** Platforms those nodes are on, by score. */
  platforms: string[];
  /** Those nodes: crown jewels first, then by points. */
  targets: LateralTarget[];
  /** Further platform changes beyond the bridge, by what lies beyond them. */
  onward: LateralCrossing[];
}

export interface LateralPlatform {
  platform: string;
  reached: number;
  score: number;
  crownJewels: number;
}

export interface LateralPaths {
  analysis: 'lateral-paths';
  sources: NodeRef[];
  sourcePlatforms: string[];
  at: string;
  maxDepth: number | null;
  /** Score of the whole radius, for scale. */
  score: number;
  /** Score of the off-platform part. */
  lateralScore: number;
  lateralCount: number;
  crownJewels: number;
  platforms: LateralPlatform[];
  /** Crown jewels first, then by score beyond. */
  bridges: LateralBridge[];
}

const isCrownJewel = (graph: CompactGraph, v: number): boolean => graph.nodes[v]!.tags?.includes(CROWN_JEWEL_TAG) ?? false;

function platformChain(path: readonly PathStepView[]): string[] {
  const chain: string[] = [];
  const push = (platform: string) => { if (chain[chain.length - 1] !== platform) chain.push(platform); };
  if (path.length > 0) push(path[0]!.from.platform);
  for (const step of path) push(step.to.platform);
  return chain;
}

/**
 * Where an entry's witness path starts in its reach result: the JSON writers number the witness tree's states
 * once from there (each step's view built once) instead of building every entry's path.
 */
export const WITNESS_STATE = Symbol('witness state');
export interface WitnessState { result: ReachResult; node: number; level: number }

/**
 * A bridge's targets as numbers, in the bridge's order (when every target is listed): the JSON writer writes them from
 * these instead of making an entry object per target (333,773 at a million nodes). `targets` builds the entries on
 * first read.
 */
export const TARGET_COLUMNS = Symbol('lateral target columns');
export interface LateralTargetColumns {
  result: ReachResult;
  /** Per target, in order: its node, the hops of its witness path, its points, 1 when a crown jewel. */
  nodes: Int32Array;
  hops: Int32Array;
  points: Float64Array;
  crown: Uint8Array;
}

/** The columns behind a bridge's targets, when `lateralPathsOf` listed them all. */
export function lateralTargetColumns(bridge: LateralBridge): LateralTargetColumns | undefined {
  return (bridge as { [TARGET_COLUMNS]?: LateralTargetColumns })[TARGET_COLUMNS];
}

/** A lateral target whose witness path (and the platforms along it) is built when read or written out. */
class TargetEntry implements LateralTarget {
  id: string;
  name: string;
  kind: string;
  platform: string;
  tenant: string;
  level: Level;
  hops: number;
  points: number;
  sensitivity: number;
  crownJewel: boolean;
  readonly #result: ReachResult;
  readonly #node: number;
  constructor(result: ReachResult, v: number, hops: number, points: number, crownJewel: boolean) {
    const { graph } = result;
    const { id, name, kind, platform, tenant } = nodeRef(graph, v);
    this.id = id;
    this.name = name;
    this.kind = kind;
    this.platform = platform;
    this.tenant = tenant;
    this.level = levelName(result.level[v]!);
    this.hops = hops;
    this.points = points;
    this.sensitivity = effectiveSensitivity(graph.nodes[v]!);
    this.crownJewel = crownJewel;
    this.#result = result;
    this.#node = v;
  }
  get path(): PathStepView[] {
    return witnessPath(this.#result, this.#node, this.#result.level[this.#node]!).map((step) => stepView(this.#result.graph, step));
  }
  [WITNESS_STATE](): WitnessState {
    return { result: this.#result, node: this.#node, level: this.#result.level[this.#node]! };
  }
  get platforms(): string[] {
    return platformChain(this.path);
  }
  toJSON(): LateralTarget {
    const { id, name, kind, platform, tenant, level, hops, points, sensitivity, crownJewel } = this;
    const path = this.path;
    return { id, name, kind, platform, tenant, level, hops, points, sensitivity, crownJewel, platforms: platformChain(path), path };
  }
}

/**
 * Lateral movement: every reached node on a platform none of the sources is on, grouped by the bridge its
 * witness path crosses (the first step whose target is on such a platform), bridges ranked by the crown
 * jewels and score that lie beyond them. Each node is attributed to exactly one bridge, the one on its
 * witness path; a node reachable over several bridges depends on none of them alone (see chokePoints).
 *
 * Linear in the radius: witness paths form a tree over (node, level) states, so each state's bridge is its
 * parent's (or itself, where the path first leaves the sources' platforms), and what lies beyond a bridge or
 * a later crossing is the sum over its subtree. No witness path is built except those reported.
 */
export function lateralPaths(graph: CompactGraph, sources: readonly number[], options: ReachOptions & LateralListing = {}): LateralPaths {
  return lateralPathsOf(reach(graph, sources, options), options);
}

/** `lateralPaths` of a reach result already computed (the server's radius answer shares one with the radius). */
export interface LateralListing {
  /** Targets listed per bridge (default all): the first ones in the bridge's order. */
  targetsPerBridge?: number;
  /** With `targetsPerBridge`: every crown jewel beyond a bridge is listed as well (they lead its order). */
  everyCrownJewel?: boolean;
}

export function lateralPathsOf(result: ReachResult, options: ReachOptions & LateralListing = {}): LateralPaths {
  const { graph } = result;
  const { hops, parentEdge, parentLevel, level } = result;
  const isSource = new Set(result.sources);
  const sourcePlatforms = new Set(result.sources.map((s) => graph.nodes[s]!.platform));
  // Node facts from the graph's typed columns: a node object read per reached node was most of this function's time.
  const columns = nodeColumns(graph);
  const platformCount = columns.platformNames.length;
  const onSourcePlatform = new Uint8Array(platformCount);
  for (const s of result.sources) onSourcePlatform[columns.platform[s]!] = 1;
  const offPlatform = (v: number): boolean => onSourcePlatform[columns.platform[v]!] === 0;

  // States of the witness tree by increasing hops (a counting sort: hops are small).
  let maxHops = 0;
  let count = 0;
  for (const v of result.order) for (let l = 0; l < 3; l++) if (hops[v * 3 + l]! >= 0) { count++; maxHops = Math.max(maxHops, hops[v * 3 + l]!); }
  const starts = new Int32Array(maxHops + 2);
  for (const v of result.order) for (let l = 0; l < 3; l++) if (hops[v * 3 + l]! >= 0) starts[hops[v * 3 + l]! + 1]!++;
  for (let i = 0; i <= maxHops; i++) starts[i + 1]! += starts[i]!;
  const slots = new Int32Array(count);
  for (const v of result.order) for (let l = 0; l < 3; l++) if (hops[v * 3 + l]! >= 0) slots[starts[hops[v * 3 + l]!]!++] = v * 3 + l;
  const parentSlot = (slot: number): number => {
    const e = parentEdge[slot]!;
    return e < 0 ? -1 : graph.edgeSrc[e]! * 3 + parentLevel[slot]! - 1;
  };

  // Per state, by its position in `slots` (`at`: a state's position): five arrays the size of the reached states, not
  // of every (node, level) slot of the graph (72 MB at a million nodes, and the full collections they caused).
  const at = new Int32Array(graph.nodeCount * 3);
  for (let k = 0; k < count; k++) at[slots[k]!] = k;
  const bridgeOf = new Int32Array(count).fill(-1);
  const depth = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    const slot = slots[k]!;
    const parent = parentSlot(slot);
    if (parent < 0) continue;
    const up = at[parent]!;
    depth[k] = depth[up]! + 1;
    bridgeOf[k] = bridgeOf[up]! >= 0 ? bridgeOf[up]! : offPlatform((slot / 3) | 0) ? slot : -1;
  }
  // What lies beyond each state: the off-platform nodes whose witness path passes there.
  const score = new Float64Array(count);
  const reached = new Int32Array(count);
  const jewels = new Int32Array(count);
  const bridges = new Map<number, LateralBridge>();
  // Bridges in the order first met, numbered: a target's bridge by number.
  const bridgeSlots: number[] = [];
  const bridgeNumber = new Map<number, number>();
  const platformReached = new Int32Array(platformCount);
  const platformScore = new Float64Array(platformCount);
  const platformCrown = new Int32Array(platformCount);
  const platformsSeen: number[] = [];
  const capacity = result.order.length;
  const targetNodes = new Int32Array(capacity);
  const targetBridges = new Int32Array(capacity);
  const targetHops = new Int32Array(capacity);
  const targetPoints = new Float64Array(capacity);
  const targetCrown = new Uint8Array(capacity);
  let targetCount = 0;
  for (const v of result.order) {
    if (isSource.has(v) || !offPlatform(v)) continue;
    const k = at[v * 3 + level[v]! - 1]!;
    const points = nodePoints(graph, v, level[v]!);
    const crownJewel = columns.crownJewel[v] === 1;
    score[k]! += points;
    reached[k]!++;
    if (crownJewel) jewels[k]!++;
    const bridgeSlot = bridgeOf[k]!;
    let number = bridgeNumber.get(bridgeSlot);
    if (number === undefined) {
      const approach = witnessPath(result, (bridgeSlot / 3) | 0, (bridgeSlot % 3) + 1).map((step) => stepView(graph, step));
      bridges.set(bridgeSlot, { bridge: approach[approach.length - 1]!, approach, score: 0, reachedCount: 0, crownJewels: 0, platforms: [], targets: [], onward: [] });
      bridgeNumber.set(bridgeSlot, number = bridgeSlots.length);
      bridgeSlots.push(bridgeSlot);
    }
    targetNodes[targetCount] = v;
    targetBridges[targetCount] = number;
    targetHops[targetCount] = depth[k]!;
    targetPoints[targetCount] = points;
    targetCrown[targetCount] = crownJewel ? 1 : 0;
    targetCount++;
    const p = columns.platform[v]!;
    if (platformReached[p] === 0) platformsSeen.push(p);
    platformReached[p]!++;
    platformScore[p]! += points;
    if (crownJewel) platformCrown[p]!++;
  }
  const platforms: LateralPlatform[] = platformsSeen.map((p) => ({ platform: columns.platformNames[p]!, reached: platformReached[p]!, score: platformScore[p]!, crownJewels: platformCrown[p]! }));
  for (let k = count - 1; k >= 0; k--) {
    const parent = parentSlot(slots[k]!);
    if (parent < 0 || reached[k] === 0) continue;
    const up = at[parent]!;
    score[up]! += score[k]!;
    reached[up]! += reached[k]!;
    jewels[up]! += jewels[k]!;
  }
  const onward = new Map<number, LateralCrossing[]>();
  for (let k = 0; k < count; k++) {
    const slot = slots[k]!;
    const bridgeSlot = bridgeOf[k]!;
    if (bridgeSlot < 0 || bridgeSlot === slot || reached[k] === 0) continue;
    const e = parentEdge[slot]!;
    const from = graph.edgeSrc[e]!;
    const to = (slot / 3) | 0;
    if (columns.platform[from] === columns.platform[to]) continue;
    const list = onward.get(bridgeSlot) ?? [];
    list.push({ step: stepView(graph, { edge: e, from, to, fromLevel: parentLevel[slot]!, toLevel: (slot % 3) + 1 }), score: score[k]!, reachedCount: reached[k]!, crownJewels: jewels[k]! });
    onward.set(bridgeSlot, list);
  }

  const byImpact = <T extends { crownJewels: number; score: number }>(a: T, b: T) => b.crownJewels - a.crownJewels || b.score - a.score;
  // Every bridge's targets in one order (crown jewels, points, hops, then id as localeCompare orders ids), from one
  // sort of packed keys (impactOrder): a comparator reading objects and a collator call per comparison were most of
  // this function's time at a million nodes. Entries are built only for the targets listed (`targetsPerBridge`); each
  // bridge's score per platform is summed in that order, per (bridge, platform) code.
  const listed = options.targetsPerBridge ?? Infinity;
  const everyJewel = options.everyCrownJewel === true;
  let integral = true;
  for (let i = 0; i < targetCount && integral; i++) if (!Number.isInteger(targetPoints[i]!)) integral = false;
  // A few targets per bridge (the text report): no order over them all. The sums per (bridge, platform) are exact in
  // any order when every target's points are whole numbers, and a bridge's platforms are listed by score, so the
  // targets are summed in their own order and each bridge keeps its best `listed` as they come (ids compared by
  // the collator only on ties), plus every crown jewel with `everyCrownJewel`. Otherwise one sort of them all.
  const selecting = listed !== Infinity && integral;
  const targetOrder = selecting ? undefined : impactOrder(targetCount, targetCrown, targetPoints, targetHops, ranksOfNodes(graph, targetNodes.subarray(0, targetCount)));
  const bridgeCount = bridgeSlots.length;
  // One cell per (bridge, platform) while that stays small next to the targets; a map of the pairs met otherwise.
  const flat = bridgeCount * platformCount <= 4 * targetCount + 4096;
  const cellScore = flat ? new Float64Array(bridgeCount * platformCount) : undefined;
  const cellMet = flat ? new Uint8Array(bridgeCount * platformCount) : undefined;
  const cellMap = flat ? undefined : new Map<number, number>();
  const platformsMet: number[][] = bridgeSlots.map(() => []);
  const bridgeList = bridgeSlots.map((slot) => bridges.get(slot)!);
  const entry = (i: number): TargetEntry => new TargetEntry(result, targetNodes[i]!, targetHops[i]!, targetPoints[i]!, targetCrown[i] === 1);
  // Every target listed: each bridge keeps its targets' numbers, and makes their entries when `targets` is read.
  const everything = listed === Infinity;
  const everyTarget: number[][] = bridgeSlots.map(() => []);
  for (let position = 0; position < targetCount; position++) {
    const i = targetOrder === undefined ? position : targetOrder[position]!;
    const number = targetBridges[i]!;
    const bridge = bridgeList[number]!;
    const v = targetNodes[i]!;
    if (everything) everyTarget[number]!.push(i);
    else if (targetOrder !== undefined && (bridge.targets.length < listed || (everyJewel && targetCrown[i] === 1))) bridge.targets.push(entry(i));
    const p = columns.platform[v]!;
    const cell = number * platformCount + p;
    if (cellScore) {
      if (cellMet![cell] === 0) { cellMet![cell] = 1; platformsMet[number]!.push(p); }
      cellScore[cell]! += targetPoints[i]!;
    } else {
      const sum = cellMap!.get(cell);
      if (sum === undefined) platformsMet[number]!.push(p);
      cellMap!.set(cell, (sum ?? 0) + targetPoints[i]!);
    }
  }
  if (selecting) {
    const precedes = (a: number, b: number): boolean => (targetCrown[b]! - targetCrown[a]! || targetPoints[b]! - targetPoints[a]! || targetHops[a]! - targetHops[b]!
      || compareIds(graph.nodes[targetNodes[a]!]!.id, undefined, graph.nodes[targetNodes[b]!]!.id, undefined)) < 0;
    const best: number[][] = bridgeSlots.map(() => []);
    const jewelsOf: number[][] = bridgeSlots.map(() => []);
    for (let i = 0; i < targetCount; i++) {
      const number = targetBridges[i]!;
      if (everyJewel && targetCrown[i] === 1) { jewelsOf[number]!.push(i); continue; }
      if (listed <= 0) continue;
      const top = best[number]!;
      if (top.length === listed && !precedes(i, top[listed - 1]!)) continue;
      let at = top.length;
      while (at > 0 && precedes(i, top[at - 1]!)) at--;
      top.splice(at, 0, i);
      if (top.length > listed) top.pop();
    }
    bridgeList.forEach((bridge, number) => {
      const own = jewelsOf[number]!.sort((a, b) => (precedes(a, b) ? -1 : 1));
      const rest = best[number]!;
      bridge.targets = [...own, ...rest.slice(0, Math.max(0, listed - own.length))].map(entry);
    });
  }
  if (everything) {
    bridgeList.forEach((bridge, number) => {
      const listedTargets = Int32Array.from(everyTarget[number]!);
      const columns: LateralTargetColumns = {
        result,
        nodes: listedTargets.map((i) => targetNodes[i]!),
        hops: listedTargets.map((i) => targetHops[i]!),
        points: Float64Array.from(listedTargets, (i) => targetPoints[i]!),
        crown: Uint8Array.from(listedTargets, (i) => targetCrown[i]!),
      };
      let built: LateralTarget[] | undefined;
      // Once the list is handed out (it may be changed) or replaced, the columns no longer speak for it.
      const drop = (): void => { delete (bridge as { [TARGET_COLUMNS]?: LateralTargetColumns })[TARGET_COLUMNS]; };
      // Redefined in place: `targets` keeps its position among the bridge's keys.
      Object.defineProperty(bridge, 'targets', {
        enumerable: true,
        configurable: true,
        get: () => { drop(); return (built ??= Array.from(listedTargets, entry)); },
        set: (value: LateralTarget[]) => { drop(); built = value; },
      });
      Object.defineProperty(bridge, TARGET_COLUMNS, { value: columns, enumerable: false, configurable: true });
    });
  }
  const scoreByPlatform = new Map<number, Map<string, number>>();
  bridgeSlots.forEach((bridgeSlot, number) => {
    scoreByPlatform.set(bridgeSlot, new Map(platformsMet[number]!.map((p) => {
      const cell = number * platformCount + p;
      return [columns.platformNames[p]!, cellScore ? cellScore[cell]! : cellMap!.get(cell)!];
    })));
  });
  for (const [bridgeSlot, bridge] of bridges) {
    bridge.score = score[at[bridgeSlot]!]!;
    bridge.reachedCount = reached[at[bridgeSlot]!]!;
    bridge.crownJewels = jewels[at[bridgeSlot]!]!;
    bridge.onward = (onward.get(bridgeSlot) ?? []).sort((a, b) => byImpact(a, b) || a.step.edgeId.localeCompare(b.step.edgeId) || a.step.level.localeCompare(b.step.level));
    bridge.platforms = [...scoreByPlatform.get(bridgeSlot)!].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([platform]) => platform);
  }
  const ranked = [...bridges.values()].sort((a, b) => byImpact(a, b) || b.reachedCount - a.reachedCount || a.bridge.edgeId.localeCompare(b.bridge.edgeId) || a.bridge.level.localeCompare(b.bridge.level));
  const platformList = platforms.sort((a, b) => byImpact(a, b) || a.platform.localeCompare(b.platform));
  return {
    analysis: 'lateral-paths',
    sources: result.sources.map((s) => nodeRef(graph, s)),
    sourcePlatforms: [...sourcePlatforms].sort(),
    at: new Date(result.at).toISOString(),
    maxDepth: options.maxDepth ?? null,
    score: scoreOrder(graph, result.level, result.order, result.sources),
    lateralScore: ranked.reduce((sum, bridge) => sum + bridge.score, 0),
    lateralCount: ranked.reduce((sum, bridge) => sum + bridge.reachedCount, 0),
    crownJewels: ranked.reduce((sum, bridge) => sum + bridge.crownJewels, 0),
    platforms: platformList,
    bridges: ranked,
  };
}

export interface ShortestPathsOptions extends ReachOptions {
  /** Most paths to list (default 10). */
  limit?: number;
}

export interface ShortestPaths {
  analysis: 'shortest-paths';
  sources: NodeRef[];
  target: NodeRef & { crownJewel: boolean };
  at: string;
  maxDepth: number | null;
  /** Whether the sources reach the target at all. */
  reached: boolean;
  /** Best level reached on the target, and the fewest hops that deliver it. */
  level: Level | null;
  hops: number | null;
  /** How many distinct shortest paths deliver the target at `level` (saturates at 2^53 - 1). */
  total: number;
  /** At most `limit` of them: the witness path (the one radius shows) first, then in graph order. */
  paths: PathStepView[][];
  truncated: boolean;
  /** When the target is not reached but the attacker gets to it unusable (revoked, expired, disabled): how. */
  dormant: { level: Level; hops: number; path: PathStepView[] } | null;
}

/**
 * Every shortest path (up to `limit`) that delivers `target` at the best level the sources reach on it.
 *
 * Works on the (node, level) state graph: a state is "tight" when the fewest hops to reach it exactly
 * equal the fewest hops at which its node is held at that level or more (what reach computes). Every
 * prefix of a shortest path to the best level ends in a tight state, otherwise the rest of the path,
 * replayed from the better or earlier state, would be shorter. So the paths are those of the layered
 * DAG of tight states, pruned to states that lead to the target; enumerating that DAG never backtracks
 * out of a dead end. A path is a sequence of edges: replaying it from the source fixes every level.
 */
export function shortestPaths(graph: CompactGraph, sources: readonly number[], target: number, options: ShortestPathsOptions = {}): ShortestPaths {
  const limit = options.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1) throw new BlastmapError('INVALID_OPTION', `engine/analysis: path limit must be a whole number of at least 1, got ${limit}`);
  if (!Number.isInteger(target) || target < 0 || target >= graph.nodeCount) throw new BlastmapError('INVALID_OPTION', `engine/analysis: target index ${target} is not a node`);
  const { limit: _limit, ...rest } = options;
  // One instant for the traversal and the step rules.
  const reachOptions: ReachOptions = { ...rest, at: toInstant(options.at) };
  const result = reach(graph, sources, reachOptions);
  const rules = traversalRules(graph, reachOptions);
  const base = {
    analysis: 'shortest-paths' as const,
    sources: result.sources.map((s) => nodeRef(graph, s)),
    target: { ...nodeRef(graph, target), crownJewel: isCrownJewel(graph, target) },
    at: new Date(result.at).toISOString(),
    maxDepth: options.maxDepth ?? null,
  };
  const best = result.level[target]!;
  if (best === 0) {
    const info = result.dormant.get(target);
    const dormant = info ? { level: levelName(info.level), hops: info.hops, path: dormantPath(result, target).map((step) => stepView(graph, step)) } : null;
    return { ...base, reached: false, level: null, hops: null, total: 0, paths: [], truncated: false, dormant };
  }
  const goal = target * 3 + best - 1;
  const length = result.hops[goal]!;
  const { fwdOffsets, revOffsets, revEdges, edgeSrc, edgeDst } = graph;

  // Layer of each tight state (its exact distance), built forward from the sources' starting states.
  const layer = new Int32Array(graph.nodeCount * 3).fill(-1);
  const layers: number[][] = [[]];
  const startLevel = LEVEL_CODE[reachOptions.sourceLevel ?? 'admin'];
  for (const s of result.sources) {
    const slot = s * 3 + startLevel - 1;
    if (result.hops[slot] === 0 && layer[slot] === -1) { layer[slot] = 0; layers[0]!.push(slot); }
  }
  for (let depth = 0; depth < length; depth++) {
    const next: number[] = [];
    for (const slot of layers[depth]!) {
      const u = (slot / 3) | 0;
      for (let e = fwdOffsets[u]!, end = fwdOffsets[u + 1]!; e < end; e++) {
        const gained = rules.step(e, (slot % 3) + 1);
        const v = edgeDst[e]!;
        if (gained === 0 || !rules.usable(v)) continue;
        const to = v * 3 + gained - 1;
        if (layer[to] === -1 && hopsAtLeast(result, v, gained) === depth + 1) { layer[to] = depth + 1; next.push(to); }
      }
    }
    layers.push(next);
  }
  if (layer[goal] !== length) throw new Error('engine/analysis: the target state is not on the shortest-path layers');

  // Keep the tight states from which the goal is reachable along tight steps.
  const useful = new Uint8Array(graph.nodeCount * 3);
  useful[goal] = 1;
  for (let depth = length; depth > 0; depth--) {
    for (const slot of layers[depth]!) {
      if (useful[slot] === 0) continue;
      const v = (slot / 3) | 0;
      const gained = (slot % 3) + 1;
      for (let i = revOffsets[v]!, end = revOffsets[v + 1]!; i < end; i++) {
        const e = revEdges[i]!;
        const u = edgeSrc[e]!;
        for (let held = 1; held <= 3; held++) {
          const from = u * 3 + held - 1;
          if (layer[from] === depth - 1 && rules.step(e, held) === gained) useful[from] = 1;
        }
      }
    }
  }
  const tightSteps = (slot: number, depth: number): [edge: number, to: number][] => {
    const u = (slot / 3) | 0;
    const out: [number, number][] = [];
    for (let e = fwdOffsets[u]!, end = fwdOffsets[u + 1]!; e < end; e++) {
      const gained = rules.step(e, (slot % 3) + 1);
      if (gained === 0) continue;
      const to = edgeDst[e]! * 3 + gained - 1;
      if (layer[to] === depth + 1 && useful[to] === 1) out.push([e, to]);
    }
    return out;
  };

  // Number of shortest paths: path counts along the useful layers.
  const count = new Float64Array(graph.nodeCount * 3);
  for (const slot of layers[0]!) if (useful[slot] === 1) count[slot] = 1;
  for (let depth = 0; depth < length; depth++) {
    for (const slot of layers[depth]!) {
      if (useful[slot] === 0 || count[slot] === 0) continue;
      for (const [, to] of tightSteps(slot, depth)) count[to] = count[to]! + count[slot]!;
    }
  }
  const total = Math.min(count[goal]!, Number.MAX_SAFE_INTEGER);

  // Depth-first enumeration in graph order; every branch ends at the goal.
  const found: number[][] = [];
  const trail: number[] = [];
  const walk = (slot: number, depth: number): void => {
    if (found.length >= limit) return;
    if (depth === length) {
      if (slot === goal) found.push([...trail]);
      return;
    }
    for (const [e, to] of tightSteps(slot, depth)) {
      trail.push(e);
      walk(to, depth + 1);
      trail.pop();
      if (found.length >= limit) return;
    }
  };
  for (const slot of layers[0]!) if (useful[slot] === 1) walk(slot, 0);

  const witness = witnessPath(result, target, best);
  const witnessKey = witness.map((step) => step.edge).join(',');
  const others = found.filter((edges) => edges.join(',') !== witnessKey);
  const chosen = [witness.map((step) => step.edge), ...others].slice(0, limit);
  const paths = chosen.map((edges) => replay(graph, rules.step, startLevel, result.sources, edges).map((step) => stepView(graph, step)));
  return { ...base, reached: true, level: levelName(best), hops: length, total, paths, truncated: total > paths.length, dormant: null };
}

/** Levels along an edge sequence, from the source it starts at. */
function replay(graph: CompactGraph, step: (e: number, held: number) => number, startLevel: number, sources: readonly number[], edges: readonly number[]): PathStep[] {
  const steps: PathStep[] = [];
  let held = startLevel;
  for (const e of edges) {
    const from = graph.edgeSrc[e]!;
    if (steps.length === 0 && !sources.includes(from)) throw new Error('engine/analysis: a shortest path does not start at a source');
    const toLevel = step(e, held);
    steps.push({ edge: e, from, to: graph.edgeDst[e]!, fromLevel: held, toLevel });
    held = toLevel;
  }
  return steps;
}

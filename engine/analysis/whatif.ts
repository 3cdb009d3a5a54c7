// What-if: the blast radius before and after a set of mitigations, and the difference (nodes no longer
// reached, levels lowered, crown jewels cut off, score). Mitigations are an in-memory overlay only.
import { LEVEL_CODE, levelName, type Level } from '../schema/index.ts';
import type { CompactGraph } from '../store/compact.ts';
import { compileMitigations, mergeOverlays, type AppliedMitigation, type CompiledMitigations, type Mitigation } from './mitigations.ts';
import { CROWN_JEWEL_TAG, nodeRef, stepView, type NodeRef, type PathStepView, type PlatformSummary } from './radius.ts';
import { WITNESS_STATE, type WitnessState } from './paths.ts';
import { hopsAtLeast, reach, toInstant, witnessPath, type ReachOptions, type ReachResult } from './reach.ts';
import { nodePoints } from './score.ts';

/** The headline numbers of one radius. */
export interface WhatIfSummary {
  score: number;
  scoreParts: { data: number; principals: number };
  reachedCount: number;
  crownJewels: (NodeRef & { level: Level })[];
  platforms: PlatformSummary[];
  byKind: Record<string, number>;
}

export interface WhatIfRemoved extends NodeRef {
  levelBefore: Level;
  hopsBefore: number;
  pointsBefore: number;
  crownJewel: boolean;
  /** How it was reached before the mitigations. */
  pathBefore: PathStepView[];
}

export interface WhatIfLowered extends NodeRef {
  levelBefore: Level;
  levelAfter: Level;
  pointsBefore: number;
  pointsAfter: number;
  crownJewel: boolean;
}

export interface WhatIfResult {
  sources: NodeRef[];
  at: string;
  maxDepth: number | null;
  mitigations: AppliedMitigation[];
  before: WhatIfSummary;
  after: WhatIfSummary;
  scoreBefore: number;
  scoreAfter: number;
  /** scoreAfter - scoreBefore (never positive). */
  scoreDelta: number;
  /** Reached before, not at all after. */
  removed: WhatIfRemoved[];
  /** Still reached, at a lower level. */
  lowered: WhatIfLowered[];
  /** Reached at the same level before and after. */
  unchangedCount: number;
  /** Crown jewels no longer reached at all. */
  crownJewelsCut: (NodeRef & { levelBefore: Level })[];
}

const LEVEL_RANK: Record<Level, number> = { read: 1, write: 2, admin: 3 };
const byName = (a: string, b: string): number => a.localeCompare(b);

/**
 * The headline numbers of a radius, straight from the reach result: no per-node entry or witness path is
 * built (a what-if at enterprise scale compares two radii of hundreds of thousands of nodes). Lists and key
 * orders are those of describeRadius: crown jewels first, then by points, hops and id.
 */
function summarise(result: ReachResult): WhatIfSummary {
  const { graph } = result;
  const isSource = new Set(result.sources);
  let data = 0;
  let principals = 0;
  const points = new Float64Array(graph.nodeCount);
  const reached: number[] = [];
  for (const v of result.order) {
    if (isSource.has(v)) continue;
    const node = graph.nodes[v]!;
    points[v] = nodePoints(graph, v, result.level[v]!);
    if (graph.schema.nodeKinds[node.kind]!.graded) data += points[v]!;
    else principals += points[v]!;
    reached.push(v);
  }
  const crown = (v: number): boolean => graph.nodes[v]!.tags?.includes(CROWN_JEWEL_TAG) ?? false;
  const before = (a: number, b: number): number => Number(crown(b)) - Number(crown(a)) || points[b]! - points[a]!
    || hopsAtLeast(result, a, result.level[a]!) - hopsAtLeast(result, b, result.level[b]!) || byName(graph.nodes[a]!.id, graph.nodes[b]!.id);
  // Groups are listed in the order of their first member in that order.
  const platforms = new Map<string, PlatformSummary & { firsts: Map<string, number> }>();
  const kinds = new Map<string, { count: number; first: number }>();
  const jewels: number[] = [];
  for (const v of reached) {
    const node = graph.nodes[v]!;
    let summary = platforms.get(node.platform);
    if (!summary) {
      summary = { platform: node.platform, tenants: [], reached: 0, read: 0, write: 0, admin: 0, score: 0, crownJewels: 0, firsts: new Map() };
      platforms.set(node.platform, summary);
    }
    const first = summary.firsts.get(node.tenant);
    if (first === undefined || before(v, first) < 0) summary.firsts.set(node.tenant, v);
    summary.reached++;
    summary[levelName(result.level[v]!)]++;
    summary.score += points[v]!;
    if (crown(v)) { summary.crownJewels++; jewels.push(v); }
    const kind = kinds.get(node.kind);
    if (!kind) kinds.set(node.kind, { count: 1, first: v });
    else { kind.count++; if (before(v, kind.first) < 0) kind.first = v; }
  }
  const byKind: Record<string, number> = {};
  for (const [kind, { count }] of [...kinds].sort((a, b) => before(a[1].first, b[1].first))) byKind[kind] = count;
  return {
    score: data + principals,
    scoreParts: { data, principals },
    reachedCount: reached.length,
    crownJewels: jewels.sort(before).map((v) => ({ ...nodeRef(graph, v), level: levelName(result.level[v]!) })),
    platforms: [...platforms.values()]
      .map(({ firsts, ...summary }) => ({ ...summary, tenants: [...firsts].sort((a, b) => before(a[1], b[1])).map(([tenant]) => tenant) }))
      .sort((a, b) => b.score - a.score || a.platform.localeCompare(b.platform)),
    byKind,
  };
}

/** A removed node whose witness path is built when read (or written out): most reports show a few of them. */
class RemovedEntry implements WhatIfRemoved {
  id: string;
  name: string;
  kind: string;
  platform: string;
  tenant: string;
  levelBefore: Level;
  hopsBefore: number;
  pointsBefore: number;
  crownJewel: boolean;
  readonly #result: ReachResult;
  readonly #node: number;
  constructor(result: ReachResult, v: number, level: number, pointsBefore: number, crownJewel: boolean) {
    const { id, name, kind, platform, tenant } = nodeRef(result.graph, v);
    this.id = id;
    this.name = name;
    this.kind = kind;
    this.platform = platform;
    this.tenant = tenant;
    this.levelBefore = levelName(level);
    this.hopsBefore = hopsAtLeast(result, v, level);
    this.pointsBefore = pointsBefore;
    this.crownJewel = crownJewel;
    this.#result = result;
    this.#node = v;
  }
  get pathBefore(): PathStepView[] {
    return witnessPath(this.#result, this.#node, LEVEL_CODE[this.levelBefore]).map((step) => stepView(this.#result.graph, step));
  }
  [WITNESS_STATE](): WitnessState {
    return { result: this.#result, node: this.#node, level: LEVEL_CODE[this.levelBefore] };
  }
  toJSON(): WhatIfRemoved {
    const { id, name, kind, platform, tenant, levelBefore, hopsBefore, pointsBefore, crownJewel } = this;
    return { id, name, kind, platform, tenant, levelBefore, hopsBefore, pointsBefore, crownJewel, pathBefore: this.pathBefore };
  }
}

/**
 * The radius of `sources` with and without the mitigations (a list, or already compiled). Any overlay in
 * `options` applies to both sides: it is the baseline, the mitigations come on top. Only what changed is
 * described node by node; a removed node's witness path is built when read.
 */
export function whatIf(graph: CompactGraph, sources: readonly number[], mitigations: readonly Mitigation[] | CompiledMitigations, options: ReachOptions = {}): WhatIfResult {
  const compiled = Array.isArray(mitigations) ? compileMitigations(graph, mitigations as readonly Mitigation[]) : (mitigations as CompiledMitigations);
  const at = toInstant(options.at);
  const beforeOptions: ReachOptions = { ...options, at };
  const afterOptions: ReachOptions = { ...options, at, overlay: mergeOverlays(options.overlay, compiled.overlay)! };
  const beforeReach = reach(graph, sources, beforeOptions);
  const afterReach = reach(graph, sources, afterOptions);

  const isSource = new Set(beforeReach.sources);
  const removed: WhatIfRemoved[] = [];
  const lowered: WhatIfLowered[] = [];
  let unchangedCount = 0;
  for (const v of beforeReach.order) {
    if (isSource.has(v)) continue;
    const was = beforeReach.level[v]!;
    const now = afterReach.level[v]!;
    if (now >= was) { unchangedCount++; continue; }
    const node = graph.nodes[v]!;
    const crownJewel = node.tags?.includes(CROWN_JEWEL_TAG) ?? false;
    const pointsBefore = nodePoints(graph, v, was);
    if (now === 0) {
      removed.push(new RemovedEntry(beforeReach, v, was, pointsBefore, crownJewel));
    } else {
      lowered.push({ ...nodeRef(graph, v), levelBefore: levelName(was), levelAfter: levelName(now), pointsBefore, pointsAfter: nodePoints(graph, v, now), crownJewel });
    }
  }
  removed.sort((a, b) => Number(b.crownJewel) - Number(a.crownJewel) || b.pointsBefore - a.pointsBefore || a.hopsBefore - b.hopsBefore || byName(a.id, b.id));
  lowered.sort((a, b) => Number(b.crownJewel) - Number(a.crownJewel) || (b.pointsBefore - b.pointsAfter) - (a.pointsBefore - a.pointsAfter) || byName(a.id, b.id));
  const beforeSummary = summarise(beforeReach);
  const afterSummary = summarise(afterReach);

  return {
    sources: beforeReach.sources.map((s) => nodeRef(graph, s)),
    at: new Date(at).toISOString(),
    maxDepth: options.maxDepth ?? null,
    mitigations: compiled.applied,
    before: beforeSummary,
    after: afterSummary,
    scoreBefore: beforeSummary.score,
    scoreAfter: afterSummary.score,
    scoreDelta: afterSummary.score - beforeSummary.score,
    removed,
    lowered,
    unchangedCount,
    crownJewelsCut: removed.filter((entry) => entry.crownJewel).map((entry) => ({ ...ref(entry), levelBefore: entry.levelBefore })),
  };
}

const ref = ({ id, name, kind, platform, tenant }: NodeRef): NodeRef => ({ id, name, kind, platform, tenant });

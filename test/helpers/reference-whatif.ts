// What-if as first written (two full radius descriptions, diffed entry by entry): the oracle for
// engine/analysis/whatif.ts, which must agree with it on every removed and lowered node and every summary.
import type { Level } from '../../engine/schema/index.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { compileMitigations, mergeOverlays, type AppliedMitigation, type CompiledMitigations, type Mitigation } from '../../engine/analysis/mitigations.ts';
import { describeRadius, type BlastRadius, type NodeRef, type PathStepView, type PlatformSummary, type RadiusEntry } from '../../engine/analysis/radius.ts';
import { reach, type ReachOptions } from '../../engine/analysis/reach.ts';

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

function summarise(radius: BlastRadius): WhatIfSummary {
  return {
    score: radius.score,
    scoreParts: radius.scoreParts,
    reachedCount: radius.reachedCount,
    crownJewels: radius.crownJewels.map(({ id, name, kind, platform, tenant, level }) => ({ id, name, kind, platform, tenant, level })),
    platforms: radius.platforms,
    byKind: radius.byKind,
  };
}

const LEVEL_RANK: Record<Level, number> = { read: 1, write: 2, admin: 3 };
const ref = ({ id, name, kind, platform, tenant }: NodeRef): NodeRef => ({ id, name, kind, platform, tenant });

/**
 * The radius of `sources` with and without the mitigations (a list, or already compiled). Any overlay in
 * `options` applies to both sides: it is the baseline, the mitigations come on top.
 */
export function referenceWhatIf(graph: CompactGraph, sources: readonly number[], mitigations: readonly Mitigation[] | CompiledMitigations, options: ReachOptions = {}): WhatIfResult {
  const compiled = Array.isArray(mitigations) ? compileMitigations(graph, mitigations as readonly Mitigation[]) : (mitigations as CompiledMitigations);
  const afterOptions: ReachOptions = { ...options, overlay: mergeOverlays(options.overlay, compiled.overlay)! };
  const before = describeRadius(reach(graph, sources, options), options);
  const after = describeRadius(reach(graph, sources, afterOptions), afterOptions);

  const afterById = new Map<string, RadiusEntry>(after.reached.map((entry) => [entry.id, entry]));
  const removed: WhatIfRemoved[] = [];
  const lowered: WhatIfLowered[] = [];
  let unchangedCount = 0;
  for (const entry of before.reached) {
    const now = afterById.get(entry.id);
    if (!now) {
      removed.push({ ...ref(entry), levelBefore: entry.level, hopsBefore: entry.hops, pointsBefore: entry.points, crownJewel: entry.crownJewel, pathBefore: entry.path });
    } else if (LEVEL_RANK[now.level] < LEVEL_RANK[entry.level]) {
      lowered.push({ ...ref(entry), levelBefore: entry.level, levelAfter: now.level, pointsBefore: entry.points, pointsAfter: now.points, crownJewel: entry.crownJewel });
    } else unchangedCount++;
  }
  removed.sort((a, b) => Number(b.crownJewel) - Number(a.crownJewel) || b.pointsBefore - a.pointsBefore || a.hopsBefore - b.hopsBefore || a.id.localeCompare(b.id));
  lowered.sort((a, b) => Number(b.crownJewel) - Number(a.crownJewel) || (b.pointsBefore - b.pointsAfter) - (a.pointsBefore - a.pointsAfter) || a.id.localeCompare(b.id));

  return {
    sources: before.sources,
    at: before.at,
    maxDepth: before.maxDepth,
    mitigations: compiled.applied,
    before: summarise(before),
    after: summarise(after),
    scoreBefore: before.score,
    scoreAfter: after.score,
    scoreDelta: after.score - before.score,
    removed,
    lowered,
    unchangedCount,
    crownJewelsCut: removed.filter((entry) => entry.crownJewel).map((entry) => ({ ...ref(entry), levelBefore: entry.levelBefore })),
  };
}

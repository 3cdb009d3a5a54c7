// Lateral paths as first written (a witness path and its step views built for every off-platform node): the
// oracle for engine/analysis/paths.ts, which must agree with it on every bridge, crossing and target.
import { BlastmapError } from '../../engine/errors.ts';
import { effectiveSensitivity, LEVEL_CODE, levelName, type Level } from '../../engine/schema/index.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { CROWN_JEWEL_TAG, nodeRef, stepView, type NodeRef, type PathStepView } from '../../engine/analysis/radius.ts';
import { dormantPath, hopsAtLeast, reach, toInstant, traversalRules, witnessPath, type PathStep, type ReachOptions } from '../../engine/analysis/reach.ts';
import { nodePoints, scoreOrder } from '../../engine/analysis/score.ts';

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
 * Lateral movement: every reached node on a platform none of the sources is on, grouped by the bridge its
 * witness path crosses (the first step whose target is on such a platform), bridges ranked by the crown
 * jewels and score that lie beyond them. Each node is attributed to exactly one bridge, the one on its
 * witness path; a node reachable over several bridges depends on none of them alone (see chokePoints).
 */
export function referenceLateralPaths(graph: CompactGraph, sources: readonly number[], options: ReachOptions = {}): LateralPaths {
  const result = reach(graph, sources, options);
  const isSource = new Set(result.sources);
  const sourcePlatforms = new Set(result.sources.map((s) => graph.nodes[s]!.platform));
  const bridges = new Map<number, LateralBridge>();
  const onward = new Map<LateralBridge, Map<number, LateralCrossing>>();
  const platforms = new Map<string, LateralPlatform>();

  for (const v of result.order) {
    const node = graph.nodes[v]!;
    if (isSource.has(v) || sourcePlatforms.has(node.platform)) continue;
    const level = result.level[v]!;
    const steps = witnessPath(result, v, level);
    const crossing = steps.findIndex((step) => !sourcePlatforms.has(graph.nodes[step.to]!.platform));
    const bridgeStep = steps[crossing]!;
    const bridgeSlot = bridgeStep.to * 3 + bridgeStep.toLevel - 1;
    const path = steps.map((step) => stepView(graph, step));
    let bridge = bridges.get(bridgeSlot);
    if (!bridge) {
      bridge = { bridge: path[crossing]!, approach: path.slice(0, crossing + 1), score: 0, reachedCount: 0, crownJewels: 0, platforms: [], targets: [], onward: [] };
      bridges.set(bridgeSlot, bridge);
      onward.set(bridge, new Map());
    }
    const points = nodePoints(graph, v, level);
    const crownJewel = isCrownJewel(graph, v);
    for (let i = crossing + 1; i < steps.length; i++) {
      const step = steps[i]!;
      if (graph.nodes[step.from]!.platform === graph.nodes[step.to]!.platform) continue;
      const crossings = onward.get(bridge)!;
      const slot = step.to * 3 + step.toLevel - 1;
      let entry = crossings.get(slot);
      if (!entry) {
        entry = { step: path[i]!, score: 0, reachedCount: 0, crownJewels: 0 };
        crossings.set(slot, entry);
      }
      entry.score += points;
      entry.reachedCount++;
      if (crownJewel) entry.crownJewels++;
    }
    bridge.targets.push({
      ...nodeRef(graph, v), level: levelName(level), hops: steps.length, points, sensitivity: effectiveSensitivity(node),
      crownJewel, platforms: platformChain(path), path,
    });
    bridge.score += points;
    bridge.reachedCount++;
    if (crownJewel) bridge.crownJewels++;
    let summary = platforms.get(node.platform);
    if (!summary) {
      summary = { platform: node.platform, reached: 0, score: 0, crownJewels: 0 };
      platforms.set(node.platform, summary);
    }
    summary.reached++;
    summary.score += points;
    if (crownJewel) summary.crownJewels++;
  }

  const byImpact = <T extends { crownJewels: number; score: number }>(a: T, b: T) => b.crownJewels - a.crownJewels || b.score - a.score;
  for (const bridge of bridges.values()) {
    bridge.targets.sort((a, b) => Number(b.crownJewel) - Number(a.crownJewel) || b.points - a.points || a.hops - b.hops || a.id.localeCompare(b.id));
    const scoreByPlatform = new Map<string, number>();
    for (const target of bridge.targets) scoreByPlatform.set(target.platform, (scoreByPlatform.get(target.platform) ?? 0) + target.points);
    bridge.onward = [...onward.get(bridge)!.values()].sort((a, b) => byImpact(a, b) || a.step.edgeId.localeCompare(b.step.edgeId) || a.step.level.localeCompare(b.step.level));
    bridge.platforms = [...scoreByPlatform].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([platform]) => platform);
  }
  const ranked = [...bridges.values()].sort((a, b) => byImpact(a, b) || b.reachedCount - a.reachedCount || a.bridge.edgeId.localeCompare(b.bridge.edgeId) || a.bridge.level.localeCompare(b.bridge.level));
  const platformList = [...platforms.values()].sort((a, b) => byImpact(a, b) || a.platform.localeCompare(b.platform));
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

// The radius map of a large radius (POST /api/map) on the browser side: its emphasis, its hop-ring layout,
// the node budget chosen from the measured frame time, and the sentence that says what is aggregated. Pure.
import type { Emphasis } from './highlight.ts';
import { hopRings, type Point } from './layout.ts';
import type { Level, MapResponse } from './wire.ts';

/** The frame time the budget aims at: software WebGL on two cores stays interactive around 10 frames a second. */
export const TARGET_FRAME_MS = 100;
/** Budget bounds: below the floor the map says too little; the server's own budget caps it from above. */
export const MIN_BUDGET = 500;
export const DEFAULT_DRAW_BUDGET = 5000;
/** A frame costs this much whatever is drawn (clearing, label grid): left out of the per-unit cost. */
const FIXED_FRAME_MS = 4;
/** Fewest drawn nodes and edges for a frame to say something about the cost per unit. */
export const MEASURABLE_UNITS = 1000;

/**
 * The node budget for the next views from one measured frame: as many units as fit the target frame time at
 * the measured cost per unit (nodes and edges weigh alike in sigma's programs), rounded to hundreds.
 * Views too small to measure a per-unit cost keep the current budget: their frame is mostly the fixed cost of
 * rasterising the layers (about 250 ms in software WebGL at 1000×700, whatever is drawn).
 * `units` counts the drawn nodes and edges.
 */
export function chooseBudget(frameMs: number, units: number, current: number, max: number): number {
  if (units < MEASURABLE_UNITS || !Number.isFinite(frameMs) || frameMs <= 0) return Math.min(current, max);
  const perUnit = Math.max(frameMs - FIXED_FRAME_MS, 0.5) / units;
  const fits = Math.floor(TARGET_FRAME_MS / perUnit / 100) * 100;
  // A small view says little about a large one (sigma's cost is not linear in labels and overlaps): it may
  // lower the budget, and raise it only to twice what was measured.
  const ceiling = Math.max(current, 2 * units);
  return Math.max(MIN_BUDGET, Math.min(max, ceiling, fits));
}

/** The map's emphasis: sources dark, drawn reached nodes by level, their witness edges in colour. */
export function mapEmphasis(map: Pick<MapResponse, 'summary' | 'reached'>, cut: readonly string[] = []): Emphasis {
  const levels = new Map<string, Level>();
  const edges = new Set<string>();
  for (const entry of map.reached) {
    levels.set(entry.id, entry.level);
    if (entry.via !== null) edges.add(entry.via);
  }
  return { anchors: new Set(map.summary.sources.map((s) => s.id)), levels, via: new Set(), edges, cut: new Set(cut) };
}

/**
 * Hop rings for the map's units (keys as the view graph has them): sources at the centre, drawn nodes and
 * clusters of reached nodes on the ring of their hops, clusters of nodes not reached on an outer ring.
 * Instant, deterministic, and it reads as the radius does: distance from the compromised node.
 */
export function mapPositions(map: Pick<MapResponse, 'summary' | 'reached' | 'clusters' | 'nodes'>, spacing: number): { positions: Map<string, Point>; hops: number[] } {
  const nodeKey = (id: string) => `n:${id}`;
  const sources = map.summary.sources.map((s) => nodeKey(s.id));
  const platformOf = new Map(map.nodes.map((node) => [node.id, node.platform]));
  const entries = map.reached.map((entry) => ({ id: nodeKey(entry.id), hops: entry.hops, platform: platformOf.get(entry.id) ?? '', parent: entry.parent === null ? null : nodeKey(entry.parent) }));
  let deepest = entries.reduce((max, entry) => Math.max(max, entry.hops), 0);
  for (const cluster of map.clusters) if (cluster.hops !== undefined) deepest = Math.max(deepest, cluster.hops);
  for (const cluster of map.clusters) {
    entries.push({ id: `c:${cluster.key}`, hops: cluster.hops ?? deepest + 1, platform: cluster.platform, parent: null });
  }
  // Drawn nodes neither source nor reached (filtered views, an examined path off the radius): outer ring.
  const placed = new Set([...sources, ...entries.map((entry) => entry.id)]);
  for (const node of map.nodes) if (!placed.has(nodeKey(node.id))) entries.push({ id: nodeKey(node.id), hops: deepest + 1, platform: node.platform, parent: null });
  const hops = [...new Set(entries.map((entry) => entry.hops))].sort((a, b) => a - b);
  return { positions: hopRings(sources, entries, spacing), hops };
}

const count = (value: number) => value.toLocaleString('en-US');

/** What the map shows one by one and what it groups, in one sentence (shown over the map, read by tests). */
export function aggregationNote(map: Pick<MapResponse, 'summary' | 'clusters' | 'budget'>, frameMs: number | undefined): string {
  const { summary } = map;
  const reachedClusters = map.clusters.filter((cluster) => cluster.level !== undefined).length;
  const otherClusters = map.clusters.length - reachedClusters;
  const frame = frameMs !== undefined ? `, set from the measured frame time; this map draws in ${Math.round(frameMs)} ms` : '';
  if (summary.clusteredReached === 0) {
    return `All ${count(summary.reachedCount)} reached nodes drawn one by one (budget ${count(map.budget)} nodes${frame})${otherClusters > 0 ? `; the ${otherClusters} grey clusters hold the nodes not reached` : ''}.`;
  }
  return `Aggregated: ${count(summary.drawnReached)} of ${count(summary.reachedCount)} reached nodes drawn one by one (the sources, all ${count(summary.crownJewelCount)} crown jewels, the path examined, then the nearest), ` +
    `${count(summary.clusteredReached)} grouped into ${reachedClusters} clusters by platform, kind and level; ${otherClusters} grey clusters hold the nodes not reached. ` +
    `Budget ${count(map.budget)} nodes${frame}. Click a cluster to draw its nodes.`;
}

// Exposure as first written: a reverse search for the target's ancestors, then one forward reach per
// candidate source confined to them. Quadratic in the sources; kept as the oracle for the linear
// engine/analysis/exposure.ts, which must agree with it on every source, level, hop count and count.
import { BlastmapError } from '../../engine/errors.ts';
import { checkNodeKinds, DEFAULT_EXPOSURE_KINDS, reverseDistances, type Exposure, type ExposureEntry, type ExposureOptions } from '../../engine/analysis/exposure.ts';
import { CROWN_JEWEL_TAG, nodeRef, stepView } from '../../engine/analysis/radius.ts';
import { hopsAtLeast, reach, toInstant, witnessPath, type ReachOptions } from '../../engine/analysis/reach.ts';
import { effectiveSensitivity, levelName, type Level } from '../../engine/schema/index.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';

/**
 * Who reaches `target`. A forward reach from every node of the chosen kinds would cost O(candidates x
 * graph); instead a reverse search first keeps only the ancestors of the target (any forward path to it
 * runs through ancestors only), then a forward reach from each ancestor candidate is confined to the
 * ancestors by blocking every other node. Every predecessor of an ancestor is itself an ancestor, so the
 * confined search visits the same (node, level) states in the same order as the full one: levels, hops
 * and witness paths to the target are exactly those of `reach(graph, [source])`.
 */
export function referenceExposure(graph: CompactGraph, target: number, options: ExposureOptions = {}): Exposure {
  if (target < 0 || target >= graph.nodeCount) throw new BlastmapError('INVALID_OPTION', `engine/analysis: target index ${target} is not a node`);
  const kinds = [...(options.kinds ?? DEFAULT_EXPOSURE_KINDS)];
  checkNodeKinds(graph, kinds);
  if (options.top !== undefined && !(options.top >= 0)) throw new BlastmapError('INVALID_OPTION', `engine/analysis: top must be 0 or more, got ${options.top}`);
  const { kinds: _kinds, top: _top, onProgress: _progress, ...reachOptions } = options;
  const at = toInstant(options.at);
  const maxDepth = options.maxDepth ?? Infinity;
  const distance = reverseDistances(graph, target, { ...reachOptions, at });
  const wanted = new Set(kinds);

  const confined = new Uint8Array(graph.nodeCount);
  const candidates: number[] = [];
  for (let v = 0; v < graph.nodeCount; v++) {
    const d = distance[v]!;
    if (d < 0) confined[v] = 1;
    else if (v !== target && d <= maxDepth && wanted.has(graph.nodes[v]!.kind)) candidates.push(v);
  }
  const confinedOptions: ReachOptions = { ...reachOptions, at, overlay: { ...options.overlay, blockedNodes: confined } };

  const exposed: ExposureEntry[] = [];
  candidates.forEach((source, i) => {
    const result = reach(graph, [source], confinedOptions);
    const levelCode = result.level[target]!;
    if (levelCode > 0) {
      const node = graph.nodes[source]!;
      exposed.push({
        ...nodeRef(graph, source),
        level: levelName(levelCode),
        hops: hopsAtLeast(result, target, levelCode),
        path: witnessPath(result, target, levelCode).map((step) => stepView(graph, step)),
        ...(node.kind === 'Identity' && node.subtype !== undefined ? { subtype: node.subtype } : {}),
        ...(node.kind === 'Role' && node.privileged !== undefined ? { privileged: node.privileged } : {}),
      });
    }
    options.onProgress?.(i + 1, candidates.length);
  });
  const rank: Record<Level, number> = { read: 1, write: 2, admin: 3 };
  exposed.sort((a, b) => rank[b.level] - rank[a.level] || a.hops - b.hops || a.id.localeCompare(b.id));

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
    candidateCount: candidates.length,
    exposedCount: exposed.length,
    byLevel,
    byKind,
    identitiesBySubtype,
    privilegedRoles,
    exposed: options.top !== undefined ? exposed.slice(0, options.top) : exposed,
  };
}

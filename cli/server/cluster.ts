// Drill-down into one cluster of a view or a radius map (`POST /api/cluster`): who is inside, nearest first,
// a page at a time: every node of the cluster's platform, kind and level, whether the map draws it or not.
import type { ClusterRequest, ClusterResponse } from '../../engine/api/schemas.ts';
import { compileMitigations, type Mitigation } from '../../engine/analysis/mitigations.ts';
import { CROWN_JEWEL_TAG, nodeRef } from '../../engine/analysis/radius.ts';
import { hopsAtLeast, reach } from '../../engine/analysis/reach.ts';
import { BlastmapError } from '../../engine/errors.ts';
import { LEVEL_CODE, levelName, type Level } from '../../engine/schema/index.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { reachOptionsOf, resolveSources } from './views.ts';

const DEFAULT_LIMIT = 100;

export function clusterMembers(graph: CompactGraph, request: ClusterRequest): ClusterResponse {
  const [platform, kind, levelText, extra] = request.key.split('/');
  const levelCode = levelText === undefined ? undefined : LEVEL_CODE[levelText as Level];
  if (!platform || !kind || extra !== undefined || (levelText !== undefined && levelCode === undefined) || (levelText !== undefined && !request.focus)) {
    throw new BlastmapError('INVALID_OPTION', `cluster key ${JSON.stringify(request.key)}: expected platform/kind, or platform/kind/level with a focus radius`);
  }
  const members: { v: number; hops: number | null }[] = [];
  if (request.focus) {
    const options = reachOptionsOf(request.focus);
    const mitigations = (request.focus.mitigations ?? []) as Mitigation[];
    if (mitigations.length > 0) options.overlay = compileMitigations(graph, mitigations).overlay;
    const sources = resolveSources(graph, request.focus.sources);
    const result = reach(graph, sources, options);
    const isSource = new Set(sources);
    for (let v = 0; v < graph.nodeCount; v++) {
      const node = graph.nodes[v]!;
      if (node.platform !== platform || node.kind !== kind || isSource.has(v)) continue;
      const code = result.level[v]!;
      // A level cluster holds the nodes reached at exactly that level; a grey one the nodes not reached.
      if (levelCode !== undefined ? code === levelCode : code === 0) members.push({ v, hops: code > 0 ? hopsAtLeast(result, v, code) : null });
    }
  } else {
    for (let v = 0; v < graph.nodeCount; v++) {
      const node = graph.nodes[v]!;
      if (node.platform === platform && node.kind === kind) members.push({ v, hops: null });
    }
  }
  const name = (v: number) => graph.nodes[v]!.name;
  members.sort((a, b) => (a.hops ?? Infinity) - (b.hops ?? Infinity) || (name(a.v) < name(b.v) ? -1 : name(a.v) > name(b.v) ? 1 : a.v - b.v));
  const offset = request.offset ?? 0;
  const page = members.slice(offset, offset + (request.limit ?? DEFAULT_LIMIT));
  return {
    key: request.key,
    platform,
    kind,
    level: levelCode === undefined ? null : levelName(levelCode),
    count: members.length,
    offset,
    members: page.map(({ v, hops }) => ({ ...nodeRef(graph, v), crownJewel: graph.nodes[v]!.tags?.includes(CROWN_JEWEL_TAG) ?? false, hops })),
  };
}

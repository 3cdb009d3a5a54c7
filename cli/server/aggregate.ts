// What the browser draws: the filtered graph node by node when it fits the budget, otherwise clusters of
// one platform and kind, with the nodes asked for (a radius, expanded clusters) shown individually. Pure.
import { viewEdgeId, type GraphResponse, type ViewCluster, type ViewEdge, type ViewLink, type ViewNode } from '../../engine/api/schemas.ts';
import { CROWN_JEWEL_TAG } from '../../engine/analysis/radius.ts';
import { edgeIdAt, type CompactGraph } from '../../engine/store/compact.ts';

export interface ViewRequest {
  budget: number;
  platforms?: readonly string[] | undefined;
  kinds?: readonly string[] | undefined;
  /** Cluster keys `platform/kind` to show node by node, in this order, while the budget lasts. */
  expand?: readonly string[] | undefined;
  /** Node indices to show individually first (a radius, sources first); cut at the budget. */
  focus?: readonly number[] | undefined;
}

export const clusterKey = (platform: string, kind: string): string => `${platform}/${kind}`;
/** Keys of what a view draws: a node or a cluster, never confused whatever the node ids are. */
export const nodeUnit = (id: string): string => `n:${id}`;
export const clusterUnit = (key: string): string => `c:${key}`;

/** Splits `platform/kind`; platforms never contain `/` (native format: lower-case letters, digits, `._-`). */
export function parseClusterKey(key: string): { platform: string; kind: string } | undefined {
  const slash = key.indexOf('/');
  if (slash <= 0 || slash === key.length - 1) return undefined;
  return { platform: key.slice(0, slash), kind: key.slice(slash + 1) };
}

function viewNode(graph: CompactGraph, v: number): ViewNode {
  const node = graph.nodes[v]!;
  return { id: node.id, label: node.name, kind: node.kind, platform: node.platform, crownJewel: node.tags?.includes(CROWN_JEWEL_TAG) ?? false };
}

/**
 * The view of the graph under the request. Under the budget every matching node is shown; above it the
 * focus nodes come first, then the expanded clusters' members, and the rest is counted into clusters.
 * Edges between shown nodes are kept one by one; edges touching a cluster are summed per pair of ends.
 */
export function graphView(graph: CompactGraph, request: ViewRequest): GraphResponse {
  const platforms = request.platforms && request.platforms.length > 0 ? new Set(request.platforms) : undefined;
  const kinds = request.kinds && request.kinds.length > 0 ? new Set(request.kinds) : undefined;
  const matches = new Uint8Array(graph.nodeCount);
  let matching = 0;
  for (let v = 0; v < graph.nodeCount; v++) {
    const node = graph.nodes[v]!;
    if ((platforms && !platforms.has(node.platform)) || (kinds && !kinds.has(node.kind))) continue;
    matches[v] = 1;
    matching++;
  }
  const budget = Math.max(1, request.budget);
  const aggregated = matching > budget;
  // shown[v] = 1 when v is drawn as itself; otherwise, when it matches, it is counted into its cluster.
  const shown = new Uint8Array(graph.nodeCount);
  let shownCount = 0;
  const show = (v: number): boolean => {
    if (shownCount >= budget) return false;
    if (matches[v] === 1 && shown[v] === 0) { shown[v] = 1; shownCount++; }
    return true;
  };
  if (!aggregated) {
    shown.set(matches);
    shownCount = matching;
  } else {
    for (const v of request.focus ?? []) if (!show(v)) break;
    for (const key of request.expand ?? []) {
      const parsed = parseClusterKey(key);
      if (!parsed) continue;
      let full = false;
      for (let v = 0; v < graph.nodeCount && !full; v++) {
        const node = graph.nodes[v]!;
        if (node.platform === parsed.platform && node.kind === parsed.kind) full = !show(v);
      }
      if (full) break;
    }
  }

  const nodes: ViewNode[] = [];
  const clusterCounts = new Map<string, number>();
  const unitOf: string[] = new Array(graph.nodeCount);
  for (let v = 0; v < graph.nodeCount; v++) {
    if (matches[v] === 0) continue;
    const node = graph.nodes[v]!;
    if (shown[v] === 1) {
      nodes.push(viewNode(graph, v));
      unitOf[v] = nodeUnit(node.id);
    } else {
      const key = clusterKey(node.platform, node.kind);
      clusterCounts.set(key, (clusterCounts.get(key) ?? 0) + 1);
      unitOf[v] = clusterUnit(key);
    }
  }
  const clusters: ViewCluster[] = [...clusterCounts]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([key, count]) => ({ key, ...parseClusterKey(key)!, count }));

  const edges: ViewEdge[] = [];
  const linkCounts = new Map<string, ViewLink>();
  for (let e = 0; e < graph.edgeCount; e++) {
    const from = graph.edgeSrc[e]!;
    const to = graph.edgeDst[e]!;
    if (matches[from] === 0 || matches[to] === 0) continue;
    if (shown[from] === 1 && shown[to] === 1) {
      const code = graph.edgeKind[e]!;
      const edge: ViewEdge = { key: `e${e}`, source: graph.nodes[from]!.id, target: graph.nodes[to]!.id, kind: graph.edgeKindNames[code]!, traversable: graph.kindTraversable[code] === 1 };
      const id = edgeIdAt(graph, e);
      if (id !== viewEdgeId(edge)) edge.id = id;
      edges.push(edge);
      continue;
    }
    const source = unitOf[from]!;
    const target = unitOf[to]!;
    if (source === target) continue;
    const pair = `${source}\u0000${target}`;
    const link = linkCounts.get(pair);
    if (link) link.count++;
    else linkCounts.set(pair, { source, target, count: 1 });
  }
  const links = [...linkCounts.values()].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  return { total: { nodes: graph.nodeCount, edges: graph.edgeCount }, matching, budget, aggregated, nodes, edges, clusters, links };
}

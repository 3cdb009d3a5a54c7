// What the browser draws: the filtered graph node by node when it fits the budget, otherwise clusters of
// one platform and kind, with the nodes asked for shown individually; and a radius of any size as a map. Pure.
import { viewEdgeId, type GraphResponse, type MapCluster, type MapResponse, type MapSummary, type ViewCluster, type ViewEdge, type ViewLink, type ViewNode } from '../../engine/api/schemas.ts';
import { CROWN_JEWEL_TAG, nodeRef } from '../../engine/analysis/radius.ts';
import { hopsAtLeast, witnessPath, type PathStep, type ReachResult } from '../../engine/analysis/reach.ts';
import { LEVEL_CODE, levelName, type Level } from '../../engine/schema/index.ts';
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
  // Units as small integers while counting (strings only for the answer): the edge pass stays cheap at 8M edges.
  const unitIds = new Map<string, number>();
  const unitNames: string[] = [];
  const unitOf = new Int32Array(graph.nodeCount).fill(-1);
  const unitId = (name: string): number => {
    let id = unitIds.get(name);
    if (id === undefined) { id = unitNames.length; unitIds.set(name, id); unitNames.push(name); }
    return id;
  };
  for (let v = 0; v < graph.nodeCount; v++) {
    if (matches[v] === 0) continue;
    const node = graph.nodes[v]!;
    if (shown[v] === 1) {
      nodes.push(viewNode(graph, v));
      unitOf[v] = unitId(nodeUnit(node.id));
    } else {
      const key = clusterKey(node.platform, node.kind);
      clusterCounts.set(key, (clusterCounts.get(key) ?? 0) + 1);
      unitOf[v] = unitId(clusterUnit(key));
    }
  }
  const clusters: ViewCluster[] = [...clusterCounts]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([key, count]) => ({ key, ...parseClusterKey(key)!, count }));

  const edges: ViewEdge[] = [];
  const linkCounts = new Map<number, ViewLink>();
  const unitCount = unitNames.length;
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
    const pair = source * unitCount + target;
    const link = linkCounts.get(pair);
    if (link) link.count++;
    else linkCounts.set(pair, { source: unitNames[source]!, target: unitNames[target]!, count: 1 });
  }
  const links = [...linkCounts.values()].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  return { total: { nodes: graph.nodeCount, edges: graph.edgeCount }, matching, budget, aggregated, nodes, edges, clusters, links };
}

// ------------------------------------------------------------------------------------------ the radius map

export interface MapViewRequest {
  budget: number;
  platforms?: readonly string[] | undefined;
  kinds?: readonly string[] | undefined;
  expand?: readonly string[] | undefined;
  /** Node indices of the path being examined: drawn whatever the budget. */
  pathNodes?: readonly number[] | undefined;
}

/** `platform/kind/level`: the key of a cluster of reached nodes. */
export const levelClusterKey = (platform: string, kind: string, level: Level): string => `${platform}/${kind}/${level}`;

/**
 * The radius of `result` as a map a browser can draw whatever its size (see mapResponseSchema). Only the
 * witness tree is drawn as edges: the edge that first reached each drawn node, and between clusters the
 * same edges summed. Cost: one pass over the nodes, the crown jewels' witness paths; no pass over the edges.
 */
export function radiusMap(result: ReachResult, request: MapViewRequest): MapResponse {
  const graph = result.graph;
  const n = graph.nodeCount;
  const budget = Math.max(1, request.budget);
  const platforms = request.platforms && request.platforms.length > 0 ? new Set(request.platforms) : undefined;
  const kinds = request.kinds && request.kinds.length > 0 ? new Set(request.kinds) : undefined;
  const matches = (v: number) => {
    const node = graph.nodes[v]!;
    return !(platforms && !platforms.has(node.platform)) && !(kinds && !kinds.has(node.kind));
  };
  const isSource = new Uint8Array(n);
  for (const s of result.sources) isSource[s] = 1;
  const isCrownJewel = (v: number) => graph.nodes[v]!.tags?.includes(CROWN_JEWEL_TAG) ?? false;

  const shown = new Uint8Array(n);
  let shownCount = 0;
  const force = (v: number) => { if (shown[v] === 0) { shown[v] = 1; shownCount++; } };
  const offer = (v: number): boolean => {
    if (shownCount >= budget) return false;
    if (shown[v] === 0 && matches(v)) force(v);
    return true;
  };
  // Always drawn: the sources, every crown jewel reached, the examined path.
  for (const s of result.sources) force(s);
  const jewels: number[] = [];
  for (const v of result.order) if (isSource[v] === 0 && isCrownJewel(v)) { jewels.push(v); force(v); }
  for (const v of request.pathNodes ?? []) force(v);
  // Then, while the budget lasts: the crown jewels' witness paths, the nearest reached nodes, expanded clusters.
  const jewelPaths = new Map<number, PathStep[]>();
  for (const v of jewels) jewelPaths.set(v, witnessPath(result, v));
  let room = true;
  for (const steps of jewelPaths.values()) {
    for (const step of steps) if (!(room = offer(step.from))) break;
    if (!room) break;
  }
  for (const key of request.expand ?? []) {
    const [platform, kind, level] = key.split('/');
    const code = level === undefined ? 0 : LEVEL_CODE[level as Level];
    if (platform === undefined || kind === undefined || code === undefined) continue;
    let full = false;
    for (let v = 0; v < n && !full; v++) {
      const node = graph.nodes[v]!;
      if (node.platform === platform && node.kind === kind && result.level[v] === code) full = !offer(v);
    }
  }
  for (const v of result.order) if (!offer(v)) break;

  const nodes: ViewNode[] = [];
  const reached: MapResponse['reached'] = [];
  const clusters = new Map<string, MapCluster>();
  const unitOf: (string | undefined)[] = new Array(n);
  let drawnReached = 0;
  let clusteredReached = 0;
  const levelCounts = new Map<string, MapSummary['platforms'][number]>();
  for (let v = 0; v < n; v++) {
    const node = graph.nodes[v]!;
    const code = result.level[v]!;
    const isReached = code > 0 && isSource[v] === 0;
    if (isReached) {
      let row = levelCounts.get(node.platform);
      if (!row) levelCounts.set(node.platform, row = { platform: node.platform, read: 0, write: 0, admin: 0, crownJewels: 0 });
      row[levelName(code)]++;
      if (isCrownJewel(v)) row.crownJewels++;
    }
    if (shown[v] === 1) {
      nodes.push(viewNode(graph, v));
      unitOf[v] = nodeUnit(node.id);
      if (isReached) {
        drawnReached++;
        const e = result.parentEdge[v * 3 + code - 1]!;
        reached.push({ id: node.id, level: levelName(code), hops: hopsAtLeast(result, v, code), parent: e >= 0 ? graph.nodes[graph.edgeSrc[e]!]!.id : null, via: e >= 0 ? edgeIdAt(graph, e) : null });
      }
      continue;
    }
    if (!isReached && !matches(v)) continue;
    if (isReached) clusteredReached++;
    const key = isReached ? levelClusterKey(node.platform, node.kind, levelName(code)) : clusterKey(node.platform, node.kind);
    unitOf[v] = clusterUnit(key);
    let cluster = clusters.get(key);
    if (!cluster) {
      cluster = { key, platform: node.platform, kind: node.kind, count: 0 };
      if (isReached) { cluster.level = levelName(code); cluster.hops = Number.MAX_SAFE_INTEGER; }
      clusters.set(key, cluster);
    }
    cluster.count++;
    if (isReached) cluster.hops = Math.min(cluster.hops!, hopsAtLeast(result, v, code));
    else if (isCrownJewel(v)) cluster.crownJewels = (cluster.crownJewels ?? 0) + 1;
  }

  // The witness tree: each reached node's first edge; between units that are not both nodes, summed.
  const edges: ViewEdge[] = [];
  const edgeSeen = new Set<number>();
  const linkCounts = new Map<string, ViewLink>();
  const addEdge = (e: number) => {
    const from = graph.edgeSrc[e]!;
    const to = graph.edgeDst[e]!;
    const source = unitOf[from];
    const target = unitOf[to];
    if (source === undefined || target === undefined) return;
    if (shown[from] === 1 && shown[to] === 1) {
      if (edgeSeen.has(e)) return;
      edgeSeen.add(e);
      const code = graph.edgeKind[e]!;
      const edge: ViewEdge = { key: `e${e}`, source: graph.nodes[from]!.id, target: graph.nodes[to]!.id, kind: graph.edgeKindNames[code]!, traversable: graph.kindTraversable[code] === 1 };
      const id = edgeIdAt(graph, e);
      if (id !== viewEdgeId(edge)) edge.id = id;
      edges.push(edge);
      return;
    }
    if (source === target) return;
    const pair = `${source}\u0000${target}`;
    const link = linkCounts.get(pair);
    if (link) link.count++;
    else linkCounts.set(pair, { source, target, count: 1 });
  };
  for (const v of result.order) {
    const code = result.level[v]!;
    const e = result.parentEdge[v * 3 + code - 1]!;
    if (e >= 0) addEdge(e);
  }
  for (const steps of jewelPaths.values()) for (const step of steps) addEdge(step.edge);

  // Crown jewels by bridge: the first step of the witness path onto a platform no source is on.
  const sourcePlatforms = new Set(result.sources.map((s) => graph.nodes[s]!.platform));
  const byBridge = new Map<number, MapSummary['byBridge'][number]>();
  for (const [v, steps] of jewelPaths) {
    const crossing = steps.find((step) => !sourcePlatforms.has(graph.nodes[step.to]!.platform));
    const bridgeNode = crossing ? crossing.to : -1;
    let group = byBridge.get(bridgeNode);
    if (!group) byBridge.set(bridgeNode, group = { bridge: bridgeNode >= 0 ? nodeRef(graph, bridgeNode) : null, crownJewels: [] });
    const code = result.level[v]!;
    group.crownJewels.push({ ...nodeRef(graph, v), level: levelName(code), hops: hopsAtLeast(result, v, code) });
  }

  const sortedClusters = [...clusters.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
  const links = [...linkCounts.values()].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  const reachedCount = drawnReached + clusteredReached;
  return {
    total: { nodes: graph.nodeCount, edges: graph.edgeCount },
    matching: reachedCount,
    budget,
    aggregated: clusteredReached > 0,
    nodes,
    edges,
    clusters: sortedClusters,
    links,
    reached,
    summary: {
      sources: result.sources.map((s) => nodeRef(graph, s)),
      at: new Date(result.at).toISOString(),
      reachedCount,
      drawnReached,
      clusteredReached,
      crownJewelCount: jewels.length,
      platforms: [...levelCounts.values()].sort((a, b) => b.crownJewels - a.crownJewels || b.admin + b.write + b.read - (a.admin + a.write + a.read) || (a.platform < b.platform ? -1 : 1)),
      byBridge: [...byBridge.values()].sort((a, b) => b.crownJewels.length - a.crownJewels.length || (a.bridge?.name ?? '').localeCompare(b.bridge?.name ?? '')),
    },
  };
}

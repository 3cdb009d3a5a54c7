// The graph the browser draws: the server's view (nodes, edges, clusters, aggregated links) as a graphology
// graph whose attributes sigma reads. Keys are units (`n:<id>`, `c:<platform/kind>`) so ids never clash.
import { MultiDirectedGraph } from 'graphology';
import { viewEdgeId, type GraphResponse, type Level, type MapCluster } from './wire.ts';
import { initialPositions, type Point } from './layout.ts';
import { clusterSize, COLORS, shapeOf, sizeOf } from './palette.ts';

export interface ViewNodeAttributes {
  /** Engine id; absent on clusters. */
  nodeId?: string;
  /** Cluster key `platform/kind`; absent on nodes. */
  cluster?: string;
  count?: number;
  /** Clusters of reached nodes (the radius map): the level they are reached at. */
  level?: Level;
  label: string;
  kind: string;
  platform: string;
  crownJewel: boolean;
  color: string;
  size: number;
  /** Sigma node program: the kind's shape. */
  type: string;
  x: number;
  y: number;
}

export interface ViewEdgeAttributes {
  edgeId?: string;
  kind: string;
  traversable: boolean;
  /** Engine ids of the ends, when both are nodes. */
  sourceId?: string;
  targetId?: string;
  count?: number;
  color: string;
  size: number;
  type: string;
}

export type ViewGraph = MultiDirectedGraph<ViewNodeAttributes, ViewEdgeAttributes>;

export const nodeKey = (id: string): string => `n:${id}`;

/** Bidi controls reorder what the canvas draws around them (a name could spoof another): removed; long names cut. */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
export function canvasName(name: string, max = 60): string {
  const clean = name.replace(BIDI_CONTROLS, '');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
export const clusterKey = (key: string): string => `c:${key}`;

export function buildViewGraph(view: GraphResponse, platformColor: (platform: string) => string, saved?: ReadonlyMap<string, Point>): ViewGraph {
  const graph: ViewGraph = new MultiDirectedGraph({ allowSelfLoops: true });
  const units = [
    ...view.nodes.map((node) => ({ key: nodeKey(node.id), platform: node.platform, kind: node.kind })),
    ...view.clusters.map((cluster) => ({ key: clusterKey(cluster.key), platform: cluster.platform, kind: cluster.kind })),
  ];
  const start = initialPositions(units);
  const place = (key: string): Point => saved?.get(key) ?? start.get(key) ?? { x: 0, y: 0 };
  for (const node of view.nodes) {
    const key = nodeKey(node.id);
    graph.addNode(key, {
      nodeId: node.id, label: canvasName(node.label), kind: node.kind, platform: node.platform, crownJewel: node.crownJewel,
      color: platformColor(node.platform), size: sizeOf(node.kind), type: shapeOf(node.kind), ...place(key),
    });
  }
  for (const cluster of view.clusters as readonly MapCluster[]) {
    const key = clusterKey(cluster.key);
    const level = cluster.level;
    graph.addNode(key, {
      cluster: cluster.key, count: cluster.count, label: `${cluster.platform} · ${cluster.kind}${level ? ` · ${level}` : ''} (${cluster.count.toLocaleString('en-US')})`, kind: cluster.kind, platform: cluster.platform,
      crownJewel: false, color: platformColor(cluster.platform), size: clusterSize(cluster.count), type: shapeOf(cluster.kind), ...place(key),
      ...(level ? { level } : {}),
    });
  }
  for (const edge of view.edges) {
    graph.addDirectedEdgeWithKey(edge.key, nodeKey(edge.source), nodeKey(edge.target), {
      edgeId: viewEdgeId(edge), kind: edge.kind, traversable: edge.traversable, sourceId: edge.source, targetId: edge.target,
      color: edge.traversable ? COLORS.edge : COLORS.governanceEdge, size: edge.traversable ? 1 : 0.6, type: 'arrow',
    });
  }
  view.links.forEach((link, i) => {
    if (!graph.hasNode(link.source) || !graph.hasNode(link.target)) return;
    graph.addDirectedEdgeWithKey(`l${i}`, link.source, link.target, {
      kind: 'AGGREGATED', traversable: true, count: link.count, color: COLORS.edge, size: Math.min(6, 0.8 + Math.log10(link.count + 1) * 1.5), type: 'arrow',
    });
  });
  return graph;
}

/** Engine ids of a node's neighbours (either direction), for the hover neighbourhood. */
export function neighbourIds(graph: ViewGraph, key: string): Set<string> {
  const ids = new Set<string>();
  graph.forEachNeighbor(key, (_neighbour, attributes) => {
    if (attributes.nodeId !== undefined) ids.add(attributes.nodeId);
  });
  return ids;
}

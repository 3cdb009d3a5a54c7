// graphology is blastmap's view model: the UI draws it with sigma and the GEXF/GraphML exports write it.
// Analysis never runs on it; this turns the compiled graph (or a part of it) into one.
import { MultiDirectedGraph } from 'graphology';
import { levelName } from '../schema/index.ts';
import type { ReachResult } from '../analysis/reach.ts';
import { edgeIdAt, type CompactGraph } from './compact.ts';

export interface ToGraphologyOptions {
  /** Only these node indices (and the edges between them). Default: the whole graph. */
  nodes?: Iterable<number>;
  /** Annotate nodes with `level` and `hops` from this traversal (a radius export opens coloured in Gephi). */
  radius?: ReachResult;
}

/** Node v's attributes in the view, flattened to primitives so every exporter can write them. */
export function viewNodeAttributes(graph: CompactGraph, v: number): Record<string, string | number | boolean> {
  const node = graph.nodes[v]!;
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(node)) {
    if (value === undefined || value === null || key === 'properties') continue;
    out[key === 'name' ? 'label' : key] = Array.isArray(value) ? value.join(',') : (value as string | number | boolean);
  }
  for (const [key, value] of Object.entries(node.properties ?? {})) {
    if (value !== null && !Object.hasOwn(out, key)) out[`prop_${key}`] = Array.isArray(value) ? value.join(',') : value;
  }
  out.color = graph.schema.nodeKinds[node.kind]?.color ?? '#999999';
  return out;
}

/** A graph as plain node and edge lists with flat attributes: what the GEXF and GraphML exports write. */
export interface FlatView {
  nodes: { id: string; attributes: Record<string, string | number | boolean> }[];
  edges: { key: string; source: string; target: string; attributes: Record<string, string | number | boolean> }[];
}

/**
 * The nodes and edges of the view, without graphology: graphology keeps adjacency in plain objects keyed by node
 * id, and an edge into a node whose id is `__proto__` writes onto Object.prototype (`previous`). The exports
 * read this; the UI's graphology view is built from it.
 */
export function flatView(graph: CompactGraph, options: ToGraphologyOptions = {}): FlatView {
  const view: FlatView = { nodes: [], edges: [] };
  const include = options.nodes ? new Uint8Array(graph.nodeCount) : undefined;
  if (include && options.nodes) for (const v of options.nodes) include[v] = 1;
  const radius = options.radius;
  const sources = new Set(radius?.sources ?? []);
  for (let v = 0; v < graph.nodeCount; v++) {
    if (include && include[v] === 0) continue;
    const attributes = radiusNodeAttributes(graph, v, radius, sources);
    view.nodes.push({ id: graph.nodes[v]!.id, attributes });
  }
  for (let e = 0; e < graph.edgeCount; e++) {
    const from = graph.edgeSrc[e]!;
    const to = graph.edgeDst[e]!;
    if (include && (include[from] === 0 || include[to] === 0)) continue;
    view.edges.push({ key: edgeIdAt(graph, e), source: graph.nodes[from]!.id, target: graph.nodes[to]!.id, attributes: viewEdgeAttributes(graph, e) });
  }
  return view;
}

export function toGraphology(graph: CompactGraph, options: ToGraphologyOptions = {}): MultiDirectedGraph {
  const view = new MultiDirectedGraph({ allowSelfLoops: true });
  const flat = flatView(graph, options);
  for (const node of flat.nodes) view.addNode(node.id, node.attributes);
  for (const edge of flat.edges) view.addDirectedEdgeWithKey(edge.key, edge.source, edge.target, edge.attributes);
  return view;
}

/** Edge e's attributes in the view (and in the GEXF and GraphML exports): kind, label, traversable and its properties. */
export function viewEdgeAttributes(graph: CompactGraph, e: number): Record<string, string | number | boolean> {
  const attrs = graph.edgeAttrs[e];
  const kind = graph.edgeKindNames[graph.edgeKind[e]!]!;
  const attributes: Record<string, string | number | boolean> = { kind, label: kind, traversable: graph.kindTraversable[graph.edgeKind[e]!] === 1 };
  if (attrs?.scopes) attributes.scopes = attrs.scopes.join(' ');
  if (attrs?.grant) attributes.grant = attrs.grant;
  if (attrs?.reason) attributes.reason = attrs.reason;
  if (attrs?.conditions) attributes.conditions = attrs.conditions.join(',');
  if (attrs?.derivedFrom !== undefined) attributes.derivedFrom = attrs.derivedFrom;
  return attributes;
}

/** Node v's view attributes, with `reached`, `level`, `hops` and `isSource` from a radius export's traversal. */
export function radiusNodeAttributes(graph: CompactGraph, v: number, radius: ReachResult | undefined, sources: ReadonlySet<number>): Record<string, string | number | boolean> {
  const attributes = viewNodeAttributes(graph, v);
  if (radius) {
    const level = radius.level[v]!;
    attributes.reached = level > 0;
    if (level > 0) {
      attributes.level = levelName(level);
      attributes.hops = radius.hops[v * 3 + level - 1]!;
      // Not `source`: that attribute already holds the importer that produced the node.
      attributes.isSource = sources.has(v);
    }
  }
  return attributes;
}

// The graph (or a radius subgraph) in blastmap's own native format, as one JSON document or as NDJSON with one
// node or edge per line; both read back with `blastmap import native`. Written in chunks for large graphs.
import type { GraphEdge, GraphNode } from '../format/native.ts';
import { edgeRecord, type CompactGraph } from '../store/compact.ts';
import { selectExport, type ExportOptions, type RadiusMark } from './select.ts';

/** Property names a radius export adds to each reached node (`properties.radiusLevel` ...). */
export const NATIVE_RADIUS_PROPERTIES = { level: 'radiusLevel', hops: 'radiusHops', source: 'radiusSource' } as const;

export interface NativeDocument {
  version: 1;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

function exportedNode(node: GraphNode, mark: RadiusMark | undefined): GraphNode {
  const copy: GraphNode = { ...node };
  if (node.properties) copy.properties = { ...node.properties };
  if (mark) {
    copy.properties = {
      ...copy.properties,
      [NATIVE_RADIUS_PROPERTIES.level]: mark.level,
      [NATIVE_RADIUS_PROPERTIES.hops]: mark.hops,
      [NATIVE_RADIUS_PROPERTIES.source]: mark.source,
    };
  }
  return copy;
}

export function toNativeJson(graph: CompactGraph, options: ExportOptions = {}): NativeDocument {
  const selection = selectExport(graph, options);
  return {
    version: 1,
    nodes: selection.nodes.map((v) => exportedNode(graph.nodes[v]!, selection.mark(v))),
    edges: selection.edges.map((e) => edgeRecord(graph, e)),
  };
}

/** `toNativeJson` as text chunks, one node or edge per line; joined, it parses to the same document. */
export function* nativeJsonText(graph: CompactGraph, options: ExportOptions = {}): Generator<string> {
  const selection = selectExport(graph, options);
  yield '{"version":1,"nodes":[';
  let first = true;
  for (const v of selection.nodes) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(exportedNode(graph.nodes[v]!, selection.mark(v)))}`;
    first = false;
  }
  yield '\n],"edges":[';
  first = true;
  for (const e of selection.edges) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(edgeRecord(graph, e))}`;
    first = false;
  }
  yield '\n]}\n';
}

/** NDJSON: every node, then every edge, one JSON object per line. */
export function* ndjsonText(graph: CompactGraph, options: ExportOptions = {}): Generator<string> {
  const selection = selectExport(graph, options);
  for (const v of selection.nodes) yield `${JSON.stringify(exportedNode(graph.nodes[v]!, selection.mark(v)))}\n`;
  for (const e of selection.edges) yield `${JSON.stringify(edgeRecord(graph, e))}\n`;
}

export function toNdjson(graph: CompactGraph, options: ExportOptions = {}): string {
  return [...ndjsonText(graph, options)].join('');
}

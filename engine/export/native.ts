// The graph (or a radius subgraph) in blastmap's own native format, as one JSON document or as NDJSON with one
// node or edge per line; both read back with `blastmap import native`. Written in chunks for large graphs.
import type { GraphEdge, GraphNode } from '../format/native.ts';
import { jsonOutChunks, type JsonOut } from '../report/json-out.ts';
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

/**
 * An edge's record (`edgeRecord`) as JSON.stringify writes it: an edge without attributes (most of them) straight
 * from the graph's columns, any other through its record.
 */
function writeEdge(out: JsonOut, graph: CompactGraph, e: number): void {
  if (graph.edgeAttrs[e] !== undefined) { out.value(edgeRecord(graph, e)); return; }
  out.ascii('{"kind":');
  out.repeated(graph.edgeKindNames[graph.edgeKind[e]!]!);
  out.ascii(',"from":');
  out.str(graph.nodes[graph.edgeSrc[e]!]!.id);
  out.ascii(',"to":');
  out.str(graph.nodes[graph.edgeDst[e]!]!.id);
  out.byte(0x7d);
}

/** `toNativeJson` written into `out`, one node or edge per line; it parses to the same document. Yields every 1,024 lines. */
export function* nativeJsonParts(graph: CompactGraph, out: JsonOut, options: ExportOptions = {}): Generator<void> {
  const selection = selectExport(graph, options);
  out.ascii('{"version":1,"nodes":[');
  let lines = 0;
  for (const v of selection.nodes) {
    out.ascii(lines === 0 ? '\n' : ',\n');
    out.value(exportedNode(graph.nodes[v]!, selection.mark(v)));
    if ((++lines & 1023) === 0) yield;
  }
  out.ascii('\n],"edges":[');
  let first = true;
  for (const e of selection.edges) {
    out.ascii(first ? '\n' : ',\n');
    first = false;
    writeEdge(out, graph, e);
    if ((++lines & 1023) === 0) yield;
  }
  out.ascii('\n]}\n');
  yield;
}

/** NDJSON written into `out`: every node, then every edge, one JSON object per line. Yields every 1,024 lines. */
export function* ndjsonParts(graph: CompactGraph, out: JsonOut, options: ExportOptions = {}): Generator<void> {
  const selection = selectExport(graph, options);
  let lines = 0;
  for (const v of selection.nodes) {
    out.value(exportedNode(graph.nodes[v]!, selection.mark(v)));
    out.byte(0x0a);
    if ((++lines & 1023) === 0) yield;
  }
  for (const e of selection.edges) {
    writeEdge(out, graph, e);
    out.byte(0x0a);
    if ((++lines & 1023) === 0) yield;
  }
  yield;
}

/** `nativeJsonParts` as text chunks; joined, they parse to `toNativeJson`'s document. */
export function nativeJsonText(graph: CompactGraph, options: ExportOptions = {}): Generator<string> {
  return jsonOutChunks((out) => nativeJsonParts(graph, out, options));
}

/** `ndjsonParts` as text, one piece per line. */
export function* ndjsonText(graph: CompactGraph, options: ExportOptions = {}): Generator<string> {
  for (const piece of jsonOutChunks((out) => ndjsonParts(graph, out, options))) {
    // A raw newline only ends a line: JSON escapes those inside strings.
    const lines = piece.split('\n');
    for (let i = 0; i + 1 < lines.length; i++) yield `${lines[i]!}\n`;
  }
}

export function toNdjson(graph: CompactGraph, options: ExportOptions = {}): string {
  return [...ndjsonText(graph, options)].join('');
}

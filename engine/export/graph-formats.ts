// GEXF and GraphML exports for Gephi, yEd, Cytoscape and NetworkX, written from the graphology view of the graph
// (engine/store/graphology.ts). A radius export carries level, hops and isSource on each node, so it opens
// ready to colour or filter by level. Pure string building: no DOM, no file system.
import { MultiDirectedGraph } from 'graphology';
import { write as writeGexf } from 'graphology-gexf';
import type { CompactGraph } from '../store/compact.ts';
import { toGraphology, viewEdgeAttributes, viewNodeAttributes } from '../store/graphology.ts';
import { edgeIdAt } from '../store/compact.ts';
import { levelName } from '../schema/index.ts';
import { selectExport, type ExportOptions } from './select.ts';

function exportView(graph: CompactGraph, options: ExportOptions): MultiDirectedGraph {
  if (!options.radius) return toGraphology(graph);
  return toGraphology(graph, { nodes: selectExport(graph, options).nodes, radius: options.radius });
}

/** GEXF 1.3 (Gephi's own format): node colours by kind as `viz:color`, every other field as an attribute. */
export function toGexf(graph: CompactGraph, options: ExportOptions = {}): string {
  return writeGexf(xmlSafeView(exportView(graph, options)), { version: '1.3', pretty: true });
}

/**
 * The GEXF writer escapes markup but not characters XML cannot carry at all (lone surrogates, U+FFFE, most C0
 * controls in ids); a copy with those replaced keeps the file well-formed whatever the names contain.
 */
function xmlSafeView(view: MultiDirectedGraph): MultiDirectedGraph {
  const safe = (text: string): string => text.replace(XML_INVALID, '\uFFFD');
  const clean = (attributes: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(attributes).map(([key, value]) => [safe(key), typeof value === 'string' ? safe(value) : value]));
  const out = new MultiDirectedGraph({ allowSelfLoops: true });
  view.forEachNode((node, attributes) => { out.mergeNode(safe(node), clean(attributes)); });
  view.forEachEdge((edge, attributes, source, target) => {
    const key = safe(edge);
    if (out.hasEdge(key)) out.addDirectedEdge(safe(source), safe(target), clean(attributes));
    else out.addDirectedEdgeWithKey(key, safe(source), safe(target), clean(attributes));
  });
  return out;
}

// --- GraphML -----------------------------------------------------------------------------------------------
// graphology-graphml only parses, so GraphML is written here (https://graphml.graphdrawing.org/specification.html).

type GraphmlType = 'boolean' | 'int' | 'long' | 'double' | 'string';

/** Characters XML 1.0 cannot carry at all (names are attacker-controlled and may contain them). */
const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(text: string): string {
  return text
    .replace(XML_INVALID, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function typeOf(value: unknown): GraphmlType {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return 'double';
    return Math.abs(value) <= 2 ** 31 - 1 ? 'int' : 'long';
  }
  return 'string';
}

/** The narrowest type that holds every value an attribute takes. */
function widen(a: GraphmlType, b: GraphmlType): GraphmlType {
  if (a === b) return a;
  const numeric: GraphmlType[] = ['int', 'long', 'double'];
  if (numeric.includes(a) && numeric.includes(b)) return numeric[Math.max(numeric.indexOf(a), numeric.indexOf(b))]!;
  return 'string';
}

interface KeySpec { id: string; name: string; type: GraphmlType }

function collectKeys(prefix: string, records: Iterable<Record<string, unknown>>): Map<string, KeySpec> {
  const types = new Map<string, GraphmlType>();
  for (const attributes of records) {
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined || value === null) continue;
      const type = typeOf(value);
      const known = types.get(name);
      types.set(name, known ? widen(known, type) : type);
    }
  }
  const keys = new Map<string, KeySpec>();
  [...types.keys()].sort().forEach((name, i) => keys.set(name, { id: `${prefix}${i}`, name, type: types.get(name)! }));
  return keys;
}

function hexToRgb(color: unknown): [number, number, number] | undefined {
  if (typeof color !== 'string') return undefined;
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  return match ? [parseInt(match[1]!, 16), parseInt(match[2]!, 16), parseInt(match[3]!, 16)] : undefined;
}

function dataLines(indent: string, keys: Map<string, KeySpec>, attributes: Record<string, unknown>): string[] {
  const lines: string[] = [];
  for (const [name, spec] of keys) {
    const value = attributes[name];
    if (value === undefined || value === null) continue;
    lines.push(`${indent}<data key="${spec.id}">${escapeXml(String(value))}</data>`);
  }
  return lines;
}

/**
 * GraphML with typed attribute keys. Node colours are written both as `color` (hex) and as `r`, `g`, `b`
 * integers, which Gephi's GraphML importer reads as the node colour.
 */
export function toGraphml(graph: CompactGraph, options: ExportOptions = {}): string {
  return [...graphmlChunks(graph, options)].join('');
}

/**
 * `toGraphml` in pieces that each end with a newline, written straight from the compiled graph: a radius of
 * a third of a million nodes and millions of edges is gigabytes of XML, more than one string can hold, and no
 * copy of the graph is built. The attributes are read twice (once for the key types, once to write them).
 */
export function* graphmlChunks(graph: CompactGraph, options: ExportOptions = {}): Generator<string> {
  const { nodes, edges } = selectExport(graph, options);
  const radius = options.radius;
  const sources = new Set(radius?.sources ?? []);
  const nodeAttributes = (v: number): Record<string, unknown> => {
    const attributes: Record<string, unknown> = viewNodeAttributes(graph, v);
    if (radius) {
      const level = radius.level[v]!;
      attributes.reached = level > 0;
      if (level > 0) {
        attributes.level = levelName(level);
        attributes.hops = radius.hops[v * 3 + level - 1]!;
        attributes.isSource = sources.has(v);
      }
    }
    const rgb = hexToRgb(attributes.color);
    if (rgb) { attributes.r = rgb[0]; attributes.g = rgb[1]; attributes.b = rgb[2]; }
    return attributes;
  };
  const nodeKeys = collectKeys('n', (function* () { for (const v of nodes) yield nodeAttributes(v); })());
  const edgeKeys = collectKeys('e', (function* () { for (const e of edges) yield viewEdgeAttributes(graph, e); })());
  yield '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n';
  for (const spec of nodeKeys.values()) yield `  <key id="${spec.id}" for="node" attr.name="${escapeXml(spec.name)}" attr.type="${spec.type}"/>\n`;
  for (const spec of edgeKeys.values()) yield `  <key id="${spec.id}" for="edge" attr.name="${escapeXml(spec.name)}" attr.type="${spec.type}"/>\n`;
  yield '  <graph id="blastmap" edgedefault="directed">\n';
  for (const v of nodes) {
    yield [`    <node id="${escapeXml(graph.nodes[v]!.id)}">`, ...dataLines('      ', nodeKeys, nodeAttributes(v)), '    </node>', ''].join('\n');
  }
  for (const e of edges) {
    const head = `    <edge id="${escapeXml(edgeIdAt(graph, e))}" source="${escapeXml(graph.nodes[graph.edgeSrc[e]!]!.id)}" target="${escapeXml(graph.nodes[graph.edgeDst[e]!]!.id)}">`;
    yield [head, ...dataLines('      ', edgeKeys, viewEdgeAttributes(graph, e)), '    </edge>', ''].join('\n');
  }
  yield '  </graph>\n</graphml>\n';
}

// The first GEXF and GraphML writers, which read every attribute twice (key types, then values): the oracle the
// one-pass writers of engine/export/graph-formats.ts are tested byte-equal against.
import { edgeIdAt, type CompactGraph } from '../../engine/store/compact.ts';
import { radiusNodeAttributes, viewEdgeAttributes } from '../../engine/store/graphology.ts';
import { selectExport, type ExportOptions } from '../../engine/export/select.ts';

/** The nodes and edges an export writes, and each node's attributes (with the radius's level and hops). */
function exportRecords(graph: CompactGraph, options: ExportOptions) {
  const { nodes, edges } = selectExport(graph, options);
  const radius = options.radius;
  const sources = new Set(radius?.sources ?? []);
  const nodeAttributes = (v: number): Record<string, string | number | boolean> => radiusNodeAttributes(graph, v, radius, sources);
  return { nodes, edges, nodeAttributes };
}

/**
 * GEXF 1.3 (Gephi's own format): node colours by kind as `viz:color`, every other field as a typed attribute.
 * Written here rather than by graphology-gexf, whose writer keeps attribute models in plain objects and fails
 * ("Bad Parameter", exit 70) on a node whose id is `__proto__`, and holds the whole document in memory.
 */
export function referenceToGexf(graph: CompactGraph, options: ExportOptions = {}): string {
  return [...referenceGexfChunks(graph, options)].join('');
}

/** `toGexf` in pieces that each end with a newline. The attributes are read twice (key types, then values). */
function* referenceGexfChunks(graph: CompactGraph, options: ExportOptions = {}): Generator<string> {
  const { nodes, edges, nodeAttributes } = exportRecords(graph, options);
  // label, color and kind (of an edge) are GEXF's own fields, not attributes.
  const nodeKeys = collectKeys('n', (function* () { for (const v of nodes) yield omit(nodeAttributes(v), ['label', 'color']); })());
  const edgeKeys = collectKeys('e', (function* () { for (const e of edges) yield omit(viewEdgeAttributes(graph, e), ['label', 'kind']); })());
  yield '<?xml version="1.0" encoding="UTF-8"?>\n<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">\n  <graph defaultedgetype="directed" mode="static">\n';
  for (const [cls, keys] of [['node', nodeKeys], ['edge', edgeKeys]] as const) {
    if (keys.size === 0) continue;
    const lines = [`    <attributes class="${cls}">`];
    // The attribute's name is its id too, as Gephi and graphology-gexf read it.
    for (const spec of keys.values()) lines.push(`      <attribute id="${referenceEscapeXml(spec.name)}" title="${referenceEscapeXml(spec.name)}" type="${GEXF_TYPE[spec.type]}"/>`);
    lines.push('    </attributes>', '');
    yield lines.join('\n');
  }
  yield '    <nodes>\n';
  for (const v of nodes) {
    const attributes = nodeAttributes(v);
    const label = own(attributes, 'label');
    const lines = [`      <node id="${referenceEscapeXml(graph.nodes[v]!.id)}"${label === undefined ? '' : ` label="${referenceEscapeXml(String(label))}"`}>`, ...attvalueLines('        ', nodeKeys, attributes)];
    const color = own(attributes, 'color');
    const rgb = hexToRgb(color);
    if (rgb) lines.push(`        <viz:color r="${rgb[0]}" g="${rgb[1]}" b="${rgb[2]}" hex="${referenceEscapeXml(String(color))}"/>`);
    lines.push('      </node>', '');
    yield lines.join('\n');
  }
  yield '    </nodes>\n    <edges>\n';
  for (const e of edges) {
    const attributes = viewEdgeAttributes(graph, e);
    const kind = own(attributes, 'kind');
    const label = own(attributes, 'label');
    const head = `      <edge id="${referenceEscapeXml(edgeIdAt(graph, e))}" source="${referenceEscapeXml(graph.nodes[graph.edgeSrc[e]!]!.id)}" target="${referenceEscapeXml(graph.nodes[graph.edgeDst[e]!]!.id)}"${kind === undefined ? '' : ` kind="${referenceEscapeXml(String(kind))}"`}${label === undefined ? '' : ` label="${referenceEscapeXml(String(label))}"`}>`;
    yield [head, ...attvalueLines('        ', edgeKeys, attributes), '      </edge>', ''].join('\n');
  }
  yield '    </edges>\n  </graph>\n</gexf>\n';
}

const GEXF_TYPE: Record<GraphmlType, string> = { boolean: 'boolean', int: 'integer', long: 'long', double: 'double', string: 'string' };

/** An own property only: a key named `constructor` or `__proto__` is data, never what Object.prototype holds. */
const own = (record: Record<string, unknown>, key: string): unknown => (Object.hasOwn(record, key) ? record[key] : undefined);

function omit(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}

function attvalueLines(indent: string, keys: Map<string, KeySpec>, attributes: Record<string, unknown>): string[] {
  const values: string[] = [];
  for (const [name, spec] of keys) {
    const value = own(attributes, name);
    if (value === undefined || value === null) continue;
    values.push(`${indent}  <attvalue for="${referenceEscapeXml(spec.name)}" value="${referenceEscapeXml(String(value))}"/>`);
  }
  return values.length === 0 ? [] : [`${indent}<attvalues>`, ...values, `${indent}</attvalues>`];
}

// --- GraphML -----------------------------------------------------------------------------------------------
// graphology-graphml only parses, so GraphML is written here (https://graphml.graphdrawing.org/specification.html).

type GraphmlType = 'boolean' | 'int' | 'long' | 'double' | 'string';

/** Characters XML 1.0 cannot carry at all (names are attacker-controlled and may contain them). */
const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function referenceEscapeXml(text: string): string {
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
    const value = own(attributes, name);
    if (value === undefined || value === null) continue;
    lines.push(`${indent}<data key="${spec.id}">${referenceEscapeXml(String(value))}</data>`);
  }
  return lines;
}

/**
 * GraphML with typed attribute keys. Node colours are written both as `color` (hex) and as `r`, `g`, `b`
 * integers, which Gephi's GraphML importer reads as the node colour.
 */
export function referenceToGraphml(graph: CompactGraph, options: ExportOptions = {}): string {
  return [...referenceGraphmlChunks(graph, options)].join('');
}

/** `toGraphml` in pieces that each end with a newline. The attributes are read twice (key types, then values). */
function* referenceGraphmlChunks(graph: CompactGraph, options: ExportOptions = {}): Generator<string> {
  const records = exportRecords(graph, options);
  const { nodes, edges } = records;
  const nodeAttributes = (v: number): Record<string, string | number | boolean> => {
    const attributes = records.nodeAttributes(v);
    const rgb = hexToRgb(own(attributes, 'color'));
    if (rgb) { attributes.r = rgb[0]; attributes.g = rgb[1]; attributes.b = rgb[2]; }
    return attributes;
  };
  const nodeKeys = collectKeys('n', (function* () { for (const v of nodes) yield nodeAttributes(v); })());
  const edgeKeys = collectKeys('e', (function* () { for (const e of edges) yield viewEdgeAttributes(graph, e); })());
  yield '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n';
  for (const spec of nodeKeys.values()) yield `  <key id="${spec.id}" for="node" attr.name="${referenceEscapeXml(spec.name)}" attr.type="${spec.type}"/>\n`;
  for (const spec of edgeKeys.values()) yield `  <key id="${spec.id}" for="edge" attr.name="${referenceEscapeXml(spec.name)}" attr.type="${spec.type}"/>\n`;
  yield '  <graph id="blastmap" edgedefault="directed">\n';
  for (const v of nodes) {
    yield [`    <node id="${referenceEscapeXml(graph.nodes[v]!.id)}">`, ...dataLines('      ', nodeKeys, nodeAttributes(v)), '    </node>', ''].join('\n');
  }
  for (const e of edges) {
    const head = `    <edge id="${referenceEscapeXml(edgeIdAt(graph, e))}" source="${referenceEscapeXml(graph.nodes[graph.edgeSrc[e]!]!.id)}" target="${referenceEscapeXml(graph.nodes[graph.edgeDst[e]!]!.id)}">`;
    yield [head, ...dataLines('      ', edgeKeys, viewEdgeAttributes(graph, e)), '    </edge>', ''].join('\n');
  }
  yield '  </graph>\n</graphml>\n';
}

// GEXF and GraphML exports for Gephi, yEd, Cytoscape and NetworkX, written straight from the compiled graph in
// pieces (a radius of a third of a million nodes is gigabytes of XML, more than one string holds; no copy of the graph
// is built). A radius export carries level, hops and isSource on each node, so it opens ready to colour or filter by
// level. Pure string building: no DOM, no file system. Ids, names and property keys are data (`__proto__` included).
import { edgeIdAt, type CompactGraph } from '../store/compact.ts';
import { radiusNodeAttributes } from '../store/graphology.ts';
import { selectExport, type ExportOptions } from './select.ts';

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
export function toGexf(graph: CompactGraph, options: ExportOptions = {}): string {
  return [...gexfChunks(graph, options)].join('');
}

/** `toGexf` in pieces that each end with a newline. The attributes are read twice (key types, then values). */
export function* gexfChunks(graph: CompactGraph, options: ExportOptions = {}): Generator<string> {
  const { nodes, edges, nodeAttributes } = exportRecords(graph, options);
  // label, color and kind (of an edge) are GEXF's own fields, not attributes.
  const nodeKeys = collectKeys('n', (function* () { for (const v of nodes) yield omit(nodeAttributes(v), ['label', 'color']); })());
  const edgeKeys = collectEdgeKeys(graph, edges, ['label', 'kind']);
  yield '<?xml version="1.0" encoding="UTF-8"?>\n<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">\n  <graph defaultedgetype="directed" mode="static">\n';
  for (const [cls, keys] of [['node', nodeKeys], ['edge', edgeKeys]] as const) {
    if (keys.size === 0) continue;
    const lines = [`    <attributes class="${cls}">`];
    // The attribute's name is its id too, as Gephi and graphology-gexf read it.
    for (const spec of keys.values()) lines.push(`      <attribute id="${escapeXml(spec.name)}" title="${escapeXml(spec.name)}" type="${GEXF_TYPE[spec.type]}"/>`);
    lines.push('    </attributes>', '');
    yield lines.join('\n');
  }
  yield '    <nodes>\n';
  for (const v of nodes) {
    const attributes = nodeAttributes(v);
    const label = own(attributes, 'label');
    const lines = [`      <node id="${escapeXml(graph.nodes[v]!.id)}"${label === undefined ? '' : ` label="${escapeXml(String(label))}"`}>`, ...attvalueLines('        ', nodeKeys, (name) => own(attributes, name))];
    const color = own(attributes, 'color');
    const rgb = hexToRgb(color);
    if (rgb) lines.push(`        <viz:color r="${rgb[0]}" g="${rgb[1]}" b="${rgb[2]}" hex="${escapeXml(String(color))}"/>`);
    lines.push('      </node>', '');
    yield lines.join('\n');
  }
  yield '    </nodes>\n    <edges>\n';
  for (const e of edges) {
    const valueOf = (name: string) => edgeAttributeValue(graph, e, name);
    const kind = valueOf('kind');
    const label = valueOf('label');
    const head = `      <edge id="${escapeXml(edgeIdAt(graph, e))}" source="${escapeXml(graph.nodes[graph.edgeSrc[e]!]!.id)}" target="${escapeXml(graph.nodes[graph.edgeDst[e]!]!.id)}"${kind === undefined ? '' : ` kind="${escapeXml(String(kind))}"`}${label === undefined ? '' : ` label="${escapeXml(String(label))}"`}>`;
    yield [head, ...attvalueLines('        ', edgeKeys, valueOf), '      </edge>', ''].join('\n');
  }
  yield '    </edges>\n  </graph>\n</gexf>\n';
}

const GEXF_TYPE: Record<GraphmlType, string> = { boolean: 'boolean', int: 'integer', long: 'long', double: 'double', string: 'string' };

/** An own property only: a key named `constructor` or `__proto__` is data, never what Object.prototype holds. */
const own = (record: Record<string, unknown>, key: string): unknown => (Object.hasOwn(record, key) ? record[key] : undefined);

function omit(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}

function attvalueLines(indent: string, keys: Map<string, KeySpec>, valueOf: (name: string) => unknown): string[] {
  const values: string[] = [];
  for (const [name, spec] of keys) {
    const value = valueOf(name);
    if (value === undefined || value === null) continue;
    values.push(`${indent}  <attvalue for="${escapeXml(spec.name)}" value="${escapeXml(String(value))}"/>`);
  }
  return values.length === 0 ? [] : [`${indent}<attvalues>`, ...values, `${indent}</attvalues>`];
}

// --- GraphML -----------------------------------------------------------------------------------------------
// graphology-graphml only parses, so GraphML is written here (https://graphml.graphdrawing.org/specification.html).

type GraphmlType = 'boolean' | 'int' | 'long' | 'double' | 'string';

/** Characters XML 1.0 cannot carry at all (names are attacker-controlled and may contain them). */
const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Anything escapeXml would change: markup characters, controls, surrogates (paired or not) and U+FFFE/U+FFFF. */
const NEEDS_ESCAPE = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function escapeXml(text: string): string {
  // Most ids and names need nothing: one test instead of six replacements (most of an export's time at 8M edges).
  if (!NEEDS_ESCAPE.test(text)) return text;
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

/** The optional edge attributes of `viewEdgeAttributes`, present only on edges whose sparse attributes carry them. */
const OPTIONAL_EDGE_ATTRIBUTES = ['scopes', 'grant', 'reason', 'conditions', 'derivedFrom'] as const;

/**
 * `viewEdgeAttributes(graph, e)[name]`, read straight off the compiled graph without building the record: the edge
 * exports write millions of edges, and building each edge's record twice (key types, then values) was most of
 * their time. Tested equal to viewEdgeAttributes for every name on every edge.
 */
export function edgeAttributeValue(graph: CompactGraph, e: number, name: string): string | boolean | null | undefined {
  const attrs = graph.edgeAttrs[e];
  switch (name) {
    case 'kind':
    case 'label': return graph.edgeKindNames[graph.edgeKind[e]!]!;
    case 'traversable': return graph.kindTraversable[graph.edgeKind[e]!] === 1;
    case 'scopes': return attrs?.scopes ? attrs.scopes.join(' ') : undefined;
    case 'grant': return attrs?.grant ? attrs.grant : undefined;
    case 'reason': return attrs?.reason ? attrs.reason : undefined;
    case 'conditions': return attrs?.conditions ? attrs.conditions.join(',') : undefined;
    case 'derivedFrom': return attrs?.derivedFrom;
    default: return undefined;
  }
}

/**
 * The edge attribute keys with their types, as collectKeys finds them over every edge's record: kind, label and
 * traversable on every edge, the optional ones read only on edges that have sparse attributes.
 */
function collectEdgeKeys(graph: CompactGraph, edges: readonly number[], omitted: readonly string[]): Map<string, KeySpec> {
  const types = new Map<string, GraphmlType>();
  const note = (name: string, value: unknown) => {
    if (value === undefined || value === null || omitted.includes(name)) return;
    const type = typeOf(value);
    const known = types.get(name);
    types.set(name, known ? widen(known, type) : type);
  };
  for (const e of edges) {
    if (!types.has('traversable')) for (const name of ['kind', 'label', 'traversable']) note(name, edgeAttributeValue(graph, e, name));
    if (graph.edgeAttrs[e] === undefined) continue;
    for (const name of OPTIONAL_EDGE_ATTRIBUTES) note(name, edgeAttributeValue(graph, e, name));
  }
  const keys = new Map<string, KeySpec>();
  [...types.keys()].sort().forEach((name, i) => keys.set(name, { id: `e${i}`, name, type: types.get(name)! }));
  return keys;
}

function hexToRgb(color: unknown): [number, number, number] | undefined {
  if (typeof color !== 'string') return undefined;
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  return match ? [parseInt(match[1]!, 16), parseInt(match[2]!, 16), parseInt(match[3]!, 16)] : undefined;
}

function dataLines(indent: string, keys: Map<string, KeySpec>, valueOf: (name: string) => unknown): string[] {
  const lines: string[] = [];
  for (const [name, spec] of keys) {
    const value = valueOf(name);
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

/** `toGraphml` in pieces that each end with a newline. The attributes are read twice (key types, then values). */
export function* graphmlChunks(graph: CompactGraph, options: ExportOptions = {}): Generator<string> {
  const records = exportRecords(graph, options);
  const { nodes, edges } = records;
  const nodeAttributes = (v: number): Record<string, string | number | boolean> => {
    const attributes = records.nodeAttributes(v);
    const rgb = hexToRgb(own(attributes, 'color'));
    if (rgb) { attributes.r = rgb[0]; attributes.g = rgb[1]; attributes.b = rgb[2]; }
    return attributes;
  };
  const nodeKeys = collectKeys('n', (function* () { for (const v of nodes) yield nodeAttributes(v); })());
  const edgeKeys = collectEdgeKeys(graph, edges, []);
  yield '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n';
  for (const spec of nodeKeys.values()) yield `  <key id="${spec.id}" for="node" attr.name="${escapeXml(spec.name)}" attr.type="${spec.type}"/>\n`;
  for (const spec of edgeKeys.values()) yield `  <key id="${spec.id}" for="edge" attr.name="${escapeXml(spec.name)}" attr.type="${spec.type}"/>\n`;
  yield '  <graph id="blastmap" edgedefault="directed">\n';
  for (const v of nodes) {
    const attributes = nodeAttributes(v);
    yield [`    <node id="${escapeXml(graph.nodes[v]!.id)}">`, ...dataLines('      ', nodeKeys, (name) => own(attributes, name)), '    </node>', ''].join('\n');
  }
  for (const e of edges) {
    const head = `    <edge id="${escapeXml(edgeIdAt(graph, e))}" source="${escapeXml(graph.nodes[graph.edgeSrc[e]!]!.id)}" target="${escapeXml(graph.nodes[graph.edgeDst[e]!]!.id)}">`;
    yield [head, ...dataLines('      ', edgeKeys, (name) => edgeAttributeValue(graph, e, name)), '    </edge>', ''].join('\n');
  }
  yield '  </graph>\n</graphml>\n';
}

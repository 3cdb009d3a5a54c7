// GEXF and GraphML exports for Gephi, yEd, Cytoscape and NetworkX, written from the flat view of the graph
// (engine/store/graphology.ts). A radius export carries level, hops and isSource on each node, so it opens
// ready to colour or filter by level. Pure string building: no DOM, no file system.
import type { CompactGraph } from '../store/compact.ts';
import { flatView, type FlatView } from '../store/graphology.ts';
import { selectExport, type ExportOptions } from './select.ts';

function exportView(graph: CompactGraph, options: ExportOptions): FlatView {
  if (!options.radius) return flatView(graph);
  return flatView(graph, { nodes: selectExport(graph, options).nodes, radius: options.radius });
}

/**
 * GEXF 1.3 (Gephi's own format): node colours by kind as `viz:color`, every other field as a typed attribute.
 * Written here rather than by graphology-gexf, whose writer keeps attribute models in plain objects and fails
 * ("Bad Parameter", exit 70) on a node whose id is `__proto__`: ids, names and property keys are data.
 */
export function toGexf(graph: CompactGraph, options: ExportOptions = {}): string {
  const view = exportView(graph, options);
  const nodeAttributes = new Map<string, Record<string, unknown>>(view.nodes.map((node) => [node.id, node.attributes]));
  const edgeAttributes = view.edges.map((edge) => edge.attributes);
  // label, color and kind (of an edge) are GEXF's own fields, not attributes.
  const nodeKeys = collectKeys('n', [...nodeAttributes.values()].map((a) => omit(a, ['label', 'color'])));
  const edgeKeys = collectKeys('e', edgeAttributes.map((a) => omit(a, ['label', 'kind'])));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">',
    '  <graph defaultedgetype="directed" mode="static">',
  ];
  for (const [cls, keys] of [['node', nodeKeys], ['edge', edgeKeys]] as const) {
    if (keys.size === 0) continue;
    lines.push(`    <attributes class="${cls}">`);
        // The attribute's name is its id too, as Gephi and graphology-gexf read it.
    for (const spec of keys.values()) lines.push(`      <attribute id="${escapeXml(spec.name)}" title="${escapeXml(spec.name)}" type="${GEXF_TYPE[spec.type]}"/>`);
    lines.push('    </attributes>');
  }
  lines.push('    <nodes>');
  for (const [node, attributes] of nodeAttributes) {
    const label = own(attributes, 'label');
    lines.push(`      <node id="${escapeXml(node)}"${label === undefined ? '' : ` label="${escapeXml(String(label))}"`}>`, ...attvalueLines('        ', nodeKeys, attributes));
    const color = own(attributes, 'color');
    const rgb = hexToRgb(color);
    if (rgb) lines.push(`        <viz:color r="${rgb[0]}" g="${rgb[1]}" b="${rgb[2]}" hex="${escapeXml(String(color))}"/>`);
    lines.push('      </node>');
  }
  lines.push('    </nodes>', '    <edges>');
  for (const { key: edge, attributes, source, target } of view.edges) {
    const kind = own(attributes, 'kind');
    const label = own(attributes, 'label');
    lines.push(`      <edge id="${escapeXml(edge)}" source="${escapeXml(source)}" target="${escapeXml(target)}"${kind === undefined ? '' : ` kind="${escapeXml(String(kind))}"`}${label === undefined ? '' : ` label="${escapeXml(String(label))}"`}>`,
      ...attvalueLines('        ', edgeKeys, attributes), '      </edge>');
  }
  lines.push('    </edges>', '  </graph>', '</gexf>', '');
  return lines.join('\n');
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
    values.push(`${indent}  <attvalue for="${escapeXml(spec.name)}" value="${escapeXml(String(value))}"/>`);
  }
  return values.length === 0 ? [] : [`${indent}<attvalues>`, ...values, `${indent}</attvalues>`];
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
    const value = own(attributes, name);
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
  const view = exportView(graph, options);
  const nodeAttributes = new Map<string, Record<string, unknown>>();
  for (const { id, attributes } of view.nodes) {
    const rgb = hexToRgb(own(attributes, 'color'));
    nodeAttributes.set(id, rgb ? { ...attributes, r: rgb[0], g: rgb[1], b: rgb[2] } : { ...attributes });
  }
  const edgeAttributes = view.edges.map((edge) => edge.attributes);
  const nodeKeys = collectKeys('n', nodeAttributes.values());
  const edgeKeys = collectKeys('e', edgeAttributes);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
  ];
  for (const spec of nodeKeys.values()) lines.push(`  <key id="${spec.id}" for="node" attr.name="${escapeXml(spec.name)}" attr.type="${spec.type}"/>`);
  for (const spec of edgeKeys.values()) lines.push(`  <key id="${spec.id}" for="edge" attr.name="${escapeXml(spec.name)}" attr.type="${spec.type}"/>`);
  lines.push('  <graph id="blastmap" edgedefault="directed">');
  for (const [node, attributes] of nodeAttributes) {
    lines.push(`    <node id="${escapeXml(node)}">`, ...dataLines('      ', nodeKeys, attributes), '    </node>');
  }
  for (const { key, attributes, source, target } of view.edges) {
    lines.push(`    <edge id="${escapeXml(key)}" source="${escapeXml(source)}" target="${escapeXml(target)}">`, ...dataLines('      ', edgeKeys, attributes), '    </edge>');
  }
  lines.push('  </graph>', '</graphml>', '');
  return lines.join('\n');
}

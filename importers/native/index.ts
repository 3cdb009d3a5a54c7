// Importer for blastmap's own declarative format: a fragment as JSON or YAML, or NDJSON with one node or
// edge per line. Pure: the CLI (or the browser) reads the file and hands over the text.
import { describeFound, jsonSyntaxIssue, type InputIssue } from '../../engine/errors.ts';
import { edgeSchema, keepProtoProperty, nodeSchema, nodeId, type GraphEdge, type GraphNode } from '../../engine/format/native.ts';
import { readYaml, withLines } from '../../engine/format/yaml.ts';
import { finishFragment, fromZodIssues, validateFragmentDocument, type Result, type SourcedFragment } from '../../engine/format/validate.ts';
import { DEFAULT_SCHEMA, type Schema } from '../../engine/schema/index.ts';
import { scrubInput } from '../../engine/secrets.ts';

export type NativeFormat = 'json' | 'yaml' | 'ndjson';

export interface NativeOptions {
  file?: string;
  format?: NativeFormat;
  schema?: Schema;
  /** Default `source` for records that do not name one. */
  source?: string;
}

export function detectFormat(file: string | undefined, text: string): NativeFormat {
  const lower = (file ?? '').toLowerCase();
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.json')) return 'json';
  const first = text.trimStart()[0];
  if (first === '{') {
    const firstLine = text.trimStart().split('\n', 1)[0]!.trim();
    return firstLine.endsWith('}') && /"kind"/.test(firstLine) && !/"nodes"|"edges"/.test(firstLine) ? 'ndjson' : 'json';
  }
  return 'yaml';
}

/** Lone UTF-16 surrogates, which no UTF-8 file can hold. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Parses and validates one native file. Every problem in the file is reported together. Text handed over as a
 * string reads as the same file read from disk: a lone surrogate becomes U+FFFD, as UTF-8 decoding makes it.
 */
export function parseNative(input: string, options: NativeOptions = {}): Result<SourcedFragment> {
  const text = input.replace(LONE_SURROGATE, '\ufffd');
  const format = options.format ?? detectFormat(options.file, text);
  if (format === 'ndjson') return parseNdjson(text, options);
  if (format === 'yaml') return parseYaml(text, options);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [jsonSyntaxIssue(text, error, { file: options.file })] };
  }
  return validateFragmentDocument(raw, options);
}

function parseYaml(text: string, options: NativeOptions): Result<SourcedFragment> {
  const read = readYaml(text, { file: options.file, what: 'a YAML document' });
  if (!read.ok) return read;
  const result = validateFragmentDocument(read.value, options);
  if (!result.ok) return { ok: false, issues: withLines(result.issues, read.lineAt) };
  result.value.provenance.nodeLines = result.value.fragment.nodes.map((_, i) => read.lineAt(`$.nodes[${i}]`));
  result.value.provenance.edgeLines = result.value.fragment.edges.map((_, i) => read.lineAt(`$.edges[${i}]`));
  return result;
}

function parseNdjson(text: string, options: NativeOptions): Result<SourcedFragment> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const nodeShape = nodeSchema(schema);
  const edgeShape = edgeSchema(schema);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const nodePaths: string[] = [];
  const edgePaths: string[] = [];
  const nodeLines: number[] = [];
  const edgeLines: number[] = [];
  const issues: InputIssue[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const lineNo = i + 1;
    const where = { file: options.file, line: lineNo };
    let raw: unknown;
    try {
      // The input boundary: keys and values are scrubbed before the schema derives an id from lower-cased parts.
      raw = scrubInput(JSON.parse(line));
    } catch (error) {
      issues.push(jsonSyntaxIssue(line, error, where));
      continue;
    }
    const kind = raw !== null && typeof raw === 'object' ? (raw as { kind?: unknown }).kind : undefined;
    const isNode = typeof kind === 'string' && kind in schema.nodeKinds;
    const isEdge = typeof kind === 'string' && kind in schema.edgeKinds;
    if (!isNode && !isEdge) {
      issues.push({ ...where, path: '$.kind', message: 'unknown kind', expected: 'a node kind or an edge kind', found: describeFound(kind) });
      continue;
    }
    const parsed = (isNode ? nodeShape : edgeShape).safeParse(raw);
    if (!parsed.success) {
      issues.push(...fromZodIssues(parsed.error.issues, raw, options.file).map((issue) => ({ ...issue, line: lineNo })));
      continue;
    }
    keepProtoProperty(parsed.data, raw);
    if (isNode) {
      const node = parsed.data as ReturnType<typeof nodeShape.parse>;
      nodes.push({ ...node, id: node.id ?? nodeId(node.platform, node.tenant, node.kind, node.nativeId!), source: node.source ?? options.source });
      nodePaths.push(`$[line ${lineNo}]`);
      nodeLines.push(lineNo);
    } else {
      const edge = parsed.data as GraphEdge;
      edges.push({ ...edge, source: edge.source ?? options.source });
      edgePaths.push(`$[line ${lineNo}]`);
      edgeLines.push(lineNo);
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  return finishFragment({ nodes, edges }, { file: options.file, nodePaths, edgePaths, nodeLines, edgeLines });
}

/** Serialises a fragment as NDJSON, one node or edge per line (nodes first). */
export function toNdjson(fragment: { nodes: readonly object[]; edges: readonly object[] }): string {
  const lines: string[] = [];
  for (const node of fragment.nodes) lines.push(JSON.stringify(node));
  for (const edge of fragment.edges) lines.push(JSON.stringify(edge));
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

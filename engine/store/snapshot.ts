// Snapshot codec: the whole graph (schema, node records, edge columns, edge properties) as one byte
// array, and back. Pure: the CLI writes the bytes atomically; the browser can read them too.
import { BlastmapError } from '../errors.ts';
import type { GraphNode } from '../format/native.ts';
import type { Schema } from '../schema/index.ts';
import { compileColumns, type CompactGraph, type EdgeAttrs } from './compact.ts';

const MAGIC = 'BLASTMAP';
export const SNAPSHOT_VERSION = 1;
/**
 * Nodes (and edge-property entries) per JSON chunk. Small enough that each decoded chunk string stays
 * under V8's large-object size (~128 KB) and dies young, instead of forcing full collections while a
 * million node records are being parsed.
 */
const CHUNK = 400;

interface Header {
  version: number;
  schema: Schema;
  nodeCount: number;
  edgeCount: number;
  /** Byte lengths of the node chunks (JSON arrays of CHUNK nodes each). */
  nodeChunks: number[];
  /** Byte lengths of the edge-attribute chunks (JSON arrays of [edgeIndex, attrs]). */
  attrChunks: number[];
}

const align4 = (n: number): number => (n + 3) & ~3;

export function encodeSnapshot(graph: CompactGraph): Uint8Array {
  const encoder = new TextEncoder();
  const nodeChunks: Uint8Array[] = [];
  for (let i = 0; i < graph.nodeCount; i += CHUNK) nodeChunks.push(encoder.encode(JSON.stringify(graph.nodes.slice(i, i + CHUNK))));
  const attrChunks: Uint8Array[] = [];
  let pending: [number, EdgeAttrs][] = [];
  for (let e = 0; e < graph.edgeCount; e++) {
    const attrs = graph.edgeAttrs[e];
    if (attrs) pending.push([e, attrs]);
    if (pending.length === CHUNK) { attrChunks.push(encoder.encode(JSON.stringify(pending))); pending = []; }
  }
  if (pending.length > 0) attrChunks.push(encoder.encode(JSON.stringify(pending)));
  const header: Header = {
    version: SNAPSHOT_VERSION, schema: graph.schema, nodeCount: graph.nodeCount, edgeCount: graph.edgeCount,
    nodeChunks: nodeChunks.map((c) => c.length), attrChunks: attrChunks.map((c) => c.length),
  };
  const headerBytes = encoder.encode(JSON.stringify(header));
  const m = graph.edgeCount;
  const prefix = 8 + 4 + 4;
  const headerEnd = align4(prefix + headerBytes.length);
  const columnsEnd = headerEnd + 8 * m + align4(m);
  const total = columnsEnd + nodeChunks.reduce((s, c) => s + c.length, 0) + attrChunks.reduce((s, c) => s + c.length, 0) + MAGIC.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(encoder.encode(MAGIC), 0);
  view.setUint32(8, SNAPSHOT_VERSION, true);
  view.setUint32(12, headerBytes.length, true);
  out.set(headerBytes, prefix);
  // Typed arrays are written little-endian byte for byte (every platform Node and browsers run on).
  out.set(new Uint8Array(graph.edgeSrc.buffer, graph.edgeSrc.byteOffset, 4 * m), headerEnd);
  out.set(new Uint8Array(graph.edgeDst.buffer, graph.edgeDst.byteOffset, 4 * m), headerEnd + 4 * m);
  out.set(graph.edgeKind, headerEnd + 8 * m);
  let offset = columnsEnd;
  for (const chunk of [...nodeChunks, ...attrChunks]) { out.set(chunk, offset); offset += chunk.length; }
  out.set(encoder.encode(MAGIC), offset);
  return out;
}

function corrupt(why: string): BlastmapError {
  return new BlastmapError('INVALID_SNAPSHOT', `engine/store/snapshot: not a readable blastmap snapshot (${why})`);
}

function parseJson(text: string, why: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw corrupt(why);
  }
}

const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

function isHeader(value: unknown): value is Header {
  if (value === null || typeof value !== 'object') return false;
  const header = value as Partial<Header>;
  const kinds = header.schema as Partial<Schema> | undefined;
  return isCount(header.nodeCount) && isCount(header.edgeCount)
    && Array.isArray(header.nodeChunks) && header.nodeChunks.every(isCount)
    && Array.isArray(header.attrChunks) && header.attrChunks.every(isCount)
    && kinds !== null && typeof kinds === 'object' && typeof kinds.nodeKinds === 'object' && kinds.nodeKinds !== null
    && typeof kinds.edgeKinds === 'object' && kinds.edgeKinds !== null;
}

export function decodeSnapshot(bytes: Uint8Array): CompactGraph {
  const decoder = new TextDecoder();
  if (bytes.length < 20 || decoder.decode(bytes.subarray(0, 8)) !== MAGIC) throw corrupt('wrong magic bytes');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== SNAPSHOT_VERSION) throw corrupt(`version ${version}, this blastmap reads version ${SNAPSHOT_VERSION}`);
  const headerLength = view.getUint32(12, true);
  if (16 + headerLength > bytes.length) throw corrupt('truncated header');
  const header = parseJson(decoder.decode(bytes.subarray(16, 16 + headerLength)), 'unreadable header') as Header;
  if (!isHeader(header)) throw corrupt('malformed header');
  const m = header.edgeCount;
  const headerEnd = align4(16 + headerLength);
  const columnsEnd = headerEnd + 8 * m + align4(m);
  const expected = columnsEnd + header.nodeChunks.reduce((s, c) => s + c, 0) + header.attrChunks.reduce((s, c) => s + c, 0) + MAGIC.length;
  if (bytes.length !== expected || decoder.decode(bytes.subarray(bytes.length - MAGIC.length)) !== MAGIC) throw corrupt(`expected ${expected} bytes, found ${bytes.length}`);
  // Copy the columns out so the graph does not pin the file buffer and is 4-byte aligned.
  const edgeSrc = new Uint32Array(m);
  const edgeDst = new Uint32Array(m);
  new Uint8Array(edgeSrc.buffer).set(bytes.subarray(headerEnd, headerEnd + 4 * m));
  new Uint8Array(edgeDst.buffer).set(bytes.subarray(headerEnd + 4 * m, headerEnd + 8 * m));
  const edgeKind = bytes.slice(headerEnd + 8 * m, headerEnd + 9 * m);
  const nodes: GraphNode[] = [];
  let offset = columnsEnd;
  for (const length of header.nodeChunks) {
    const chunk = parseJson(decoder.decode(bytes.subarray(offset, offset + length)), 'unreadable node table');
    if (!Array.isArray(chunk)) throw corrupt('malformed node table');
    // Chunks this encoder writes are small: one spread call each instead of a push per node.
    if (chunk.length <= CHUNK) nodes.push(...(chunk as GraphNode[]));
    else for (const node of chunk as GraphNode[]) nodes.push(node);
    offset += length;
  }
  const edgeAttrs: (EdgeAttrs | undefined)[] = new Array(m);
  for (const length of header.attrChunks) {
    const chunk = parseJson(decoder.decode(bytes.subarray(offset, offset + length)), 'unreadable edge properties');
    if (!Array.isArray(chunk)) throw corrupt('malformed edge properties');
    for (const entry of chunk as unknown[]) {
      if (!Array.isArray(entry) || !Number.isInteger(entry[0]) || entry[0] < 0 || entry[0] >= m) throw corrupt('edge properties of an edge that does not exist');
      edgeAttrs[entry[0] as number] = entry[1] as EdgeAttrs;
    }
    offset += length;
  }
  if (nodes.length !== header.nodeCount) throw corrupt(`header says ${header.nodeCount} nodes, found ${nodes.length}`);
  const kindCount = Object.keys(header.schema.edgeKinds).length;
  for (let e = 0; e < m; e++) {
    if (edgeSrc[e]! >= nodes.length || edgeDst[e]! >= nodes.length) throw corrupt(`edge ${e} points outside the node table`);
    if (edgeKind[e]! >= kindCount) throw corrupt(`edge ${e} has kind code ${edgeKind[e]}, the schema has ${kindCount} edge kinds`);
  }
  try {
    return compileColumns({ schema: header.schema, nodes, edgeSrc, edgeDst, edgeKind, edgeAttrs });
  } catch (error) {
    // e.g. a node whose kind the stored schema does not declare: the file, not the user's input, is wrong.
    throw corrupt(error instanceof Error ? error.message : String(error));
  }
}

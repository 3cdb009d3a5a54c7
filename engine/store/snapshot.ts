// Snapshot codec: the whole graph (schema, node records, edge columns, edge properties) as one byte
// array, and back. Pure: the CLI writes the bytes atomically; the browser can read them too.
import { BlastmapError } from '../errors.ts';
import type { GraphNode } from '../format/native.ts';
import type { Schema } from '../schema/index.ts';
import { compileColumns, graphFromColumns, reverseIndex, type CompactGraph, type EdgeAttrs } from './compact.ts';
import { ID_HASH, IdIndex, IdTable, indexNodeIds } from './id-index.ts';
import { describeForbiddenEdge, firstForbiddenColumn, forbiddenEdges } from './integrity.ts';

const MAGIC = 'BLASTMAP';
/**
 * Version 2 stores what compileColumns derives (edge offsets, node kind codes, activity
 * windows, the id table) so that loading copies columns instead of recomputing them; version 1 files
 * (edge columns and records only) are still read.
 */
export const SNAPSHOT_VERSION = 2;
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
  /** Byte lengths of the edge-attribute chunks (JSON arrays of [edgeIndex, attrs], edge indices ascending). */
  attrChunks: number[];
  /** Version 2: entries of the stored id table (IdIndex slots), 0 when none is stored (ids repeat). */
  idSlots?: number;
  /** Version 2: the hash the id table was built with (ID_HASH); another one means rebuilding it. */
  idHash?: string;
}

const align4 = (n: number): number => (n + 3) & ~3;

/**
 * Byte ranges of the columns after the header. Version 1: edge sources, targets, kinds. Version 2 adds,
 * in this order: forward offsets, node kinds, activity windows (from, until), id slots. Integers and
 * doubles little-endian, every section at a 4-byte boundary (columns are copied out, never viewed). The
 * reverse index is not stored: rebuilding it costs what reading and checking it would.
 */
function columnLayout(version: number, headerEnd: number, n: number, m: number, idSlots: number) {
  const edgeSrc = headerEnd;
  const edgeDst = edgeSrc + 4 * m;
  const edgeKind = edgeDst + 4 * m;
  const fwdOffsets = edgeKind + align4(m);
  if (version === 1) return { edgeSrc, edgeDst, edgeKind, fwdOffsets, nodeKind: 0, activeFrom: 0, activeUntil: 0, idSlots: 0, end: fwdOffsets };
  const nodeKind = fwdOffsets + 4 * (n + 1);
  const activeFrom = nodeKind + align4(n);
  const activeUntil = activeFrom + 8 * n;
  const slots = activeUntil + 8 * n;
  return { edgeSrc, edgeDst, edgeKind, fwdOffsets, nodeKind, activeFrom, activeUntil, idSlots: slots, end: slots + 4 * idSlots };
}

const bytesOf = (array: Uint32Array | Int32Array | Float64Array): Uint8Array => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

export function encodeSnapshot(graph: CompactGraph): Uint8Array {
  return joinParts(encodeSnapshotParts(graph));
}

/**
 * The snapshot's bytes as consecutive pieces (snapshotParts), for a writer that writes them one after the other:
 * a 381 MB snapshot is not copied into one array first.
 */
export function encodeSnapshotParts(graph: CompactGraph): Uint8Array[] {
  const encoder = new TextEncoder();
  const nodeChunks: Uint8Array[] = [];
  for (let i = 0; i < graph.nodeCount; i += CHUNK) nodeChunks.push(encoder.encode(JSON.stringify(graph.nodes.slice(i, i + CHUNK))));
  const attrEntries: [number, EdgeAttrs][] = [];
  for (let e = 0; e < graph.edgeCount; e++) {
    const attrs = graph.edgeAttrs[e];
    if (attrs) attrEntries.push([e, attrs]);
  }
  // The id table decoding would build (none when ids repeat: the decoder then builds its Map fallback).
  const nodes = graph.nodes as GraphNode[];
  const slots = (graph.indexOf instanceof IdIndex || graph.indexOf instanceof IdTable ? graph.indexOf.slotTable(nodes) : undefined) ?? IdIndex.of(nodes)?.slotTable(nodes);
  return snapshotParts({ ...graph, nodeChunks, attrChunks: encodeAttrChunks(attrEntries), idSlots: slots });
}

/** Edge-property entries ([edge index, attrs], indices ascending) as the snapshot's JSON chunks. */
export function encodeAttrChunks(entries: readonly [number, EdgeAttrs][]): Uint8Array[] {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < entries.length; i += CHUNK) chunks.push(encoder.encode(JSON.stringify(entries.slice(i, i + CHUNK))));
  return chunks;
}

/** What a snapshot file is made of, with its node and edge-property chunks already encoded. */
export interface SnapshotContent {
  schema: Schema;
  nodeCount: number;
  edgeCount: number;
  fwdOffsets: Uint32Array;
  edgeSrc: Uint32Array;
  edgeDst: Uint32Array;
  edgeKind: Uint8Array;
  nodeKind: Uint8Array;
  activeFrom: Float64Array;
  activeUntil: Float64Array;
  /** The id table (IdIndex slots), undefined when ids repeat. */
  idSlots: Int32Array | undefined;
  /** JSON arrays of CHUNK nodes each, in node order. */
  nodeChunks: readonly Uint8Array[];
  /** JSON arrays of [edge index, attrs] entries, indices ascending. */
  attrChunks: readonly Uint8Array[];
}

/**
 * The snapshot's bytes as consecutive pieces, to be written one after the other (a patched snapshot hands
 * the unchanged node chunks of the file it read over as they are, without joining a second copy in memory).
 */
export function snapshotParts(content: SnapshotContent): Uint8Array[] {
  const encoder = new TextEncoder();
  const { nodeChunks, attrChunks, idSlots } = content;
  const header: Header = {
    version: SNAPSHOT_VERSION, schema: content.schema, nodeCount: content.nodeCount, edgeCount: content.edgeCount,
    nodeChunks: nodeChunks.map((c) => c.length), attrChunks: attrChunks.map((c) => c.length), idSlots: idSlots?.length ?? 0, idHash: ID_HASH,
  };
  const headerBytes = encoder.encode(JSON.stringify(header));
  const n = content.nodeCount;
  const m = content.edgeCount;
  const prefix = 8 + 4 + 4;
  const layout = columnLayout(SNAPSHOT_VERSION, align4(prefix + headerBytes.length), n, m, idSlots?.length ?? 0);
  // Magic and header, then each column as it is in memory (no copy), zero padding to the 4-byte boundaries, then
  // the chunks and the closing magic.
  const head = new Uint8Array(layout.edgeSrc);
  const view = new DataView(head.buffer);
  head.set(encoder.encode(MAGIC), 0);
  view.setUint32(8, SNAPSHOT_VERSION, true);
  view.setUint32(12, headerBytes.length, true);
  head.set(headerBytes, prefix);
  // Typed arrays are written little-endian byte for byte (every platform Node and browsers run on).
  const parts: Uint8Array[] = [head];
  let at = layout.edgeSrc;
  const place = (offset: number, bytes: Uint8Array): void => {
    if (offset > at) parts.push(new Uint8Array(offset - at));
    parts.push(bytes);
    at = offset + bytes.length;
  };
  place(layout.edgeSrc, bytesOf(content.edgeSrc));
  place(layout.edgeDst, bytesOf(content.edgeDst));
  place(layout.edgeKind, content.edgeKind);
  place(layout.fwdOffsets, bytesOf(content.fwdOffsets));
  place(layout.nodeKind, content.nodeKind);
  place(layout.activeFrom, bytesOf(content.activeFrom));
  place(layout.activeUntil, bytesOf(content.activeUntil));
  if (idSlots) place(layout.idSlots, bytesOf(idSlots));
  if (layout.end > at) parts.push(new Uint8Array(layout.end - at));
  return [...parts, ...nodeChunks, ...attrChunks, encoder.encode(MAGIC)];
}

/** The pieces of snapshotParts as one byte array. */
export function joinParts(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const part of parts) { out.set(part, offset); offset += part.length; }
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

function isHeader(value: unknown, version: number): value is Header {
  if (value === null || typeof value !== 'object') return false;
  const header = value as Partial<Header>;
  const kinds = header.schema as Partial<Schema> | undefined;
  return isCount(header.nodeCount) && isCount(header.edgeCount)
    && Array.isArray(header.nodeChunks) && header.nodeChunks.every(isCount)
    && Array.isArray(header.attrChunks) && header.attrChunks.every(isCount)
    && kinds !== null && typeof kinds === 'object' && typeof kinds.nodeKinds === 'object' && kinds.nodeKinds !== null
    && typeof kinds.edgeKinds === 'object' && kinds.edgeKinds !== null
    && (version === 1 || (isCount(header.idSlots) && typeof header.idHash === 'string'));
}

/**
 * Columns copied out of the file: aligned, plain typed arrays, not pinning the file's buffer (a Node
 * Buffer's slice() is a view of it, which kept the whole file alive as long as the graph).
 */
/**
 * Where decodeSnapshot reads from: the bytes themselves, or anything that hands out ranges of them (the CLI reads
 * each range from the file when asked, so the whole file is never in memory next to the graph built from it).
 */
export interface SnapshotSource {
  readonly length: number;
  subarray(start: number, end: number): Uint8Array;
  /**
   * Optional: copies bytes start .. start + target.length into `target`. A file-backed source reads straight
   * into the column (or the reused chunk buffer) instead of into a fresh buffer that is then copied.
   */
  readInto?(target: Uint8Array, start: number): void;
}

/** Bytes start .. start + target.length of the source, copied into target. */
function copyInto(bytes: SnapshotSource, start: number, target: Uint8Array): void {
  if (bytes.readInto) bytes.readInto(target, start);
  else target.set(bytes.subarray(start, start + target.length));
}

function u8(bytes: SnapshotSource, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  copyInto(bytes, offset, out);
  return out;
}
function u32(bytes: SnapshotSource, offset: number, length: number): Uint32Array {
  const out = new Uint32Array(length);
  copyInto(bytes, offset, new Uint8Array(out.buffer));
  return out;
}
function f64(bytes: SnapshotSource, offset: number, length: number): Float64Array {
  const out = new Float64Array(length);
  copyInto(bytes, offset, new Uint8Array(out.buffer));
  return out;
}

/**
 * Reads consecutive chunks (node records, edge properties) as text. A source that reads into a buffer reuses one
 * buffer for every chunk: a fresh ~100 KB buffer per chunk is memory outside the heap that V8 answers with extra
 * collections while a million records are being parsed.
 */
function chunkReader(bytes: SnapshotSource, lengths: readonly number[]): (start: number, length: number) => string {
  const decoder = new TextDecoder();
  if (!bytes.readInto) return (start, length) => decoder.decode(bytes.subarray(start, start + length));
  const buffer = new Uint8Array(lengths.reduce((max, length) => Math.max(max, length), 0));
  return (start, length) => {
    const view = buffer.subarray(0, length);
    bytes.readInto!(view, start);
    return decoder.decode(view);
  };
}

export function decodeSnapshot(bytes: SnapshotSource): CompactGraph {
  // The integrity invariant, checked at load too: a snapshot edited or written by another tool may hold an edge
  // the schema forbids, and analyses trust the schema (~0.05 s at 8M edges).
  return withoutForbiddenEdges(decodeColumns(bytes));
}

function withoutForbiddenEdges(graph: CompactGraph): CompactGraph {
  const [first] = forbiddenEdges(graph, undefined, 1);
  if (first !== undefined) throw corrupt(describeForbiddenEdge(first));
  return graph;
}

function decodeColumns(bytes: SnapshotSource): CompactGraph {
  const decoder = new TextDecoder();
  if (bytes.length < 20 || decoder.decode(bytes.subarray(0, 8)) !== MAGIC) throw corrupt('wrong magic bytes');
  const prefix = bytes.subarray(0, 16);
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  const version = view.getUint32(8, true);
  if (version !== 1 && version !== SNAPSHOT_VERSION) throw corrupt(`version ${version}, this blastmap reads version ${SNAPSHOT_VERSION} (and 1)`);
  const headerLength = view.getUint32(12, true);
  if (16 + headerLength > bytes.length) throw corrupt('truncated header');
  const header = parseJson(decoder.decode(bytes.subarray(16, 16 + headerLength)), 'unreadable header') as Header;
  if (!isHeader(header, version)) throw corrupt('malformed header');
  const n = header.nodeCount;
  const m = header.edgeCount;
  const layout = columnLayout(version, align4(16 + headerLength), n, m, header.idSlots ?? 0);
  const expected = layout.end + header.nodeChunks.reduce((s, c) => s + c, 0) + header.attrChunks.reduce((s, c) => s + c, 0) + MAGIC.length;
  if (bytes.length !== expected || decoder.decode(bytes.subarray(bytes.length - MAGIC.length, bytes.length)) !== MAGIC) throw corrupt(`expected ${expected} bytes, found ${bytes.length}`);
  const edgeSrc = u32(bytes, layout.edgeSrc, m);
  const edgeDst = u32(bytes, layout.edgeDst, m);
  const edgeKind = u8(bytes, layout.edgeKind, m);
  const kindCount = Object.keys(header.schema.edgeKinds).length;
  if (version === 1) {
    const nodes = readNodes(bytes, header, layout.end);
    const edgeAttrs: (EdgeAttrs | undefined)[] = new Array(m);
    readEdgeAttrs(bytes, header, layout.end, edgeAttrs, false);
    checkEdgeColumns(n, edgeSrc, edgeDst, edgeKind, kindCount);
    try {
      return compileColumns({ schema: header.schema, nodes, edgeSrc, edgeDst, edgeKind, edgeAttrs });
    } catch (error) {
      // e.g. a node whose kind the stored schema does not declare: the file, not the user's input, is wrong.
      throw corrupt(error instanceof Error ? error.message : String(error));
    }
  }

  // Version 2: every column is allocated and checked before the node records are parsed, so that large
  // allocations never trigger a full collection that has to mark a million records.
  const fwdOffsets = u32(bytes, layout.fwdOffsets, n + 1);
  const nodeKind = u8(bytes, layout.nodeKind, n);
  const activeFrom = f64(bytes, layout.activeFrom, n);
  const activeUntil = f64(bytes, layout.activeUntil, n);
  const slots = new Int32Array(header.idSlots!);
  copyInto(bytes, layout.idSlots, new Uint8Array(slots.buffer));
  const edgeAttrs: (EdgeAttrs | undefined)[] = new Array(m);
  checkEdgeColumns(n, edgeSrc, edgeDst, edgeKind, kindCount);
  checkForward(n, m, fwdOffsets, edgeSrc);
  // Rebuilding the reverse index costs what reading and checking a stored one does (~0.1 s at 8M edges).
  const { revOffsets, revEdges } = reverseIndex(n, edgeDst);
  const nodeKindNames = Object.keys(header.schema.nodeKinds);
  for (let i = 0; i < n; i++) {
    if (nodeKind[i]! >= nodeKindNames.length) throw corrupt(`node ${i} has kind code ${nodeKind[i]}, the schema has ${nodeKindNames.length} node kinds`);
    if (Number.isNaN(activeFrom[i]) || Number.isNaN(activeUntil[i])) throw corrupt(`node ${i} has no activity window`);
  }

  const nodes = readNodes(bytes, header, layout.end, { nodeKind, nodeKindNames });
  const conditionedEdges = readEdgeAttrs(bytes, header, layout.end, edgeAttrs, true)!;
  let indexOf: ReadonlyMap<string, number> | undefined;
  if (slots.length > 0 && header.idHash === ID_HASH) {
    indexOf = IdIndex.fromSlots(nodes, slots);
    if (indexOf === undefined) throw corrupt('the id table does not match the node ids');
  } else {
    indexOf = indexNodeIds(nodes);
  }
  return graphFromColumns({
    schema: header.schema, nodes, indexOf, nodeKind, activeFrom, activeUntil, fwdOffsets, edgeSrc, edgeDst, edgeKind,
    revOffsets, revEdges, edgeAttrs, conditionedEdges,
  });
}

/** Every edge's endpoints are nodes and its kind is one the schema declares. */
function checkEdgeColumns(n: number, edgeSrc: Uint32Array, edgeDst: Uint32Array, edgeKind: Uint8Array, kindCount: number): void {
  for (let e = 0; e < edgeSrc.length; e++) {
    if (edgeSrc[e]! >= n || edgeDst[e]! >= n) throw corrupt(`edge ${e} points outside the node table`);
    if (edgeKind[e]! >= kindCount) throw corrupt(`edge ${e} has kind code ${edgeKind[e]}, the schema has ${kindCount} edge kinds`);
  }
}

/** Stored forward offsets are compileColumns's: node u's range holds exactly the edges whose source is u. */
function checkForward(n: number, m: number, fwdOffsets: Uint32Array, edgeSrc: Uint32Array): void {
  if (fwdOffsets[0] !== 0 || fwdOffsets[n] !== m) throw corrupt(`forward offsets do not span the ${m} edges`);
  for (let u = 0; u < n; u++) {
    const to = fwdOffsets[u + 1]!;
    if (to < fwdOffsets[u]!) throw corrupt(`forward offsets decrease at node ${u}`);
    for (let k = fwdOffsets[u]!; k < to; k++) if (edgeSrc[k] !== u) throw corrupt(`edge ${k} is outside its source's range`);
  }
}

/**
 * The node records, chunk after chunk. With `kinds` (version 2) each record is checked as its chunk is parsed, while
 * it is still in cache: an object with a string id, of the kind its kind code names.
 */
function readNodes(bytes: SnapshotSource, header: Header, start: number, kinds?: { nodeKind: Uint8Array; nodeKindNames: readonly string[] }): GraphNode[] {
  const read = chunkReader(bytes, header.nodeChunks);
  const nodes: GraphNode[] = [];
  let offset = start;
  for (const length of header.nodeChunks) {
    const chunk = parseJson(read(offset, length), 'unreadable node table');
    if (!Array.isArray(chunk)) throw corrupt('malformed node table');
    if (kinds) checkRecords(chunk, nodes.length, kinds.nodeKind, kinds.nodeKindNames);
    // Chunks this encoder writes are small: one spread call each instead of a push per node.
    if (chunk.length <= CHUNK) nodes.push(...(chunk as GraphNode[]));
    else for (const node of chunk as GraphNode[]) nodes.push(node);
    offset += length;
  }
  if (nodes.length !== header.nodeCount) throw corrupt(`header says ${header.nodeCount} nodes, found ${nodes.length}`);
  return nodes;
}

/** Records first .. first + chunk.length - 1 are node records (objects with a string id) of their column's kind. */
function checkRecords(chunk: readonly unknown[], first: number, nodeKind: Uint8Array, nodeKindNames: readonly string[]): void {
  for (let j = 0; j < chunk.length; j++) {
    const i = first + j;
    // Past the node count the count check after the last chunk reports it.
    if (i >= nodeKind.length) return;
    const node = chunk[j] as GraphNode | null;
    if (node === null || typeof node !== 'object' || typeof node.id !== 'string') throw corrupt(`node ${i} is not a node record`);
    if (node.kind !== nodeKindNames[nodeKind[i]!]) throw corrupt(`node ${i} is of kind ${String(node.kind)}, its kind column says ${nodeKindNames[nodeKind[i]!]}`);
  }
}

/**
 * Fills `edgeAttrs` from the edge-property chunks that follow the node chunks. `strict` (version 2): edge
 * indices must ascend, and the indices of edges with conditions are returned (compileColumns's
 * conditionedEdges).
 */
function readEdgeAttrs(bytes: SnapshotSource, header: Header, start: number, edgeAttrs: (EdgeAttrs | undefined)[], strict: boolean, entries?: [number, EdgeAttrs][]): Uint32Array | undefined {
  const read = chunkReader(bytes, header.attrChunks);
  const m = header.edgeCount;
  let offset = start + header.nodeChunks.reduce((s, c) => s + c, 0);
  const conditioned: number[] = [];
  let last = -1;
  for (const length of header.attrChunks) {
    const chunk = parseJson(read(offset, length), 'unreadable edge properties');
    if (!Array.isArray(chunk)) throw corrupt('malformed edge properties');
    for (const entry of chunk as unknown[]) {
      if (!Array.isArray(entry) || !Number.isInteger(entry[0]) || entry[0] < 0 || entry[0] >= m) throw corrupt('edge properties of an edge that does not exist');
      const e = entry[0] as number;
      const attrs = entry[1] as EdgeAttrs | undefined;
      if (strict) {
        if (e <= last) throw corrupt('edge properties out of order');
        last = e;
        if (attrs?.conditions?.length) conditioned.push(e);
      }
      if (entries) { if (attrs) entries.push([e, attrs]); } else edgeAttrs[e] = attrs;
    }
    offset += length;
  }
  return strict ? Uint32Array.from(conditioned) : undefined;
}

/**
 * A version 2 snapshot opened without decoding its node records: header, checked columns (read in place
 * where aligned), the edge properties, and each node chunk decoded on first use. What an incremental
 * import works on; untouched node chunks go back to disk byte for byte.
 */
export interface SnapshotView {
  readonly schema: Schema;
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly fwdOffsets: Uint32Array;
  readonly edgeSrc: Uint32Array;
  readonly edgeDst: Uint32Array;
  readonly edgeKind: Uint8Array;
  readonly nodeKind: Uint8Array;
  readonly activeFrom: Float64Array;
  readonly activeUntil: Float64Array;
  /** The stored id table; undefined when none is stored or it was built with another hash. */
  readonly idSlots: Int32Array | undefined;
  /** Edge properties, [edge index, attrs] with indices ascending. */
  readonly attrEntries: readonly [number, EdgeAttrs][];
  /** Whether node chunk k holds nodes k*CHUNK .. (k+1)*CHUNK-1, as this encoder writes them. */
  readonly regularChunks: boolean;
  /** The encoded bytes of node chunk k. */
  nodeChunk(k: number): Uint8Array;
  readonly nodeChunkCount: number;
  /** Node i, decoding (and checking) its chunk on first use. Requires regularChunks. */
  node(i: number): GraphNode;
  /** Whether any node record's bytes contain `needle` (a quick scan without decoding). */
  nodeBytesContain(needle: string): boolean;
}

export const NODES_PER_CHUNK = CHUNK;

export function openSnapshot(bytes: Uint8Array): SnapshotView | undefined {
  const decoder = new TextDecoder();
  if (bytes.length < 20 || decoder.decode(bytes.subarray(0, 8)) !== MAGIC) throw corrupt('wrong magic bytes');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== SNAPSHOT_VERSION) return undefined;
  const headerLength = view.getUint32(12, true);
  if (16 + headerLength > bytes.length) throw corrupt('truncated header');
  const header = parseJson(decoder.decode(bytes.subarray(16, 16 + headerLength)), 'unreadable header') as Header;
  if (!isHeader(header, version)) throw corrupt('malformed header');
  const n = header.nodeCount;
  const m = header.edgeCount;
  const layout = columnLayout(version, align4(16 + headerLength), n, m, header.idSlots ?? 0);
  const expected = layout.end + header.nodeChunks.reduce((s, c) => s + c, 0) + header.attrChunks.reduce((s, c) => s + c, 0) + MAGIC.length;
  if (bytes.length !== expected || decoder.decode(bytes.subarray(bytes.length - MAGIC.length)) !== MAGIC) throw corrupt(`expected ${expected} bytes, found ${bytes.length}`);
  const aligned = bytes.byteOffset % 4 === 0;
  const u32At = (offset: number, length: number): Uint32Array => (aligned ? new Uint32Array(bytes.buffer, bytes.byteOffset + offset, length) : u32(bytes, offset, length));
  const edgeSrc = u32At(layout.edgeSrc, m);
  const edgeDst = u32At(layout.edgeDst, m);
  const edgeKind = bytes.subarray(layout.edgeKind, layout.edgeKind + m);
  const fwdOffsets = u32At(layout.fwdOffsets, n + 1);
  const nodeKind = bytes.subarray(layout.nodeKind, layout.nodeKind + n);
  const activeFrom = f64(bytes, layout.activeFrom, n);
  const activeUntil = f64(bytes, layout.activeUntil, n);
  checkEdgeColumns(n, edgeSrc, edgeDst, edgeKind, Object.keys(header.schema.edgeKinds).length);
  checkForward(n, m, fwdOffsets, edgeSrc);
  const nodeKindNames = Object.keys(header.schema.nodeKinds);
  for (let i = 0; i < n; i++) {
    if (nodeKind[i]! >= nodeKindNames.length) throw corrupt(`node ${i} has kind code ${nodeKind[i]}, the schema has ${nodeKindNames.length} node kinds`);
    if (Number.isNaN(activeFrom[i]) || Number.isNaN(activeUntil[i])) throw corrupt(`node ${i} has no activity window`);
  }
  let idSlots: Int32Array | undefined;
  if ((header.idSlots ?? 0) > 0 && header.idHash === ID_HASH) {
    idSlots = new Int32Array(header.idSlots!);
    new Uint8Array(idSlots.buffer).set(bytes.subarray(layout.idSlots, layout.idSlots + 4 * idSlots.length));
  }
  const edgeAttrs: (EdgeAttrs | undefined)[] = [];
  const attrEntries: [number, EdgeAttrs][] = [];
  readEdgeAttrs(bytes, header, layout.end, edgeAttrs, true, attrEntries);

  const chunkStarts: number[] = [];
  let offset = layout.end;
  for (const length of header.nodeChunks) { chunkStarts.push(offset); offset += length; }
  const nodesEnd = offset;
  const regularChunks = header.nodeChunks.length === Math.ceil(n / CHUNK);
  const decoded = new Map<number, GraphNode[]>();
  const nodeChunk = (k: number): Uint8Array => bytes.subarray(chunkStarts[k]!, chunkStarts[k]! + header.nodeChunks[k]!);
  const snapshotView: SnapshotView = {
    schema: header.schema, nodeCount: n, edgeCount: m, fwdOffsets, edgeSrc, edgeDst, edgeKind, nodeKind, activeFrom, activeUntil, idSlots, attrEntries,
    regularChunks, nodeChunk, nodeChunkCount: header.nodeChunks.length,
    node(i: number): GraphNode {
      if (!regularChunks || !(i >= 0 && i < n)) throw corrupt(`node ${i} is not in the node table`);
      const k = Math.floor(i / CHUNK);
      let chunk = decoded.get(k);
      if (!chunk) {
        const parsed = parseJson(decoder.decode(nodeChunk(k)), 'unreadable node table');
        const first = k * CHUNK;
        if (!Array.isArray(parsed) || parsed.length !== Math.min(CHUNK, n - first)) throw corrupt('malformed node table');
        parsed.forEach((node: GraphNode | null, j) => {
          if (node === null || typeof node !== 'object' || typeof node.id !== 'string') throw corrupt(`node ${first + j} is not a node record`);
          if (node.kind !== nodeKindNames[nodeKind[first + j]!]) throw corrupt(`node ${first + j} is of kind ${String(node.kind)}, its kind column says ${nodeKindNames[nodeKind[first + j]!]}`);
        });
        chunk = parsed as GraphNode[];
        decoded.set(k, chunk);
      }
      return chunk[i - k * CHUNK]!;
    },
    nodeBytesContain(needle: string): boolean {
      return indexOfBytes(bytes.subarray(layout.end, nodesEnd), new TextEncoder().encode(needle)) >= 0;
    },
  };
  // The integrity invariant, as decodeSnapshot checks it: an incremental import must not carry on an edge the
  // schema forbids that the file already holds (a column scan, no node record decoded unless one is found).
  const forbidden = firstForbiddenColumn({ schema: header.schema, edgeKindNames: Object.keys(header.schema.edgeKinds), nodeKindNames, edgeKind, edgeSrc, edgeDst, nodeKind }, m);
  if (forbidden !== undefined) {
    const id = regularChunks ? snapshotView.node(forbidden.node).id : `#${forbidden.node}`;
    throw corrupt(describeForbiddenEdge({ ...forbidden, node: id }));
  }
  return snapshotView;
}

/**
 * Byte-string search anchored on the needle's rarest-looking byte (its last non-quote one): the native
 * indexOf skips ahead to each candidate, so JSON's many quotes are not each a start.
 */
function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  let anchor = needle.length - 1;
  while (anchor > 0 && needle[anchor] === 0x22) anchor--;
  const byte = needle[anchor]!;
  outer: for (let i = haystack.indexOf(byte, anchor); i >= 0; i = haystack.indexOf(byte, i + 1)) {
    const start = i - anchor;
    if (start + needle.length > haystack.length) return -1;
    for (let j = 0; j < needle.length; j++) if (haystack[start + j] !== needle[j]) continue outer;
    return start;
  }
  return -1;
}

// Bulk graph builder for large inputs: interns ids to indices, deduplicates edges by (from, kind, to,
// grant) in a numeric hash table and writes edge columns directly, so an edge without properties costs
// a few bytes instead of an object and a string key. Same result as mergeFragments + buildGraph.
import { BlastmapError, type InputIssue } from '../errors.ts';
import { edgeId, type GraphEdge, type GraphNode } from '../format/native.ts';
import { mergeFragments } from '../format/validate.ts';
import { DEFAULT_SCHEMA, type Schema } from '../schema/index.ts';
import { compileColumns, type CompactGraph, type EdgeAttrs } from './compact.ts';

export interface GraphBuilderOptions {
  schema?: Schema;
  /** Size hints: the builder grows as needed, hints only avoid regrowing. */
  expectedNodes?: number;
  expectedEdges?: number;
}

/** Where an edge came from, for error messages (NDJSON line, JSON path). */
export interface EdgeOrigin {
  file?: string | undefined;
  path: string;
  line?: number | undefined;
}

const NO_GRANT = 0;
const EMPTY = 0;

function nextPowerOfTwo(value: number): number {
  let size = 1024;
  while (size < value) size *= 2;
  return size;
}

function hashEdge(src: number, kind: number, dst: number, grant: number): number {
  let h = Math.imul(src ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15) ^ dst, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 13) ^ (kind << 24) ^ grant, 0x27d4eb2f);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Drops keys whose value is undefined; undefined when nothing is left. */
function definedAttrs(attrs: Readonly<Record<string, unknown>> | undefined): EdgeAttrs | undefined {
  if (!attrs) return undefined;
  let out: Record<string, unknown> | undefined;
  for (const key in attrs) {
    const value = attrs[key];
    if (value === undefined) continue;
    (out ??= {})[key] = value;
  }
  return out as EdgeAttrs | undefined;
}

export class GraphBuilder {
  readonly schema: Schema;
  private readonly kindCodes: Map<string, number>;
  private readonly kindNames: string[];
  /** Interned ids by provisional index (in order of first mention, by a node or an edge). */
  private readonly ids: string[] = [];
  private readonly provisional = new Map<string, number>();
  /** Node record per provisional index; undefined while only edges mention the id. */
  private readonly records: (GraphNode | undefined)[] = [];
  /** Provisional indices in the order their node records arrived: the final node order. */
  private definedOrder: number[] = [];
  private inOrder = true;

  private edgeCapacity: number;
  private edgeSrc: Uint32Array;
  private edgeDst: Uint32Array;
  private edgeKind: Uint8Array;
  private edgeGrant: Uint32Array;
  private readonly edgeAttrs = new Map<number, EdgeAttrs>();
  private readonly origins = new Map<number, EdgeOrigin>();
  private edgeCount = 0;
  private readonly grantCodes = new Map<string, number>();
  private readonly grantNames: string[] = [''];
  private table: Int32Array;
  private mask: number;
  /** Edges seen more than once (merged into the first). */
  duplicateEdges = 0;
  duplicateNodes = 0;

  constructor(options: GraphBuilderOptions = {}) {
    this.schema = options.schema ?? DEFAULT_SCHEMA;
    const kinds = Object.keys(this.schema.edgeKinds);
    if (kinds.length > 255) throw new BlastmapError('INVALID_INPUT', 'engine/store/builder: at most 255 edge kinds');
    this.kindCodes = new Map(kinds.map((name, code) => [name, code]));
    this.kindNames = kinds;
    this.edgeCapacity = Math.max(1024, options.expectedEdges ?? 0);
    this.edgeSrc = new Uint32Array(this.edgeCapacity);
    this.edgeDst = new Uint32Array(this.edgeCapacity);
    this.edgeKind = new Uint8Array(this.edgeCapacity);
    this.edgeGrant = new Uint32Array(this.edgeCapacity);
    const slots = nextPowerOfTwo(this.edgeCapacity * 2);
    this.table = new Int32Array(slots);
    this.mask = slots - 1;
  }

  get nodeCount(): number {
    return this.definedOrder.length;
  }

  /** Ids interned so far, by nodes or by edges. */
  get internedCount(): number {
    return this.ids.length;
  }

  get edgeTotal(): number {
    return this.edgeCount;
  }

  /** The provisional index of an id, interning it on first mention. */
  intern(id: string): number {
    let index = this.provisional.get(id);
    if (index === undefined) {
      index = this.ids.length;
      this.ids.push(id);
      this.records.push(undefined);
      this.provisional.set(id, index);
    }
    return index;
  }

  /** Code of an edge kind name, or -1 when the schema does not know it. */
  kindCode(kind: string): number {
    return this.kindCodes.get(kind) ?? -1;
  }

  /** Node record of an id seen so far, if any. */
  nodeOf(id: string): GraphNode | undefined {
    const index = this.provisional.get(id);
    return index === undefined ? undefined : this.records[index];
  }

  /**
   * Adds a node. A repeat of an id merges into the first record exactly as mergeFragments does. The
   * builder keeps the object: callers hand over records they no longer change.
   */
  addNode(node: GraphNode): number {
    const index = this.intern(node.id);
    const previous = this.records[index];
    if (previous === undefined) {
      this.records[index] = node;
      if (index !== this.definedOrder.length || !this.inOrder) this.inOrder = false;
      this.definedOrder.push(index);
    } else {
      this.records[index] = mergeFragments([{ nodes: [previous], edges: [] }, { nodes: [node], edges: [] }]).nodes[0]!;
      this.duplicateNodes++;
    }
    return index;
  }

  /** Adds an edge record (kind, from, to and any properties). */
  addEdge(edge: GraphEdge, origin?: EdgeOrigin): number {
    const code = this.kindCodes.get(edge.kind);
    if (code === undefined) throw new BlastmapError('INVALID_INPUT', `engine/store/builder: unknown edge kind ${edge.kind}`);
    const { kind: _kind, from, to, ...rest } = edge;
    return this.addEdgeIndices(this.intern(from), code, this.intern(to), definedAttrs(rest), origin);
  }

  /**
   * Adds an edge between provisional indices (from `intern`) with a kind code (from `kindCode`). The hot
   * path of bulk imports: an edge without properties allocates nothing. Returns the edge's number (a
   * repeat returns the number of its first occurrence, and `edgeTotal` does not grow).
   */
  addEdgeIndices(src: number, kind: number, dst: number, attrs?: EdgeAttrs, origin?: EdgeOrigin): number {
    const grant = attrs?.grant === undefined ? NO_GRANT : this.grantCode(attrs.grant);
    let slot = hashEdge(src, kind, dst, grant) & this.mask;
    for (;;) {
      const entry = this.table[slot]!;
      if (entry === EMPTY) break;
      const e = entry - 1;
      if (this.edgeSrc[e] === src && this.edgeDst[e] === dst && this.edgeKind[e] === kind && this.edgeGrant[e] === grant) {
        this.mergeEdge(e, attrs);
        return e;
      }
      slot = (slot + 1) & this.mask;
    }
    if (this.edgeCount === this.edgeCapacity) this.growEdges();
    const e = this.edgeCount++;
    this.edgeSrc[e] = src;
    this.edgeDst[e] = dst;
    this.edgeKind[e] = kind;
    this.edgeGrant[e] = grant;
    if (attrs) this.edgeAttrs.set(e, attrs);
    if (origin) this.origins.set(e, origin);
    this.table[slot] = e + 1;
    if (this.edgeCount * 2 > this.table.length) this.rehash();
    return e;
  }

  private grantCode(grant: string): number {
    let code = this.grantCodes.get(grant);
    if (code === undefined) {
      code = this.grantNames.length;
      this.grantNames.push(grant);
      this.grantCodes.set(grant, code);
    }
    return code;
  }

  private record(e: number): GraphEdge {
    return {
      kind: this.kindNames[this.edgeKind[e]!]!,
      from: this.ids[this.edgeSrc[e]!]!,
      to: this.ids[this.edgeDst[e]!]!,
      ...this.edgeAttrs.get(e),
    };
  }

  /** A repeated edge: properties merge into the first occurrence exactly as mergeFragments merges them. */
  private mergeEdge(e: number, attrs: EdgeAttrs | undefined): void {
    this.duplicateEdges++;
    if (!attrs && !this.edgeAttrs.has(e)) return;
    const first = this.record(e);
    const repeat: GraphEdge = { kind: first.kind, from: first.from, to: first.to, ...attrs };
    const { kind: _kind, from: _from, to: _to, ...rest } = mergeFragments([{ nodes: [], edges: [first] }, { nodes: [], edges: [repeat] }]).edges[0]!;
    const kept = definedAttrs(rest);
    if (kept) this.edgeAttrs.set(e, kept);
    else this.edgeAttrs.delete(e);
  }

  private growEdges(): void {
    const capacity = this.edgeCapacity * 2;
    const grow = <T extends Uint32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.edgeSrc = grow(this.edgeSrc, (n) => new Uint32Array(n));
    this.edgeDst = grow(this.edgeDst, (n) => new Uint32Array(n));
    this.edgeKind = grow(this.edgeKind, (n) => new Uint8Array(n));
    this.edgeGrant = grow(this.edgeGrant, (n) => new Uint32Array(n));
    this.edgeCapacity = capacity;
  }

  private rehash(): void {
    const slots = this.table.length * 2;
    const table = new Int32Array(slots);
    const mask = slots - 1;
    for (let e = 0; e < this.edgeCount; e++) {
      let slot = hashEdge(this.edgeSrc[e]!, this.edgeKind[e]!, this.edgeDst[e]!, this.edgeGrant[e]!) & mask;
      while (table[slot] !== EMPTY) slot = (slot + 1) & mask;
      table[slot] = e + 1;
    }
    this.table = table;
    this.mask = mask;
  }

  /** Ids mentioned by edges that no node defines, each with the edges that mention it. */
  danglingEdges(originOf: (e: number) => EdgeOrigin | undefined = (e) => this.origins.get(e)): { edge: GraphEdge; end: 'from' | 'to'; id: string; origin: EdgeOrigin | undefined }[] {
    const out: { edge: GraphEdge; end: 'from' | 'to'; id: string; origin: EdgeOrigin | undefined }[] = [];
    if (this.definedOrder.length === this.ids.length) return out;
    for (let e = 0; e < this.edgeCount; e++) {
      for (const end of ['from', 'to'] as const) {
        const index = end === 'from' ? this.edgeSrc[e]! : this.edgeDst[e]!;
        if (this.records[index] === undefined) out.push({ edge: this.record(e), end, id: this.ids[index]!, origin: originOf(e) });
      }
    }
    return out;
  }

  /**
   * Edges whose endpoints are of kinds the edge kind does not allow, or that dangle, as input issues
   * worded like checkReferences (the import path reports both the same way).
   */
  referenceIssues(describe: (id: string) => string, originOf: (e: number) => EdgeOrigin | undefined = (e) => this.origins.get(e)): InputIssue[] {
    const issues: InputIssue[] = [];
    const kinds = this.kindNames;
    const allowed = kinds.map((kind) => {
      const spec = this.schema.edgeKinds[kind]!;
      return { from: new Set(spec.from), to: new Set(spec.to) };
    });
    for (let e = 0; e < this.edgeCount; e++) {
      const code = this.edgeKind[e]!;
      for (const end of ['from', 'to'] as const) {
        const index = end === 'from' ? this.edgeSrc[e]! : this.edgeDst[e]!;
        const node = this.records[index];
        if (node !== undefined && (end === 'from' ? allowed[code]!.from : allowed[code]!.to).has(node.kind)) continue;
        const origin = originOf(e);
        const base = origin?.path ?? `$.edges[${e}]`;
        const id = this.ids[index]!;
        const kind = kinds[code]!;
        if (node === undefined) {
          issues.push({ file: origin?.file, path: `${base}.${end}`, line: origin?.line, message: `unknown node ${id}`, expected: 'the id of a node in this import or in the graph', found: describe(id) });
        } else {
          const spec = this.schema.edgeKinds[kind]!;
          const expectedKinds = end === 'from' ? spec.from : spec.to;
          issues.push({ file: origin?.file, path: `${base}.${end}`, line: origin?.line, message: `${kind} cannot ${end === 'from' ? 'start at' : 'end at'} a ${node.kind}`, expected: `a ${expectedKinds.join(' or ')} node for ${kind}.${end}`, found: `${node.kind} ${describe(id)}` });
        }
      }
    }
    return issues;
  }

  /** Compiles the graph. Throws like buildGraph when an edge mentions an id no node defines. */
  build(): CompactGraph {
    const n = this.definedOrder.length;
    if (n !== this.ids.length) {
      const [first] = this.danglingEdges();
      throw new BlastmapError('INVALID_INPUT', `engine/store: edge ${edgeId(first!.edge)} refers to a node that is not in the graph`);
    }
    const m = this.edgeCount;
    const nodes: GraphNode[] = new Array(n);
    let finalIndex: Uint32Array | undefined;
    if (this.inOrder) {
      for (let i = 0; i < n; i++) nodes[i] = this.records[i]!;
    } else {
      finalIndex = new Uint32Array(n);
      this.definedOrder.forEach((index, position) => {
        nodes[position] = this.records[index]!;
        finalIndex![index] = position;
      });
    }
    const edgeSrc = this.edgeSrc.slice(0, m);
    const edgeDst = this.edgeDst.slice(0, m);
    if (finalIndex) {
      for (let e = 0; e < m; e++) {
        edgeSrc[e] = finalIndex[edgeSrc[e]!]!;
        edgeDst[e] = finalIndex[edgeDst[e]!]!;
      }
    }
    const edgeAttrs: (EdgeAttrs | undefined)[] = new Array(m);
    for (const [e, attrs] of this.edgeAttrs) edgeAttrs[e] = attrs;
    return compileColumns({ schema: this.schema, nodes, edgeSrc, edgeDst, edgeKind: this.edgeKind.slice(0, m), edgeAttrs });
  }
}

/** Nodes and edges in chunks; `ends`/`kinds` (node numbers in arrival order, kind codes) are optional. */
export interface GraphChunk {
  nodes: readonly GraphNode[];
  edges: readonly GraphEdge[];
  ends?: Uint32Array;
  kinds?: Uint8Array;
}

/**
 * Builds a graph from chunks of nodes and edges (a generator's output, or parsed records). When a chunk
 * carries `ends` and `kinds` (and every node arrives before the edges that use it) ids are not looked up.
 */
export function buildFromChunks(chunks: Iterable<GraphChunk>, options: GraphBuilderOptions = {}): CompactGraph {
  const builder = new GraphBuilder(options);
  for (const chunk of chunks) {
    for (const node of chunk.nodes) builder.addNode(node);
    const { ends, kinds, edges } = chunk;
    const direct = ends !== undefined && kinds !== undefined && ends.length === 2 * edges.length && kinds.length === edges.length && builder.nodeCount === builder.internedCount;
    for (let i = 0; i < edges.length; i++) {
      const edge = edges[i]!;
      if (direct && ends[2 * i]! < builder.nodeCount && ends[2 * i + 1]! < builder.nodeCount && Object.keys(edge).length === 3) {
        builder.addEdgeIndices(ends[2 * i]!, kinds[i]!, ends[2 * i + 1]!);
      } else builder.addEdge(edge);
    }
  }
  return builder.build();
}

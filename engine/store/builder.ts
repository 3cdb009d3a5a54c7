// Bulk graph builder for large inputs: interns ids to indices, appends edges to typed columns and removes
// repeated (from, kind, to, grant) edges source by source when it builds, so an edge without properties
// costs a few bytes instead of an object and a string key. Same graph as mergeFragments + buildGraph.
import { BlastmapError, type InputIssue } from '../errors.ts';
import { edgeId, type GraphEdge, type GraphNode } from '../format/native.ts';
import { mergeFragments } from '../format/validate.ts';
import { DEFAULT_SCHEMA, type Schema } from '../schema/index.ts';
import { compileColumns, type CompactGraph, type EdgeAttrs } from './compact.ts';
import { IdTable } from './id-index.ts';

export interface GraphBuilderOptions {
  schema?: Schema;
  /** Size hints: the builder grows as needed, hints only avoid regrowing. */
  expectedNodes?: number;
  expectedEdges?: number;
}

/** Where an edge came from, for error messages (file, JSON path, NDJSON line). */
export interface EdgeOrigin {
  file?: string | undefined;
  path: string;
  line?: number | undefined;
}

const NO_GRANT = 0;
/** Segments of one source's edges up to this long are checked for repeats pairwise, longer ones sorted. */
const PAIRWISE_LIMIT = 24;

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
  private readonly provisional = new IdTable();
  private readonly ids = this.provisional.ids;
  /** Node record per provisional index; undefined while only edges mention the id. */
  private readonly records: (GraphNode | undefined)[] = [];
  /** Provisional indices in the order their node records arrived: the final node order. */
  private readonly definedOrder: number[] = [];
  private inOrder = true;
  /** The graph shares the id map, so nothing may be added once it is built. */
  private built = false;

  /** Edges in arrival order, repeats included (they are merged by `build`). */
  private edgeCapacity: number;
  private edgeSrc: Uint32Array;
  private edgeDst: Uint32Array;
  private edgeKind: Uint8Array;
  private edgeGrant: Uint32Array;
  private readonly edgeAttrs = new Map<number, EdgeAttrs>();
  private readonly origins = new Map<number, EdgeOrigin>();
  private edgeCount = 0;
  private readonly grantCodes = new Map<string, number>();
  /** Edges merged into an earlier identical edge by the last `build`. */
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
  }

  /** Nodes defined so far. */
  get nodeCount(): number {
    return this.definedOrder.length;
  }

  /** Ids interned so far, by nodes or by edges. */
  get internedCount(): number {
    return this.ids.length;
  }

  /** Edges added so far, repeats included. */
  get edgeTotal(): number {
    return this.edgeCount;
  }

  /** The provisional index of an id, interning it on first mention. */
  intern(id: string): number {
    this.assertOpen();
    const index = this.provisional.getOrAdd(id);
    if (index === this.records.length) this.records.push(undefined);
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

  /** Node record at a provisional index, if one arrived. */
  nodeAt(index: number): GraphNode | undefined {
    return this.records[index];
  }

  /**
   * Adds a node. A repeat of an id merges into the first record exactly as mergeFragments does. The
   * builder keeps the object: callers hand over records they no longer change.
   */
  addNode(node: GraphNode): number {
    return this.addNodeAt(this.intern(node.id), node);
  }

  /** addNode for a node whose id `intern` just gave `index` (saves looking the id up again). */
  addNodeAt(index: number, node: GraphNode): number {
    this.assertOpen();
    const previous = this.records[index];
    if (previous === undefined) {
      this.records[index] = node;
      if (index !== this.definedOrder.length) this.inOrder = false;
      this.definedOrder.push(index);
    } else {
      this.records[index] = mergeFragments([{ nodes: [previous], edges: [] }, { nodes: [node], edges: [] }]).nodes[0]!;
      this.duplicateNodes++;
    }
    return index;
  }

  /** Adds an edge record (kind, from, to and any properties); returns its arrival number. */
  addEdge(edge: GraphEdge, origin?: EdgeOrigin): number {
    const code = this.kindCodes.get(edge.kind);
    if (code === undefined) throw new BlastmapError('INVALID_INPUT', `engine/store/builder: unknown edge kind ${edge.kind}`);
    const { kind: _kind, from, to, ...rest } = edge;
    return this.addEdgeIndices(this.intern(from), code, this.intern(to), definedAttrs(rest), origin);
  }

  /**
   * Adds an edge between provisional indices (from `intern`) with a kind code (from `kindCode`) and
   * returns its arrival number. The hot path of bulk imports: an edge without properties allocates nothing.
   */
  addEdgeIndices(src: number, kind: number, dst: number, attrs?: EdgeAttrs, origin?: EdgeOrigin): number {
    if (this.built) this.assertOpen();
    if (this.edgeCount === this.edgeCapacity) this.growEdges();
    const e = this.edgeCount++;
    this.edgeSrc[e] = src;
    this.edgeDst[e] = dst;
    this.edgeKind[e] = kind;
    this.edgeGrant[e] = attrs?.grant === undefined ? NO_GRANT : this.grantCode(attrs.grant);
    if (attrs) this.edgeAttrs.set(e, attrs);
    if (origin) this.origins.set(e, origin);
    return e;
  }

  private grantCode(grant: string): number {
    let code = this.grantCodes.get(grant);
    if (code === undefined) {
      code = this.grantCodes.size + 1;
      this.grantCodes.set(grant, code);
    }
    return code;
  }

  private growEdges(): void {
    const capacity = this.edgeCapacity * 2;
    const grow = <T extends Uint32Array | Uint8Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.edgeSrc = grow(this.edgeSrc, new Uint32Array(capacity));
    this.edgeDst = grow(this.edgeDst, new Uint32Array(capacity));
    this.edgeKind = grow(this.edgeKind, new Uint8Array(capacity));
    this.edgeGrant = grow(this.edgeGrant, new Uint32Array(capacity));
    this.edgeCapacity = capacity;
  }

  private record(e: number, attrs: EdgeAttrs | undefined = this.edgeAttrs.get(e)): GraphEdge {
    return { kind: this.kindNames[this.edgeKind[e]!]!, from: this.ids[this.edgeSrc[e]!]!, to: this.ids[this.edgeDst[e]!]!, ...attrs };
  }

  /**
   * Edges whose endpoints no node defines or are of kinds the edge kind does not allow, in arrival
   * order, as input issues worded like checkReferences (so both import paths report them alike).
   */
  referenceIssues(describe: (id: string) => string, originOf: (e: number) => EdgeOrigin | undefined = (e) => this.origins.get(e)): InputIssue[] {
    const nodeKinds = Object.keys(this.schema.nodeKinds);
    if (nodeKinds.length > 31) return this.referenceIssuesSlowly(describe, originOf);
    // Endpoint kinds as bit masks, so the common case (nothing wrong) is one typed-array pass.
    const kindBit = new Map(nodeKinds.map((kind, code) => [kind, 1 << code]));
    const fromMask = new Int32Array(this.kindNames.length);
    const toMask = new Int32Array(this.kindNames.length);
    this.kindNames.forEach((kind, code) => {
      const spec = this.schema.edgeKinds[kind]!;
      for (const from of spec.from) fromMask[code]! |= kindBit.get(from) ?? 0;
      for (const to of spec.to) toMask[code]! |= kindBit.get(to) ?? 0;
    });
    const bitOf = new Int32Array(this.ids.length);
    for (let i = 0; i < this.ids.length; i++) {
      const node = this.records[i];
      bitOf[i] = node === undefined ? 0 : (kindBit.get(node.kind) ?? 0);
    }
    const { edgeSrc, edgeDst, edgeKind } = this;
    for (let e = 0; e < this.edgeCount; e++) {
      const code = edgeKind[e]!;
      if ((bitOf[edgeSrc[e]!]! & fromMask[code]!) === 0 || (bitOf[edgeDst[e]!]! & toMask[code]!) === 0) return this.referenceIssuesSlowly(describe, originOf);
    }
    return [];
  }

  private referenceIssuesSlowly(describe: (id: string) => string, originOf: (e: number) => EdgeOrigin | undefined): InputIssue[] {
    const issues: InputIssue[] = [];
    const allowed = this.kindNames.map((kind) => {
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
        const kind = this.kindNames[code]!;
        if (node === undefined) {
          issues.push({ file: origin?.file, path: `${base}.${end}`, line: origin?.line, message: `unknown node ${id}`, expected: 'the id of a node in this import or in the graph', found: describe(id) });
        } else {
          const spec = this.schema.edgeKinds[kind]!;
          issues.push({ file: origin?.file, path: `${base}.${end}`, line: origin?.line, message: `${kind} cannot ${end === 'from' ? 'start at' : 'end at'} a ${node.kind}`, expected: `a ${(end === 'from' ? spec.from : spec.to).join(' or ')} node for ${kind}.${end}`, found: `${node.kind} ${describe(id)}` });
        }
      }
    }
    return issues;
  }

  /**
   * Compiles the graph: nodes in the order their records arrived, edges grouped by source in arrival
   * order with repeats merged into their first occurrence. Throws like buildGraph on an edge that
   * mentions an id no node defines.
   */
  build(): CompactGraph {
    const n = this.definedOrder.length;
    const m = this.edgeCount;
    if (n !== this.ids.length) {
      for (let e = 0; e < m; e++) {
        if (this.records[this.edgeSrc[e]!] === undefined || this.records[this.edgeDst[e]!] === undefined) {
          throw new BlastmapError('INVALID_INPUT', `engine/store: edge ${edgeId(this.record(e))} refers to a node that is not in the graph`);
        }
      }
    }
    const nodes: GraphNode[] = new Array(n);
    let finalIndex: Uint32Array | undefined;
    if (this.inOrder) {
      for (let i = 0; i < n; i++) nodes[i] = this.records[i]!;
    } else {
      finalIndex = new Uint32Array(this.ids.length);
      for (let position = 0; position < n; position++) {
        const index = this.definedOrder[position]!;
        nodes[position] = this.records[index]!;
        finalIndex[index] = position;
      }
    }
    const src = this.edgeSrc;
    const dst = this.edgeDst;
    const kind = this.edgeKind;
    const grant = this.edgeGrant;

    // Arrival numbers grouped by source, arrival order kept inside each group (counting sort).
    const offsets = new Uint32Array(this.ids.length + 1);
    for (let e = 0; e < m; e++) offsets[src[e]! + 1]!++;
    for (let i = 0; i < this.ids.length; i++) offsets[i + 1]! += offsets[i]!;
    const bySource = new Uint32Array(m);
    const cursor = offsets.slice(0, this.ids.length);
    for (let e = 0; e < m; e++) bySource[cursor[src[e]!]!++] = e;

    // A repeat has the same source, so it sits in the same group: find it there, keep the first.
    const keep = new Uint8Array(m).fill(1);
    const mergedAttrs = new Map<number, EdgeAttrs | undefined>();
    let duplicates = 0;
    // An edge derived from a scoped delegation is never the same as another: the build derives it again.
    const derived = (e: number): boolean => this.edgeAttrs.get(e)?.derivedFrom !== undefined;
    const same = (a: number, b: number): boolean => dst[a] === dst[b] && kind[a] === kind[b] && grant[a] === grant[b] && !derived(a) && !derived(b);
    const merge = (first: number, repeat: number): void => {
      duplicates++;
      keep[repeat] = 0;
      const previous = mergedAttrs.has(first) ? mergedAttrs.get(first) : this.edgeAttrs.get(first);
      const next = this.edgeAttrs.get(repeat);
      if (!previous && !next) return;
      const firstRecord = this.record(first, previous);
      const repeatRecord: GraphEdge = { kind: firstRecord.kind, from: firstRecord.from, to: firstRecord.to, ...next };
      const { kind: _k, from: _f, to: _t, ...rest } = mergeFragments([{ nodes: [], edges: [firstRecord] }, { nodes: [], edges: [repeatRecord] }]).edges[0]!;
      mergedAttrs.set(first, definedAttrs(rest));
    };
    // Long groups (a platform containing 100k resources): the edges of each target are chained, one link per
    // (kind, grant) holding the edge the next repeat merges into, as a sort by (to, kind, grant, arrival) would
    // visit them: a repeat merges into the head when neither was derived, and otherwise becomes the head.
    const ids = this.ids.length;
    let chainOf: Int32Array | undefined;
    let chainGroup: Int32Array | undefined;
    let link: Int32Array | undefined;
    for (let i = 0; i < ids; i++) {
      const start = offsets[i]!;
      const end = offsets[i + 1]!;
      const length = end - start;
      if (length < 2) continue;
      if (length <= PAIRWISE_LIMIT) {
        for (let a = start + 1; a < end; a++) {
          const e = bySource[a]!;
          for (let b = start; b < a; b++) {
            const f = bySource[b]!;
            if (keep[f] === 1 && same(f, e)) {
              merge(f, e);
              break;
            }
          }
        }
        continue;
      }
      // chainOf[target]: the first head of this group's chain for that target (valid when chainGroup[target] is i + 1);
      // link[a]: the next head after the one at position a of the group (positions counted from the group's start).
      chainOf ??= new Int32Array(ids);
      chainGroup ??= new Int32Array(ids);
      if (link === undefined || link.length < length) link = new Int32Array(Math.max(length, (link?.length ?? 0) * 2));
      const group = bySource.subarray(start, end);
      for (let a = 0; a < length; a++) {
        const e = group[a]!;
        const target = dst[e]!;
        link[a] = -1;
        if (chainGroup[target] !== i + 1) {
          chainGroup[target] = i + 1;
          chainOf[target] = a;
          continue;
        }
        let at: number = chainOf[target]!;
        let last = -1;
        while (at >= 0) {
          const head = group[at]!;
          if (kind[head] === kind[e] && grant[head] === grant[e]) break;
          last = at;
          at = link[at]!;
        }
        if (at < 0) {
          link[last] = a;
          continue;
        }
        const head = group[at]!;
        if (!derived(head) && !derived(e)) {
          merge(head, e);
          continue;
        }
        // e takes the head's place in the chain.
        link[a] = link[at]!;
        if (last < 0) chainOf[target] = a;
        else link[last] = a;
      }
    }
    this.duplicateEdges = duplicates;

    // The kept edges in arrival order: compileColumns groups them by source (stably, so each source's edges stay in
    // arrival order, as before the derived ones it appends), which is what a gather by source here would give it.
    const kept = m - duplicates;
    const outSrc = new Uint32Array(kept);
    const outDst = new Uint32Array(kept);
    const outKind = new Uint8Array(kept);
    // Properties are placed from the few edges that have them (their arrival numbers, ascending): a map lookup per
    // edge (8M at 1M nodes) cost seconds. Left holey (reads give undefined): compileColumns copies every element into
    // the graph's own array.
    const outAttrs: (EdgeAttrs | undefined)[] = new Array<EdgeAttrs | undefined>(kept);
    const withAttrs = Int32Array.from(new Set([...this.edgeAttrs.keys(), ...mergedAttrs.keys()])).sort();
    let next = 0;
    let nextWith = withAttrs.length > 0 ? withAttrs[0]! : -1;
    for (let e = 0, k = 0; e < m; e++) {
      if (e === nextWith) {
        // What repeats merged into their first edge replaces its own properties (undefined when nothing is left).
        if (keep[e] === 1) outAttrs[k] = mergedAttrs.has(e) ? mergedAttrs.get(e) : this.edgeAttrs.get(e);
        nextWith = ++next < withAttrs.length ? withAttrs[next]! : -1;
      }
      if (keep[e] === 0) continue;
      outSrc[k] = finalIndex ? finalIndex[src[e]!]! : src[e]!;
      outDst[k] = finalIndex ? finalIndex[dst[e]!]! : dst[e]!;
      outKind[k] = kind[e]!;
      k++;
    }
    this.built = true;
    // The id map already gives final indices when nodes arrived in first-mention order.
    const indexOf = this.inOrder && this.ids.length === n ? this.provisional : undefined;
    return compileColumns({ schema: this.schema, nodes, edgeSrc: outSrc, edgeDst: outDst, edgeKind: outKind, edgeAttrs: outAttrs, indexOf });
  }

  private assertOpen(): void {
    if (this.built) throw new Error('engine/store/builder: a builder builds once; start a new one');
  }
}

/** Nodes and edges in chunks; `ends`/`kinds` (node numbers in arrival order, kind codes) are optional. */
export interface GraphChunk {
  nodes: readonly GraphNode[];
  edges: readonly GraphEdge[];
  ends?: Uint32Array;
  kinds?: Uint8Array;
}

const onlyEndpoints = (edge: GraphEdge): boolean => {
  for (const key in edge) if (key !== 'kind' && key !== 'from' && key !== 'to' && (edge as Record<string, unknown>)[key] !== undefined) return false;
  return true;
};

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
      if (direct && ends[2 * i]! < builder.nodeCount && ends[2 * i + 1]! < builder.nodeCount && onlyEndpoints(edge)) {
        builder.addEdgeIndices(ends[2 * i]!, kinds[i]!, ends[2 * i + 1]!);
      } else builder.addEdge(edge);
    }
  }
  return builder.build();
}

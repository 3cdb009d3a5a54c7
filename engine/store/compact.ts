// The in-memory graph the analyses run on: node records plus typed-array CSR adjacency (forward and
// reverse) with edge kind codes and per-kind level rules compiled from the schema. Immutable once built.
import { BlastmapError } from '../errors.ts';
import { edgeId, type Fragment, type GraphEdge, type GraphNode } from '../format/native.ts';
import { DEFAULT_SCHEMA, LEVEL_CODE, type Schema } from '../schema/index.ts';
import { deriveScopedDelegations } from './delegation.ts';
import { indexNodeIds } from './id-index.ts';

/** Edge properties other than its endpoints and kind; most edges at scale have none. */
export type EdgeAttrs = Omit<GraphEdge, 'kind' | 'from' | 'to'>;

export interface CompactGraph {
  readonly schema: Schema;
  readonly nodeCount: number;
  readonly edgeCount: number;
  /** Node records by index. */
  readonly nodes: readonly GraphNode[];
  readonly indexOf: ReadonlyMap<string, number>;
  readonly nodeKindNames: readonly string[];
  readonly nodeKind: Uint8Array;
  /** A node is usable at instant t (ms) when activeFrom[i] <= t < activeUntil[i]. */
  readonly activeFrom: Float64Array;
  readonly activeUntil: Float64Array;
  readonly edgeKindNames: readonly string[];
  /** Per edge-kind code: 1 when traversable, the required level code, the granted level code (0 = same). */
  readonly kindTraversable: Uint8Array;
  readonly kindRequires: Uint8Array;
  readonly kindGrants: Uint8Array;
  /** Edges are stored sorted by source: edges of node u are fwdOffsets[u] .. fwdOffsets[u+1]. */
  readonly fwdOffsets: Uint32Array;
  readonly edgeSrc: Uint32Array;
  readonly edgeDst: Uint32Array;
  readonly edgeKind: Uint8Array;
  /** Reverse CSR: revEdges[revOffsets[v] .. revOffsets[v+1]] are the indices of edges into v. */
  readonly revOffsets: Uint32Array;
  readonly revEdges: Uint32Array;
  /** Sparse edge properties (scopes, grant, reason, conditions, id, source). */
  readonly edgeAttrs: readonly (EdgeAttrs | undefined)[];
  /** Indices of edges that carry conditions, for enforcing controls without scanning every edge. */
  readonly conditionedEdges: Uint32Array;
}

const NEVER = -Infinity;
const ALWAYS = Infinity;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const digitAt = (text: string, i: number): number => {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : NaN;
};

/**
 * Date.parse of `YYYY-MM-DDTHH:MM:SS.sssZ` (how validated records store instants) without the general
 * parser: a million credentials load noticeably faster. NaN for anything else, left to Date.parse.
 */
export function canonicalInstant(text: string): number {
  if (text.length !== 24 || text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':' || text[19] !== '.' || text[23] !== 'Z') return NaN;
  const year = digitAt(text, 0) * 1000 + digitAt(text, 1) * 100 + digitAt(text, 2) * 10 + digitAt(text, 3);
  const month = digitAt(text, 5) * 10 + digitAt(text, 6);
  const day = digitAt(text, 8) * 10 + digitAt(text, 9);
  const hour = digitAt(text, 11) * 10 + digitAt(text, 12);
  const minute = digitAt(text, 14) * 10 + digitAt(text, 15);
  const second = digitAt(text, 17) * 10 + digitAt(text, 18);
  const ms = digitAt(text, 20) * 100 + digitAt(text, 21) * 10 + digitAt(text, 22);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  // Date.UTC reads years 0-99 as 1900-1999: those go through Date.parse.
  if (!(year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= days && hour <= 23 && minute <= 59 && second <= 59 && ms >= 0)) return NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

function instant(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const fast = canonicalInstant(text);
  if (!Number.isNaN(fast)) return fast;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? fallback : ms;
}

/** The window in which a node can be used: created, not yet expired, not revoked, not disabled. */
export function activeWindow(node: GraphNode): [from: number, until: number] {
  const from = instant(node.createdAt, NEVER);
  let until = instant(node.expiresAt, ALWAYS);
  if (node.revoked === true) until = Math.min(until, instant(node.revokedAt, NEVER));
  if (node.enabled === false) until = NEVER;
  return [from, until];
}

function kindTables(schema: Schema) {
  const edgeKindNames = Object.keys(schema.edgeKinds);
  if (edgeKindNames.length > 255) throw new BlastmapError('INVALID_OPTION', 'engine/store: at most 255 edge kinds');
  const kindTraversable = new Uint8Array(edgeKindNames.length);
  const kindRequires = new Uint8Array(edgeKindNames.length);
  const kindGrants = new Uint8Array(edgeKindNames.length);
  edgeKindNames.forEach((name, code) => {
    const spec = schema.edgeKinds[name]!;
    kindTraversable[code] = spec.traversable ? 1 : 0;
    kindRequires[code] = LEVEL_CODE[spec.requires];
    kindGrants[code] = spec.grants === 'same' ? 0 : LEVEL_CODE[spec.grants];
  });
  return { edgeKindNames, kindTraversable, kindRequires, kindGrants };
}

export interface CompileOptions {
  /**
   * Derive what the model derives from the edges (scoped delegations, refresh-token families); default true.
   * False for a view of part of a graph that was derived already (a traversal's witness subgraph).
   */
  derive?: boolean;
}

/** Raw columns a graph is compiled from; also what a snapshot stores. */
export interface GraphColumns {
  schema: Schema;
  nodes: GraphNode[];
  edgeSrc: Uint32Array;
  edgeDst: Uint32Array;
  /** Codes into Object.keys(schema.edgeKinds). */
  edgeKind: Uint8Array;
  edgeAttrs: (EdgeAttrs | undefined)[];
  /**
   * Optional: id -> index of exactly these nodes, when the caller already holds one (a bulk builder);
   * saves rebuilding a map of every id.
   */
  indexOf?: ReadonlyMap<string, number>;
}

/**
 * Compiles a fragment (already merged and reference-checked) into a CompactGraph. Throws on dangling
 * edges or unknown kinds: callers validate first, this is the last line of defence.
 */
export function buildGraph(fragment: Fragment, schema: Schema = DEFAULT_SCHEMA, options: CompileOptions = {}): CompactGraph {
  const indexOf = new Map<string, number>();
  fragment.nodes.forEach((node, i) => {
    if (indexOf.has(node.id)) throw new BlastmapError('INVALID_INPUT', `engine/store: duplicate node id ${node.id}; merge fragments first`);
    indexOf.set(node.id, i);
  });
  const kindCode = new Map(Object.keys(schema.edgeKinds).map((name, code) => [name, code]));
  const m = fragment.edges.length;
  const edgeSrc = new Uint32Array(m);
  const edgeDst = new Uint32Array(m);
  const edgeKind = new Uint8Array(m);
  const edgeAttrs: (EdgeAttrs | undefined)[] = new Array(m);
  fragment.edges.forEach((edge, i) => {
    const src = indexOf.get(edge.from);
    const dst = indexOf.get(edge.to);
    const code = kindCode.get(edge.kind);
    if (src === undefined || dst === undefined) throw new BlastmapError('INVALID_INPUT', `engine/store: edge ${edgeId(edge)} refers to a node that is not in the graph`);
    if (code === undefined) throw new BlastmapError('INVALID_INPUT', `engine/store: unknown edge kind ${edge.kind}`);
    edgeSrc[i] = src;
    edgeDst[i] = dst;
    edgeKind[i] = code;
    const { kind: _k, from: _f, to: _t, ...attrs } = edge;
    edgeAttrs[i] = Object.keys(attrs).length > 0 ? attrs : undefined;
  });
  return compileColumns({ schema, nodes: fragment.nodes, edgeSrc, edgeDst, edgeKind, edgeAttrs }, options);
}

/**
 * Sorts edges by source into CSR form and builds the reverse index. O(n + m). Scoped delegations are
 * rewritten into their derived authority first (delegation.ts), and minted credentials live as long as
 * what mints them (`renews` kinds).
 */
export function compileColumns(input: GraphColumns, options: CompileOptions = {}): CompactGraph {
  const derive = options.derive !== false;
  const columns = derive ? { ...input, ...deriveScopedDelegations(input.schema, input.nodes, input) } : input;
  const { schema, nodes } = columns;
  const n = nodes.length;
  const m = columns.edgeSrc.length;
  const nodeKindNames = Object.keys(schema.nodeKinds);
  const nodeKindCode = new Map(nodeKindNames.map((name, code) => [name, code]));
  const nodeKind = new Uint8Array(n);
  const activeFrom = new Float64Array(n);
  const activeUntil = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const node = nodes[i]!;
    const code = nodeKindCode.get(node.kind);
    if (code === undefined) throw new BlastmapError('INVALID_INPUT', `engine/store: unknown node kind ${node.kind}`);
    nodeKind[i] = code;
    [activeFrom[i], activeUntil[i]] = activeWindow(node);
  }
  const indexOf = columns.indexOf !== undefined && columns.indexOf.size === n ? columns.indexOf : indexNodeIds(nodes);

  // Counting sort of edges by source keeps insertion order within a source (deterministic). Input
  // already in that order (a snapshot, a bulk builder) is copied as it is.
  const fwdOffsets = new Uint32Array(n + 1);
  let sorted = true;
  for (let e = 0; e < m; e++) {
    const src = columns.edgeSrc[e]!;
    fwdOffsets[src + 1]!++;
    if (e > 0 && src < columns.edgeSrc[e - 1]!) sorted = false;
  }
  for (let i = 0; i < n; i++) fwdOffsets[i + 1]! += fwdOffsets[i]!;
  let edgeSrc: Uint32Array;
  let edgeDst: Uint32Array;
  let edgeKind: Uint8Array;
  let edgeAttrs: (EdgeAttrs | undefined)[];
  let conditioned = 0;
  if (sorted) {
    edgeSrc = columns.edgeSrc.slice(0, m);
    edgeDst = columns.edgeDst.slice(0, m);
    edgeKind = columns.edgeKind.slice(0, m);
    edgeAttrs = new Array(m);
    for (let e = 0; e < m; e++) {
      const attrs = columns.edgeAttrs[e];
      edgeAttrs[e] = attrs;
      if (attrs?.conditions && attrs.conditions.length > 0) conditioned++;
    }
  } else {
    const cursor = fwdOffsets.slice(0, n);
    edgeSrc = new Uint32Array(m);
    edgeDst = new Uint32Array(m);
    edgeKind = new Uint8Array(m);
    edgeAttrs = new Array(m);
    for (let e = 0; e < m; e++) {
      const src = columns.edgeSrc[e]!;
      const slot = cursor[src]!++;
      edgeSrc[slot] = src;
      edgeDst[slot] = columns.edgeDst[e]!;
      edgeKind[slot] = columns.edgeKind[e]!;
      const attrs = columns.edgeAttrs[e];
      edgeAttrs[slot] = attrs;
      if (attrs?.conditions && attrs.conditions.length > 0) conditioned++;
    }
  }
  const conditionedEdges = new Uint32Array(conditioned);
  for (let e = 0, c = 0; e < m; e++) if (edgeAttrs[e]?.conditions?.length) conditionedEdges[c++] = e;

  const { revOffsets, revEdges } = reverseIndex(n, edgeDst);
  if (derive) renewMintedWindows(schema, nodes, edgeSrc, edgeDst, edgeKind, activeFrom, activeUntil);

  return {
    schema, nodeCount: n, edgeCount: m, nodes, indexOf, nodeKindNames, nodeKind, activeFrom, activeUntil,
    ...kindTables(schema), fwdOffsets, edgeSrc, edgeDst, edgeKind, revOffsets, revEdges, edgeAttrs, conditionedEdges,
  };
}

/**
 * A credential minted by another (an access token by its refresh token) stays usable while the minting
 * credential is, unless it was itself revoked or disabled: when the two windows touch, its window's end
 * becomes the later of the two.
 * Chains (grant → refresh token → access token) settle in as many passes as they are long.
 */
function renewMintedWindows(schema: Schema, nodes: readonly GraphNode[], edgeSrc: Uint32Array, edgeDst: Uint32Array, edgeKind: Uint8Array, activeFrom: Float64Array, activeUntil: Float64Array): void {
  const renewing = Object.values(schema.edgeKinds).map((spec) => spec.renews === true);
  if (!renewing.includes(true)) return;
  const minted: number[] = [];
  for (let e = 0; e < edgeKind.length; e++) {
    if (!renewing[edgeKind[e]!]) continue;
    const node = nodes[edgeDst[e]!]!;
    if (node.revoked !== true && node.enabled !== false) minted.push(e);
  }
  for (let pass = 0, changed = minted.length > 0; changed && pass <= minted.length; pass++) {
    changed = false;
    for (const e of minted) {
      const r = edgeSrc[e]!;
      const a = edgeDst[e]!;
      // Only when the windows touch: a refresh token issued after the access token died revives nothing.
      if (activeFrom[r]! <= activeUntil[a]! && activeUntil[r]! > activeUntil[a]!) {
        activeUntil[a] = activeUntil[r]!;
        changed = true;
      }
    }
  }
}

/** Reverse CSR of edges stored by source: for each target, the indices of the edges into it, ascending. */
export function reverseIndex(n: number, edgeDst: Uint32Array): { revOffsets: Uint32Array; revEdges: Uint32Array } {
  const m = edgeDst.length;
  const revOffsets = new Uint32Array(n + 1);
  for (let e = 0; e < m; e++) revOffsets[edgeDst[e]! + 1]!++;
  for (let i = 0; i < n; i++) revOffsets[i + 1]! += revOffsets[i]!;
  const revCursor = revOffsets.slice(0, n);
  const revEdges = new Uint32Array(m);
  for (let e = 0; e < m; e++) revEdges[revCursor[edgeDst[e]!]!++] = e;
  return { revOffsets, revEdges };
}

/**
 * Everything compileColumns derives, already derived: edges sorted by source with their offsets, node kind
 * codes, activity windows, the reverse index, conditioned edges and the id index. What a snapshot stores.
 */
export interface CompiledColumns {
  schema: Schema;
  nodes: GraphNode[];
  indexOf: ReadonlyMap<string, number>;
  nodeKind: Uint8Array;
  activeFrom: Float64Array;
  activeUntil: Float64Array;
  fwdOffsets: Uint32Array;
  edgeSrc: Uint32Array;
  edgeDst: Uint32Array;
  edgeKind: Uint8Array;
  revOffsets: Uint32Array;
  revEdges: Uint32Array;
  edgeAttrs: (EdgeAttrs | undefined)[];
  conditionedEdges: Uint32Array;
}

/**
 * The graph of columns that compileColumns computed (or that equal what it would compute), taken as they
 * are: no copy, no sort, no check. The caller vouches for them (the snapshot decoder checks bounds first);
 * compileColumns stays the reference, and tests hold the two equal.
 */
export function graphFromColumns(columns: CompiledColumns): CompactGraph {
  const { schema, nodes, indexOf, nodeKind, activeFrom, activeUntil, fwdOffsets, edgeSrc, edgeDst, edgeKind, revOffsets, revEdges, edgeAttrs, conditionedEdges } = columns;
  return {
    schema, nodeCount: nodes.length, edgeCount: edgeSrc.length, nodes, indexOf, nodeKindNames: Object.keys(schema.nodeKinds), nodeKind, activeFrom, activeUntil,
    ...kindTables(schema), fwdOffsets, edgeSrc, edgeDst, edgeKind, revOffsets, revEdges, edgeAttrs, conditionedEdges,
  };
}

/** The edge at index e as a native edge record. */
export function edgeRecord(graph: CompactGraph, e: number): GraphEdge {
  const attrs = graph.edgeAttrs[e];
  return {
    kind: graph.edgeKindNames[graph.edgeKind[e]!]!,
    from: graph.nodes[graph.edgeSrc[e]!]!.id,
    to: graph.nodes[graph.edgeDst[e]!]!.id,
    ...attrs,
  };
}

/** Stable id of the edge at index e: its explicit id, or one derived from kind, endpoints and grant. */
export function edgeIdAt(graph: CompactGraph, e: number): string {
  const attrs = graph.edgeAttrs[e];
  if (attrs?.id !== undefined) return attrs.id;
  return edgeId({ kind: graph.edgeKindNames[graph.edgeKind[e]!]!, from: graph.nodes[graph.edgeSrc[e]!]!.id, to: graph.nodes[graph.edgeDst[e]!]!.id, grant: attrs?.grant });
}

/** The whole graph back as a native fragment (what exports and snapshots start from). */
export function toFragment(graph: CompactGraph): Fragment {
  const edges: GraphEdge[] = new Array(graph.edgeCount);
  for (let e = 0; e < graph.edgeCount; e++) edges[e] = edgeRecord(graph, e);
  return { nodes: graph.nodes.map((node) => ({ ...node })), edges };
}

export const emptyGraph = (schema: Schema = DEFAULT_SCHEMA): CompactGraph => buildGraph({ nodes: [], edges: [] }, schema);

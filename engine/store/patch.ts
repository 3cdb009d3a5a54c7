// Incremental import: a batch merged into a stored snapshot by patching its columns, so the cost follows the
// change, not the graph. The result is the snapshot a full rebuild (assembleGraph) would write, byte for byte.
import { BlastmapError } from '../errors.ts';
import type { GraphEdge, GraphNode } from '../format/native.ts';
import { edgeId } from '../format/native.ts';
import { checkReferences, mergeFragments, type SourcedFragment } from '../format/validate.ts';
import type { ImportReport } from './assemble.ts';
import { activeWindow, graphFromColumns, type CompactGraph, type EdgeAttrs } from './compact.ts';
import { SCOPED_DELEGATION_KIND } from './delegation.ts';
import { IdIndex, IdTable, StoredIdTable } from './id-index.ts';
import { isStub } from './link.ts';
import { encodeAttrChunks, NODES_PER_CHUNK, snapshotParts, type SnapshotView } from './snapshot.ts';
import { kindChangeIssues } from './integrity.ts';

/** The edge kinds a scoped delegation's derivation follows from its principal (delegation.ts). */
const OWN_AUTHORITY_KINDS = ['MEMBER_OF', 'HAS_ROLE', 'CAN_READ', 'CAN_WRITE', 'CAN_ADMIN', 'CONTAINS'];

export type PatchResult =
  | { patched: true; parts: Uint8Array[]; report: ImportReport }
  /** The change needs a full rebuild; `reason` says why (for --verbose output and tests). */
  | { patched: false; reason: string };

interface Insertion {
  /** Index in the old edge columns before which the edge goes. */
  pos: number;
  src: number;
  dst: number;
  kind: number;
  attrs: EdgeAttrs | undefined;
  order: number;
}

const withoutEndpoints = (edge: GraphEdge): EdgeAttrs | undefined => {
  const { kind: _k, from: _f, to: _t, ...attrs } = edge;
  return Object.keys(attrs).length > 0 ? attrs : undefined;
};

/**
 * Merges `batch` into the snapshot `view` without decoding what the batch does not touch. Throws the
 * BlastmapError assembleGraph throws for a batch with dangling or ill-kinded edges. Returns patched: false
 * (nothing computed is kept) when the change is one this path does not handle, and the caller rebuilds:
 * reference stubs to resolve, a scoped delegation added, changed or reached, an id table that must grow.
 */
export function patchSnapshot(view: SnapshotView, batch: readonly SourcedFragment[]): PatchResult {
  const patch = patchColumns(view, batch);
  if (!patch.patched) return patch;
  const { columns } = patch;
  const { n2, nodeAt, touched } = columns;
  const n = view.nodeCount;

  // Node chunks: those holding no changed node are the file's bytes; the others are encoded again.
  const encoder = new TextEncoder();
  const nodeChunks: Uint8Array[] = [];
  for (let first = 0; first < n2; first += NODES_PER_CHUNK) {
    const last = Math.min(first + NODES_PER_CHUNK, n2);
    let dirty = last > n;
    for (let i = first; !dirty && i < last; i++) dirty = touched[i] === 1;
    if (!dirty) { nodeChunks.push(view.nodeChunk(first / NODES_PER_CHUNK)); continue; }
    const chunk: GraphNode[] = [];
    for (let i = first; i < last; i++) chunk.push(nodeAt(i));
    nodeChunks.push(encoder.encode(JSON.stringify(chunk)));
  }

  const parts = snapshotParts({
    schema: view.schema, nodeCount: n2, edgeCount: columns.edgeSrc.length, fwdOffsets: columns.fwdOffsets, edgeSrc: columns.edgeSrc, edgeDst: columns.edgeDst,
    edgeKind: columns.edgeKind, nodeKind: columns.nodeKind, activeFrom: columns.activeFrom, activeUntil: columns.activeUntil,
    idSlots: columns.idSlots, nodeChunks, attrChunks: encodeAttrChunks(columns.attrEntries),
  });
  return { patched: true, parts, report: patch.report };
}

/** The columns of a patched graph, before they are encoded (patchSnapshot) or compiled (patchGraph). */
export interface PatchedColumns {
  /** Nodes after the patch (old ones keep their indices, new ones follow). */
  n2: number;
  fwdOffsets: Uint32Array;
  edgeSrc: Uint32Array;
  edgeDst: Uint32Array;
  edgeKind: Uint8Array;
  nodeKind: Uint8Array;
  activeFrom: Float64Array;
  activeUntil: Float64Array;
  idSlots: Int32Array;
  attrEntries: [number, EdgeAttrs][];
  /** 1 for a node the batch changed or added. */
  touched: Uint8Array;
  /** Indices after the patch of the edges the batch inserted, ascending. */
  inserted: Uint32Array;
  /** Node i after the patch. */
  nodeAt: (i: number) => GraphNode;
}

type ColumnsResult = { patched: true; columns: PatchedColumns; report: ImportReport } | { patched: false; reason: string };

function patchColumns(view: SnapshotView, batch: readonly SourcedFragment[]): ColumnsResult {
  const fallback = (reason: string): ColumnsResult => ({ patched: false, reason });
  const { schema } = view;
  const n = view.nodeCount;
  const m = view.edgeCount;
  if (!view.regularChunks) return fallback('the snapshot\'s node chunks are not laid out as this version writes them');
  if (!view.idSlots || view.idSlots.length !== StoredIdTable.capacityFor(n)) return fallback('the snapshot stores no usable id table');
  const nodeKindNames = Object.keys(schema.nodeKinds);
  const edgeKindNames = Object.keys(schema.edgeKinds);
  const nodeKindCode = new Map(nodeKindNames.map((name, code) => [name, code]));
  const edgeKindCode = new Map(edgeKindNames.map((name, code) => [name, code]));

  const added: GraphNode[] = [];
  const ids = new StoredIdTable(view.idSlots.slice(), n, (i) => (i < n ? view.node(i).id : added[i - n]!.id));
  const existingKind = (id: string): string | undefined => {
    const i = ids.get(id);
    return i === undefined ? undefined : nodeKindNames[view.nodeKind[i]!];
  };
  // As assembleGraph: a node keeps its kind, and a batch redeclaring one with another kind is refused before its edges are judged.
  const issues = [...kindChangeIssues(batch, existingKind), ...checkReferences(batch, existingKind, schema)];
  if (issues.length > 0) throw new BlastmapError('INVALID_INPUT', `${issues.length} problem${issues.length === 1 ? '' : 's'} in the input; nothing was imported`, { issues });

  for (const { fragment } of batch) {
    if (fragment.nodes.some(isStub)) return fallback('the import links to other platforms through reference stubs');
    if (fragment.edges.some((edge) => edge.derivedFrom !== undefined)) return fallback('the import carries derived edges');
  }
  // JSON.stringify writes a stub's tenant exactly so; a property that merely contains the text only costs a rebuild.
  if (view.nodeBytesContain('"tenant":"*"')) return fallback('the snapshot holds reference stubs a new node may resolve');

  // The existing nodes and edges the batch repeats go first, as the full merge sees them (the graph, then the batch).
  const touchedNodes = new Set<number>();
  for (const { fragment } of batch) for (const node of fragment.nodes) { const i = ids.get(node.id); if (i !== undefined) touchedNodes.add(i); }
  const attrIndex = view.attrEntries.map(([e]) => e);
  const attrsOf = (e: number): EdgeAttrs | undefined => {
    let lo = 0;
    let hi = attrIndex.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = attrIndex[mid]!;
      if (at === e) return view.attrEntries[mid]![1];
      if (at < e) lo = mid + 1; else hi = mid - 1;
    }
    return undefined;
  };
  const touchedEdges = new Set<number>();
  for (const { fragment } of batch) {
    for (const edge of fragment.edges) {
      const u = ids.get(edge.from);
      const v = ids.get(edge.to);
      const code = edgeKindCode.get(edge.kind);
      if (u === undefined || v === undefined || code === undefined) continue;
      const key = edgeId(edge);
      for (let e = view.fwdOffsets[u]!, end = view.fwdOffsets[u + 1]!; e < end; e++) {
        if (view.edgeDst[e] !== v || view.edgeKind[e] !== code) continue;
        const attrs = attrsOf(e);
        if (edgeId({ kind: edge.kind, from: edge.from, to: edge.to, grant: attrs?.grant, derivedFrom: attrs?.derivedFrom }) === key) touchedEdges.add(e);
      }
    }
  }
  const preNodes = [...touchedNodes].sort((a, b) => a - b);
  const preEdges = [...touchedEdges].sort((a, b) => a - b);
  const pre = {
    nodes: preNodes.map((i) => view.node(i)),
    edges: preEdges.map((e): GraphEdge => ({ kind: edgeKindNames[view.edgeKind[e]!]!, from: view.node(view.edgeSrc[e]!).id, to: view.node(view.edgeDst[e]!).id, ...attrsOf(e) })),
  };
  const merged = mergeFragments([pre, ...batch.map(({ fragment }) => fragment)]);

  const scopedCode = edgeKindCode.get(SCOPED_DELEGATION_KIND);
  for (const edge of merged.edges) {
    const spec = schema.edgeKinds[edge.kind];
    if (edge.kind === SCOPED_DELEGATION_KIND || (spec?.delegates === true && (edge.scopes?.length ?? 0) > 0)) return fallback('the import adds or changes a scoped delegation');
  }

  // New nodes take the next indices, in the order the batch first names them.
  const newNodes = merged.nodes.slice(preNodes.length);
  for (const node of newNodes) {
    if (!nodeKindCode.has(node.kind)) throw new BlastmapError('INVALID_INPUT', `engine/store: unknown node kind ${node.kind}`);
    added.push(node);
    if (!ids.add(node.id)) return fallback('the id table has to grow');
  }
  const n2 = n + newNodes.length;
  const changedNode = new Map<number, GraphNode>();
  preNodes.forEach((i, j) => changedNode.set(i, merged.nodes[j]!));

  // Edges: a repeated edge keeps its place with merged properties; a new one goes after its source's edges,
  // before the edges derived from scoped delegations (where compileColumns puts them).
  const changedAttrs = new Map<number, EdgeAttrs | undefined>();
  preEdges.forEach((e, j) => changedAttrs.set(e, withoutEndpoints(merged.edges[j]!)));
  const insertions: Insertion[] = [];
  merged.edges.slice(preEdges.length).forEach((edge, order) => {
    const src = ids.get(edge.from)!;
    const dst = ids.get(edge.to)!;
    const kind = edgeKindCode.get(edge.kind);
    if (kind === undefined) throw new BlastmapError('INVALID_INPUT', `engine/store: unknown edge kind ${edge.kind}`);
    let pos = m;
    if (src < n) {
      pos = view.fwdOffsets[src + 1]!;
      while (pos > view.fwdOffsets[src]! && attrsOf(pos - 1)?.derivedFrom !== undefined) pos--;
    }
    insertions.push({ pos, src, dst, kind, attrs: withoutEndpoints(edge), order });
  });
  insertions.sort((a, b) => a.pos - b.pos || a.src - b.src || a.order - b.order);

  // Whether the change can reach a scoped delegation's derivation: its principal's own authority reaches a
  // changed node or the source of a new authority edge. Then the derived edges are rebuilt in full.
  if (scopedCode !== undefined && view.edgeKind.includes(scopedCode)) {
    const own = new Uint8Array(edgeKindNames.length);
    for (const name of OWN_AUTHORITY_KINDS) { const code = edgeKindCode.get(name); if (code !== undefined) own[code] = 1; }
    const seeds = new Set<number>(preNodes);
    for (const e of preEdges) if (own[view.edgeKind[e]!] === 1) seeds.add(view.edgeSrc[e]!);
    for (const ins of insertions) if (own[ins.kind] === 1 && ins.src < n) seeds.add(ins.src);
    if (seeds.size > 0 && reachesDelegation(view, [...seeds], own, scopedCode)) return fallback('the change reaches what a scoped delegation derives from');
  }

  // The new edge columns.
  const k = insertions.length;
  const m2 = m + k;
  const edgeSrc = new Uint32Array(m2);
  const edgeDst = new Uint32Array(m2);
  const edgeKind = new Uint8Array(m2);
  let from = 0;
  let to = 0;
  for (const ins of insertions) {
    edgeSrc.set(view.edgeSrc.subarray(from, ins.pos), to);
    edgeDst.set(view.edgeDst.subarray(from, ins.pos), to);
    edgeKind.set(view.edgeKind.subarray(from, ins.pos), to);
    to += ins.pos - from;
    from = ins.pos;
    edgeSrc[to] = ins.src;
    edgeDst[to] = ins.dst;
    edgeKind[to] = ins.kind;
    to++;
  }
  edgeSrc.set(view.edgeSrc.subarray(from), to);
  edgeDst.set(view.edgeDst.subarray(from), to);
  edgeKind.set(view.edgeKind.subarray(from), to);
  // Each node's edges start where they did, moved by the insertions at nodes before it (an insertion goes into its
  // source's block; a new node's block follows the old edges).
  const fwdOffsets = new Uint32Array(n2 + 1);
  for (const ins of insertions) fwdOffsets[ins.src + 1]!++;
  for (let i = 0, moved = 0; i <= n2; i++) {
    moved += fwdOffsets[i]!;
    fwdOffsets[i] = (i <= n ? view.fwdOffsets[i]! : m) + moved;
  }

  // Edge properties under their new indices: an old edge moves by the insertions before it.
  const attrEntries: [number, EdgeAttrs][] = [];
  {
    let shift = 0;
    let next = 0;
    const pushInsertionsUpTo = (pos: number): void => {
      while (next < k && insertions[next]!.pos <= pos) {
        const ins = insertions[next]!;
        if (ins.attrs) attrEntries.push([ins.pos + next, ins.attrs]);
        next++;
        shift++;
      }
    };
    let c = 0;
    const changed = [...changedAttrs.keys()].sort((a, b) => a - b);
    for (const [e, stored] of view.attrEntries) {
      while (c < changed.length && changed[c]! < e) { pushInsertionsUpTo(changed[c]!); const attrs = changedAttrs.get(changed[c]!); if (attrs) attrEntries.push([changed[c]! + shift, attrs]); c++; }
      pushInsertionsUpTo(e);
      if (c < changed.length && changed[c] === e) { const attrs = changedAttrs.get(e); if (attrs) attrEntries.push([e + shift, attrs]); c++; continue; }
      attrEntries.push([e + shift, stored]);
    }
    while (c < changed.length) { pushInsertionsUpTo(changed[c]!); const attrs = changedAttrs.get(changed[c]!); if (attrs) attrEntries.push([changed[c]! + shift, attrs]); c++; }
    pushInsertionsUpTo(Number.POSITIVE_INFINITY);
  }

  // Node columns.
  const nodeKind = new Uint8Array(n2);
  nodeKind.set(view.nodeKind);
  newNodes.forEach((node, j) => { nodeKind[n + j] = nodeKindCode.get(node.kind)!; });
  const touched = new Uint8Array(n2);
  for (const i of preNodes) touched[i] = 1;
  touched.fill(1, n);

  // Every edge at a changed or new node joins kinds its edge kind allows (checkReferences checked the batch's
  // edges against the kinds the batch gave; here against the kinds the merged graph has). A node keeps its kind
  // (kindChangeIssues), so an edge the graph already had joins what it joined: only the new edges are read.
  for (const ins of insertions) {
    const src = ins.src;
    const dst = ins.dst;
    const name = edgeKindNames[ins.kind]!;
    const spec = schema.edgeKinds[name]!;
    const fromKind = nodeKindNames[nodeKind[src]!]!;
    const toKind = nodeKindNames[nodeKind[dst]!]!;
    if (!spec.from.includes(fromKind) || !spec.to.includes(toKind)) {
      throw new BlastmapError('INVALID_INPUT', `1 problem in the input; nothing was imported: a ${name} edge cannot join a ${fromKind} to a ${toKind}`, {
        issues: [{ path: `edge ${name}`, message: `${name} cannot join a ${fromKind} to a ${toKind}`, expected: `a ${spec.from.join(' or ')} node to a ${spec.to.join(' or ')} node` }],
      });
    }
  }

  const activeFrom = new Float64Array(n2);
  const activeUntil = new Float64Array(n2);
  activeFrom.set(view.activeFrom);
  activeUntil.set(view.activeUntil);
  const nodeAt = (i: number): GraphNode => changedNode.get(i) ?? (i < n ? view.node(i) : newNodes[i - n]!);
  for (let i = 0; i < n2; i++) if (touched[i] === 1) [activeFrom[i], activeUntil[i]] = activeWindow(nodeAt(i));
  renewWindowsFrom(schema, touched, insertions, nodeAt, { edgeSrc, edgeDst, edgeKind, fwdOffsets, activeFrom, activeUntil });

  return {
    patched: true,
    columns: { n2, fwdOffsets, edgeSrc, edgeDst, edgeKind, nodeKind, activeFrom, activeUntil, idSlots: ids.slots, attrEntries, touched, nodeAt, inserted: Uint32Array.from(insertions, (ins, j) => ins.pos + j) },
    report: {
      files: batch.length, nodesBefore: n, edgesBefore: m, nodes: n2, edges: m2,
      nodesImported: batch.reduce((s, b) => s + b.fragment.nodes.length, 0),
      edgesImported: batch.reduce((s, b) => s + b.fragment.edges.length, 0),
      redactions: batch.reduce((s, b) => s + b.redactions, 0),
      warnings: [],
      links: { resolved: 0, unresolved: [] },
    },
  };
}

/**
 * The graph `assembleGraph(batch, graph)` builds, made by patching the columns of a graph already in memory (the
 * review gate merges a proposal into a million-node graph this way). Old nodes keep their indices and node records;
 * the columns are copied, never changed. Returns the reason instead when patchSnapshot would rebuild (stubs, scoped
 * delegations, an id table that must grow), or when the graph's id lookup is not a slot table; the caller then
 * assembles. Throws what assembleGraph throws for an invalid batch.
 */
export function patchGraph(graph: CompactGraph, batch: readonly SourcedFragment[]): { graph: CompactGraph } | { reason: string } {
  const nodes = graph.nodes;
  const index = graph.indexOf;
  const idSlots = index instanceof IdIndex || index instanceof IdTable ? index.slotTable(nodes) : undefined;
  if (!idSlots) return { reason: 'the graph\'s id lookup is not a slot table' };
  const attrEntries: [number, EdgeAttrs][] = [];
  for (let e = 0; e < graph.edgeCount; e++) {
    const attrs = graph.edgeAttrs[e];
    if (attrs) attrEntries.push([e, attrs]);
  }
  const view: SnapshotView = {
    schema: graph.schema, nodeCount: graph.nodeCount, edgeCount: graph.edgeCount, fwdOffsets: graph.fwdOffsets, edgeSrc: graph.edgeSrc,
    edgeDst: graph.edgeDst, edgeKind: graph.edgeKind, nodeKind: graph.nodeKind, activeFrom: graph.activeFrom, activeUntil: graph.activeUntil,
    idSlots, attrEntries, regularChunks: true, nodeChunkCount: 0,
    nodeChunk: () => { throw new Error('engine/store: a graph in memory has no encoded node chunks'); },
    node: (i) => nodes[i]!,
    // patchColumns asks this only for the stub marker: a stub's tenant is `*`.
    nodeBytesContain: (needle) => (needle === '"tenant":"*"' ? nodes.some((node) => node.tenant === '*') : nodes.some((node) => JSON.stringify(node).includes(needle))),
  };
  const patch = patchColumns(view, batch);
  if (!patch.patched) return { reason: patch.reason };
  const { columns } = patch;
  const { n2, touched, nodeAt } = columns;
  const merged: GraphNode[] = nodes.slice();
  for (let i = 0; i < n2; i++) if (touched[i] === 1) merged[i] = nodeAt(i);
  const indexOf = IdIndex.fromSlots(merged, columns.idSlots);
  if (!indexOf) return { reason: 'the patched id table does not match the nodes' };
  const m2 = columns.edgeSrc.length;
  const edgeAttrs: (EdgeAttrs | undefined)[] = new Array(m2);
  const conditioned: number[] = [];
  for (const [e, attrs] of columns.attrEntries) {
    edgeAttrs[e] = attrs;
    if (attrs.conditions?.length) conditioned.push(e);
  }
  const { revOffsets, revEdges } = patchedReverseIndex(graph, columns);
  return {
    graph: graphFromColumns({
      schema: graph.schema, nodes: merged, indexOf, nodeKind: columns.nodeKind, activeFrom: columns.activeFrom, activeUntil: columns.activeUntil,
      fwdOffsets: columns.fwdOffsets, edgeSrc: columns.edgeSrc, edgeDst: columns.edgeDst, edgeKind: columns.edgeKind, revOffsets, revEdges,
      edgeAttrs, conditionedEdges: Uint32Array.from(conditioned),
    }),
  };
}

/**
 * The reverse index of the patched edge columns (`reverseIndex(n2, edgeDst)`), made from the graph's own: an old
 * edge keeps its target and moves by the insertions before it, which keeps each target's list ascending, and an
 * inserted edge joins its target's list in index order. Copies the old lists (as blocks when no insertion moved an
 * old edge) instead of scattering all edges again: at 8M edges, one pass of reads in order instead of 8M random
 * writes.
 */
export function patchedReverseIndex(graph: Pick<CompactGraph, 'nodeCount' | 'edgeCount' | 'revOffsets' | 'revEdges'>, columns: Pick<PatchedColumns, 'n2' | 'edgeDst' | 'inserted'>): { revOffsets: Uint32Array; revEdges: Uint32Array } {
  const { n2, edgeDst, inserted } = columns;
  const n = graph.nodeCount;
  const m = graph.edgeCount;
  const { revOffsets: oldOffsets, revEdges: oldEdges } = graph;
  const k = inserted.length;
  // Old edge e is edge e + (insertions at positions <= e); an insertion's position is its new index less those before it.
  const positions = Uint32Array.from(inserted, (e, j) => e - j);
  const shifted = k > 0 && positions[0]! < m;
  const moved = (e: number): number => {
    let lo = 0;
    let hi = k;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (positions[mid]! <= e) lo = mid + 1; else hi = mid;
    }
    return e + lo;
  };
  // Inserted edges by target, then index.
  const byTarget = Array.from(inserted).sort((a, b) => edgeDst[a]! - edgeDst[b]! || a - b);
  const revOffsets = new Uint32Array(n2 + 1);
  const revEdges = new Uint32Array(m + k);
  const oldStart = (v: number): number => (v <= n ? oldOffsets[v]! : m);
  let out = 0;
  /** Copies the old lists of targets [from, to) to `out`. */
  const copyOld = (from: number, to: number): void => {
    if (from >= to) return;
    const start = oldStart(from);
    const end = oldStart(to);
    if (!shifted) revEdges.set(oldEdges.subarray(start, end), out);
    else for (let r = start; r < end; r++) revEdges[out + r - start] = moved(oldEdges[r]!);
    out += end - start;
  };
  let v = 0;
  let added = 0;
  let copiedTo = 0;
  for (let j = 0; j < k;) {
    const target = edgeDst[byTarget[j]!]!;
    // Targets before this one: their offsets move by the insertions into earlier targets.
    for (; v <= target; v++) revOffsets[v] = oldStart(v) + added;
    copyOld(copiedTo, target);
    let end = j;
    while (end < k && edgeDst[byTarget[end]!] === target) end++;
    // Merge the target's old list (moved) with its inserted edges, both ascending.
    let r = oldStart(target);
    const rEnd = oldStart(target + 1);
    let i = j;
    while (r < rEnd || i < end) {
      const old = r < rEnd ? (shifted ? moved(oldEdges[r]!) : oldEdges[r]!) : Infinity;
      const fresh = i < end ? byTarget[i]! : Infinity;
      if (old < fresh) { revEdges[out++] = old; r++; } else { revEdges[out++] = fresh; i++; }
    }
    added += end - j;
    copiedTo = target + 1;
    j = end;
  }
  for (; v <= n2; v++) revOffsets[v] = oldStart(v) + added;
  copyOld(copiedTo, n2);
  return { revOffsets, revEdges };
}

/** Whether walking own-authority edges backwards from `seeds` meets the principal of a scoped delegation. */
function reachesDelegation(view: SnapshotView, seeds: readonly number[], own: Uint8Array, scopedCode: number): boolean {
  const n = view.nodeCount;
  const principal = new Uint8Array(n);
  for (let e = 0; e < view.edgeCount; e++) if (view.edgeKind[e] === scopedCode) principal[view.edgeDst[e]!] = 1;
  // Edges into each node, own-authority kinds only.
  const offsets = new Uint32Array(n + 1);
  for (let e = 0; e < view.edgeCount; e++) if (own[view.edgeKind[e]!] === 1) offsets[view.edgeDst[e]! + 1]!++;
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const cursor = offsets.slice(0, n);
  const sources = new Uint32Array(offsets[n]!);
  for (let e = 0; e < view.edgeCount; e++) if (own[view.edgeKind[e]!] === 1) sources[cursor[view.edgeDst[e]!]!++] = view.edgeSrc[e]!;
  const seen = new Uint8Array(n);
  const queue = [...seeds];
  for (const s of seeds) seen[s] = 1;
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    if (principal[v] === 1) return true;
    for (let s = offsets[v]!, end = offsets[v + 1]!; s < end; s++) {
      const u = sources[s]!;
      if (seen[u] === 0) { seen[u] = 1; queue.push(u); }
    }
  }
  return false;
}

interface WindowColumns {
  edgeSrc: Uint32Array;
  edgeDst: Uint32Array;
  edgeKind: Uint8Array;
  fwdOffsets: Uint32Array;
  activeFrom: Float64Array;
  activeUntil: Float64Array;
}

/**
 * compileColumns's renewMintedWindows, limited to the credentials downstream (along `renews` edges) of a
 * changed node or a new renewing edge: their windows are computed again from their own records and the final
 * windows of what mints them. Renewal only ever extends a window and its condition only gets easier as windows
 * grow, so any order of passes settles on the one result a full compile reaches.
 */
function renewWindowsFrom(schema: SnapshotView['schema'], touched: Uint8Array, insertions: readonly Insertion[], nodeAt: (i: number) => GraphNode, columns: WindowColumns): void {
  const renewing = Object.values(schema.edgeKinds).map((spec) => spec.renews === true);
  if (!renewing.includes(true)) return;
  const { edgeSrc, edgeDst, edgeKind, fwdOffsets, activeFrom, activeUntil } = columns;
  const n = activeFrom.length;
  const downstream = new Uint8Array(n);
  const queue: number[] = [];
  const visit = (v: number): void => { if (downstream[v] === 0) { downstream[v] = 1; queue.push(v); } };
  for (let i = 0; i < n; i++) if (touched[i] === 1) visit(i);
  for (const ins of insertions) if (renewing[ins.kind]) visit(ins.dst);
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head]!;
    for (let e = fwdOffsets[u]!, end = fwdOffsets[u + 1]!; e < end; e++) if (renewing[edgeKind[e]!]) visit(edgeDst[e]!);
  }
  const minted: number[] = [];
  for (let e = 0; e < edgeKind.length; e++) {
    if (!renewing[edgeKind[e]!] || downstream[edgeDst[e]!] === 0) continue;
    const node = nodeAt(edgeDst[e]!);
    if (node.revoked !== true && node.enabled !== false) minted.push(e);
  }
  if (minted.length === 0) return;
  // Back to each credential's own window before renewing again (a revocation may have shortened a family).
  for (const v of queue) if (touched[v] === 0) activeUntil[v] = activeWindow(nodeAt(v))[1];
  for (let pass = 0, changed = true; changed && pass <= minted.length; pass++) {
    changed = false;
    for (const e of minted) {
      const r = edgeSrc[e]!;
      const a = edgeDst[e]!;
      if (activeFrom[r]! <= activeUntil[a]! && activeUntil[r]! > activeUntil[a]!) {
        activeUntil[a] = activeUntil[r]!;
        changed = true;
      }
    }
  }
}

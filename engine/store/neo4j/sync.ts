// Importing into Neo4j so that the database stays exact: a newer export of a source replaces what the older export
// of that source put there for the same tenant (what it no longer contains is removed), and everything else, other
// tenants of the same source included, is left as it was.
import { edgeId, type GraphEdge, type GraphNode } from '../../format/native.ts';
import type { SourcedFragment } from '../../format/validate.ts';
import { assembleGraph, type ImportReport } from '../assemble.ts';
import { toFragment } from '../compact.ts';
import { withoutReplacedExports } from '../replace.ts';
import { compileStoredGraph, newRunId, type Neo4jStore, type Sequenced, type WriteOptions, type WriteReport } from './store.ts';

export interface StoreImportOptions {
  /** Start from an empty graph: the database becomes exactly this import. */
  replace?: boolean;
  batchSize?: number;
  onProgress?: WriteOptions['onProgress'];
}

export interface StoreImportResult {
  /** The same report a snapshot import gives (before/after counts, links, redactions). */
  report: ImportReport;
  write: WriteReport;
  /** Sources this import replaced (for the tenants it carries). */
  sources: string[];
}

/** JSON with sorted keys and no undefined values: equal for equal records whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v);
}

/** Sources named by a batch's nodes and edges; items without a source belong to none and are never removed by source. */
export function batchSources(batch: readonly SourcedFragment[]): string[] {
  const sources = new Set<string>();
  for (const { fragment } of batch) {
    for (const item of [...fragment.nodes, ...fragment.edges]) if (item.source !== undefined) sources.add(item.source);
  }
  return [...sources].sort();
}

/**
 * Imports a batch into the database. The graph the database should hold afterwards is computed here: what it
 * holds now minus the data of the exports the batch replaces (its sources, for the tenants it carries), plus the
 * batch (references checked, stubs linked, duplicates merged, exactly as a snapshot import). Then only what
 * differs is written (every item of the replaced exports is stamped with this run), and what the database holds
 * that the new graph does not is removed.
 */
export async function importIntoStore(store: Neo4jStore, batch: readonly SourcedFragment[], options: StoreImportOptions = {}): Promise<StoreImportResult> {
  const sources = batchSources(batch);
  const current = options.replace ? { nodes: [], edges: [] } : await store.readGraph();
  const { kept, carried, replaced } = withoutReplacedExports({ nodes: current.nodes.map(({ item }) => item), edges: current.edges.map(({ item }) => item) }, batch);
  // What the database keeps is held to the same invariant as a loaded snapshot: a forbidden edge is not carried on.
  const base = compileStoredGraph(kept, store.schema, store.connection.uri);
  const carriedFragment: SourcedFragment = {
    fragment: { nodes: [], edges: carried },
    provenance: { file: `${store.connection.uri} (kept)`, nodePaths: [], edgePaths: carried.map((edge) => `edge ${edgeId(edge)}`) },
    redactions: 0,
  };
  const assembled = assembleGraph(carried.length > 0 ? [carriedFragment, ...batch] : batch, base, store.schema);
  const { graph } = assembled;
  const report = { ...assembled.report, files: batch.length, edgesImported: assembled.report.edgesImported - carried.length };
  const next = toFragment(graph);

  const nodeBefore = new Map(current.nodes.map((entry) => [entry.item.id, entry]));
  const edgeBefore = new Map(current.edges.map((entry) => [edgeId(entry.item), entry]));
  // New items go after everything already there, so a pull lists them last, as a snapshot import would.
  let seq = -1;
  for (const entry of [current.nodes, current.edges].flat()) if (Number.isFinite(entry.seq) && entry.seq > seq) seq = entry.seq;
  const toWrite = <T extends GraphNode | GraphEdge>(items: readonly T[], before: Map<string, Sequenced<T>>, keyOf: (item: T) => string): Sequenced<T>[] => {
    const out: Sequenced<T>[] = [];
    for (const item of items) {
      const previous = before.get(keyOf(item));
      const ours = replaced(item);
      if (previous && !ours && canonical(previous.item) === canonical(item)) continue;
      out.push({ item, seq: previous && Number.isFinite(previous.seq) ? previous.seq : ++seq });
    }
    return out;
  };
  const nodes = toWrite(next.nodes, nodeBefore, (node) => node.id);
  const edges = toWrite(next.edges, edgeBefore, edgeId);

  // What the database holds that the new graph does not: the replaced exports' items their newer export no longer
  // has, and other exports' items the import made obsolete (stubs it resolved, edges rewritten to the real node).
  const nextNodes = new Set(next.nodes.map((node) => node.id));
  const nextEdges = new Set(next.edges.map(edgeId));
  const goneNodes = current.nodes.filter(({ item }) => !nextNodes.has(item.id)).map(({ item }) => item.id);
  const goneEdges = current.edges.filter(({ item }) => !nextEdges.has(edgeId(item))).map(({ item }) => item);

  const run = newRunId();
  const write = await store.writeItems(nodes, edges, {
    run,
    batchSize: options.batchSize,
    onProgress: options.onProgress,
    removeStale: options.replace ? 'all' : 'none',
  });
  if (!options.replace) await store.deleteItems(goneNodes, goneEdges, options.batchSize);
  write.nodesRemoved += goneNodes.length;
  write.edgesRemoved += goneEdges.length;
  return {
    report: { ...report, nodesBefore: current.nodes.length, edgesBefore: current.edges.length },
    write,
    sources,
  };
}

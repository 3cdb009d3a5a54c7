// Adding imported fragments to a graph, all or nothing: every file is checked, references are resolved
// across the batch and the existing graph, and only a fully valid batch produces a new graph.
import { BlastmapError, type InputIssue } from '../errors.ts';
import type { Fragment } from '../format/native.ts';
import { checkReferences, mergeFragments, type SourcedFragment } from '../format/validate.ts';
import { DEFAULT_SCHEMA, type Schema } from '../schema/index.ts';
import { buildGraph, toFragment, type CompactGraph } from './compact.ts';
import { describeForbiddenEdge, forbiddenEdges, kindChangeIssues } from './integrity.ts';
import { resolveStubs, type LinkReport } from './link.ts';

export interface ImportReport {
  files: number;
  nodesBefore: number;
  edgesBefore: number;
  nodes: number;
  edges: number;
  /** Nodes and edges in the batch (before merging duplicates). */
  nodesImported: number;
  edgesImported: number;
  /** Secret-shaped values that were redacted on the way in. */
  redactions: number;
  warnings: InputIssue[];
  /** Cross-platform reference stubs resolved to real nodes, and those still waiting for their platform. */
  links: LinkReport;
}

/**
 * Merges a batch of validated fragments into `existing` (or an empty graph). Throws a BlastmapError
 * carrying every issue when any edge dangles or joins kinds its edge kind does not allow.
 */
export function assembleGraph(batch: readonly SourcedFragment[], existing?: CompactGraph, schema: Schema = existing?.schema ?? DEFAULT_SCHEMA): { graph: CompactGraph; report: ImportReport } {
  const existingKind = (id: string): string | undefined => {
    const v = existing?.indexOf.get(id);
    return v === undefined ? undefined : existing!.nodes[v]!.kind;
  };
  // A node keeps its kind: a batch redeclaring one with another kind is refused before its edges are judged.
  const issues = [...kindChangeIssues(batch, existingKind), ...checkReferences(batch, existingKind, schema)];
  if (issues.length > 0) {
    throw new BlastmapError('INVALID_INPUT', `${issues.length} problem${issues.length === 1 ? '' : 's'} in the input; nothing was imported`, { issues });
  }
  const fragments: Fragment[] = existing ? [toFragment(existing)] : [];
  for (const item of batch) fragments.push(item.fragment);
  // Merge first so duplicate edges collapse, resolve stubs, then merge again: two stubs that resolved to
  // the same node (or a stub edge that duplicates a real one) become one edge.
  const { fragment: linked, report: links } = resolveStubs(mergeFragments(fragments));
  const merged = links.resolved > 0 ? mergeFragments([linked]) : linked;
  const graph = buildGraph(merged, schema);
  refuseForbiddenEdges(graph, batch);
  return {
    graph,
    report: {
      files: batch.length,
      nodesBefore: existing?.nodeCount ?? 0,
      edgesBefore: existing?.edgeCount ?? 0,
      nodes: graph.nodeCount,
      edges: graph.edgeCount,
      nodesImported: batch.reduce((s, b) => s + b.fragment.nodes.length, 0),
      edgesImported: batch.reduce((s, b) => s + b.fragment.edges.length, 0),
      redactions: batch.reduce((s, b) => s + b.redactions, 0),
      warnings: [],
      links,
    },
  };
}

/**
 * The invariant after a merge: nodes the batch declared with a kind the merged graph does not give them (two files
 * of one batch disagreeing) touch no edge the schema forbids. Checking only those nodes keeps a large import cheap.
 */
function refuseForbiddenEdges(graph: CompactGraph, batch: readonly SourcedFragment[]): void {
  const changed = new Set<number>();
  for (const { fragment } of batch) {
    for (const node of fragment.nodes) {
      const v = graph.indexOf.get(node.id);
      if (v !== undefined && graph.nodeKindNames[graph.nodeKind[v]!] !== node.kind) changed.add(v);
    }
  }
  if (changed.size === 0) return;
  const forbidden = forbiddenEdges(graph, changed);
  if (forbidden.length === 0) return;
  const issues: InputIssue[] = forbidden.map((f) => ({ path: '$', message: describeForbiddenEdge(f), expected: `an edge ${f.kind} allows`, found: `${f.nodeKind} ${f.node}` }));
  throw new BlastmapError('INVALID_INPUT', `${issues.length} edge${issues.length === 1 ? '' : 's'} would join kinds the schema forbids; nothing was imported`, { issues });
}

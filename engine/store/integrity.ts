// The graph's integrity invariant: a node keeps the kind it was first imported with, and no stored edge joins
// kinds its edge kind does not allow. Checked when a batch is merged into a graph and when a snapshot is loaded.
import { describeFound, type InputIssue } from '../errors.ts';
import type { SourcedFragment } from '../format/validate.ts';
import type { CompactGraph } from './compact.ts';

/**
 * Nodes of the batch that the graph already holds with another kind. Merging keeps the first kind, so the
 * batch's edges would be checked against a kind the graph does not have (a `CAN_ADMIN` edge into a node the
 * batch calls a Resource and the graph keeps as an App): such a batch is refused as a whole.
 */
export function kindChangeIssues(batch: readonly SourcedFragment[], existingKind: (id: string) => string | undefined): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const { fragment, provenance } of batch) {
    fragment.nodes.forEach((node, index) => {
      const before = existingKind(node.id);
      if (before === undefined || before === node.kind) return;
      issues.push({
        file: provenance.file,
        path: `${provenance.nodePaths[index] ?? `$.nodes[${index}]`}.kind`,
        line: provenance.nodeLines?.[index],
        message: `node ${node.id} is a ${before} in the graph; an import cannot change its kind`,
        expected: `${before}, the node's kind in the graph (re-import with --replace to start over)`,
        found: `${describeFound(node.kind)} for ${describeFound(node.id)}`,
      });
    });
  }
  return issues;
}

/** One stored edge whose endpoints are of kinds its edge kind does not allow. */
export interface ForbiddenEdge {
  edge: number;
  kind: string;
  end: 'from' | 'to';
  node: string;
  nodeKind: string;
}

/** The kind columns of a graph, compiled or still in a snapshot's bytes: what the invariant is checked on. */
export interface KindColumns {
  readonly schema: CompactGraph['schema'];
  readonly edgeKindNames: readonly string[];
  readonly nodeKindNames: readonly string[];
  readonly edgeKind: ArrayLike<number>;
  readonly edgeSrc: ArrayLike<number>;
  readonly edgeDst: ArrayLike<number>;
  readonly nodeKind: ArrayLike<number>;
}

/**
 * A checker over kind columns: check(e) says whether edge e's endpoints are of kinds its edge kind allows, and
 * reports each end that is not. One table lookup per endpoint, no allocation per edge: fast enough for every load.
 */
function edgeChecker(columns: KindColumns, report: (e: number, end: 'from' | 'to', v: number) => void): (e: number) => void {
  const { schema, edgeKindNames, nodeKindNames, edgeKind, edgeSrc, edgeDst, nodeKind } = columns;
  const nodeKinds = nodeKindNames.length;
  // allowed[(edgeKind * nodeKinds + nodeKind) * 2 + end]
  const allowed = new Uint8Array(edgeKindNames.length * nodeKinds * 2);
  edgeKindNames.forEach((name, code) => {
    const spec = schema.edgeKinds[name];
    nodeKindNames.forEach((kind, k) => {
      allowed[(code * nodeKinds + k) * 2] = spec === undefined || spec.from.includes(kind) ? 1 : 0;
      allowed[(code * nodeKinds + k) * 2 + 1] = spec === undefined || spec.to.includes(kind) ? 1 : 0;
    });
  });
  return (e) => {
    const row = edgeKind[e]! * nodeKinds;
    const from = edgeSrc[e]!;
    const to = edgeDst[e]!;
    if (allowed[(row + nodeKind[from]!) * 2] !== 1) report(e, 'from', from);
    if (allowed[(row + nodeKind[to]!) * 2 + 1] !== 1) report(e, 'to', to);
  };
}

/** The first of `edgeCount` edges whose endpoints are of kinds its edge kind does not allow, with that end's node index. */
export function firstForbiddenColumn(columns: KindColumns, edgeCount: number): { edge: number; kind: string; end: 'from' | 'to'; node: number; nodeKind: string } | undefined {
  let found: { edge: number; kind: string; end: 'from' | 'to'; node: number; nodeKind: string } | undefined;
  const check = edgeChecker(columns, (edge, end, node) => {
    found ??= { edge, kind: columns.edgeKindNames[columns.edgeKind[edge]!]!, end, node, nodeKind: columns.nodeKindNames[columns.nodeKind[node]!]! };
  });
  for (let e = 0; e < edgeCount && found === undefined; e++) check(e);
  return found;
}

/**
 * Edges of a compiled graph that join kinds the schema forbids: every edge, or only those touching `nodes`
 * (node indices; after a merge, the nodes whose kind may have changed). At most `limit` are returned.
 */
export function forbiddenEdges(graph: CompactGraph, nodes?: Iterable<number>, limit = 20): ForbiddenEdge[] {
  const found: ForbiddenEdge[] = [];
  const check = edgeChecker(graph, (e, end, v) => {
    found.push({ edge: e, kind: graph.edgeKindNames[graph.edgeKind[e]!]!, end, node: graph.nodes[v]!.id, nodeKind: graph.nodeKindNames[graph.nodeKind[v]!]! });
  });
  if (nodes === undefined) {
    for (let e = 0; e < graph.edgeCount && found.length < limit; e++) check(e);
    return found.slice(0, limit);
  }
  const seen = new Set<number>();
  outer: for (const v of nodes) {
    const edges: number[] = [];
    for (let k = graph.fwdOffsets[v]!; k < graph.fwdOffsets[v + 1]!; k++) edges.push(k);
    for (let k = graph.revOffsets[v]!; k < graph.revOffsets[v + 1]!; k++) edges.push(graph.revEdges[k]!);
    for (const e of edges) {
      if (seen.has(e)) continue;
      seen.add(e);
      check(e);
      if (found.length >= limit) break outer;
    }
  }
  return found.slice(0, limit);
}

export const describeForbiddenEdge = (f: ForbiddenEdge): string =>
  `edge ${f.edge} (${f.kind}) ${f.end === 'from' ? 'starts at' : 'ends at'} ${f.nodeKind} ${f.node}, which ${f.kind} does not allow`;

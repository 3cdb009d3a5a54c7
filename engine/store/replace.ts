// An import is the newest export of each source it carries, for each tenant it carries: it replaces what an older
// export of that source put in the graph for that tenant, so a user who left, a revoked grant or an archived channel
// disappears with the export that no longer lists them. Two Okta orgs or two AWS accounts are two exports of one
// source: importing one leaves the other alone. Items that name no source belong to no export and are never
// replaced. The Neo4j import decides what stays here (a snapshot import merges instead: docs/cli/import.md).
// Known limit: an item is placed by its own tenant, so an item one export writes into another tenant (Entra's
// home-tenant node of a multi-tenant app) is replaced by that other tenant's export.
import type { Fragment, GraphEdge, GraphNode } from '../format/native.ts';
import type { SourcedFragment } from '../format/validate.ts';

/** The export an item came from: its source and its tenant (an edge's tenant is the tenant of its from-node). */
export class ExportScopes {
  private readonly tenants = new Map<string, string>();
  private readonly scopes = new Set<string>();

  constructor(nodeLists: readonly (readonly GraphNode[])[]) {
    for (const nodes of nodeLists) for (const node of nodes) this.tenants.set(node.id, node.tenant);
  }

  private key(item: GraphNode | GraphEdge): string | undefined {
    if (item.source === undefined) return undefined;
    const tenant = 'from' in item ? this.tenants.get(item.from) ?? '' : item.tenant;
    return `${item.source}\u0000${tenant}`;
  }

  add(item: GraphNode | GraphEdge): void {
    const key = this.key(item);
    if (key !== undefined) this.scopes.add(key);
  }

  /** Whether the item belongs to one of the exports added. */
  has(item: GraphNode | GraphEdge): boolean {
    const key = this.key(item);
    return key !== undefined && this.scopes.has(key);
  }

  get size(): number {
    return this.scopes.size;
  }
}

export interface Replacement {
  /** What stays of the current graph: every item the batch's exports do not replace. */
  kept: Fragment;
  /**
   * Kept edges that touch a replaced node the batch brings again: they can only be checked once the batch is in,
   * so they go in with it. An edge to a replaced node the batch no longer has goes with the node.
   */
  carried: GraphEdge[];
  /** Whether an item belongs to an export the batch replaces. */
  replaced: (item: GraphNode | GraphEdge) => boolean;
}

/** What of `current` stays when `batch` is imported as the newest export of each source and tenant it carries. */
export function withoutReplacedExports(current: Fragment, batch: readonly SourcedFragment[]): Replacement {
  const scopes = new ExportScopes([current.nodes, ...batch.map(({ fragment }) => fragment.nodes)]);
  for (const { fragment } of batch) {
    for (const node of fragment.nodes) scopes.add(node);
    for (const edge of fragment.edges) scopes.add(edge);
  }
  const replaced = (item: GraphNode | GraphEdge): boolean => scopes.has(item);
  if (scopes.size === 0) return { kept: current, carried: [], replaced };
  const nodes = current.nodes.filter((node) => !replaced(node));
  const kept = new Set(nodes.map((node) => node.id));
  const incoming = new Set(batch.flatMap(({ fragment }) => fragment.nodes.map((node) => node.id)));
  const edges: GraphEdge[] = [];
  const carried: GraphEdge[] = [];
  for (const edge of current.edges) {
    if (replaced(edge)) continue;
    if (kept.has(edge.from) && kept.has(edge.to)) edges.push(edge);
    else if ((kept.has(edge.from) || incoming.has(edge.from)) && (kept.has(edge.to) || incoming.has(edge.to))) carried.push(edge);
  }
  return { kept: { nodes, edges }, carried, replaced };
}

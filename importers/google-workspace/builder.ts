// A fragment under construction for the Google importers: nodes by id (first definition wins), edges by
// their stable id (scopes unioned), and a deterministic order so the same export always gives the same bytes.
import { edgeId, type Fragment, type GraphEdge, type GraphNode } from '../../engine/format/native.ts';
import { stripUndefined } from '../../engine/format/validate.ts';
import type { ScopeCatalog } from '../common/scopes.ts';

export class FragmentBuilder {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();

  constructor(private readonly source: string) {}

  node(node: GraphNode): string {
    if (this.nodes.has(node.id)) return node.id;
    // id, kind and name first so that saved fragments read naturally
    const { id, kind, name, ...rest } = node;
    this.nodes.set(id, stripUndefined({ id, kind, name, ...rest, source: this.source }));
    return node.id;
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  nameOf(id: string): string {
    return this.nodes.get(id)?.name ?? id;
  }

  edge(edge: GraphEdge): void {
    const key = edgeId(edge);
    const previous = this.edges.get(key);
    if (!previous) { this.edges.set(key, stripUndefined({ ...edge, source: this.source })); return; }
    if (edge.scopes) previous.scopes = [...new Set([...(previous.scopes ?? []), ...edge.scopes])];
    if (edge.conditions === undefined) delete previous.conditions;
    if (previous.assumed && !edge.assumed) delete previous.assumed;
  }

  fragment(): Fragment {
    const ordered = <T>(map: Map<string, T>): T[] => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, value]) => value);
    return { nodes: ordered(this.nodes), edges: ordered(this.edges) };
  }
}

type Primitive = string | number | boolean;

/** Properties without the fields the source left empty (native properties hold primitives only). */
export function definedProperties(record: Record<string, Primitive | Primitive[] | null | undefined>): Record<string, Primitive | Primitive[]> | undefined {
  const out: Record<string, Primitive | Primitive[]> = {};
  for (const [key, value] of Object.entries(record)) if (value !== null && value !== undefined) out[key] = value;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The catalogue with its scope table copied into a null-prototype object, so lookups never hit Object.prototype. */
export function withoutPrototype(catalog: ScopeCatalog): ScopeCatalog {
  return { ...catalog, scopes: Object.assign(Object.create(null) as ScopeCatalog['scopes'], catalog.scopes) };
}

// A fragment under construction for the GitHub importer: nodes and edges keyed by id so the same object seen
// in two files is one node, properties left empty are dropped, and the output order is stable.
import { edgeId, type Fragment, type GraphEdge, type GraphNode } from '../../engine/format/native.ts';

type PropertyValue = string | number | boolean | null | (string | number | boolean | null)[];
/** A node as the transform writes it: optional fields and properties may be undefined (dropped). */
export type NodeDraft = Omit<GraphNode, 'properties'> & { properties?: Record<string, PropertyValue | undefined> };

const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))) as T;

export class FragmentBuilder {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();

  constructor(private readonly source: string) {}

  /** Adds a node, or fills the gaps of the node already there (the first definition wins). */
  node(draft: NodeDraft): string {
    const { properties, ...rest } = draft;
    const clean: GraphNode = defined({ ...rest, source: rest.source ?? this.source });
    const props = properties ? defined(properties) : undefined;
    if (props && Object.keys(props).length > 0) clean.properties = props as GraphNode['properties'];
    const previous = this.nodes.get(clean.id);
    if (!previous) { this.nodes.set(clean.id, clean); return clean.id; }
    for (const [key, value] of Object.entries(clean)) {
      if ((previous as Record<string, unknown>)[key] === undefined) (previous as Record<string, unknown>)[key] = value;
    }
    if (clean.properties) previous.properties = { ...clean.properties, ...previous.properties };
    return clean.id;
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  nameOf(id: string): string {
    return this.nodes.get(id)?.name ?? id;
  }

  /** Adds an edge, or merges it into the same (kind, from, to, grant) edge: scopes and conditions are unioned. */
  edge(edge: GraphEdge): void {
    const clean = defined({ ...edge, source: this.source });
    const key = edgeId(clean);
    const previous = this.edges.get(key);
    if (!previous) { this.edges.set(key, clean); return; }
    if (clean.scopes) previous.scopes = [...new Set([...(previous.scopes ?? []), ...clean.scopes])].sort();
    if (clean.conditions) previous.conditions = [...new Set([...(previous.conditions ?? []), ...clean.conditions])].sort();
    if (clean.assumed) previous.assumed = true;
  }

  fragment(): Fragment {
    const ordered = <T>(map: Map<string, T>): T[] => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, value]) => value);
    return { nodes: ordered(this.nodes), edges: ordered(this.edges) };
  }
}

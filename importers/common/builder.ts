// A fragment under construction, shared by the platform importers: nodes and edges keyed by id so the same
// object seen in two files (or two pages) is one node and the same edge one edge, empty fields dropped, and a
// stable output order so the same export always gives the same graph, byte for byte.
import { edgeId, type Fragment, type GraphEdge, type GraphNode } from '../../engine/format/native.ts';
import type { ScopeCatalog } from './scopes.ts';

type Primitive = string | number | boolean;
type PropertyValue = Primitive | null | (Primitive | null)[];
/** A node as a transform writes it: undefined fields and properties are dropped when it is added. */
export type NodeDraft = Omit<GraphNode, 'properties'> & { properties?: Record<string, PropertyValue | undefined> };

const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))) as T;

export class FragmentBuilder {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();

  constructor(private readonly source: string) {}

  /** Adds a node, or fills the gaps of the node already there (the first definition wins). */
  node(draft: NodeDraft | GraphNode): string {
    const { properties, ...rest } = draft as NodeDraft;
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

  /**
   * Adds an edge, or merges it into the same (kind, from, to, grant) edge. Scopes are unioned. Two routes to
   * the same edge need a control only if both need it (conditions are intersected), and the edge is assumed
   * only if both are (a catalogue-backed scope beats a guessed one).
   */
  edge(edge: GraphEdge): void {
    const clean = defined({ ...edge, source: this.source });
    if (clean.scopes) clean.scopes = [...new Set(clean.scopes)].sort();
    if (clean.conditions) clean.conditions = [...new Set(clean.conditions)].sort();
    const key = edgeId(clean);
    const previous = this.edges.get(key);
    if (!previous) { this.edges.set(key, clean); return; }
    if (clean.scopes) previous.scopes = [...new Set([...(previous.scopes ?? []), ...clean.scopes])].sort();
    if (!clean.conditions || !previous.conditions) delete previous.conditions;
    else previous.conditions = previous.conditions.filter((c) => clean.conditions!.includes(c));
    if (previous.conditions?.length === 0) delete previous.conditions;
    if (!clean.assumed) delete previous.assumed;
  }

  fragment(): Fragment {
    const ordered = <T>(map: Map<string, T>): T[] => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, value]) => value);
    return { nodes: ordered(this.nodes), edges: ordered(this.edges) };
  }
}

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

// Nodes and edges of one AWS import keyed by id, so the same object seen twice (two files, two pages) is one
// node and the same edge one edge; plus the credential-report CSV reader, which needs no library.
import { edgeId, type Fragment, type GraphEdge, type GraphNode } from '../../engine/format/native.ts';

type PropertyValue = string | number | boolean | null | (string | number | boolean | null)[];
/** A node as the transform writes it: undefined fields and properties are dropped when it is added. */
export type NodeDraft = Omit<GraphNode, 'properties'> & { properties?: Record<string, PropertyValue | undefined> };

const defined = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;

export class FragmentBuilder {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();

  constructor(private readonly source: string) {}

  node(draft: NodeDraft): string {
    const { properties, ...rest } = draft;
    const clean: GraphNode = defined({ ...rest, source: this.source });
    if (properties) {
      const props = defined(properties) as Record<string, PropertyValue>;
      if (Object.keys(props).length > 0) clean.properties = props;
    }
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

  edge(edge: GraphEdge): void {
    const clean = defined({ ...edge, source: this.source });
    if (clean.scopes) clean.scopes = [...new Set(clean.scopes)].sort();
    if (clean.conditions) clean.conditions = [...new Set(clean.conditions)].sort();
    if (clean.scopes?.length === 0) delete clean.scopes;
    if (clean.conditions?.length === 0) delete clean.conditions;
    const key = edgeId(clean);
    const previous = this.edges.get(key);
    if (!previous) { this.edges.set(key, clean); return; }
    if (clean.scopes) previous.scopes = [...new Set([...(previous.scopes ?? []), ...clean.scopes])].sort();
    // Two ways to the same edge: it needs a control only if both need one.
    if (!clean.conditions || !previous.conditions) delete previous.conditions;
    else previous.conditions = previous.conditions.filter((c) => clean.conditions!.includes(c));
    if (previous.conditions?.length === 0) delete previous.conditions;
    if (!clean.assumed) delete previous.assumed;
  }

  fragment(): Fragment {
    const nodes = [...this.nodes.values()].sort((a, b) => a.id.localeCompare(b.id));
    const edges = [...this.edges.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, edge]) => edge);
    return { nodes, edges };
  }
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes (doubled) and line breaks. Returns rows with their line. */
export function parseCsv(text: string): { cells: string[]; line: number }[] {
  const rows: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else { if (c === '\n') line++; field += c; }
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') { cells.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      cells.push(field);
      if (cells.some((cell) => cell !== '')) rows.push({ cells, line: rowLine });
      cells = []; field = ''; line++; rowLine = line;
    } else field += c;
  }
  cells.push(field);
  if (cells.some((cell) => cell !== '')) rows.push({ cells, line: rowLine });
  return rows;
}

// The first load of a large graph through Neo4j's offline importer (`neo4j-admin database import full`): the graph
// as CSV files in the importer's header format, generated in chunks of rows (never one string), with the same
// labels, types, properties and markers a push writes. Pure: the caller writes the chunks to files and runs the
// importer (scripts/neo4j/server.ts, cli/neo4j-bulk.ts), then calls finishBulkImport on the started server.
import { BlastmapError } from '../../errors.ts';
import type { Fragment, GraphEdge, GraphNode } from '../../format/native.ts';
import type { Schema } from '../../schema/index.ts';
import { edgeKey } from './codec.ts';
import { kindLiteral, MARKERS, NODE_LABEL } from './cypher.ts';
import type { Neo4jStore } from './store.ts';

/** Separates list elements and labels in a field: a control character no export text carries. */
export const ARRAY_DELIMITER = '\u001f';

/** One CSV file: the header line, then the rows in chunks (each chunk whole lines). */
export interface BulkFile {
  /** File name for the header and for the data (`<name>-header.csv`, `<name>.csv`). */
  name: string;
  role: 'nodes' | 'relationships';
  header: string;
  /** Chunks of complete CSV lines, generated on demand; each call starts again from the first row. */
  chunks: () => Iterable<string>;
}

/** Properties the importer cannot express (empty lists have no element type): set after the server starts. */
export interface BulkFixups {
  nodes: { id: string; props: Record<string, never[]> }[];
  edges: { kind: string; key: string; props: Record<string, never[]> }[];
}

export interface BulkPlan {
  run: string;
  files: BulkFile[];
  fixups: BulkFixups;
  nodes: number;
  edges: number;
}

export interface BulkOptions {
  /** Marker stamped on every item (default: a new run id). */
  run: string;
  /** Rows per chunk (default 2,000). */
  chunkRows?: number;
}

type ColumnType = 'string' | 'double' | 'boolean' | 'string[]' | 'double[]' | 'boolean[]';

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set<string>(Object.values(MARKERS));
const NODE_SKIP = new Set(['id']);
const EDGE_SKIP = new Set(['kind', 'from', 'to']);

/** The importer type of a field value, or 'empty' for an empty list; throws for what a push would refuse too. */
function columnType(where: string, field: string, value: unknown): ColumnType | 'empty' {
  if (!FIELD.test(field)) throw new BlastmapError('INVALID_INPUT', `engine/store/neo4j: ${where} field name ${JSON.stringify(field)} cannot be a CSV column`);
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number' && Number.isFinite(value)) return 'double';
  if (Array.isArray(value)) {
    if (value.length === 0) return 'empty';
    const first = typeof value[0];
    if (value.every((item) => typeof item === first && (first === 'string' || first === 'boolean' || (first === 'number' && Number.isFinite(item))))) {
      return `${first === 'number' ? 'double' : first}[]` as ColumnType;
    }
  }
  throw new BlastmapError('INVALID_INPUT', `engine/store/neo4j: ${where} field ${field} cannot be stored as a Neo4j property (${JSON.stringify(value)})`);
}

const quote = (text: string): string => `"${text.replaceAll('"', '""')}"`;

/** `,` and the cell of one column for a record (empty when the record lacks the field or holds an empty list). */
function cellOf(record: Record<string, unknown>, field: string, type: ColumnType, where: () => string): string {
  const value = field === MARKERS.propertiesJson ? (record.properties === undefined ? undefined : JSON.stringify(record.properties)) : record[field];
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return ',';
  return `,${cell(where, field, type, value)}`;
}

function cell(where: () => string, field: string, type: ColumnType, value: unknown): string {
  switch (type) {
    case 'string':
      return quote(value as string);
    case 'double':
    case 'boolean':
      return String(value);
    case 'string[]': {
      const items = value as string[];
      if (items.some((item) => item.includes(ARRAY_DELIMITER))) {
        throw new BlastmapError('INVALID_INPUT', `engine/store/neo4j: ${where()} field ${field} holds the character U+001F, which the bulk import uses between list elements; push it instead`);
      }
      return quote(items.join(ARRAY_DELIMITER));
    }
    default:
      return (value as unknown[]).map(String).join(ARRAY_DELIMITER);
  }
}

/** Columns of one file: field name and type, in a fixed order. */
type Columns = Map<string, ColumnType>;

/** The fields a record puts in the CSV, as [field, value] pairs (`properties` as its JSON). */
function* fields(record: Record<string, unknown>, skip: ReadonlySet<string>, where?: () => string): Generator<[string, unknown]> {
  for (const field in record) {
    const value = record[field];
    if (value === undefined || skip.has(field)) continue;
    if (where && RESERVED.has(field)) throw new BlastmapError('INVALID_INPUT', `engine/store/neo4j: ${where()} uses the reserved field name ${field}`);
    if (field === 'properties') yield [MARKERS.propertiesJson, JSON.stringify(value)];
    else yield [field, value];
  }
}

/**
 * Places each record in a group (a file) whose columns agree with its field types: one group per kind, more only
 * when a field has two types within a kind. Returns the group of each record and the columns of each group.
 */
function group<T extends Record<string, unknown>>(
  records: readonly T[],
  kindOf: (record: T) => string,
  where: (record: T) => string,
  skip: ReadonlySet<string>,
  onEmpty: (record: T, field: string) => void,
): { of: Uint16Array; groups: { kind: string; columns: Columns }[] } {
  const groups: { kind: string; columns: Columns }[] = [];
  const byKind = new Map<string, number[]>();
  const of = new Uint16Array(records.length);
  records.forEach((record, i) => {
    const kind = kindOf(record);
    const types: [string, ColumnType][] = [];
    for (const [field, value] of fields(record, skip, () => where(record))) {
      const type = columnType(where(record), field, value);
      if (type === 'empty') onEmpty(record, field);
      else types.push([field, type]);
    }
    let candidates = byKind.get(kind);
    if (!candidates) byKind.set(kind, (candidates = []));
    let chosen = candidates.find((g) => types.every(([field, type]) => (groups[g]!.columns.get(field) ?? type) === type));
    if (chosen === undefined) {
      if (groups.length === 0xffff) throw new BlastmapError('INVALID_INPUT', 'engine/store/neo4j: too many field type combinations for a bulk import');
      chosen = groups.length;
      groups.push({ kind, columns: new Map() });
      candidates.push(chosen);
    }
    for (const [field, type] of types) groups[chosen]!.columns.set(field, type);
    of[i] = chosen;
  });
  return { of, groups };
}

const header = (fixed: string[], columns: Columns): string => [...fixed, ...[...columns].map(([field, type]) => `${field}:${type}`)].join(',');

/**
 * The CSV files of a whole graph, as a push would write it: nodes labelled `BlastmapNode` and their kind, edges
 * typed by their kind with their key, every native field as a typed property, `properties` as JSON, the run and
 * position markers. The graph must be consistent (edges between its nodes, one edge per key: a compiled graph's
 * fragment is); the importer refuses a dangling edge and the key constraint a duplicate.
 */
export function planBulkImport(fragment: Fragment, schema: Schema, options: BulkOptions): BulkPlan {
  const { run } = options;
  const chunkRows = options.chunkRows ?? 2_000;
  const fixups: BulkFixups = { nodes: [], edges: [] };
  for (const node of fragment.nodes) kindLiteral(schema, node.kind, 'node');
  for (const edge of fragment.edges) kindLiteral(schema, edge.kind, 'edge');
  const nodes = fragment.nodes as unknown as (GraphNode & Record<string, unknown>)[];
  const edges = fragment.edges as unknown as (GraphEdge & Record<string, unknown>)[];

  const nodeGroups = group(nodes, (node) => node.kind, (node) => `node ${node.id}`, NODE_SKIP, (node, field) => {
    fixups.nodes.push({ id: node.id, props: { [field]: [] } });
  });
  const edgeGroups = group(edges, (edge) => edge.kind, (edge) => `edge ${edgeKey(edge)}`, EDGE_SKIP, (edge, field) => {
    fixups.edges.push({ kind: edge.kind, key: edgeKey(edge), props: { [field]: [] } });
  });

  const files: BulkFile[] = [];
  nodeGroups.groups.forEach(({ kind, columns }, g) => {
    files.push({
      name: `nodes-${kind}-${g}`,
      role: 'nodes',
      header: header(['id:ID', ':LABEL'], columns) + `,${MARKERS.importRun}:string,${MARKERS.seq}:double`,
      chunks: function* () {
        const labels = quote(`${NODE_LABEL}${ARRAY_DELIMITER}${kind}`);
        const order = [...columns];
        const tail = `,${quote(run)},`;
        let lines: string[] = [];
        for (let i = 0; i < nodes.length; i++) {
          if (nodeGroups.of[i] !== g) continue;
          const node = nodes[i]!;
          const where = () => `node ${node.id}`;
          let line = `${quote(node.id)},${labels}`;
          for (const [field, type] of order) line += cellOf(node, field, type, where);
          lines.push(`${line}${tail}${i}\n`);
          if (lines.length >= chunkRows) {
            yield lines.join('');
            lines = [];
          }
        }
        if (lines.length > 0) yield lines.join('');
      },
    });
  });
  edgeGroups.groups.forEach(({ kind, columns }, g) => {
    files.push({
      name: `edges-${kind}-${g}`,
      role: 'relationships',
      header: header([':START_ID', ':END_ID', ':TYPE'], columns) + `,${MARKERS.key}:string,${MARKERS.importRun}:string,${MARKERS.seq}:double`,
      chunks: function* () {
        const type = `,${kind}`;
        const order = [...columns];
        const runCell = quote(run);
        let lines: string[] = [];
        for (let i = 0; i < edges.length; i++) {
          if (edgeGroups.of[i] !== g) continue;
          const edge = edges[i]!;
          const key = edgeKey(edge);
          const where = () => `edge ${key}`;
          let line = `${quote(edge.from)},${quote(edge.to)}${type}`;
          for (const [field, columnType] of order) line += cellOf(edge, field, columnType, where);
          lines.push(`${line},${quote(key)},${runCell},${i}\n`);
          if (lines.length >= chunkRows) {
            yield lines.join('');
            lines = [];
          }
        }
        if (lines.length > 0) yield lines.join('');
      },
    });
  });
  return { run, files, fixups, nodes: nodes.length, edges: edges.length };
}

/**
 * The arguments of `neo4j-admin database import full` for these files in `dir` (`/` separated), into `database`:
 * CSV quoting with doubled quotes, fields over several lines allowed, U+001F between list elements and labels,
 * no bad row tolerated (a dangling edge fails the import). It never overwrites: the database must not exist.
 */
export function adminImportArgs(plan: BulkPlan, dir: string, database = 'neo4j'): string[] {
  const args = ['database', 'import', 'full'];
  for (const file of plan.files) {
    args.push(`--${file.role}=${dir}/${file.name}-header.csv,${dir}/${file.name}.csv`);
  }
  args.push('--array-delimiter=U+001F', '--multiline-fields=true', '--bad-tolerance=0', '--skip-bad-relationships=false', database);
  return args;
}

/**
 * After the server started on the imported database: the constraints and indexes (which index the imported
 * data), then the empty lists the CSV could not carry.
 */
export async function finishBulkImport(store: Neo4jStore, plan: BulkPlan, batchSize = 10_000): Promise<void> {
  await store.ensureSchema();
  for (let i = 0; i < plan.fixups.nodes.length; i += batchSize) {
    await store.write(`UNWIND $rows AS row MATCH (n:${NODE_LABEL} {id: row.id}) SET n += row.props`, { rows: plan.fixups.nodes.slice(i, i + batchSize) });
  }
  const byKind = new Map<string, BulkFixups['edges']>();
  for (const fix of plan.fixups.edges) {
    const list = byKind.get(fix.kind);
    if (list) list.push(fix);
    else byKind.set(fix.kind, [fix]);
  }
  for (const [kind, rows] of byKind) {
    const cypher = `UNWIND $rows AS row MATCH ()-[r:${kindLiteral(store.schema, kind, 'edge')} {${MARKERS.key}: row.key}]->() SET r += row.props`;
    for (let i = 0; i < rows.length; i += batchSize) await store.write(cypher, { rows: rows.slice(i, i + batchSize) });
  }
}

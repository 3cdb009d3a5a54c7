// The Neo4j GraphStore: blastmap's graph kept in a Neo4j 5 database (a local server, a shared team server or a
// cluster), written in batched `UNWIND ... MERGE` transactions and read through parameterised queries only.
import neo4j, { type Driver, type Record as Neo4jRecord } from 'neo4j-driver';
import { BlastmapError } from '../../errors.ts';
import type { Fragment, GraphEdge, GraphNode } from '../../format/native.ts';
import { DEFAULT_SCHEMA, type Schema } from '../../schema/index.ts';
import { buildGraph, type CompactGraph } from '../compact.ts';
import { forbiddenEdges } from '../integrity.ts';
import type { ExpandRequest, GraphStore, NodeQuery } from '../types.ts';
import { edgeFromProperties, edgeKey, edgeProperties, nodeFromProperties, nodeProperties } from './codec.ts';
import { dropSchemaStatements, kindLiteral, MARKERS, NODE_LABEL, planned, relTypes, schemaObjects, schemaStatements } from './cypher.ts';
import { newRunId } from './run-id.ts';

export { newRunId };

export interface Neo4jConnection {
  /** `neo4j://host:7687` (routing: clusters and Aura), `bolt://host:7687` (one server), `+s`/`+ssc` for TLS. */
  uri: string;
  user?: string;
  password?: string;
  /** Database name (default: the server's default database). */
  database?: string;
}

/** An item with its position: the order a pull gives back. */
export interface Sequenced<T> {
  item: T;
  seq: number;
}

export interface WriteProgress {
  phase: 'nodes' | 'edges' | 'cleanup';
  done: number;
  total: number;
}

export interface WriteOptions {
  /** Marker stamped on every item written (default: a new run id). */
  run?: string;
  /** Rows per transaction (default 2,000). */
  batchSize?: number;
  /** Write transactions in flight at once (default 4): batches of one phase (nodes, then edges) run in parallel. */
  concurrency?: number;
  /**
   * After writing, remove blastmap items this run did not write: `all` (the database becomes exactly what was
   * written) or nothing (default; an import removes what it replaces by identity, see sync.ts).
   */
  removeStale?: 'all' | 'none';
  onProgress?: (progress: WriteProgress) => void;
}

export interface WriteReport {
  run: string;
  nodesWritten: number;
  edgesWritten: number;
  /** Stale items removed (relationships removed along with their nodes are not counted separately). */
  nodesRemoved: number;
  edgesRemoved: number;
}

export interface SourceStatus {
  source: string | null;
  nodes: number;
  edges: number;
  /** Run id of the latest write of this source's nodes. */
  lastRun: string | null;
}

export interface StoreStatus {
  uri: string;
  database: string;
  server: string;
  edition: string;
  nodes: number;
  edges: number;
  sources: SourceStatus[];
  /** Constraints and indexes of the schema that the database lacks. */
  missingSchema: string[];
}

const DEFAULT_BATCH = 2_000;
const DEFAULT_CONCURRENCY = 4;
const NODE = NODE_LABEL;

/** A fresh run id: sortable by time, unique enough for markers. */
/** The error for a database whose blastmap graph breaks an invariant (another tool or a hand-written query put it there). */
export function inconsistentDatabase(uri: string, reason: string, cause?: unknown): BlastmapError {
  return new BlastmapError('INVALID_INPUT', `neo4j at ${uri}: the blastmap graph in the database is inconsistent: ${reason}`, cause === undefined ? {} : { cause });
}

/** Why an edge `kind` from a `fromKind` node to a `toKind` node breaks the schema, or undefined when it may. */
export function forbiddenEdgeReason(schema: Schema, kind: string, from: string, fromKind: string, to: string, toKind: string): string | undefined {
  const spec = schema.edgeKinds[kind];
  if (spec === undefined) return undefined;
  if (!spec.from.includes(fromKind)) return `the ${kind} edge ${from} -> ${to} starts at ${fromKind} ${from}, which ${kind} does not allow`;
  if (!spec.to.includes(toKind)) return `the ${kind} edge ${from} -> ${to} ends at ${toKind} ${to}, which ${kind} does not allow`;
  return undefined;
}

/**
 * The graph a database holds, compiled and held to the integrity invariant a snapshot load checks
 * (engine/store/integrity.ts): a database edge that joins kinds its edge kind does not allow is refused, never analysed.
 */
export function compileStoredGraph(fragment: Fragment, schema: Schema, uri: string): CompactGraph {
  let graph: CompactGraph;
  try {
    graph = buildGraph(fragment, schema);
  } catch (error) {
    throw inconsistentDatabase(uri, (error as Error).message, error);
  }
  const [first] = forbiddenEdges(graph, undefined, 1);
  if (first !== undefined) {
    const from = graph.nodes[graph.edgeSrc[first.edge]!]!;
    const to = graph.nodes[graph.edgeDst[first.edge]!]!;
    throw inconsistentDatabase(uri, forbiddenEdgeReason(schema, first.kind, from.id, from.kind, to.id, to.kind)!);
  }
  return graph;
}

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

const groupBy = <T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
};

export class Neo4jStore implements GraphStore {
  readonly name = 'neo4j' as const;
  readonly schema: Schema;
  readonly connection: Neo4jConnection;
  private readonly driver: Driver;
  private readonly edgeKinds: string[];

  private constructor(connection: Neo4jConnection, schema: Schema) {
    this.connection = connection;
    this.schema = schema;
    this.edgeKinds = Object.keys(schema.edgeKinds);
    for (const kind of Object.keys(schema.nodeKinds)) kindLiteral(schema, kind, 'node');
    for (const kind of this.edgeKinds) kindLiteral(schema, kind, 'edge');
    const auth = connection.user !== undefined || connection.password !== undefined
      ? neo4j.auth.basic(connection.user ?? 'neo4j', connection.password ?? '')
      : undefined;
    try {
      this.driver = neo4j.driver(connection.uri, auth, { disableLosslessIntegers: true, userAgent: 'blastmap', maxTransactionRetryTime: 15_000 });
    } catch (error) {
      throw new BlastmapError('INVALID_OPTION', `neo4j: ${connection.uri} is not a Neo4j address (${(error as Error).message}); expected e.g. bolt://127.0.0.1:7687 or neo4j+s://host`, { cause: error });
    }
  }

  /** Connects and checks that the server answers (credentials included). */
  static async connect(connection: Neo4jConnection, schema: Schema = DEFAULT_SCHEMA): Promise<Neo4jStore> {
    const store = new Neo4jStore(connection, schema);
    try {
      await store.driver.verifyAuthentication({ database: connection.database });
      await store.read('RETURN 1 AS ok');
    } catch (error) {
      await store.close();
      throw store.failure(error);
    }
    return store;
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  /** A driver error as a BlastmapError naming the server, with a hint for the usual causes. */
  private failure(error: unknown): Error {
    if (error instanceof BlastmapError) return error;
    const err = error as { code?: string; message?: string };
    const message = err.message ?? String(error);
    const hint = err.code === 'ServiceUnavailable' ? ' (is the server running, and the address right?)'
      : err.code === 'Neo.ClientError.Security.Unauthorized' ? ' (check NEO4J_USER and NEO4J_PASSWORD)' : '';
    return new BlastmapError('IO', `neo4j at ${this.connection.uri}: ${message.split('\n')[0]}${hint}`, { cause: error });
  }

  private session(mode: 'READ' | 'WRITE') {
    return this.driver.session({ database: this.connection.database, defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE });
  }

  /** Runs one read query (parameters only) in a managed, retried transaction. */
  async read(cypher: string, params: Record<string, unknown> = {}): Promise<Neo4jRecord[]> {
    const session = this.session('READ');
    try {
      return await session.executeRead(async (tx) => (await tx.run(planned(cypher), params)).records);
    } catch (error) {
      throw this.failure(error);
    } finally {
      await session.close();
    }
  }

  /** Runs one write query (parameters only) in a managed, retried transaction. */
  async write(cypher: string, params: Record<string, unknown> = {}): Promise<Neo4jRecord[]> {
    const session = this.session('WRITE');
    try {
      return await session.executeWrite(async (tx) => (await tx.run(planned(cypher), params)).records);
    } catch (error) {
      throw this.failure(error);
    } finally {
      await session.close();
    }
  }

  /** Streams the records of one read query without holding them all. */
  private async *stream(cypher: string, params: Record<string, unknown> = {}): AsyncGenerator<Neo4jRecord> {
    const session = this.session('READ');
    try {
      for await (const record of session.run(planned(cypher), params)) yield record;
    } catch (error) {
      throw this.failure(error);
    } finally {
      await session.close();
    }
  }

  private readonly procedures = new Map<string, Promise<boolean>>();

  /** Whether the server has this procedure (`SHOW PROCEDURES`; asked once per store). False when it cannot say. */
  hasProcedure(name: string): Promise<boolean> {
    let known = this.procedures.get(name);
    if (!known) {
      known = this.read('SHOW PROCEDURES YIELD name WHERE name = $name RETURN count(*) AS c', { name })
        .then((records) => (records[0]?.get('c') as number) > 0, () => false);
      this.procedures.set(name, known);
    }
    return known;
  }

  // ---- schema ----

  /** Creates the constraints and indexes generated from the schema (idempotent), and waits for them to be online. */
  async ensureSchema(): Promise<void> {
    for (const statement of schemaStatements(this.schema)) await this.write(statement);
    await this.write('CALL db.awaitIndexes(300)');
  }

  async dropSchema(): Promise<void> {
    for (const statement of dropSchemaStatements(this.schema)) await this.write(statement);
  }

  /**
   * The schema's constraints and indexes that the database lacks. Compared by what they cover, not by name:
   * an equivalent constraint created by hand (which makes ours a no-op) counts as present.
   */
  async missingSchema(): Promise<string[]> {
    const present = new Set<string>();
    const covers = (type: string, on: unknown, properties: unknown) => `${type}|${JSON.stringify(on)}|${JSON.stringify(properties)}`;
    for (const record of await this.read('SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties RETURN type, labelsOrTypes, properties')) {
      present.add(covers(record.get('type'), record.get('labelsOrTypes'), record.get('properties')));
    }
    for (const record of await this.read('SHOW INDEXES YIELD type, labelsOrTypes, properties RETURN type, labelsOrTypes, properties')) {
      present.add(covers(record.get('type'), record.get('labelsOrTypes'), record.get('properties')));
    }
    return schemaObjects(this.schema).filter((object) => !present.has(covers(object.type, [object.on], [object.property]))).map((object) => object.name);
  }

  // ---- GraphStore ----

  async counts() {
    const [nodes] = await this.read(`MATCH (n:${NODE}) RETURN count(n) AS c`);
    const [edges] = await this.read(`MATCH (:${NODE})-[r]->(:${NODE}) WHERE type(r) IN $kinds RETURN count(r) AS c`, { kinds: this.edgeKinds });
    return { nodes: nodes!.get('c') as number, edges: edges!.get('c') as number };
  }

  async getNodes(ids: readonly string[]) {
    if (ids.length === 0) return [];
    const found = new Map<string, GraphNode>();
    for (const batch of chunks([...new Set(ids)], 10_000)) {
      const records = await this.read(`UNWIND $ids AS id MATCH (n:${NODE} {id: id}) RETURN properties(n) AS p`, { ids: batch });
      for (const record of records) {
        const node = nodeFromProperties(record.get('p'));
        found.set(node.id, node);
      }
    }
    return ids.map((id) => found.get(id));
  }

  async findNodes(query: NodeQuery) {
    const records = await this.read(
      `MATCH (n:${NODE})
       WHERE ($kind IS NULL OR n.kind = $kind) AND ($platform IS NULL OR n.platform = $platform)
         AND ($text IS NULL OR toLower(n.id) CONTAINS $text OR toLower(n.name) CONTAINS $text)
       RETURN properties(n) AS p ORDER BY n.${MARKERS.seq}, n.id
       LIMIT $limit`,
      {
        kind: query.kind ?? null,
        platform: query.platform ?? null,
        text: query.text === undefined ? null : query.text.toLowerCase(),
        limit: neo4j.int(query.limit ?? Number.MAX_SAFE_INTEGER),
      },
    );
    return records.map((record) => nodeFromProperties(record.get('p')));
  }

  async expand(request: ExpandRequest) {
    if (request.ids.length === 0) return [];
    const kinds = request.edgeKinds ?? this.edgeKinds;
    if (kinds.length === 0) return [];
    const pattern = request.direction === 'out' ? `(a)-[r:${relTypes(this.schema, kinds)}]->(b:${NODE})` : `(a)<-[r:${relTypes(this.schema, kinds)}]-(b:${NODE})`;
    const records = await this.read(
      `UNWIND range(0, size($ids) - 1) AS i
       MATCH (a:${NODE} {id: $ids[i]})
       MATCH ${pattern}
       RETURN i, type(r) AS kind, a.id AS a, b.id AS b, properties(r) AS p
       ORDER BY i, r.${MARKERS.seq}, r.${MARKERS.key}`,
      { ids: request.ids },
    );
    return records.map((record) => {
      const [a, b] = [record.get('a') as string, record.get('b') as string];
      return edgeFromProperties(record.get('kind'), request.direction === 'out' ? a : b, request.direction === 'out' ? b : a, record.get('p'));
    });
  }

  async *nodes(): AsyncGenerator<GraphNode> {
    for await (const record of this.stream(`MATCH (n:${NODE}) RETURN properties(n) AS p ORDER BY n.${MARKERS.seq}, n.id`)) {
      yield nodeFromProperties(record.get('p'));
    }
  }

  async *edges(): AsyncGenerator<GraphEdge> {
    for await (const record of this.stream(
      `MATCH (a:${NODE})-[r]->(b:${NODE}) WHERE type(r) IN $kinds
       RETURN type(r) AS kind, a.id AS a, b.id AS b, properties(r) AS p ORDER BY r.${MARKERS.seq}, r.${MARKERS.key}`,
      { kinds: this.edgeKinds },
    )) {
      yield edgeFromProperties(record.get('kind'), record.get('a'), record.get('b'), record.get('p'));
    }
  }

  /** Every node and edge with its position, in pull order (by position, then id). */
  async readGraph(): Promise<{ nodes: Sequenced<GraphNode>[]; edges: Sequenced<GraphEdge>[] }> {
    const nodes: Sequenced<GraphNode>[] = [];
    for await (const record of this.stream(`MATCH (n:${NODE}) RETURN properties(n) AS p`)) {
      const props = record.get('p') as Record<string, unknown>;
      nodes.push({ item: nodeFromProperties(props), seq: Number(props[MARKERS.seq] ?? Infinity) });
    }
    const edges: Sequenced<GraphEdge>[] = [];
    const keys: string[] = [];
    for await (const record of this.stream(
      `MATCH (a:${NODE})-[r]->(b:${NODE}) WHERE type(r) IN $kinds RETURN type(r) AS kind, a.id AS a, b.id AS b, properties(r) AS p`,
      { kinds: this.edgeKinds },
    )) {
      const props = record.get('p') as Record<string, unknown>;
      edges.push({ item: edgeFromProperties(record.get('kind'), record.get('a'), record.get('b'), props), seq: Number(props[MARKERS.seq] ?? Infinity) });
      keys.push(props[MARKERS.key] as string);
    }
    // Sorting here rather than in the database keeps a pull of millions of edges out of the server's heap.
    nodes.sort((x, y) => x.seq - y.seq || (x.item.id < y.item.id ? -1 : x.item.id > y.item.id ? 1 : 0));
    const order = edges.map((_, i) => i).sort((x, y) => edges[x]!.seq - edges[y]!.seq || (keys[x]! < keys[y]! ? -1 : keys[x]! > keys[y]! ? 1 : 0));
    return { nodes, edges: order.map((i) => edges[i]!) };
  }

  /** The whole graph as a native fragment, in the order it was pushed. */
  async pull(): Promise<Fragment> {
    const { nodes, edges } = await this.readGraph();
    return { nodes: nodes.map((n) => n.item), edges: edges.map((e) => e.item) };
  }

  async compile(): Promise<CompactGraph> {
    return compileStoredGraph(await this.pull(), this.schema, this.connection.uri);
  }

  // ---- writes ----

  /**
   * Writes nodes then edges with MERGE on their identity (node id; edge kind and key), replacing their properties,
   * stamping the run marker; then removes stale items as asked. Idempotent: the same write twice leaves the
   * database as one write does.
   */
  async writeItems(nodes: readonly Sequenced<GraphNode>[], edges: readonly Sequenced<GraphEdge>[], options: WriteOptions = {}): Promise<WriteReport> {
    const run = options.run ?? newRunId();
    const batchSize = options.batchSize ?? DEFAULT_BATCH;
    const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
    const report: WriteReport = { run, nodesWritten: 0, edgesWritten: 0, nodesRemoved: 0, edgesRemoved: 0 };
    const nodeQueries = new Map<string, string>();
    const edgeQueries = new Map<string, string>();
    const nodeQuery = (kind: string): string => {
      let query = nodeQueries.get(kind);
      if (!query) nodeQueries.set(kind, (query = this.nodeWriteQuery(kind)));
      return query;
    };
    const edgeQuery = (kind: string): string => {
      let query = edgeQueries.get(kind);
      if (!query) edgeQueries.set(kind, (query = this.edgeWriteQuery(kind)));
      return query;
    };
    // Every node is written before the first edge (an edge's MERGE matches both its nodes). Within each phase the
    // batches are independent (one row per identity), so `concurrency` sessions write them at once; a deadlock
    // between two edge batches touching the same node is a transient error the driver retries.
    await this.inParallel(chunks(nodes, batchSize), concurrency, async (session, batch) => {
      // Grouped by kind inside a batch: a label cannot be a parameter, so each kind has its query.
      await session.executeWrite(async (tx) => {
        for (const [kind, group] of groupBy(batch, ({ item }) => item.kind)) {
          await tx.run(planned(nodeQuery(kind)), { rows: group.map(({ item, seq }) => ({ id: item.id, props: nodeProperties(item, run, seq) })) });
        }
      });
      report.nodesWritten += batch.length;
      options.onProgress?.({ phase: 'nodes', done: report.nodesWritten, total: nodes.length });
    });
    await this.inParallel(chunks(edges, batchSize), concurrency, async (session, batch) => {
      await session.executeWrite(async (tx) => {
        for (const [kind, group] of groupBy(batch, ({ item }) => item.kind)) {
          const rows = group.map(({ item, seq }) => ({ from: item.from, to: item.to, key: edgeKey(item), props: edgeProperties(item, run, seq) }));
          const result = await tx.run(planned(edgeQuery(kind)), { rows });
          const written = result.records[0]!.get('written') as number;
          if (written !== group.length) {
            throw new BlastmapError('INVALID_INPUT', `neo4j: ${group.length - written} ${kind} edge(s) refer to nodes that are not in the database; validate the graph before writing`);
          }
        }
      });
      report.edgesWritten += batch.length;
      options.onProgress?.({ phase: 'edges', done: report.edgesWritten, total: edges.length });
    });
    if (options.removeStale === 'all') {
      const removed = await this.removeStale(run, batchSize, options.onProgress);
      report.nodesRemoved = removed.nodes;
      report.edgesRemoved = removed.edges;
    }
    return report;
  }

  /**
   * Runs `work` on each batch with at most `concurrency` write sessions at once; the first failure stops the rest.
   * A batch that still deadlocks after the driver's retries (two edge batches locking the same busy nodes in turn)
   * is set aside and written after the others, one at a time, where nothing competes for its locks.
   */
  private async inParallel<T>(batches: readonly T[], concurrency: number, work: (session: ReturnType<Neo4jStore['session']>, batch: T) => Promise<void>): Promise<void> {
    let next = 0;
    let failed: unknown;
    const deferred: T[] = [];
    const worker = async (): Promise<void> => {
      const session = this.session('WRITE');
      try {
        while (failed === undefined && next < batches.length) {
          const batch = batches[next++]!;
          try {
            await work(session, batch);
          } catch (error) {
            if (concurrency > 1 && (error as { code?: string }).code === 'Neo.TransientError.Transaction.DeadlockDetected') deferred.push(batch);
            else throw error;
          }
        }
      } catch (error) {
        failed ??= error;
      } finally {
        await session.close();
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
    if (failed === undefined && deferred.length > 0) {
      const session = this.session('WRITE');
      try {
        for (const batch of deferred) await work(session, batch);
      } catch (error) {
        failed = error;
      } finally {
        await session.close();
      }
    }
    if (failed !== undefined) throw this.failure(failed);
  }

  /**
   * MERGE on the node id. A new node takes the properties with `+=` (no index entry is removed and re-added);
   * an existing one gets them with `=`, which also drops the fields a newer export no longer has. The kind's
   * label is set and any other kind's label removed. Labels are schema literals; data is in `$rows` only.
   */
  private nodeWriteQuery(kind: string): string {
    const label = kindLiteral(this.schema, kind, 'node');
    const others = Object.keys(this.schema.nodeKinds).filter((other) => other !== kind).map((other) => kindLiteral(this.schema, other, 'node'));
    return `UNWIND $rows AS row MERGE (n:${NODE} {id: row.id})
      ON CREATE SET n += row.props ON MATCH SET n = row.props
      SET n:${label}${others.length > 0 ? ` REMOVE n:${others.join(':')}` : ''}`;
  }

  /** MERGE on the edge kind and key between its two nodes, properties as for nodes. */
  private edgeWriteQuery(kind: string): string {
    return `UNWIND $rows AS row MATCH (a:${NODE} {id: row.from}) MATCH (b:${NODE} {id: row.to})
      MERGE (a)-[r:${kindLiteral(this.schema, kind, 'edge')} {${MARKERS.key}: row.key}]->(b)
      ON CREATE SET r += row.props ON MATCH SET r = row.props
      RETURN count(*) AS written`;
  }

  /** Pushes a whole graph: the database becomes exactly this graph, in this order. */
  async push(fragment: Fragment, options: Omit<WriteOptions, 'removeStale'> = {}): Promise<WriteReport> {
    return this.writeItems(
      fragment.nodes.map((item, seq) => ({ item, seq })),
      fragment.edges.map((item, seq) => ({ item, seq })),
      { ...options, removeStale: 'all' },
    );
  }

  /**
   * Removes every blastmap node and edge whose run marker is not `run`. Stale items are found in one read, then
   * deleted by element id in batches, so the work stays linear however many there are.
   */
  async removeStale(run: string, batchSize = DEFAULT_BATCH, onProgress?: (progress: WriteProgress) => void): Promise<{ nodes: number; edges: number }> {
    const params = { run, kinds: this.edgeKinds };
    const staleEdges = (await this.read(
      `MATCH (:${NODE})-[r]->(:${NODE}) WHERE type(r) IN $kinds AND coalesce(r.${MARKERS.importRun}, '') <> $run
       RETURN elementId(r) AS e`,
      params,
    )).map((record) => record.get('e') as string);
    const staleNodes = (await this.read(
      `MATCH (n:${NODE}) WHERE coalesce(n.${MARKERS.importRun}, '') <> $run RETURN elementId(n) AS e`,
      params,
    )).map((record) => record.get('e') as string);
    const total = staleEdges.length + staleNodes.length;
    let done = 0;
    for (const batch of chunks(staleEdges, batchSize)) {
      await this.write('UNWIND $ids AS e MATCH ()-[r]->() WHERE elementId(r) = e DELETE r', { ids: batch });
      done += batch.length;
      onProgress?.({ phase: 'cleanup', done, total });
    }
    for (const batch of chunks(staleNodes, batchSize)) {
      await this.write(`UNWIND $ids AS e MATCH (n:${NODE}) WHERE elementId(n) = e DETACH DELETE n`, { ids: batch });
      done += batch.length;
      onProgress?.({ phase: 'cleanup', done, total });
    }
    return { nodes: staleNodes.length, edges: staleEdges.length };
  }

  /** Deletes these nodes (with their relationships) and edges, whatever their markers. */
  async deleteItems(nodeIds: readonly string[], edges: readonly GraphEdge[], batchSize = DEFAULT_BATCH): Promise<void> {
    for (const [kind, group] of groupBy(edges, (e) => e.kind)) {
      const cypher = `UNWIND $rows AS row MATCH (a:${NODE} {id: row.from})-[r:${kindLiteral(this.schema, kind, 'edge')} {${MARKERS.key}: row.key}]->(:${NODE} {id: row.to}) DELETE r`;
      for (const batch of chunks(group, batchSize)) await this.write(cypher, { rows: batch.map((edge) => ({ from: edge.from, to: edge.to, key: edgeKey(edge) })) });
    }
    for (const batch of chunks(nodeIds, batchSize)) await this.write(`UNWIND $ids AS id MATCH (n:${NODE} {id: id}) DETACH DELETE n`, { ids: batch });
  }

  /** Removes every blastmap node and edge (and nothing else the database holds); returns the number of nodes removed. */
  async clear(batchSize = 10_000): Promise<number> {
    let removed = 0;
    for (;;) {
      const [record] = await this.write(`MATCH (n:${NODE}) WITH n LIMIT $batch DETACH DELETE n RETURN count(*) AS c`, { batch: neo4j.int(batchSize) });
      const count = record!.get('c') as number;
      removed += count;
      if (count === 0) return removed;
    }
  }

  async status(): Promise<StoreStatus> {
    const [server] = await this.read('CALL dbms.components() YIELD name, versions, edition RETURN versions[0] AS version, edition');
    const counts = await this.counts();
    const nodeRows = await this.read(`MATCH (n:${NODE}) RETURN n.source AS source, count(*) AS c, max(n.${MARKERS.importRun}) AS run`);
    const edgeRows = await this.read(`MATCH (:${NODE})-[r]->(:${NODE}) WHERE type(r) IN $kinds RETURN r.source AS source, count(*) AS c`, { kinds: this.edgeKinds });
    const bySource = new Map<string | null, SourceStatus>();
    const entry = (source: string | null) => {
      let status = bySource.get(source);
      if (!status) bySource.set(source, (status = { source, nodes: 0, edges: 0, lastRun: null }));
      return status;
    };
    for (const row of nodeRows) Object.assign(entry(row.get('source')), { nodes: row.get('c'), lastRun: row.get('run') });
    for (const row of edgeRows) entry(row.get('source')).edges = row.get('c');
    const [database] = await this.read('CALL db.info() YIELD name RETURN name');
    return {
      uri: this.connection.uri,
      database: database!.get('name') as string,
      server: server!.get('version') as string,
      edition: server!.get('edition') as string,
      ...counts,
      sources: [...bySource.values()].sort((a, b) => (a.source ?? '').localeCompare(b.source ?? '')),
      missingSchema: await this.missingSchema(),
    };
  }
}

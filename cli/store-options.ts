// Where a command's graph lives: `--store memory` (a snapshot or native files, the default) or `--store neo4j`
// (a Neo4j database named by NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE or the --neo4j-* flags).
import type { Command } from 'commander';
import { BlastmapError } from '../engine/errors.ts';
import type { BlastRadius } from '../engine/analysis/radius.ts';
import type { ReachOptions } from '../engine/analysis/reach.ts';
import type { SourcedFragment } from '../engine/format/validate.ts';
import type { Neo4jConnection, Neo4jStore, WriteProgress } from '../engine/store/neo4j/index.ts';
import { json, preloadGraph, progressBar, type Io } from './context.ts';

export const STORES = ['memory', 'neo4j'] as const;
export type StoreKind = (typeof STORES)[number];

export interface ConnectionFlags {
  neo4jUri?: string;
  neo4jUser?: string;
  neo4jPassword?: string;
  neo4jDatabase?: string;
}

export interface StoreFlags extends ConnectionFlags {
  store?: string;
  graph?: string;
}

/** The --neo4j-* options, for commands that always talk to Neo4j (`blastmap neo4j ...`). */
export function addConnectionOptions(command: Command): Command {
  return command
    .option('--neo4j-uri <uri>', 'Neo4j address, e.g. bolt://127.0.0.1:7687 or neo4j+s://host (default $NEO4J_URI)')
    .option('--neo4j-user <user>', 'Neo4j user (default $NEO4J_USER, else neo4j)')
    .option('--neo4j-password <password>', 'Neo4j password (default $NEO4J_PASSWORD; prefer the variable: flags show in the process list)')
    .option('--neo4j-database <name>', 'Neo4j database (default $NEO4J_DATABASE, else the server default)');
}

/** --store plus the connection options. */
export function addStoreOptions(command: Command): Command {
  return addConnectionOptions(command.option('--store <store>', 'where the graph lives: memory (snapshot or files) or neo4j (default $BLASTMAP_STORE, else memory)'));
}

export function storeKind(flags: StoreFlags, env: NodeJS.ProcessEnv = process.env): StoreKind {
  const value = flags.store ?? env.BLASTMAP_STORE ?? 'memory';
  if (!(STORES as readonly string[]).includes(value)) throw new BlastmapError('INVALID_OPTION', `--store ${value}: expected memory or neo4j`);
  return value as StoreKind;
}

export function neo4jConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): Neo4jConnection {
  const uri = flags.neo4jUri ?? env.NEO4J_URI;
  if (!uri) throw new BlastmapError('INVALID_OPTION', 'no Neo4j address: set NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD) or pass --neo4j-uri');
  const connection: Neo4jConnection = { uri };
  const user = flags.neo4jUser ?? env.NEO4J_USER;
  const password = flags.neo4jPassword ?? env.NEO4J_PASSWORD;
  const database = flags.neo4jDatabase ?? env.NEO4J_DATABASE;
  if (user !== undefined) connection.user = user;
  if (password !== undefined) connection.password = password;
  if (database !== undefined) connection.database = database;
  return connection;
}

/** Connects, runs `work`, and always closes the connection. */
export async function withNeo4jStore<T>(flags: ConnectionFlags, work: (store: Neo4jStore) => Promise<T>): Promise<T> {
  // neo4j-driver loads only when a command uses the store: it would double every command's start-up time.
  const { Neo4jStore } = await import('../engine/store/neo4j/index.ts');
  const store = await Neo4jStore.connect(neo4jConnection(flags));
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function refuseGraphOption(flags: StoreFlags): void {
  if (flags.graph !== undefined) throw new BlastmapError('INVALID_OPTION', '--graph and --store neo4j name two different graphs: choose one');
}

/** `blastmap radius --store neo4j`: node references resolved in the database, the traversal run there hop by hop. */
export async function neo4jRadius(flags: StoreFlags, references: readonly string[], options: ReachOptions): Promise<BlastRadius> {
  refuseGraphOption(flags);
  const { radiusInDatabase, resolveStoreNode } = await import('../engine/store/neo4j/index.ts');
  return withNeo4jStore(flags, async (store) => {
    const sources: string[] = [];
    for (const reference of references) sources.push(await resolveStoreNode(store, reference));
    return radiusInDatabase(store, sources, options);
  });
}

/**
 * `blastmap import ... --store neo4j`: the batch replaces its sources' data in the database (what a newer export
 * no longer has is removed); prints the same summary as a snapshot import, plus what was removed.
 */
export async function neo4jImport(io: Io, flags: StoreFlags & { replace?: boolean }, batch: readonly SourcedFragment[], format: 'text' | 'json' | string, extra: Record<string, unknown> = {}): Promise<void> {
  refuseGraphOption(flags);
  const { importIntoStore } = await import('../engine/store/neo4j/index.ts');
  const result = await withNeo4jStore(flags, async (store) => {
    await store.ensureSchema();
    const progress = writeProgress(io);
    try {
      const imported = await importIntoStore(store, batch, { replace: flags.replace, onProgress: progress.onProgress });
      return { ...imported, uri: store.connection.uri, counts: await store.counts() };
    } finally {
      progress.stop();
    }
  });
  const { report, write, sources, uri, counts } = result;
  if (format === 'json') {
    io.out(json({ store: 'neo4j', uri, ...report, nodes: counts.nodes, edges: counts.edges, sources, write, ...extra }));
    return;
  }
  io.out(`imported ${report.nodesImported} nodes and ${report.edgesImported} edges into ${uri}: now ${counts.nodes} nodes and ${counts.edges} edges (was ${report.nodesBefore} and ${report.edgesBefore})`);
  if (sources.length > 0) {
    io.out(`replaced the data of source${sources.length === 1 ? '' : 's'} ${sources.join(', ')}: wrote ${write.nodesWritten} nodes and ${write.edgesWritten} edges, removed ${write.nodesRemoved} nodes and ${write.edgesRemoved} edges no longer exported`);
  }
  if (report.redactions > 0) io.out(`redacted ${report.redactions} secret-shaped value${report.redactions === 1 ? '' : 's'} found in names or properties`);
}

/** A progress reporter for Neo4j writes: one bar per phase, on a terminal only. */
export function writeProgress(io: Io): { onProgress: (progress: WriteProgress) => void; stop: () => void } {
  let phase: WriteProgress['phase'] | undefined;
  let bar: ReturnType<typeof progressBar> | undefined;
  const labels = { nodes: 'writing nodes', edges: 'writing edges', cleanup: 'removing stale data' };
  return {
    onProgress: (progress) => {
      if (progress.phase !== phase) {
        bar?.stop();
        phase = progress.phase;
        bar = progressBar(io, labels[phase], progress.total);
      }
      bar!.update(progress.done);
    },
    stop: () => bar?.stop(),
  };
}

/** Commands that only read the graph: with --store neo4j they run on the graph pulled from the database. */
const READING_COMMANDS = ['paths', 'plan', 'whatif', 'exposure', 'rank', 'review', 'findings', 'export', 'serve'];

/**
 * Gives every reading command that does not handle --store itself the --store option: with `--store neo4j`, the
 * graph is pulled from Neo4j before the action and the command's own loadGraph() returns it, so the same engine
 * functions run on it. (`radius` runs its traversal in the database instead; `import` writes to it.)
 */
export function attachStoreOptions(program: Command): void {
  for (const command of program.commands) {
    if (!READING_COMMANDS.includes(command.name())) continue;
    if (!command.options.some((option) => option.long === '--graph') || command.options.some((option) => option.long === '--store')) continue;
    addStoreOptions(command);
    let key: string | undefined;
    command.hook('preAction', async (_parent, action) => {
      const flags = action.opts<StoreFlags>();
      if (storeKind(flags) !== 'neo4j') return;
      refuseGraphOption(flags);
      const graph = await withNeo4jStore(flags, (store) => store.compile());
      key = `neo4j:${neo4jConnection(flags).uri}#${Date.now()}`;
      preloadGraph(key, graph);
      action.setOptionValue('graph', key);
    });
    command.hook('postAction', () => {
      if (key !== undefined) preloadGraph(key, undefined);
      key = undefined;
    });
  }
}

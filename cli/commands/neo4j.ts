// `blastmap neo4j push|pull|status|clear|schema|bulk-csv|bulk-finish`: moves the graph between a snapshot and a
// Neo4j database (a push, or a first load through neo4j-admin's offline importer), shows what the database holds,
// and prints the Cypher schema blastmap creates.
import type { Command } from 'commander';
import { BlastmapError } from '../../engine/errors.ts';
import { DEFAULT_SCHEMA } from '../../engine/schema/index.ts';
import { toFragment } from '../../engine/store/compact.ts';
import { adminImportArgs, finishBulkImport, planBulkImport } from '../../engine/store/neo4j/bulk.ts';
import { schemaStatements } from '../../engine/store/neo4j/cypher.ts';
import { newRunId } from '../../engine/store/neo4j/run-id.ts';
import { writeBulkFiles } from '../neo4j-bulk.ts';
import { graphPath, json, parseCount, parseFormat, shownPath, type Io } from '../context.ts';
import { loadGraph } from '../load-graph.ts';
import { withWriteLock, writeSnapshotFile } from '../snapshot-file.ts';
import { addConnectionOptions, withNeo4jStore, writeProgress, type ConnectionFlags } from '../store-options.ts';

interface Neo4jFlags extends ConnectionFlags {
  graph?: string;
  format?: string;
  batchSize?: string;
  concurrency?: string;
  out?: string;
  database?: string;
  yes?: boolean;
  schema?: boolean;
}

export function registerNeo4j(program: Command, io: Io): void {
  const command = program
    .command('neo4j')
    .description('keep the graph in a Neo4j database: push a snapshot to it, pull it back, inspect or clear it (docs/neo4j.md)');

  addConnectionOptions(command
    .command('push')
    .description('write the graph to Neo4j: afterwards the database holds exactly this graph (other data in it is left alone)')
    .option('-g, --graph <snapshot|file|folder>', 'graph to push (default $BLASTMAP_GRAPH or .blastmap/graph.bmap)')
    .option('--batch-size <rows>', 'rows per write transaction', '2000')
    .option('--concurrency <n>', 'write transactions in flight at once', '4')
    .option('-f, --format <format>', 'report format: text or json', 'text'))
    .action(async (flags: Neo4jFlags) => {
      const format = parseFormat(flags.format, ['text', 'json']);
      const batchSize = parseCount('--batch-size', flags.batchSize, 1);
      const concurrency = parseCount('--concurrency', flags.concurrency, 1);
      const graph = await loadGraph(flags.graph);
      const started = Date.now();
      const report = await withNeo4jStore(flags, async (store) => {
        await store.ensureSchema();
        const progress = writeProgress(io);
        try {
          return { ...(await store.push(toFragment(graph), { batchSize, concurrency, onProgress: progress.onProgress })), uri: store.connection.uri };
        } finally {
          progress.stop();
        }
      });
      const seconds = (Date.now() - started) / 1000;
      if (format === 'json') { io.out(json({ ...report, seconds })); return; }
      io.out(`pushed ${report.nodesWritten} nodes and ${report.edgesWritten} edges to ${report.uri} in ${seconds.toFixed(1)} s` +
        (report.nodesRemoved + report.edgesRemoved > 0 ? `; removed ${report.nodesRemoved} nodes and ${report.edgesRemoved} edges no longer in the graph` : ''));
    });

  addConnectionOptions(command
    .command('pull')
    .description('read the graph from Neo4j into a snapshot file (written atomically)')
    .option('-g, --graph <snapshot>', 'snapshot to write (default $BLASTMAP_GRAPH or .blastmap/graph.bmap)')
    .option('-f, --format <format>', 'report format: text or json', 'text'))
    .action(async (flags: Neo4jFlags) => {
      const format = parseFormat(flags.format, ['text', 'json']);
      const target = graphPath(flags.graph);
      const graph = await withNeo4jStore(flags, (store) => store.compile());
      withWriteLock(target, () => writeSnapshotFile(target, graph), { onTakeover: (message) => io.err(shownPath(message)) });
      if (format === 'json') { io.out(json({ graph: shownPath(target), nodes: graph.nodeCount, edges: graph.edgeCount })); return; }
      io.out(`pulled ${graph.nodeCount} nodes and ${graph.edgeCount} edges into ${shownPath(target)}`);
    });

  addConnectionOptions(command
    .command('status')
    .description('server version, what blastmap holds in the database per source, and missing constraints or indexes')
    .option('-f, --format <format>', 'text or json', 'text'))
    .action(async (flags: Neo4jFlags) => {
      const format = parseFormat(flags.format, ['text', 'json']);
      const status = await withNeo4jStore(flags, (store) => store.status());
      if (format === 'json') { io.out(json(status)); return; }
      io.out(`Neo4j ${status.server} ${status.edition} at ${status.uri}, database ${status.database}`);
      io.out(`blastmap graph: ${status.nodes} nodes, ${status.edges} edges`);
      for (const source of status.sources) {
        io.out(`  source ${source.source ?? '(none)'}: ${source.nodes} nodes, ${source.edges} edges${source.lastRun ? `, last written by run ${source.lastRun}` : ''}`);
      }
      io.out(status.missingSchema.length === 0 ? 'schema: every constraint and index is in place'
        : `schema: missing ${status.missingSchema.join(', ')} (created by the next push or import)`);
    });

  addConnectionOptions(command
    .command('clear')
    .description("delete blastmap's nodes and edges from the database (nothing else it holds)")
    .option('--schema', "also drop blastmap's constraints and indexes")
    .option('--yes', 'confirm: without it nothing is deleted'))
    .action(async (flags: Neo4jFlags) => {
      await withNeo4jStore(flags, async (store) => {
        if (!flags.yes) {
          const { nodes, edges } = await store.counts();
          throw new BlastmapError('INVALID_OPTION', `clear would delete ${nodes} nodes and ${edges} edges from ${store.connection.uri}; pass --yes to do it`);
        }
        const removed = await store.clear();
        if (flags.schema) await store.dropSchema();
        io.out(`deleted ${removed} blastmap nodes (and their edges) from ${store.connection.uri}${flags.schema ? ", and blastmap's constraints and indexes" : ''}`);
      });
    });

  command
    .command('bulk-csv')
    .description("write the graph as CSV files for neo4j-admin's offline importer (a first load into an empty database) and print the command to run")
    .option('-g, --graph <snapshot|file|folder>', 'graph to load (default $BLASTMAP_GRAPH or .blastmap/graph.bmap)')
    .requiredOption('-o, --out <folder>', 'folder for the CSV files (the server must be able to read it)')
    .option('--database <name>', 'database neo4j-admin creates', 'neo4j')
    .action(async (flags: Neo4jFlags) => {
      const graph = await loadGraph(flags.graph);
      const plan = planBulkImport(toFragment(graph), graph.schema, { run: newRunId() });
      await writeBulkFiles(plan, flags.out!);
      const args = adminImportArgs(plan, flags.out!.replace(/\/+$/, ''), flags.database);
      io.out(`wrote ${plan.files.length} CSV files (${plan.nodes} nodes, ${plan.edges} edges) to ${flags.out}`);
      io.out('with the server stopped, import them into a new database:');
      io.out(`  neo4j-admin ${args.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`)).join(' ')}`);
      io.out('then start the server and run: blastmap neo4j bulk-finish --graph <the same graph>');
    });

  addConnectionOptions(command
    .command('bulk-finish')
    .description('after a bulk import: create the constraints and indexes, and set the empty lists CSV cannot carry')
    .option('-g, --graph <snapshot|file|folder>', 'the graph that was imported (default $BLASTMAP_GRAPH or .blastmap/graph.bmap)'))
    .action(async (flags: Neo4jFlags) => {
      const graph = await loadGraph(flags.graph);
      const plan = planBulkImport(toFragment(graph), graph.schema, { run: newRunId() });
      await withNeo4jStore(flags, async (store) => {
        await finishBulkImport(store, plan);
        const counts = await store.counts();
        io.out(`${store.connection.uri}: ${counts.nodes} nodes and ${counts.edges} edges, constraints and indexes in place, ${plan.fixups.nodes.length + plan.fixups.edges.length} empty lists set`);
      });
    });

  command
    .command('schema')
    .description('print the Cypher constraints and indexes blastmap creates, generated from the schema (push and import apply them)')
    .action(() => {
      io.out(schemaStatements(DEFAULT_SCHEMA).map((statement) => `${statement};`).join('\n'));
    });
}

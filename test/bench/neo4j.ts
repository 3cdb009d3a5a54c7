// Benchmark of the Neo4j store on synthetic enterprises (engine/generate), in one run per size:
//  - load: the first load through the offline importer (CSV generation, `neo4j-admin database import full`, the
//    constraints and indexes built on the imported data), and, up to --unwind-max nodes, the same graph pushed
//    into an empty server with batched, parallel UNWIND ... MERGE;
//  - push: an incremental write of 1% of the nodes and 1% of the edges (changed fields) into the loaded database;
//  - radius: from --sources Apps (the one with the largest radius is the giant component's), in memory, with the
//    blastmap.reach procedure and with one Cypher query per hop, checked identical.
// Figures go to docs/performance.md. Run: `npm run bench:neo4j [-- --sizes 100000,1000000]`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBulkFiles } from '../../cli/neo4j-bulk.ts';
import { hopsAtLeast, reach } from '../../engine/analysis/reach.ts';
import type { GraphEdge, GraphNode } from '../../engine/format/native.ts';
import { DEFAULT_GENERATION_INSTANT, generateFragment } from '../../engine/generate/enterprise.ts';
import { DEFAULT_SCHEMA } from '../../engine/schema/index.ts';
import { buildGraph, toFragment, type CompactGraph } from '../../engine/store/compact.ts';
import { adminImportArgs, finishBulkImport, Neo4jStore, newRunId, planBulkImport, reachInDatabase, type DatabaseReach, type Sequenced } from '../../engine/store/neo4j/index.ts';
import { processCpuMs, startNeo4jServer } from '../../scripts/neo4j/server.ts';

/** `--name=value` or `--name value`. */
const arg = (name: string, fallback: string): string => {
  const inline = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (inline) return inline.slice(name.length + 3);
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1]! : fallback;
};
const SIZES = arg('sizes', '100000').split(',').map(Number);
const SEED = Number(arg('seed', '1'));
const SOURCES = Number(arg('sources', '5'));
const HEAP = arg('heap', '4g');
const BATCH = Number(arg('batch', '5000'));
const CONCURRENCY = Number(arg('concurrency', '4'));
const UNWIND_MAX = Number(arg('unwind-max', '100000'));
/** Sources whose radius also runs on the Cypher path (it takes seconds each at a million nodes). */
const CYPHER_SOURCES = Number(arg('cypher-sources', '2'));
const JSON_OUT = arg('json', '');
const AT = DEFAULT_GENERATION_INSTANT;

const log = (text: string) => process.stderr.write(`${text}\n`);
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const now = () => performance.now();
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

interface RadiusResult {
  source: string;
  reached: number;
  depth: number;
  memoryMs: number;
  procedureMs: number;
  /** CPU the server and this process spent on the procedure path. */
  procedureServerCpuMs: number;
  procedureClientCpuMs: number;
  procedureIdentical: boolean;
  cypherMs: number | null;
  cypherQueries: number | null;
  cypherIdentical: boolean | null;
}

interface SizeResult {
  nodes: number;
  edges: number;
  csvMs: number;
  csvCpuMs: number;
  importMs: number;
  importCpuMs: number;
  schemaCpuMs: number;
  pushServerCpuMs: number;
  pushClientCpuMs: number;
  unwindServerCpuMs: number | null;
  unwindClientCpuMs: number | null;
  /** Load average (1 minute) when the size started and ended. */
  load: [number, number];
  startMs: number;
  schemaMs: number;
  bulkRowsPerSecond: number;
  unwindMs: number | null;
  unwindRowsPerSecond: number | null;
  pushRows: number;
  pushMs: number;
  radius: RadiusResult[];
}

function sameAsMemory(graph: CompactGraph, result: ReturnType<typeof reach>, inDatabase: DatabaseReach): boolean {
  return inDatabase.level.size === result.order.length
    && result.order.every((u) => inDatabase.level.get(graph.nodes[u]!.id) === result.level[u] && inDatabase.hops.get(graph.nodes[u]!.id) === hopsAtLeast(result, u, result.level[u]!))
    && inDatabase.dormant.size === [...result.dormant.keys()].filter((u) => result.level[u] === 0).length;
}

/** 1% of the nodes and 1% of the edges, each with a changed field, as an incremental export would bring them. */
function onePercent(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): { nodes: Sequenced<GraphNode>[]; edges: Sequenced<GraphEdge>[] } {
  const pick = <T>(items: readonly T[], change: (item: T) => T): Sequenced<T>[] => {
    const out: Sequenced<T>[] = [];
    for (let i = 0; i < items.length; i += 100) out.push({ item: change(items[i]!), seq: i });
    return out;
  };
  return {
    nodes: pick(nodes, (node) => ({ ...node, tags: [...(node.tags ?? []), 'seen-again'] })),
    edges: pick(edges, (edge) => ({ ...edge, reason: `${edge.reason ?? ''} (seen again)` })),
  };
}

const results: SizeResult[] = [];
for (const size of SIZES) {
  log(`\n== ${size} nodes (seed ${SEED})`);
  // What `blastmap neo4j push` writes: the compiled graph's fragment (derived edges included).
  const graph = buildGraph(generateFragment({ nodes: size, seed: SEED }));
  const fragment = toFragment(graph);
  const rows = graph.nodeCount + graph.edgeCount;
  log(`generated ${graph.nodeCount} nodes, ${graph.edgeCount} edges`);

  // First load: CSV, offline import, server start, schema.
  let t = now();
  let c = cpu();
  const plan = planBulkImport(fragment, DEFAULT_SCHEMA, { run: newRunId() });
  const csv = mkdtempSync(join(tmpdir(), 'blastmap-bench-csv-'));
  await writeBulkFiles(plan, csv);
  const csvMs = now() - t;
  const csvCpuMs = cpu() - c;
  log(`CSV: ${plan.files.length} files in ${seconds(csvMs)} s wall, ${seconds(csvCpuMs)} s CPU`);
  t = now();
  const server = await startNeo4jServer({ heap: HEAP, importArgs: adminImportArgs(plan, csv), onLine: (line) => { if (/^IMPORT DONE|^Peak memory/.test(line)) log(`  ${line.trim()}`); } });
  const importMs = server.importMs ?? 0;
  const startMs = now() - t - importMs;
  rmSync(csv, { recursive: true, force: true });
  const importCpuMs = server.importCpuMs ?? NaN;
  log(`neo4j-admin import ${seconds(importMs)} s wall, ${seconds(importCpuMs)} s CPU; server start ${seconds(startMs)} s`);
  const store = await Neo4jStore.connect({ uri: server.uri, user: server.user, password: server.password });
  const serverCpu = () => processCpuMs(server.pid) ?? NaN;
  const entry: SizeResult = {
    nodes: graph.nodeCount, edges: graph.edgeCount, csvMs, csvCpuMs, importMs, importCpuMs, startMs, schemaMs: 0, schemaCpuMs: 0, bulkRowsPerSecond: 0,
    unwindMs: null, unwindRowsPerSecond: null, unwindServerCpuMs: null, unwindClientCpuMs: null, pushRows: 0, pushMs: 0, pushServerCpuMs: 0, pushClientCpuMs: 0,
    load: [loadavg()[0]!, 0], radius: [],
  };
  try {
    t = now();
    let sc = serverCpu();
    await finishBulkImport(store, plan);
    entry.schemaMs = now() - t;
    entry.schemaCpuMs = serverCpu() - sc;
    entry.bulkRowsPerSecond = rows / ((csvMs + importMs + entry.schemaMs) / 1000);
    const counts = await store.counts();
    if (counts.nodes !== graph.nodeCount || counts.edges !== graph.edgeCount) throw new Error(`imported ${JSON.stringify(counts)}, expected ${graph.nodeCount}/${graph.edgeCount}`);
    log(`schema and indexes ${seconds(entry.schemaMs)} s wall, ${seconds(entry.schemaCpuMs)} s server CPU; first load ${Math.round(entry.bulkRowsPerSecond)} rows/s (CSV + import + indexes; server start excluded)`);

    // Radius: memory, procedure, Cypher per hop.
    const apps = graph.nodes.map((node, v) => ({ node, v })).filter(({ node }) => node.kind === 'App').sort((a, b) => (a.node.id < b.node.id ? -1 : 1));
    const count = Math.min(SOURCES, apps.length);
    const picked = Array.from({ length: count }, (_, i) => apps[Math.floor((i * apps.length) / count)]!);
    await reachInDatabase(store, [picked[0]!.node.id], { at: AT, via: 'procedure' }); // warm the JIT and page cache once
    const measured = picked.map(({ node, v }) => {
      const start = now();
      const result = reach(graph, [v], { at: AT });
      return { node, result, memoryMs: now() - start };
    }).sort((a, b) => b.result.order.length - a.result.order.length);
    for (const [i, { node, result, memoryMs }] of measured.entries()) {
      let depth = 0;
      for (const u of result.order) depth = Math.max(depth, hopsAtLeast(result, u, result.level[u]!));
      t = now();
      sc = serverCpu();
      c = cpu();
      const byProcedure = await reachInDatabase(store, [node.id], { at: AT, via: 'procedure' });
      const procedureMs = now() - t;
      const procedureClientCpuMs = cpu() - c;
      const procedureServerCpuMs = serverCpu() - sc;
      const r: RadiusResult = { source: node.id, reached: result.order.length - 1, depth, memoryMs, procedureMs, procedureServerCpuMs, procedureClientCpuMs, procedureIdentical: sameAsMemory(graph, result, byProcedure), cypherMs: null, cypherQueries: null, cypherIdentical: null };
      if (i < CYPHER_SOURCES) {
        t = now();
        const byCypher = await reachInDatabase(store, [node.id], { at: AT, via: 'cypher' });
        r.cypherMs = now() - t;
        r.cypherQueries = byCypher.queries;
        r.cypherIdentical = sameAsMemory(graph, result, byCypher);
      }
      entry.radius.push(r);
      log(`  radius ${node.id}: ${r.reached} reached in ${depth} hops; memory ${memoryMs.toFixed(1)} ms, procedure ${procedureMs.toFixed(0)} ms (CPU: server ${procedureServerCpuMs.toFixed(0)} ms, here ${procedureClientCpuMs.toFixed(0)} ms; identical ${r.procedureIdentical})${r.cypherMs === null ? '' : `, Cypher per hop ${r.cypherMs.toFixed(0)} ms in ${r.cypherQueries} queries (identical ${r.cypherIdentical})`}`);
    }

    // Incremental push of 1% of the graph.
    const change = onePercent(fragment.nodes, fragment.edges);
    entry.pushRows = change.nodes.length + change.edges.length;
    t = now();
    sc = serverCpu();
    c = cpu();
    await store.writeItems(change.nodes, change.edges, { batchSize: BATCH, concurrency: CONCURRENCY });
    entry.pushMs = now() - t;
    entry.pushClientCpuMs = cpu() - c;
    entry.pushServerCpuMs = serverCpu() - sc;
    log(`incremental push of ${entry.pushRows} rows (1% of nodes and edges) in ${seconds(entry.pushMs)} s wall, CPU server ${seconds(entry.pushServerCpuMs)} s, here ${seconds(entry.pushClientCpuMs)} s (batch ${BATCH}, ${CONCURRENCY} in parallel)`);
  } finally {
    await store.close();
    await server.stop();
  }

  // The same first load through UNWIND ... MERGE, into an empty server.
  if (size <= UNWIND_MAX) {
    const empty = await startNeo4jServer({ heap: HEAP, plugin: false });
    const target = await Neo4jStore.connect({ uri: empty.uri, user: empty.user, password: empty.password });
    try {
      await target.ensureSchema();
      t = now();
      const sc = processCpuMs(empty.pid) ?? NaN;
      const c = cpu();
      await target.push(fragment, { batchSize: BATCH, concurrency: CONCURRENCY });
      entry.unwindMs = now() - t;
      entry.unwindClientCpuMs = cpu() - c;
      entry.unwindServerCpuMs = (processCpuMs(empty.pid) ?? NaN) - sc;
      entry.unwindRowsPerSecond = rows / (entry.unwindMs / 1000);
      log(`UNWIND push of the whole graph: ${seconds(entry.unwindMs)} s wall (CPU server ${seconds(entry.unwindServerCpuMs)} s, here ${seconds(entry.unwindClientCpuMs)} s), ${Math.round(entry.unwindRowsPerSecond)} rows/s`);
    } finally {
      await target.close();
      await empty.stop();
    }
  }
  entry.load[1] = loadavg()[0]!;
  results.push(entry);
  if (JSON_OUT) writeFileSync(JSON_OUT, `${JSON.stringify({ seed: SEED, heap: HEAP, batch: BATCH, concurrency: CONCURRENCY, at: AT, results }, null, 2)}\n`);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)]!;
};
const n = (value: number) => Math.round(value).toLocaleString('en-US');
const cpuNote = (wall: number, cpuMs: number) => `${seconds(wall)} s (${seconds(cpuMs)} s CPU)`;
console.log([
  '| graph | load average | first load: CSV + import + indexes, wall (CPU) | rows/s wall | rows/s per CPU second | UNWIND push of the whole graph, wall (CPU server + client) | incremental push of 1%, wall (CPU server + client) | giant radius | memory | procedure, wall (CPU server + client) | Cypher per hop (queries) | identical |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...results.map((r) => {
    const giant = r.radius[0]!;
    const identical = r.radius.every((x) => x.procedureIdentical && x.cypherIdentical !== false);
    const cpuTotal = r.csvCpuMs + r.importCpuMs + r.schemaCpuMs;
    return `| ${n(r.nodes)} nodes, ${n(r.edges)} edges | ${r.load[0].toFixed(0)} to ${r.load[1].toFixed(0)} | ${cpuNote(r.csvMs, r.csvCpuMs)} + ${cpuNote(r.importMs, r.importCpuMs)} + ${cpuNote(r.schemaMs, r.schemaCpuMs)} | ${n(r.bulkRowsPerSecond)} | ${n((r.nodes + r.edges) / (cpuTotal / 1000))} | ${r.unwindMs === null ? 'not run' : `${seconds(r.unwindMs)} s (${seconds(r.unwindServerCpuMs!)} + ${seconds(r.unwindClientCpuMs!)} s), ${n(r.unwindRowsPerSecond!)} rows/s`} | ${n(r.pushRows)} rows: ${seconds(r.pushMs)} s (${seconds(r.pushServerCpuMs)} + ${seconds(r.pushClientCpuMs)} s) | ${n(giant.reached)} nodes, ${giant.depth} hops | ${giant.memoryMs.toFixed(0)} ms | ${giant.procedureMs.toFixed(0)} ms (${giant.procedureServerCpuMs.toFixed(0)} + ${giant.procedureClientCpuMs.toFixed(0)} ms) | ${giant.cypherMs === null ? '—' : `${seconds(giant.cypherMs)} s (${giant.cypherQueries})`} | ${identical ? 'yes' : 'NO'} |`;
  }),
].join('\n'));

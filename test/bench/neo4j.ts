// Benchmark of the Neo4j store on synthetic enterprises (engine/generate): push throughput, pull time, and the blast
// radius computed in the database against the memory store and against the variable-length Cypher query a
// Cartography user would write. Figures go to docs/performance.md. Run: `npm run bench:neo4j [-- --sizes 100000,800000]`.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { hopsAtLeast, reach } from '../../engine/analysis/reach.ts';
import { DEFAULT_GENERATION_INSTANT, generateFragment } from '../../engine/generate/enterprise.ts';
import { DEFAULT_SCHEMA } from '../../engine/schema/index.ts';
import { buildGraph } from '../../engine/store/compact.ts';
import { Neo4jStore, reachInDatabase, relTypes } from '../../engine/store/neo4j/index.ts';
import { startNeo4jServer } from '../../scripts/neo4j/server.ts';

/** `--name=value` or `--name value`. */
const arg = (name: string, fallback: string): string => {
  const inline = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (inline) return inline.slice(name.length + 3);
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1]! : fallback;
};
const SIZES = arg('sizes', '100000,800000').split(',').map(Number);
const SEED = Number(arg('seed', '1'));
const SOURCES = Number(arg('sources', '5'));
const HEAP = arg('heap', '6g');
const BATCH = Number(arg('batch', '5000'));
const CYPHER_TIMEOUT_MS = Number(arg('cypher-timeout', '120000'));
const JSON_OUT = arg('json', '');
const AT = DEFAULT_GENERATION_INSTANT;

/** Bytes under a folder (the database's store files, transaction logs and indexes). */
function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
  }
  return total;
}

const log = (text: string) => process.stderr.write(`${text}\n`);
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const now = () => performance.now();

interface SourceResult {
  source: string;
  reached: number;
  depth: number;
  memoryMs: number;
  databaseMs: number;
  queries: number;
  identical: boolean;
  cypherDepth: number;
  cypherMs: number | null;
  cypherReached: number | null;
}

interface SizeResult {
  nodes: number;
  edges: number;
  buildMs: number;
  pushMs: number;
  rowsPerSecond: number;
  /** Size of the database folder after the push. */
  storeBytes: number;
  pullMs: number;
  sources: SourceResult[];
}

const server = await startNeo4jServer({ heap: HEAP });
log(`Neo4j at ${server.uri} (heap ${HEAP})`);
const store = await Neo4jStore.connect({ uri: server.uri, user: server.user, password: server.password });
const driver = neo4j.driver(server.uri, neo4j.auth.basic(server.user, server.password), { disableLosslessIntegers: true });
const results: SizeResult[] = [];
try {
  await store.ensureSchema();
  const traversable = Object.keys(DEFAULT_SCHEMA.edgeKinds).filter((kind) => DEFAULT_SCHEMA.edgeKinds[kind]!.traversable);
  for (const size of SIZES) {
    log(`\n== ${size} nodes (seed ${SEED})`);
    let t = now();
    const fragment = generateFragment({ nodes: size, seed: SEED });
    const graph = buildGraph(fragment);
    const buildMs = now() - t;
    log(`generated and compiled ${graph.nodeCount} nodes, ${graph.edgeCount} edges in ${seconds(buildMs)} s`);
    await store.clear();
    t = now();
    let lastLogged = 0;
    await store.push(fragment, {
      batchSize: BATCH,
      onProgress: ({ phase, done, total }) => {
        if (now() - lastLogged > 10_000 || done === total) { log(`  push ${phase} ${done}/${total} at ${seconds(now() - t)} s`); lastLogged = now(); }
      },
    });
    const pushMs = now() - t;
    fragment.edges.length = 0; // the compiled graph keeps what the radius needs; free the edge records
    const counts = await store.counts();
    if (counts.nodes !== graph.nodeCount || counts.edges !== graph.edgeCount) throw new Error(`pushed ${JSON.stringify(counts)}, expected ${graph.nodeCount}/${graph.edgeCount}`);
    const storeBytes = folderBytes(server.dataDir);
    log(`pushed in ${seconds(pushMs)} s: ${Math.round((graph.nodeCount + graph.edgeCount) / (pushMs / 1000))} rows/s; database folder ${(storeBytes / 2 ** 20).toFixed(0)} MiB`);

    const apps = graph.nodes.map((node, v) => ({ node, v })).filter(({ node }) => node.kind === 'App').sort((a, b) => (a.node.id < b.node.id ? -1 : 1));
    const picked = Array.from({ length: Math.min(SOURCES, apps.length) }, (_, i) => apps[Math.floor((i * apps.length) / Math.min(SOURCES, apps.length))]!);
    const sources: SourceResult[] = [];
    for (const { node, v } of picked) {
      t = now();
      const result = reach(graph, [v], { at: AT });
      const memoryMs = now() - t;
      let depth = 0;
      for (const u of result.order) depth = Math.max(depth, hopsAtLeast(result, u, result.level[u]!));
      t = now();
      const inDatabase = await reachInDatabase(store, [node.id], { at: AT });
      const databaseMs = now() - t;
      const identical = inDatabase.level.size === result.order.length
        && result.order.every((u) => inDatabase.level.get(graph.nodes[u]!.id) === result.level[u] && inDatabase.hops.get(graph.nodes[u]!.id) === hopsAtLeast(result, u, result.level[u]!))
        && inDatabase.dormant.size === [...result.dormant.keys()].filter((u) => result.level[u] === 0).length;
      // The question asked the usual way: every node within the radius's depth over attack edges, no levels, no time.
      const cypherDepth = Math.max(1, depth);
      const session = driver.session();
      let cypherMs: number | null = null;
      let cypherReached: number | null = null;
      t = now();
      try {
        const records = await session.executeRead((tx) => tx.run(
          `MATCH (a:BlastmapNode {id: $id})-[:${relTypes(DEFAULT_SCHEMA, traversable)}*1..${cypherDepth}]->(n:BlastmapNode) RETURN DISTINCT n.id AS id`,
          { id: node.id },
        ), { timeout: CYPHER_TIMEOUT_MS });
        cypherMs = now() - t;
        cypherReached = records.records.length;
      } catch (error) {
        log(`  cypher for ${node.id}: ${(error as Error).message.split('\n')[0]}`);
      } finally {
        await session.close();
      }
      const entry = { source: node.id, reached: result.order.length - 1, depth, memoryMs, databaseMs, queries: inDatabase.queries, identical, cypherDepth, cypherMs, cypherReached };
      sources.push(entry);
      log(`  ${node.id}: ${entry.reached} reached in ${depth} hops; memory ${memoryMs.toFixed(1)} ms, neo4j ${databaseMs.toFixed(0)} ms (${entry.queries} queries, identical ${identical}); cypher *1..${cypherDepth} ${cypherMs === null ? 'timed out' : `${cypherMs.toFixed(0)} ms, ${cypherReached} nodes`}`);
    }
    const entry = { nodes: graph.nodeCount, edges: graph.edgeCount, buildMs, pushMs, rowsPerSecond: (graph.nodeCount + graph.edgeCount) / (pushMs / 1000), storeBytes, pullMs: 0, sources };
    t = now();
    const pulled = await store.compile();
    entry.pullMs = now() - t;
    log(`pulled ${pulled.nodeCount} nodes, ${pulled.edgeCount} edges in ${seconds(entry.pullMs)} s`);
    results.push(entry);
    // Written after each size, so a long run that fails later keeps what it measured.
    if (JSON_OUT) writeFileSync(JSON_OUT, `${JSON.stringify({ seed: SEED, heap: HEAP, batch: BATCH, at: AT, results }, null, 2)}\n`);
  }
} finally {
  await driver.close();
  await store.close();
  await server.stop();
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)]!;
};
const lines = [
  '| graph | push | push rate | database folder | pull (compile) | radius, memory (median) | radius in Neo4j (median) | frontier queries | same result | Cypher `*1..d` DISTINCT (median) | nodes Cypher returns vs blastmap |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
  ...results.map((r) => {
    const timed = r.sources.filter((s) => s.cypherMs !== null);
    return `| ${r.nodes.toLocaleString('en-US')} nodes, ${r.edges.toLocaleString('en-US')} edges | ${seconds(r.pushMs)} s | ${Math.round(r.rowsPerSecond).toLocaleString('en-US')} rows/s | ${(r.storeBytes / 2 ** 20).toFixed(0)} MiB | ${seconds(r.pullMs)} s | ${median(r.sources.map((s) => s.memoryMs)).toFixed(1)} ms | ${median(r.sources.map((s) => s.databaseMs)).toFixed(0)} ms | ${median(r.sources.map((s) => s.queries))} | ${r.sources.every((s) => s.identical) ? 'yes' : 'NO'} | ${timed.length === r.sources.length ? `${median(timed.map((s) => s.cypherMs!)).toFixed(0)} ms` : `${r.sources.length - timed.length}/${r.sources.length} over ${CYPHER_TIMEOUT_MS / 1000} s`} | ${r.sources.map((s) => `${s.cypherReached ?? '—'} vs ${s.reached}`).join(', ')} |`;
  }),
];
console.log(lines.join('\n'));

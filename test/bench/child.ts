// One benchmark measurement in its own process (started by test/bench/run.ts): import, load, radius, rank,
// exposure or findings. Prints one JSON line with the result as its last line of output.
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MultiDirectedGraph } from 'graphology';
import { bfsFromNode } from 'graphology-traversal';
import { exposureOf } from '../../engine/analysis/exposure.ts';
import { evaluateFindings } from '../../engine/analysis/findings.ts';
import { findingsTextChunks } from '../../engine/report/findings.ts';
import { rankNodes } from '../../engine/analysis/rank.ts';
import { reach } from '../../engine/analysis/reach.ts';
import { scoreOrder } from '../../engine/analysis/score.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { toGraphology } from '../../engine/store/graphology.ts';
import { readSnapshotFile } from '../../cli/snapshot-file.ts';
import { measureEvidenceOverlay, measureLogImport } from './evidence.ts';
import { plainBfs } from './plain-bfs.ts';
import { resetWork, WORK } from '../../engine/analysis/work.ts';

const [task, ...args] = process.argv.slice(2);
const arg = (name: string): string => {
  const i = args.indexOf(`--${name}`);
  if (i < 0 || args[i + 1] === undefined) throw new Error(`bench child: --${name} is required`);
  return args[i + 1]!;
};

const gc = (globalThis as { gc?: () => void }).gc;
const ms = (start: number): number => performance.now() - start;
/** CPU time of this process (all its threads, GC helpers included) since `start`, in ms. */
const cpuMs = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

function memory(): number {
  gc?.();
  gc?.();
  const usage = process.memoryUsage();
  // Typed arrays live outside the JS heap; count them too (external includes arrayBuffers).
  return usage.heapUsed + usage.external;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const rank = (sorted.length - 1) * p;
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * The CLI's own import path, compiled as the installed package runs it (run.ts builds dist/ first): what
 * `blastmap import native <file> --replace` calls, assembleNativeFiles (scrubbing, two threads for a big NDJSON file,
 * the compiled worker) and writeSnapshotFile. From the sources when there is no dist/.
 */
const distCli = join(root, 'dist/cli');
const cli = existsSync(join(distCli, 'native-files.js'))
  ? { ...(await import(join(distCli, 'native-files.js'))) as typeof import('../../cli/native-files.ts'), ...(await import(join(distCli, 'snapshot-file.js'))) as typeof import('../../cli/snapshot-file.ts'), compiled: true }
  : { ...(await import('../../cli/native-files.ts')), ...(await import('../../cli/snapshot-file.ts')), compiled: false };

/** The NDJSON file imported as `blastmap import native` imports it. */
function readNdjson(path: string): CompactGraph {
  return cli.assembleNativeFiles([path]).graph;
}

/** Connectors to measure: evenly spread over the App nodes, in index order (deterministic). */
function pickSources(graph: CompactGraph, count: number): number[] {
  const apps: number[] = [];
  for (let v = 0; v < graph.nodeCount; v++) if (graph.nodes[v]!.kind === 'App') apps.push(v);
  const step = apps.length / count;
  const picked: number[] = [];
  for (let i = 0; i < count && i < apps.length; i++) picked.push(apps[Math.floor(i * step)]!);
  return picked;
}

function taskImport(): object {
  const ndjson = arg('ndjson');
  const snapshot = arg('snapshot');
  const before = memory();
  let start = performance.now();
  let cpu = process.cpuUsage();
  const graph = readNdjson(ndjson);
  const importMs = ms(start);
  const importCpuMs = cpuMs(cpu);
  const heapBytes = memory() - before;
  start = performance.now();
  cpu = process.cpuUsage();
  cli.writeSnapshotFile(snapshot, graph);
  const saveMs = ms(start);
  const saveCpuMs = cpuMs(cpu);
  return {
    nodes: graph.nodeCount, edges: graph.edgeCount, importMs, importCpuMs, edgesPerSecond: graph.edgeCount / (importMs / 1000),
    edgesPerCpuSecond: graph.edgeCount / (importCpuMs / 1000), saveMs, saveCpuMs, snapshotBytes: statSync(snapshot).size, heapBytesAfterImport: heapBytes,
    commandEdgesPerSecond: graph.edgeCount / ((importMs + saveMs) / 1000), compiled: cli.compiled ? 1 : 0,
  };
}

/**
 * `blastmap import native one.ndjson -g <copy of the snapshot>` as a user runs it (the installed package, a fresh
 * process): one new identity and its group membership merged into the big snapshot (the incremental path,
 * engine/store/patch.ts). Wall time, CPU time and peak RSS of the command, from /usr/bin/time when there is one.
 */
function taskIncrement(): object {
  const snapshot = arg('snapshot');
  const copy = `${snapshot}.increment.bmap`;
  const one = `${snapshot}.one.ndjson`;
  copyFileSync(snapshot, copy);
  writeFileSync(one, [
    JSON.stringify({ id: 'okta:globex.okta.com:identity:00u-bench-increment', kind: 'Identity', subtype: 'human', name: 'Bench Increment', platform: 'okta', tenant: 'globex.okta.com', email: 'bench.increment@globex.com' }),
    JSON.stringify({ kind: 'MEMBER_OF', from: 'okta:globex.okta.com:identity:00u-bench-increment', to: 'okta:globex.okta.com:group:00g-all-employees' }),
  ].join('\n'));
  try {
    const command = [join(root, 'bin/blastmap.js'), 'import', 'native', one, '-g', copy, '--format', 'json'];
    const timed = existsSync('/usr/bin/time');
    const start = performance.now();
    const run = timed
      ? spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, ...command], { encoding: 'utf8', env: { ...process.env, BLASTMAP_RUN: cli.compiled ? 'dist' : '' } })
      : spawnSync(process.execPath, command, { encoding: 'utf8', env: { ...process.env, BLASTMAP_RUN: cli.compiled ? 'dist' : '' } });
    const incrementMs = ms(start);
    if (run.status !== 0) throw new Error(`bench: incremental import failed: ${run.stderr}`);
    const report = JSON.parse(run.stdout) as { nodes: number; nodesBefore: number };
    if (report.nodes !== report.nodesBefore + 1) throw new Error(`bench: incremental import added ${report.nodes - report.nodesBefore} nodes, expected 1`);
    const [, user, system, rssKb] = (timed ? run.stderr.trim().split('\n').pop()! : '').split(' ').map(Number);
    return { incrementMs, ...(timed ? { incrementCpuMs: (user! + system!) * 1000, incrementPeakRssBytes: rssKb! * 1024 } : {}) };
  } finally {
    rmSync(copy, { force: true });
    rmSync(one, { force: true });
  }
}

function taskLoad(): object {
  const snapshot = arg('snapshot');
  const at = Date.parse(arg('at'));
  const before = memory();
  const start = performance.now();
  const cpu = process.cpuUsage();
  const graph = readSnapshotFile(snapshot);
  const loadMs = ms(start);
  const loadCpuMs = cpuMs(cpu);
  const loadedBytes = memory() - before;
  // One radius and one ranking pass allocate the per-graph workspaces (state queue, packed edges,
  // closure arrays) that stay with the graph: count them as part of what the graph costs.
  const [source] = pickSources(graph, 1);
  if (source !== undefined) {
    reach(graph, [source], { at });
    rankNodes(graph, { at, kinds: ['App'], top: 1 });
  }
  const heapBytes = memory() - before;
  return { nodes: graph.nodeCount, edges: graph.edgeCount, loadMs, loadCpuMs, loadedBytes, heapBytes, heapBytesPerEdge: heapBytes / graph.edgeCount };
}

function taskRadius(): object {
  const snapshot = arg('snapshot');
  const at = Date.parse(arg('at'));
  const count = Number(arg('sources'));
  const withGraphology = args.includes('--graphology');
  const graph = readSnapshotFile(snapshot);
  const sources = pickSources(graph, count);
  // Warm-up on other nodes: JIT compilation and the first external-memory GC are not part of a query.
  for (let v = 0, done = 0; v < graph.nodeCount && done < 5; v++) {
    if (graph.nodes[v]!.kind === 'Identity') { reach(graph, [v], { at }); plainBfs(graph, v); done++; }
  }
  const rows: { source: number; radiusMs: number; radiusCpuMs: number; reached: number; score: number; bfsMs: number; bfsCpuMs: number; bfsVisited: number; graphologyMs?: number; graphologyVisited?: number; graphologyFullMs?: number; graphologyFullVisited?: number }[] = [];
  for (const source of sources) {
    let start = performance.now();
    let cpu = process.cpuUsage();
    const result = reach(graph, [source], { at });
    const score = scoreOrder(graph, result.level, result.order, [source]);
    const radiusMs = ms(start);
    const radiusCpuMs = cpuMs(cpu);
    start = performance.now();
    cpu = process.cpuUsage();
    const bfsVisited = plainBfs(graph, source);
    const bfsMs = ms(start);
    const bfsCpuMs = cpuMs(cpu);
    rows.push({ source, radiusMs, radiusCpuMs, reached: result.order.length, score, bfsMs, bfsCpuMs, bfsVisited });
  }
  let graphology: object | undefined;
  if (withGraphology) {
    // Same nodes; only the edges a radius may use (traversable kinds): the fair comparison.
    const traversable = new MultiDirectedGraph();
    for (let v = 0; v < graph.nodeCount; v++) traversable.addNode(graph.nodes[v]!.id);
    for (let e = 0; e < graph.edgeCount; e++) {
      if (graph.kindTraversable[graph.edgeKind[e]!] === 1) traversable.addDirectedEdge(graph.nodes[graph.edgeSrc[e]!]!.id, graph.nodes[graph.edgeDst[e]!]!.id, { kind: graph.edgeKindNames[graph.edgeKind[e]!] });
    }
    // The whole graph with every attribute, as blastmap's own graphology view holds it.
    const full = toGraphology(graph);
    for (const row of rows) {
      const id = graph.nodes[row.source]!.id;
      let visited = 0;
      let start = performance.now();
      bfsFromNode(traversable, id, () => { visited++; });
      row.graphologyMs = ms(start);
      row.graphologyVisited = visited;
      visited = 0;
      start = performance.now();
      bfsFromNode(full, id, () => { visited++; });
      row.graphologyFullMs = ms(start);
      row.graphologyFullVisited = visited;
    }
    const ratios = rows.map((row) => row.graphologyMs! / row.radiusMs);
    const fullRatios = rows.map((row) => row.graphologyFullMs! / row.radiusMs);
    graphology = {
      p50Ms: percentile(rows.map((row) => row.graphologyMs!), 0.5),
      fullP50Ms: percentile(rows.map((row) => row.graphologyFullMs!), 0.5),
      speedupMedian: percentile(ratios, 0.5),
      speedupOfMedians: percentile(rows.map((row) => row.graphologyMs!), 0.5) / percentile(rows.map((row) => row.radiusMs), 0.5),
      fullSpeedupMedian: percentile(fullRatios, 0.5),
      fullSpeedupOfMedians: percentile(rows.map((row) => row.graphologyFullMs!), 0.5) / percentile(rows.map((row) => row.radiusMs), 0.5),
    };
  }
  const radius = rows.map((row) => row.radiusMs);
  const bfs = rows.map((row) => row.bfsMs);
  return {
    nodes: graph.nodeCount, edges: graph.edgeCount, sources: rows.length,
    radiusP50Ms: percentile(radius, 0.5), radiusP95Ms: percentile(radius, 0.95),
    radiusCpuP50Ms: percentile(rows.map((row) => row.radiusCpuMs), 0.5), bfsCpuP50Ms: percentile(rows.map((row) => row.bfsCpuMs), 0.5),
    bfsP50Ms: percentile(bfs, 0.5), bfsP95Ms: percentile(bfs, 0.95),
    ratioToBfsP50: percentile(radius, 0.5) / percentile(bfs, 0.5),
    ratioToBfsMedian: percentile(rows.map((row) => row.radiusMs / row.bfsMs), 0.5),
    reachedP50: percentile(rows.map((row) => row.reached), 0.5), reachedMax: Math.max(...rows.map((row) => row.reached)),
    graphology, rows,
  };
}

function taskRank(): object {
  const snapshot = arg('snapshot');
  const at = Date.parse(arg('at'));
  const graph = readSnapshotFile(snapshot);
  let apps = 0;
  for (const node of graph.nodes) if (node.kind === 'App') apps++;
  const start = performance.now();
  const cpu = process.cpuUsage();
  const ranked = rankNodes(graph, { at, kinds: ['App'] });
  const rankMs = ms(start);
  const rankCpuMs = cpuMs(cpu);
  return { nodes: graph.nodeCount, edges: graph.edgeCount, ranked: ranked.length, apps, rankMs, rankCpuMs, top: ranked.slice(0, 3).map((entry) => ({ id: entry.id, score: entry.score, reached: entry.reached })) };
}

/** Crown jewels to measure exposure on: evenly spread over the tagged nodes, in index order (deterministic). */
function pickCrownJewels(graph: CompactGraph, count: number): number[] {
  const jewels: number[] = [];
  for (let v = 0; v < graph.nodeCount; v++) if (graph.nodes[v]!.tags?.includes('crown-jewel')) jewels.push(v);
  const step = jewels.length / count;
  const picked: number[] = [];
  for (let i = 0; i < count && i < jewels.length; i++) picked.push(jewels[Math.floor(i * step)]!);
  return picked;
}

/** `blastmap exposure` on a few crown jewels: who reaches each (the reverse analysis), default kinds. */
function taskExposure(): object {
  const graph = readSnapshotFile(arg('snapshot'));
  const at = Date.parse(arg('at'));
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const exposed: number[] = [];
  const work: number[] = [];
  for (const target of pickCrownJewels(graph, Number(arg('targets')))) {
    resetWork();
    const start = performance.now();
    const cpu = process.cpuUsage();
    const result = exposureOf(graph, target, { at });
    times.push(ms(start));
    cpuTimes.push(cpuMs(cpu));
    exposed.push(result.exposedCount);
    work.push(WORK.edges);
  }
  return { targets: times.length, exposureWorkP50: percentile(work, 0.5), exposureP50Ms: percentile(times, 0.5), exposureMaxMs: Math.max(...times), exposureCpuP50Ms: percentile(cpuTimes, 0.5), exposedP50: percentile(exposed, 0.5), exposedMax: Math.max(...exposed) };
}

/** `blastmap findings` over the whole graph, every rule: the evaluation and the text report (the findings it lists built). */
function taskFindings(): object {
  const graph = readSnapshotFile(arg('snapshot'));
  const at = Date.parse(arg('at'));
  const start = performance.now();
  const cpu = process.cpuUsage();
  resetWork();
  const set = evaluateFindings(graph, { at });
  const work = { findingsEdgeScans: WORK.edges, findingsChecks: WORK.checks };
  let reportChars = 0;
  for (const chunk of findingsTextChunks(set)) reportChars += chunk.length;
  return { findingsMs: ms(start), findingsCpuMs: cpuMs(cpu), findings: set.total, reportChars, ...work };
}

/** `logs --events <n>`: CloudTrail text to the encoded observation store (test/bench/evidence.ts). */
function taskLogs(): object {
  return measureLogImport(Number(arg('events')), ms, cpuMs);
}

/** `evidence --snapshot <file> --at <instant> --events <n>`: the overlay over the riskiest connector's radius. */
function taskEvidence(): object {
  const graph = readSnapshotFile(arg('snapshot'));
  return { nodes: graph.nodeCount, edges: graph.edgeCount, ...measureEvidenceOverlay(graph, Date.parse(arg('at')), Number(arg('events')), ms, cpuMs) };
}

const tasks: Record<string, () => object> = { logs: taskLogs, evidence: taskEvidence, import: taskImport, increment: taskIncrement, load: taskLoad, radius: taskRadius, rank: taskRank, exposure: taskExposure, findings: taskFindings };
const run = task ? tasks[task] : undefined;
if (!run) {
  console.error(`bench child: unknown task ${task}; expected ${Object.keys(tasks).join(', ')}`);
  process.exit(2);
}
const output = run();
if (task === 'import' && args.includes('--discard')) rmSync(arg('snapshot'), { force: true });
process.stdout.write(`${JSON.stringify(output)}\n`);

// `npm run bench`: times the installed command's start-up, then generates synthetic enterprises (100k nodes /
// ~800k edges and 1M / ~8M), then measures import, snapshot save/load, memory, single-source radius against
// plain and graphology BFS, ranking, exposure of crown jewels and findings, each in its own process, three
// times; then every command end to end (test/bench/commands.ts); prints a table, how each time grows with the graph (the linear-time claim: 4x the graph, at most 6x
// the time) and writes bench/results.json. `--quick` for a smoke run, `--sizes 25000,100000` for chosen node
// counts only. Then the web UI's first render and radius map in headless Chromium (test/bench/ui.ts; `--no-ui` skips it).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_GENERATION_INSTANT } from '../../engine/generate/enterprise.ts';
import { commandTables, commandWithinBudget, measureCommands, type CommandMeasurements } from './commands.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(`--${name}`);
const option = (name: string, fallback: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};

const quick = flag('quick');
const reps = Number(option('reps', quick ? '1' : '3'));
const seed = option('seed', '1');
const sourceCount = Number(option('sources', '25'));
const exposureTargets = Number(option('targets', '3'));
const sizesOption = argv.includes('--sizes') ? option('sizes', '') : undefined;
const outPath = resolve(root, option('out', sizesOption !== undefined ? `bench/results-${sizesOption.replace(/,/g, '-')}.json` : quick ? 'bench/results-quick.json' : 'bench/results.json'));
const keep = flag('keep');
/** `--no-commands`: skip the end-to-end command runs (each command in a fresh process, then a server asked twice). */
const commands = !flag('no-commands');
const at = DEFAULT_GENERATION_INSTANT;

interface Size {
  label: string;
  nodes: number;
  /** Compare with graphology-traversal on this size (the issue asks for 100k only). */
  graphology: boolean;
  /** Targets are judged on this size. */
  judged: boolean;
}

const standardSizes: Size[] = quick
  ? [{ label: '10k', nodes: 10_000, graphology: true, judged: false }, { label: '50k', nodes: 50_000, graphology: false, judged: false }]
  : [{ label: '100k/800k', nodes: 100_000, graphology: true, judged: false }, { label: '1M/8M', nodes: 1_000_000, graphology: false, judged: true }];
/** `--sizes 100000`: only these node counts (a standard size keeps its label and role; the largest is judged). */
const chosenCounts = sizesOption === undefined ? undefined : sizesOption.split(',').map(Number);
if (chosenCounts?.some((n) => !Number.isInteger(n) || n < 1000)) throw new Error(`bench: --sizes takes node counts of 1000 and more, comma-separated (got ${sizesOption})`);
const sizes: Size[] = chosenCounts === undefined ? standardSizes : chosenCounts.sort((a, b) => a - b).map((nodes, i, all) => ({
  label: standardSizes.find((s) => s.nodes === nodes)?.label ?? `${nodes / 1000}k`, nodes, graphology: nodes <= 100_000, judged: i === all.length - 1,
}));

/**
 * The linear-time check of exposure and findings (issue #17: 4x the graph, at most 6x the time) needs two sizes 4x
 * apart: a quarter of the judged size is measured for those two only (`--growth <nodes>`, 0 to skip).
 */
const judgedNodes = sizes[sizes.length - 1]!.nodes;
const growthNodes = Number(option('growth', String(Math.round(judgedNodes / 4))));
if (!(growthNodes === 0 || (Number.isInteger(growthNodes) && growthNodes >= 1000))) throw new Error(`bench: --growth takes a node count of 1000 and more, or 0 (got ${growthNodes})`);

const work = mkdtempSync(join(tmpdir(), 'blastmap-bench-'));
const started = performance.now();
const loadBefore = loadavg();

function log(text: string): void {
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${text}\n`);
}

/** Runs one measurement in a fresh Node process and returns the JSON it printed last. */
function child(task: string, args: string[], heapMb: number): Record<string, unknown> {
  const result = spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, '--expose-gc', join(root, 'bin/run-ts.js'), join(root, 'test/bench/child.ts'), task, ...args], {
    cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 600_000,
  });
  if (result.status !== 0) throw new Error(`bench: ${task} failed (${result.status ?? result.signal}): ${result.stderr.slice(-2000)}`);
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median over repetitions of every numeric field (nested one level for `graphology`). */
function medians(runs: Record<string, unknown>[]): Record<string, number> {
  const out: Record<string, number> = {};
  const first = runs[0] ?? {};
  for (const [key, value] of Object.entries(first)) {
    if (typeof value === 'number') out[key] = median(runs.map((run) => run[key] as number));
    else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const inner of Object.keys(value)) {
        const values = runs.map((run) => (run[key] as Record<string, unknown>)[inner]).filter((x): x is number => typeof x === 'number');
        if (values.length === runs.length) out[`${key}.${inner}`] = median(values);
      }
    }
  }
  return out;
}

interface SizeResult {
  label: string;
  nodes: number;
  edges: number;
  ndjsonBytes: number;
  generateMs: number;
  import: Record<string, number>;
  load: Record<string, number>;
  radius: Record<string, number>;
  rank: Record<string, number>;
  exposure: Record<string, number>;
  findings: Record<string, number>;
  increment: Record<string, number>;
  evidence: Record<string, number>;
  commands?: CommandMeasurements;
  runs: Record<string, Record<string, unknown>[]>;
}

// Start-up of the installed command: the compiled package (dist/, built here), as `npm install blastmap` runs it.
// `--version` alone answers from package.json; `--help` loads the parser and the command list (cli/command-manifest.ts),
// no command module; `radius --help` loads the radius command's module, as every `radius` command line does.
log('start-up: building dist/, then timing `blastmap --version`, `blastmap --help` and `blastmap radius --help`');
const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, encoding: 'utf8' });
if (build.status !== 0) throw new Error(`bench: build failed: ${build.stderr}`);
const startupMs = (args: string[]): number => median(Array.from({ length: Math.max(reps, 5) }, () => {
  const start = performance.now();
  const run = spawnSync(process.execPath, [join(root, 'bin/blastmap.js'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, BLASTMAP_RUN: 'dist' } });
  if (run.status !== 0) throw new Error(`bench: blastmap ${args.join(' ')} failed: ${run.stderr}`);
  return performance.now() - start;
}));
const startup = { versionMs: startupMs(['--version']), helpMs: startupMs(['--help']), commandHelpMs: startupMs(['radius', '--help']), nodeMs: median(Array.from({ length: 5 }, () => {
  const start = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  return performance.now() - start;
})) };

// Evidence: raw CloudTrail text to the encoded observation store (test/bench/evidence.ts), independent of the graph.
const logEvents = Number(option('log-events', quick ? '50000' : '300000'));
const evidenceEvents = Number(option('evidence-events', quick ? '20000' : '100000'));
const logRuns: Record<string, unknown>[] = [];
for (let rep = 0; rep < reps; rep++) {
  log(`evidence: importing ${logEvents} CloudTrail events, run ${rep + 1}/${reps}`);
  logRuns.push(child('logs', ['--events', String(logEvents)], 4096));
}
const logImport = medians(logRuns);

const results: SizeResult[] = [];
/** Exposure and findings at `growthNodes` (a quarter of the judged size), for the growth table. */
let growthResult: { label: string; nodes: number; edges: number; exposure: Record<string, number>; findings: Record<string, number> } | undefined;
try {
  if (growthNodes > 0 && !sizes.some((s) => s.nodes === growthNodes)) {
    const label = `${growthNodes >= 1e6 ? `${growthNodes / 1e6}M` : `${growthNodes / 1000}k`}`;
    const snapshot = join(work, `growth-${growthNodes}.bmap`);
    log(`${label}: generating ${growthNodes} nodes (seed ${seed}) for the growth check of exposure and findings`);
    const generated = spawnSync(process.execPath, [join(root, 'bin/blastmap.js'), 'generate', '--nodes', String(growthNodes), '--seed', seed, '--out', snapshot, '--report', 'json'], { cwd: root, encoding: 'utf8', maxBuffer: 16 << 20 });
    if (generated.status !== 0) throw new Error(`bench: generate failed: ${generated.stderr}`);
    const { edges } = JSON.parse(generated.stdout) as { edges: number };
    const heapMb = growthNodes >= 500_000 ? 6144 : 2048;
    const exposureRuns: Record<string, unknown>[] = [];
    const findingsRuns: Record<string, unknown>[] = [];
    for (let rep = 0; rep < reps; rep++) {
      log(`${label}: exposure of ${exposureTargets} crown jewels and findings, run ${rep + 1}/${reps}`);
      exposureRuns.push(child('exposure', ['--snapshot', snapshot, '--at', at, '--targets', String(exposureTargets)], heapMb));
      findingsRuns.push(child('findings', ['--snapshot', snapshot, '--at', at], heapMb));
    }
    growthResult = { label, nodes: growthNodes, edges, exposure: medians(exposureRuns), findings: medians(findingsRuns) };
    rmSync(snapshot, { force: true });
  }
  for (const size of sizes) {
    const heapMb = size.nodes >= 500_000 ? 6144 : 2048;
    const ndjson = join(work, `enterprise-${size.nodes}.ndjson`);
    const snapshot = join(work, `enterprise-${size.nodes}.bmap`);
    log(`${size.label}: generating ${size.nodes} nodes (seed ${seed})`);
    let start = performance.now();
    const generated = spawnSync(process.execPath, [join(root, 'bin/blastmap.js'), 'generate', '--nodes', String(size.nodes), '--seed', seed, '--out', ndjson, '--report', 'json'], { cwd: root, encoding: 'utf8', maxBuffer: 16 << 20 });
    if (generated.status !== 0) throw new Error(`bench: generate failed: ${generated.stderr}`);
    const generateMs = performance.now() - start;
    const { edges, nodes } = JSON.parse(generated.stdout) as { nodes: number; edges: number };
    const ndjsonBytes = Number(spawnSync('stat', ['-c', '%s', ndjson], { encoding: 'utf8' }).stdout.trim()) || 0;
    const runs: Record<string, Record<string, unknown>[]> = { import: [], increment: [], load: [], radius: [], rank: [], exposure: [], findings: [], evidence: [] };
    for (let rep = 0; rep < reps; rep++) {
      log(`${size.label}: import + snapshot save, run ${rep + 1}/${reps}`);
      const target = rep === 0 ? snapshot : join(work, `enterprise-${size.nodes}-${rep}.bmap`);
      runs.import!.push(child('import', ['--ndjson', ndjson, '--snapshot', target, ...(rep === 0 ? [] : ['--discard'])], heapMb));
    }
    for (let rep = 0; rep < reps; rep++) {
      log(`${size.label}: incremental import of one node into the snapshot (the command), run ${rep + 1}/${reps}`);
      runs.increment!.push(child('increment', ['--snapshot', snapshot], heapMb));
    }
    for (let rep = 0; rep < reps; rep++) {
      log(`${size.label}: snapshot load and memory, run ${rep + 1}/${reps}`);
      runs.load!.push(child('load', ['--snapshot', snapshot, '--at', at], heapMb));
    }
    for (let rep = 0; rep < reps; rep++) {
      log(`${size.label}: single-source radius over ${sourceCount} connectors${size.graphology ? ' (with graphology)' : ''}, run ${rep + 1}/${reps}`);
      runs.radius!.push(child('radius', ['--snapshot', snapshot, '--at', at, '--sources', String(sourceCount), ...(size.graphology ? ['--graphology'] : [])], heapMb));
    }
    for (let rep = 0; rep < reps; rep++) {
      log(`${size.label}: ranking every connector, run ${rep + 1}/${reps}`);
      runs.rank!.push(child('rank', ['--snapshot', snapshot, '--at', at], heapMb));
    }
    for (let rep = 0; rep < reps; rep++) {
      log(`${size.label}: exposure of ${exposureTargets} crown jewels, run ${rep + 1}/${reps}`);
      runs.exposure!.push(child('exposure', ['--snapshot', snapshot, '--at', at, '--targets', String(exposureTargets)], heapMb));
    }
    for (let rep = 0; rep < reps; rep++) {
      log(`${size.label}: findings over the whole graph, run ${rep + 1}/${reps}`);
      runs.findings!.push(child('findings', ['--snapshot', snapshot, '--at', at], heapMb));
    }
    for (let rep = 0; rep < reps; rep++) {
      log(`${size.label}: --evidence over the riskiest connector's radius (${evidenceEvents} observations), run ${rep + 1}/${reps}`);
      runs.evidence!.push(child('evidence', ['--snapshot', snapshot, '--at', at, '--events', String(evidenceEvents)], heapMb));
    }
    let measuredCommands: CommandMeasurements | undefined;
    if (commands) {
      log(`${size.label}: every command end to end, each in a fresh process of the installed package`);
      measuredCommands = await measureCommands({ root, work, snapshot, at, heapMb, timeoutMs: Number(option("command-timeout", "180")) * 1000, reps: Number(option("command-reps", "1")), log });
    }
    results.push({
      label: size.label, nodes, edges, ndjsonBytes, generateMs,
      import: medians(runs.import!), load: medians(runs.load!), radius: medians(runs.radius!), rank: medians(runs.rank!),
      exposure: medians(runs.exposure!), findings: medians(runs.findings!), increment: medians(runs.increment!), evidence: medians(runs.evidence!),
      ...(measuredCommands ? { commands: measuredCommands } : {}), runs,
    });
    rmSync(ndjson, { force: true });
  }
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
  else log(`kept ${work}`);
}

// ---- targets ---------------------------------------------------------------------------------------

interface Target { name: string; size: string; value: number; unit: string; target: string; met: boolean; cpuValue?: number }
const targets: Target[] = [];
const judged = results.find((r) => sizes.find((s) => s.label === r.label)?.judged) ?? results[results.length - 1]!;
const add = (name: string, result: SizeResult, value: number, unit: string, target: string, met: boolean, cpuValue?: number): void => {
  targets.push({ name, size: result.label, value, unit, target, met, ...(cpuValue === undefined ? {} : { cpuValue }) });
};
add('single-source radius p50', judged, judged.radius.radiusP50Ms!, 'ms', '<= 100 ms', judged.radius.radiusP50Ms! <= 100, judged.radius.radiusCpuP50Ms);
add('radius p50 / plain BFS p50', judged, judged.radius.ratioToBfsP50!, 'x', '<= 3x', judged.radius.ratioToBfsP50! <= 3);
add(`ranking ${judged.rank.ranked} connectors`, judged, judged.rank.rankMs! / 1000, 's', '<= 10 s', judged.rank.rankMs! <= 10_000, judged.rank.rankCpuMs! / 1000);
add('NDJSON import throughput', judged, judged.import.edgesPerSecond! / 1e6, 'M edges/s', '>= 1M edges/s', judged.import.edgesPerSecond! >= 1e6, judged.import.edgesPerCpuSecond! / 1e6);
add('incremental import of one node (command)', judged, judged.increment.incrementMs! / 1000, 's', '<= 5 s', judged.increment.incrementMs! <= 5000, judged.increment.incrementCpuMs === undefined ? undefined : judged.increment.incrementCpuMs / 1000);
if (judged.increment.incrementPeakRssBytes !== undefined) add('incremental import of one node, peak RSS', judged, judged.increment.incrementPeakRssBytes / 2 ** 30, 'GiB', '<= 1.5 GB', judged.increment.incrementPeakRssBytes <= 1.5e9);
add('CloudTrail log import throughput', judged, logImport.eventsPerSecond! / 1000, 'k events/s', '>= 200k events/s', logImport.eventsPerSecond! >= 200_000, logImport.eventsPerCpuSecond! / 1000);
add('snapshot load', judged, judged.load.loadMs! / 1000, 's', '<= 3 s', judged.load.loadMs! <= 3000, judged.load.loadCpuMs! / 1000);
targets.push({ name: '`blastmap --version` start-up (installed package)', size: '-', value: startup.versionMs, unit: 'ms', target: '<= 300 ms', met: startup.versionMs <= 300 });
targets.push({ name: '`blastmap --help` start-up (no command module loaded)', size: '-', value: startup.helpMs, unit: 'ms', target: '<= 300 ms', met: startup.helpMs <= 300 });
targets.push({ name: '`blastmap radius --help` start-up (the radius command\'s modules loaded)', size: '-', value: startup.commandHelpMs, unit: 'ms', target: '<= 300 ms', met: startup.commandHelpMs <= 300 });
add('heap for the loaded graph', judged, judged.load.heapBytes! / 2 ** 30, 'GiB', '<= 1.5 GB', judged.load.heapBytes! <= 1.5e9);
if (judged.commands) {
  const over = judged.commands.runs.filter((run) => !commandWithinBudget(run));
  const slowest = judged.commands.runs.reduce((a, b) => (b.wallMs > a.wallMs ? b : a));
  add(`every command end to end (${judged.commands.runs.length} command lines; slowest: \`${slowest.command}\`)`, judged, slowest.wallMs / 1000, 's', '<= 5 s and <= 1.5 GB each', over.length === 0);
  if (over.length > 0) targets[targets.length - 1]!.name += `; over budget: ${over.map((run) => `\`${run.command}\``).join(', ')}`;
  const asked = [...judged.commands.questions, ...judged.commands.libraryQuestions];
  const worst = asked.reduce((a, b) => (b.secondMs / b.kernelMs > a.secondMs / a.kernelMs ? b : a));
  add(`second question on a loaded graph (server and library) / kernel (worst: \`${worst.endpoint}\`)`, judged, worst.secondMs / worst.kernelMs, 'x', '<= 10x', asked.every((q) => q.secondMs <= 10 * q.kernelMs));
}

// ---- report ----------------------------------------------------------------------------------------

const fmt = (value: number | undefined, digits = 1): string => (value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits));
const table: string[] = [];
table.push(`| measurement | ${results.map((r) => `${r.label} (${(r.nodes / 1e6).toFixed(2)}M nodes, ${(r.edges / 1e6).toFixed(2)}M edges)`).join(' | ')} |`);
table.push(`|---|${results.map(() => '---:').join('|')}|`);
const row = (name: string, pick: (r: SizeResult) => string): void => { table.push(`| ${name} | ${results.map(pick).join(' | ')} |`); };
row('generate NDJSON (s, one run)', (r) => fmt(r.generateMs / 1000));
row('NDJSON size (MB)', (r) => fmt(r.ndjsonBytes / 1e6, 0));
row('NDJSON import (s)', (r) => fmt(r.import.importMs! / 1000, 2));
row('NDJSON import (M edges/s)', (r) => fmt(r.import.edgesPerSecond! / 1e6, 2));
row('NDJSON import CPU time (s) / M edges per CPU s', (r) => `${fmt(r.import.importCpuMs! / 1000, 2)} / ${fmt(r.import.edgesPerCpuSecond! / 1e6, 2)}`);
row('snapshot save (s)', (r) => fmt(r.import.saveMs! / 1000, 2));
row('`import native` command, read + save (M edges/s)', (r) => fmt(r.import.commandEdgesPerSecond! / 1e6, 2));
row('incremental import of one node: wall s / CPU s / peak RSS MB', (r) => `${fmt(r.increment.incrementMs! / 1000, 2)} / ${fmt((r.increment.incrementCpuMs ?? NaN) / 1000, 2)} / ${fmt((r.increment.incrementPeakRssBytes ?? NaN) / 1e6, 0)}`);
row('snapshot size (MB)', (r) => fmt(r.import.snapshotBytes! / 1e6, 0));
row('snapshot load (s)', (r) => fmt(r.load.loadMs! / 1000, 2));
row('snapshot load CPU time (s)', (r) => fmt(r.load.loadCpuMs! / 1000, 2));
row('memory of the loaded graph (MB)', (r) => fmt(r.load.loadedBytes! / 1e6, 0));
row('... with traversal workspaces (MB)', (r) => fmt(r.load.heapBytes! / 1e6, 0));
row('memory per edge (bytes)', (r) => fmt(r.load.heapBytesPerEdge!, 0));
row(`radius p50 (ms, ${sourceCount} connectors)`, (r) => fmt(r.radius.radiusP50Ms, 2));
row('radius p95 (ms)', (r) => fmt(r.radius.radiusP95Ms, 2));
row('radius p50 CPU time (ms)', (r) => fmt(r.radius.radiusCpuP50Ms, 2));
row('nodes reached, p50 / max', (r) => `${fmt(r.radius.reachedP50, 0)} / ${fmt(r.radius.reachedMax, 0)}`);
row('plain typed-array BFS p50 (ms)', (r) => fmt(r.radius.bfsP50Ms, 2));
row('plain BFS p50 CPU time (ms)', (r) => fmt(r.radius.bfsCpuP50Ms, 2));
row('radius p50 / plain BFS p50', (r) => fmt(r.radius.ratioToBfsP50, 2));
row('graphology bfsFromNode p50 (ms), traversable edges', (r) => fmt(r.radius['graphology.p50Ms'], 1));
row('graphology p50 / radius p50, traversable edges', (r) => fmt(r.radius['graphology.speedupOfMedians'], 1));
row('graphology bfsFromNode p50 (ms), whole graph', (r) => fmt(r.radius['graphology.fullP50Ms'], 1));
row('graphology p50 / radius p50, whole graph', (r) => fmt(r.radius['graphology.fullSpeedupOfMedians'], 1));
row('rank every connector (s)', (r) => `${fmt(r.rank.rankMs! / 1000, 2)} (${fmt(r.rank.ranked, 0)} apps)`);
row('rank CPU time (s)', (r) => fmt(r.rank.rankCpuMs! / 1000, 2));
row(`exposure of a crown jewel p50 (s, ${exposureTargets} crown jewels)`, (r) => fmt(r.exposure.exposureP50Ms! / 1000, 2));
row('exposure p50 CPU time (s)', (r) => fmt(r.exposure.exposureCpuP50Ms! / 1000, 2));
row('sources exposed, p50 / max', (r) => `${fmt(r.exposure.exposedP50, 0)} / ${fmt(r.exposure.exposedMax, 0)}`);
row('findings, every rule (s)', (r) => `${fmt(r.findings.findingsMs! / 1000, 2)} (${fmt(r.findings.findings, 0)} findings)`);
row('findings CPU time (s)', (r) => fmt(r.findings.findingsCpuMs! / 1000, 2));
row(`riskiest connector's radius (ms; nodes reached)`, (r) => `${fmt(r.evidence.radiusMs, 1)} (${fmt(r.evidence.reached, 0)})`);
row(`--evidence over it (ms, ${evidenceEvents} observations: resolve + overlay + actions + hints)`, (r) => fmt(r.evidence.evidenceMs, 1));
row('--evidence CPU time (ms) / evidence time over radius time', (r) => `${fmt(r.evidence.evidenceCpuMs, 1)} / ${fmt(r.evidence.evidenceOverRadius, 2)}x`);

/**
 * How each time grows from one size to the next, against how the graph grows: the linear-time claim is that
 * 4x the graph takes at most 6x the time (ratio of times at most 1.5x the ratio of node counts). Checked here,
 * never by a timing assertion in a test.
 */
const growth: string[] = [];
const growthRows: { name: string; pick: (r: SizeResult) => number | undefined }[] = [
  // The median connector reaches a few dozen nodes at 25k and most of the graph at 100k: compare per node reached.
  { name: 'radius p50 per node reached', pick: (r) => (r.radius.radiusP50Ms !== undefined && r.radius.reachedP50 ? r.radius.radiusP50Ms / r.radius.reachedP50 : undefined) },
  { name: 'rank every connector', pick: (r) => r.rank.rankMs },
  { name: 'exposure p50', pick: (r) => r.exposure.exposureP50Ms },
  { name: 'findings', pick: (r) => r.findings.findingsMs },
  { name: 'exposure p50, counted work (edge scans; deterministic)', pick: (r) => r.exposure.exposureWorkP50 },
  { name: 'findings, counted work (edge scans + rule checks; deterministic)', pick: (r) => (r.findings.findingsEdgeScans === undefined ? undefined : r.findings.findingsEdgeScans + r.findings.findingsChecks!) },
];
for (let i = 1; i < results.length; i++) {
  const small = results[i - 1]!;
  const large = results[i]!;
  const nodeRatio = large.nodes / small.nodes;
  if (growth.length === 0) growth.push('| measurement | sizes | graph grows | time grows | within 1.5x of the graph (4x graph <= 6x time) |', '|---|---|---:|---:|---|');
  for (const { name, pick } of growthRows) {
    const before = pick(small);
    const after = pick(large);
    if (before === undefined || after === undefined || !(before > 0)) continue;
    const timeRatio = after / before;
    growth.push(`| ${name} | ${small.label} -> ${large.label} | ${fmt(nodeRatio, 2)}x | ${fmt(timeRatio, 2)}x | ${timeRatio <= 1.5 * nodeRatio ? 'yes' : '**no**'} |`);
  }
}
if (growthResult !== undefined) {
  // The check issue #17 names: a quarter of the judged size against the judged size, exposure and findings only.
  const small = growthResult as unknown as SizeResult;
  const large = judged;
  const nodeRatio = large.nodes / small.nodes;
  if (growth.length === 0) growth.push('| measurement | sizes | graph grows | time grows | within 1.5x of the graph (4x graph <= 6x time) |', '|---|---|---:|---:|---|');
  for (const { name, pick } of growthRows.slice(2)) {
    const before = pick(small);
    const after = pick(large);
    if (before === undefined || after === undefined || !(before > 0)) continue;
    const timeRatio = after / before;
    growth.push(`| ${name} | ${small.label} -> ${large.label} | ${fmt(nodeRatio, 2)}x | ${fmt(timeRatio, 2)}x | ${timeRatio <= 1.5 * nodeRatio ? 'yes' : '**no**'} |`);
  }
}
table.push('', `CloudTrail log import (${fmt(logImport.events, 0)} events, ${fmt(logImport.megabytes, 0)} MB of S3 log-file JSON, parse + validate + scrub + store + encode): ${fmt(logImport.eventsPerSecond! / 1000, 0)}k events/s wall, ${fmt(logImport.eventsPerCpuSecond! / 1000, 0)}k events per CPU second`);
table.push('', `start-up (ms, median): \`blastmap --version\` ${fmt(startup.versionMs, 0)}, \`blastmap --help\` ${fmt(startup.helpMs, 0)}, \`blastmap radius --help\` ${fmt(startup.commandHelpMs, 0)}, \`node -e 0\` ${fmt(startup.nodeMs, 0)}`);

const withCommands = results.filter((r): r is SizeResult & { commands: CommandMeasurements } => r.commands !== undefined);
if (withCommands.length > 0) table.push('', ...commandTables(withCommands.map((r) => ({ label: r.label, commands: r.commands }))));

const targetTable = ['| target | size | measured (wall clock) | same in CPU time | goal | met |', '|---|---|---:|---:|---|---|', ...targets.map((t) => `| ${t.name} | ${t.size} | ${fmt(t.value, 2)} ${t.unit} | ${t.cpuValue === undefined ? '' : `${fmt(t.cpuValue, 2)} ${t.unit}`} | ${t.target} | ${t.met ? 'yes' : '**no**'} |`)];

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, os: `${process.platform} ${release()}`,
  loadAverageBefore: loadBefore.map((x) => Math.round(x * 100) / 100), loadAverageAfter: loadavg().map((x) => Math.round(x * 100) / 100),
};
const command = `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`;
mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(outPath, `${JSON.stringify({ command, date: new Date().toISOString(), seed: Number(seed), at, repetitions: reps, machine, totalSeconds: Math.round((performance.now() - started) / 1000), startup, logImport, targets, sizes: results, ...(growthResult ? { growth: growthResult } : {}) }, null, 2)}\n`);
process.stdout.write(`\n${table.join('\n')}\n\n${targetTable.join('\n')}\n${growth.length > 0 ? `\n${growth.join('\n')}\n` : ''}\nmachine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, load average before ${machine.loadAverageBefore.join(' ')}, after ${machine.loadAverageAfter.join(' ')}\n`);
process.stdout.write(`medians of ${reps} runs, each measurement in its own process; ${Math.round((performance.now() - started) / 1000)} s in all; written to ${outPath}\n`);
if (!flag('no-ui')) benchUi();

/** The web UI's budgets (first render, the giant component's map) in their own process: see test/bench/ui.ts. */
function benchUi(): void {
  const run = spawnSync(process.execPath, [join(root, 'bin/run-ts.js'), join(root, 'test/bench/ui.ts'), quick ? '25000' : '100000'], { cwd: root, encoding: 'utf8' });
  process.stdout.write(`\n${run.status === 0 ? run.stdout : `web UI bench failed: ${run.stderr.slice(-2000)}`}`);
}

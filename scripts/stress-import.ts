// `npm run stress:import [-- --mb 500] [--compare] [--keep]`: generates a seeded native NDJSON file of about that many megabytes, imports it
// with `blastmap import native` in a fresh process and reports its peak memory next to the size of the graph it built
// (measured by loading the snapshot in another process). Fails when the import needs more than twice the graph plus the
// snapshot it saves: the file (or a copy of its records) was held instead of streamed. Opt-in: about 20 s per 500 MB.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '..');
const BIN = join(REPO, 'bin/blastmap.js');
const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const megabytes = Number(option('mb', '500'));
const keep = args.includes('--keep');
/** Bytes of NDJSON per generated node at the default 8 edges per node (measured: about 1,295). */
const BYTES_PER_NODE = 1295;

const work = mkdtempSync(join(tmpdir(), 'blastmap-stress-'));
const input = join(work, 'big.ndjson');
const snapshot = join(work, 'graph.bmap');

function run(label: string, command: string[], extraArgs: string[] = [], env: Record<string, string> = {}): { out: string; seconds: number } {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [...extraArgs, ...command], { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    console.error(`${label} failed (${result.status ?? result.signal}):\n${result.stdout}`);
    process.exit(1);
  }
  return { out: result.stdout, seconds };
}

try {
  const nodes = Math.max(200, Math.round((megabytes * 1024 * 1024) / BYTES_PER_NODE));
  console.log(`generating about ${megabytes} MB of native NDJSON (${nodes} nodes, seed 1) in ${work}`);
  run('generate', [BIN, 'generate', '--nodes', String(nodes), '--seed', '1', '--out', input]);
  const size = statSync(input).size;
  console.log(`generated ${(size / 1048576).toFixed(0)} MB; importing with blastmap import native`);
  // The import runs in its own process, as bin/blastmap.js runs it; the baseline is taken once the CLI is loaded,
  // the peak (getrusage) at exit.
  const probe = `
    const { register } = await import('tsx/esm/api');
    register();
    const { main } = await import(${JSON.stringify(`file://${join(REPO, 'cli/main.ts')}`)});
    const baseline = process.memoryUsage().rss;
    process.on('exit', () => process.stdout.write('\\nSTRESS ' + JSON.stringify({ baseline, peak: process.resourceUsage().maxRSS * 1024 }) + '\\n'));
    process.exitCode = await main([process.argv[0], 'blastmap', ...${JSON.stringify(['import', 'native', input, '--graph', snapshot, '--replace', '--format', 'json'])}]);
  `;
  const imported = run('import', ['--input-type=module', '-e', probe]);
  const stress = JSON.parse(/STRESS (\{.*\})/.exec(imported.out)![1]!) as { baseline: number; peak: number };
  const report = JSON.parse(imported.out.slice(0, imported.out.indexOf('\nSTRESS'))) as { nodes: number; edges: number };
  const growth = stress.peak - stress.baseline;
  const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
  console.log(`imported ${report.nodes} nodes and ${report.edges} edges in ${imported.seconds.toFixed(1)} s`);
  // The graph itself: heap and typed arrays of the snapshot loaded in a process of its own, after a full collection.
  const measure = `
    const { readSnapshotFile } = await import(${JSON.stringify(`file://${join(REPO, 'cli/snapshot-file.ts')}`)});
    gc(); const before = process.memoryUsage();
    const graph = readSnapshotFile(${JSON.stringify(snapshot)});
    gc(); gc(); const after = process.memoryUsage();
    process.stdout.write(JSON.stringify({ live: after.heapUsed - before.heapUsed + after.external - before.external, nodes: graph.nodeCount }));
  `;
  const graphSize = JSON.parse(run('measure', ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', measure]).out) as { live: number };
  console.log(`file ${mb(size)}; graph in memory ${mb(graphSize.live)}; snapshot ${mb(statSync(snapshot).size)}`);
  console.log(`import: resident set at start ${mb(stress.baseline)}, peak ${mb(stress.peak)}, growth ${mb(growth)} = ${(growth / graphSize.live).toFixed(2)}x the graph, ${(growth / size).toFixed(2)}x the file`);
  if (args.includes('--compare')) {
    // The whole-file path on the same input, for scale (beyond ~500 MB it cannot even hold the text as one string).
    const whole = run('whole-file import', ['--input-type=module', '-e', probe], [], { BLASTMAP_NDJSON_STREAM_BYTES: String(Number.MAX_SAFE_INTEGER) });
    const measured = JSON.parse(/STRESS (\{.*\})/.exec(whole.out)![1]!) as { baseline: number; peak: number };
    console.log(`whole-file path on the same file: growth ${mb(measured.peak - measured.baseline)} in ${whole.seconds.toFixed(1)} s`);
  }
  // Twice the graph, plus a constant for the runtime's own slack: the snapshot being encoded and written is the rest.
  // Saving holds the encoded snapshot next to the graph (one buffer, written atomically); anything beyond twice the
  // graph plus that is the file, or a copy of its records, held instead of streamed.
  const snapshotBytes = statSync(snapshot).size;
  const allowed = 2 * graphSize.live + snapshotBytes + 64 * 1048576;
  if (growth > allowed) {
    console.error(`FAIL: the import grew its resident set by ${mb(growth)}, more than ${mb(allowed)} (twice the graph, plus the snapshot being saved, plus 64 MB): it holds more than the graph`);
    process.exitCode = 1;
  } else console.log(`OK: the import holds the graph, never the file (limit ${mb(allowed)})`);
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
}

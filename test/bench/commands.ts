// End-to-end command measurements for `npm run bench`: every analysis command as a user runs it, in a fresh process of
// the installed package (start, snapshot load, analysis, report written to a file), with wall time, peak RSS and
// output size; then the questions the server answers, asked twice of one running `blastmap serve` (a loaded graph),
// against each analysis's kernel time measured in one process by test/bench/kernels.ts.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Budgets of issue #17 for every command at 1M nodes / 8M edges on 2 cores. */
export const COMMAND_WALL_BUDGET_MS = 5_000;
export const COMMAND_RSS_BUDGET_BYTES = 1.5e9;
/** A second question on a loaded graph: at most this many times its kernel time. */
export const SECOND_QUESTION_RATIO_BUDGET = 10;

export interface CommandRun {
  /** What the user typed after `blastmap`, with the graph and instant left out. */
  command: string;
  wallMs: number;
  /** Every run's wall clock, when the line ran more than once (`wallMs` is their median). */
  wallRunsMs?: number[];
  /** Largest resident set of the command's processes (worker threads included), from `process.resourceUsage()`. */
  peakRssBytes: number;
  outBytes: number;
  exit: number | string;
}

export interface SecondQuestion {
  endpoint: string;
  kernel: string;
  firstMs: number;
  secondMs: number;
  kernelMs: number;
}

export interface CommandMeasurements {
  app: string;
  crownJewel: string;
  kernels: Record<string, number>;
  runs: CommandRun[];
  questions: SecondQuestion[];
  /** The same questions through the library's public API on a graph loaded once (test/bench/library.ts). */
  libraryQuestions: SecondQuestion[];
  /** Start-up to a listening server with the graph loaded. */
  serveReadyMs: number;
}

interface Options {
  root: string;
  work: string;
  snapshot: string;
  at: string;
  heapMb: number;
  timeoutMs: number;
  /** Runs of each command line (`--command-reps`): the table gives the median wall clock and the largest peak RSS. */
  reps?: number;
  log: (text: string) => void;
}

/** A first run this far over the 5 s budget is not repeated: more runs would not change the verdict. */
const REPEAT_BELOW_MS = 15_000;

const DAY = 86_400_000;

/** The command lines to run, given the connector and crown jewel picked on this graph. */
function commandLines(app: string, crownJewel: string, since: string, proposal: string, policy: string, work: string): { command: string; args: string[]; out?: string }[] {
  const lines: { command: string; args: string[]; out?: string }[] = [];
  for (const format of ['text', 'json', 'ndjson', 'markdown', 'html']) lines.push({ command: `radius <app> -f ${format}`, args: ['radius', app, '-f', format] });
  for (const format of ['text', 'json']) {
    lines.push({ command: `plan <app> -f ${format}`, args: ['plan', app, '-f', format] });
    lines.push({ command: `respond <app> --since <30 days before> -f ${format}`, args: ['respond', app, '--since', since, '-f', format] });
    lines.push({ command: `whatif <app> --disable <app> -f ${format}`, args: ['whatif', app, '--disable', app, '-f', format] });
    lines.push({ command: `paths <app> -f ${format}`, args: ['paths', app, '-f', format] });
    lines.push({ command: `exposure <crown jewel> -f ${format}`, args: ['exposure', crownJewel, '-f', format] });
    lines.push({ command: `rank -f ${format}`, args: ['rank', '-f', format] });
    lines.push({ command: `review <proposal> -f ${format}`, args: ['review', proposal, '--policy', policy, '-f', format] });
  }
  for (const format of ['text', 'json', 'sarif']) lines.push({ command: `findings -f ${format}`, args: ['findings', '-f', format] });
  for (const format of ['opengraph', 'gexf', 'graphml', 'json', 'ndjson']) {
    const out = join(work, `export.${format}`);
    lines.push({ command: `export ${format} -o <file>`, args: ['export', format, '-o', out], out });
  }
  lines.push({ command: 'export opengraph --radius <app> -o <file>', args: ['export', 'opengraph', '--radius', app, '-o', join(work, 'export-radius.json')], out: join(work, 'export-radius.json') });
  return lines;
}

/** A proposal that joins the generated graph: a new third-party app whose token acts as the riskiest connector. */
function writeProposal(path: string, app: string): void {
  const vendorApp = 'benchvendor:prod:app:sync';
  const token = 'benchvendor:prod:credential:sync-token';
  writeFileSync(path, JSON.stringify({
    version: 1,
    source: 'proposal/bench',
    nodes: [
      { id: vendorApp, kind: 'App', name: 'Bench Sync', platform: 'benchvendor', tenant: 'prod', vendor: 'Bench Vendor', thirdParty: true },
      { id: token, kind: 'Credential', name: 'Bench Sync token', platform: 'benchvendor', tenant: 'prod', type: 'api-key' },
    ],
    edges: [
      { kind: 'HOLDS', from: vendorApp, to: token, reason: 'The vendor keeps the token it is given.' },
      { kind: 'AUTHENTICATES_AS', from: token, to: app, reason: 'The token would sign in as the existing connector.' },
    ],
  }));
}

function peakRss(file: string): number {
  if (!existsSync(file)) return NaN;
  const values = readFileSync(file, 'utf8').trim().split('\n').map((line) => Number(line.split(' ')[1]) * 1024);
  return values.length === 0 ? NaN : Math.max(...values);
}

/** Environment of a measured command: the compiled package, and the hook that reports peak RSS on exit. */
function commandEnv(root: string, rssFile: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    BLASTMAP_RUN: 'dist',
    BLASTMAP_BENCH_RSS: rssFile,
    NODE_OPTIONS: `--require ${join(root, 'test/bench/peak-rss.cjs')}`,
    NO_COLOR: '1',
  };
}

function runCommand(options: Options, line: { command: string; args: string[]; out?: string }, index: number): CommandRun {
  const { root, work, snapshot, at, timeoutMs } = options;
  const stdoutFile = line.out ?? join(work, `command-${index}.out`);
  const rssFile = join(work, `command-${index}.rss`);
  rmSync(rssFile, { force: true });
  const fd = line.out === undefined ? openSync(stdoutFile, 'w') : 'ignore';
  const start = performance.now();
  const result = spawnSync(process.execPath, [join(root, 'bin/blastmap.js'), ...line.args, '--graph', snapshot, '--at', at], {
    cwd: root, env: commandEnv(root, rssFile), stdio: ['ignore', fd, 'pipe'], timeout: timeoutMs, maxBuffer: 64 << 20,
  });
  const wallMs = performance.now() - start;
  if (typeof fd === 'number') closeSync(fd);
  const outBytes = existsSync(stdoutFile) ? statSync(stdoutFile).size : 0;
  rmSync(stdoutFile, { force: true });
  const exit = result.error !== undefined ? (result.error as NodeJS.ErrnoException).code ?? 'error' : result.signal ?? result.status ?? 'unknown';
  // Exit 1 is an answer (a review that fails the policy); anything else is worth seeing.
  if (exit !== 0 && exit !== 1) options.log(`  ${line.command}: exit ${exit}: ${result.stderr?.toString().slice(-400) ?? ''}`);
  return { command: line.command, wallMs, peakRssBytes: peakRss(rssFile), outBytes, exit };
}

/** Starts `blastmap serve` on a free loopback port and resolves with its URL once the graph is loaded. */
async function startServe(options: Options): Promise<{ url: string; stop: () => void; readyMs: number }> {
  const start = performance.now();
  const child = spawn(process.execPath, [join(options.root, 'bin/blastmap.js'), 'serve', '--graph', options.snapshot, '--port', '0'], {
    cwd: options.root, env: { ...process.env, BLASTMAP_RUN: 'dist', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench: serve did not start: ${output.slice(-500)}`)), options.timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+/.exec(output);
      if (match) { clearTimeout(timer); resolve(match[0]); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`bench: serve exited ${code}: ${output.slice(-500)}`)));
  });
  return { url, stop: () => child.kill('SIGTERM'), readyMs: performance.now() - start };
}

async function askTwice(url: string, endpoint: string, body: unknown, timeoutMs: number): Promise<{ firstMs: number; secondMs: number }> {
  const ask = async (): Promise<number> => {
    const start = performance.now();
    const response = await fetch(`${url}${endpoint}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`bench: POST ${endpoint} answered ${response.status}`);
    return performance.now() - start;
  };
  const firstMs = await ask();
  return { firstMs, secondMs: await ask() };
}

export async function measureCommands(options: Options): Promise<CommandMeasurements> {
  const { root, work, snapshot, at, heapMb, log } = options;
  const since = new Date(Date.parse(at) - 30 * DAY).toISOString();
  log('  kernels: the riskiest connector and a crown jewel it reaches, then each analysis in its own process');
  const kernelChild = (extra: string[]): ReturnType<typeof spawnSync> => spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, join(root, 'bin/run-ts.js'), join(root, 'test/bench/kernels.ts'), '--snapshot', snapshot, '--at', at, ...extra], {
    cwd: root, encoding: 'utf8', maxBuffer: 16 << 20, timeout: options.timeoutMs,
  });
  const lastLine = (run: ReturnType<typeof spawnSync>): unknown => JSON.parse(String(run.stdout).trim().split('\n').pop()!);
  const pick = kernelChild([]);
  if (pick.status !== 0) throw new Error(`bench: kernels failed (${pick.status ?? pick.signal}): ${String(pick.stderr).slice(-2000)}`);
  const picked = lastLine(pick) as { app: string; crownJewel: string; kernels: Record<string, number> };
  for (const kernel of ['plan', 'respond', 'whatif', 'paths', 'exposure', 'findings']) {
    const run = kernelChild(['--only', kernel, '--app', picked.app, '--crown-jewel', picked.crownJewel, '--since', since]);
    picked.kernels[kernel] = run.status === 0 ? (lastLine(run) as { ms: number }).ms : NaN;
    log(`  kernel ${kernel}: ${run.status === 0 ? `${picked.kernels[kernel]!.toFixed(0)} ms` : `did not finish within ${options.timeoutMs / 1000} s (${run.signal ?? run.status})`}`);
  }
  const proposal = join(work, 'proposal.json');
  writeProposal(proposal, picked.app);

  const runs: CommandRun[] = [];
  commandLines(picked.app, picked.crownJewel, since, proposal, join(root, 'datasets/policies/default.yaml'), work).forEach((line, index) => {
    const each = [runCommand(options, line, index)];
    while (each.length < (options.reps ?? 1) && each[0]!.wallMs < REPEAT_BELOW_MS) each.push(runCommand(options, line, index));
    const walls = each.map((one) => one.wallMs);
    const sorted = [...walls].sort((a, b) => a - b);
    const run: CommandRun = {
      ...each[0]!,
      wallMs: sorted[(sorted.length - 1) >> 1]!,
      peakRssBytes: Math.max(...each.map((one) => one.peakRssBytes)),
      ...(each.length > 1 ? { wallRunsMs: walls } : {}),
      exit: each.find((one) => one.exit !== 0)?.exit ?? each[0]!.exit,
    };
    const runsText = each.length > 1 ? ` (runs ${walls.map((ms) => (ms / 1000).toFixed(1)).join(', ')})` : '';
    log(`  ${line.command}: ${(run.wallMs / 1000).toFixed(1)} s${runsText}, ${(run.peakRssBytes / 2 ** 20).toFixed(0)} MiB, ${(run.outBytes / 2 ** 20).toFixed(1)} MiB out`);
    runs.push(run);
  });

  log('  second questions: one `blastmap serve`, each question asked twice');
  const server = await startServe(options);
  const questions: SecondQuestion[] = [];
  try {
    const base = { sources: [picked.app], at };
    const asks: { endpoint: string; kernel: string; body: unknown }[] = [
      { endpoint: '/api/radius', kernel: 'radius', body: base },
      { endpoint: '/api/plan', kernel: 'plan', body: base },
      { endpoint: '/api/whatif', kernel: 'whatif', body: { ...base, mitigations: [{ disable: picked.app }] } },
      { endpoint: '/api/exposure', kernel: 'exposure', body: { target: picked.crownJewel, at } },
      // Last: a question the server cannot answer in time keeps it busy, and stops the round.
      { endpoint: '/api/respond', kernel: 'respond', body: { ...base, since } },
    ];
    for (const ask of asks) {
      let timed: { firstMs: number; secondMs: number };
      try {
        timed = await askTwice(server.url, ask.endpoint, ask.body, options.timeoutMs);
      } catch (error) {
        // A question the server does not answer in time: recorded as unanswered; the server is busy with it, so stop.
        log(`  ${ask.endpoint}: no answer within ${options.timeoutMs / 1000} s (${(error as Error).name})`);
        questions.push({ endpoint: ask.endpoint, kernel: ask.kernel, firstMs: NaN, secondMs: NaN, kernelMs: picked.kernels[ask.kernel]! });
        break;
      }
      questions.push({ endpoint: ask.endpoint, kernel: ask.kernel, ...timed, kernelMs: picked.kernels[ask.kernel]! });
      log(`  ${ask.endpoint}: ${timed.firstMs.toFixed(0)} ms, then ${timed.secondMs.toFixed(0)} ms (kernel ${picked.kernels[ask.kernel]!.toFixed(0)} ms)`);
    }
  } finally {
    server.stop();
  }

  log('  second questions through the library: one process, the graph loaded once, each question asked twice');
  const libraryQuestions: SecondQuestion[] = [];
  const library = spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, join(root, 'bin/run-ts.js'), join(root, 'test/bench/library.ts'), '--root', root, '--snapshot', snapshot, '--at', at,
    '--since', since, '--app', picked.app, '--crown-jewel', picked.crownJewel], { cwd: root, encoding: 'utf8', maxBuffer: 16 << 20, timeout: options.timeoutMs * 5 });
  if (library.status === 0) {
    const answers = lastLine(library) as Record<string, { firstMs: number; secondMs: number }>;
    for (const [call, kernel] of [['blastRadius', 'radius'], ['revocationPlan', 'plan'], ['whatIf', 'whatif'], ['exposureOf', 'exposure'], ['respondPlan', 'respond']] as const) {
      const timed = answers[kernel]!;
      libraryQuestions.push({ endpoint: call, kernel, ...timed, kernelMs: picked.kernels[kernel]! });
      log(`  ${call}: ${timed.firstMs.toFixed(0)} ms, then ${timed.secondMs.toFixed(0)} ms (kernel ${picked.kernels[kernel]!.toFixed(0)} ms)`);
    }
  } else {
    log(`  library questions failed (${library.status ?? library.signal}): ${String(library.stderr).slice(-400)}`);
  }
  return { ...picked, runs, questions, libraryQuestions, serveReadyMs: server.readyMs };
}

/** Markdown tables of the measurements, one column group per size. */
export function commandTables(results: { label: string; commands: CommandMeasurements }[]): string[] {
  const fmt = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : '-');
  const judged = results[results.length - 1]!;
  const lines: string[] = [];
  lines.push(`| command | ${results.map((r) => `${r.label}: wall s · peak MiB · out MiB`).join(' | ')} | within ${COMMAND_WALL_BUDGET_MS / 1000} s and ${COMMAND_RSS_BUDGET_BYTES / 1e9} GB at ${judged.label} |`);
  lines.push(`|---|${results.map(() => '---:').join('|')}|:---:|`);
  for (const [i, run] of judged.commands.runs.entries()) {
    const cells = results.map((r) => {
      const same = r.commands.runs[i];
      if (same === undefined) return '-';
      const failed = same.exit !== 0 && same.exit !== 1 ? ` (exit ${same.exit})` : '';
      return `${fmt(same.wallMs / 1000)} · ${fmt(same.peakRssBytes / 2 ** 20, 0)} · ${fmt(same.outBytes / 2 ** 20)}${failed}`;
    });
    const met = commandWithinBudget(run);
    lines.push(`| \`${run.command}\` | ${cells.join(' | ')} | ${met ? 'yes' : '**no**'} |`);
  }
  lines.push('');
  lines.push(`| question on a loaded graph (\`blastmap serve\`) | ${results.map((r) => `${r.label}: kernel ms · first ms · second ms · second/kernel`).join(' | ')} |`);
  lines.push(`|---|${results.map(() => '---:').join('|')}|`);
  for (const [i, question] of judged.commands.questions.entries()) {
    const cells = results.map((r) => {
      const same = r.commands.questions[i];
      return same === undefined ? '-' : `${fmt(same.kernelMs, 0)} · ${fmt(same.firstMs, 0)} · ${fmt(same.secondMs, 0)} · ${fmt(same.secondMs / same.kernelMs)}x`;
    });
    lines.push(`| \`POST ${question.endpoint}\` | ${cells.join(' | ')} |`);
  }
  lines.push('');
  lines.push(`| question on a loaded graph (library, \`import from 'blastmap'\`) | ${results.map((r) => `${r.label}: kernel ms · first ms · second ms · second/kernel`).join(' | ')} |`);
  lines.push(`|---|${results.map(() => '---:').join('|')}|`);
  for (const [i, question] of (judged.commands.libraryQuestions ?? []).entries()) {
    const cells = results.map((r) => {
      const same = r.commands.libraryQuestions?.[i];
      return same === undefined ? '-' : `${fmt(same.kernelMs, 0)} · ${fmt(same.firstMs, 0)} · ${fmt(same.secondMs, 0)} · ${fmt(same.secondMs / same.kernelMs)}x`;
    });
    lines.push(`| \`${question.endpoint}\` | ${cells.join(' | ')} |`);
  }
  return lines;
}

export function commandWithinBudget(run: CommandRun): boolean {
  return (run.exit === 0 || run.exit === 1) && run.wallMs <= COMMAND_WALL_BUDGET_MS && run.peakRssBytes <= COMMAND_RSS_BUDGET_BYTES;
}

// The streaming path for big native NDJSON files (cli/ndjson-stream.ts) against the whole-file path: same graph, same
// redaction count, or a refusal on both, whatever the chunking; secrets and control characters are scrubbed on it too.
import { spawnSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessageChannel, Worker } from 'node:worker_threads';
import { BatchReplay, next, parseExecArgv, startReadingWorker, streamNdjsonParallel, workerStart } from '../../cli/ndjson-parallel.ts';
import { mayBeSuspect, NdjsonScan, partMayBeSuspect, PREFILTERED, UNCHECKED } from '../../cli/ndjson-parallel-scan.ts';
import { streamNdjsonChunks, suspect, type StreamedNdjson } from '../../cli/ndjson-stream.ts';
import { readSnapshotFile } from '../../cli/snapshot-file.ts';
import { BlastmapError } from '../../engine/errors.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { toFragment, type CompactGraph } from '../../engine/store/compact.ts';
import { parseNative } from '../../importers/native/index.ts';
import { BIN, REPO, runCli, spawnCli, tempDir } from '../helpers/cli.ts';
import { allTargets, chunked } from './inputs.ts';
import { damage, damaged } from './mutate.ts';
import { leaks, secretCorpus } from './secret-corpus.ts';

const corpus = secretCorpus(23);
const seed = allTargets().find((t) => t.name === 'native-ndjson')!.seeds[0]!;

type Result = { ok: true; graph: CompactGraph; redactions: number } | { ok: false };

function wholeFile(text: string): Result {
  const parsed = parseNative(text, { file: 'in.ndjson' });
  if (!parsed.ok) return { ok: false };
  try {
    return { ok: true, graph: assembleGraph([parsed.value]).graph, redactions: parsed.value.redactions };
  } catch (error) {
    if (error instanceof BlastmapError) return { ok: false };
    throw error;
  }
}

function streamed(text: string, size: number): Result {
  try {
    const { graph, summary } = streamNdjsonChunks(chunked(text, size), { file: 'in.ndjson' });
    return { ok: true, graph, redactions: summary.redactions };
  } catch (error) {
    if (error instanceof BlastmapError) return { ok: false };
    throw error;
  }
}

/** The graph as sorted records, so two builds of the same graph compare equal whatever their internal order. */
function canonical(graph: CompactGraph): string {
  const { nodes, edges } = toFragment(graph);
  const sortKeys = (value: unknown): unknown => (Array.isArray(value) ? value.map(sortKeys) : value !== null && typeof value === 'object' ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)])) : value);
  return JSON.stringify([nodes.map(sortKeys).map((n) => JSON.stringify(n)).sort(), edges.map(sortKeys).map((e) => JSON.stringify(e)).sort()]);
}

/** Secrets and terminal escapes in the fields a scrubber must reach (names, ids, references, properties, scopes). */
const spiced = fc.record({ at: fc.nat(), secret: fc.constantFrom(...corpus.map((s) => s.value), '\u001b[2J', 'a\u0007b', '\u009bx'), field: fc.constantFrom('name', 'id', 'reason', 'note', 'scope', 'email', 'password') });

function plant(text: string, plants: { at: number; secret: string; field: string }[]): string {
  const records = text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  for (const { at, secret, field } of plants) {
    const record = records[at % records.length]!;
    const isEdge = 'from' in record;
    if (field === 'id') {
      // Rename a node and every reference to it, so the input stays valid.
      const node = records.filter((r) => !('from' in r))[at % records.filter((r) => !('from' in r)).length]!;
      const old = node.id as string;
      const renamed = `${old}-${secret}`;
      for (const r of records) for (const key of ['id', 'from', 'to', 'grant']) if (r[key] === old) r[key] = renamed;
    } else if (field === 'name' && !isEdge) record.name = `${record.name} ${secret}`;
    else if (field === 'email' && !isEdge) record.email = `${secret} <x@y.example>`;
    else if (field === 'reason' && isEdge) record.reason = secret;
    else if (field === 'scope') record.scopes = [...((record.scopes as string[] | undefined) ?? []), secret];
    else if (field === 'password') record.properties = { ...(record.properties as object | undefined), password: secret };
    else record.properties = { ...(record.properties as object | undefined), note: `see ${secret}` };
  }
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

describe('streaming a big NDJSON file', () => {
  it('builds the graph the whole-file path builds, with the same redactions, under any chunking', () => {
    fc.assert(fc.property(fc.array(spiced, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 4096 }), (plants, size) => {
      const text = plant(seed.text, plants);
      const whole = wholeFile(text);
      const stream = streamed(text, size);
      expect(stream.ok).toBe(whole.ok);
      if (!whole.ok || !stream.ok) return;
      expect(canonical(stream.graph)).toBe(canonical(whole.graph));
      expect(stream.redactions).toBe(whole.redactions);
      expect(leaks(canonical(stream.graph), corpus)).toEqual([]);
      expect(canonical(stream.graph)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }), { numRuns: 150 });
  });

  it('accepts and refuses the same damaged inputs as the whole-file path', () => {
    fc.assert(fc.property(damage, fc.integer({ min: 1, max: 512 }), (d, size) => {
      const [file] = damaged([seed], { ...d, file: 0 });
      const whole = wholeFile(file!.text);
      const stream = streamed(file!.text, size);
      expect(stream.ok, file!.text.slice(0, 300)).toBe(whole.ok);
      if (whole.ok && stream.ok) expect(canonical(stream.graph)).toBe(canonical(whole.graph));
    }), { numRuns: 150 });
  });

  it('is the path `blastmap import native` takes above the size threshold, with the same result and report', async () => {
    const dir = tempDir('blastmap-stream-');
    const text = plant(seed.text, corpus.slice(0, 5).map((s, i) => ({ at: i * 3, secret: s.value, field: i % 2 ? 'name' : 'id' })));
    writeFileSync(join(dir, 'big.ndjson'), text);
    const saved = process.env.BLASTMAP_NDJSON_STREAM_BYTES;
    process.env.BLASTMAP_NDJSON_STREAM_BYTES = '0';
    let streamedRun;
    try {
      streamedRun = await runCli(['import', 'native', join(dir, 'big.ndjson'), '--graph', join(dir, 'streamed.bmap'), '--format', 'json']);
    } finally {
      if (saved === undefined) delete process.env.BLASTMAP_NDJSON_STREAM_BYTES;
      else process.env.BLASTMAP_NDJSON_STREAM_BYTES = saved;
    }
    const wholeRun = await runCli(['import', 'native', join(dir, 'big.ndjson'), '--graph', join(dir, 'whole.bmap'), '--format', 'json']);
    expect(streamedRun.code, streamedRun.err).toBe(0);
    expect(wholeRun.code, wholeRun.err).toBe(0);
    expect(JSON.parse(streamedRun.out).redactions).toBe(JSON.parse(wholeRun.out).redactions);
    expect(JSON.parse(streamedRun.out).redactions).toBeGreaterThanOrEqual(5);
    expect(canonical(readSnapshotFile(join(dir, 'streamed.bmap')))).toBe(canonical(readSnapshotFile(join(dir, 'whole.bmap'))));
  });
});

describe('hostile nesting on the streamed path', () => {
  it('refuses a record nested thousands of levels deep, with the issue, never a stack overflow', () => {
    const deep = `${'['.repeat(50_000)}1${']'.repeat(50_000)}`;
    // A secret-shaped name makes the line suspect, so the scrubber walks the record before the reader sees it.
    const text = `${seed.text.trimEnd()}\n{"id":${deep},"kind":"Identity","subtype":"service","name":"svc ${corpus[0]!.value}","platform":"aws","tenant":"111"}\n`;
    const run = () => streamNdjsonChunks(chunked(text, 1 << 16), { file: 'deep.ndjson' });
    expect(run).toThrow(BlastmapError);
    try {
      run();
    } catch (error) {
      expect((error as BlastmapError).issues.some((issue) => issue.file === 'deep.ndjson' && issue.path.includes('.id'))).toBe(true);
      expect(leaks(JSON.stringify((error as BlastmapError).issues), corpus)).toEqual([]);
    }
  });
});

describe('the progress bar of a streamed import', () => {
  it('is drawn on a terminal, and never in a pipe or a log', () => {
    const dir = tempDir('blastmap-progress-');
    // Enough lines for several chunks: the bar has something to advance through.
    const big = join(dir, 'big.ndjson');
    writeFileSync(big, `${Array.from({ length: 40 }, () => seed.text.trimEnd()).join('\n')}\n`);
    const env = { ...process.env, BLASTMAP_NDJSON_STREAM_BYTES: '0', NO_COLOR: '1' };
    const underPty = spawnSync('script', ['-qec', `node ${JSON.stringify(BIN)} import native ${JSON.stringify(big)} --graph ${JSON.stringify(join(dir, 'tty.bmap'))}`, '/dev/null'], { cwd: REPO, env, encoding: 'utf8', timeout: 120_000 });
    expect(underPty.status, underPty.stdout).toBe(0);
    expect(underPty.stdout).toMatch(/reading \S*big\.ndjson \[█+\] (\d+)\/\1/);
    expect(underPty.stdout).toMatch(/imported 1 file/);
    const piped = spawnCli(['import', 'native', big, '--graph', join(dir, 'pipe.bmap')], { env });
    expect(piped.code, piped.err).toBe(0);
    expect(piped.out + piped.err).not.toMatch(/reading \S*big\.ndjson|\[[█░]+\]/);
  }, 180_000);
});

/** Everything a streamed import gives: graph (nodes, edges and attributes in order), summary, or the error and its issues. */
function outcome(run: () => StreamedNdjson): unknown {
  try {
    const { graph, summary } = run();
    return { graph: toFragment(graph), summary };
  } catch (error) {
    if (error instanceof BlastmapError) return { code: error.code, message: error.message, issues: error.issues };
    throw error;
  }
}

/**
 * The two-thread path's code, run in this thread: the worker's scan feeding the replay directly. `defer[i]` (cycled)
 * says whether chunk i's lines that are not plain edges are left for the replay to check, as the worker does while
 * the importing thread keeps up.
 */
function scannedInProcess(text: string, size: number, defer: readonly boolean[] = [false], seen?: { unchecked: number }): StreamedNdjson {
  const replay = new BatchReplay({ file: 'in.ndjson' });
  const scan = new NdjsonScan({
    file: 'in.ndjson',
    emit: (batch) => {
      if (seen) for (let k = 0; k < batch.opCount; k += 3) if (batch.ops[k] === UNCHECKED) seen.unchecked++;
      replay.apply(batch);
    },
  });
  let i = 0;
  for (const chunk of chunked(text, size)) {
    scan.deferChecks = defer[i++ % defer.length]!;
    scan.push(chunk);
  }
  scan.end();
  return replay.finish();
}

/** Inputs with planted secrets and control characters, then damaged (or not), then with some lines blanked or unterminated. */
const parallelInput = fc.record({
  plants: fc.array(spiced, { maxLength: 4 }),
  damage: fc.option(damage, { nil: undefined }),
  size: fc.integer({ min: 1, max: 4096 }),
  noEnd: fc.boolean(),
  crlf: fc.boolean(),
  defer: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
}).map(({ plants, damage: d, size, noEnd, crlf, defer }) => {
  let text = plants.length > 0 ? plant(seed.text, plants) : seed.text;
  if (d !== undefined) text = damaged([{ ...seed, text }], { ...d, file: 0 })[0]!.text;
  if (crlf) text = text.replace(/\n/g, '\r\n');
  if (noEnd) text = text.replace(/\s+$/, '');
  return { text, size, defer };
});

describe('the two-thread path for big NDJSON files', () => {
  it('gives what the one-thread path gives: graph, order, summary, redactions, or the same issues', () => {
    fc.assert(fc.property(parallelInput, ({ text, size, defer }) => {
      const sequential = outcome(() => streamNdjsonChunks(chunked(text, size), { file: 'in.ndjson' }));
      expect(outcome(() => scannedInProcess(text, size))).toEqual(sequential);
      // Whichever thread checks the lines that are not plain edges, chunk by chunk.
      expect(outcome(() => scannedInProcess(text, size, defer))).toEqual(sequential);
    }), { numRuns: 300 });
  });

  it('scrubs and counts a secret in a line the worker left for the importing thread to check', () => {
    const secret = corpus[0]!.value;
    const text = plant(seed.text, [{ at: 0, secret, field: 'name' }, { at: 3, secret, field: 'password' }]);
    const seen = { unchecked: 0 };
    const deferred = outcome(() => scannedInProcess(text, 1 << 20, [true], seen)) as { graph: { nodes: unknown[] }; summary: { redactions: number } };
    expect(seen.unchecked).toBeGreaterThan(0);
    expect(deferred.summary.redactions).toBeGreaterThan(0);
    expect(leaks(JSON.stringify(deferred.graph), [corpus[0]!])).toEqual([]);
    expect(deferred).toEqual(outcome(() => streamNdjsonChunks(chunked(text, 1 << 20), { file: 'in.ndjson' })));
  });

  it('gives the same in a real worker thread, reading the file', () => {
    const dir = tempDir('blastmap-parallel-');
    fc.assert(fc.property(parallelInput, ({ text }) => {
      const path = join(dir, 'in.ndjson');
      writeFileSync(path, text);
      const sequential = outcome(() => streamNdjsonChunks(chunked(text, 1 << 20), { file: 'in.ndjson' }));
      expect(outcome(() => streamNdjsonParallel(path, { file: 'in.ndjson' }))).toEqual(sequential);
    }), { numRuns: 12 });
  }, 120_000);

  it('advances the progress bar and reports a missing file as the one-thread path does', () => {
    const dir = tempDir('blastmap-parallel-');
    const path = join(dir, 'big.ndjson');
    writeFileSync(path, `${Array.from({ length: 400 }, () => seed.text.trimEnd()).join('\n')}\n`);
    const seen: number[] = [];
    streamNdjsonParallel(path, { onBytes: (bytes) => seen.push(bytes) });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(Buffer.byteLength(`${Array.from({ length: 400 }, () => seed.text.trimEnd()).join('\n')}\n`));
    expect(() => streamNdjsonParallel(join(dir, 'missing.ndjson'))).toThrow(/ENOENT/);
  });

  it('fails at once, naming the file, when the worker\'s entry file is missing (not after the silence timeout)', () => {
    const dir = tempDir('blastmap-parallel-');
    const path = join(dir, 'big.ndjson');
    writeFileSync(path, seed.text);
    const entry = new URL(`file://${join(dir, 'dist', 'cli', 'ndjson-parallel-worker-main.js')}`);
    let error: unknown;
    try {
      streamNdjsonParallel(path, { workerEntry: entry });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BlastmapError);
    expect((error as BlastmapError).code).toBe('IO');
    expect((error as Error).message).toContain(`${join(dir, 'dist', 'cli', 'ndjson-parallel-worker-main.js')} is missing`);
  });

  it('offers the worker the options it can take: heap sizes as its resourceLimits, main-script options dropped', () => {
    expect(parseExecArgv(['--max_old_space_size=6144', '--import', 'tsx', '-e', '-1', '--expose-gc', '-r', './x.cjs'])).toEqual([
      { name: '--max-old-space-size', value: '6144', tokens: ['--max_old_space_size=6144'] },
      { name: '--import', value: 'tsx', tokens: ['--import', 'tsx'] },
      { name: '-e', value: '-1', tokens: ['-e', '-1'] },
      { name: '--expose-gc', value: undefined, tokens: ['--expose-gc'] },
      { name: '-r', value: './x.cjs', tokens: ['-r', './x.cjs'] },
    ]);
    expect(workerStart(['--input-type=module', '-e', 'code', '--max-old-space-size=6144', '--import', 'tsx', '--experimental-loader', './l.mjs']))
      .toEqual({ execArgv: ['--import', 'tsx', '--experimental-loader', './l.mjs'], resourceLimits: { maxOldGenerationSizeMb: 6144 } });
    expect(workerStart(['--input-type', 'module', '--eval=x', '-p', 'y', '--max-semi-space-size=16', '--stack-size=2000', '--conditions=dev', '--enable-source-maps']))
      .toEqual({ execArgv: ['--conditions=dev', '--enable-source-maps'], resourceLimits: { maxYoungGenerationSizeMb: 48 } });
    expect(workerStart([])).toEqual({ execArgv: [], resourceLimits: undefined });
  });

  it('drops the options Node refuses for a worker, and says plainly when a worker cannot be started', () => {
    const offered: string[][] = [];
    const worker = startReadingWorker((execArgv, resourceLimits) => {
      offered.push(execArgv);
      return new Worker('require("node:worker_threads").parentPort.postMessage(process.execArgv)', { eval: true, execArgv, ...(resourceLimits ? { resourceLimits } : {}) });
    }, ['--max-old-space-size=300', '--expose-gc', '--title', 'blastmap-test', '--stack-trace-limit=30', '--no-warnings', '--conditions', 'dev']);
    void worker.terminate();
    // Node names what it refuses (V8 and process-wide options), not always all of it at once (`--title x` hides
    // what follows it): each try drops what was named, until the options a worker takes remain.
    expect(offered[0]).toEqual(['--expose-gc', '--title', 'blastmap-test', '--stack-trace-limit=30', '--no-warnings', '--conditions', 'dev']);
    expect(offered.at(-1)).toEqual(['--no-warnings', '--conditions', 'dev']);
    for (let i = 1; i < offered.length; i++) expect(offered[i]!.length).toBeLessThan(offered[i - 1]!.length);
    expect(worker.resourceLimits?.maxOldGenerationSizeMb).toBe(300);
    const refusing = (): never => { throw Object.assign(new Error('Initiated Worker with invalid execArgv flags: --something-else'), { code: 'ERR_WORKER_INVALID_EXEC_ARGV' }); };
    expect(() => startReadingWorker(refusing, ['--no-warnings'])).toThrow(BlastmapError);
    expect(() => startReadingWorker(refusing, ['--no-warnings'])).toThrow(/cannot start the thread that reads large NDJSON files \(Initiated Worker with invalid execArgv flags: --something-else\); pass Node options through NODE_OPTIONS/);
    expect(() => startReadingWorker(() => { throw new Error('out of threads'); }, [])).toThrow(/cannot start the thread .*out of threads/);
  });

  it('imports a file just above the two-thread threshold from a process started with a larger heap and --expose-gc', () => {
    const dir = tempDir('blastmap-parallel-heap-');
    const path = join(dir, 'big.ndjson');
    writeFileSync(path, `${Array.from({ length: 40 }, () => seed.text.trimEnd()).join('\n')}\n`);
    // One byte under the file's size: the real two-thread path, on a file a test can afford to write.
    const threshold = String(statSync(path).size - 1);
    const env = { ...process.env, BLASTMAP_NDJSON_PARALLEL_BYTES: threshold, BLASTMAP_NDJSON_STREAM_BYTES: threshold };
    for (const flags of [['--max-old-space-size=2048', '--expose-gc'], ['--max_old_space_size=512', '--expose_gc', '--title', 'blastmap-test', '--stack-size=2000']]) {
      const run = spawnSync(process.execPath, [...flags, BIN, 'import', 'native', path, '--graph', join(dir, 'g.bmap')], { cwd: REPO, encoding: 'utf8', timeout: 120_000, env });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^imported 1 file/);
    }
  }, 240_000);

  it('starts its worker whatever options started the process, `node --input-type=module -e` included', () => {
    const dir = tempDir('blastmap-parallel-argv-');
    const path = join(dir, 'big.ndjson');
    writeFileSync(path, `${Array.from({ length: 40 }, () => seed.text.trimEnd()).join('\n')}\n`);
    const code = `const { main } = await import(${JSON.stringify(`file://${join(REPO, 'cli/main.ts')}`)});
      process.exitCode = await main([process.argv[0], 'blastmap', 'import', 'native', ${JSON.stringify(path)}, '--graph', ${JSON.stringify(join(dir, 'g.bmap'))}]);`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: REPO, encoding: 'utf8', timeout: 120_000, env: { ...process.env, BLASTMAP_NDJSON_PARALLEL_BYTES: '0', BLASTMAP_NDJSON_STREAM_BYTES: '0' } });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/imported 1 file/);
  }, 180_000);

  it('gives up with a clear error, instead of waiting for ever, on a worker that stopped answering', () => {
    // A worker that died hard (out of memory) posts nothing, and its exit cannot be seen from a blocked thread.
    const { port1, port2 } = new MessageChannel();
    const started = Date.now();
    expect(() => next(port1, new Int32Array(new SharedArrayBuffer(4)), 300)).toThrow(/said nothing for 0 s \(it crashed or ran out of memory\); nothing was imported/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    port2.postMessage({ kind: 'done' });
    expect(next(port1, new Int32Array(new SharedArrayBuffer(4)), 300)).toEqual({ kind: 'done' });
    port1.close();
  });

  it('prefilters the suspect test without missing a suspect line or id', () => {
    expect(PREFILTERED).toBe(true);
    const pieces = [...corpus.map((s) => s.value), 'aws', 'AWS_', 'secret', 'Key', 'key', 'token', 'password', 'PWD', 'api_key', 'api-key', 'apikey',
      ':', '=', ' ', '\t', '"', "'", '://', '@', '!', '-----', 'BEGIN ', 'PRIVATE KEY', 'AKIA', 'eyJ', '.', '_', '-', 'gh', 'github', 'xox', 'hooks', 'slack', 'com/', 'ya29',
      'sk', 'rk', 'live_', '00D', 'SSWS', 'AIza', '\\u0007', '\\b', '\u007f', '\u00c2\u0085', 'x', 'A1b2C3d4E5f6G7h8', '0123456789abcdef0123456789abcdef01234567'];
    const text = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 6 })), { maxLength: 14 }).map((parts) => parts.join(''));
    fc.assert(fc.property(text, (line) => {
      const bytes = Buffer.from(line, 'latin1');
      if (suspect(bytes.toString('latin1'))) expect(mayBeSuspect(bytes, 0, bytes.length)).toBe(true);
    }), { numRuns: 20_000 });
    const id = text.map((t) => t.replace(/["\\\u0000-\u001f\u007f-\uffff]/g, ''));
    fc.assert(fc.property(id, id, fc.constantFrom('HOLDS', 'MEMBER_OF', 'CAN_ACCESS'), (from, to, kind) => {
      if (from === '' || to === '' || partMayBeSuspect(from) || partMayBeSuspect(to)) return;
      expect(suspect(`{"kind":"${kind}","from":"${from}","to":"${to}"}`)).toBe(false);
    }), { numRuns: 20_000 });
  });
});

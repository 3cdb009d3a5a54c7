// Large native NDJSON files read on two threads: a worker (cli/ndjson-parallel-worker.ts) reads the file, scrubs suspect
// lines and reads the plain edge lines (most of the file) into (kind, from, to); this thread reads everything else
// (node lines, edges with properties) with the same NdjsonGraphReader as cli/ndjson-stream.ts, replays the worker's
// edges into it in file order, and compiles the graph. The secret check of the lines this thread reads is done by
// whichever thread is less busy: the worker leaves it to this one while this one keeps up (ScanBatch's UNCHECKED). Same graph, issues and redaction count as streamNdjsonFile's
// sequential path, which tests check line for line. The import stays synchronous: this thread waits on the worker
// with Atomics.wait and takes its batches with receiveMessageOnPort.
import { Buffer } from 'node:buffer';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort, type ResourceLimits } from 'node:worker_threads';
import { BlastmapError, type ErrorCode, type InputIssue } from '../engine/errors.ts';
import { DEFAULT_SCHEMA, type Schema } from '../engine/schema/index.ts';
import { NdjsonGraphReader } from '../importers/native/ndjson-fast.ts';
import { CHECKED, checkLines, UNCHECKED, type ScanBatch } from './ndjson-parallel-scan.ts';
import type { StreamedNdjson } from './ndjson-stream.ts';

/** NDJSON files at least this large are read on two threads (BLASTMAP_NDJSON_PARALLEL_BYTES overrides it). */
export const PARALLEL_THRESHOLD = 64 * 1024 * 1024;

export function parallelThreshold(): number {
  const raw = process.env.BLASTMAP_NDJSON_PARALLEL_BYTES;
  const override = Number(raw);
  return raw !== undefined && raw !== '' && Number.isFinite(override) && override >= 0 ? override : PARALLEL_THRESHOLD;
}

/** Replays the worker's batches into a reader, in order. */
export class BatchReplay {
  readonly reader: NdjsonGraphReader;
  private readonly ids: string[] = [];
  /** Provisional index (in the reader's builder) of each worker id, -1 until an edge line needs it. */
  private index = new Int32Array(1 << 16).fill(-1);
  redactions = 0;
  private readonly schema: Schema;
  private readonly push = (bytes: Uint8Array): void => this.reader.push(bytes);

  constructor(options: { file: string; schema?: Schema | undefined; expectedEdges?: number | undefined }) {
    this.schema = options.schema ?? DEFAULT_SCHEMA;
    this.reader = new NdjsonGraphReader({
      scrubbed: true,
      file: options.file, schema: options.schema ?? DEFAULT_SCHEMA, rememberNodeIds: false,
      ...(options.expectedEdges !== undefined ? { expectedEdges: options.expectedEdges } : {}),
    });
  }

  apply(batch: ScanBatch): void {
    const { ids } = this;
    for (const id of batch.ids) ids.push(id);
    if (ids.length > this.index.length) {
      const grown = new Int32Array(Math.max(this.index.length * 2, ids.length)).fill(-1);
      grown.set(this.index);
      this.index = grown;
    }
    this.redactions += batch.redactions;
    const { reader } = this;
    const builder = reader.builder;
    const index = this.index;
    const ops = batch.ops;
    for (let k = 0; k < batch.opCount; k += 3) {
      const code = ops[k]!;
      if (code === CHECKED) {
        reader.push(batch.bytes.subarray(ops[k + 1]!, ops[k + 2]!));
        continue;
      }
      if (code === UNCHECKED) {
        const bytes = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.length);
        this.redactions += checkLines(bytes, ops[k + 1]!, ops[k + 2]!, this.schema, this.push);
        continue;
      }
      if (!reader.accepting) {
        reader.scannedEdgeAt(-1, code, -1);
        continue;
      }
      // As the reader's own plain edge path: `from` interned before `to`.
      const from = ops[k + 1]!;
      let src = index[from]!;
      if (src < 0) src = index[from] = builder.intern(ids[from]!);
      const to = ops[k + 2]!;
      let dst = index[to]!;
      if (dst < 0) dst = index[to] = builder.intern(ids[to]!);
      reader.scannedEdgeAt(src, code, dst);
    }
  }

  /** The graph, or INVALID_INPUT with every problem, as streamNdjsonChunks ends. */
  finish(): StreamedNdjson {
    const result = this.reader.finish();
    if (!result.ok) {
      throw new BlastmapError('INVALID_INPUT', `${result.issues.length} problem${result.issues.length === 1 ? '' : 's'} in the input; nothing was imported`, { issues: result.issues });
    }
    return { graph: this.reader.builder.build(), summary: { ...result.value, redactions: result.value.redactions + this.redactions } };
  }
}

/** What the worker posts: a batch, the end, or what stopped it. */
export type WorkerMessage =
  | { kind: 'batch'; batch: ScanBatch }
  | { kind: 'done' }
  | { kind: 'error'; error: { name: string; message: string; code?: ErrorCode; issues?: InputIssue[]; stack?: string } };

/** What the worker is given. */
export interface WorkerInput {
  path: string;
  file: string;
  schema: Schema | undefined;
  port: MessagePort;
  signal: SharedArrayBuffer;
}

// From the sources (this file is .ts) the worker needs tsx; the compiled package starts its JavaScript directly.
const WORKER_ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./ndjson-parallel-worker.mjs', import.meta.url)
  : new URL('./ndjson-parallel-worker-main.js', import.meta.url);

/**
 * Streams one NDJSON file into a graph on two threads; throws as streamNdjsonFile does (INVALID_INPUT with every
 * problem, IO, a line too long). `onBytes` reports progress as this thread catches up with the file.
 */
export function streamNdjsonParallel(path: string, options: { file?: string; schema?: Schema; onBytes?: (bytes: number) => void; workerEntry?: URL } = {}): StreamedNdjson {
  const entry = options.workerEntry ?? WORKER_ENTRY;
  const size = statSync(path).size;
  const file = options.file ?? path;
  // A missing entry file only shows as an 'error' event this blocked thread never sees: the import would wait
  // WORKER_SILENCE_MS for nothing.
  if (!existsSync(fileURLToPath(entry))) {
    throw new BlastmapError('IO', `cannot start the thread that reads large NDJSON files: ${fileURLToPath(entry)} is missing (an incomplete installation or build; reinstall blastmap, or read on one thread with BLASTMAP_NDJSON_PARALLEL_BYTES=1e15); nothing was imported`);
  }
  const replay = new BatchReplay({ file, schema: options.schema, expectedEdges: Math.round(size / 100) });
  // [0]: messages the worker posted; [1]: batches this thread took (the worker waits when it is too far ahead).
  const signal = new SharedArrayBuffer(8);
  const posted = new Int32Array(signal);
  const { worker, port: port1 } = startReadingWorker((execArgv, resourceLimits) => {
    const { port1: here, port2: there } = new MessageChannel();
    const input: WorkerInput = { path, file, schema: options.schema, port: there, signal };
    try {
      return { worker: new Worker(entry, { workerData: input, transferList: [there], execArgv, ...(resourceLimits ? { resourceLimits } : {}) }), port: here };
    } catch (error) {
      here.close();
      throw error;
    }
  });
  // What stops the worker is seen as its silence (this thread is blocked); an 'error' event without a listener
  // would end the process later.
  worker.on('error', () => {});
  worker.unref();
  try {
    for (;;) {
      const message = next(port1, posted);
      if (message.kind === 'done') break;
      if (message.kind === 'error') throw revive(message.error);
      Atomics.add(posted, 1, 1);
      Atomics.notify(posted, 1);
      replay.apply(message.batch);
      options.onBytes?.(message.batch.read);
    }
  } finally {
    port1.close();
    void worker.terminate();
  }
  return replay.finish();
}

/**
 * How long the worker may stay silent before it is taken for dead. It posts a batch per megabyte read (a few
 * milliseconds of work each); a worker that crashed hard (out of memory) posts nothing and, with this thread
 * blocked, its exit event can never be seen.
 */
export const WORKER_SILENCE_MS = 120_000;

/** One Node option as the process was started with it: `--name=value`, `--name value` or a bare flag. */
interface NodeOption {
  /** `--max-old-space-size`, underscores read as dashes (Node and V8 accept both spellings). */
  name: string;
  value: string | undefined;
  /** The option as written, one or two execArgv entries. */
  tokens: string[];
}

/** Options whose value is the next entry even when it starts with a dash (`-e "-1"`). */
const VALUE_ALWAYS_NEXT = new Set(['-e', '--eval', '-p', '--print', '-pe']);

/** Splits execArgv into options. Every entry of execArgv is a Node option, so an entry without a dash is a value. */
export function parseExecArgv(execArgv: readonly string[]): NodeOption[] {
  const options: NodeOption[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const token = execArgv[i]!;
    const equals = token.startsWith('--') ? token.indexOf('=') : -1;
    if (equals > 0) {
      options.push({ name: normalName(token.slice(0, equals)), value: token.slice(equals + 1), tokens: [token] });
      continue;
    }
    const name = normalName(token);
    const following = execArgv[i + 1];
    if (following !== undefined && (!following.startsWith('-') || VALUE_ALWAYS_NEXT.has(name))) {
      options.push({ name, value: following, tokens: [token, following] });
      i++;
    } else {
      options.push({ name, value: undefined, tokens: [token] });
    }
  }
  return options;
}

const normalName = (flag: string): string => (flag.startsWith('--') ? `--${flag.slice(2).replace(/_/g, '-')}` : flag);

/**
 * V8's heap sizes, which a worker refuses as options and takes as `resourceLimits` instead (both in MB). A young
 * generation is three semi-spaces in V8 (two semi-spaces and the large-object space beside them).
 */
const HEAP_LIMITS: Record<string, { limit: keyof ResourceLimits; factor: number }> = {
  '--max-old-space-size': { limit: 'maxOldGenerationSizeMb', factor: 1 },
  '--max-semi-space-size': { limit: 'maxYoungGenerationSizeMb', factor: 3 },
};

/** How the worker is started: the parent's options a worker takes, and the heap the parent asked for. */
export interface WorkerStart {
  execArgv: string[];
  resourceLimits: ResourceLimits | undefined;
}

/**
 * The options the process was started with, made fit for the worker: heap sizes become its `resourceLimits`;
 * `--input-type` (it names the main script's text; a worker given it fails after it started, out of sight of this
 * blocked thread) is dropped, and so is what Node does not take from NODE_OPTIONS either
 * (`process.allowedNodeEnvironmentFlags`: `-e`, `-p`, `--check`, `--test`, V8 options such as `--stack-size`).
 * What remains (loaders such as `--import tsx`, `--require`, `--conditions`, `--experimental-*`, warnings) is
 * offered to the worker; the V8 and process-wide options among it that a worker refuses (`--expose-gc`,
 * `--title`, `--stack-trace-limit`), Node names when the worker is created, and startReadingWorker drops them.
 */
export function workerStart(execArgv: readonly string[], allowed: ReadonlySet<string> = process.allowedNodeEnvironmentFlags): WorkerStart {
  const kept: string[] = [];
  let resourceLimits: ResourceLimits | undefined;
  for (const option of parseExecArgv(execArgv)) {
    const heap = HEAP_LIMITS[option.name];
    if (heap !== undefined) {
      const mb = Number(option.value);
      if (Number.isFinite(mb) && mb > 0) resourceLimits = { ...resourceLimits, [heap.limit]: mb * heap.factor };
      continue;
    }
    if (option.name === '--input-type') continue;
    if (!allowed.has(option.name)) continue;
    kept.push(...option.tokens);
  }
  return { execArgv: kept, resourceLimits };
}

/** The options Node named in an ERR_WORKER_INVALID_EXEC_ARGV ("Initiated Worker with invalid execArgv flags: a, b"). */
export function refusedOptions(message: string): string[] {
  const colon = message.indexOf(': ');
  return colon < 0 ? [] : message.slice(colon + 2).split(', ').map((flag) => flag.trim()).filter((flag) => flag !== '');
}

/** What a worker accepted in this process, so that a second import does not ask Node again. */
let accepted: WorkerStart | undefined;

/**
 * Starts the reading worker with `create`, offering it workerStart(process.execArgv); the options Node refuses
 * for a worker are dropped and the worker created again. A worker that cannot be started is an IO error that
 * says why and what to do, never an internal error.
 */
export function startReadingWorker<T>(create: (execArgv: string[], resourceLimits: ResourceLimits | undefined) => T, execArgv: readonly string[] = process.execArgv): T {
  const useCache = execArgv === process.execArgv;
  let start = (useCache ? accepted : undefined) ?? workerStart(execArgv);
  for (;;) {
    let failure: unknown;
    try {
      const created = create(start.execArgv, start.resourceLimits);
      if (useCache) accepted = start;
      return created;
    } catch (error) {
      failure = error;
    }
    const { code, message } = failure as { code?: unknown; message?: unknown };
    const text = String(message ?? failure);
    if (code === 'ERR_WORKER_INVALID_EXEC_ARGV') {
      const refused = new Set(refusedOptions(text));
      const options = parseExecArgv(start.execArgv);
      const remaining = options.filter((option) => !refused.has(option.tokens[0]!) && !refused.has(option.name));
      if (remaining.length < options.length) {
        start = { execArgv: remaining.flatMap((option) => option.tokens), resourceLimits: start.resourceLimits };
        continue;
      }
    }
    throw new BlastmapError('IO', `cannot start the thread that reads large NDJSON files (${text}); pass Node options through NODE_OPTIONS instead, or read on one thread with BLASTMAP_NDJSON_PARALLEL_BYTES=1e15`, { cause: failure });
  }
}

/** The worker's next message, waiting for it without an event loop; an error once it has been silent for `silenceMs`. */
export function next(port: MessagePort, posted: Int32Array, silenceMs = WORKER_SILENCE_MS): WorkerMessage {
  const since = Date.now();
  for (;;) {
    const seen = Atomics.load(posted, 0);
    const received = receiveMessageOnPort(port);
    if (received !== undefined) return received.message as WorkerMessage;
    if (Date.now() - since >= silenceMs) throw new BlastmapError('IO', `the NDJSON reading thread said nothing for ${Math.round(silenceMs / 1000)} s (it crashed or ran out of memory); nothing was imported`);
    // The worker counts every message it posts; wake when it does (and look again now and then regardless).
    Atomics.wait(posted, 0, seen, Math.min(1000, silenceMs));
  }
}

function revive(error: Extract<WorkerMessage, { kind: 'error' }>['error']): Error {
  if (error.name === 'BlastmapError' && error.code !== undefined) return new BlastmapError(error.code, error.message, { issues: error.issues ?? [] });
  const revived = new Error(error.message);
  if (error.stack !== undefined) revived.stack = error.stack;
  return revived;
}

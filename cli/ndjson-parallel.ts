// Large native NDJSON files read on two threads: a worker (cli/ndjson-parallel-worker.ts) reads the file, scrubs suspect
// lines and reads the plain edge lines (most of the file) into (kind, from, to); this thread reads everything else
// (node lines, edges with properties) with the same NdjsonGraphReader as cli/ndjson-stream.ts, replays the worker's
// edges into it in file order, and compiles the graph. Same graph, issues and redaction count as streamNdjsonFile's
// sequential path, which tests check line for line. The import stays synchronous: this thread waits on the worker
// with Atomics.wait and takes its batches with receiveMessageOnPort.
import { statSync } from 'node:fs';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { BlastmapError, type ErrorCode, type InputIssue } from '../engine/errors.ts';
import { DEFAULT_SCHEMA, type Schema } from '../engine/schema/index.ts';
import { NdjsonGraphReader } from '../importers/native/ndjson-fast.ts';
import type { ScanBatch } from './ndjson-parallel-scan.ts';
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

  constructor(options: { file: string; schema?: Schema | undefined; expectedEdges?: number | undefined }) {
    this.reader = new NdjsonGraphReader({
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
      if (code < 0) {
        reader.push(batch.bytes.subarray(ops[k + 1]!, ops[k + 2]!));
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

const WORKER_ENTRY = new URL('./ndjson-parallel-worker.mjs', import.meta.url);

/**
 * Streams one NDJSON file into a graph on two threads; throws as streamNdjsonFile does (INVALID_INPUT with every
 * problem, IO, a line too long). `onBytes` reports progress as this thread catches up with the file.
 */
export function streamNdjsonParallel(path: string, options: { file?: string; schema?: Schema; onBytes?: (bytes: number) => void } = {}): StreamedNdjson {
  const size = statSync(path).size;
  const file = options.file ?? path;
  const replay = new BatchReplay({ file, schema: options.schema, expectedEdges: Math.round(size / 100) });
  // [0]: messages the worker posted; [1]: batches this thread took (the worker waits when it is too far ahead).
  const signal = new SharedArrayBuffer(8);
  const posted = new Int32Array(signal);
  const { port1, port2 } = new MessageChannel();
  const input: WorkerInput = { path, file, schema: options.schema, port: port2, signal };
  // The worker entry loads tsx itself; options only a main script may take (`--input-type`, `--eval`, as a
  // `node -e` caller has) would stop a worker from starting at all.
  const worker = new Worker(WORKER_ENTRY, { workerData: input, transferList: [port2], execArgv: workerExecArgv(process.execArgv) });
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

/** The main script's Node options a worker can take: evaluation options, which need a script text, are dropped. */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    if (/^--input-type(=|$)/.test(arg)) { if (arg === '--input-type') i++; continue; }
    if (/^(-e|--eval|-p|--print)$/.test(arg)) { i++; continue; }
    if (/^(--eval|--print)=/.test(arg)) continue;
    out.push(arg);
  }
  return out;
}

/** The worker's next message, waiting for it without an event loop; an error once it has been silent for `silenceMs`. */
export function next(port: MessagePort, posted: Int32Array, silenceMs = WORKER_SILENCE_MS): WorkerMessage {
  const since = Date.now();
  for (;;) {
    const seen = Atomics.load(posted, 0);
    const received = receiveMessageOnPort(port);
    if (received !== undefined) return received.message as WorkerMessage;
    if (Date.now() - since >= silenceMs) throw new Error(`the NDJSON reading thread said nothing for ${Math.round(silenceMs / 1000)} s (it crashed or ran out of memory); nothing was imported`);
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

// The worker thread of a parallel NDJSON import (started through cli/ndjson-parallel-worker-main.ts): reads the file in the
// chunks cli/ndjson-stream.ts reads, scans them (cli/ndjson-parallel-scan.ts) and posts the batches to the importing
// thread, counting each message in a shared word that thread waits on.
import { BlastmapError } from '../engine/errors.ts';
import type { WorkerInput, WorkerMessage } from './ndjson-parallel.ts';
import { NdjsonScan } from './ndjson-parallel-scan.ts';
import { fileChunks } from './ndjson-stream.ts';

/**
 * Batches posted and not yet taken by the importing thread beyond which the worker waits: node lines are passed on as
 * bytes, so a worker running ahead of the thread that parses them would otherwise queue up most of the file.
 */
export const MAX_BATCHES_IN_FLIGHT = 8;

/**
 * Batches waiting for the importing thread below which the worker leaves it the check of the lines it reads. Measured
 * on the 1M-node file: at 3 the worker stayed the slower thread (12.6 s of CPU against 9.6 s for the importing thread
 * while both ran); at 6 the two are about even (9.8 s and 10.3 s), and the worker still takes the checks back when
 * the importing thread falls behind.
 */
export const DEFER_CHECKS_BELOW = 6;

export function runWorker(input: WorkerInput): void {
  const { port } = input;
  // [0]: messages posted (the importing thread waits on it); [1]: batches it has taken (this thread waits on it).
  const counters = new Int32Array(input.signal);
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []): void => {
    for (;;) {
      const taken = Atomics.load(counters, 1);
      if (Atomics.load(counters, 0) - taken < MAX_BATCHES_IN_FLIGHT) break;
      Atomics.wait(counters, 1, taken, 1000);
    }
    port.postMessage(message, transfer);
    Atomics.add(counters, 0, 1);
    Atomics.notify(counters, 0);
  };
  try {
    const scan = new NdjsonScan({
      file: input.file, schema: input.schema,
      emit: (batch) => post({ kind: 'batch', batch }, [batch.ops.buffer as ArrayBuffer, batch.bytes.buffer as ArrayBuffer]),
    });
    // The same reads as the one-thread path: one reused buffer of CHUNK bytes (the scan copies what it keeps).
    for (const chunk of fileChunks(input.path)) {
      // The importing thread checks the lines it reads itself while it keeps up (few batches waiting for it), which
      // moves that work to whichever thread has time for it; the lines its reader gets are the same either way.
      scan.deferChecks = Atomics.load(counters, 0) - Atomics.load(counters, 1) < DEFER_CHECKS_BELOW;
      scan.push(chunk);
    }
    scan.end();
    post({ kind: 'done' });
  } catch (error) {
    const e = error as Error & { code?: unknown; issues?: unknown };
    post({
      kind: 'error',
      error: e instanceof BlastmapError
        ? { name: e.name, message: e.message, code: e.code, issues: [...e.issues] }
        : { name: e?.name ?? 'Error', message: String(e?.message ?? e), ...(e?.stack !== undefined ? { stack: e.stack } : {}) },
    });
  } finally {
    port.close();
  }
}

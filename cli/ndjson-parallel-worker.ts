// The worker thread of a parallel NDJSON import (started through cli/ndjson-parallel-worker.mjs): reads the file in the
// chunks cli/ndjson-stream.ts reads, scans them (cli/ndjson-parallel-scan.ts) and posts the batches to the importing
// thread, counting each message in a shared word that thread waits on.
import { closeSync, openSync, readSync } from 'node:fs';
import { BlastmapError } from '../engine/errors.ts';
import type { WorkerInput, WorkerMessage } from './ndjson-parallel.ts';
import { NdjsonScan } from './ndjson-parallel-scan.ts';
import { CHUNK } from './ndjson-stream.ts';

export function runWorker(input: WorkerInput): void {
  const { port } = input;
  const posted = new Int32Array(input.signal);
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []): void => {
    port.postMessage(message, transfer);
    Atomics.add(posted, 0, 1);
    Atomics.notify(posted, 0);
  };
  try {
    const scan = new NdjsonScan({
      file: input.file, schema: input.schema,
      emit: (batch) => post({ kind: 'batch', batch }, [batch.ops.buffer as ArrayBuffer, batch.bytes.buffer as ArrayBuffer]),
    });
    let fd: number;
    try {
      fd = openSync(input.path, 'r');
    } catch (error) {
      throw new BlastmapError('IO', `cannot read ${input.path}: ${(error as Error).message}`, { cause: error });
    }
    const buffer = Buffer.allocUnsafe(CHUNK);
    try {
      for (;;) {
        const n = readSync(fd, buffer, 0, buffer.length, null);
        if (n === 0) break;
        scan.push(buffer.subarray(0, n));
      }
    } finally {
      closeSync(fd);
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

// Entry of the worker thread of a parallel NDJSON import: runs cli/ndjson-parallel-worker.ts, and reports anything that
// stops it to the waiting thread. The compiled package starts it directly (dist/cli/ndjson-parallel-worker-main.js);
// from the TypeScript sources, cli/ndjson-parallel-worker.mjs loads tsx first, then this file.
import { workerData } from 'node:worker_threads';
import type { WorkerInput } from './ndjson-parallel.ts';

const input = workerData as WorkerInput;
try {
  const { runWorker } = await import('./ndjson-parallel-worker.ts');
  runWorker(input);
} catch (error) {
  const failure = error instanceof Error ? error : new Error(String(error));
  input.port.postMessage({ kind: 'error', error: { name: failure.name, message: failure.message, stack: failure.stack } });
  const posted = new Int32Array(input.signal);
  Atomics.add(posted, 0, 1);
  Atomics.notify(posted, 0);
  input.port.close();
}

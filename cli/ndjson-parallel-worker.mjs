// Entry of the worker thread of a parallel NDJSON import (cli/ndjson-parallel.ts). Plain JavaScript, so a worker
// starts the same way under `node bin/blastmap.js`, vitest and the benchmark: it loads the TypeScript sources through
// tsx, then runs cli/ndjson-parallel-worker.ts. Anything that stops it is reported to the waiting thread.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

try {
  register();
  const { runWorker } = await import('./ndjson-parallel-worker.ts');
  runWorker(workerData);
} catch (error) {
  const { port, signal } = workerData;
  port.postMessage({ kind: 'error', error: { name: error?.name ?? 'Error', message: String(error?.message ?? error), stack: error?.stack } });
  const posted = new Int32Array(signal);
  Atomics.add(posted, 0, 1);
  Atomics.notify(posted, 0);
  port.close();
}

// Entry of the worker thread of a parallel NDJSON import when blastmap runs from its TypeScript sources (a clone,
// vitest, the benchmark): loads tsx, then cli/ndjson-parallel-worker-main.ts. The compiled package starts
// dist/cli/ndjson-parallel-worker-main.js instead (cli/ndjson-parallel.ts picks). A failure to load is reported to
// the waiting thread like any other.
import { workerData } from 'node:worker_threads';

try {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./ndjson-parallel-worker-main.ts');
} catch (error) {
  const { port, signal } = workerData;
  port.postMessage({ kind: 'error', error: { name: error?.name ?? 'Error', message: String(error?.message ?? error), stack: error?.stack } });
  const posted = new Int32Array(signal);
  Atomics.add(posted, 0, 1);
  Atomics.notify(posted, 0);
  port.close();
}

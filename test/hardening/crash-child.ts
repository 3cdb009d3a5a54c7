// Child process of crash.test.ts. `write <snapshot> <nodes>`: builds a large synthetic graph and saves it as
// `blastmap import` does (lock, then atomic write), to be killed mid-write. `hold <snapshot>`: takes the lock and waits.
// `hold-briefly <snapshot>`: takes the lock (taking over a dead holder's), checks that no other holder is inside, holds it a moment.
import { closeSync, openSync, rmSync } from 'node:fs';
import { withWriteLock, writeSnapshotFile } from '../../cli/snapshot-file.ts';
import { generateEnterprise } from '../../engine/generate/enterprise.ts';
import { buildFromChunks } from '../../engine/store/builder.ts';

const [mode, path, size] = process.argv.slice(2);
if (mode === 'write') {
  const nodes = Number(size);
  const graph = buildFromChunks(generateEnterprise({ nodes, seed: 7 }), { expectedNodes: nodes, expectedEdges: nodes * 8 });
  process.stdout.write('writing\n');
  withWriteLock(path!, () => writeSnapshotFile(path!, graph));
  process.stdout.write('done\n');
} else if (mode === 'hold') {
  withWriteLock(path!, () => {
    process.stdout.write('locked\n');
    // Holds the lock until killed.
    const until = Date.now() + 120_000;
    while (Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
  });
} else if (mode === 'hold-briefly') {
  const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  try {
    withWriteLock(path!, () => {
      // A marker only one holder can create: a second holder inside the lock at the same time would fail to.
      process.stdout.write('locked\n');
      closeSync(openSync(`${path}.inside`, 'wx'));
      sleep(300);
      rmSync(`${path}.inside`);
      process.stdout.write('alone\n');
    }, { onTakeover: (message) => process.stdout.write(`${message}\n`) });
  } catch (error) {
    process.stdout.write(`refused: ${(error as Error).message}\n`);
  }
} else {
  process.stderr.write('usage: crash-child.ts write <snapshot> <nodes> | hold <snapshot>\n');
  process.exit(2);
}

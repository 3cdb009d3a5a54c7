// Snapshot history: each import keeps the state it replaces; `--graph @-N` and `@<date>` read a kept state, `history`
// lists them, BLASTMAP_HISTORY_KEEP bounds them, and `diff @-1 <snapshot>` says what the last import changed.
import { readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.ts';

const app = (id: string, name: string): string => `version: 1
source: test/${id}
nodes:
  - id: history:t:app:${id}
    kind: App
    name: ${name}
    platform: history
    tenant: t
`;

function inventory(dir: string, id: string, name: string): string {
  const file = join(dir, `${id}.yaml`);
  writeFileSync(file, app(id, name));
  return file;
}

/** Imports each file in turn into one snapshot, giving each written state a distinct, known modification time. */
async function importAll(snapshot: string, files: string[], times: Date[]): Promise<void> {
  for (const [i, file] of files.entries()) {
    const run = await runCli(['import', 'native', file, '--graph', snapshot]);
    expect(run.code, run.err).toBe(0);
    utimesSync(snapshot, times[i]!, times[i]!);
  }
}

const days = (n: number): Date => new Date(Date.UTC(2026, 11, n, 12));

describe('snapshot history', () => {
  const saved = process.env.BLASTMAP_HISTORY_KEEP;
  afterEach(() => {
    if (saved === undefined) delete process.env.BLASTMAP_HISTORY_KEEP;
    else process.env.BLASTMAP_HISTORY_KEEP = saved;
  });

  it('keeps the replaced state; @-1 reads it and diff names what the import added', async () => {
    const dir = tempDir();
    const snapshot = join(dir, 'graph.bmap');
    await importAll(snapshot, [inventory(dir, 'first', 'First App'), inventory(dir, 'second', 'Second App')], [days(1), days(2)]);

    const listed = await runCli(['history', '--graph', snapshot, '--format', 'json']);
    const states = JSON.parse(listed.out).states as { ref: string; nodes: number; writtenAt: string }[];
    expect(states.map((s) => [s.ref, s.nodes, s.writtenAt])).toEqual([['current', 2, days(2).toISOString()], ['@-1', 1, days(1).toISOString()]]);

    const before = await runCli(['radius', 'Second App', '--graph', `${snapshot}@-1`]);
    expect(before.code).not.toBe(0);
    expect(before.err).toContain('Second App');
    const after = await runCli(['radius', 'Second App', '--graph', snapshot]);
    expect(after.code, after.err).toBe(0);

    const diff = await runCli(['diff', `${snapshot}@-1`, snapshot, '--format', 'json']);
    expect(diff.code, diff.err).toBe(0);
    const changes = JSON.parse(diff.out);
    expect(changes.nodes.added.map((n: { id: string }) => n.id)).toEqual(['history:t:app:second']);
    expect(changes.nodes.removed).toEqual([]);
  });

  it('@<date> reads the state current at that date; an unknown state names the kept ones', async () => {
    const dir = tempDir();
    const snapshot = join(dir, 'graph.bmap');
    await importAll(snapshot, ['a', 'b', 'c'].map((id) => inventory(dir, id, `App ${id}`)), [days(1), days(3), days(5)]);
    const count = async (ref: string): Promise<number> => {
      const run = await runCli(['rank', '--graph', ref, '--format', 'json']);
      expect(run.code, run.err).toBe(0);
      return JSON.parse(run.out).rankedCount as number;
    };
    expect(await count(`${snapshot}@2026-12-02`)).toBe(1);
    expect(await count(`${snapshot}@2026-12-03T12:00:00Z`)).toBe(2);
    expect(await count(`${snapshot}@2026-12-04`)).toBe(2);
    expect(await count(`${snapshot}@2026-12-06`)).toBe(3);
    const early = await runCli(['rank', '--graph', `${snapshot}@2026-11-30`]);
    expect(early.code).toBe(5);
    expect(early.err).toContain('no state of');
    const far = await runCli(['rank', '--graph', `${snapshot}@-7`]);
    expect(far.code).toBe(5);
    expect(far.err).toContain('keeps 2: @-1 2026-12-03T12:00:00.000Z, @-2 2026-12-01T12:00:00.000Z');
  });

  it('BLASTMAP_HISTORY_KEEP bounds the kept states, and 0 keeps none', async () => {
    const dir = tempDir();
    const snapshot = join(dir, 'graph.bmap');
    process.env.BLASTMAP_HISTORY_KEEP = '2';
    await importAll(snapshot, ['a', 'b', 'c', 'd', 'e'].map((id) => inventory(dir, id, `App ${id}`)), [1, 2, 3, 4, 5].map(days));
    const kept = readdirSync(join(dir, 'history')).sort();
    expect(kept).toEqual(['graph@2026-12-03T12-00-00.000Z.bmap', 'graph@2026-12-04T12-00-00.000Z.bmap']);
    // A kept state is a hard link to the old file where the file system allows it: no copy of a large snapshot.
    expect(statSync(join(dir, 'history', kept[1]!)).size).toBeGreaterThan(0);

    const other = tempDir();
    const quiet = join(other, 'graph.bmap');
    process.env.BLASTMAP_HISTORY_KEEP = '0';
    await importAll(quiet, ['a', 'b'].map((id) => inventory(other, id, `App ${id}`)), [1, 2].map(days));
    expect(readdirSync(other)).not.toContain('history');
  });
});

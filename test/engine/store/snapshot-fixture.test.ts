// A committed version 2 snapshot (test/fixtures/snapshot/v2.bmap) must keep loading to the graph it was written
// from, in memory and through the file reader: a change to the decoder that stops reading files users already have
// fails here. While the format is version 2, the encoder must also still write those exact bytes; a deliberate new
// version keeps this file (it is then an old version that must still be read) and drops that comparison.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSnapshotFile } from '../../../cli/snapshot-file.ts';
import { decodeSnapshot, encodeSnapshot, SNAPSHOT_VERSION } from '../../../engine/store/snapshot.ts';
import { expectSameGraph } from '../../helpers/same-graph.ts';
import { SNAPSHOT_FIXTURE, snapshotFixtureGraph } from '../../helpers/snapshot-fixture-graph.ts';

describe('the committed version 2 snapshot', () => {
  const bytes = new Uint8Array(readFileSync(SNAPSHOT_FIXTURE));

  it('is a version 2 file', () => {
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('BLASTMAP');
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true)).toBe(2);
  });

  it('decodes to the graph it was written from, from memory and from the file', () => {
    const expected = snapshotFixtureGraph();
    expectSameGraph(decodeSnapshot(bytes), expected);
    expectSameGraph(readSnapshotFile(fileURLToPath(SNAPSHOT_FIXTURE)), expected);
    // The odd strings survived: escapes, non-ASCII, empty, long.
    const names = decodeSnapshot(bytes).nodes.map((node) => node.name);
    expect(names).toEqual(expect.arrayContaining(['Drift "chat" \\ bot', 'Ana Müller 🔑', '', '所有员工 / all\nstaff', 'x'.repeat(3000)]));
  });

  it('is what the encoder writes while the format is version 2', () => {
    expect(SNAPSHOT_VERSION).toBe(2);
    expect(Buffer.from(encodeSnapshot(snapshotFixtureGraph())).equals(Buffer.from(bytes))).toBe(true);
  });
});

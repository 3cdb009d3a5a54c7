// Streamed JSON (`jsonChunks`, `writeChunks`): byte for byte what `json()` prints, written in pieces.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { json, jsonChunks, writeChunks, writeEncodedChunks, type Io } from '../../cli/context.ts';
import pc from 'picocolors';
import { runCli, spawnCli } from '../helpers/cli.ts';

describe('jsonChunks', () => {
  it('joins to exactly json(value) for any report-shaped value, the list streamed one element per piece', () => {
    fc.assert(fc.property(
      fc.dictionary(fc.string().filter((key) => key !== 'items'), fc.jsonValue()),
      fc.array(fc.jsonValue(), { maxLength: 6 }),
      (head, items) => {
        const value = { ...head, items };
        const chunks = [...jsonChunks(value, 'items')];
        expect(chunks.join('')).toBe(json(value));
        if (items.length > 0) expect(chunks).toHaveLength(items.length + 2);
      },
    ), { numRuns: 300 });
  });

  it('writeChunks hands io.out pieces that each end with a newline (io.out would add one otherwise)', () => {
    const writes: string[] = [];
    const io: Io = { out: (text) => writes.push(text), err: () => undefined, color: pc.createColors(false), isTty: false };
    const value = { at: 'now', items: Array.from({ length: 500 }, (_, i) => ({ i, text: 'x'.repeat(50) })) };
    writeChunks(io, jsonChunks(value, 'items'), 4096);
    expect(writes.length).toBeGreaterThan(5);
    for (const write of writes) expect(write.endsWith('\n')).toBe(true);
    expect(writes.join('')).toBe(json(value));
  });
});

describe('writeEncodedChunks', () => {
  it('writes the UTF-8 of the joined pieces, whatever their sizes against the buffer (multi-byte text, pieces larger than it)', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ maxLength: 200 })), { maxLength: 40 }), fc.integer({ min: 16, max: 256 }), (pieces, size) => {
      const written: Uint8Array[] = [];
      // The buffer is reused: a sink must copy what it keeps.
      writeEncodedChunks((bytes) => written.push(bytes.slice()), pieces, size);
      for (const bytes of written) expect(bytes.length).toBeGreaterThan(0);
      expect(Buffer.concat(written).toString('utf8')).toBe(Buffer.from(pieces.join('')).toString('utf8'));
    }), { numRuns: 300 });
  });
});

describe('streamed JSON from a real process (stdout a pipe: written blocking, in order)', () => {
  it('radius --format json and ndjson print the same bytes as in process', async () => {
    for (const format of ['json', 'ndjson']) {
      const args = ['radius', 'Parley Chat', '--graph', 'datasets/demo', '--at', '2026-11-22', '--format', format];
      const spawned = spawnCli(args);
      expect(spawned.code, spawned.err).toBe(0);
      expect(spawned.out).toBe((await runCli(args)).out);
    }
  });
});

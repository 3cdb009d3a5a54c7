// The observation store's encoding refuses what it did not write: another format, another version, a changed or
// cut byte (the digest), and indices out of range even when the digest was recomputed by whoever edited the file.
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { createStore, decodeStore, encodeStore, observationsOf, windowRange } from '../../../engine/evidence/store.ts';
import type { Observation } from '../../../engine/evidence/types.ts';

const base = Date.parse('2026-11-21T22:00:00Z');
const observation = (i: number, extra: Partial<Observation> = {}): Observation => ({
  at: base + i * 1000, actor: { platform: 'aws', tenant: '111122223333', ids: [`AKIAEXAMPLE${String(i % 3).padStart(9, '0')}`] }, action: 'GetObject', family: 's3',
  category: 'read', outcome: 'success', source: 'aws-cloudtrail', eventId: `e${i}`, ...extra,
});
const store = createStore([observation(2), observation(0, { ip: '203.0.113.7', target: { platform: 'aws', ids: ['arn:aws:s3:::b'] } }), observation(1, { outcome: 'blocked', count: 10 }), observation(1)]);

describe('observation store', () => {
  it('keeps each event once (by source and event id), in time order, and finds a window by binary search', () => {
    expect(observationsOf(store).map((o) => o.eventId)).toEqual(['e0', 'e1', 'e2']);
    expect(observationsOf(store)[1]).toMatchObject({ outcome: 'blocked', count: 10 });
    expect(windowRange(store, base + 1000, base + 2000)).toEqual([1, 3]);
    expect(windowRange(store, base + 5000, base + 9000)).toEqual([3, 3]);
  });

  it('round-trips through bytes', () => {
    expect(observationsOf(decodeStore(encodeStore(store)))).toEqual(observationsOf(store));
  });

  it('refuses another format, another version, a changed byte and a cut file', () => {
    const bytes = encodeStore(store);
    expect(() => decodeStore(new TextEncoder().encode('BLASTMAP and more bytes than forty-eight of them, surely'))).toThrow(/no BMEVIDNC header/);
    const version = bytes.slice();
    new DataView(version.buffer).setUint32(8, 99, true);
    expect(() => decodeStore(version)).toThrow(/version 99/);
    const changed = bytes.slice();
    changed[40] = changed[40]! ^ 1;
    expect(() => decodeStore(changed)).toThrow(/digest does not match/);
    expect(() => decodeStore(bytes.slice(0, bytes.length - 5))).toThrow(/digest does not match|no BMEVIDNC/);
  });

  it('refuses an index out of range even under a recomputed digest', () => {
    const bytes = encodeStore(store);
    const body = bytes.slice(0, bytes.length - 32);
    // The last byte of the body is the last event's outcome code: 7 names no outcome.
    body[body.length - 1] = 7;
    const forged = new Uint8Array(bytes.length);
    forged.set(body);
    forged.set(sha256(body), body.length);
    expect(() => decodeStore(forged)).toThrow(/unknown category or outcome/);
  });
});

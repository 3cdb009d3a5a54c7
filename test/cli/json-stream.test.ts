// Streamed JSON is the text JSON.stringify(value, null, 2) gives, for any value, with long arrays at any depth.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonDocument } from '../../cli/json-stream.ts';

const whole = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const streamed = (value: unknown) => [...jsonDocument(value)].join('');

describe('jsonDocument', () => {
  it('equals JSON.stringify with two-space indent for any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => { expect(streamed(value)).toBe(whole(value)); }), { numRuns: 300 });
  });

  it('streams long arrays nested in objects and arrays, calling toJSON and skipping undefined as JSON.stringify does', () => {
    class Lazy { constructor(readonly n: number) {} toJSON() { return { n: this.n, path: [this.n, { deep: [] }] }; } }
    fc.assert(fc.property(fc.integer({ min: 2001, max: 4500 }), fc.jsonValue(), (length, extra) => {
      const value = { head: extra, skipped: undefined, bridges: [{ targets: Array.from({ length }, (_, i) => (i % 7 === 0 ? new Lazy(i) : i % 11 === 0 ? undefined : { i, extra })) }], tail: [] };
      expect(streamed(value)).toBe(whole(value));
    }), { numRuns: 20 });
  });
});

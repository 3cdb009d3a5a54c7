// canonicalInstant, the fast path for the instants records store (`YYYY-MM-DDTHH:MM:SS.sssZ`), against Date.parse:
// the snapshot reader and the findings rules read one per node and must get what Date.parse gives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalInstant } from '../../../engine/store/compact.ts';

describe('canonicalInstant', () => {
  it('equals Date.parse on every canonical instant, years 100 to 9999', () => {
    fc.assert(fc.property(fc.date({ min: new Date('0100-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), (date) => {
      const text = date.toISOString();
      expect(canonicalInstant(text)).toBe(Date.parse(text));
    }), { numRuns: 2000 });
  });

  it('answers NaN, leaving the text to Date.parse, for anything else: other forms, impossible dates, years before 100', () => {
    for (const text of ['2026-01-01', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.000+01:00', '2026-02-30T00:00:00.000Z', '2025-02-29T00:00:00.000Z',
      '2026-13-01T00:00:00.000Z', '2026-01-01T24:00:00.000Z', '0099-01-01T00:00:00.000Z', '2026-01-01T00:00:00.00xZ', '']) {
      expect(canonicalInstant(text), text).toBeNaN();
    }
    expect(canonicalInstant('2024-02-29T12:34:56.789Z')).toBe(Date.parse('2024-02-29T12:34:56.789Z'));
  });
});

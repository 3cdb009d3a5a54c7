// JSON syntax errors as issues: the position our scan finds agrees with V8's wherever V8 states one, the reason never
// quotes the input, and line and column point at the fault.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, jsonSyntaxIssue, lineAndColumn } from '../../engine/errors.ts';

function parseError(text: string): Error | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

describe('JSON syntax errors', () => {
  it('finds the fault where V8 states a position, and accepts what V8 accepts', () => {
    const corrupted = fc.record({
      value: fc.jsonValue({ maxDepth: 4 }),
      at: fc.nat(),
      insert: fc.constantFrom(',', ']', '}', ':', 'x', '"', '\n', '\u0001', '{', '1', ' '),
      cut: fc.boolean(),
    }).map(({ value, at, insert, cut }) => {
      const text = JSON.stringify(value, null, at % 3 === 0 ? 2 : undefined) ?? 'null';
      const p = at % (text.length + 1);
      return cut ? text.slice(0, p) : text.slice(0, p) + insert + text.slice(p);
    });
    fc.assert(fc.property(corrupted, (text) => {
      const error = parseError(text);
      if (error === undefined) {
        expect(jsonErrorOffset(text)).toBe(text.length);
        return;
      }
      const stated = /at position (\d+)/.exec(error.message);
      if (stated) expect(jsonErrorOffset(text)).toBe(Number(stated[1]));
      else expect(jsonErrorOffset(text)).toBeLessThanOrEqual(text.length);
    }), { numRuns: 2000 });
  });

  it('reports the reason without the excerpt V8 quotes, at the line and column of the fault', () => {
    const secret = ['sk', 'live', 'a1B2c3D4e5F6g7H8i9J0k1L2'].join('_');
    const text = `{\n  "token": "${secret}",\n  "next": ]\n}`;
    const issue = jsonSyntaxIssue(text, parseError(text), { file: 'leak.json' });
    expect(issue).toEqual({ file: 'leak.json', path: '$', line: 3, column: 11, message: "not valid JSON: unexpected token ']'" });
    expect(JSON.stringify(issue)).not.toContain(secret.slice(3));
  });

  it('never quotes the text, short or long, whatever the fault (V8 quotes a long text as ..."excerpt"...)', () => {
    const secret = ['xo', 'xb-1234567890-1234567890123-', 'abcdefghijklmnopqrstuvwx'].join('');
    const texts = fc.record({
      before: fc.string({ maxLength: 200 }),
      after: fc.string({ maxLength: 200 }),
      insert: fc.constantFrom('x', ']', '}', ':', '\u0001', "'", '"'),
      quoted: fc.boolean(),
    }).map(({ before, after, insert, quoted }) => `{"a": ${JSON.stringify(before)}, "token": ${quoted ? JSON.stringify(secret) : secret}${insert} ${JSON.stringify(after)}}`);
    fc.assert(fc.property(texts, (text) => {
      const error = parseError(text);
      if (error === undefined) return;
      const issue = jsonSyntaxIssue(text, error, { file: 'leak.json' });
      expect(issue.message).not.toMatch(/is not valid JSON$/);
      for (let i = 0; i + 6 <= secret.length; i++) expect(issue.message, issue.message).not.toContain(secret.slice(i, i + 6));
    }), { numRuns: 500 });
    // The case a user hit: an unquoted token on a line of an inventory.
    const inventory = `{"nodes": [\n  {"id": ${secret} }\n]}\n`;
    expect(jsonSyntaxIssue(inventory, parseError(inventory), { file: 'leak.json' })).toEqual({ file: 'leak.json', path: '$', line: 2, column: 10, message: "not valid JSON: unexpected token 'x'" });
  });

  it('offsets the line of an NDJSON record and names the end of input', () => {
    expect(jsonSyntaxIssue('{"kind": "App"', parseError('{"kind": "App"'), { file: 'a.ndjson', line: 7 })).toMatchObject({ line: 7, column: 15, message: expect.stringMatching(/^not valid JSON: /) });
    expect(jsonSyntaxIssue('', parseError(''))).toMatchObject({ line: 1, column: 1, message: 'not valid JSON: unexpected end of input' });
  });

  it('counts lines and columns from 1', () => {
    expect(lineAndColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});

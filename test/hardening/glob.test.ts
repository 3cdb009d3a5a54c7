// IAM glob matching in the AWS importer runs on patterns from the input: it must agree with the regular-expression
// definition (globRegex) and stay fast on patterns built to make a backtracking regex explode or fail to compile.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globMatch, globRegex } from '../../importers/aws/policy.ts';

const PATTERN_PART = fc.constantFrom('a', 'b', 'A', '*', '?', ':', '/', '$', '{', '}', '${aws:username}', '${*}', '${?}', '${$}');
const TEXT_PART = fc.constantFrom('a', 'b', 'A', '*', '?', ':', '/', '$', '{', '}');

describe('AWS glob matching', () => {
  it('matches exactly what the regular expression of the glob matches', () => {
    fc.assert(fc.property(fc.array(PATTERN_PART, { maxLength: 10 }), fc.array(TEXT_PART, { maxLength: 12 }), fc.boolean(), (pattern, text, ignoreCase) => {
      expect(globMatch(pattern.join(''), text.join(''), ignoreCase)).toBe(globRegex(pattern.join(''), ignoreCase).test(text.join('')));
    }), { numRuns: 3000 });
  });

  it('stays fast on many wildcards and on patterns too long for a regular expression', () => {
    const started = performance.now();
    // A backtracking regex takes about 15 s on this one (and grows exponentially with the stars).
    expect(globMatch(`${'*a'.repeat(10)}b`, 'a'.repeat(40), false)).toBe(false);
    expect(globMatch(`arn:${' '.repeat(300_000)}*`, `arn:${' '.repeat(300_000)}x`, false)).toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

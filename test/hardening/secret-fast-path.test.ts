// The secret scanner's fast path (engine/secrets.ts candidateRules): keywords found by a table instead of a regex over
// every keyword, and rules skipped when the text lacks the run of characters they need. It may only ever skip a rule
// that cannot match: every rule the plain path would run and that matches the text is still run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { candidateRules, mayHoldSecret, requiredRunOf, SECRET_KEYWORDS, SECRET_RULES } from '../../engine/secrets.ts';
import { secretCorpus } from './secret-corpus.ts';

/** Rules the plain path runs that the fast path does not, and that find a match all the same (must be none). */
function wronglySkipped(text: string): string[] {
  const fast = new Set(candidateRules(text) ?? []);
  return (candidateRules(text, true) ?? []).filter((order) => {
    if (fast.has(order)) return false;
    const { pattern } = SECRET_RULES[order]!;
    pattern.lastIndex = 0;
    return pattern.test(text);
  }).map((order) => SECRET_RULES[order]!.name);
}

const corpus = secretCorpus();
// Pieces texts are made of: keywords in any case, secret-shaped values, token-like runs, JSON punctuation, Latin-1.
const piece = fc.oneof(
  fc.constantFrom(...SECRET_KEYWORDS).chain((keyword) => fc.constantFrom(keyword, keyword.toUpperCase(), keyword[0]!.toUpperCase() + keyword.slice(1))),
  fc.constantFrom(...corpus.map((secret) => secret.value)),
  fc.stringMatching(/^[A-Za-z0-9_\-+/=.]{1,60}$/),
  fc.constantFrom('"', '":"', '","', ':', '=', ' ', '\t', '-', '_', '.', '/', '\\n', '{', '}', 'é', 'ſ', 'K', 'ı', '\u00a0'),
);

describe('secret scanner fast path', () => {
  it('never skips a rule that matches: random texts of keywords, secrets and token-like runs', () => {
    fc.assert(fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), (pieces) => {
      expect(wronglySkipped(pieces.join(''))).toEqual([]);
    }), { numRuns: 3000 });
  });

  it('never skips a rule that matches: texts generated from each rule that needs a run, inside or outside its groups', () => {
    // fast-check generates from a regex without lookarounds: they and \b are dropped, and a sample counts only when
    // the rule itself matches it between blanks.
    let matched = 0;
    SECRET_RULES.forEach((rule, order) => {
      if (requiredRunOf(order) === undefined) return;
      const source = rule.pattern.source.replace(/\(\?<?[=!](?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)/g, '').replace(/\\b/g, '');
      let generator: fc.Arbitrary<string>;
      try {
        generator = fc.stringMatching(new RegExp(source, rule.pattern.flags.replace(/[gdy]/g, '')));
      } catch {
        return;
      }
      fc.assert(fc.property(generator, fc.constantFrom('', ' ', '"', '{"note":"', 'x=', '\n'), (sample, around) => {
        const text = `${around}${sample}${around.split('').reverse().join('')}`;
        rule.pattern.lastIndex = 0;
        if (!rule.pattern.test(text)) return;
        matched++;
        expect(wronglySkipped(text), `${rule.name}: ${text}`).toEqual([]);
      }), { numRuns: 25 });
    });
    // Vacuity: most rules that need a run were exercised with texts they match.
    expect(matched).toBeGreaterThan(1000);
  });

  it('never skips a rule that matches: each corpus secret after each keyword, as a JSON property', () => {
    for (const keyword of SECRET_KEYWORDS) {
      for (const secret of corpus) {
        for (const text of [`{"${keyword}":"${secret.value}"}`, `${keyword} = ${secret.value}`, `${keyword.toUpperCase()}_TOKEN=${secret.value};`]) {
          expect(wronglySkipped(text), text).toEqual([]);
        }
      }
    }
  });

  it('finds a line naming vendors in ids, with no token, holds no secret without running the vendor rules', () => {
    const line = '{"kind":"MEMBER_OF","from":"datadog:acme:identity:u-17","to":"okta:acme.okta.com:group:00g-zendesk-admins"}';
    expect(mayHoldSecret(line)).toBe(false);
    const plain = candidateRules(line, true)!.map((order) => SECRET_RULES[order]!.name);
    const fast = (candidateRules(line) ?? []).map((order) => SECRET_RULES[order]!.name);
    expect(plain).toContain('datadog-access-token');
    expect(fast).not.toContain('datadog-access-token');
  });
});

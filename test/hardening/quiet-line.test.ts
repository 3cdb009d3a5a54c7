// quietLine (cli/ndjson-parallel-scan.ts) clears NDJSON lines without the rules' regexes: one pass over the bytes for
// every keyword, the runs the keywords' rules require, their `requires` regexes and the base64 test. It may only ever
// clear a line the full test (`suspect`) finds nothing in; a line it does not clear goes to that test.
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quietLine } from '../../cli/ndjson-parallel-scan.ts';
import { suspect } from '../../cli/ndjson-stream.ts';
import { SECRET_KEYWORDS, SECRET_RULES } from '../../engine/secrets.ts';
import { secretCorpus } from './secret-corpus.ts';

const corpus = secretCorpus();
/** quietLine on the line's UTF-8 bytes, and the full test on those bytes read as Latin-1 (as the scan reads them). */
function decide(line: string): { quiet: boolean; suspect: boolean } {
  const bytes = Buffer.from(`xx${line}\nyy`, 'utf8');
  const end = bytes.indexOf(10);
  return { quiet: quietLine(bytes, 2, end), suspect: suspect(bytes.toString('latin1', 2, end)) };
}

const keyword = fc.constantFrom(...SECRET_KEYWORDS).chain((word) => fc.constantFrom(word, word.toUpperCase(), word[0]!.toUpperCase() + word.slice(1)));
// Values of a node record: ids and names holding keywords, secrets, token-like and base64 runs, separators, Latin-1.
const value = fc.array(fc.oneof(
  keyword,
  fc.constantFrom(...corpus.map((secret) => secret.value)),
  fc.stringMatching(/^[A-Za-z0-9_\-+/=.]{1,60}$/),
  fc.constantFrom(':', '=', ' ', '\t', '-', '_', '.', '/', ' = ', ': ', 'Basic ', '\\', '\\"', 'é', '\u0085', '\u007f', 'okta:acme:credential:', 'password-5b', 'Okta password'),
), { minLength: 0, maxLength: 6 }).map((parts) => parts.join(''));
const key = fc.oneof(fc.constantFrom('id', 'kind', 'type', 'name', 'fingerprint', 'hint', 'tenant'), keyword, value.filter((text) => !text.includes('"')));
const record = fc.array(fc.tuple(key, fc.oneof(value.map((text) => JSON.stringify(text)), fc.constantFrom('true', '12345678', 'null'))), { minLength: 1, maxLength: 8 })
  .map((fields) => `{${fields.map(([name, item]) => `${JSON.stringify(name)}:${item}`).join(',')}}`);

describe('quietLine: clearing NDJSON lines without the rules', () => {
  it('never clears a line the full test flags: random records of keywords, secrets, runs and escapes', () => {
    let quiet = 0;
    let flagged = 0;
    fc.assert(fc.property(fc.oneof(record, value), (line) => {
      const decision = decide(line);
      if (decision.quiet) quiet++;
      if (decision.suspect) flagged++;
      expect(decision.quiet && decision.suspect, line).toBe(false);
    }), { numRuns: 5000 });
    // Vacuity: both kinds of line were generated.
    expect(quiet).toBeGreaterThan(200);
    expect(flagged).toBeGreaterThan(200);
  });

  it('never clears a line holding a corpus secret after each keyword, as a JSON property or an assignment', () => {
    for (const word of SECRET_KEYWORDS) {
      for (const secret of corpus) {
        for (const line of [`{"${word}":"${secret.value}"}`, `{"name":"${word} = ${secret.value}"}`, `{"id":"a:${word}","note":"${secret.value}"}`]) {
          const decision = decide(line);
          expect(decision.quiet && decision.suspect, line).toBe(false);
        }
      }
    }
  });

  it('clears the node lines of a generated inventory that name passwords and tokens, and not their assignments', () => {
    const credential = '{"id":"okta:globex.okta.com:credential:password-5b","kind":"Credential","type":"password","name":"Okta password","platform":"okta","createdAt":"2024-12-25T04:52:35.000Z","fingerprint":"sha256:002c992cc4bce928","tenant":"globex.okta.com","source":"generate"}';
    expect(decide(credential)).toEqual({ quiet: true, suspect: false });
    const token = '{"id":"github:globex:credential:pat-5o","kind":"Credential","type":"pat","name":"Elif Ueda personal access token","platform":"github","hint":"...4ca1","tenant":"globex"}';
    expect(decide(token)).toEqual({ quiet: true, suspect: false });
    const assigned = '{"id":"okta:globex.okta.com:identity:u-1","kind":"Identity","properties":{"note":"password: Summer2024!x"}}';
    expect(decide(assigned)).toEqual({ quiet: false, suspect: true });
  });
});

/** A regex source without its lookarounds (`(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`), nested groups and classes read whole. */
function withoutLookarounds(source: string): string {
  let out = '';
  for (let i = 0; i < source.length;) {
    if (!/^\(\?<?[=!]/.test(source.slice(i))) {
      const step = source[i] === '\\' ? 2 : 1;
      out += source.slice(i, i + step);
      i += step;
      continue;
    }
    let depth = 0;
    let inClass = false;
    for (; i < source.length; i++) {
      const char = source[i]!;
      if (char === '\\') { i++; continue; }
      if (inClass) { if (char === ']') inClass = false; continue; }
      if (char === '[') inClass = true;
      else if (char === '(') depth++;
      else if (char === ')' && --depth === 0) { i++; break; }
    }
  }
  return out;
}

describe('rules.json `requires`: every match of the rule holds a match of it', () => {
  it('texts generated from each rule with `requires` (lookarounds dropped) that the rule matches', () => {
    let matched = 0;
    for (const rule of SECRET_RULES) {
      if (rule.requires === undefined) continue;
      const source = withoutLookarounds(rule.pattern.source).replace(/\\b/g, '');
      // fast-check does not generate from a case-insensitive regex: a sample of the regex without `i`, its letters
      // then put in random case.
      const generator = fc.tuple(fc.stringMatching(new RegExp(source, rule.pattern.flags.replace(/[gdyi]/g, ''))), fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }))
        .map(([sample, upper]) => (rule.pattern.flags.includes('i') ? [...sample].map((char, i) => (upper[i % 64] ? char.toUpperCase() : char.toLowerCase())).join('') : sample));
      fc.assert(fc.property(generator, fc.constantFrom('', ' ', '"', '{"note":"', 'x=', '\n'), (sample, around) => {
        const text = `${around}${sample}${around.split('').reverse().join('')}`;
        rule.pattern.lastIndex = 0;
        if (!rule.pattern.test(text)) return;
        matched++;
        expect(rule.requires!.test(text), `${rule.name}: ${text}`).toBe(true);
      }), { numRuns: 2000 });
    }
    expect(matched).toBeGreaterThan(500);
  });
});

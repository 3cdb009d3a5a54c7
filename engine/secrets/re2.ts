// Translates the RE2 (Go) regular expressions of a published secret-scanning rule set into JavaScript sources:
// inline flags become explicit character classes, so a rule compiles with no flags and means what it meant in Go.

const POSIX: Record<string, string> = {
  alnum: 'a-zA-Z0-9', alpha: 'a-zA-Z', digit: '0-9', lower: 'a-z', upper: 'A-Z', space: '\\t\\n\\v\\f\\r ', xdigit: '0-9a-fA-F',
  word: '\\w', punct: '!-\\/:-@\\[-`{-~', blank: ' \\t', cntrl: '\\x00-\\x1f\\x7f', print: ' -~', graph: '!-~', ascii: '\\x00-\\x7f',
};

interface Flags { i: boolean; s: boolean }

/** The other case of the letters in [lo, hi], as class ranges (empty when the range holds no letter). */
function otherCase(lo: number, hi: number): string {
  const out: string[] = [];
  const add = (from: number, to: number, shift: number) => {
    const a = Math.max(lo, from);
    const b = Math.min(hi, to);
    if (a <= b) out.push(a === b ? esc(a + shift) : `${esc(a + shift)}-${esc(b + shift)}`);
  };
  add(0x61, 0x7a, -32);
  add(0x41, 0x5a, 32);
  return out.join('');
}

const esc = (code: number): string => {
  const c = String.fromCharCode(code);
  return /[A-Za-z0-9]/.test(c) ? c : `\\x${code.toString(16).padStart(2, '0')}`;
};

/** A character class body `[...]` starting at `at` (just after `[`); returns the JS class and where it ends. */
function readClass(source: string, at: number, flags: Flags): { text: string; end: number } {
  let i = at;
  let negated = false;
  if (source[i] === '^') { negated = true; i++; }
  const parts: string[] = [];
  const extra: string[] = [];
  let first = true;
  while (i < source.length && (source[i] !== ']' || first)) {
    first = false;
    if (source.startsWith('[:', i)) {
      const close = source.indexOf(':]', i);
      const name = source.slice(i + 2, close);
      const body = POSIX[name];
      if (body === undefined) throw new Error(`unknown POSIX class [:${name}:]`);
      parts.push(body);
      i = close + 2;
      continue;
    }
    let lo: number;
    let token: string;
    if (source[i] === '\\') {
      const next = source[i + 1]!;
      if (next === 'x') {
        const hex = source.slice(i + 2, i + 4);
        lo = parseInt(hex, 16);
        token = `\\x${hex}`;
        i += 4;
      } else if (/[wWdDsS]/.test(next)) {
        parts.push(`\\${next}`);
        i += 2;
        continue;
      } else {
        const literal: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11 };
        lo = literal[next] ?? next.charCodeAt(0);
        token = `\\${next}`;
        i += 2;
      }
    } else {
      lo = source.charCodeAt(i);
      token = /[\]\\^-]/.test(source[i]!) ? `\\${source[i]}` : source[i]!;
      i++;
    }
    let hi = lo;
    if (source[i] === '-' && source[i + 1] !== ']' && i + 1 < source.length) {
      let hiToken: string;
      if (source[i + 1] === '\\') {
        const next = source[i + 2]!;
        if (next === 'x') { hi = parseInt(source.slice(i + 3, i + 5), 16); hiToken = `\\x${source.slice(i + 3, i + 5)}`; i += 5; } else { hi = next.charCodeAt(0); hiToken = `\\${next}`; i += 3; }
      } else { hi = source.charCodeAt(i + 1); hiToken = /[\]\\^-]/.test(source[i + 1]!) ? `\\${source[i + 1]}` : source[i + 1]!; i += 2; }
      parts.push(`${token}-${hiToken}`);
    } else parts.push(token);
    if (flags.i) extra.push(otherCase(lo, hi));
  }
  if (source[i] !== ']') throw new Error('unterminated character class');
  return { text: `[${negated ? '^' : ''}${parts.join('')}${extra.join('')}]`, end: i + 1 };
}

/**
 * One RE2 expression as a JavaScript source with no flags. Handles what published rule sets use: `(?i)` and
 * `(?-i:…)`-style inline flags (case-insensitivity expanded into classes; `(?s)` turns `.` into `[\s\S]`), POSIX
 * classes, `(?P<name>…)`, `\z` and `\A`. Anything else unusual throws, so a rule that cannot be translated is named.
 */
export function re2ToJs(source: string): string {
  let out = '';
  const stack: Flags[] = [];
  let flags: Flags = { i: false, s: false };
  for (let i = 0; i < source.length;) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined) throw new Error('trailing backslash');
      if (next === 'z') { out += '$'; i += 2; continue; }
      if (next === 'A') { out += '^'; i += 2; continue; }
      if (/[pPQEC]/.test(next)) throw new Error(`unsupported escape \\${next}`);
      if (next === 'x') {
        if (source[i + 2] === '{') throw new Error('unsupported \\x{…}');
        out += source.slice(i, i + 4);
        i += 4;
        continue;
      }
      if (flags.i && /[a-zA-Z]/.test(next) && !/[wWdDsSbBnrtfv]/.test(next)) throw new Error(`unsupported escape \\${next}`);
      out += source.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === '[') {
      const cls = readClass(source, i + 1, flags);
      out += cls.text;
      i = cls.end;
      continue;
    }
    if (c === '(') {
      if (source.startsWith('(?P<', i)) { stack.push(flags); out += '(?<'; i += 4; continue; }
      const inline = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(source.slice(i));
      if (inline && (inline[1] !== '' || inline[2] !== undefined)) {
        const next: Flags = { ...flags };
        for (const f of inline[1]!) { if (f === 'i') next.i = true; else if (f === 's') next.s = true; else throw new Error(`unsupported flag ${f}`); }
        for (const f of inline[2] ?? '') { if (f === 'i') next.i = false; else if (f === 's') next.s = false; else throw new Error(`unsupported flag ${f}`); }
        if (inline[3] === ')') flags = next; // to the end of the enclosing group
        else { stack.push(flags); flags = next; out += '(?:'; }
        i += inline[0].length;
        continue;
      }
      stack.push(flags);
      if (source.startsWith('(?:', i)) { out += '(?:'; i += 3; continue; }
      if (source[i + 1] === '?') throw new Error(`unsupported group ${source.slice(i, i + 4)}`);
      out += '(';
      i++;
      continue;
    }
    if (c === ')') {
      flags = stack.pop() ?? flags;
      out += ')';
      i++;
      continue;
    }
    if (c === '.' ) { out += flags.s ? '[\\s\\S]' : '.'; i++; continue; }
    if (flags.i && /[a-zA-Z]/.test(c)) {
      // A letter inside a quantifier's braces cannot occur; outside, it matches either case.
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
      i++;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/**
 * Drops the leading `[\w.-]{0,50}?` that gitleaks' vendor rules put before the vendor name (also inside a leading
 * `(?:`): it only widens the match to the left, never what the secret group captures, and in a backtracking engine
 * two nested lazy prefixes cost 50 x 50 steps at every position (RE2 is linear; JavaScript is not).
 */
export function withoutLeadingContext(source: string): string {
  const prefix = /^(\(\?:)?\[\\w\.\\-\]\{0,\d+\}\?/;
  let out = source;
  for (let match = prefix.exec(out); match; match = prefix.exec(out)) out = (match[1] ?? '') + out.slice(match[0].length);
  return out;
}

/**
 * gitleaks ends many token rules with a delimiter (`(?:[\x60'"\s;]|\\[nr]|$)`: a quote, a blank, `;`, an escaped
 * newline or the end). In data, a token is also followed by `-`, `.`, `/`, `:` or `,` (an id built from parts, a
 * sentence): any character that cannot continue the token ends it, so the rule still finds it.
 */
export function looserDelimiter(source: string): string {
  return source.replace(/\(\?:\[\\x60'"\\s;\]\|\\\\\[nr(?:NR)?\]\|\$\)/g, '(?![A-Za-z0-9])');
}

// Recognises secrets so they never enter the graph, a snapshot, an export or a report. Detection is data: gitleaks'
// published rule set (engine/secrets/gitleaks.json, converted by scripts/secrets/gitleaks-to-json.ts) and blastmap's
// own keyword-context and shape rules (engine/secrets/rules.json); credential identifiers are kept (docs/security.md).
import gitleaks from './secrets/gitleaks.json' with { type: 'json' };
import own from './secrets/rules.json' with { type: 'json' };

interface AllowList { regexTarget: string; regexes: RegExp[]; stopwords: string[] }

export interface SecretRule {
  /** The rule's id, shown in redaction markers (`[REDACTED:<id>:…]`). */
  name: string;
  /** Global, with match indices, for finding every match and its secret group. */
  pattern: RegExp;
  /** Lower-case literals one of which every match contains: the prefilter. Empty: always run. */
  keywords: readonly string[];
  /** The capture group that is the secret; undefined: the first non-empty group, else the whole match. */
  secretGroup: number | undefined;
  /** A regex some part of every match matches (rules.json `requires`): a text without a match of it is not given `pattern`. */
  requires: RegExp | undefined;
  /** Shannon entropy (bits per character) below which a match is not a secret. */
  entropy: number | undefined;
  allowlists: readonly AllowList[];
  origin: 'blastmap' | 'gitleaks';
}

interface RuleData { id: string; regex: string; flags?: string; requires?: string; keywords: string[]; entropy?: number; secretGroup?: number; allowlists?: { regexTarget: string; regexes: string[]; stopwords: string[] }[] }

const disabled = new Set([...Object.keys(own.disabledGitleaksRules), ...own.identifierRules.ids]);
const refinedKeywords = own.keywordRefinements as unknown as Record<string, string[] | string>;

function compile(rule: RuleData, origin: SecretRule['origin']): SecretRule {
  const refined = refinedKeywords[rule.id];
  return {
    name: rule.id,
    pattern: new RegExp(rule.regex, `${(rule.flags ?? '').replace(/[gd]/g, '')}gd`),
    keywords: Array.isArray(refined) ? refined : rule.keywords,
    requires: rule.requires === undefined ? undefined : new RegExp(rule.requires, (rule.flags ?? '').replace(/[gdy]/g, '')),
    secretGroup: rule.secretGroup,
    entropy: rule.entropy,
    allowlists: (rule.allowlists ?? []).map((allow) => ({ regexTarget: allow.regexTarget, regexes: allow.regexes.map((source) => new RegExp(source)), stopwords: allow.stopwords })),
    origin,
  };
}

/** Every active rule, blastmap's first: when matches overlap, the run is named by the rule listed first. */
export const SECRET_RULES: readonly SecretRule[] = [
  ...(own.rules as RuleData[]).map((rule) => compile(rule, 'blastmap')),
  ...(gitleaks.rules as RuleData[]).filter((rule) => !disabled.has(rule.id)).map((rule) => compile(rule, 'gitleaks')),
];

/** The rule set's version, for reports and docs. */
export const SECRET_RULESET = { gitleaksVersion: gitleaks.version, gitleaksCommit: gitleaks.commit, rules: SECRET_RULES.length };

const GLOBAL_ALLOW = gitleaks.allowlist.regexes.map((source) => new RegExp(source));
const GLOBAL_STOPWORDS = gitleaks.allowlist.stopwords;

/** Every prefilter literal, lower-case: a text holding none of them holds no secret any rule finds. */
export const SECRET_KEYWORDS: readonly string[] = [...new Set(SECRET_RULES.flatMap((rule) => rule.keywords))].sort();

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** Longest first, so that at one position the alternation reports the longest keyword (its prefixes follow from it). */
const BY_LENGTH = [...SECRET_KEYWORDS].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
const KEYWORD_UNION = new RegExp(BY_LENGTH.map(escapeRegExp).join('|'), 'i');
const KEYWORD_SCAN = new RegExp(KEYWORD_UNION.source, 'gi');
/** For each keyword, the rules (by order) that a text holding it may match: its own and those of its prefixes. */
const RULES_OF_KEYWORD = new Map<string, number[]>(SECRET_KEYWORDS.map((keyword) => [keyword, SECRET_RULES.flatMap((rule, order) => (rule.keywords.some((own) => keyword.startsWith(own)) ? [order] : []))]));
const ALWAYS_RUN = SECRET_RULES.flatMap((rule, order) => (rule.keywords.length === 0 ? [order] : []));

// ---- fast path --------------------------------------------------------------------------------------------------
// A rule that needs a long run of some characters (`[a-z0-9A-Z]{40}` after a vendor name) is not run on a text
// that has no such run: most lines that name a vendor (`datadog:…`, `okta:…` in ids) hold a keyword and no token.

/**
 * A run the rule cannot match without: `min` consecutive characters of a class, taken from a `[…]{n}` element that
 * every match contains: one inside no group, or inside groups that every match passes through (none made optional by
 * `?`, `*` or `{0,…}`, none a lookaround, none holding an alternation of its own), in a regex with no top-level
 * alternation. Characters beyond Latin-1 count as members (never a wrong skip).
 */
interface RequiredRun { member: Uint8Array; min: number }

/** Per group of a regex source, by the index of its `(`: whether every match passes through it. */
function requiredGroups(source: string): Map<number, boolean> | undefined {
  const required = new Map<number, boolean>();
  const open: { at: number; alternation: boolean }[] = [];
  const closed: { at: number; alternation: boolean; close: number }[] = [];
  for (let i = 0; i < source.length;) {
    const c = source[i]!;
    if (c === '\\') { i += 2; continue; }
    if (c === '[') {
      const end = classEnd(source, i);
      if (end < 0) return undefined;
      i = end;
      continue;
    }
    if (c === '(') open.push({ at: i, alternation: false });
    else if (c === ')') {
      const group = open.pop();
      if (group === undefined) return undefined;
      closed.push({ ...group, close: i });
    } else if (c === '|') {
      if (open.length === 0) return undefined;
      open[open.length - 1]!.alternation = true;
    }
    i++;
  }
  if (open.length > 0) return undefined;
  for (const { at, alternation, close } of closed) {
    const lookaround = /^\(\?(?:=|!|<=|<!)/.test(source.slice(at));
    const optional = /^(?:\?|\*|\{0[,}])/.test(source.slice(close + 1));
    required.set(at, !lookaround && !optional && !alternation);
  }
  return required;
}

function requiredRun(rule: SecretRule): RequiredRun | undefined {
  const source = rule.pattern.source;
  const flags = rule.pattern.flags.replace(/[gdy]/g, '');
  const groups = requiredGroups(source);
  if (groups === undefined) return undefined;
  // Groups open at this point, and how many of them some match may skip.
  const stack: boolean[] = [];
  let skippable = 0;
  let best: { cls: string; min: number } | undefined;
  for (let i = 0; i < source.length;) {
    const c = source[i]!;
    if (c === '\\') { i += 2; continue; }
    if (c === '[') {
      const end = classEnd(source, i);
      if (end < 0) return undefined;
      const quantifier = /^\{(\d+)(?:,\d*)?\}/.exec(source.slice(end));
      if (skippable === 0 && quantifier && Number(quantifier[1]) > (best?.min ?? 0)) best = { cls: source.slice(i, end), min: Number(quantifier[1]) };
      i = end;
      continue;
    }
    if (c === '(') {
      const required = groups.get(i)!;
      stack.push(required);
      if (!required) skippable++;
      i++;
      continue;
    }
    if (c === ')') {
      if (!stack.pop()) skippable--;
      i++;
      continue;
    }
    i++;
  }
  if (!best || best.min < 8) return undefined;
  let test: RegExp;
  try {
    test = new RegExp(`^${best.cls}$`, flags);
  } catch {
    return undefined;
  }
  const key = `${best.cls}/${flags}`;
  let member = MEMBER_TABLES.get(key);
  if (!member) {
    member = new Uint8Array(256);
    for (let code = 0; code < 256; code++) member[code] = test.test(String.fromCharCode(code)) ? 1 : 0;
    MEMBER_TABLES.set(key, member);
  }
  return { member, min: best.min };
}



/** Index just past the character class that opens at `start` (`[`), or -1. */
function classEnd(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') i++;
  for (; i < source.length; i++) {
    if (source[i] === '\\') { i++; continue; }
    if (source[i] === ']') return i + 1;
  }
  return -1;
}

/** One table per distinct class, so a text's longest run is measured once per class. */
const MEMBER_TABLES = new Map<string, Uint8Array>();
const REQUIRED_RUNS: (RequiredRun | undefined)[] = SECRET_RULES.map(requiredRun);

/**
 * The run rule `order` cannot match without (members by Latin-1 code, characters beyond count as members), or
 * undefined when it needs none that is known. For callers that test a text in parts (cli/ndjson-parallel-scan.ts).
 */
export function requiredRunOf(order: number): { readonly member: Uint8Array; readonly min: number } | undefined {
  return REQUIRED_RUNS[order];
}

/** The longest run of `text` made of members of `member` (by Latin-1 code; characters beyond count as members). */
export function longestRun(text: string, member: Uint8Array): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff || member[code] === 1) { if (++run > longest) longest = run; } else run = 0;
  }
  return longest;
}

/** The rules (by order) a text holding `keyword` (one of SECRET_KEYWORDS) may match: its own and those of its prefixes. */
export function rulesOfKeyword(keyword: string): readonly number[] {
  return RULES_OF_KEYWORD.get(keyword) ?? [];
}

/** Whether some rule runs on every text, whatever keywords it holds (then no text can be cleared by keywords alone). */
export const SOME_RULE_ALWAYS_RUNS = ALWAYS_RUN.length > 0;

/** The rules whose keywords `text` holds (and those that always run), or undefined when there are none. */
export function keywordRules(text: string): Set<number> | undefined {
  const orders = new Set<number>(ALWAYS_RUN);
  // One pass (no separate test first); resuming one character after each match start finds keywords that overlap
  // or start inside another one.
  KEYWORD_SCAN.lastIndex = 0;
  for (let match = KEYWORD_SCAN.exec(text); match !== null; match = KEYWORD_SCAN.exec(text)) {
    for (const order of RULES_OF_KEYWORD.get(match[0].toLowerCase())!) orders.add(order);
    KEYWORD_SCAN.lastIndex = match.index + 1;
  }
  return orders.size > 0 ? orders : undefined;
}

/**
 * The rules whose keywords `text` holds, whose required run it has and whose `requires` regex matches it, in rule
 * order; undefined when none.
 * `plain`: the reference the fast path is tested against (a regex over every keyword, no run test).
 */
export function candidateRules(text: string, plain = false): number[] | undefined {
  const orders = keywordRules(text);
  if (orders === undefined) return undefined;
  if (plain) return [...orders].sort((a, b) => a - b);
  const longest = new Map<Uint8Array, number>();
  const out: number[] = [];
  for (const order of orders) {
    const run = REQUIRED_RUNS[order];
    if (run !== undefined) {
      let length = longest.get(run.member);
      if (length === undefined) { length = longestRun(text, run.member); longest.set(run.member, length); }
      if (length < run.min) continue;
    }
    const requires = SECRET_RULES[order]!.requires;
    if (requires !== undefined && !requires.test(text)) continue;
    out.push(order);
  }
  return out.length > 0 ? out.sort((a, b) => a - b) : undefined;
}

/** Property names whose values are secret by definition, whatever they look like. */
const SECRET_FIELD = new RegExp(own.secretFieldNames.pattern, own.secretFieldNames.flags);

export function isSecretFieldName(name: string): boolean {
  return SECRET_FIELD.test(name);
}

/** Shannon entropy of `text` in bits per character. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function allowed(rule: SecretRule, secret: string, match: string, line: string): boolean {
  const lower = secret.toLowerCase();
  if (GLOBAL_STOPWORDS.some((word) => lower.includes(word))) return true;
  if (GLOBAL_ALLOW.some((regex) => regex.test(secret))) return true;
  for (const allow of rule.allowlists) {
    const target = allow.regexTarget === 'match' ? match : allow.regexTarget === 'line' ? line : secret;
    if (allow.regexes.some((regex) => regex.test(target))) return true;
    if (allow.stopwords.some((word) => lower.includes(word))) return true;
  }
  return false;
}

// ---- base64-wrapped secrets (rules.json `base64`) -------------------------------------------------------------

const BASE64 = own.base64;
/** Each character's 6-bit value in base64 or base64url; -1 for any other character (and any code above 0x7f). */
const BASE64_VALUE = new Int8Array(256).fill(-1);
[...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].forEach((char, value) => { BASE64_VALUE[char.charCodeAt(0)] = value; });
BASE64_VALUE['-'.charCodeAt(0)] = 62;
BASE64_VALUE['_'.charCodeAt(0)] = 63;
/** Bits of a character's role in a group of four that encodes text: 1 as its first, 2 as its second, 4 as its third. */
const TEXT_ROLE = new Uint8Array(256);
for (let code = 0; code < 256; code++) {
  const value = BASE64_VALUE[code]!;
  if (value < 0) continue;
  TEXT_ROLE[code] = (value >= 2 && value <= 31 ? 1 : 0) | ((value & 0x8) === 0 ? 2 : 0) | ((value & 0x2) === 0 ? 4 : 0);
}
const SHORTEST_RUN = Math.min(BASE64.minLength, BASE64.authorizationSchemes.minLength);
const BASE64_RUN = new RegExp(`[A-Za-z0-9+/_-]{${SHORTEST_RUN},}`, 'g');
/** The authorization schemes, lower-case, as character codes: compared backwards from a run without allocating. */
const AUTH_SCHEMES = BASE64.authorizationSchemes.schemes.map((scheme) => Array.from(scheme.toLowerCase(), (char) => char.charCodeAt(0)));

/** Whether an authorization scheme and blanks (`Basic `) end just before `start`, from `lineStart` on. */
function schemeBefore(codes: Uint8Array | string, lineStart: number, start: number): boolean {
  // Most runs follow a quote or a colon: answered before anything is allocated.
  if (start <= lineStart) return false;
  const previous = typeof codes === 'string' ? codes.charCodeAt(start - 1) : codes[start - 1]!;
  if (previous !== 0x20 && previous !== 0x09) return false;
  const at = (i: number): number => (typeof codes === 'string' ? codes.charCodeAt(i) : codes[i]!);
  let end = start;
  while (end > lineStart && (at(end - 1) === 0x20 || at(end - 1) === 0x09)) end--;
  if (end === start) return false;
  return AUTH_SCHEMES.some((scheme) => {
    const from = end - scheme.length;
    if (from < lineStart) return false;
    for (let k = 0; k < scheme.length; k++) if ((at(from + k) | 0x20) !== scheme[k]) return false;
    // A whole word: `xbasic ` is no scheme.
    const previous = from === lineStart ? 0x20 : at(from - 1) | 0x20;
    return !((previous >= 0x61 && previous <= 0x7a) || (previous >= 0x30 && previous <= 0x39));
  });
}
const AUTH_CREDENTIAL = new RegExp(BASE64.authorizationSchemes.credential);
/** The marker rule of a `user:password` pair after an authorization scheme: listed after every rule. */
const BASIC_CREDENTIAL = 'base64-basic-credential';

/**
 * Whether the four base64 characters from `i` (fewer at `end`) could encode printable text (ASCII, tab, newline)
 * without decoding them: the first holds a text byte's top six bits (below 0x80: value < 32; a printable byte or a
 * blank: >= 2), the second the next byte's top bit (0), the third the third byte's (0). Random data passes one group
 * in ten, so ids, hashes and binary keys are refused after a few groups.
 */
function textQuad(code: (i: number) => number, i: number, end: number): boolean {
  if ((TEXT_ROLE[code(i) & 0xff]! & 1) === 0 || code(i) > 0xff) return false;
  if (i + 1 < end && (TEXT_ROLE[code(i + 1) & 0xff]! & 2) === 0) return false;
  return i + 2 >= end || (TEXT_ROLE[code(i + 2) & 0xff]! & 4) !== 0;
}

/**
 * The longest stretch, at any of the four alignments, of the base64 run [start, end) of `codes` that could encode text
 * (textQuad, inlined without a closure: the byte prefilter of big NDJSON imports runs this on every line no keyword
 * opened). `codes` is bytes read as Latin-1, or a string whose run holds base64 characters only.
 */
function longestTextStretch(codes: Uint8Array | string, start: number, end: number): number {
  let longest = 0;
  const bytes = typeof codes === 'string' ? undefined : codes;
  const text = typeof codes === 'string' ? codes : '';
  for (let align = 0; align < 4 && end - start - align > longest; align++) {
    let from = start + align;
    for (let i = from; i < end; i += 4) {
      const first = bytes ? bytes[i]! : text.charCodeAt(i);
      const second = i + 1 < end ? (bytes ? bytes[i + 1]! : text.charCodeAt(i + 1)) : -1;
      const third = i + 2 < end ? (bytes ? bytes[i + 2]! : text.charCodeAt(i + 2)) : -1;
      // Run characters are base64 characters, all below 0x80.
      if ((TEXT_ROLE[first]! & 1) !== 0 && (second < 0 || (TEXT_ROLE[second]! & 2) !== 0) && (third < 0 || (TEXT_ROLE[third]! & 4) !== 0)) continue;
      if (i - from > longest) longest = i - from;
      from = i + 4;
      // What is left at this alignment cannot be longer: on to the next one.
      if (end - from <= longest || end - from < SHORTEST_RUN) { from = end; break; }
    }
    if (end - from > longest) longest = end - from;
    if (longest >= BASE64.minLength) return longest;
  }
  return longest;
}

/** Whether the base64 run [start, end) of a line (from `lineStart`) is long enough, encoding text, to be decoded. */
function runMayHoldEncoded(codes: Uint8Array | string, lineStart: number, start: number, end: number): boolean {
  // After a scheme a short run will do; elsewhere only a long one (most runs of a line are short words and ids).
  const afterScheme = schemeBefore(codes, lineStart, start);
  if (!afterScheme && end - start < BASE64.minLength) return false;
  return longestTextStretch(codes, start, end) >= (afterScheme ? BASE64.authorizationSchemes.minLength : BASE64.minLength);
}

/**
 * Whether `text` holds a base64 run that could wrap a secret: long enough, and encoding text at some alignment. No
 * allocation: the cheap test before encodedRuns decodes anything.
 */
function mayHoldEncoded(text: string): boolean {
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 256 && BASE64_VALUE[code]! >= 0) continue;
    if (i - runStart >= SHORTEST_RUN && runMayHoldEncoded(text, 0, runStart, i)) return true;
    runStart = i + 1;
  }
  return text.length - runStart >= SHORTEST_RUN && runMayHoldEncoded(text, 0, runStart, text.length);
}

/**
 * Bytes [start, end) of a line (read as Latin-1) may hold a secret wrapped in base64 (mayHoldEncoded on bytes): what a
 * byte prefilter that looks only for rules' keywords (cli/ndjson-parallel-scan.ts) must also let through.
 */
export function mayHoldEncodedSecret(bytes: Uint8Array, start: number, end: number): boolean {
  let runStart = start;
  for (let i = start; i < end; i++) {
    if (BASE64_VALUE[bytes[i]!]! >= 0) continue;
    if (i - runStart >= SHORTEST_RUN && runMayHoldEncoded(bytes, start, runStart, i)) return true;
    runStart = i + 1;
  }
  return end - runStart >= SHORTEST_RUN && runMayHoldEncoded(bytes, start, runStart, end);
}

/**
 * The stretches [from, to) of the base64 run [start, end), at any of the four alignments, that could encode text and
 * are at least `min` characters long: a token glued to other characters (`ghp_x/<base64>`, `<base64>-id`) is found
 * at its own alignment.
 */
function* textStretches(code: (i: number) => number, start: number, end: number, min: number): Generator<[number, number]> {
  for (let align = 0; align < 4 && start + align + min <= end; align++) {
    let from = start + align;
    let i = from;
    for (; i < end; i += 4) {
      if (textQuad(code, i, end)) continue;
      if (i - from >= min) yield [from, i];
      from = i + 4;
    }
    if (Math.min(i, end) - from >= min) yield [from, Math.min(i, end)];
  }
}

/** The bytes `run` (base64 or base64url, padding optional) decodes to, as a Latin-1 string; undefined if it cannot. */
function decodeBase64(run: string): string | undefined {
  let standard = run.replace(/-/g, '+').replace(/_/g, '/');
  if (standard.length % 4 === 1) standard = standard.slice(0, -1);
  try {
    return atob(standard.padEnd(Math.ceil(standard.length / 4) * 4, '='));
  } catch {
    return undefined;
  }
}

/**
 * The printable stretches of decoded bytes worth testing: a stretch found at the wrong edge (a glued character whose
 * group happened to look like text) decodes to a few stray bytes around the real text.
 */
const DECODED_TEXT = /[\x20-\x7e\t\n\r]{8,}/g;

/**
 * The base64 runs of `text` that decode to a secret: text any rule finds a secret in (`[REDACTED:base64-<rule>]`), or a
 * `user:password` pair after an authorization scheme (`Basic dXNlcjpwYXNz`). Only runs that could be base64 of text
 * are decoded (textStretches), so real data's hashes, ids and certificates cost a few character tests.
 */
function encodedRuns(text: string, firstOnly: boolean, depth: number): Run[] {
  const runs: Run[] = [];
  if (depth >= BASE64.maxDepth || text.length < SHORTEST_RUN || !mayHoldEncoded(text)) return runs;
  const code = (i: number): number => text.charCodeAt(i);
  // matchAll scans a copy of the pattern: the decoded text is scanned by this same function meanwhile.
  for (const match of text.matchAll(BASE64_RUN)) {
    const start = match.index;
    const end = start + match[0].length;
    const afterScheme = schemeBefore(text, 0, start);
    for (const [from, to] of textStretches(code, start, end, afterScheme ? BASE64.authorizationSchemes.minLength : BASE64.minLength)) {
      const decoded = decodeBase64(text.slice(from, to));
      if (decoded === undefined) continue;
      let name: string | undefined;
      let order = SECRET_RULES.length;
      for (const [printable] of decoded.matchAll(DECODED_TEXT)) {
        const [inner] = secretRuns(printable, true, depth + 1);
        if (inner === undefined) continue;
        ({ order, name } = { order: inner.order, name: `base64-${inner.name ?? SECRET_RULES[inner.order]!.name}` });
        break;
      }
      if (name === undefined && afterScheme && from === start && /^[\x20-\x7e]+$/.test(decoded) && AUTH_CREDENTIAL.test(decoded)) name = BASIC_CREDENTIAL;
      if (name === undefined) continue;
      // The whole run and its padding: what surrounds the encoded secret in it is not worth a partial marker.
      let padded = end;
      while (padded < text.length && padded - end < 2 && text[padded] === '=') padded++;
      runs.push({ start, end: padded, order, name });
      if (firstOnly) return runs;
      break;
    }
  }
  return runs;
}

interface Run { start: number; end: number; order: number; name?: string }

/** The runs [start, end) of `text` that rules find secret, each with the order of its rule. */
function secretRuns(text: string, firstOnly: boolean, depth = 0): Run[] {
  const runs: Run[] = [];
  const candidates = candidateRules(text);
  if (candidates === undefined) return encodedRuns(text, firstOnly, depth);
  // Markers left by an earlier pass (`[REDACTED:github-token:…]`) are not text to scan: `token:…` is no assignment.
  const markers: [number, number][] = [];
  if (text.includes('[REDACTED')) for (const m of text.matchAll(/\[REDACTED[^\]\s]*\]/g)) markers.push([m.index, m.index + m[0].length]);
  const inMarker = (start: number, end: number): boolean => markers.some(([from, to]) => start < to && end > from);
  for (const order of candidates) {
    const rule = SECRET_RULES[order]!;
    const { pattern } = rule;
    // Matches of one rule may overlap too (`SSWS a…-SSWS b…`): after each match the search resumes one character
    // after its start; a match found inside and ending no further is skipped to the end, so a long run of one
    // rule's prefixes is scanned twice, not once per prefix.
    pattern.lastIndex = 0;
    let reach = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      const start = match.index;
      const end = start + match[0].length;
      let group = rule.secretGroup;
      if (group === undefined) for (let g = 1; g < match.length; g++) if (match[g]) { group = g; break; }
      const span = group !== undefined && match.indices?.[group] ? match.indices[group]! : [start, end] as [number, number];
      pattern.lastIndex = start + 1;
      if (end <= reach) {
        // A rule whose secret is a group (`key = value`) resumes at that value: a later key inside it may start a
        // match of its own (`key = a…-password: b`). Others resume past what is already covered.
        pattern.lastIndex = span[0] > start ? Math.max(start + 1, span[0]) : Math.max(reach, start + 1);
        continue;
      }
      reach = end;
      const secret = text.slice(span[0], span[1]);
      if (secret === '') continue;
      if (rule.entropy !== undefined && shannonEntropy(secret) < rule.entropy) continue;
      if (allowed(rule, secret, match[0], text)) continue;
      if (markers.length > 0 && inMarker(span[0], span[1])) continue;
      runs.push({ start: span[0], end: span[1], order });
      if (firstOnly) return runs;
    }
  }
  const encoded = encodedRuns(text, firstOnly, depth).filter((run) => markers.length === 0 || !inMarker(run.start, run.end));
  return runs.length === 0 ? encoded : [...runs, ...encoded];
}

/** False only when redactText would leave `text` unchanged. */
export function mayHoldSecret(text: string): boolean {
  return secretRuns(text, true).length > 0;
}

/** True when `text` holds one of the prefilter literals (case-insensitively): the cheap first test. */
export function holdsSecretKeyword(text: string): boolean {
  return ALWAYS_RUN.length > 0 || KEYWORD_UNION.test(text);
}

/** Name of a rule the text matches, or undefined. */
export function findSecret(text: string): string | undefined {
  const [run] = secretRuns(text, true);
  return run === undefined ? undefined : run.name ?? SECRET_RULES[run.order]!.name;
}

export const REDACTED = '[REDACTED]';

/**
 * Replaces every secret in `text` by a marker naming its rule (`mark` may add to it, e.g. a fingerprint so that ids
 * stay distinct). Every rule is matched against the original text and overlapping runs are replaced as one, named
 * by the rule listed first: replacing one rule's matches before looking for the next let a token whose characters
 * allow `-` swallow the start of the secret after it, which then went unrecognised.
 */
export function redactText(text: string, mark: (name: string, match: string) => string = (name) => `[REDACTED:${name}]`): { text: string; found: string[] } {
  const runs = secretRuns(text, false);
  if (runs.length === 0) return { text, found: [] };
  runs.sort((a, b) => a.start - b.start || b.end - a.end);
  const found: string[] = [];
  let out = '';
  let at = 0;
  for (let i = 0; i < runs.length;) {
    let { start, end, order, name: named } = runs[i]!;
    // Runs that overlap this one (or one merged into it) become one run.
    for (i++; i < runs.length && runs[i]!.start < end; i++) {
      end = Math.max(end, runs[i]!.end);
      if (runs[i]!.order < order || (runs[i]!.order === order && named !== undefined)) ({ order, name: named } = runs[i]!);
    }
    const name = named ?? SECRET_RULES[order]!.name;
    found.push(name);
    out += text.slice(at, start) + mark(name, text.slice(start, end));
    at = end;
  }
  return { text: out + text.slice(at), found };
}

/**
 * 64 bits of two FNV-1a passes, as hex: tells two redacted values apart (two ids that differ only by the
 * secret in them stay two nodes) without keeping the value. Not a cryptographic hash: a short, guessable
 * secret could be confirmed from it, a random token cannot.
 */
export function secretFingerprint(text: string): string {
  const hash = (seed: number): string => {
    let h = seed >>> 0;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    return h.toString(16).padStart(8, '0');
  };
  return hash(0x811c9dc5) + hash(0x050c5d1f);
}

/** An id (or a reference to one) with every secret-shaped run replaced by its type and fingerprint. */
export function redactId(id: string): { text: string; found: string[] } {
  return redactText(id, (name, match) => `[REDACTED:${name}:${secretFingerprint(match)}]`);
}

/**
 * A copy of a JSON-like value with every string redacted (then passed through `also`): import reports and
 * error issues quote the input (a scope, a member name, a file name, a value that failed validation), and
 * what they quote is printed.
 */
export function redactStrings<T>(value: T, also: (text: string) => string = (text) => text): T {
  if (typeof value === 'string') return also(redactText(value).text) as T;
  if (Array.isArray(value)) return value.map((item) => redactStrings(item, also)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = redactStrings(item, also);
  return out as T;
}

/** Nesting followed by scrubInput: far beyond any real export; deeper values become null (no stack overflow). */
const MAX_INPUT_DEPTH = 256;

/**
 * The input boundary: a copy of a parsed document (JSON, YAML, NDJSON line, CSV rows) with every string, and every
 * object key, redacted before anything else reads it. Importers lower-case tenants, emails and logins and derive ids
 * from parts; scrubbing here, first, means no case folding, trimming or id derivation ever sees a secret. Markers
 * carry a fingerprint (redactId), so two values that differ only by their secret stay two values and references
 * still join. finishFragment counts the markers that reach the graph.
 */
export function scrubInput<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return (mayHoldSecret(value) ? redactId(value).text : value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_INPUT_DEPTH) return null as T;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = scrubInput(value[i], depth + 1);
      if (item !== value[i]) (copy ??= value.slice())[i] = item;
    }
    return (copy ?? value) as T;
  }
  let changed = false;
  const entries: [string, unknown][] = [];
  for (const [key, item] of Object.entries(value)) {
    const cleanKey = mayHoldSecret(key) ? redactId(key).text : key;
    const cleanItem = scrubInput(item, depth + 1);
    if (cleanKey !== key || cleanItem !== item) changed = true;
    entries.push([cleanKey, cleanItem]);
  }
  return (changed ? Object.fromEntries(entries) : value) as T;
}

/** How many redaction markers `text` holds: what an input scrubbed at the boundary lost. */
export function countRedactionMarkers(text: string): number {
  let count = 0;
  for (let at = text.indexOf('[REDACTED'); at >= 0; at = text.indexOf('[REDACTED', at + 1)) count++;
  return count;
}

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
  /** Shannon entropy (bits per character) below which a match is not a secret. */
  entropy: number | undefined;
  allowlists: readonly AllowList[];
  origin: 'blastmap' | 'gitleaks';
}

interface RuleData { id: string; regex: string; flags?: string; keywords: string[]; entropy?: number; secretGroup?: number; allowlists?: { regexTarget: string; regexes: string[]; stopwords: string[] }[] }

const disabled = new Set([...Object.keys(own.disabledGitleaksRules), ...own.identifierRules.ids]);
const refinedKeywords = own.keywordRefinements as unknown as Record<string, string[] | string>;

function compile(rule: RuleData, origin: SecretRule['origin']): SecretRule {
  const refined = refinedKeywords[rule.id];
  return {
    name: rule.id,
    pattern: new RegExp(rule.regex, `${(rule.flags ?? '').replace(/[gd]/g, '')}gd`),
    keywords: Array.isArray(refined) ? refined : rule.keywords,
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
 * A run the rule cannot match without: `min` consecutive characters of a class, taken from a `[…]{n}` element (alone
 * or as a whole group) that every match contains: outside any group, in a regex with no top-level alternation, not
 * made optional. Characters beyond Latin-1 count as members (never a wrong skip).
 */
interface RequiredRun { member: Uint8Array; min: number }

function requiredRun(rule: SecretRule): RequiredRun | undefined {
  const source = rule.pattern.source;
  const flags = rule.pattern.flags.replace(/[gdy]/g, '');
  let depth = 0;
  let best: { cls: string; min: number } | undefined;
  for (let i = 0; i < source.length;) {
    const c = source[i]!;
    if (c === '\\') { i += 2; continue; }
    if (c === '[') {
      const end = classEnd(source, i);
      if (end < 0) return undefined;
      const quantifier = /^\{(\d+)(?:,\d*)?\}/.exec(source.slice(end));
      if (depth === 0 && quantifier && Number(quantifier[1]) > (best?.min ?? 0)) best = { cls: source.slice(i, end), min: Number(quantifier[1]) };
      i = end;
      continue;
    }
    if (c === '(') {
      // A group whose whole body is one `[…]{n}` counts as that element when the group itself is not quantified.
      const body = /^\((?:\?:|\?<[A-Za-z]\w*>)?(\[(?:\\.|[^\]\\])*\])\{(\d+)(?:,\d*)?\}\)(?![?*]|\{0)/.exec(source.slice(i));
      if (depth === 0 && body && Number(body[2]) > (best?.min ?? 0)) best = { cls: body[1]!, min: Number(body[2]) };
      depth++;
      i++;
      continue;
    }
    if (c === ')') { depth--; i++; continue; }
    if (c === '|' && depth === 0) return undefined;
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
 * The rules whose keywords `text` holds and whose required run it has, in rule order; undefined when none.
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

/** The runs [start, end) of `text` that rules find secret, each with the order of its rule. */
function secretRuns(text: string, firstOnly: boolean): { start: number; end: number; order: number }[] {
  const runs: { start: number; end: number; order: number }[] = [];
  const candidates = candidateRules(text);
  if (candidates === undefined) return runs;
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
  return runs;
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
  return run === undefined ? undefined : SECRET_RULES[run.order]!.name;
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
    let { start, end, order } = runs[i]!;
    // Runs that overlap this one (or one merged into it) become one run.
    for (i++; i < runs.length && runs[i]!.start < end; i++) {
      end = Math.max(end, runs[i]!.end);
      order = Math.min(order, runs[i]!.order);
    }
    const name = SECRET_RULES[order]!.name;
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

// Recognises secret-shaped values so they never enter the graph, a snapshot, an export or a report.
// Importers drop known secret fields by name; this catches secrets pasted where a name or note belongs.

export interface SecretPattern { name: string; pattern: RegExp }

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  // First: when matches overlap, the run is named by the pattern listed first (redactText).
  // The whole block: the key material after the header is the secret. Without an END line, the rest of the text.
  { name: 'private-key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|[\s\S]*)/ },
  { name: 'aws-secret-access-key', pattern: /aws.{0,20}?(?:secret|key).{0,5}?[=:]\s*["']?[A-Za-z0-9/+]{40}\b/i },
  { name: 'github-token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b/ },
  { name: 'slack-token', pattern: /\bxox[abposr]-[0-9A-Za-z-]{10,}\b/ },
  { name: 'slack-webhook', pattern: /hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/ },
  { name: 'okta-api-token', pattern: /\bSSWS\s+[A-Za-z0-9_-]{30,}\b/ },
  { name: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: 'google-oauth-token', pattern: /\bya29\.[0-9A-Za-z_-]{20,}\b/ },
  { name: 'stripe-key', pattern: /\b[sr]k_live_[0-9A-Za-z]{16,}\b/ },
  { name: 'salesforce-session', pattern: /\b00D[0-9A-Za-z]{12,15}![0-9A-Za-z._]{40,}/ },
  { name: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  // The scheme is bounded: unbounded, every word start of a long `a.b.c...` run would rescan the rest (quadratic).
  { name: 'url-credentials', pattern: /\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s:/@]+:[^\s:/@]{3,}@/i },
  // `key = value`, `key: value` or `key:"value"`; a bare `secret:name` (an AWS Secrets Manager ARN) is not one.
  { name: 'password-assignment', pattern: /(?<![A-Za-z0-9])(?:password|passwd|pwd|secret|api[_-]?key|token)(?:\s*=\s*|\s*:\s+|\s*:\s*(?=["']))["']?(?!\[REDACTED)[^\s"',;]{8,}/i },
];

/** Property names whose values are secret by definition, whatever they look like. */
const SECRET_FIELD = /^(?:secret|secrettext|client_?secret|password|passwd|private_?key|access_?token|refresh_?token|id_?token|token|api_?key|apikey|key_?material|privatekeydata|session_?token|secret_?value)$/i;

export function isSecretFieldName(name: string): boolean {
  return SECRET_FIELD.test(name);
}

/** The patterns joined per flag set: one test per text says whether redactText could change it. */
const SECRET_UNIONS: readonly RegExp[] = [...new Set(SECRET_PATTERNS.map(({ pattern }) => pattern.flags.replace('g', '')))].map(
  (flags) => new RegExp(SECRET_PATTERNS.filter(({ pattern }) => pattern.flags.replace('g', '') === flags).map(({ pattern }) => `(?:${pattern.source})`).join('|'), flags),
);

/** False only when redactText would leave `text` unchanged. */
export function mayHoldSecret(text: string): boolean {
  for (const union of SECRET_UNIONS) if (union.test(text)) return true;
  return false;
}

/** Name of the first secret pattern the text matches, or undefined. */
export function findSecret(text: string): string | undefined {
  for (const { name, pattern } of SECRET_PATTERNS) if (pattern.test(text)) return name;
  return undefined;
}

export const REDACTED = '[REDACTED]';

/** Each pattern once, global, for finding every match. */
const GLOBAL_PATTERNS = SECRET_PATTERNS.map(({ name, pattern }) => ({ name, pattern: new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`) }));

/**
 * Replaces every secret-shaped run in `text` by a marker naming its type (`mark` may add to it, e.g. a
 * fingerprint so that ids stay distinct). Every pattern is matched against the original text and overlapping
 * matches are replaced as one run, named by the pattern listed first: replacing one pattern's matches before
 * looking for the next let a token whose characters allow `-` swallow the start of the secret after it (`SSWS …`
 * took the `00D…` of a Salesforce session), which then went unrecognised.
 */
export function redactText(text: string, mark: (name: string, match: string) => string = (name) => `[REDACTED:${name}]`): { text: string; found: string[] } {
  const runs: { start: number; end: number; order: number }[] = [];
  GLOBAL_PATTERNS.forEach(({ pattern }, order) => {
    // Matches of one pattern may overlap too: `SSWS a…-SSWS b…` is one match up to the second `SSWS` (the token's
    // characters allow `-`), and `b…` alone is no secret shape. After each match the search resumes one character
    // after its start; a match found inside and ending no further is skipped to the end, so a long run of one
    // pattern's prefixes is scanned twice, not once per prefix.
    pattern.lastIndex = 0;
    let reach = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      const start = match.index;
      const end = start + match[0].length;
      if (end <= reach) { pattern.lastIndex = Math.max(reach, start + 1); continue; }
      if (end > start) runs.push({ start, end, order });
      reach = end;
      pattern.lastIndex = start + 1;
    }
  });
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
    const name = GLOBAL_PATTERNS[order]!.name;
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

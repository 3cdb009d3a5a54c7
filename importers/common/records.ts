// Reading records out of raw API responses saved as files: every pagination envelope the platforms use,
// validated record by record with the platform's own zod schema, all problems reported together.
import { z } from 'zod';
import { jsonPath, jsonSyntaxIssue, type InputIssue } from '../../engine/errors.ts';
import { fromZodIssues } from '../../engine/format/validate.ts';
import { calendarInstant } from '../../engine/format/dates.ts';
import { scrubInput } from '../../engine/secrets.ts';

/**
 * A date-time as the platforms' APIs write it (ISO-8601 / RFC 3339, any fraction and offset: Graph's seven fraction
 * digits, SOQL's `+0000`), on a real calendar day, as a UTC instant. Every importer's schemas use it.
 */
export const apiInstant = z
  .string()
  .refine((text) => !Number.isNaN(calendarInstant(text)), { message: 'an ISO-8601 date-time on a real calendar day' })
  .transform((text) => new Date(Date.parse(text)).toISOString());

/** One raw file handed over by the CLI (or the browser): its path relative to the import folder, and text. */
export interface RawFile {
  path: string;
  text: string;
}

/** A validated record and where it came from. */
export interface Located<T> {
  value: T;
  file: string;
  /** JSON path of the record inside its file, e.g. `$.value[3]` or `$[1].users[0]`. */
  path: string;
}

export interface RecordsResult<T> {
  records: Located<T>[];
  issues: InputIssue[];
}

type Parsed = { ok: true; value: unknown } | { ok: false; issue: InputIssue };
/**
 * The last parse of each file object: recognising a file by its content (classifyFiles) and reading its records parse
 * the same file, and an export's largest files are tens of megabytes. Keyed by the object, checked against its text.
 * Callers only read the parsed document (zod builds new objects from it), so sharing it is safe.
 */
const parsedFiles = new WeakMap<RawFile, { text: string; parsed: Parsed }>();

export function parseJsonFile(file: RawFile): Parsed {
  const cached = parsedFiles.get(file);
  if (cached && cached.text === file.text) return cached.parsed;
  // A leading byte order mark (PowerShell's Out-File writes one) is not content.
  const text = file.text.charCodeAt(0) === 0xfeff ? file.text.slice(1) : file.text;
  let parsed: Parsed;
  try {
    // The input boundary for every platform importer: keys and values are scrubbed before an importer lower-cases
    // an email, a login or a tenant, or builds an id from them (engine/secrets.ts scrubInput).
    parsed = { ok: true, value: scrubInput(JSON.parse(text) as unknown) };
  } catch (error) {
    parsed = { ok: false, issue: jsonSyntaxIssue(text, error, { file: file.path }) };
  }
  parsedFiles.set(file, { text: file.text, parsed });
  return parsed;
}

/**
 * The records inside one response document, whatever the envelope:
 * - a bare array of records (Okta, GitHub lists),
 * - an object holding them under one of `keys` (`value` for Microsoft Graph, `items`/`users`/`accounts` for
 *   Google, `installations` for GitHub, `approved_apps` for Slack, `records` for Salesforce ...),
 * - an array of such pages (several responses saved in one file),
 * - with `single`, one bare record object (an endpoint that returns one object).
 * Slack's `"ok": false` error envelope is reported as an error, not read as empty.
 */
export function envelopeRecords(document: unknown, keys: readonly string[], options: { file: string; single?: boolean }): { items: { value: unknown; path: string }[]; issues: InputIssue[] } {
  const items: { value: unknown; path: string }[] = [];
  const issues: InputIssue[] = [];
  const fromPage = (page: unknown, base: (string | number)[]): boolean => {
    if (page === null || typeof page !== 'object' || Array.isArray(page)) return false;
    const record = page as Record<string, unknown>;
    if (record.ok === false && typeof record.error === 'string' && record.error !== '') {
      issues.push({ file: options.file, path: jsonPath([...base, 'ok']), message: `the API answered with an error: ${record.error}`, expected: 'a successful response ("ok": true)', found: `"ok": false, "error": ${JSON.stringify(record.error)}` });
      return true;
    }
    for (const key of keys) {
      const list = record[key];
      if (Array.isArray(list)) {
        list.forEach((value, i) => items.push({ value, path: jsonPath([...base, key, i]) }));
        return true;
      }
    }
    return false;
  };
  if (Array.isArray(document)) {
    const looksLikePages = document.length > 0 && document.every((page) => page !== null && typeof page === 'object' && !Array.isArray(page) && keys.some((key) => Array.isArray((page as Record<string, unknown>)[key])));
    if (looksLikePages) document.forEach((page, i) => fromPage(page, [i]));
    else document.forEach((value, i) => items.push({ value, path: jsonPath([i]) }));
  } else if (!fromPage(document, [])) {
    if (options.single && document !== null && typeof document === 'object') items.push({ value: document, path: '$' });
    else issues.push({ file: options.file, path: '$', message: 'no records found', expected: `an array of records, or an object with ${keys.map((k) => `"${k}"`).join(' or ')}`, found: describeShape(document) });
  }
  return { items, issues };
}

function describeShape(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return `an object with keys ${Object.keys(value as object).slice(0, 6).join(', ') || '(none)'}`;
  return typeof value;
}

/**
 * Validates each record with the platform's zod schema. Without `lenient`, any bad record is an issue
 * (the import then fails and writes nothing); with it, bad records are skipped and reported as `skipped`.
 */
export function parseRecords<S extends z.ZodType>(schema: S, file: RawFile, keys: readonly string[], options: { lenient?: boolean; single?: boolean } = {}): RecordsResult<z.output<S>> & { skipped: InputIssue[] } {
  const parsed = parseJsonFile(file);
  if (!parsed.ok) return { records: [], issues: [parsed.issue], skipped: [] };
  const { items, issues } = envelopeRecords(parsed.value, keys, { file: file.path, single: options.single });
  const records: Located<z.output<S>>[] = [];
  const skipped: InputIssue[] = [];
  for (const item of items) {
    const result = schema.safeParse(item.value);
    if (result.success) {
      records.push({ value: result.data, file: file.path, path: item.path });
      continue;
    }
    const segments = item.path === '$' ? [] : (item.path.slice(1).match(/[^.[\]]+/g) ?? []).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const recordIssues = fromZodIssues(result.error.issues, item.value, file.path, segments);
    if (options.lenient) skipped.push(...recordIssues);
    else issues.push(...recordIssues);
  }
  return { records, issues, skipped };
}

// What the seven SaaS log importers share (importers/logs/<source>/): files sorted into roles by content and name,
// records read from a JSON response (any envelope), NDJSON (one event or one page per line) or CSV, each validated
// with the platform's zod schema and located by file, JSON path and line, and the finished Observations cleaned.
// Every parsed value has been through the input scrubber (scrubInput) before a transform reads it.
import type { z } from 'zod';
import { jsonPath, jsonSyntaxIssue, lineAndColumn, type InputIssue } from '../../engine/errors.ts';
import type { NodeRef, Observation } from '../../engine/evidence/types.ts';
import { fromZodIssues, withoutControls } from '../../engine/format/validate.ts';
import { scrubInput } from '../../engine/secrets.ts';
import { parseCsv } from '../aws/csv.ts';
import { classifyFiles, shapeScore, unrecognisedNotes, type FileRole } from '../common/importer.ts';
import { envelopeRecords, parseJsonFile, type RawFile } from '../common/records.ts';
import type { LogImportReport, LogImportResult, LogImporterOptions } from './types.ts';

/** A validated log record and where it came from. */
export interface LogRecord<T> {
  value: T;
  file: string;
  /** JSON path of the record in its file (`$.value[3]`), or `$[row]` for a CSV row. */
  path: string;
  /** 1-based line of the record's start. */
  line: number;
}

const isNdjsonName = (path: string): boolean => /\.(ndjson|jsonl)$/i.test(path);

/** A file read as NDJSON: its lines that hold a value, parsed and scrubbed, with their line numbers. */
interface NdjsonLine { value: unknown; line: number }
function ndjsonLines(file: RawFile): { lines: NdjsonLine[]; issues: InputIssue[] } {
  const lines: NdjsonLine[] = [];
  const issues: InputIssue[] = [];
  const text = file.text.charCodeAt(0) === 0xfeff ? file.text.slice(1) : file.text;
  let start = 0;
  for (let line = 1; start <= text.length; line++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const raw = text.slice(start, end).replace(/\r$/, '');
    if (raw.trim() !== '') {
      try {
        lines.push({ value: scrubInput(JSON.parse(raw) as unknown), line });
      } catch (error) {
        issues.push(jsonSyntaxIssue(raw, error, { file: file.path, line }));
      }
    }
    start = end + 1;
  }
  return { lines, issues };
}

/** True when a file that does not parse as one JSON document is JSON lines (its first line parses alone). */
function looksLikeNdjson(file: RawFile): boolean {
  if (isNdjsonName(file.path)) return true;
  if (!/\.json$/i.test(file.path) || parseJsonFile(file).ok) return false;
  const first = file.text.replace(/^\uFEFF/, '').split('\n').find((line) => line.trim() !== '');
  if (first === undefined) return false;
  try {
    JSON.parse(first);
    return true;
  } catch {
    return false;
  }
}

/**
 * Sorts log files into roles: JSON by content (classifyFiles), JSON lines by the shape of their first events, CSV by
 * their header (`shape.text`) or their name.
 */
export function classifyLogFiles(files: readonly RawFile[], roles: readonly FileRole[]): { byRole: Map<string, RawFile[]>; ignored: string[]; notes: string[] } {
  const lined = files.filter(looksLikeNdjson);
  const rest = files.filter((file) => !lined.includes(file));
  const { byRole, ignored, unrecognised, notes } = classifyFiles(rest, roles);
  for (const file of lined) {
    const sample = ndjsonLines({ path: file.path, text: file.text.slice(0, 64 * 1024).replace(/\n[^\n]*$/, '') }).lines.slice(0, 5).map((l) => l.value);
    const named = roles.find((r) => r.pattern.test(file.path.toLowerCase()));
    const scored = roles.flatMap((r) => {
      const score = r.shape ? shapeScore(sample, r.shape) : undefined;
      return score === undefined || score <= 0 ? [] : [{ role: r, score }];
    });
    const role = named && (!named.shape || scored.some((s) => s.role === named)) ? named : scored.sort((a, b) => b.score - a.score)[0]?.role ?? named;
    if (role) byRole.set(role.role, [...(byRole.get(role.role) ?? []), file]);
    else ignored.push(file.path);
  }
  return { byRole, ignored: ignored.sort(), notes: [...notes, ...unrecognisedNotes(unrecognised)] };
}

/** The offset where the value at `segments` starts in a JSON text (a small scanner; only used to place an error). */
export function offsetOfPath(text: string, segments: readonly (string | number)[]): number | undefined {
  let i = 0;
  const ws = (): void => { while (i < text.length && ' \t\r\n\uFEFF'.includes(text[i]!)) i++; };
  const skipString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return '';
    }
  };
  const skipValue = (): void => {
    ws();
    const c = text[i];
    if (c === '"') { skipString(); return; }
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) { i++; return; }
      for (;;) {
        if (c === '{') { ws(); skipString(); ws(); i++; }
        skipValue();
        ws();
        if (text[i] === ',') { i++; continue; }
        i++;
        return;
      }
    }
    while (i < text.length && !',]}'.includes(text[i]!) && !' \t\r\n'.includes(text[i]!)) i++;
  };
  ws();
  for (const segment of segments) {
    ws();
    if (typeof segment === 'number') {
      if (text[i] !== '[') return undefined;
      i++;
      for (let k = 0; k < segment; k++) {
        skipValue();
        ws();
        if (text[i] !== ',') return undefined;
        i++;
      }
      ws();
    } else {
      if (text[i] !== '{') return undefined;
      i++;
      for (;;) {
        ws();
        if (text[i] !== '"') return undefined;
        const key = skipString();
        ws();
        i++;
        ws();
        if (key === segment) break;
        skipValue();
        ws();
        if (text[i] !== ',') return undefined;
        i++;
      }
    }
  }
  ws();
  return i < text.length ? i : undefined;
}

const segmentsOf = (path: string): (string | number)[] => (path === '$' ? [] : (path.slice(1).match(/[^.[\]"]+/g) ?? []).map((s) => (/^\d+$/.test(s) ? Number(s) : s)));

/** The line of a JSON path in a file's text (1 when it cannot be placed). */
export function lineOfPath(text: string, path: string): number {
  const offset = offsetOfPath(text, segmentsOf(path));
  return offset === undefined ? 1 : lineAndColumn(text, offset).line;
}

/** Where the records of one parsed JSON value sit, for one of `keys` or a bare list (or the value itself with `single`). */
function itemsOf(document: unknown, keys: readonly string[], file: string, single: boolean): { items: { value: unknown; path: string }[]; issues: InputIssue[] } {
  return envelopeRecords(document, keys, { file, single });
}

/** Reads a role's JSON or NDJSON records with the schema, placing each record (and each problem) by file, path, line. */
function readJsonRecords<S extends z.ZodType>(file: RawFile, schema: S, keys: readonly string[], lenient: boolean, single: boolean): { records: LogRecord<z.output<S>>[]; issues: InputIssue[]; skipped: InputIssue[] } {
  const records: LogRecord<z.output<S>>[] = [];
  const issues: InputIssue[] = [];
  const skipped: InputIssue[] = [];
  const check = (value: unknown, path: string, line: () => number, base: (string | number)[]): void => {
    const result = schema.safeParse(value);
    if (result.success) {
      records.push({ value: result.data, file: file.path, path, line: line() });
      return;
    }
    const at = line();
    const found = fromZodIssues(result.error.issues, value, file.path, base).map((issue) => ({ ...issue, line: at }));
    (lenient ? skipped : issues).push(...found);
  };
  if (looksLikeNdjson(file)) {
    const { lines, issues: syntax } = ndjsonLines(file);
    (lenient ? skipped : issues).push(...syntax);
    lines.forEach((entry, n) => {
      // A line holds one event, or one saved page of events.
      const inner = itemsOf(entry.value, keys, file.path, true);
      for (const item of inner.items) {
        const path = item.path === '$' ? jsonPath([n]) : `$[${n}]${item.path.slice(1)}`;
        check(item.value, path, () => entry.line, segmentsOf(path));
      }
      issues.push(...inner.issues.map((issue) => ({ ...issue, line: entry.line })));
    });
    return { records, issues, skipped };
  }
  const parsed = parseJsonFile(file);
  if (!parsed.ok) return { records, issues: [parsed.issue], skipped };
  const { items, issues: envelope } = itemsOf(parsed.value, keys, file.path, single);
  issues.push(...envelope.map((issue) => ({ ...issue, line: issue.line ?? 1 })));
  // Lines are found by one forward scan when records are placed in order; only the first record's is exact-scanned.
  let lastOffset = 0;
  let lastLine = 1;
  const lineOf = (path: string): number => {
    const offset = offsetOfPath(file.text, segmentsOf(path));
    if (offset === undefined) return 1;
    if (offset < lastOffset) return lineAndColumn(file.text, offset).line;
    for (let k = lastOffset; k < offset; k++) if (file.text.charCodeAt(k) === 10) lastLine++;
    lastOffset = offset;
    return lastLine;
  };
  for (const item of items) check(item.value, item.path, () => lineOf(item.path), segmentsOf(item.path));
  return { records, issues, skipped };
}

/** Reads a CSV file's rows as objects keyed by its header, scrubbed, validated with the schema, each with its line. */
function readCsvRecords<S extends z.ZodType>(file: RawFile, schema: S, lenient: boolean): { records: LogRecord<z.output<S>>[]; issues: InputIssue[]; skipped: InputIssue[] } {
  const rows = parseCsv(file.text);
  const records: LogRecord<z.output<S>>[] = [];
  const issues: InputIssue[] = [];
  const skipped: InputIssue[] = [];
  if (rows.length === 0) return { records, issues: [{ file: file.path, path: '$', line: 1, message: 'no header row', expected: 'a CSV header row', found: 'an empty file' }], skipped };
  const header = rows[0]!.cells.map((cell) => cell.trim());
  rows.slice(1).forEach((row, n) => {
    const object = scrubInput(Object.fromEntries(header.map((name, k) => [name, row.cells[k] ?? ''])));
    const result = schema.safeParse(object);
    const path = jsonPath([n]);
    if (result.success) records.push({ value: result.data, file: file.path, path, line: row.line });
    else (lenient ? skipped : issues).push(...fromZodIssues(result.error.issues, object, file.path, [n]).map((issue) => ({ ...issue, line: row.line })));
  });
  return { records, issues, skipped };
}

const cleanText = (text: string): string => withoutControls(scrubInput(text));
const cleanRef = (ref: NodeRef): NodeRef => ({
  platform: ref.platform,
  ...(ref.tenant ? { tenant: cleanText(ref.tenant) } : {}),
  ids: [...new Set(ref.ids.filter((id) => id !== '').map(cleanText))],
  ...(ref.name ? { name: cleanText(ref.name) } : {}),
});

/**
 * An Observation as stored: every text scrubbed again and freed of control characters (the input was scrubbed at
 * parse time; a value an importer builds from parts, a query or a user agent, is checked once more), empty parts dropped.
 */
export function cleanObservation(o: Observation): Observation {
  return {
    at: o.at,
    actor: cleanRef(o.actor),
    ...(o.target && o.target.ids.length > 0 ? { target: cleanRef(o.target) } : {}),
    action: cleanText(o.action),
    family: cleanText(o.family),
    category: o.category,
    outcome: o.outcome,
    ...(o.count !== undefined && Number.isFinite(o.count) ? { count: o.count } : {}),
    ...(o.ip ? { ip: cleanText(o.ip) } : {}),
    ...(o.userAgent ? { userAgent: cleanText(o.userAgent) } : {}),
    source: o.source,
    ...(o.eventId ? { eventId: cleanText(o.eventId) } : {}),
  };
}

/** A NodeRef from the identifiers a log gives, most specific first; undefined and empty ones dropped. */
export function nodeRef(platform: string, tenant: string | undefined | null, ids: readonly (string | number | undefined | null)[], name?: string | null): NodeRef {
  const list = ids.flatMap((id) => (id === undefined || id === null || String(id).trim() === '' ? [] : [String(id).trim()]));
  return { platform, ...(tenant ? { tenant } : {}), ids: [...new Set(list)], ...(name ? { name } : {}) };
}

/** The start every log importer makes: files in roles, the report, problems, readers, and the finished result. */
export function logSession(files: readonly RawFile[], roles: readonly FileRole[], options: LogImporterOptions) {
  const report: LogImportReport = { events: {}, skipped: [], ignoredFiles: [], notes: [] };
  const issues: InputIssue[] = [];
  const { byRole, ignored, notes: fileNotes } = classifyLogFiles(files, roles);
  report.ignoredFiles = ignored;
  const counted = new Map<string, number>();
  const lenient = options.lenient === true;
  const gather = <T>(role: string, results: { records: LogRecord<T>[]; issues: InputIssue[]; skipped: InputIssue[] }[]): LogRecord<T>[] => {
    const out: LogRecord<T>[] = [];
    for (const result of results) {
      out.push(...result.records);
      issues.push(...result.issues);
      report.skipped.push(...result.skipped);
    }
    if (byRole.has(role)) report.events[role] = (report.events[role] ?? 0) + out.length;
    return out;
  };
  return {
    report,
    byRole,
    note(text: string, count = 1): void { counted.set(text, (counted.get(text) ?? 0) + count); },
    /** Reports a problem with one record, or skips the record under lenient. */
    problem(issue: InputIssue): void { (lenient ? report.skipped : issues).push(issue); },
    read<S extends z.ZodType>(role: string, schema: S, keys: readonly string[], single = false): LogRecord<z.output<S>>[] {
      return gather(role, (byRole.get(role) ?? []).map((file) => readJsonRecords(file, schema, keys, lenient, single)));
    },
    readCsv<S extends z.ZodType>(role: string, schema: S): LogRecord<z.output<S>>[] {
      return gather(role, (byRole.get(role) ?? []).map((file) => readCsvRecords(file, schema, lenient)));
    },
    finish(observations: readonly Observation[]): LogImportResult {
      if (issues.length > 0) return { ok: false, issues };
      report.notes = [...fileNotes, ...[...counted.entries()].map(([text, count]) => `${count} ${text}`)];
      const clean = observations.map(cleanObservation).sort((a, b) => a.at - b.at || (a.eventId ?? '').localeCompare(b.eventId ?? ''));
      return { ok: true, observations: clean, report };
    },
  };
}

/** An instant as epoch milliseconds from an ISO text or epoch milliseconds/seconds; NaN when it is neither. */
export function epochMs(value: string | number): number {
  if (typeof value === 'number') return value < 1e11 ? value * 1000 : value;
  if (/^\d+$/.test(value)) return epochMs(Number(value));
  return Date.parse(value);
}

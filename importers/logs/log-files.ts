// What the seven SaaS log importers share (importers/logs/<source>/): files sorted into roles by content and name,
// records read from a JSON response (any envelope), NDJSON (one event or one page per line) or CSV, each validated
// with the platform's zod schema and located by file, JSON path and line, and the finished Observations cleaned.
// Every record is scrubbed (scrubInput) once its schema has kept the fields the importer reads, before a transform
// reads it: the transforms never see a secret, and a log's many fields nobody reads cost no scrubbing.
import type { z } from 'zod';
import { jsonPath, jsonSyntaxIssue, lineAndColumn, type InputIssue } from '../../engine/errors.ts';
import type { NodeRef, Observation } from '../../engine/evidence/types.ts';
import { fromZodIssues, withoutControls } from '../../engine/format/validate.ts';
import { scrubInput } from '../../engine/secrets.ts';
import { parseCsv } from '../aws/csv.ts';
import { shapeScore, type FileRole } from '../common/importer.ts';
import { envelopeRecords, type RawFile } from '../common/records.ts';
import type { LogImportReport, LogImportResult, LogImporterOptions } from './types.ts';

/** A validated log record and where it came from. */
export interface LogRecord<T> {
  readonly value: T;
  readonly file: string;
  /** JSON path of the record in its file (`$.value[3]`), or `$[row]` for a CSV row. */
  readonly path: string;
  /** 1-based line of the record's start (worked out when asked: only a problem needs it). */
  readonly line: number;
}

class Located<T> implements LogRecord<T> {
  constructor(readonly value: T, readonly file: string, readonly path: string, private readonly where: () => number) {}
  get line(): number { return this.where(); }
}

/**
 * The input scrubber (engine/secrets.ts scrubInput) on one string, remembered: logs repeat the same actors, addresses,
 * user agents and event names thousands of times, and the scrubber's rules are the import's main cost. Bounded.
 */
const scrubbed = new Map<string, string>();
const MEMO_LIMIT = 100_000;
export function scrubText(text: string): string {
  let clean = scrubbed.get(text);
  if (clean === undefined) {
    clean = scrubInput(text);
    if (scrubbed.size >= MEMO_LIMIT) scrubbed.clear();
    scrubbed.set(text, clean);
  }
  return clean;
}

/** scrubInput over a validated record, keys and values, with the remembered string scrubber. */
function scrubRecord<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return scrubText(value) as T;
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (Array.isArray(value)) return value.map((item) => scrubRecord(item, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[scrubText(key)] = scrubRecord(item, depth + 1);
  return out as T;
}

const isNdjsonName = (path: string): boolean => /\.(ndjson|jsonl)$/i.test(path);

type Parsed = { ok: true; value: unknown } | { ok: false; issue: InputIssue };
/** The last parse of each file (recognising a file and reading it parse it once). Not scrubbed: see readJsonRecords. */
const parsedFiles = new WeakMap<RawFile, { text: string; parsed: Parsed }>();
function parseJson(file: RawFile): Parsed {
  const cached = parsedFiles.get(file);
  if (cached && cached.text === file.text) return cached.parsed;
  const text = file.text.charCodeAt(0) === 0xfeff ? file.text.slice(1) : file.text;
  let parsed: Parsed;
  try {
    parsed = { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    parsed = { ok: false, issue: jsonSyntaxIssue(text, error, { file: file.path }) };
  }
  parsedFiles.set(file, { text: file.text, parsed });
  return parsed;
}

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
        lines.push({ value: JSON.parse(raw) as unknown, line });
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
  if (!/\.json$/i.test(file.path) || parseJson(file).ok) return false;
  const first = file.text.replace(/^\uFEFF/, '').split('\n').find((line) => line.trim() !== '');
  if (first === undefined) return false;
  try {
    JSON.parse(first);
    return true;
  } catch {
    return false;
  }
}

/** The role whose shape fits a parsed document best: the named role when it fits (or has no shape), else the best fit. */
function placeByContent(document: unknown, roles: readonly FileRole[], named: FileRole | undefined): { role?: FileRole; byContent?: boolean } {
  const scored = roles.flatMap((r) => {
    const score = r.shape ? shapeScore(document, r.shape) : undefined;
    return score === undefined ? [] : [{ role: r, score }];
  });
  if (named && (!named.shape || scored.some((x) => x.role === named))) return { role: named };
  const best = scored.filter((x) => x.score > 0).sort((a, b) => b.score - a.score)[0];
  if (best) return { role: best.role, byContent: true };
  return named ? { role: named } : {};
}

/**
 * Sorts log files into roles, the name being a hint (as the export importers do, importers/common/importer.ts): JSON
 * by the shape of its records, JSON lines by the shape of their first events, CSV by its header (`shape.text`) or
 * its name. A file that does not parse goes to the role its name says, which reports it with its line.
 */
export function classifyLogFiles(files: readonly RawFile[], roles: readonly FileRole[]): { byRole: Map<string, RawFile[]>; ignored: string[]; notes: string[] } {
  const byRole = new Map<string, RawFile[]>();
  const ignored: string[] = [];
  const notes: string[] = [];
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const named = roles.find((r) => r.pattern.test(file.path.toLowerCase()));
    let placed: { role?: FileRole; byContent?: boolean };
    if (looksLikeNdjson(file)) {
      const sample = ndjsonLines({ path: file.path, text: file.text.slice(0, 64 * 1024).replace(/\n[^\n]*$/, '') }).lines.slice(0, 5).map((l) => l.value);
      placed = placeByContent(sample, roles, named);
    } else if (/\.json$/i.test(file.path)) {
      const parsed = parseJson(file);
      placed = parsed.ok ? placeByContent(parsed.value, roles, named) : { role: named };
    } else {
      const head = file.text.slice(0, 2000);
      const byText = roles.find((r) => r.shape?.text?.test(head));
      placed = named ? { role: named } : byText ? { role: byText, byContent: true } : {};
    }
    if (!placed.role) {
      ignored.push(file.path);
      continue;
    }
    if (named && placed.role !== named && placed.byContent) notes.push(`${file.path}: read as ${placed.role.role} (${placed.role.produce}) by its content, although its name suggests ${named.role}`);
    byRole.set(placed.role.role, [...(byRole.get(placed.role.role) ?? []), file]);
  }
  return { byRole, ignored, notes };
}

/** A forward-only JSON scanner over a text (just enough grammar to step over values; only used to place records). */
function scanner(text: string) {
  let i = 0;
  const ws = (): void => {
    for (let c = text.charCodeAt(i); c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff; c = text.charCodeAt(++i));
  };
  const readString = (): string => {
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
  const skipString = (): void => {
    i++;
    while (i < text.length && text.charCodeAt(i) !== 34) i += text.charCodeAt(i) === 92 ? 2 : 1;
    i++;
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
  return {
    get at(): number { return i; },
    set at(value: number) { i = value; },
    ws,
    readString,
    skipValue,
    peek: (): string | undefined => text[i],
    step: (): void => { i++; },
  };
}

/** The offset where the value at `segments` starts in a JSON text, or undefined when the path is not there. */
export function offsetOfPath(text: string, segments: readonly (string | number)[], from = 0): number | undefined {
  const s = scanner(text);
  s.at = from;
  s.ws();
  for (const segment of segments) {
    s.ws();
    if (typeof segment === 'number') {
      if (s.peek() !== '[') return undefined;
      s.step();
      for (let k = 0; k < segment; k++) {
        s.skipValue();
        s.ws();
        if (s.peek() !== ',') return undefined;
        s.step();
      }
      s.ws();
    } else {
      if (s.peek() !== '{') return undefined;
      s.step();
      for (;;) {
        s.ws();
        if (s.peek() !== '"') return undefined;
        const key = s.readString();
        s.ws();
        s.step();
        s.ws();
        if (key === segment) break;
        s.skipValue();
        s.ws();
        if (s.peek() !== ',') return undefined;
        s.step();
      }
    }
  }
  s.ws();
  return s.at < text.length ? s.at : undefined;
}

/** The start offsets of every element of the array that starts at `offset`, in one pass. */
function elementOffsets(text: string, offset: number): number[] {
  const s = scanner(text);
  s.at = offset;
  const out: number[] = [];
  if (s.peek() !== '[') return out;
  s.step();
  for (;;) {
    s.ws();
    if (s.at >= text.length || s.peek() === ']') return out;
    out.push(s.at);
    s.skipValue();
    s.ws();
    if (s.peek() !== ',') return out;
    s.step();
  }
}

const segmentsOf = (path: string): (string | number)[] => (path === '$' ? [] : (path.slice(1).match(/[^.[\]"]+/g) ?? []).map((s) => (/^\d+$/.test(s) ? Number(s) : s)));

/** The line of a JSON path in a file's text (1 when it cannot be placed). */
export function lineOfPath(text: string, path: string): number {
  const offset = offsetOfPath(text, segmentsOf(path));
  return offset === undefined ? 1 : lineAndColumn(text, offset).line;
}

/**
 * Lines of the records of one JSON text, found on demand: each array that holds records is scanned once (its
 * elements' offsets kept), and offsets become lines by one forward count, so placing every record of a large file
 * stays linear. Records placed out of order are counted from the start.
 */
function recordLines(text: string): (path: string) => number {
  const arrays = new Map<string, number[]>();
  let lastOffset = 0;
  let lastLine = 1;
  const lineAt = (offset: number): number => {
    if (offset < lastOffset) { lastOffset = 0; lastLine = 1; }
    for (let k = lastOffset; k < offset; k++) if (text.charCodeAt(k) === 10) lastLine++;
    lastOffset = offset;
    return lastLine;
  };
  return (path: string): number => {
    const segments = segmentsOf(path);
    const index = segments[segments.length - 1];
    if (typeof index !== 'number') {
      const offset = offsetOfPath(text, segments);
      return offset === undefined ? 1 : lineAt(offset);
    }
    const arrayPath = jsonPath(segments.slice(0, -1));
    let offsets = arrays.get(arrayPath);
    if (!offsets) {
      const start = offsetOfPath(text, segments.slice(0, -1));
      offsets = start === undefined ? [] : elementOffsets(text, start);
      arrays.set(arrayPath, offsets);
    }
    const offset = offsets[index];
    return offset === undefined ? 1 : lineAt(offset);
  };
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
      // The schema kept only the fields the importer reads; those are scrubbed before anything reads them.
      records.push(new Located(scrubRecord(result.data), file.path, path, line));
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
  const parsed = parseJson(file);
  if (!parsed.ok) return { records, issues: [parsed.issue], skipped };
  const { items, issues: envelope } = itemsOf(parsed.value, keys, file.path, single);
  issues.push(...envelope.map((issue) => ({ ...issue, line: issue.line ?? 1 })));
  const lineOf = recordLines(file.text);
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
    const object = Object.fromEntries(header.map((name, k) => [name, row.cells[k] ?? '']));
    const result = schema.safeParse(object);
    const path = jsonPath([n]);
    if (result.success) records.push(new Located(scrubRecord(result.data), file.path, path, () => row.line));
    else (lenient ? skipped : issues).push(...fromZodIssues(result.error.issues, object, file.path, [n]).map((issue) => ({ ...issue, line: row.line })));
  });
  return { records, issues, skipped };
}

const cleaned = new Map<string, string>();
/** A text as an Observation stores it: scrubbed and free of control characters (remembered, like scrubText). */
const cleanText = (text: string): string => {
  let clean = cleaned.get(text);
  if (clean === undefined) {
    clean = withoutControls(scrubText(text));
    if (cleaned.size >= MEMO_LIMIT) cleaned.clear();
    cleaned.set(text, clean);
  }
  return clean;
};
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

// What every platform importer provides: the files it reads (one per API endpoint) and a pure transform
// from those raw responses to a Fragment, plus what the import report says about them.
import type { z } from 'zod';
import type { InputIssue } from '../../engine/errors.ts';
import type { Fragment } from '../../engine/format/native.ts';
import { parseJsonFile, parseRecords, type Located, type RawFile } from './records.ts';

/**
 * What an endpoint's response looks like, so a file is recognised by its content whatever its name: where the
 * records sit (a bare array, an array of pages, an object holding them under one of `envelope`, or with `single`
 * the one record itself), the fields every record has, and the fields that rule the endpoint out (what tells two
 * similar responses apart, e.g. a PAT request's `reason`).
 */
export interface FileShape {
  envelope?: readonly string[];
  /** Dotted paths every record has (present, even if null). More fields, more specific: the best match wins. */
  fields?: readonly string[];
  without?: readonly string[];
  single?: boolean;
  /** Only a bare array (or pages of one) of records, never an object holding them (GET /orgs/{org}/repos). */
  bareOnly?: boolean;
  /** At least one of these fields too (a `$select`ed response keeps some of an object's distinctive fields). */
  anyOf?: readonly string[];
  /** Top-level keys of a one-object response that holds no list (`{"bot": {...}}`, `{"Content": ...}`). */
  keys?: readonly string[];
  /**
   * The response's own type marker (Microsoft Graph's `@odata.context` or a record's `@odata.type`): when the file
   * has one it must match, and a match outweighs field evidence.
   */
  marker?: RegExp;
  /** A key whose object holds the whole response (Okta's app settings `{"jwks": {"keys": [...]}}`). */
  unwrap?: string;
  /** For text files (CSV): the start of the text. */
  text?: RegExp;
}

/** One kind of input file: which endpoint produced it and how its file is recognised. */
export interface FileRole {
  role: string;
  /** A hint: matched against the file's path relative to the import folder (lower-cased). */
  pattern: RegExp;
  /** The API call or command that produces the file (docs/importers/<source>.md repeats it). */
  produce: string;
  required?: boolean;
  /** The response's shape; a role without one is recognised by its name only (workflow YAML, hand-written links). */
  shape?: FileShape;
}

export interface ImporterOptions {
  /** Skip bad records (reported as `skipped`) instead of failing the whole import. */
  lenient?: boolean;
  /** Tenant key when the files do not say (an Okta org, a Workspace domain, an Entra tenant id). */
  tenant?: string;
  /**
   * The tenant a workspace's folder names (`exports/<source>/<tenant>/`): used only where the files cannot say
   * which tenant they are (where `import` would need --tenant), never against what they say.
   */
  tenantFallback?: string;
}

export interface ImporterReport {
  /** Records read per file role. */
  records: Record<string, number>;
  /** Bad records skipped under --lenient. */
  skipped: InputIssue[];
  /** Scopes no catalogue knows: kept on the edge, level assumed by the documented rule. */
  unknownScopes: { scope: string; count: number; assumedLevel: string }[];
  /** Files in the folder that no role matched, by content or by name (ignored). */
  ignoredFiles: string[];
  /** For each ignored JSON file, the endpoints whose responses it most resembles and what it lacks for each. */
  unrecognised?: UnrecognisedFile[];
  notes: string[];
}

export type ImporterResult =
  | { ok: true; fragment: Fragment; report: ImporterReport }
  | { ok: false; issues: InputIssue[] };

export interface Importer {
  /** The name on the command line: `blastmap import <source> <folder>`. */
  source: string;
  title: string;
  files: readonly FileRole[];
  /**
   * Top-level folders of the documented layout (`applications/<id>/...`, `orgs/<id>/...`): a workspace's
   * `exports/<source>/` holding them is one export, not one tenant per subfolder.
   */
  folders?: readonly string[];
  transform(files: readonly RawFile[], options: ImporterOptions): ImporterResult;
}

export interface UnrecognisedFile {
  file: string;
  /** Up to three endpoints, closest first: `role (produce): lacks field, field`. */
  closest: string[];
}

/** A document's records as the shapes see them: where they sit, and up to a few of them to look at. */
interface Sampled { records: Record<string, unknown>[]; envelopeKey?: string; bare: boolean; empty: boolean }

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const SAMPLE = 5;

function sampleRecords(whole: unknown, shape: FileShape): Sampled | undefined {
  const document = shape.unwrap && isObject(whole) && isObject(whole[shape.unwrap]) ? whole[shape.unwrap] : whole;
  const envelope = shape.envelope ?? [];
  const fromPage = (page: Record<string, unknown>): { list: unknown[]; key: string } | undefined => {
    for (const key of envelope) if (Array.isArray(page[key])) return { list: page[key] as unknown[], key };
    return undefined;
  };
  const objects = (list: unknown[]): Record<string, unknown>[] => list.filter(isObject).slice(0, SAMPLE);
  if (Array.isArray(document)) {
    if (document.length === 0) return { records: [], bare: true, empty: true };
    const pages = document.every(isObject) ? document.map((page) => fromPage(page as Record<string, unknown>)) : [];
    if (!shape.bareOnly && pages.length > 0 && pages.every(Boolean)) {
      const list = pages.flatMap((page) => page!.list);
      return { records: objects(list), envelopeKey: pages[0]!.key, bare: false, empty: list.length === 0 };
    }
    return { records: objects(document), bare: true, empty: false };
  }
  if (!isObject(document)) return undefined;
  const page = shape.bareOnly ? undefined : fromPage(document);
  if (page) return { records: objects(page.list), envelopeKey: page.key, bare: false, empty: page.list.length === 0 };
  if (shape.single) return { records: [document], bare: false, empty: false };
  return undefined;
}

const hasPath = (record: Record<string, unknown>, path: string): boolean => {
  let value: unknown = record;
  for (const key of path.split('.')) {
    if (!isObject(value) || !(key in value)) return false;
    value = value[key];
  }
  return true;
};

/**
 * How well a parsed document fits a shape: undefined when it does not, else a score (the fields it proves, plus one
 * for a matching envelope key), or 0 when it is an empty list the shape cannot tell apart from any other.
 */
export function shapeScore(document: unknown, shape: FileShape): number | undefined {
  if (shape.keys) return isObject(document) && shape.keys.every((key) => key in document) ? shape.keys.length : undefined;
  const sampled = sampleRecords(document, shape);
  if (!sampled) return undefined;
  const marker = markerOf(document, sampled.records);
  if (shape.marker && marker !== undefined && !shape.marker.test(marker)) return undefined;
  const marked = shape.marker !== undefined && marker !== undefined ? 10 : 0;
  if (sampled.empty) return sampled.envelopeKey || marked ? 1 + marked : 0;
  // A list of plain values (DynamoDB's TableNames): only its envelope key can say what it is.
  if (sampled.records.length === 0) return (shape.fields ?? []).length === 0 && sampled.envelopeKey ? 1 : undefined;
  const fits = sampled.records.every((record) => (shape.fields ?? []).every((field) => hasPath(record, field))
    && !(shape.without ?? []).some((field) => hasPath(record, field))
    && (marked > 0 || !shape.anyOf || shape.anyOf.some((field) => hasPath(record, field))));
  if (!fits) return undefined;
  const score = (shape.fields ?? []).length + (sampled.envelopeKey ? 1 : 0) + (shape.anyOf && !marked ? 1 : 0) + marked;
  return score > 0 ? score : undefined;
}

/** Microsoft Graph's type marker: the response's `@odata.context`, else its first record's `@odata.type`. */
function markerOf(document: unknown, records: readonly Record<string, unknown>[]): string | undefined {
  const pages = Array.isArray(document) ? document : [document];
  const context = pages.map((page) => (isObject(page) ? page['@odata.context'] : undefined)).find((value) => typeof value === 'string');
  if (typeof context === 'string') return context;
  const type = records[0]?.['@odata.type'];
  return typeof type === 'string' ? type : undefined;
}

/** What a document lacks to be an endpoint's response (for an unrecognised file's closest shapes), and how close. */
function shapeDistance(document: unknown, shape: FileShape): { missing: string[]; ratio: number } | undefined {
  if (shape.keys) {
    const present = isObject(document) ? shape.keys.filter((key) => key in document) : [];
    return { missing: shape.keys.filter((key) => !present.includes(key)), ratio: present.length / shape.keys.length };
  }
  const sampled = sampleRecords(document, { ...shape, single: true });
  const record = sampled?.records[0];
  if (!record) return undefined;
  const missing = (shape.fields ?? []).filter((field) => !hasPath(record, field));
  const ruledOut = (shape.without ?? []).filter((field) => hasPath(record, field)).map((field) => `has ${field}`);
  const noneOf = shape.anyOf && !shape.anyOf.some((field) => hasPath(record, field)) ? [`one of ${shape.anyOf.join(', ')}`] : [];
  const total = (shape.fields ?? []).length + (shape.anyOf ? 1 : 0);
  if (total === 0) return undefined;
  // A field that rules the endpoint out halves the resemblance rather than counting as one more field missing.
  const ratio = ((total - missing.length - noneOf.length) / total) * (ruledOut.length > 0 ? 0.5 : 1);
  return { missing: [...missing, ...noneOf, ...ruledOut], ratio };
}

/**
 * Sorts files into roles by their content, the name being a hint: a file goes to the role its name suggests when its
 * content fits that role (or cannot say: an empty list, a file that is not JSON), else to the role its content fits
 * best (noted), else to the named role so its problems are reported against it. A file neither its name nor its
 * content places is ignored and listed with the closest shapes.
 */
export function classifyFiles(files: readonly RawFile[], roles: readonly FileRole[]): { byRole: Map<string, RawFile[]>; ignored: string[]; missing: FileRole[]; unrecognised: UnrecognisedFile[]; notes: string[] } {
  const byRole = new Map<string, RawFile[]>();
  const ignored: string[] = [];
  const unrecognised: UnrecognisedFile[] = [];
  const notes: string[] = [];
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const named = roles.find((r) => r.pattern.test(file.path.toLowerCase()));
    const role = recogniseFile(file, roles, named);
    if (role.role) {
      if (named && role.role !== named && role.byContent) notes.push(`${file.path}: read as ${role.role.role} (${role.role.produce}) by its content, although its name suggests ${named.role}`);
      byRole.set(role.role.role, [...(byRole.get(role.role.role) ?? []), file]);
      continue;
    }
    ignored.push(file.path);
    if (role.closest) unrecognised.push({ file: file.path, closest: role.closest });
  }
  const missing = roles.filter((r) => r.required && !byRole.has(r.role));
  return { byRole, ignored, missing, unrecognised, notes };
}

const isJsonName = (path: string): boolean => /\.json$/i.test(path);

function recogniseFile(file: RawFile, roles: readonly FileRole[], named: FileRole | undefined): { role?: FileRole; byContent?: boolean; closest?: string[] } {
  if (!isJsonName(file.path)) {
    const head = file.text.slice(0, 2000);
    const byText = roles.find((r) => r.shape?.text?.test(head));
    if (named) return { role: named };
    return byText ? { role: byText, byContent: true } : {};
  }
  const parsed = parseJsonFile(file);
  // Malformed JSON: the named role reports it with its line; an unnamed file cannot be placed.
  if (!parsed.ok) return named ? { role: named } : { closest: [] };
  const scored = roles.flatMap((r) => {
    const score = r.shape ? shapeScore(parsed.value, r.shape) : undefined;
    return score === undefined ? [] : [{ role: r, score }];
  });
  if (named && (!named.shape || scored.some((s) => s.role === named))) return { role: named };
  const best = scored.filter((s) => s.score > 0).sort((a, b) => b.score - a.score)[0];
  if (best) return { role: best.role, byContent: true };
  if (named) return { role: named };
  const closest = roles.flatMap((r) => {
    const distance = r.shape ? shapeDistance(parsed.value, r.shape) : undefined;
    return distance && distance.ratio > 0 ? [{ r, distance }] : [];
  }).sort((a, b) => b.distance.ratio - a.distance.ratio).slice(0, 3)
    .map(({ r, distance }) => `${r.role} (${r.produce})${distance.missing.length > 0 ? `: lacks ${distance.missing.join(', ')}` : ''}`);
  return { closest };
}

/** Files nobody placed, with the endpoints they resemble, as notes for the report. */
export function unrecognisedNotes(unrecognised: readonly UnrecognisedFile[]): string[] {
  return unrecognised.map((u) => `${u.file}: not recognised${u.closest.length > 0 ? `; closest shapes: ${u.closest.join('; ')}` : ' (no endpoint response it resembles)'}`);
}

export function missingFileIssues(missing: readonly FileRole[]): InputIssue[] {
  return missing.map((role) => ({ path: '$', message: `no ${role.role} file`, expected: `the response of ${role.produce}`, found: 'none' }));
}

export const emptyReport = (): ImporterReport => ({ records: {}, skipped: [], unknownScopes: [], ignoredFiles: [], notes: [] });

/** What reading one file gives: its records, its problems, and the bad records skipped under --lenient. */
export interface FileRecords<T> { records: Located<T>[]; issues: InputIssue[]; skipped: InputIssue[] }

/**
 * Reads every file of a role with `read`, gathering problems into `issues`, skipped records and the count of
 * records read into `report`.
 */
export function recordCollector(byRole: ReadonlyMap<string, RawFile[]>, issues: InputIssue[], report: ImporterReport) {
  return <T>(role: string, read: (file: RawFile) => FileRecords<T>): Located<T>[] => {
    const records: Located<T>[] = [];
    for (const file of byRole.get(role) ?? []) {
      const result = read(file);
      records.push(...result.records);
      issues.push(...result.issues);
      report.skipped.push(...result.skipped);
    }
    if (byRole.has(role)) report.records[role] = records.length;
    return records;
  };
}

/**
 * The start every importer makes: files sorted into roles, the report, the problems, counted notes, and a reader of
 * one role's records with the platform's schema (envelope `keys`, or one object with `single`). `problem` reports
 * or, under --lenient, skips; `finish` writes the notes (`<count> <text>`) after the file notes and returns the result.
 */
export function importSession(files: readonly RawFile[], roles: readonly FileRole[], options: ImporterOptions) {
  const report: ImporterReport = emptyReport();
  const issues: InputIssue[] = [];
  const { byRole, ignored, unrecognised, notes: fileNotes } = classifyFiles(files, roles);
  report.ignoredFiles = ignored;
  report.unrecognised = unrecognised;
  const counted = new Map<string, number>();
  return {
    report,
    issues,
    byRole,
    note(text: string, count = 1): void { counted.set(text, (counted.get(text) ?? 0) + count); },
    problem(issue: InputIssue): void { (options.lenient ? report.skipped : issues).push(issue); },
    read<S extends z.ZodType>(role: string, schema: S, keys: readonly string[], single = false): Located<z.output<S>>[] {
      const out: Located<z.output<S>>[] = [];
      for (const file of byRole.get(role) ?? []) {
        const result = parseRecords(schema, file, keys, { lenient: options.lenient, single });
        issues.push(...result.issues);
        report.skipped.push(...result.skipped);
        out.push(...result.records);
      }
      if (out.length > 0 || byRole.has(role)) report.records[role] = out.length;
      return out;
    },
    finish(fragment: Fragment): ImporterResult {
      report.notes = [...fileNotes, ...[...counted.entries()].map(([text, count]) => `${count} ${text}`)];
      return { ok: true, fragment, report };
    },
  };
}

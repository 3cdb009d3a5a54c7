// What every platform importer provides: the files it reads (one per API endpoint) and a pure transform
// from those raw responses to a Fragment, plus what the import report says about them.
import type { InputIssue } from '../../engine/errors.ts';
import type { Fragment } from '../../engine/format/native.ts';
import type { Located, RawFile } from './records.ts';

/** One kind of input file: which endpoint produced it and how its file name is recognised. */
export interface FileRole {
  role: string;
  /** Matched against the file's path relative to the import folder (lower-cased). */
  pattern: RegExp;
  /** The API call or command that produces the file (docs/importers/<source>.md repeats it). */
  produce: string;
  required?: boolean;
}

export interface ImporterOptions {
  /** Skip bad records (reported as `skipped`) instead of failing the whole import. */
  lenient?: boolean;
  /** Tenant key when the files do not say (an Okta org, a Workspace domain, an Entra tenant id). */
  tenant?: string;
}

export interface ImporterReport {
  /** Records read per file role. */
  records: Record<string, number>;
  /** Bad records skipped under --lenient. */
  skipped: InputIssue[];
  /** Scopes no catalogue knows: kept on the edge, level assumed by the documented rule. */
  unknownScopes: { scope: string; count: number; assumedLevel: string }[];
  /** Files in the folder that no role matched (ignored). */
  ignoredFiles: string[];
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
  transform(files: readonly RawFile[], options: ImporterOptions): ImporterResult;
}

/** Sorts files into roles by name; files no role matches are returned as ignored. */
export function classifyFiles(files: readonly RawFile[], roles: readonly FileRole[]): { byRole: Map<string, RawFile[]>; ignored: string[]; missing: FileRole[] } {
  const byRole = new Map<string, RawFile[]>();
  const ignored: string[] = [];
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const role = roles.find((r) => r.pattern.test(file.path.toLowerCase()));
    if (!role) { ignored.push(file.path); continue; }
    byRole.set(role.role, [...(byRole.get(role.role) ?? []), file]);
  }
  const missing = roles.filter((r) => r.required && !byRole.has(r.role));
  return { byRole, ignored, missing };
}

export function missingFileIssues(missing: readonly FileRole[]): InputIssue[] {
  return missing.map((role) => ({ path: '$', message: `no ${role.role} file`, expected: `a file matching ${role.pattern} (${role.produce})`, found: 'none' }));
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

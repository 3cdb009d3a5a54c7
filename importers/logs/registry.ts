// Every log importer, and reading a folder of mixed logs: each file goes to the importer whose file roles fit it best
// (by content, the name counting as a hint), each importer reads its files, and the observations are merged,
// deduplicated by source and event id, and sorted by time. Pure: the CLI reads (and decompresses) the files.
import { BlastmapError, type InputIssue } from '../../engine/errors.ts';
import type { Observation } from '../../engine/evidence/types.ts';
import type { RawFile } from '../common/records.ts';
import { awsCloudTrailImporter } from './aws-cloudtrail/index.ts';
import { MORE_LOG_IMPORTERS } from './more.ts';
import { logFileScore } from './parsed.ts';
import type { LogImporter, LogImporterOptions, LogImportReport } from './types.ts';

export const LOG_IMPORTERS: readonly LogImporter[] = [awsCloudTrailImporter, ...MORE_LOG_IMPORTERS];

export function findLogImporter(source: string): LogImporter | undefined {
  return LOG_IMPORTERS.find((importer) => importer.source === source);
}

export interface LogFilesReport {
  /** Per log source: what its importer read. */
  sources: Record<string, LogImportReport>;
  /** Files no log importer recognised. */
  ignoredFiles: string[];
  /** Events read, and events dropped as repeats (same source and event id). */
  events: number;
  duplicates: number;
}

export type LogFilesResult =
  | { ok: true; observations: Observation[]; report: LogFilesReport }
  | { ok: false; issues: InputIssue[] };

/** The log importer (and its fit score) each file belongs to, undefined when none fits. */
export function recogniseLogFile(file: RawFile, importers: readonly LogImporter[] = LOG_IMPORTERS): LogImporter | undefined {
  let best: { importer: LogImporter; score: number } | undefined;
  for (const importer of importers) {
    for (const role of importer.files) {
      const score = logFileScore(file, role);
      if (score !== undefined && (!best || score > best.score)) best = { importer, score };
    }
  }
  return best?.importer;
}

/**
 * Reads raw log files of any supported source at once. All or nothing: any importer's issue fails the whole
 * read (under `lenient`, bad events are skipped and reported instead).
 */
export function importLogFiles(files: readonly RawFile[], options: LogImporterOptions = {}, importers: readonly LogImporter[] = LOG_IMPORTERS): LogFilesResult {
  const bySource = new Map<LogImporter, RawFile[]>();
  const ignoredFiles: string[] = [];
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const importer = recogniseLogFile(file, importers);
    if (!importer) { ignoredFiles.push(file.path); continue; }
    bySource.set(importer, [...(bySource.get(importer) ?? []), file]);
  }
  const issues: InputIssue[] = [];
  const sources: Record<string, LogImportReport> = {};
  const all: Observation[] = [];
  for (const importer of importers) {
    const mine = bySource.get(importer);
    if (!mine) continue;
    const result = importer.transform(mine, options);
    if (!result.ok) { issues.push(...result.issues); continue; }
    sources[importer.source] = result.report;
    for (const o of result.observations) all.push(o);
  }
  if (issues.length > 0) return { ok: false, issues };
  const seen = new Set<string>();
  const observations = all.filter((o) => {
    if (o.eventId === undefined || o.eventId === '') return true;
    const key = `${o.source}\u0000${o.eventId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  observations.sort((a, b) => a.at - b.at || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0) || ((a.eventId ?? '') < (b.eventId ?? '') ? -1 : (a.eventId ?? '') > (b.eventId ?? '') ? 1 : 0));
  return { ok: true, observations, report: { sources, ignoredFiles, events: observations.length, duplicates: all.length - observations.length } };
}

/** importLogFiles, throwing a BlastmapError (INVALID_INPUT, every issue) when the logs do not read. */
export function readLogFiles(files: readonly RawFile[], options: LogImporterOptions = {}, importers: readonly LogImporter[] = LOG_IMPORTERS): { observations: Observation[]; report: LogFilesReport } {
  const result = importLogFiles(files, options, importers);
  if (!result.ok) throw new BlastmapError('INVALID_INPUT', `${result.issues.length} problem${result.issues.length === 1 ? '' : 's'} in the logs; nothing was imported`, { issues: result.issues });
  return result;
}

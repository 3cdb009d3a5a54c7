// One JSON parse per log file: recognising a file by its content (registry.ts) and reading its events parse the same
// text, and log files run to hundreds of megabytes. Keyed by the file object, checked against its text. Callers only
// read the document (zod copies what it keeps), so sharing it is safe. The strings a log importer keeps go through
// scrubInput one by one (cheaper than copying a whole log file through it).
import { jsonSyntaxIssue, type InputIssue } from '../../engine/errors.ts';
import { shapeScore, type FileRole } from '../common/importer.ts';
import type { RawFile } from '../common/records.ts';

const cache = new WeakMap<RawFile, { text: string; parsed: ParsedLog }>();

export type ParsedLog = { ok: true; value: unknown } | { ok: false; issue: InputIssue };

export function parseLogJson(file: RawFile): ParsedLog {
  const hit = cache.get(file);
  if (hit && hit.text === file.text) return hit.parsed;
  const text = file.text.charCodeAt(0) === 0xfeff ? file.text.slice(1) : file.text;
  let parsed: ParsedLog;
  try {
    parsed = { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    parsed = { ok: false, issue: jsonSyntaxIssue(text, error, { file: file.path }) };
  }
  cache.set(file, { text: file.text, parsed });
  return parsed;
}

const isJsonLog = (path: string): boolean => /\.json(\.gz)?$/i.test(path);

/**
 * How well a log file fits a role: its content's shape score (FileShape, as export importers use it; text files by
 * their first characters), plus one when the name fits too; undefined when the content does not fit. A file whose
 * content cannot say (an empty list, JSON that does not parse) fits the role its name suggests, with score 0.
 */
export function logFileScore(file: RawFile, role: FileRole): number | undefined {
  const named = role.pattern.test(file.path.toLowerCase());
  if (!isJsonLog(file.path)) {
    const fits = role.shape?.text?.test(file.text.slice(0, 2000)) ?? false;
    return fits ? 1 + (named ? 1 : 0) : named ? 0 : undefined;
  }
  const parsed = parseLogJson(file);
  if (!parsed.ok || !role.shape) return named ? 0 : undefined;
  const score = shapeScore(parsed.value, role.shape);
  if (score === undefined) return undefined;
  if (score === 0) return named ? 0 : undefined;
  return score + (named ? 1 : 0);
}

/** Files sorted into roles, each to the role it fits best (ties: the first role listed); files no role fits are ignored. */
export function classifyLogFiles(files: readonly RawFile[], roles: readonly FileRole[]): { byRole: Map<string, RawFile[]>; ignored: string[] } {
  const byRole = new Map<string, RawFile[]>();
  const ignored: string[] = [];
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    let best: { role: FileRole; score: number } | undefined;
    for (const role of roles) {
      const score = logFileScore(file, role);
      if (score !== undefined && (!best || score > best.score)) best = { role, score };
    }
    if (best) byRole.set(best.role.role, [...(byRole.get(best.role.role) ?? []), file]);
    else ignored.push(file.path);
  }
  return { byRole, ignored };
}

// Snapshot history: every write that replaces a snapshot first keeps the state it replaces in `history/` beside it
// (a hard link to the old file, so keeping it costs no copy), pruned to the newest few; `--graph @-1` or
// `--graph @2026-12-01` names a kept state, so `blastmap diff @-1 .blastmap/graph.bmap` answers "what changed".
import { calendarInstant } from '../engine/format/dates.ts';
import { closeSync, copyFileSync, existsSync, linkSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { BlastmapError } from '../engine/errors.ts';

/** How many earlier states each snapshot keeps unless BLASTMAP_HISTORY_KEEP says otherwise (0 keeps none). */
export const DEFAULT_HISTORY_KEEP = 10;

export interface HistoryEntry {
  path: string;
  /** When this state was written (the replaced file's modification time). */
  writtenAt: Date;
  bytes: number;
}

export function historyKeep(): number {
  const raw = process.env.BLASTMAP_HISTORY_KEEP;
  if (raw === undefined || raw === '') return DEFAULT_HISTORY_KEEP;
  const keep = Number(raw);
  if (!Number.isInteger(keep) || keep < 0) throw new BlastmapError('INVALID_OPTION', `BLASTMAP_HISTORY_KEEP=${raw.slice(0, 40)}: expected a whole number of snapshots to keep (0 keeps none)`);
  return keep;
}

/** `history/` beside the snapshot: `.blastmap/history/` for the default graph. */
export function historyFolder(snapshot: string): string {
  return join(dirname(resolve(snapshot)), 'history');
}

const stem = (snapshot: string): string => basename(snapshot).replace(/\.bmap$/, '');
/** File-name form of an instant (no colons, which some file systems refuse): 2026-12-07T03-30-00.123Z. */
const stamp = (date: Date): string => date.toISOString().replace(/:/g, '-');
const unstamp = (text: string): Date => new Date(text.replace(/T(\d{2})-(\d{2})-(\d{2})/, 'T$1:$2:$3'));

/** The kept states of `snapshot`, newest first. */
export function listHistory(snapshot: string): HistoryEntry[] {
  const folder = historyFolder(snapshot);
  if (!existsSync(folder)) return [];
  const prefix = `${stem(snapshot)}@`;
  const entries: HistoryEntry[] = [];
  for (const name of readdirSync(folder)) {
    if (!name.startsWith(prefix) || !name.endsWith('.bmap')) continue;
    const writtenAt = unstamp(name.slice(prefix.length, -'.bmap'.length));
    if (Number.isNaN(writtenAt.getTime())) continue;
    const path = join(folder, name);
    entries.push({ path, writtenAt, bytes: statSync(path).size });
  }
  return entries.sort((a, b) => b.writtenAt.getTime() - a.writtenAt.getTime() || b.path.localeCompare(a.path));
}

/**
 * Keeps the snapshot about to be replaced (called just before the new one is renamed over it) and prunes the oldest
 * beyond the limit. A failure to keep history never fails the write: the import's result matters more.
 */
export function keepPreviousState(target: string, warn: (message: string) => void = () => {}): void {
  const keep = historyKeep();
  if (keep === 0 || !existsSync(target)) return;
  try {
    const folder = historyFolder(target);
    mkdirSync(folder, { recursive: true });
    const writtenAt = statSync(target).mtime;
    let entry = join(folder, `${stem(target)}@${stamp(writtenAt)}.bmap`);
    for (let n = 1; existsSync(entry); n++) entry = join(folder, `${stem(target)}@${stamp(new Date(writtenAt.getTime() + n))}.bmap`);
    try {
      linkSync(target, entry);
    } catch {
      copyFileSync(target, entry);
    }
    for (const old of listHistory(target).slice(keep)) rmSync(old.path, { force: true });
  } catch (error) {
    warn(`warning: could not keep the previous state of ${target} in its history: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Node and edge counts from a snapshot's header, without reading the rest of the file. */
export function snapshotCounts(path: string): { nodes: number; edges: number } | undefined {
  const fd = openSync(path, 'r');
  try {
    const prefix = Buffer.alloc(16);
    if (readSync(fd, prefix, 0, 16, 0) < 16 || prefix.toString('latin1', 0, 8) !== 'BLASTMAP') return undefined;
    const headerLength = prefix.readUInt32LE(12);
    if (headerLength > 1 << 24) return undefined;
    const header = Buffer.alloc(headerLength);
    readSync(fd, header, 0, headerLength, 16);
    const parsed = JSON.parse(header.toString('utf8')) as { nodeCount?: unknown; edgeCount?: unknown };
    return typeof parsed.nodeCount === 'number' && typeof parsed.edgeCount === 'number' ? { nodes: parsed.nodeCount, edges: parsed.edgeCount } : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

const REFERENCE = /^(.*)@(-\d+|\d{4}-\d{2}-\d{2}(?:T[0-9:.]+Z?)?)$/;

/**
 * `--graph` naming a kept state: `@-1` (the state before the current one), `@-2`, ..., or `@<date>` (the state that
 * was current then), after a snapshot path or alone (the default graph). Anything else is returned as it is.
 */
export function resolveHistoryReference(path: string, defaultSnapshot: string): string {
  const match = REFERENCE.exec(path);
  if (!match || existsSync(path)) return path;
  const snapshot = match[1] === '' ? defaultSnapshot : match[1]!;
  const which = match[2]!;
  const entries = listHistory(snapshot);
  const listed = entries.length === 0
    ? `${snapshot} has no kept states yet (each import keeps the one it replaces)`
    : `${snapshot} keeps ${entries.length}: ${entries.slice(0, 5).map((e, i) => `@-${i + 1} ${e.writtenAt.toISOString()}`).join(', ')}${entries.length > 5 ? ', ...' : ''}`;
  if (which.startsWith('-')) {
    const entry = entries[Number(which.slice(1)) - 1];
    if (entry === undefined) throw new BlastmapError('IO', `--graph ${path}: no such earlier state; ${listed} (\`blastmap history\`)`);
    return entry.path;
  }
  // On the calendar: new Date() would read @2024-02-30 as March 1.
  const instant = new Date(calendarInstant(/T/.test(which) ? which : `${which}T23:59:59.999Z`));
  if (Number.isNaN(instant.getTime())) throw new BlastmapError('INVALID_OPTION', `--graph ${path}: ${which} is not a date`);
  const current = existsSync(snapshot) ? [{ path: resolve(snapshot), writtenAt: statSync(snapshot).mtime, bytes: 0 }] : [];
  const state = [...current, ...entries].find((entry) => entry.writtenAt.getTime() <= instant.getTime());
  if (state === undefined) throw new BlastmapError('IO', `--graph ${path}: no state of ${snapshot} was written by ${instant.toISOString()}; ${listed}`);
  return state.path;
}

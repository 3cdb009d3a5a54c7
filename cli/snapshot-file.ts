// Snapshot files on disk: atomic writes (temporary file, fsync, rename, fsync of the folder) so a crash
// never leaves a half-written graph, and a lock file so two writers never interleave.
import { closeSync, constants, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { BlastmapError } from '../engine/errors.ts';
import { keepPreviousState } from './history.ts';
import type { SourcedFragment } from '../engine/format/validate.ts';
import { assembleGraph, type ImportReport } from '../engine/store/assemble.ts';
import type { CompactGraph } from '../engine/store/compact.ts';
import { patchSnapshot } from '../engine/store/patch.ts';
import { decodeSnapshot, encodeSnapshotParts, openSnapshot } from '../engine/store/snapshot.ts';

function readSnapshotBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new BlastmapError('IO', `cannot read snapshot ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
}

/** A snapshot error names the file it is about. */
function naming<T>(path: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof BlastmapError && error.code === 'INVALID_SNAPSHOT') throw new BlastmapError(error.code, `${path}: ${error.message}`, { cause: error });
    throw error;
  }
}

/**
 * Reads a snapshot range by range as the decoder asks (columns, then each node and edge-property chunk): the file's
 * bytes are never held whole beside the graph they become, which keeps a third off the peak memory of loading.
 */
export function readSnapshotFile(path: string): CompactGraph {
  let fd: number;
  let length: number;
  try {
    fd = openSync(path, 'r');
    length = fstatSync(fd).size;
  } catch (error) {
    throw new BlastmapError('IO', `cannot read snapshot ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  try {
    // Fills `target` from the file at `from` (clamped to the file, as a subarray of the bytes would be).
    const fill = (target: Uint8Array, from: number, size: number): void => {
      for (let read = 0; read < size;) {
        const got = readSync(fd, target, read, size - read, from + read);
        if (got === 0) throw new BlastmapError('IO', `cannot read snapshot ${path}: it shrank while being read`);
        read += got;
      }
    };
    const source = {
      length,
      subarray(start: number, end: number): Uint8Array {
        const from = Math.max(0, Math.min(start, length));
        const size = Math.max(0, Math.min(end, length) - from);
        const out = Buffer.allocUnsafeSlow(size);
        fill(out, from, size);
        return out;
      },
      readInto(target: Uint8Array, start: number): void {
        if (start < 0 || start + target.length > length) throw new BlastmapError('IO', `cannot read snapshot ${path}: bytes ${start}..${start + target.length} are outside the file`);
        fill(target, start, target.length);
      },
    };
    return naming(path, () => decodeSnapshot(source));
  } finally {
    closeSync(fd);
  }
}

/** Whether bytes start as a snapshot does (its magic), so that standard input can carry a snapshot or native text. */
export function isSnapshotBytes(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && Buffer.from(bytes.buffer, bytes.byteOffset, 8).toString('latin1') === 'BLASTMAP';
}

/** A snapshot already in memory (standard input's), its errors naming `name`. */
export function decodeSnapshotBytes(name: string, bytes: Uint8Array): CompactGraph {
  return naming(name, () => decodeSnapshot(bytes));
}

/** What importing a batch into a snapshot file did. */
export interface SnapshotImport {
  report: ImportReport;
  /** Whether the snapshot was patched in place of a rebuild, and if not, why. */
  incremental: boolean;
  rebuildReason?: string;
}

/**
 * Imports a batch into the snapshot at `path` (an existing one is merged into): patched where the change
 * allows (engine/store/patch.ts: cost follows the change), rebuilt otherwise. Either way the file written is
 * the same, atomically; a batch with any problem throws before anything is written. Call under withWriteLock.
 */
export function importIntoSnapshotFile(path: string, batch: readonly SourcedFragment[], exists: boolean): SnapshotImport {
  if (!exists) {
    const { graph, report } = assembleGraph(batch);
    writeSnapshotFile(path, graph);
    return { report, incremental: false, rebuildReason: 'no snapshot yet' };
  }
  const bytes = readSnapshotBytes(path);
  const view = naming(path, () => openSnapshot(bytes));
  const patch = view ? patchSnapshot(view, batch) : { patched: false as const, reason: 'the snapshot is in an older format' };
  if (patch.patched) {
    writeSnapshotParts(path, patch.parts);
    return { report: patch.report, incremental: true };
  }
  const existing = naming(path, () => decodeSnapshot(bytes));
  const { graph, report } = assembleGraph(batch, existing);
  writeSnapshotFile(path, graph);
  return { report, incremental: false, rebuildReason: patch.reason };
}

/** Writes the graph to `path` atomically. The previous snapshot stays intact until the rename. */
export function writeSnapshotFile(path: string, graph: CompactGraph): void {
  writeSnapshotParts(path, encodeSnapshotParts(graph));
}

/** Writes snapshot bytes, given as consecutive pieces, to `path` atomically (temporary file, fsync, rename). */
export function writeSnapshotParts(path: string, parts: readonly Uint8Array[]): void {
  const target = resolve(path);
  const folder = dirname(target);
  mkdirSync(folder, { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  removeStaleTemporaries(target);
  const fd = openSync(temporary, 'w', 0o600);
  try {
    for (const bytes of parts) {
      for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset, Math.min(bytes.length - offset, 1 << 26));
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw new BlastmapError('IO', `cannot write snapshot ${path}: ${(error as Error).message}`, { cause: error });
  }
  closeSync(fd);
  // The state being replaced goes to history/ first (a hard link: no copy), so `--graph @-1` can still read it.
  keepPreviousState(target, (message) => process.stderr.write(`${message}\n`));
  renameSync(temporary, target);
  try {
    const dirFd = openSync(folder, constants.O_RDONLY);
    try { fsyncSync(dirFd); } finally { closeSync(dirFd); }
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is still atomic.
  }
}

/** False when no process has this id (it crashed or was killed); true when one does, or when we cannot tell. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * A writer killed mid-write leaves `<snapshot>.<pid>.tmp` behind: never read (only the rename makes a snapshot),
 * but possibly large. Those of processes that no longer exist are removed before the next write.
 */
function removeStaleTemporaries(target: string): void {
  const name = basename(target);
  let entries: string[];
  try {
    entries = readdirSync(dirname(target));
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(`${name}.`) || !entry.endsWith('.tmp')) continue;
    const pid = Number(entry.slice(name.length + 1, -4));
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processAlive(pid)) rmSync(join(dirname(target), entry), { force: true });
  }
}

/** Who holds a lock: written into the lock file, so a later writer can tell whether the holder is gone. */
interface LockOwner { pid: number; host: string }

function readOwner(lock: string): LockOwner | undefined {
  let text: string;
  try {
    text = readFileSync(lock, 'utf8').trim();
  } catch {
    return undefined;
  }
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    if (typeof owner === 'object' && owner !== null && Number.isInteger(owner.pid) && typeof owner.host === 'string') return { pid: owner.pid!, host: owner.host };
  } catch { /* a lock written by an older blastmap: its pid alone, no host */ }
  const pid = Number(text);
  return Number.isInteger(pid) && pid > 0 ? { pid, host: '' } : undefined;
}

const createExclusive = (file: string, text: string): void => {
  const fd = openSync(file, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
  try { writeSync(fd, text); } finally { closeSync(fd); }
};

/** How long a takeover may hold `<lock>.takeover` before another writer may clear it (it holds it for microseconds). */
const TAKEOVER_STALE_MS = 10_000;

/**
 * Removes a lock whose owner is gone, once, under `<lock>.takeover` (created exclusively): two writers recovering
 * at once take turns, and the second finds the first one's fresh lock, whose owner is alive. True when removed.
 */
function removeStaleLock(lock: string, stale: LockOwner): boolean {
  const guard = `${lock}.takeover`;
  try {
    createExclusive(guard, `${process.pid}\n`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    try {
      if (Date.now() - statSync(guard).mtimeMs > TAKEOVER_STALE_MS) rmSync(guard, { force: true });
    } catch { /* gone meanwhile */ }
    return false;
  }
  try {
    const now = readOwner(lock);
    if (now === undefined || now.pid !== stale.pid || now.host !== stale.host) return false;
    rmSync(lock, { force: true });
    return true;
  } finally {
    rmSync(guard, { force: true });
  }
}

export interface WriteLockOptions {
  /** Told when a lock left by a writer that no longer runs (same host, process gone) is taken over. */
  onTakeover?: (message: string) => void;
}

/**
 * Runs `work` while holding `<path>.lock`, created exclusively, holding the owner's process id and host name. A
 * second writer fails at once with a LOCKED error naming the holder, instead of racing it. A lock whose owner is
 * gone (same host, no such process: a killed import) is taken over, with a message.
 */
export function withWriteLock<T>(path: string, work: () => T, options: WriteLockOptions = {}): T {
  const lock = `${resolve(path)}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  const host = hostname();
  const owner = `${JSON.stringify({ pid: process.pid, host })}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      createExclusive(lock, owner);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readOwner(lock);
      if (holder === undefined) {
        // Vanished between our create and our read (its writer finished): try again.
        if (attempt < 3 && !existsSync(lock)) continue;
        throw new BlastmapError('LOCKED', `${path} is being written by another process; if no blastmap is running, delete ${lock}`);
      }
      const sameHost = holder.host === host;
      if (sameHost && holder.pid !== process.pid && !processAlive(holder.pid) && attempt < 3) {
        if (removeStaleLock(lock, holder)) {
          options.onTakeover?.(`note: took over ${lock}: it was left by process ${holder.pid} on this host, which is no longer running (an interrupted write; the snapshot itself is intact)`);
        }
        continue;
      }
      if (holder.host === '' && !processAlive(holder.pid)) {
        throw new BlastmapError('LOCKED', `${path} is locked by process ${holder.pid}, which is no longer running (it was interrupted; the snapshot itself is intact): delete ${lock} and retry`);
      }
      if (!sameHost && holder.host !== '') {
        throw new BlastmapError('LOCKED', `${path} is being written by process ${holder.pid} on host ${holder.host}; this host cannot tell whether it still runs: if it does not, delete ${lock}`);
      }
      throw new BlastmapError('LOCKED', `${path} is being written by process ${holder.pid}; if no blastmap is running, delete ${lock}`);
    }
  }
  try {
    return work();
  } finally {
    // Ours only: never remove a lock another writer took after a takeover of ours.
    if (readOwner(lock)?.pid === process.pid) rmSync(lock, { force: true });
  }
}

// Evidence on disk: reading raw log folders (`.json`, `.json.gz`, `.csv`, `.txt`; gzip undone here, with node:zlib),
// and the observation store kept beside a graph: `<snapshot>.evidence` for a snapshot file (and for native files or
// folders), `<workspace>/evidence.bmev` inside a workspace folder. Written atomically, like the snapshot.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Command } from 'commander';
import { BlastmapError } from '../engine/errors.ts';
import { createStore, decodeStore, encodeStore, type ObservationStore } from '../engine/evidence/store.ts';
import type { RawFile } from '../importers/common/records.ts';
import { reach, type ReachOptions, type ReachResult } from '../engine/analysis/reach.ts';
import type { EvidenceReport } from '../engine/evidence/report.ts';
import type { CompactGraph } from '../engine/store/compact.ts';
import { DEFAULT_GRAPH, graphPath, parseAt } from './context.ts';
import { isWorkspace } from './workspace-layout.ts';

/** A workspace keeps its evidence inside it, under this name. */
export const WORKSPACE_EVIDENCE = 'evidence.bmev';
/** Beside a snapshot (or native file or folder): `<path>.evidence`. */
export const EVIDENCE_SUFFIX = '.evidence';

const LOG_EXTENSIONS = /\.(json|json\.gz|csv|csv\.gz|txt|log|ndjson|jsonl)$/i;

/** Where the evidence of the graph named by --graph lives. A past state (`@-1`) shares its snapshot's. */
export function evidencePath(graphOption: string | undefined): string {
  const path = graphPath(graphOption).replace(/@(-\d+|\d{4}-\d{2}-\d{2}\S*)$/, '') || (process.env.BLASTMAP_GRAPH ?? DEFAULT_GRAPH);
  const trimmed = path.replace(/[/\\]+$/, '');
  if (existsSync(trimmed) && statSync(trimmed).isDirectory() && isWorkspace(trimmed)) return join(trimmed, WORKSPACE_EVIDENCE);
  return `${trimmed}${EVIDENCE_SUFFIX}`;
}

/** Every log file under the folders (recursively, sorted) or given directly; `.gz` files decompressed. */
export function readLogFolder(paths: readonly string[]): RawFile[] {
  const files: RawFile[] = [];
  const read = (full: string, name: string): void => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(full);
      if (/\.gz$/i.test(name)) bytes = gunzipSync(bytes);
    } catch (error) {
      throw new BlastmapError('IO', `cannot read ${full}: ${(error as Error).message}`, { cause: error });
    }
    files.push({ path: name, text: bytes.toString('utf8') });
  };
  const walk = (root: string, dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(root, full);
      else if (LOG_EXTENSIONS.test(name)) read(full, relative(root, full));
    }
  };
  for (const path of paths) {
    if (!existsSync(path)) throw new BlastmapError('IO', `${path}: no such file or folder`);
    if (statSync(path).isDirectory()) walk(path, path);
    else read(path, path.split('/').pop()!);
  }
  if (files.length === 0) throw new BlastmapError('IO', `no log files (.json, .json.gz, .csv) in ${paths.join(', ')}`);
  return files;
}

export function readEvidenceFile(path: string): ObservationStore {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new BlastmapError('IO', `cannot read the evidence file ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return decodeStore(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    if (error instanceof BlastmapError) throw new BlastmapError(error.code, `${path}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** Writes the store atomically, as a snapshot is written: a temporary file (mode 0600) beside it, fsync, rename. */
export function writeEvidenceFile(path: string, store: ObservationStore): void {
  const bytes = encodeStore(store);
  mkdirSync(dirname(resolve(path)), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw new BlastmapError('IO', `cannot write the evidence file ${path}: ${(error as Error).message}`, { cause: error });
  }
  closeSync(fd);
  renameSync(temporary, path);
}

/**
 * `--evidence [folder]`: the observations of a folder of raw logs, or (no value) the ones imported beside the graph.
 * The log importers are loaded only for a folder of raw logs.
 */
export async function loadEvidenceStore(option: string | boolean | undefined, graphOption: string | undefined): Promise<ObservationStore | undefined> {
  if (option === undefined || option === false) return undefined;
  if (option === true) {
    const path = evidencePath(graphOption);
    if (!existsSync(path)) throw new BlastmapError('IO', `no evidence imported for ${graphPath(graphOption)} (looked for ${path}): run \`blastmap import logs <folder> --graph ${graphPath(graphOption)}\`, or pass --evidence <folder of logs>`);
    return readEvidenceFile(path);
  }
  const { readLogFiles } = await import('../importers/logs/registry.ts');
  return createStore(readLogFiles(readLogFolder([option])).observations);
}

export interface EvidenceFlags { evidence?: string | boolean; since?: string }

/** Adds --evidence [folder] (and, when `since`, --since for the window's start) to a command. */
export function addEvidenceOptions(command: Command, options: { since?: boolean } = {}): Command {
  command.option('--evidence [folder]', 'mark what the activity logs show: a folder of raw logs, or without a value what `blastmap import logs` stored beside the graph (docs/evidence.md)');
  if (options.since) command.option('--since <date>', "with --evidence: when the compromise began, the window's start (ISO-8601; default the sources' createdAt, else every logged event up to --at)");
  return command;
}

/**
 * The evidence report over one traversal from `sources`, in the window from --since (else the sources' createdAt,
 * else unbounded) to the analysis instant `at`; undefined without --evidence.
 */
export async function evidenceOverReach(graph: CompactGraph, sources: readonly number[], flags: EvidenceFlags & { graph?: string }, options: ReachOptions, at: string | number, result?: ReachResult): Promise<EvidenceReport | undefined> {
  const store = await loadEvidenceStore(flags.evidence, flags.graph);
  if (!store) return undefined;
  const since = parseAt(flags.since);
  // Loaded only with --evidence: the radius and paths commands need neither without it.
  const [{ compromiseWindow }, { evidenceForReach, resolveEvidence }] = await Promise.all([import('../engine/analysis/respond.ts'), import('../engine/evidence/report.ts')]);
  const window = compromiseWindow(graph, sources, { at, ...(since ? { since } : {}) });
  const traversal = result ?? reach(graph, sources, { ...options, at: window.at });
  return evidenceForReach(resolveEvidence(graph, store), traversal, { from: window.since, to: window.at }).report;
}

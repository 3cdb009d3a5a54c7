// What every command shares: where the graph lives and how to load it, output formats, colours, progress
// bars, and the mapping from typed errors to one clear line and a documented exit status.
import { existsSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import pc from 'picocolors';
import { BlastmapError, formatIssue, type ErrorCode } from '../engine/errors.ts';
import { withoutControls } from '../engine/format/validate.ts';
import { redactText } from '../engine/secrets.ts';
import type { SourcedFragment } from '../engine/format/validate.ts';
import { assembleGraph, type ImportReport } from '../engine/store/assemble.ts';
import { toFragment, type CompactGraph } from '../engine/store/compact.ts';
import { isStub } from '../engine/store/link.ts';
import { streamNdjsonFile, streamThreshold } from './ndjson-stream.ts';
import { parseNative } from '../importers/native/index.ts';
import { readSnapshotFile } from './snapshot-file.ts';
import { isWorkspace, loadWorkspace } from './workspace.ts';

export const DEFAULT_GRAPH = '.blastmap/graph.bmap';
export const NATIVE_EXTENSIONS = ['.json', '.yaml', '.yml', '.ndjson', '.jsonl'];

/** Exit statuses (docs/cli.md). */
export const EXIT = {
  ok: 0,
  /** A check found what it looks for: a policy violation (review), findings at or above --fail-on. */
  violation: 1,
  usage: 2,
  invalidInput: 3,
  unknownNode: 4,
  io: 5,
  locked: 6,
  internal: 70,
} as const;

const EXIT_BY_CODE: Record<ErrorCode, number> = {
  INVALID_INPUT: EXIT.invalidInput,
  INVALID_OPTION: EXIT.usage,
  UNKNOWN_NODE: EXIT.unknownNode,
  AMBIGUOUS_NODE: EXIT.unknownNode,
  INVALID_SNAPSHOT: EXIT.io,
  IO: EXIT.io,
  LOCKED: EXIT.locked,
};

export interface Io {
  out: (text: string) => void;
  /**
   * For large streamed output (`writeChunks`): writes before returning, so a report piped to a slow reader
   * waits for it instead of queueing hundreds of megabytes in memory. Optional; `out` otherwise.
   */
  outBlocking?: (text: string) => void;
  err: (text: string) => void;
  /** Colours for human output: on a TTY only, never with NO_COLOR. */
  color: ReturnType<typeof pc.createColors>;
  isTty: boolean;
}

export function defaultIo(): Io {
  const isTty = Boolean(process.stdout.isTTY);
  const enabled = isTty && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    outBlocking: (text) => writeStdoutBlocking(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    color: pc.createColors(enabled),
    isTty,
  };
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes to stdout with `writeSync`, waiting out a full pipe (EAGAIN) and stopping quietly when the reader
 * has gone (EPIPE, e.g. `| head`). Falls back to the stream while it still has queued data, to keep order.
 */
function writeStdoutBlocking(text: string): void {
  if (process.stdout.writableLength > 0) { process.stdout.write(text); return; }
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length;) {
    try {
      offset += writeSync(1, bytes, offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 2);
    }
  }
}

export function graphPath(option: string | undefined): string {
  return option ?? process.env.BLASTMAP_GRAPH ?? DEFAULT_GRAPH;
}

export function isNativeFile(path: string): boolean {
  return NATIVE_EXTENSIONS.includes(extname(path).toLowerCase());
}

/** Native files given directly or found (non-recursively, sorted) in a folder. */
export function expandInputs(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    if (!existsSync(path)) throw new BlastmapError('IO', `${path}: no such file or folder`);
    if (statSync(path).isDirectory()) {
      const inside = readdirSync(path).filter((name) => isNativeFile(name)).sort().map((name) => join(path, name));
      if (inside.length === 0) {
        if (isWorkspace(path)) throw new BlastmapError('IO', `${path} is a workspace (exports/ and native/ folders): pass it as --graph, or import each export and then its native/ folder`);
        throw new BlastmapError('IO', `${path}: no .json, .yaml or .ndjson files in this folder`);
      }
      files.push(...inside);
    } else files.push(path);
  }
  return files;
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel.startsWith('..') ? path : rel;
}

/** Reads and validates native files; throws one error carrying every issue of every file. */
export function readNativeFiles(paths: readonly string[]): SourcedFragment[] {
  const batch: SourcedFragment[] = [];
  const issues = [];
  for (const file of expandInputs(paths)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new BlastmapError('IO', `cannot read ${file}: ${(error as Error).message}`, { cause: error });
    }
    const result = parseNative(text, { file: displayPath(file) });
    if (result.ok) batch.push(result.value);
    else issues.push(...result.issues);
  }
  if (issues.length > 0) throw new BlastmapError('INVALID_INPUT', `${issues.length} problem${issues.length === 1 ? '' : 's'} in the input; nothing was imported`, { issues });
  return batch;
}

/**
 * Native inputs assembled into a graph (merged into `existing` when given). A single large NDJSON file imported
 * into an empty graph is streamed in bounded memory with a progress bar (cli/ndjson-stream.ts); anything else,
 * and any input that links to other platforms through reference stubs, takes readNativeFiles and assembleGraph.
 */
export function assembleNativeFiles(paths: readonly string[], existing?: CompactGraph, io?: Io): { graph: CompactGraph; report: ImportReport } {
  const files = expandInputs(paths);
  const single = files.length === 1 ? files[0]! : undefined;
  if (existing === undefined && single !== undefined && /\.(ndjson|jsonl)$/i.test(single) && statSync(single).size >= streamThreshold()) {
    const size = statSync(single).size;
    const bar = io ? progressBar(io, `reading ${displayPath(single)}`, size) : undefined;
    let streamed;
    try {
      streamed = streamNdjsonFile(single, { file: displayPath(single), ...(bar ? { onBytes: bar.update } : {}) });
    } finally {
      bar?.stop();
    }
    const { graph, summary } = streamed;
    if (!graph.nodes.some(isStub)) {
      return {
        graph,
        report: { files: 1, nodesBefore: 0, edgesBefore: 0, nodes: graph.nodeCount, edges: graph.edgeCount, nodesImported: summary.nodes, edgesImported: summary.edges, redactions: summary.redactions, warnings: [], links: { resolved: 0, unresolved: [] } },
      };
    }
    const fragment = toFragment(graph);
    return assembleGraph([{ fragment, provenance: { file: displayPath(single), nodePaths: fragment.nodes.map((n) => `node ${n.id}`), edgePaths: fragment.edges.map((e) => `edge ${e.from} -${e.kind}-> ${e.to}`) }, redactions: summary.redactions }]);
  }
  return assembleGraph(readNativeFiles(files), existing);
}

/** Graphs loaded before a command's action, by the --graph value that names them (--store neo4j pulls one). */
const preloadedGraphs = new Map<string, CompactGraph>();

/** Makes loadGraph(key) return `graph` (or forget it, with undefined). */
export function preloadGraph(key: string, graph: CompactGraph | undefined): void {
  if (graph) preloadedGraphs.set(key, graph);
  else preloadedGraphs.delete(key);
}

/**
 * Loads the graph named by --graph: a snapshot file, native files / a folder of them, or a workspace folder
 * (`exports/<source>/` raw exports through their importers plus `native/` files, cli/workspace.ts), imported
 * on the fly (nothing is written). Without --graph: $BLASTMAP_GRAPH, then .blastmap/graph.bmap.
 */
export function loadGraph(option: string | undefined): CompactGraph {
  const path = graphPath(option);
  const preloaded = preloadedGraphs.get(path);
  if (preloaded) return preloaded;
  if (isWorkspace(path)) return loadWorkspace(path).graph;
  if (existsSync(path) && (statSync(path).isDirectory() || isNativeFile(path))) {
    return assembleNativeFiles([path]).graph;
  }
  if (!existsSync(path)) {
    throw new BlastmapError('IO', `no graph at ${path}: run \`blastmap import native <files>\` first, or pass --graph <snapshot|file|folder>`);
  }
  return readSnapshotFile(path);
}

export type OutputFormat = 'text' | 'json' | 'ndjson' | 'markdown' | 'html' | 'sarif';

/**
 * Writes pieces that each end with a newline, gathered into writes of about a megabyte: a large report
 * streams out while it is produced instead of being joined into one string first.
 */
export function writeChunks(io: Io, chunks: Iterable<string>, batchChars = 1 << 20): void {
  const write = io.outBlocking ?? io.out;
  let pending: string[] = [];
  let size = 0;
  for (const chunk of chunks) {
    pending.push(chunk);
    size += chunk.length;
    if (size >= batchChars) { write(pending.join('')); pending = []; size = 0; }
  }
  if (pending.length > 0) write(pending.join(''));
}

export function parseFormat(value: string | undefined, allowed: readonly OutputFormat[]): OutputFormat {
  const format = (value ?? 'text') as OutputFormat;
  if (!allowed.includes(format)) throw new BlastmapError('INVALID_OPTION', `--format ${value}: expected one of ${allowed.join(', ')}`);
  return format;
}

export function parseAt(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new BlastmapError('INVALID_OPTION', `--at ${value}: expected an ISO-8601 date such as 2025-08-10 or 2025-08-10T12:00:00Z`);
  return new Date(ms);
}

export function parseCount(name: string, value: string | undefined, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new BlastmapError('INVALID_OPTION', `${name} ${value}: expected a whole number of at least ${min}`);
  return n;
}

export const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/**
 * The same text as `json(value)`, in pieces: the array under `key` is written one element at a time, so a
 * report with hundreds of thousands of entries never becomes one string (V8 caps a string near 512 MB).
 */
export function* jsonChunks(value: Record<string, unknown>, key: string): Generator<string> {
  const list = value[key];
  if (!Array.isArray(list) || list.length === 0) { yield json(value); return; }
  const marker = '\u0000streamed\u0000';
  const skeleton = JSON.stringify({ ...value, [key]: marker }, null, 2);
  const at = skeleton.indexOf(JSON.stringify(marker));
  yield `${skeleton.slice(0, at)}[\n`;
  for (let i = 0; i < list.length; i++) {
    const element = JSON.stringify(list[i], null, 2).replace(/\n/g, '\n    ');
    yield `    ${element}${i + 1 < list.length ? ',' : ''}\n`;
  }
  yield `  ]${skeleton.slice(at + JSON.stringify(marker).length)}\n`;
}

/** A progress bar on stderr when it is a terminal; silent otherwise (CI logs, pipes). */
export function progressBar(io: Io, label: string, total: number): { update: (done: number) => void; stop: () => void } {
  if (!process.stderr.isTTY || total < 2) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar({ format: `${label} [{bar}] {value}/{total} {eta_formatted}`, stream: process.stderr, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}

/** Text quoted from input or arguments, fit for a terminal: no secret, no control character. */
const inert = (text: string): string => withoutControls(redactText(text).text);

/** Prints a typed error as one clear line (plus its issues or candidates) and returns the exit status. */
export function reportError(io: Io, error: unknown): number {
  if (error instanceof BlastmapError) {
    // Messages quote input (a value that failed validation, a name typed on the command line): never a secret.
    io.err(`${io.color.red('error:')} ${inert(error.message)}`);
    const shown = error.issues.slice(0, 50);
    for (const issue of shown) io.err(`  ${inert(formatIssue(issue))}`);
    if (error.issues.length > shown.length) io.err(`  ... and ${error.issues.length - shown.length} more`);
    // A message that already names every candidate (the known --enforce conditions) is not followed by the list again.
    if (error.candidates.length > 0 && !error.candidates.every((candidate) => error.message.includes(candidate))) {
      io.err(error.code === 'AMBIGUOUS_NODE' ? 'matching nodes:' : error.code === 'UNKNOWN_NODE' ? 'closest nodes:' : 'known values:');
      for (const candidate of error.candidates) io.err(`  ${inert(candidate)}`);
    }
    return EXIT_BY_CODE[error.code];
  }
  const err = error as { code?: string; exitCode?: number; message?: string };
  if (typeof err?.code === 'string' && err.code.startsWith('commander.')) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  io.err(`${io.color.red('internal error:')} ${inert(err?.message ?? String(error))}`);
  if (process.env.BLASTMAP_DEBUG) io.err(String((error as Error)?.stack));
  return EXIT.internal;
}

// What every command shares: where the graph lives and how to load it, output formats, colours, progress
// bars, and the mapping from typed errors to one clear line and a documented exit status.
import { calendarInstant } from '../engine/format/dates.ts';
import { existsSync, readFileSync, statSync, writeSync } from 'node:fs';
import { extname } from 'node:path';
import cliProgress from 'cli-progress';
import pc from 'picocolors';
import { BlastmapError, formatIssue, type ErrorCode, type InputIssue } from '../engine/errors.ts';
import { withoutControls } from '../engine/format/controls.ts';
import { redactStrings, redactText } from '../engine/secrets.ts';
import type { CompactGraph } from '../engine/store/compact.ts';
import { jsonOutChunks, writeJsonOut, type JsonOut } from '../engine/report/json-out.ts';

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
  /** Like `outBlocking`, for text already encoded as UTF-8 (`writeChunks` encodes into one reused buffer). */
  outBytes?: (bytes: Uint8Array) => void;
  err: (text: string) => void;
  /** Colours for human output: see colorEnabled. */
  color: ReturnType<typeof pc.createColors>;
  isTty: boolean;
  /** Errors as one JSON object on stderr (the command was asked for `--format json`). */
  jsonErrors?: boolean;
}

/**
 * Colour on or off: FORCE_COLOR set and not empty forces it (force-color.org; it wins over NO_COLOR, as in Node
 * itself), NO_COLOR set and not empty turns it off (no-color.org), otherwise on a terminal that is not `dumb`.
 */
export function colorEnabled(env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTty && env.TERM !== 'dumb';
}

export function defaultIo(): Io {
  const isTty = Boolean(process.stdout.isTTY);
  const enabled = colorEnabled(process.env, isTty);
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    outBlocking: (text) => writeStdoutBlocking(text.endsWith('\n') ? text : `${text}\n`),
    outBytes: writeStdoutBytesBlocking,
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    color: pc.createColors(enabled),
    isTty,
  };
}

/** The file name that means standard input, wherever blastmap reads a file. */
export const STDIN = '-';
let stdinBytes: Buffer | undefined;
let stdinText: string | undefined;

/** Standard input's bytes, read once: a second `-` in the same command gets the same bytes. */
export function readStdinBytes(): Buffer {
  stdinBytes ??= readFileSync(0);
  return stdinBytes;
}

/** A file's text; for `-`, standard input's (read once: a second `-` in the same command gets the same text). */
export function readInputText(path: string): string {
  if (path !== STDIN) return readFileSync(path, 'utf8');
  stdinText ??= readStdinBytes().toString('utf8');
  return stdinText;
}

/** How errors name an input: `<stdin>` for `-`. */
export const inputName = (path: string): string => (path === STDIN ? '<stdin>' : path);


const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes to stdout with `writeSync`, waiting out a full pipe (EAGAIN) and stopping quietly when the reader
 * has gone (EPIPE, e.g. `| head`). Falls back to the stream while it still has queued data, to keep order.
 */
function writeStdoutBlocking(text: string): void {
  if (process.stdout.writableLength > 0) { process.stdout.write(text); return; }
  writeStdoutBytesBlocking(Buffer.from(text));
}

/** writeStdoutBlocking for encoded text; `bytes` may be reused by the caller once this returns. */
function writeStdoutBytesBlocking(bytes: Uint8Array): void {
  if (process.stdout.writableLength > 0) { process.stdout.write(Buffer.from(bytes)); return; }
  for (let offset = 0; offset < bytes.length;) {
    try {
      offset += writeSync(1, bytes, offset, bytes.length - offset);
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

/** Graphs loaded before a command's action, by the --graph value that names them (--store neo4j pulls one). */
const preloadedGraphs = new Map<string, CompactGraph>();

/** Makes loadGraph(key) return `graph` (or forget it, with undefined). */
export function preloadGraph(key: string, graph: CompactGraph | undefined): void {
  if (graph) preloadedGraphs.set(key, graph);
  else preloadedGraphs.delete(key);
}

/** The graph preloadGraph(key) holds, if any. */
export const preloadedGraph = (key: string): CompactGraph | undefined => preloadedGraphs.get(key);

export type OutputFormat = 'text' | 'json' | 'ndjson' | 'markdown' | 'html' | 'sarif';

/**
 * Writes pieces that each end with a newline, gathered into writes of about a megabyte: a large report
 * streams out while it is produced instead of being joined into one string first.
 */
export function writeChunks(io: Io, chunks: Iterable<string>, batchChars = 1 << 20): void {
  if (io.outBytes) { writeEncodedChunks(io.outBytes, chunks, batchChars); return; }
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

/**
 * writeChunks onto a byte sink: each piece is encoded as UTF-8 straight into one reused buffer of `batchBytes`,
 * written when full (no joined string, no new buffer per write). A piece too large for the buffer is written alone.
 */
export function writeEncodedChunks(write: (bytes: Uint8Array) => void, chunks: Iterable<string>, batchBytes = 1 << 20): void {
  const encoder = new TextEncoder();
  const buffer = new Uint8Array(Math.max(batchBytes, 16));
  let used = 0;
  for (const chunk of chunks) {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    const most = chunk.length * 3;
    if (most > buffer.length - used && used > 0) { write(buffer.subarray(0, used)); used = 0; }
    if (most > buffer.length) { write(encoder.encode(chunk)); continue; }
    used += encoder.encodeInto(chunk, buffer.subarray(used)).written;
  }
  if (used > 0) write(buffer.subarray(0, used));
}

/**
 * A report written by a JsonOut writer (engine/report/json-out.ts): straight into the byte sink when there is
 * one (standard output, a file), else decoded into pieces of text for `writeChunks`.
 */
export function writeJson(io: Io, write: (out: JsonOut) => Iterable<unknown>): void {
  if (io.outBytes) { writeJsonOut(io.outBytes, write); return; }
  writeChunks(io, jsonOutChunks(write));
}

export function parseFormat(value: string | undefined, allowed: readonly OutputFormat[]): OutputFormat {
  const format = (value ?? 'text') as OutputFormat;
  if (!allowed.includes(format)) throw new BlastmapError('INVALID_OPTION', `--format ${value}: expected one of ${allowed.join(', ')}`);
  return format;
}

export function parseAt(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  // ISO-8601 only, on a real calendar day: Date.parse would read 2024-02-30, and also "Feb 30 2024", as March 1.
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? calendarInstant(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new BlastmapError('INVALID_OPTION', `--at ${value}: expected an ISO-8601 date on a real calendar day, such as 2025-08-10 or 2025-08-10T12:00:00Z`);
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

/**
 * A path typed on the command line as a report names it (`imported … into <snapshot>`), or a note quoting one (a
 * lock taken over): a secret in it (a token pasted into --graph) is redacted like any other text the CLI quotes.
 */
export const shownPath = (path: string): string => inert(path);

/** What a machine reading `--format json` gets on stderr: one object, the first issue's location at the top. */
export interface JsonError {
  code: string;
  message: string;
  file: string | null;
  path: string | null;
  line: number | null;
  column: number | null;
  issues: InputIssue[];
  candidates: string[];
}

function jsonError(code: string, message: string, issues: readonly InputIssue[] = [], candidates: readonly string[] = []): string {
  const first = issues[0];
  const body: JsonError = {
    code, message: inert(message),
    file: first?.file === undefined ? null : inert(first.file), path: first?.path ?? null, line: first?.line ?? null, column: first?.column ?? null,
    issues: issues.map((issue) => redactStrings(issue, withoutControls)), candidates: candidates.map(inert),
  };
  return JSON.stringify(body);
}

/**
 * A command-line parsing error fit to print: commander quotes what was typed, and a mistyped `--neo4j-pasword=<secret>`
 * must not print the secret, nor a pasted escape sequence reach the terminal. Unknown options are named without their
 * value; values commander calls invalid are not repeated; what remains is stripped of secrets and control characters.
 */
export function usageMessage(code: string, message: string): string {
  const quoted = (text: string): string => {
    const clean = inert(text);
    return clean.length > 60 ? `${clean.slice(0, 57)}...` : clean;
  };
  let text = message.replace(/^error: /, '');
  const unknown = /^unknown (option|command) '([\s\S]*)'(\s*\(Did you mean [^)]*\?\))?$/.exec(text);
  if (unknown) {
    const name = unknown[1] === 'option' ? unknown[2]!.split('=')[0]! : unknown[2]!;
    text = `unknown ${unknown[1]} '${quoted(name)}'${unknown[3] ?? ''}`;
  } else if (code === 'commander.invalidArgument') {
    text = text.replace(/ (argument|value) '[\s\S]*' (from env '[^']*' )?is invalid\./, ' $1 is invalid.').replace(/^command-argument value '[\s\S]*' is invalid/, 'command-argument value is invalid');
  }
  return inert(text);
}

/** Prints a typed error as one clear line (plus its issues or candidates) and returns the exit status. */
export function reportError(io: Io, error: unknown): number {
  if (error instanceof BlastmapError) {
    if (io.jsonErrors) {
      io.err(jsonError(error.code, error.message, error.issues, error.candidates));
      return EXIT_BY_CODE[error.code];
    }
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
  if (typeof err?.code === 'string' && err.code.startsWith('commander.')) {
    if (err.exitCode === 0) return EXIT.ok;
    const message = usageMessage(err.code, err.message ?? '');
    if (io.jsonErrors) io.err(jsonError('USAGE', message));
    else io.err(`${io.color.red('error:')} ${message}\n(run with --help for usage)`);
    return EXIT.usage;
  }
  // A file-system error no command wrapped (a path in a folder that does not exist, a folder where a file was
  // expected) is the environment's, not blastmap's: an I/O error, exit 5, naming the path.
  const system = error as { code?: string; syscall?: string; path?: string };
  if (typeof system?.syscall === 'string' && typeof system.code === 'string' && /^E[A-Z]+$/.test(system.code)) {
    return reportError(io, new BlastmapError('IO', `cannot ${system.syscall}${system.path ? ` ${system.path}` : ''}: ${system.code}`, { cause: error }));
  }
  if (io.jsonErrors) io.err(jsonError('INTERNAL', err?.message ?? String(error)));
  else io.err(`${io.color.red('internal error:')} ${inert(err?.message ?? String(error))}`);
  // The stack's first line is the message: redacted like it.
  if (process.env.BLASTMAP_DEBUG) io.err(inert(String((error as Error)?.stack)));
  return EXIT.internal;
}

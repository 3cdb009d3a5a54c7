// Large native NDJSON files read in fixed-size chunks straight into a compiled graph (importers/native/ndjson-fast.ts),
// so memory follows the graph, not the file. Lines that may carry a secret or a control character are scrubbed here,
// before the reader sees them, exactly as finishFragment scrubs the records of small files.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { BlastmapError } from '../engine/errors.ts';
import { nodeId } from '../engine/format/native.ts';
import { withoutControls } from '../engine/format/validate.ts';
import { DEFAULT_SCHEMA, type Schema } from '../engine/schema/index.ts';
import { countRedactionMarkers, findSecret, isSecretFieldName, mayHoldSecret, redactId, redactText, scrubInput } from '../engine/secrets.ts';
import type { CompactGraph } from '../engine/store/compact.ts';
import { NdjsonGraphReader, type FastNdjsonSummary } from '../importers/native/ndjson-fast.ts';
import { parallelThreshold, streamNdjsonParallel } from './ndjson-parallel.ts';

/** NDJSON files at least this large are streamed (BLASTMAP_NDJSON_STREAM_BYTES overrides it). */
export const STREAM_THRESHOLD = 32 * 1024 * 1024;
const CHUNK = 1024 * 1024;

export function streamThreshold(): number {
  const override = Number(process.env.BLASTMAP_NDJSON_STREAM_BYTES);
  return Number.isFinite(override) && override >= 0 && process.env.BLASTMAP_NDJSON_STREAM_BYTES !== '' ? override : STREAM_THRESHOLD;
}

/**
 * Any JSON escape (an escaped control character scrubbing replaces; `\"`, `\n`, `\u0070`, `\/` that hide a secret's
 * shape from a test on the raw line: `\"client_secret\": \"…\"` is an assignment only once parsed), a raw DEL or a
 * UTF-8 C1 control (the bytes C2 80-9F, seen as Latin-1). Such lines are parsed and scrubbed string by string.
 */
export const CONTROL_SUSPECT = /\\|\x7f|\xc2[\x80-\x9f]/;

/**
 * Anything scrubbing could change, in text decoded as Latin-1 (secrets are ASCII): a secret a rule finds
 * (engine/secrets.ts, prefiltered by its keywords) or one of CONTROL_SUSPECT. Text without either passes to the
 * reader untouched, which is the common case.
 */
export const suspect = (text: string): boolean => CONTROL_SUSPECT.test(text) || mayHoldSecret(text);

const ID_FIELDS = new Set(['id', 'from', 'to', 'grant']);

/** Nesting the scrubber follows: far beyond any valid record (a property list is three levels deep). */
const MAX_DEPTH = 32;

export interface Scrubbed { value: unknown; redactions: number }

/** The record as finishFragment would leave it: controls replaced, secrets redacted (ids with a fingerprint), secret-named properties dropped. */
export function scrubRecord(input: Record<string, unknown>, schema: Schema): Scrubbed {
  // The input boundary first (every key and value, before the id is derived from lower-cased parts), then what
  // finishFragment does to the record; markers the boundary left are counted as finishFragment counts them.
  const record = scrubInput(input);
  let redactions = 0;
  const text = (value: string): string => {
    const { text: out, found } = redactText(withoutControls(value));
    redactions += found.length + countRedactionMarkers(value);
    return out;
  };
  const id = (value: string, counted: boolean): string => {
    const clean = withoutControls(value);
    if (!findSecret(clean)) {
      if (counted) redactions += countRedactionMarkers(clean);
      return clean;
    }
    const { text: out } = redactId(clean);
    if (counted) redactions += countRedactionMarkers(out);
    return out;
  };
  // No valid record nests deeper than a property list (object, array, value): what lies past MAX_DEPTH becomes null,
  // the record stays invalid for the reader to refuse, and neither this recursion nor re-serialising the record runs
  // out of stack on hostile input.
  const deep = (value: unknown, depth = 0): unknown => {
    if (depth >= MAX_DEPTH) return null;
    if (typeof value === 'string') return text(value);
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((item) => deep(item, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, deep(item, depth + 1)]));
  };
  const isNode = typeof record.kind === 'string' && Object.hasOwn(schema.nodeKinds, record.kind);
  // A node named by nativeId gets its derived id here, so the id is scrubbed as a whole, as for small files.
  if (isNode && record.id === undefined && typeof record.nativeId === 'string' && typeof record.platform === 'string' && typeof record.tenant === 'string') {
    record.id = nodeId(record.platform, record.tenant, record.kind as string, record.nativeId);
    delete record.nativeId;
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (ID_FIELDS.has(key) && typeof value === 'string') out[key] = id(value, isNode && key === 'id');
    else if (key === 'ownerIds' && Array.isArray(value)) out[key] = value.map((item) => (typeof item === 'string' ? id(item, false) : item));
    else if ((key === 'fingerprint' || key === 'hint') && typeof value === 'string' && findSecret(value)) redactions++;
    else if (key === 'properties' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const properties: Record<string, unknown> = {};
      for (const [name, item] of Object.entries(value)) {
        redactions += countRedactionMarkers(name);
        if (isSecretFieldName(name) && item !== null && item !== '') { redactions++; continue; }
        properties[name] = deep(item);
      }
      out[key] = properties;
    } else out[key] = deep(value);
  }
  return { value: out, redactions };
}

const lineEncoder = new TextEncoder();

/**
 * A suspect line as streamNdjsonChunks passes it on: scrubbed (scrubRecord) when it is a JSON object, else as it is for
 * the reader to refuse with its line number; always with a newline.
 */
export function scrubLine(line: Buffer, schema: Schema): { bytes: Uint8Array; redactions: number } {
  let record: unknown;
  try {
    record = JSON.parse(line.toString('utf8'));
  } catch {
    record = undefined;
  }
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    const bytes = new Uint8Array(line.length + 1);
    bytes.set(line);
    bytes[line.length] = 10;
    return { bytes, redactions: 0 };
  }
  const scrubbed = scrubRecord(record as Record<string, unknown>, schema);
  return { bytes: lineEncoder.encode(`${JSON.stringify(scrubbed.value)}\n`), redactions: scrubbed.redactions };
}

export interface StreamedNdjson {
  graph: CompactGraph;
  summary: FastNdjsonSummary;
}

/**
 * Reads one NDJSON input as chunks of bytes into a graph, or throws INVALID_INPUT with every problem (file, line,
 * path). `onBytes` reports progress. Peak memory: the graph plus one chunk.
 */
export function streamNdjsonChunks(chunks: Iterable<Uint8Array>, options: { file: string; schema?: Schema; expectedEdges?: number; onBytes?: (bytes: number) => void }): StreamedNdjson {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const reader = new NdjsonGraphReader({ file: options.file, schema, scrubbed: true, ...(options.expectedEdges !== undefined ? { expectedEdges: options.expectedEdges } : {}) });
  let redactions = 0;
  const feed = (complete: Buffer) => {
    if (complete.length === 0) return;
    if (!suspect(complete.toString('latin1'))) { reader.push(complete); return; }
    let start = 0;
    while (start < complete.length) {
      let stop = complete.indexOf(10, start);
      if (stop < 0) stop = complete.length;
      const line = complete.subarray(start, stop);
      start = stop + 1;
      if (!suspect(line.toString('latin1'))) { reader.push(line); reader.push(NEWLINE); continue; }
      // A line that is not a JSON object is left to the reader, which reports it with its line number.
      const scrubbed = scrubLine(line, schema);
      redactions += scrubbed.redactions;
      reader.push(scrubbed.bytes);
    }
  };
  const lines = new WholeLines(options.file, feed);
  for (const chunk of chunks) {
    lines.push(chunk);
    options.onBytes?.(lines.read);
  }
  lines.end();
  const result = reader.finish();
  if (!result.ok) {
    throw new BlastmapError('INVALID_INPUT', `${result.issues.length} problem${result.issues.length === 1 ? '' : 's'} in the input; nothing was imported`, { issues: result.issues });
  }
  return { graph: reader.builder.build(), summary: { ...result.value, redactions: result.value.redactions + redactions } };
}

/**
 * Cuts chunks into runs of whole lines for `feed`: a secret or an escape split across two chunks must be seen in one
 * piece. Every line ends with its newline but possibly the last one of the input.
 */
export class WholeLines {
  /** The start of a line not complete yet, as copied pieces: joined once its newline arrives (never re-copied per chunk). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes pushed so far. */
  read = 0;

  constructor(private readonly file: string, private readonly feed: (complete: Buffer) => void) {}

  push(chunk: Uint8Array): void {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    this.read += chunk.length;
    const end = bytes.lastIndexOf(10) + 1;
    if (end === 0) {
      this.pending.push(Buffer.from(bytes));
      this.pendingBytes += bytes.length;
      if (this.pendingBytes > MAX_LINE_BYTES) throw longLine(this.file, this.read - this.pendingBytes);
      return;
    }
    let start = 0;
    if (this.pending.length > 0) {
      // Only the line that straddles the chunks is copied; the rest is read in place.
      start = bytes.indexOf(10) + 1;
      this.feed(Buffer.concat([...this.pending, bytes.subarray(0, start)]));
    }
    this.feed(bytes.subarray(start, end));
    this.pending = end < bytes.length ? [Buffer.from(bytes.subarray(end))] : [];
    this.pendingBytes = bytes.length - end;
  }

  /** The end of the input: its last line, when it has no newline. */
  end(): void {
    if (this.pending.length > 0) this.feed(Buffer.concat(this.pending));
    this.pending = [];
    this.pendingBytes = 0;
  }
}

const NEWLINE = new Uint8Array([10]);

/** Longest line (one node or edge) accepted: far beyond any real record; a line without end is an attack or a wrong file. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

function longLine(file: string, offset: number): BlastmapError {
  return new BlastmapError('INVALID_INPUT', `${file}: a line longer than ${MAX_LINE_BYTES} bytes; nothing was imported`, {
    issues: [{ file, path: '$', message: 'line too long', expected: `one node or edge per line, each under ${MAX_LINE_BYTES} bytes`, found: `a line of more than ${MAX_LINE_BYTES} bytes starting at byte ${offset}` }],
  });
}

/** The chunks of a file, read with one reused buffer. */
export function* fileChunks(path: string): Generator<Uint8Array> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new BlastmapError('IO', `cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  const buffer = Buffer.allocUnsafe(CHUNK);
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      // The reader copies what it keeps, so the buffer can be reused.
      yield buffer.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Streams one NDJSON file into a graph; `file` is the name issues carry. Files of parallelThreshold() bytes and more
 * are read on two threads (cli/ndjson-parallel.ts), with the same result.
 */
export function streamNdjsonFile(path: string, options: { file?: string; schema?: Schema; onBytes?: (bytes: number) => void } = {}): StreamedNdjson {
  const size = statSync(path).size;
  if (size >= parallelThreshold()) return streamNdjsonParallel(path, options);
  return streamNdjsonChunks(fileChunks(path), { file: options.file ?? path, expectedEdges: Math.round(size / 100), ...(options.schema ? { schema: options.schema } : {}), ...(options.onBytes ? { onBytes: options.onBytes } : {}) });
}

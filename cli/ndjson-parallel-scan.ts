// The half of a parallel NDJSON import that runs in a worker thread (cli/ndjson-parallel.ts): the file's bytes cut into
// lines exactly as cli/ndjson-stream.ts cuts them, suspect lines scrubbed as it scrubs them, and plain edge lines
// (`{"kind":…,"from":…,"to":…}`, about nine lines in ten) read into (kind, from, to) with ids numbered here. Every other
// line is passed on as bytes for the main thread's NdjsonGraphReader, in order, so the reader sees the same lines.
import { Buffer } from 'node:buffer';
import { DEFAULT_SCHEMA, type Schema } from '../engine/schema/index.ts';
import { SECRET_PATTERNS } from '../engine/secrets.ts';
import { PlainEdgeScanner } from '../importers/native/ndjson-fast.ts';
import { scrubRecord, SUSPECT, suspect, WholeLines } from './ndjson-stream.ts';

/**
 * What the worker sends for a stretch of input: `ops` is a list of triples, `[code, from, to]` for a plain edge line
 * (code >= 0, ends numbered in order of first mention, `ids` naming those first mentioned in this batch) or
 * `[-1, start, end]` for lines the reader must read itself, bytes [start, end) of `bytes` (whole lines, newlines
 * included; only the very last line of the input may lack one).
 */
export interface ScanBatch {
  ops: Int32Array;
  opCount: number;
  bytes: Uint8Array;
  byteCount: number;
  ids: string[];
  /** Bytes of the input read so far (progress). */
  read: number;
  /** Redactions made by scrubbing the lines of this batch. */
  redactions: number;
}

// ---- prefilters for the suspect test --------------------------------------------------------------------------
//
// `suspect(line)` (cli/ndjson-stream.ts) runs every secret pattern and the control-escape pattern over a line; at
// 1.3 GB that is most of an import. Each pattern below can only match text that contains one of a few short
// literals, listed with the pattern; `mayBeSuspect` looks for those literals in one pass over the bytes, and only a
// line where it finds one gets the real test. The literals are derived by hand from the exact pattern sources
// below: if engine/secrets.ts changes, the prefilters switch themselves off (every line gets the real test).
const KNOWN_PATTERNS: readonly string[] = [
  // -----
  String.raw`-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|[\s\S]*)/`,
  // (?:secret|key) then at most 5 characters then = or : (case-insensitive); also a run of 40 [A-Za-z0-9/+]
  String.raw`aws.{0,20}?(?:secret|key).{0,5}?[=:]\s*["']?[A-Za-z0-9/+]{40}\b/i`,
  // gh[pousr]_ or github_
  String.raw`\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b/`,
  // xox[abposr]-
  String.raw`\bxox[abposr]-[0-9A-Za-z-]{10,}\b/`,
  // hooks.
  String.raw`hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/`,
  // SSWS
  String.raw`\bSSWS\s+[A-Za-z0-9_-]{30,}\b/`,
  // AIza
  String.raw`\bAIza[0-9A-Za-z_-]{35}\b/`,
  // ya29.
  String.raw`\bya29\.[0-9A-Za-z_-]{20,}\b/`,
  // [sr]k_
  String.raw`\b[sr]k_live_[0-9A-Za-z]{16,}\b/`,
  // !
  String.raw`\b00D[0-9A-Za-z]{12,15}![0-9A-Za-z._]{40,}/`,
  // eyJ
  String.raw`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/`,
  // ://
  String.raw`\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s:/@]+:[^\s:/@]{3,}@/i`,
  // one of the keywords (case-insensitive), then blanks, then = or :
  String.raw`(?<![A-Za-z0-9])(?:password|passwd|pwd|secret|api[_-]?key|token)(?:\s*=\s*|\s*:\s+|\s*:\s*(?=["']))["']?(?!\[REDACTED)[^\s"',;]{8,}/i`,
];
// A backslash, DEL or the byte C2 (in Latin-1, what the control pattern looks at).
const KNOWN_CONTROLS = String.raw`\\u00(?:0[0-8bcdefBCDEF]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])|\\[bfr]|\x7f|\xc2[\x80-\x9f]/`;

/** The patterns as cli/ndjson-stream.ts joins them into SUSPECT: the prefilters hold for exactly these. */
function knownSuspect(): RegExp[] {
  const parsed = KNOWN_PATTERNS.map((text) => ({ source: text.slice(0, text.lastIndexOf('/')), flags: text.slice(text.lastIndexOf('/') + 1) }));
  const unions = [...new Set(parsed.map((p) => p.flags))].map((flags) => new RegExp(parsed.filter((p) => p.flags === flags).map((p) => `(?:${p.source})`).join('|'), flags));
  return [...unions, new RegExp(KNOWN_CONTROLS.slice(0, -1))];
}

/** True when the prefilters below are valid for the patterns in use. */
export const PREFILTERED =
  SECRET_PATTERNS.length === KNOWN_PATTERNS.length &&
  SECRET_PATTERNS.every(({ pattern }, i) => `${pattern.source}/${pattern.flags.replace('g', '')}` === KNOWN_PATTERNS[i]) &&
  SUSPECT.length === knownSuspect().length &&
  knownSuspect().every((known, i) => SUSPECT[i]!.source === known.source && SUSPECT[i]!.flags === known.flags);

/** 1: the byte alone makes a line suspect-shaped (backslash, DEL, C2); 2: a literal may end or start here. */
const ANCHOR = new Uint8Array(256);
for (const byte of [0x5c, 0x7f, 0xc2]) ANCHOR[byte] = 1;
for (const char of 'AS_-.!J/:=') ANCHOR[char.charCodeAt(0)] = 2;
/** Characters of [A-Za-z0-9/+]. */
const KEY_CHAR = new Uint8Array(256);
for (let c = 0; c < 256; c++) KEY_CHAR[c] = /[A-Za-z0-9/+]/.test(String.fromCharCode(c)) ? 1 : 0;
/** JavaScript's \s among Latin-1 characters. */
const isSpace = (byte: number | undefined): boolean => byte === 0x20 || (byte !== undefined && byte >= 0x09 && byte <= 0x0d) || byte === 0xa0;
const code = (char: string): number => char.charCodeAt(0);

/** True when the ASCII `word` (letters case-insensitively) ends just before `end`. */
function endsWith(bytes: Uint8Array, end: number, word: string): boolean {
  const start = end - word.length;
  if (start < 0) return false;
  for (let k = 0; k < word.length; k++) {
    const want = word.charCodeAt(k);
    const byte = bytes[start + k]!;
    if (want >= 0x61 && want <= 0x7a ? (byte | 0x20) !== want : byte !== want) return false;
  }
  return true;
}

/** One of the literals at the anchor byte `i` (see KNOWN_PATTERNS). */
function literalAt(bytes: Uint8Array, i: number, start: number): boolean {
  const byte = bytes[i]!;
  switch (byte) {
    case 0x41: { // A: AKIA ASIA ABIA ACCA AIza
      const x = bytes[i + 1];
      const y = bytes[i + 2];
      const z = bytes[i + 3];
      return (y === 0x49 && z === 0x41 && (x === 0x4b || x === 0x53 || x === 0x42)) || (x === 0x43 && y === 0x43 && z === 0x41) || (x === 0x49 && y === 0x7a && z === 0x61);
    }
    case 0x53: // SSWS
      return bytes[i + 1] === 0x53 && bytes[i + 2] === 0x57 && bytes[i + 3] === 0x53;
    case 0x5f: { // gh[pousr]_ github_ [sr]k_
      const p = bytes[i - 1];
      if (bytes[i - 3] === 0x67 && bytes[i - 2] === 0x68 && (p === code('p') || p === code('o') || p === code('u') || p === code('s') || p === code('r'))) return true;
      if (endsWith(bytes, i, 'github')) return true;
      return p === code('k') && (bytes[i - 2] === code('s') || bytes[i - 2] === code('r'));
    }
    case 0x2d: { // xox[abposr]- -----
      const p = bytes[i - 1];
      if (bytes[i - 4] === code('x') && bytes[i - 3] === code('o') && bytes[i - 2] === code('x') && (p === code('a') || p === code('b') || p === code('p') || p === code('o') || p === code('s') || p === code('r'))) return true;
      return bytes[i + 1] === 0x2d && bytes[i + 2] === 0x2d && bytes[i + 3] === 0x2d && bytes[i + 4] === 0x2d;
    }
    case 0x2e: // hooks. ya29.
      return (bytes[i - 5] === code('h') && bytes[i - 4] === code('o') && bytes[i - 3] === code('o') && bytes[i - 2] === code('k') && bytes[i - 1] === code('s'))
        || (bytes[i - 4] === code('y') && bytes[i - 3] === code('a') && bytes[i - 2] === code('2') && bytes[i - 1] === code('9'));
    case 0x21: // ! (00D…!…)
      return true;
    case 0x4a: // eyJ
      return bytes[i - 2] === code('e') && bytes[i - 1] === code('y');
    case 0x2f: // ://
      return bytes[i - 1] === 0x3a && bytes[i + 1] === 0x2f;
    default: { // : or =, after a keyword and blanks, or at most 5 characters after secret or key
      let j = i;
      while (j > start && isSpace(bytes[j - 1])) j--;
      const last = bytes[j - 1]! | 0x20;
      if (last === 0x64 /* d */ && (endsWith(bytes, j, 'password') || endsWith(bytes, j, 'passwd') || endsWith(bytes, j, 'pwd'))) return true;
      if (last === 0x74 /* t */ && endsWith(bytes, j, 'secret')) return true;
      if (last === 0x79 /* y */ && (endsWith(bytes, j, 'api_key') || endsWith(bytes, j, 'api-key') || endsWith(bytes, j, 'apikey'))) return true;
      if (last === 0x6e /* n */ && endsWith(bytes, j, 'token')) return true;
      for (let d = 0; d <= 5 && i - d > start; d++) {
        const end = bytes[i - d - 1]! | 0x20;
        if ((end === 0x79 && endsWith(bytes, i - d, 'key')) || (end === 0x74 && endsWith(bytes, i - d, 'secret'))) return true;
      }
      return false;
    }
  }
}

/**
 * False only when `suspect` is false for the text of bytes [start, end) read as Latin-1: no literal that some
 * pattern needs is there. Reading a byte outside the range can only make it answer true.
 */
export function mayBeSuspect(bytes: Uint8Array, start: number, end: number): boolean {
  if (!PREFILTERED) return true;
  for (let i = start; i < end; i++) {
    const anchor = ANCHOR[bytes[i]!]!;
    if (anchor === 0) continue;
    if (anchor === 1 || literalAt(bytes, i, start)) return true;
  }
  return false;
}

function keyRun(bytes: Uint8Array, start: number, end: number): boolean {
  let run = 0;
  for (let i = start; i < end; i++) {
    if (KEY_CHAR[bytes[i]!] === 1) {
      if (++run >= 40) return true;
    } else run = 0;
  }
  return false;
}

/**
 * False only when no plain edge line can be suspect because of this text as one of its quote-free parts (an id or
 * the kind): every literal the prefilter looks for, and a run of 40 [A-Za-z0-9/+] that the AWS secret pattern
 * needs, holds no quote, so in `{"kind":"K","from":"F","to":"T"}` it lies inside K, F, T or the fixed words.
 */
export function partMayBeSuspect(text: string): boolean {
  if (!PREFILTERED) return true;
  if (text.length > partBytes.length) partBytes = new Uint8Array(Math.max(text.length, partBytes.length * 2));
  const bytes = partBytes;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7e) return true;
    bytes[i] = c;
  }
  return mayBeSuspect(bytes, 0, text.length) || keyRun(bytes, 0, text.length);
}

let partBytes = new Uint8Array(4096);

// ---- the scan ---------------------------------------------------------------------------------------------------

const encoder = new TextEncoder();

/** Lines of NDJSON input, given as chunks of bytes, turned into batches (one per chunk) for NdjsonGraphReader. */
export class NdjsonScan {
  private readonly scanner: PlainEdgeScanner;
  private readonly schema: Schema;
  private readonly file: string;
  private readonly emit: (batch: ScanBatch) => void;
  /** 1 for ids (by their number) and kinds (by code) no plain edge line can be suspect because of. */
  private clean = new Uint8Array(1 << 16);
  private readonly cleanKind: Uint8Array;
  private newIds: string[] = [];
  private ops = new Int32Array(1 << 16);
  private opCount = 0;
  private bytes = new Uint8Array(1 << 16);
  private byteCount = 0;
  private lastOther = -1;
  private redactions = 0;
  private read = 0;
  private readonly lines: WholeLines;

  constructor(options: { file: string; schema?: Schema | undefined; emit: (batch: ScanBatch) => void }) {
    this.schema = options.schema ?? DEFAULT_SCHEMA;
    this.file = options.file;
    this.emit = options.emit;
    this.lines = new WholeLines(this.file, (complete) => this.feed(complete));
    const kinds = Object.keys(this.schema.edgeKinds);
    this.cleanKind = new Uint8Array(kinds.length);
    // The fixed words of a plain edge line between its quotes: `{`, `kind`, `:`, `,`, `from`, `to`, `}` and blanks.
    const fixed = !['{', 'kind', ':', ',', 'from', 'to', '}'].some(partMayBeSuspect);
    kinds.forEach((kind, code) => { this.cleanKind[code] = fixed && !partMayBeSuspect(kind) ? 1 : 0; });
    this.scanner = new PlainEdgeScanner(kinds, (id, number) => {
      this.newIds.push(id);
      if (number >= this.clean.length) {
        const grown = new Uint8Array(this.clean.length * 2);
        grown.set(this.clean);
        this.clean = grown;
      }
      this.clean[number] = partMayBeSuspect(id) ? 0 : 1;
    });
  }

  /** One chunk of the input, cut as streamNdjsonChunks cuts it; emits a batch. */
  push(chunk: Uint8Array): void {
    this.lines.push(chunk);
    this.read = this.lines.read;
    this.flush();
  }

  /** The end of the input: its last line (when it has no newline), then a last batch. */
  end(): void {
    this.lines.end();
    this.flush();
  }

  private flush(): void {
    this.emit({ ops: this.ops, opCount: this.opCount, bytes: this.bytes, byteCount: this.byteCount, ids: this.newIds, read: this.read, redactions: this.redactions });
    this.ops = new Int32Array(Math.max(1 << 10, this.opCount + (this.opCount >> 2)));
    this.bytes = new Uint8Array(Math.max(1 << 10, this.byteCount + (this.byteCount >> 2)));
    this.opCount = 0;
    this.byteCount = 0;
    this.lastOther = -1;
    this.newIds = [];
    this.redactions = 0;
  }

  /** Whole lines (only the input's last may lack its newline), each as streamNdjsonChunks' `feed` hands it on. */
  private feed(complete: Buffer): void {
    const n = complete.length;
    const scanner = this.scanner;
    let start = 0;
    while (start < n) {
      let stop: number;
      let plain = false;
      if (scanner.scan(complete, start, n)) {
        if (this.cleanKind[scanner.kind] === 1 && this.clean[scanner.from] === 1 && this.clean[scanner.to] === 1) {
          this.edge(scanner.kind, scanner.from, scanner.to);
          start = scanner.next;
          continue;
        }
        plain = true;
        stop = scanner.next - 1;
      } else {
        stop = complete.indexOf(10, start);
        if (stop < 0) stop = n;
      }
      const newline = stop < n;
      if (!mayBeSuspect(complete, start, stop) || !suspect(complete.toString('latin1', start, stop))) {
        if (plain) this.edge(scanner.kind, scanner.from, scanner.to);
        else this.other(complete, start, newline ? stop + 1 : stop);
      } else this.scrub(complete.subarray(start, stop));
      start = stop + 1;
    }
  }

  /** A suspect line, as streamNdjsonChunks passes it on: scrubbed when it is a JSON object, always with a newline. */
  private scrub(line: Buffer): void {
    let record: unknown;
    try {
      record = JSON.parse(line.toString('utf8'));
    } catch {
      record = undefined;
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      this.other(line, 0, line.length);
      this.other(NEWLINE, 0, 1);
      return;
    }
    const scrubbed = scrubRecord(record as Record<string, unknown>, this.schema);
    this.redactions += scrubbed.redactions;
    const text = encoder.encode(`${JSON.stringify(scrubbed.value)}\n`);
    this.other(text, 0, text.length);
  }

  private edge(kind: number, from: number, to: number): void {
    if (this.opCount + 3 > this.ops.length) this.ops = grow(this.ops, this.opCount + 3);
    const ops = this.ops;
    ops[this.opCount++] = kind;
    ops[this.opCount++] = from;
    ops[this.opCount++] = to;
  }

  /** Bytes for the reader, joined to the previous op when that was also bytes. */
  private other(source: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (this.byteCount + length > this.bytes.length) this.bytes = grow(this.bytes, this.byteCount + length);
    this.bytes.set(source.subarray(start, end), this.byteCount);
    const at = this.byteCount;
    this.byteCount += length;
    if (this.lastOther >= 0 && this.lastOther === this.opCount - 3) {
      this.ops[this.lastOther + 2] = this.byteCount;
      return;
    }
    if (this.opCount + 3 > this.ops.length) this.ops = grow(this.ops, this.opCount + 3);
    this.lastOther = this.opCount;
    this.ops[this.opCount++] = -1;
    this.ops[this.opCount++] = at;
    this.ops[this.opCount++] = this.byteCount;
  }
}

const NEWLINE = new Uint8Array([10]);

function grow<T extends Int32Array | Uint8Array>(array: T, need: number): T {
  const grown = new (array.constructor as { new (length: number): T })(Math.max(array.length * 2, need));
  grown.set(array);
  return grown;
}

// The half of a parallel NDJSON import that runs in a worker thread (cli/ndjson-parallel.ts): the file's bytes cut into
// lines exactly as cli/ndjson-stream.ts cuts them, suspect lines scrubbed as it scrubs them, and plain edge lines
// (`{"kind":…,"from":…,"to":…}`, about nine lines in ten) read into (kind, from, to) with ids numbered here. Every other
// line is passed on as bytes for the main thread's NdjsonGraphReader, in order, so the reader sees the same lines.
import { Buffer } from 'node:buffer';
import { DEFAULT_SCHEMA, type Schema } from '../engine/schema/index.ts';
import { keywordRules, longestRun, mayHoldEncodedSecret, requiredRunOf, rulesOfKeyword, SECRET_KEYWORDS, SECRET_RULES, SOME_RULE_ALWAYS_RUNS } from '../engine/secrets.ts';
import { PlainEdgeScanner } from '../importers/native/ndjson-fast.ts';
import { scrubLine, suspect, WholeLines } from './ndjson-stream.ts';

/**
 * What the worker sends for a stretch of input: `ops` is a list of triples, `[code, from, to]` for a plain edge line
 * (code >= 0, ends numbered in order of first mention, `ids` naming those first mentioned in this batch),
 * `[-1, start, end]` for lines the reader must read itself, bytes [start, end) of `bytes` (whole lines, newlines
 * included; only the very last line of the input may lack one), already checked for secrets and scrubbed, or
 * `[-2, start, end]` for such lines not checked yet: the importing thread checks them (checkLines) before its reader
 * sees them. Which lines the worker leaves unchecked depends only on how far ahead of that thread it is (`deferChecks`);
 * the lines the reader gets are the same either way.
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

// ---- prefilter for the suspect test ---------------------------------------------------------------------------
//
// `suspect(line)` (cli/ndjson-stream.ts) asks the secret rules and the control-escape pattern about a line. Every
// rule lists keywords (engine/secrets.ts SECRET_KEYWORDS: lower-case literals, kept beside each rule's regex in its
// data file), one of which any match contains; `mayBeSuspect` looks for those literals, case-insensitively, in one
// pass over the bytes, and only a line where it finds one (or a byte the control pattern needs) gets the real test.

const fold = (byte: number): number => (byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte);
/** Keywords by their first two bytes (letters folded to lower case): most letter pairs start none. */
const KEYWORDS_BY_PAIR = new Map<number, Uint8Array[]>();
/** 1: the byte alone makes a line suspect-shaped (backslash, DEL, C2, a one-character keyword); 2: a keyword may start here. */
const ANCHOR = new Uint8Array(256);
/** 1 where some keyword starts with this pair of folded bytes. */
const PAIR = new Uint8Array(65536);
for (const keyword of SECRET_KEYWORDS) {
  const bytes = Uint8Array.from(keyword, (char) => char.charCodeAt(0));
  if (bytes.length === 1) { ANCHOR[bytes[0]!] = 1; continue; }
  const pair = (bytes[0]! << 8) | bytes[1]!;
  PAIR[pair] = 1;
  KEYWORDS_BY_PAIR.set(pair, [...(KEYWORDS_BY_PAIR.get(pair) ?? []), bytes]);
  for (const byte of [bytes[0]!, bytes[0]! >= 0x61 && bytes[0]! <= 0x7a ? bytes[0]! - 0x20 : bytes[0]!]) if (ANCHOR[byte] === 0) ANCHOR[byte] = 2;
}
for (const byte of [0x5c, 0x7f, 0xc2]) ANCHOR[byte] = 1;

/** True when the prefilter can stand for the rules in use: every rule has keywords, all of them ASCII. */
export const PREFILTERED = SECRET_KEYWORDS.length > 0 && SECRET_KEYWORDS.every((keyword) => /^[\x20-\x7e]+$/.test(keyword) && keyword === keyword.toLowerCase());

/** One of the keywords starts at byte `i` (letters compared case-insensitively). */
function keywordAt(bytes: Uint8Array, i: number, end: number): boolean {
  if (i + 1 >= end) return false;
  const pair = (fold(bytes[i]!) << 8) | fold(bytes[i + 1]!);
  if (PAIR[pair] === 0) return false;
  for (const keyword of KEYWORDS_BY_PAIR.get(pair)!) {
    if (i + keyword.length > end) continue;
    let k = 2;
    while (k < keyword.length && fold(bytes[i + k]!) === keyword[k]) k++;
    if (k === keyword.length) return true;
  }
  return false;
}

/**
 * False only when `suspect` is false for the text of bytes [start, end) read as Latin-1: no keyword any rule needs,
 * no byte the control pattern needs and no base64 run that could wrap a secret is there.
 */
export function mayBeSuspect(bytes: Uint8Array, start: number, end: number): boolean {
  if (!PREFILTERED) return true;
  for (let i = start; i < end; i++) {
    const anchor = ANCHOR[bytes[i]!]!;
    if (anchor === 0) continue;
    if (anchor === 1 || keywordAt(bytes, i, end)) return true;
  }
  // A secret wrapped in base64 holds no keyword in its encoded form.
  return mayHoldEncodedSecret(bytes, start, end);
}

/**
 * False only when no plain edge line can be suspect because of this text as one of its quote-free parts (an id or
 * the kind): no keyword holds a quote, so in `{"kind":"K","from":"F","to":"T"}` a keyword lies inside K, F, T or the
 * fixed words (checked too, see NdjsonScan).
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
  return mayBeSuspect(bytes, 0, text.length);
}

let partBytes = new Uint8Array(4096);

// ---- lines cleared without the rules' regexes -------------------------------------------------------------------
//
// mayBeSuspect stops at the first keyword, and most node lines hold one (`okta` in an id, `token` in a credential's
// type): the full test then scans the line again for every keyword with a regex, measures runs and runs the
// assignment rule. quietLine does what the full test's fast path does (candidateRules: keywords, required runs,
// `requires`) in one pass over the bytes, and the base64 test after it, so that a line is given the rules' regexes
// only when some rule could match it.

/**
 * Every keyword, case-insensitively, as one automaton (Aho-Corasick over the folded bytes): one table step per byte
 * finds every occurrence of every keyword, as the full test's keyword scan does. Bytes no keyword holds share one
 * class; states are rows of STRIDE entries.
 */
const STRIDE = 64;
/** Each byte's class (0: in no keyword), letters folded to lower case. */
const BYTE_CLASS = new Uint8Array(256);
{
  let classes = 1;
  for (const keyword of SECRET_KEYWORDS) {
    for (const char of keyword) {
      const code = char.charCodeAt(0);
      if (BYTE_CLASS[code] !== 0) continue;
      if (classes >= STRIDE) throw new Error('secret keywords use more distinct characters than the keyword automaton holds');
      BYTE_CLASS[code] = classes;
      if (code >= 0x61 && code <= 0x7a) BYTE_CLASS[code - 0x20] = classes;
      classes++;
    }
  }
}
/** The class of the bytes that send a line to the full test (beyond ASCII, backslash, DEL). */
const FULL_TEST = 255;
for (let byte = 0x80; byte < 256; byte++) BYTE_CLASS[byte] = FULL_TEST;
BYTE_CLASS[0x5c] = FULL_TEST;
BYTE_CLASS[0x7f] = FULL_TEST;
const { next: KEYWORD_NEXT, found: KEYWORD_FOUND } = keywordAutomaton();
/**
 * The automaton as the scan steps it: the row (state * STRIDE) a state and class lead to, negated when keywords end
 * there (the start state, row 0, ends none).
 */
const KEYWORD_STEP = KEYWORD_NEXT.map((state) => (KEYWORD_FOUND[state] === undefined ? state * STRIDE : -state * STRIDE));

/** The automaton: `next[state * STRIDE + class]`, and per state the rules the keywords ending there bring (undefined: none). */
function keywordAutomaton(): { next: Int32Array; found: (readonly number[] | undefined)[] } {
  const children: Map<number, number>[] = [new Map()];
  const own: Set<number>[] = [new Set()];
  for (const keyword of SECRET_KEYWORDS) {
    let state = 0;
    for (const char of keyword) {
      const cls = BYTE_CLASS[char.charCodeAt(0)]!;
      let child = children[state]!.get(cls);
      if (child === undefined) { child = children.length; children.push(new Map()); own.push(new Set()); children[state]!.set(cls, child); }
      state = child;
    }
    for (const order of rulesOfKeyword(keyword)) own[state]!.add(order);
  }
  const next = new Int32Array(children.length * STRIDE);
  const failure = new Int32Array(children.length);
  const found: (readonly number[] | undefined)[] = new Array(children.length).fill(undefined);
  // Breadth first: a state's failure (the longest proper suffix that is a prefix of some keyword) is done before it.
  const queue: number[] = [0];
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head]!;
    const rules = new Set([...own[state]!, ...(state === 0 ? [] : found[failure[state]!] ?? [])]);
    found[state] = rules.size > 0 ? [...rules] : undefined;
    for (let cls = 0; cls < STRIDE; cls++) {
      const child = children[state]!.get(cls);
      const fallback = state === 0 ? 0 : next[failure[state]! * STRIDE + cls]!;
      if (child === undefined || cls === 0) { next[state * STRIDE + cls] = cls === 0 ? 0 : fallback; continue; }
      next[state * STRIDE + cls] = child;
      failure[child] = fallback;
      queue.push(child);
    }
  }
  return { next, found };
}
/** The rules a line's keywords bring (deduplicated with `ruleSeen`, stamped per line). */
const lineRules = new Int32Array(SECRET_RULES.length);
const ruleSeen = new Uint32Array(SECRET_RULES.length);
let lineStamp = 0;

/**
 * True only when `suspect` is false for the text of bytes [start, end) read as Latin-1 (one line): every byte is
 * ASCII other than backslash and DEL (so the control pattern cannot match and letters fold as the rules' `i` flag
 * folds them), and no rule is a candidate as candidateRules decides (a keyword it needs, the run it requires, its
 * `requires` regex) and no base64 run could wrap a secret, so secretRuns finds nothing. False says nothing.
 */
export function quietLine(bytes: Uint8Array, start: number, end: number): boolean {
  if (!PREFILTERED || SOME_RULE_ALWAYS_RUNS) return false;
  if (++lineStamp === 0xffffffff) { ruleSeen.fill(0); lineStamp = 1; }
  const stamp = lineStamp;
  let count = 0;
  let row = 0;
  for (let i = start; i < end; i++) {
    const cls = BYTE_CLASS[bytes[i]!]!;
    if (cls === FULL_TEST) return false;
    row = KEYWORD_STEP[row + cls]!;
    if (row >= 0) continue;
    row = -row;
    for (const order of KEYWORD_FOUND[row / STRIDE]!) if (ruleSeen[order] !== stamp) { ruleSeen[order] = stamp; lineRules[count++] = order; }
  }
  let text: string | undefined;
  let measured: Uint8Array | undefined;
  let measuredRun = 0;
  for (let r = 0; r < count; r++) {
    const order = lineRules[r]!;
    const run = requiredRunOf(order);
    if (run !== undefined) {
      if (run.member !== measured) { measured = run.member; measuredRun = longestByteRun(bytes, start, end, run.member); }
      if (measuredRun < run.min) continue;
    }
    const requires = SECRET_RULES[order]!.requires;
    if (requires !== undefined) {
      text ??= Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1', start, end);
      if (!requires.test(text)) continue;
    }
    return false;
  }
  return !mayHoldEncodedSecret(bytes, start, end);
}

/** The longest run of bytes [start, end) that are members of `member`. */
function longestByteRun(bytes: Uint8Array, start: number, end: number, member: Uint8Array): number {
  let longest = 0;
  let run = 0;
  for (let i = start; i < end; i++) {
    if (member[bytes[i]!] === 1) { if (++run > longest) longest = run; } else run = 0;
  }
  return longest;
}

// ---- plain edge lines whose parts name a vendor ------------------------------------------------------------------
//
// An id such as `datadog:acme:identity:u-17` holds a keyword, so every edge line naming it used to get the full test.
// The rules a keyword brings mostly need a long run of token characters (`[a-z0-9A-Z]{40}`), which cannot cross a
// quote: the line can only match if one of its parts (kind, from, to) has such a run. Each part's keyword rules and
// runs are worked out once, and a line goes to the full test only when some rule it brings could still match.

const QUOTE = 0x22;

// ---- the check of lines that are not plain edges --------------------------------------------------------------

/**
 * Whole lines [start, end) of `bytes` (only the input's last may lack its newline), each checked as NdjsonScan checks a
 * line that is not a plain edge: runs of lines `suspect` is false for are passed to `push` as they are, a suspect line
 * scrubbed (scrubLine). Returns the redactions made.
 */
export function checkLines(bytes: Buffer, start: number, end: number, schema: Schema, push: (bytes: Uint8Array) => void): number {
  let redactions = 0;
  let run = start;
  for (let at = start; at < end;) {
    let stop = bytes.indexOf(10, at);
    if (stop < 0 || stop >= end) stop = end;
    if (!quietLine(bytes, at, stop) && mayBeSuspect(bytes, at, stop) && suspect(bytes.toString('latin1', at, stop))) {
      if (at > run) push(bytes.subarray(run, at));
      const scrubbed = scrubLine(bytes.subarray(at, stop), schema);
      redactions += scrubbed.redactions;
      push(scrubbed.bytes);
      run = stop + 1;
    }
    at = stop + 1;
  }
  if (end > run) push(bytes.subarray(run, end));
  return redactions;
}

/** Rules (by order) a part's keywords bring; null when the part must always go to the full test. */
function partRules(text: string): readonly number[] | null {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Beyond ASCII, a backslash or DEL: the control pattern, or text the part tables do not model.
    if (c > 0x7e || c === 0x5c) return null;
  }
  // A base64 run that could wrap a secret needs the full test whatever the keywords say.
  if (mayHoldEncodedSecret(Buffer.from(text, 'latin1'), 0, text.length)) return null;
  const rules = keywordRules(text);
  if (rules === undefined) return [];
  for (const order of rules) {
    const need = requiredRunOf(order);
    if (need === undefined || need.member[QUOTE] === 1) return null;
  }
  return [...rules];
}

/** Per id number: its rules (undefined until asked) and, per character class, its longest run plus one (0: not yet measured). */
class PartFacts {
  private rules: (readonly number[] | null | undefined)[] = [];
  private readonly runs = new Map<Uint8Array, Uint8Array>();

  rulesOf(number: number, text: string): readonly number[] | null {
    let rules = this.rules[number];
    if (rules === undefined) rules = this.rules[number] = partRules(text);
    return rules;
  }

  runOf(number: number, text: string, member: Uint8Array): number {
    let table = this.runs.get(member);
    if (table === undefined || number >= table.length) {
      const grown = new Uint8Array(Math.max(1 << 16, (number + 1) * 2));
      if (table) grown.set(table);
      table = grown;
      this.runs.set(member, table);
    }
    let run = table[number]!;
    if (run === 0) run = table[number] = Math.min(254, longestRun(text, member)) + 1;
    return run - 1;
  }
}

// ---- the scan ---------------------------------------------------------------------------------------------------

/** Lines of NDJSON input, given as chunks of bytes, turned into batches (one per chunk) for NdjsonGraphReader. */
export class NdjsonScan {
  private readonly scanner: PlainEdgeScanner;
  private readonly schema: Schema;
  private readonly file: string;
  private readonly emit: (batch: ScanBatch) => void;
  /** 1 for ids (by their number) and kinds (by code) no plain edge line can be suspect because of. */
  private clean = new Uint8Array(1 << 16);
  private readonly cleanKind: Uint8Array;
  /** The fixed words of a plain edge line hold no keyword (so only its kind and ids can bring rules). */
  private readonly fixedClean: boolean;
  private newIds: string[] = [];
  /** Every id by its number (the scanner numbers ids in order of first mention). */
  private readonly idText: string[] = [];
  private readonly idFacts = new PartFacts();
  private readonly kindFacts = new PartFacts();
  private readonly kindNames: readonly string[];
  private ops = new Int32Array(1 << 16);
  private opCount = 0;
  private bytes = new Uint8Array(1 << 16);
  private byteCount = 0;
  private lastOther = -1;
  private redactions = 0;
  /**
   * Leave the lines that are not plain edges (node lines, edges with properties) unchecked, for the importing thread
   * to check (`[-2, start, end]` ops). The worker sets it while that thread keeps up, so that neither waits long.
   */
  deferChecks = false;
  private read = 0;
  private readonly lines: WholeLines;

  constructor(options: { file: string; schema?: Schema | undefined; emit: (batch: ScanBatch) => void }) {
    this.schema = options.schema ?? DEFAULT_SCHEMA;
    this.file = options.file;
    this.emit = options.emit;
    this.lines = new WholeLines(this.file, (complete) => this.feed(complete));
    const kinds = Object.keys(this.schema.edgeKinds);
    this.kindNames = kinds;
    this.cleanKind = new Uint8Array(kinds.length);
    // The fixed words of a plain edge line between its quotes: `{`, `kind`, `:`, `,`, `from`, `to`, `}` and blanks.
    const fixed = !['{"kind":"', '","from":"', '","to":"', '"}'].some(partMayBeSuspect);
    this.fixedClean = fixed && PREFILTERED;
    kinds.forEach((kind, code) => { this.cleanKind[code] = fixed && !partMayBeSuspect(kind) ? 1 : 0; });
    this.scanner = new PlainEdgeScanner(kinds, (id, number) => {
      this.newIds.push(id);
      this.idText[number] = id;
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
        if (this.fixedClean && this.quietEdge(scanner.kind, scanner.from, scanner.to)) {
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
      if (!plain && this.deferChecks) this.other(complete, start, newline ? stop + 1 : stop, UNCHECKED);
      else if (quietLine(complete, start, stop) || !mayBeSuspect(complete, start, stop) || !suspect(complete.toString('latin1', start, stop))) {
        if (plain) this.edge(scanner.kind, scanner.from, scanner.to);
        else this.other(complete, start, newline ? stop + 1 : stop);
      } else this.scrub(complete.subarray(start, stop));
      start = stop + 1;
    }
  }

  /**
   * True only when `suspect` is false for the plain edge line of this kind and ids: no part has a character the
   * control pattern needs, and every rule the parts' keywords bring needs a run (of characters that exclude the
   * quote, so within one part; the fixed words' parts are shorter than any such run) that no part has.
   */
  private quietEdge(kind: number, from: number, to: number): boolean {
    const kindText = this.kindNames[kind]!;
    const fromText = this.idText[from]!;
    const toText = this.idText[to]!;
    const kindRules = this.cleanKind[kind] === 1 ? [] : this.kindFacts.rulesOf(kind, kindText);
    const fromRules = this.clean[from] === 1 ? [] : this.idFacts.rulesOf(from, fromText);
    const toRules = this.clean[to] === 1 ? [] : this.idFacts.rulesOf(to, toText);
    if (kindRules === null || fromRules === null || toRules === null) return false;
    for (const rules of [kindRules, fromRules, toRules]) {
      for (const order of rules) {
        const { member, min } = requiredRunOf(order)!;
        if (this.kindFacts.runOf(kind, kindText, member) >= min || this.idFacts.runOf(from, fromText, member) >= min || this.idFacts.runOf(to, toText, member) >= min) return false;
      }
    }
    return true;
  }

  /** A suspect line, as streamNdjsonChunks passes it on: scrubbed when it is a JSON object, always with a newline. */
  private scrub(line: Buffer): void {
    const { bytes, redactions } = scrubLine(line, this.schema);
    this.redactions += redactions;
    this.other(bytes, 0, bytes.length);
  }

  private edge(kind: number, from: number, to: number): void {
    if (this.opCount + 3 > this.ops.length) this.ops = grow(this.ops, this.opCount + 3);
    const ops = this.ops;
    ops[this.opCount++] = kind;
    ops[this.opCount++] = from;
    ops[this.opCount++] = to;
  }

  /** Bytes for the reader (CHECKED) or for the importing thread to check first (UNCHECKED), joined to the previous op when that was bytes of the same kind. */
  private other(source: Uint8Array, start: number, end: number, code = CHECKED): void {
    const length = end - start;
    if (this.byteCount + length > this.bytes.length) this.bytes = grow(this.bytes, this.byteCount + length);
    this.bytes.set(source.subarray(start, end), this.byteCount);
    const at = this.byteCount;
    this.byteCount += length;
    if (this.lastOther >= 0 && this.lastOther === this.opCount - 3 && this.ops[this.lastOther] === code) {
      this.ops[this.lastOther + 2] = this.byteCount;
      return;
    }
    if (this.opCount + 3 > this.ops.length) this.ops = grow(this.ops, this.opCount + 3);
    this.lastOther = this.opCount;
    this.ops[this.opCount++] = code;
    this.ops[this.opCount++] = at;
    this.ops[this.opCount++] = this.byteCount;
  }
}

/** Op codes of byte ranges: lines checked (and scrubbed) here, lines left for the importing thread to check. */
export const CHECKED = -1;
export const UNCHECKED = -2;

function grow<T extends Int32Array | Uint8Array>(array: T, need: number): T {
  const grown = new (array.constructor as { new (length: number): T })(Math.max(array.length * 2, need));
  grown.set(array);
  return grown;
}

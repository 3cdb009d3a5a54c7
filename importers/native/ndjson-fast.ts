// Streaming NDJSON import for very large native files (millions of edges): reads bytes in chunks, checks
// every record with hand-written rules equal to the zod schema, and feeds a GraphBuilder directly.
// Rejected records go through zod so issues read exactly as in importers/native. Pure: no I/O.
import { calendarInstant } from '../../engine/format/dates.ts';
import { describeFound, jsonSyntaxIssue, type InputIssue } from '../../engine/errors.ts';
import { edgeSchema, keepProtoProperty, nodeId, nodeSchema, REVIEW_CADENCE, type GraphEdge, type GraphNode } from '../../engine/format/native.ts';
import { finishFragment, fromZodIssues, MAX_ID_LENGTH, overlongIds, type Result } from '../../engine/format/validate.ts';
import { CREDENTIAL_TYPES, DEFAULT_SCHEMA, IDENTITY_SUBTYPES, type Schema } from '../../engine/schema/index.ts';
import { isSecretFieldName, mayHoldSecret, scrubInput } from '../../engine/secrets.ts';
import { canonicalInstant, type CompactGraph, type EdgeAttrs } from '../../engine/store/compact.ts';
import { GraphBuilder } from '../../engine/store/builder.ts';

export interface FastNdjsonOptions {
  file?: string;
  schema?: Schema;
  /** Default `source` for records that do not name one. */
  source?: string;
  /**
   * The lines were already passed through the input boundary (cli/ndjson-stream.ts scrubs every line that may hold a
   * secret or an escape before the reader sees it): skip testing each line again.
   */
  scrubbed?: boolean;
  /** Size hint: edges expected in the input. */
  expectedEdges?: number;
  /** Stop collecting issues after this many (default 10,000); the count of the rest is still reported. */
  maxIssues?: number;
  /**
   * Keep node ids by their bytes, so plain edge lines find them without a string (default true). Only a speed-up:
   * off when another thread reads the plain edge lines (PlainEdgeScanner).
   */
  rememberNodeIds?: boolean;
}

export interface FastNdjsonSummary {
  lines: number;
  nodes: number;
  edges: number;
  /** Edges read by the byte scanner without JSON.parse (no properties, plain ASCII ids). */
  scannedEdges: number;
  redactions: number;
}

// ---- hand-written record checks, equal to engine/format/native.ts (proved by a property test) -------

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;
const PLATFORM_KEY = /^[a-z0-9][a-z0-9._-]*$/;
const TAG = /^[a-z0-9][a-z0-9-]*$/;
const SUBTYPES: ReadonlySet<string> = new Set(IDENTITY_SUBTYPES);
const CREDENTIALS: ReadonlySet<string> = new Set(CREDENTIAL_TYPES);
const DATE_FIELDS = ['createdAt', 'lastUsedAt', 'expiresAt', 'rotatedAt', 'revokedAt', 'approvedAt', 'reviewedAt'] as const;

const isString = (value: unknown, min: number, max: number): value is string =>
  typeof value === 'string' && value.length >= min && value.length <= max;
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isPrimitive = (value: unknown): boolean =>
  value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));

function isStringArray(value: unknown, maxLength: number, maxItems = Infinity): boolean {
  if (!Array.isArray(value) || value.length > maxItems) return false;
  for (const item of value) if (typeof item !== 'string' || item.length > maxLength) return false;
  return true;
}

function isTagArray(value: unknown, maxItems = Infinity): boolean {
  if (!Array.isArray(value) || value.length > maxItems) return false;
  for (const item of value) if (typeof item !== 'string' || !TAG.test(item)) return false;
  return true;
}

function isIdArray(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (!isString(item, 1, 2048)) return false;
  return true;
}

function isProperties(value: unknown): boolean {
  if (!isObject(value) || Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) {
    const item = value[key];
    if (Array.isArray(item)) {
      for (const part of item) if (!isPrimitive(part)) return false;
    } else if (!isPrimitive(item)) return false;
  }
  return true;
}

/**
 * The normalised UTC instant of an ISO-8601 text, as the schema's isoInstant transform gives it, or
 * undefined when the schema rejects it. Text already in `toISOString` form is returned as is.
 */
export function normaliseInstant(text: string): string | undefined {
  if (!Number.isNaN(canonicalInstant(text))) return text;
  if (!ISO_INSTANT.test(text)) return undefined;
  const parsed = calendarInstant(text);
  return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
}

type Check = (value: unknown) => boolean;

const NODE_FIELDS: Readonly<Record<string, Check>> = {
  id: (v) => isString(v, 1, 2048),
  nativeId: (v) => isString(v, 1, 2048),
  kind: () => true, // checked against the schema's node kinds
  name: (v) => isString(v, 1, 1024),
  platform: (v) => typeof v === 'string' && PLATFORM_KEY.test(v),
  tenant: (v) => isString(v, 1, 512),
  source: (v) => isString(v, 0, 256),
  tags: (v) => isTagArray(v, 64),
  sensitivity: (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 10,
  enabled: (v) => typeof v === 'boolean',
  vendor: (v) => isString(v, 0, 256),
  thirdParty: (v) => typeof v === 'boolean',
  publisherVerified: (v) => typeof v === 'boolean',
  ownerIds: isIdArray,
  approvedBy: (v) => isString(v, 1, 2048),
  approvedAt: (v) => typeof v === 'string',
  reviewedAt: (v) => typeof v === 'string',
  reviewEvery: (v) => typeof v === 'string' && REVIEW_CADENCE.test(v),
  approvedScopes: (v) => isStringArray(v, 512),
  subtype: (v) => typeof v === 'string' && SUBTYPES.has(v),
  mfa: (v) => typeof v === 'boolean',
  email: (v) => isString(v, 0, 320),
  privileged: (v) => typeof v === 'boolean',
  type: (v) => typeof v === 'string' && CREDENTIALS.has(v),
  createdAt: (v) => typeof v === 'string',
  lastUsedAt: (v) => typeof v === 'string',
  expiresAt: (v) => typeof v === 'string',
  rotatedAt: (v) => typeof v === 'string',
  revoked: (v) => typeof v === 'boolean',
  revokedAt: (v) => typeof v === 'string',
  fingerprint: (v) => isString(v, 0, 512),
  hint: (v) => isString(v, 0, 16),
  scopes: (v) => isStringArray(v, 512),
  usedScopes: (v) => isStringArray(v, 512),
  resourceType: (v) => isString(v, 0, 128),
  properties: isProperties,
};

const EDGE_FIELDS: Readonly<Record<string, Check>> = {
  id: (v) => isString(v, 1, 2048),
  kind: () => true,
  from: (v) => isString(v, 1, 2048),
  to: (v) => isString(v, 1, 2048),
  scopes: (v) => isStringArray(v, 512),
  grant: (v) => isString(v, 1, 2048),
  reason: (v) => isString(v, 0, 2048),
  conditions: (v) => isTagArray(v),
  assumed: (v) => typeof v === 'boolean',
  approvedBy: (v) => isString(v, 1, 2048),
  approvedAt: (v) => typeof v === 'string',
  approvedScopes: (v) => isStringArray(v, 512),
  reviewedAt: (v) => typeof v === 'string',
  reviewEvery: (v) => typeof v === 'string' && REVIEW_CADENCE.test(v),
  source: (v) => isString(v, 0, 256),
  properties: isProperties,
};
const EDGE_DATE_FIELDS = ['approvedAt', 'reviewedAt'] as const;

const has = (record: object, key: string): boolean => Object.prototype.hasOwnProperty.call(record, key);

/**
 * The node as the zod node schema would output it (dates normalised), or undefined when the schema
 * rejects it. Mutates `raw` (a freshly parsed object) instead of copying it.
 */
export function checkNodeRecord(raw: unknown, schema: Schema = DEFAULT_SCHEMA): Record<string, unknown> | undefined {
  if (!isObject(raw)) return undefined;
  for (const key in raw) {
    const check = has(NODE_FIELDS, key) ? NODE_FIELDS[key] : undefined;
    const value = raw[key];
    if (check === undefined) return undefined;
    if (value === undefined) continue;
    if (!check(value)) return undefined;
  }
  const kind = raw.kind;
  if (typeof kind !== 'string' || !has(schema.nodeKinds, kind)) return undefined;
  if (raw.name === undefined || raw.platform === undefined || raw.tenant === undefined) return undefined;
  if (raw.id === undefined && raw.nativeId === undefined) return undefined;
  if (kind === 'Credential' && raw.type === undefined) return undefined;
  for (const field of DATE_FIELDS) {
    const value = raw[field];
    if (value === undefined) continue;
    const normal = normaliseInstant(value as string);
    if (normal === undefined) return undefined;
    if (normal !== value) raw[field] = normal;
  }
  return raw;
}

/** The edge as the zod edge schema would output it, or undefined when the schema rejects it. */
export function checkEdgeRecord(raw: unknown, schema: Schema = DEFAULT_SCHEMA): Record<string, unknown> | undefined {
  if (!isObject(raw)) return undefined;
  for (const key in raw) {
    const check = has(EDGE_FIELDS, key) ? EDGE_FIELDS[key] : undefined;
    const value = raw[key];
    if (check === undefined) return undefined;
    if (value === undefined) continue;
    if (!check(value)) return undefined;
  }
  const kind = raw.kind;
  if (typeof kind !== 'string' || !has(schema.edgeKinds, kind)) return undefined;
  if (raw.from === undefined || raw.to === undefined) return undefined;
  for (const field of EDGE_DATE_FIELDS) {
    const value = raw[field];
    if (value === undefined) continue;
    const normal = normaliseInstant(value as string);
    if (normal === undefined) return undefined;
    if (normal !== value) raw[field] = normal;
  }
  return raw;
}

// ---- secret prefilter ---------------------------------------------------------------------------

function secretShaped(text: unknown): boolean {
  return typeof text === 'string' && mayHoldSecret(text);
}

/**
 * False when finishFragment's scrubbing would leave the record exactly as it is. With `scrubbed` lines (the input
 * boundary already redacted every string), only what finishFragment adds is left to look for: properties named like
 * secrets, and fingerprints or hints shaped like one.
 */
function mayHoldSecrets(record: Record<string, unknown>, scrubbed: boolean): boolean {
  if (secretShaped(record.fingerprint) || secretShaped(record.hint)) return true;
  if (!scrubbed && (secretShaped(record.name) || secretShaped(record.email) || secretShaped(record.reason))) return true;
  const properties = record.properties as Record<string, unknown> | undefined;
  if (properties) {
    for (const key in properties) {
      if (isSecretFieldName(key)) return true;
      if (scrubbed) continue;
      const value = properties[key];
      if (Array.isArray(value) ? value.some(secretShaped) : secretShaped(value)) return true;
    }
  }
  return false;
}

// ---- byte scanner for plain edge lines -------------------------------------------------------------

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const encoder = new TextEncoder();
const KIND_PREFIX = encoder.encode('{"kind":"');
const FROM_PART = encoder.encode('","from":"');
const TO_PART = encoder.encode('","to":"');

const isBlank = (byte: number): boolean => byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === 0x0b || byte === 0x0c;

function matchesAt(bytes: Uint8Array, at: number, part: Uint8Array): boolean {
  if (at + part.length > bytes.length) return false;
  for (let i = 0; i < part.length; i++) if (bytes[at + i] !== part[i]) return false;
  return true;
}

/**
 * Hash of an id's bytes: its length, first four and last sixteen bytes (FNV-1a). Ids share long
 * prefixes (`<platform>:<tenant>:<kind>:`) and differ at the end, so this spreads them as well as a
 * full hash at a third of the reads; equal hashes are always confirmed byte by byte.
 */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = Math.imul(0x811c9dc5 ^ (end - start), 0x01000193);
  const head = Math.min(end, start + 4);
  for (let i = start; i < head; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  for (let i = Math.max(head, end - 16); i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash;
}

/** True when every byte is printable ASCII other than a backslash: the bytes are the characters. */
function plainBytes(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    if (byte < 0x20 || byte > 0x7e || byte === BACKSLASH || byte === QUOTE) return false;
  }
  return true;
}

type KindsByFirstByte = readonly ({ bytes: Uint8Array; code: number }[] | undefined)[];

/** Edge kinds by their first byte, each as the bytes `KIND"`, with its code (its place among the schema's edge kinds). */
function kindsByFirstByte(edgeKinds: readonly string[]): KindsByFirstByte {
  const table: ({ bytes: Uint8Array; code: number }[] | undefined)[] = new Array(256).fill(undefined);
  edgeKinds.forEach((kind, code) => {
    const bytes = encoder.encode(`${kind}"`);
    const list = table[bytes[0]!] ?? [];
    list.push({ bytes, code });
    table[bytes[0]!] = list;
  });
  return table;
}

const AT_KIND = 0;
const AT_FROM = 1;
const AT_FROM_END = 2;
const AT_TO = 3;
const AT_TO_END = 4;
const AT_NEXT = 5;

/**
 * True when the line at `start` is a whole line `{"kind":"K","from":"F","to":"T"}` (then optional blanks and a
 * newline, before `length`) with ids of 1 to 2048 bytes without a quote; `at` then holds the kind code, where the
 * ids start and end and where the next line starts. The ids' bytes are not checked here (see plainBytes).
 */
function matchPlainEdge(bytes: Uint8Array, start: number, length: number, kinds: KindsByFirstByte, at: Int32Array): boolean {
  if (!matchesAt(bytes, start, KIND_PREFIX)) return false;
  const kindStart = start + KIND_PREFIX.length;
  const candidates = kinds[bytes[kindStart]!];
  if (!candidates) return false;
  let code = -1;
  let after = 0;
  for (const candidate of candidates) {
    if (matchesAt(bytes, kindStart, candidate.bytes)) {
      code = candidate.code;
      after = kindStart + candidate.bytes.length - 1;
      break;
    }
  }
  if (code < 0 || !matchesAt(bytes, after, FROM_PART)) return false;
  const fromStart = after + FROM_PART.length;
  const fromEnd = bytes.indexOf(QUOTE, fromStart);
  if (fromEnd <= fromStart || fromEnd - fromStart > 2048 || !matchesAt(bytes, fromEnd, TO_PART)) return false;
  const toStart = fromEnd + TO_PART.length;
  const toEnd = bytes.indexOf(QUOTE, toStart);
  if (toEnd <= toStart || toEnd - toStart > 2048 || toEnd + 1 >= length || bytes[toEnd + 1] !== 0x7d) return false;
  let next = toEnd + 2;
  while (next < length && isBlank(bytes[next]!)) next++;
  if (next >= length || bytes[next] !== NEWLINE) return false;
  at[AT_KIND] = code;
  at[AT_FROM] = fromStart;
  at[AT_FROM_END] = fromEnd;
  at[AT_TO] = toStart;
  at[AT_TO_END] = toEnd;
  at[AT_NEXT] = next + 1;
  return true;
}

/**
 * Ids by their bytes, in front of the builder's string map, so edge endpoints need no string. Each slot
 * keeps hash, value + 1, arena offset and length together (one cache line per probe), and a small
 * direct-mapped table of recent ids answers most lookups (edges mostly join nodes read shortly before).
 */
class ByteInterner {
  private arena = new Uint8Array(1 << 20);
  private arenaUsed = 0;
  private slots = new Int32Array(4 << 14);
  private readonly recent = new Int32Array(4 << 16);
  private count = 0;

  constructor(private readonly resolve: (id: string) => number) {}

  /** Value of the id in bytes [start, end) with this hash, or -1 when it was never added. */
  find(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const length = end - start;
    const recent = this.recent;
    const r = (hash & 0xffff) << 2;
    if (recent[r] === hash && recent[r + 1] !== 0 && recent[r + 3] === length && this.sameBytes(bytes, start, recent[r + 2]!, length)) return recent[r + 1]! - 1;
    const slots = this.slots;
    const mask = (slots.length >> 2) - 1;
    for (let slot = (hash ^ (hash >>> 16)) & mask; ; slot = (slot + 1) & mask) {
      const base = slot << 2;
      const value = slots[base + 1]!;
      if (value === 0) return -1;
      if (slots[base] === hash && slots[base + 3] === length && this.sameBytes(bytes, start, slots[base + 2]!, length)) {
        recent[r] = hash;
        recent[r + 1] = value;
        recent[r + 2] = slots[base + 2]!;
        recent[r + 3] = length;
        return value - 1;
      }
    }
  }

  /** Adds an id that `find` did not know (its bytes must be plain); returns its value. */
  add(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const length = end - start;
    let text = '';
    for (let i = start; i < end; i += 4096) text += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 4096)) as unknown as number[]);
    const value = this.resolve(text);
    if (this.arenaUsed + length > this.arena.length) {
      const arena = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + length));
      arena.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = arena;
      this.arenaView = new DataView(arena.buffer);
    }
    const arena = this.arena;
    for (let i = 0, at = this.arenaUsed; i < length; i++) arena[at + i] = bytes[start + i]!;
    const slots = this.slots;
    const mask = (slots.length >> 2) - 1;
    let slot = (hash ^ (hash >>> 16)) & mask;
    while (slots[(slot << 2) + 1] !== 0) slot = (slot + 1) & mask;
    const base = slot << 2;
    slots[base] = hash;
    slots[base + 1] = value + 1;
    slots[base + 2] = this.arenaUsed;
    slots[base + 3] = length;
    this.remembered(hash, value, this.arenaUsed, length);
    this.arenaUsed += length;
    if (++this.count * 2 > mask + 1) this.grow();
    return value;
  }

  /** Records an id read from a node line, so edges naming it find it by bytes (plain ASCII ids only). */
  remember(id: string, value: number): void {
    const length = id.length;
    if (length === 0 || length > 2048) return;
    if (this.arenaUsed + length > this.arena.length) {
      const arena = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + length));
      arena.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = arena;
      this.arenaView = new DataView(arena.buffer);
    }
    const at = this.arenaUsed;
    for (let i = 0; i < length; i++) {
      const code = id.charCodeAt(i);
      if (code < 0x20 || code > 0x7e || code === BACKSLASH || code === QUOTE) return;
      this.arena[at + i] = code;
    }
    const hash = hashBytes(this.arena, at, at + length);
    if (this.find(this.arena, at, at + length, hash) >= 0) return;
    const slots = this.slots;
    const mask = (slots.length >> 2) - 1;
    let slot = (hash ^ (hash >>> 16)) & mask;
    while (slots[(slot << 2) + 1] !== 0) slot = (slot + 1) & mask;
    const base = slot << 2;
    slots[base] = hash;
    slots[base + 1] = value + 1;
    slots[base + 2] = at;
    slots[base + 3] = length;
    this.remembered(hash, value, at, length);
    this.arenaUsed += length;
    if (++this.count * 2 > mask + 1) this.grow();
  }

  private remembered(hash: number, value: number, at: number, length: number): void {
    const r = (hash & 0xffff) << 2;
    this.recent[r] = hash;
    this.recent[r + 1] = value + 1;
    this.recent[r + 2] = at;
    this.recent[r + 3] = length;
  }

  /** Compares from the end, where ids differ, four bytes at a time where it can. */
  private sameBytes(bytes: Uint8Array, start: number, stored: number, length: number): boolean {
    const arena = this.arena;
    let i = length;
    if (length >= 8) {
      if (this.viewOf !== bytes) {
        this.viewOf = bytes;
        this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      }
      const view = this.view!;
      const arenaView = this.arenaView;
      for (; i >= 4; i -= 4) if (view.getInt32(start + i - 4) !== arenaView.getInt32(stored + i - 4)) return false;
    }
    for (i--; i >= 0; i--) if (bytes[start + i] !== arena[stored + i]) return false;
    return true;
  }

  private viewOf: Uint8Array | undefined;
  private view: DataView | undefined;
  private arenaView = new DataView(this.arena.buffer);

  private grow(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = (slots.length >> 2) - 1;
    for (let base = 0; base < old.length; base += 4) {
      if (old[base + 1] === 0) continue;
      const hash = old[base]!;
      let slot = (hash ^ (hash >>> 16)) & mask;
      while (slots[(slot << 2) + 1] !== 0) slot = (slot + 1) & mask;
      slots.set(old.subarray(base, base + 4), slot << 2);
    }
    this.slots = slots;
  }
}

/**
 * Reads plain edge lines apart from the reader (in another thread): the same lines NdjsonGraphReader.push reads
 * without JSON.parse, their ids numbered in order of first mention here (`ids`), so that the reader, given the
 * kind code and the ids, adds exactly the edge it would have read (NdjsonGraphReader.scannedEdgeAt). Pure.
 */
export class PlainEdgeScanner {
  /** Every id read so far, by its number here. */
  readonly ids: string[] = [];
  /** Kind code, ends (numbers in `ids`) and next line start of the last line `scan` took. */
  kind = 0;
  from = 0;
  to = 0;
  next = 0;
  private readonly kinds: KindsByFirstByte;
  private readonly interner: ByteInterner;
  private readonly at = new Int32Array(6);

  /** `edgeKinds`: the schema's edge kind names, in order (their codes); `onId` sees each new id once. */
  constructor(edgeKinds: readonly string[], onId?: (id: string, number: number) => void) {
    this.kinds = kindsByFirstByte(edgeKinds);
    this.interner = new ByteInterner((id) => {
      const number = this.ids.length;
      this.ids.push(id);
      onId?.(id, number);
      return number;
    });
  }

  /**
   * When the line at `start` (before `length`, newline included) is a plain edge line, true, with `kind`, `from`,
   * `to` and `next` set (new ids are numbered, `from` first); false when the reader would parse it.
   */
  scan(bytes: Uint8Array, start: number, length: number): boolean {
    const at = this.at;
    if (!matchPlainEdge(bytes, start, length, this.kinds, at)) return false;
    const fromStart = at[AT_FROM]!;
    const fromEnd = at[AT_FROM_END]!;
    const toStart = at[AT_TO]!;
    const toEnd = at[AT_TO_END]!;
    const fromHash = hashBytes(bytes, fromStart, fromEnd);
    const toHash = hashBytes(bytes, toStart, toEnd);
    const interner = this.interner;
    let src = interner.find(bytes, fromStart, fromEnd, fromHash);
    let dst = interner.find(bytes, toStart, toEnd, toHash);
    if ((src < 0 && !plainBytes(bytes, fromStart, fromEnd)) || (dst < 0 && !plainBytes(bytes, toStart, toEnd))) return false;
    if (src < 0) src = interner.add(bytes, fromStart, fromEnd, fromHash);
    if (dst < 0) dst = interner.find(bytes, toStart, toEnd, toHash);
    if (dst < 0) dst = interner.add(bytes, toStart, toEnd, toHash);
    this.kind = at[AT_KIND]!;
    this.from = src;
    this.to = dst;
    this.next = at[AT_NEXT]!;
    return true;
  }
}

// ---- the reader ---------------------------------------------------------------------------------------

const SCALAR_FIELDS = ['kind', 'name', 'platform', 'tenant', 'type', 'subtype', 'expiresAt', 'createdAt', 'revoked', 'enabled'] as const;

/**
 * Feeds NDJSON bytes (in chunks of any size) into a GraphBuilder. `finish()` reports every problem with
 * file, line and JSON path, worded as importers/native words them, or leaves the builder ready to build.
 */
export class NdjsonGraphReader {
  readonly builder: GraphBuilder;
  private readonly schema: Schema;
  private readonly file: string | undefined;
  private readonly source: string | undefined;
  private readonly scrubbed: boolean;
  private readonly maxIssues: number;
  private readonly nodeShape;
  private readonly edgeShape;
  private readonly decoder = new TextDecoder();
  private readonly interner: ByteInterner;
  private readonly edgeKindCode: Map<string, number>;
  /** Edge kinds by their first byte, each as the bytes `KIND"`. */
  private readonly kindByFirstByte: KindsByFirstByte;
  private readonly at = new Int32Array(6);
  private readonly rememberIds: boolean;

  private carry: Uint8Array | undefined;
  private lineNo = 0;
  private issues: InputIssue[] = [];
  private issueCount = 0;
  private duplicateIssues: InputIssue[] = [];
  /** Line of each node (by builder index) and of each edge (by builder edge number). */
  private nodeLine = new Uint32Array(1 << 12);
  private edgeLine = new Uint32Array(1 << 16);
  /** Scalar fields of a node as first read, kept only when its stored record no longer shows them. */
  private readonly firstScalars = new Map<number, Partial<GraphNode>>();
  private readonly summary: FastNdjsonSummary = { lines: 0, nodes: 0, edges: 0, scannedEdges: 0, redactions: 0 };

  constructor(options: FastNdjsonOptions = {}) {
    this.schema = options.schema ?? DEFAULT_SCHEMA;
    this.builder = new GraphBuilder({ schema: this.schema, expectedEdges: options.expectedEdges });
    this.file = options.file;
    this.source = options.source;
    this.scrubbed = options.scrubbed ?? false;
    this.maxIssues = options.maxIssues ?? 10_000;
    this.nodeShape = nodeSchema(this.schema);
    this.edgeShape = edgeSchema(this.schema);
    this.interner = new ByteInterner((id) => this.builder.intern(id));
    this.edgeKindCode = new Map(Object.keys(this.schema.edgeKinds).map((kind, code) => [kind, code]));
    this.kindByFirstByte = kindsByFirstByte([...this.edgeKindCode.keys()]);
    this.rememberIds = options.rememberNodeIds ?? true;
  }

  /** Reads every complete line of the chunk; a partial last line waits for the next chunk. */
  push(chunk: Uint8Array): void {
    let bytes = chunk;
    if (this.carry) {
      bytes = new Uint8Array(this.carry.length + chunk.length);
      bytes.set(this.carry);
      bytes.set(chunk, this.carry.length);
      this.carry = undefined;
    }
    const length = bytes.length;
    let start = 0;
    while (start < length) {
      const next = this.plainEdge(bytes, start, length);
      if (next > 0) {
        start = next;
        continue;
      }
      const newline = bytes.indexOf(NEWLINE, start);
      if (newline < 0) break;
      this.line(bytes, start, newline);
      start = newline + 1;
    }
    if (start < length) this.carry = bytes.slice(start);
  }

  /** Ends the input. On success the builder holds the graph; `build()` compiles it. */
  finish(): Result<FastNdjsonSummary> {
    if (this.carry) {
      const last = this.carry;
      this.carry = undefined;
      this.line(last, 0, last.length);
    }
    const more = this.issueCount - this.issues.length;
    if (this.issueCount > 0) {
      const issues = [...this.issues];
      if (more > 0) issues.push({ file: this.file, path: '$', message: `${more} more problems not listed`, expected: 'valid records', found: `${more} more invalid lines` });
      return { ok: false, issues };
    }
    if (this.duplicateIssues.length > 0) return { ok: false, issues: this.duplicateIssues };
    const references = this.builder.referenceIssues(describeFound, (e) => ({ file: this.file, path: `$[line ${this.edgeLine[e]}]`, line: this.edgeLine[e] }));
    if (references.length > 0) return { ok: false, issues: references };
    return { ok: true, value: { ...this.summary }, warnings: [] };
  }

  private addIssue(issue: InputIssue): void {
    this.issueCount++;
    if (this.issues.length < this.maxIssues) this.issues.push(issue);
  }

  /** Any line the byte scanner did not take: parsed and checked record by record. */
  private line(bytes: Uint8Array, start: number, end: number): void {
    const lineNo = ++this.lineNo;
    this.summary.lines = lineNo;
    while (start < end && isBlank(bytes[start]!)) start++;
    while (end > start && isBlank(bytes[end - 1]!)) end--;
    if (start === end) return;
    const text = this.decoder.decode(bytes.subarray(start, end)).trim();
    if (text === '') return;
    this.record(text, lineNo);
  }

  /**
   * A whole line `{"kind":"K","from":"F","to":"T"}` (then optional blanks and a newline) with plain
   * ASCII ids: the edge is added without JSON.parse or strings. Returns where the next line starts, or
   * 0 when the line is anything else (or not complete yet) and must take the general path.
   */
  private plainEdge(bytes: Uint8Array, start: number, length: number): number {
    const at = this.at;
    if (!matchPlainEdge(bytes, start, length, this.kindByFirstByte, at)) return 0;
    if (this.source !== undefined) return 0; // the record would carry the default source
    const fromStart = at[AT_FROM]!;
    const fromEnd = at[AT_FROM_END]!;
    const toStart = at[AT_TO]!;
    const toEnd = at[AT_TO_END]!;
    const fromHash = hashBytes(bytes, fromStart, fromEnd);
    const toHash = hashBytes(bytes, toStart, toEnd);
    const interner = this.interner;
    let src = interner.find(bytes, fromStart, fromEnd, fromHash);
    let dst = interner.find(bytes, toStart, toEnd, toHash);
    // Ids seen before were plain when first added; a new one is checked before anything is recorded.
    if ((src < 0 && !plainBytes(bytes, fromStart, fromEnd)) || (dst < 0 && !plainBytes(bytes, toStart, toEnd))) return 0;
    const lineNo = ++this.lineNo;
    this.summary.lines = lineNo;
    this.summary.scannedEdges++;
    const next = at[AT_NEXT]!;
    if (this.issueCount > 0) return next; // valid, but nothing is imported once a line failed
    if (src < 0) src = interner.add(bytes, fromStart, fromEnd, fromHash);
    if (dst < 0) dst = interner.find(bytes, toStart, toEnd, toHash);
    if (dst < 0) dst = interner.add(bytes, toStart, toEnd, toHash);
    this.addEdgeAt(src, at[AT_KIND]!, dst, undefined, lineNo);
    return next;
  }

  /** False once a line failed: from then on lines are only checked, nothing is imported. */
  get accepting(): boolean {
    return this.issueCount === 0;
  }

  /**
   * A plain edge line read elsewhere by a PlainEdgeScanner (between complete lines given to `push`), counted and
   * added exactly as `push` would have read it. While `accepting`, the caller interns its ends through
   * `builder.intern`, `from` before `to`, as `push` does; otherwise the ends are ignored (pass -1).
   */
  scannedEdgeAt(src: number, code: number, dst: number): void {
    const lineNo = ++this.lineNo;
    this.summary.lines = lineNo;
    this.summary.scannedEdges++;
    if (this.issueCount > 0) return;
    this.addEdgeAt(src, code, dst, undefined, lineNo);
  }

  private addEdgeAt(src: number, code: number, dst: number, attrs: EdgeAttrs | undefined, lineNo: number): void {
    const e = this.builder.addEdgeIndices(src, code, dst, attrs);
    this.summary.edges++;
    if (e >= this.edgeLine.length) {
      const grown = new Uint32Array(Math.max(this.edgeLine.length * 2, e + 1));
      grown.set(this.edgeLine);
      this.edgeLine = grown;
    }
    this.edgeLine[e] = lineNo;
  }

  private record(text: string, lineNo: number): void {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
      // The input boundary: a line that may hold a secret is scrubbed (keys and values) before anything reads it.
      // An escaped character can hide a secret's shape from the test on the raw line (`\"client_secret\": \"…\"`).
      if (!this.scrubbed && (text.includes('\\') || mayHoldSecret(text))) raw = scrubInput(raw);
    } catch (error) {
      this.addIssue(jsonSyntaxIssue(text, error, { file: this.file, line: lineNo }));
      return;
    }
    const kind = raw !== null && typeof raw === 'object' ? (raw as { kind?: unknown }).kind : undefined;
    const isNode = typeof kind === 'string' && kind in this.schema.nodeKinds;
    const isEdge = typeof kind === 'string' && kind in this.schema.edgeKinds;
    if (!isNode && !isEdge) {
      this.addIssue({ file: this.file, line: lineNo, path: '$.kind', message: 'unknown kind', expected: 'a node kind or an edge kind', found: describeFound(kind) });
      return;
    }
    let checked = isNode ? checkNodeRecord(raw, this.schema) : checkEdgeRecord(raw, this.schema);
    if (checked === undefined) {
      // The schema has the last word: the fast check only saves it the work on records it accepts.
      const parsed = (isNode ? this.nodeShape : this.edgeShape).safeParse(raw);
      if (!parsed.success) {
        for (const issue of fromZodIssues(parsed.error.issues, raw, this.file)) this.addIssue({ ...issue, line: lineNo });
        return;
      }
      checked = keepProtoProperty(parsed.data as Record<string, unknown>, raw);
    }
    if (this.issueCount > 0) return; // nothing is imported once a line failed; keep checking the rest
    if (isNode) this.addNode(checked as unknown as GraphNode & { nativeId?: string }, lineNo);
    else this.addEdgeRecord(checked as unknown as GraphEdge, lineNo);
  }

  private addNode(node: GraphNode & { nativeId?: string }, lineNo: number): void {
    if (node.id === undefined) node.id = nodeId(node.platform, node.tenant, node.kind, node.nativeId!);
    // A derived id (platform, tenant, kind, nativeId) can outgrow the bound an explicit one has: refused as finishFragment refuses it.
    if (node.id.length > MAX_ID_LENGTH) {
      for (const issue of overlongIds({ nodes: [node], edges: [] }, { file: this.file, nodePaths: [`$[line ${lineNo}]`], edgePaths: [], nodeLines: [lineNo] })) this.addIssue(issue);
      return;
    }
    if (node.source === undefined && this.source !== undefined) node.source = this.source;
    const id = node.id;
    const index = this.builder.intern(id);
    const previous = this.builder.nodeAt(index);
    if (previous === undefined && this.rememberIds) this.interner.remember(node.id, index);
    if (previous !== undefined) this.checkRepeat(index, previous, node, lineNo);
    if (mayHoldSecrets(node as unknown as Record<string, unknown>, this.scrubbed)) {
      const snapshot = scalars(node);
      const result = finishFragment({ nodes: [node], edges: [] }, { file: this.file, nodePaths: [`$[line ${lineNo}]`], edgePaths: [] });
      if (result.ok && result.value.redactions > 0) {
        this.summary.redactions += result.value.redactions;
        if (previous === undefined) this.firstScalars.set(index, snapshot);
      }
    }
    if (previous !== undefined && !this.firstScalars.has(index)) this.firstScalars.set(index, scalars(previous));
    // Scrubbing leaves ids alone (they are checked at the input boundary); should it ever change one, look it up again.
    this.builder.addNodeAt(node.id === id ? index : this.builder.intern(node.id), node);
    if (index >= this.nodeLine.length) {
      const grown = new Uint32Array(Math.max(this.nodeLine.length * 2, index + 1));
      grown.set(this.nodeLine);
      this.nodeLine = grown;
    }
    if (previous === undefined) this.nodeLine[index] = lineNo;
    this.summary.nodes++;
  }

  /** A repeated node id must not contradict the first record (finishFragment's rule). */
  private checkRepeat(index: number, previous: GraphNode, node: GraphNode, lineNo: number): void {
    const first = this.firstScalars.get(index) ?? previous;
    const conflicts = SCALAR_FIELDS.filter((field) => first[field] !== undefined && node[field] !== undefined && first[field] !== node[field]);
    if (conflicts.length === 0) return;
    this.duplicateIssues.push({
      file: this.file, path: `$[line ${lineNo}].id`, line: lineNo,
      message: `duplicate node id ${node.id}`,
      expected: 'a unique node id (or an identical repeat)',
      found: `${JSON.stringify(node.id)}, also at $[line ${this.nodeLine[index]}] with different ${conflicts.join(', ')}`,
    });
  }

  private addEdgeRecord(edge: GraphEdge, lineNo: number): void {
    if (edge.source === undefined && this.source !== undefined) edge.source = this.source;
    if ((edge.reason !== undefined || edge.properties !== undefined) && mayHoldSecrets(edge as unknown as Record<string, unknown>, this.scrubbed)) {
      const result = finishFragment({ nodes: [], edges: [edge] }, { file: this.file, nodePaths: [], edgePaths: [`$[line ${lineNo}]`] });
      if (result.ok) this.summary.redactions += result.value.redactions;
    }
    const { kind, from, to, ...rest } = edge;
    let attrs: EdgeAttrs | undefined;
    for (const key in rest) {
      if ((rest as Record<string, unknown>)[key] !== undefined) {
        attrs = rest;
        break;
      }
    }
    this.addEdgeAt(this.builder.intern(from), this.edgeKindCode.get(kind)!, this.builder.intern(to), attrs, lineNo);
  }
}

function scalars(node: GraphNode): Partial<GraphNode> {
  const out: Partial<GraphNode> = {};
  for (const field of SCALAR_FIELDS) if (node[field] !== undefined) (out as Record<string, unknown>)[field] = node[field];
  return out;
}

/**
 * Imports one NDJSON input (text, bytes, or chunks of bytes) into a compiled graph, or returns every
 * problem found. Accepts exactly what importers/native's parseNative accepts for NDJSON.
 */
export function importNdjsonFast(input: string | Uint8Array | Iterable<Uint8Array>, options: FastNdjsonOptions = {}): Result<{ graph: CompactGraph; summary: FastNdjsonSummary }> {
  const reader = new NdjsonGraphReader(options);
  if (typeof input === 'string') reader.push(encoder.encode(input));
  else if (input instanceof Uint8Array) reader.push(input);
  else for (const chunk of input) reader.push(chunk);
  const result = reader.finish();
  if (!result.ok) return result;
  return { ok: true, value: { graph: reader.builder.build(), summary: result.value }, warnings: [] };
}

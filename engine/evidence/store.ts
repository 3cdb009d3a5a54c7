// The observation store: every Observation as typed columns over one string table, sorted by time, with an index
// by actor, and its byte encoding (versioned, checked by a SHA-256 digest). Pure: the CLI writes the bytes.
import { sha256 } from '@noble/hashes/sha2.js';
import { BlastmapError } from '../errors.ts';
import type { NodeRef, Observation, ObservationCategory, ObservationOutcome } from './types.ts';

export const OBSERVATION_CATEGORIES: readonly ObservationCategory[] = ['auth', 'read', 'bulk', 'write', 'admin', 'persistence', 'other'];
export const OBSERVATION_OUTCOMES: readonly ObservationOutcome[] = ['success', 'failure', 'blocked'];
const CATEGORY_CODE = new Map(OBSERVATION_CATEGORIES.map((c, i) => [c, i]));
const OUTCOME_CODE = new Map(OBSERVATION_OUTCOMES.map((c, i) => [c, i]));

/** A NodeRef as string-table indices: platform, tenant (0 = none), name (0 = none), then the ids. */
export type StoredRef = readonly number[];

/**
 * Observations as columns, event i across every array, sorted by time (ties by source, event id, action: the
 * order is the same whatever order the events came in). String columns hold indices into `strings`, whose entry
 * 0 is the empty string and means "not given".
 */
export interface ObservationStore {
  readonly count: number;
  readonly strings: readonly string[];
  /** Distinct NodeRefs (actors and targets), as string indices. */
  readonly refs: readonly StoredRef[];
  /** Event time, epoch ms, ascending: the time index (windowRange searches it). */
  readonly at: Float64Array;
  readonly actor: Uint32Array;
  /** Ref index of the target, -1 when the event names none. */
  readonly target: Int32Array;
  readonly action: Uint32Array;
  readonly family: Uint32Array;
  /** Codes into OBSERVATION_CATEGORIES. */
  readonly category: Uint8Array;
  /** Codes into OBSERVATION_OUTCOMES. */
  readonly outcome: Uint8Array;
  /** Records touched; -1 when the log does not say. */
  readonly records: Float64Array;
  readonly ip: Uint32Array;
  readonly userAgent: Uint32Array;
  readonly source: Uint32Array;
  readonly eventId: Uint32Array;
  /** Index by actor: the events of ref r are actorEvents[actorOffsets[r] .. actorOffsets[r+1]], in time order. */
  readonly actorOffsets: Uint32Array;
  readonly actorEvents: Uint32Array;
}

class Interner {
  readonly strings: string[] = [''];
  private readonly index = new Map<string, number>([['', 0]]);
  of(text: string | undefined): number {
    if (text === undefined || text === '') return 0;
    let i = this.index.get(text);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(text);
      this.index.set(text, i);
    }
    return i;
  }
}

/** A ref's identity: its fields joined by a separator no id contains (NUL). */
const refKey = (ref: NodeRef): string => `${ref.platform}\u0000${ref.tenant ?? ''}\u0000${ref.name ?? ''}\u0000${ref.ids.join('\u0000')}`;

/**
 * Builds the store: events with the same source and event id are one event (overlapping exports), the first kept;
 * the rest are sorted by time, then source, event id and action.
 */
export function createStore(observations: readonly Observation[]): ObservationStore {
  const seen = new Set<string>();
  const kept: Observation[] = [];
  for (const o of observations) {
    if (o.eventId !== undefined && o.eventId !== '') {
      const key = `${o.source}\u0000${o.eventId}`;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    kept.push(o);
  }
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  kept.sort((a, b) => a.at - b.at || cmp(a.source, b.source) || cmp(a.eventId ?? '', b.eventId ?? '') || cmp(a.action, b.action));
  const n = kept.length;
  const strings = new Interner();
  const refIndex = new Map<string, number>();
  const refs: StoredRef[] = [];
  const refOf = (ref: NodeRef): number => {
    const key = refKey(ref);
    let i = refIndex.get(key);
    if (i === undefined) {
      i = refs.length;
      refs.push([strings.of(ref.platform), strings.of(ref.tenant), strings.of(ref.name), ...ref.ids.map((id) => strings.of(id))]);
      refIndex.set(key, i);
    }
    return i;
  };
  const store = {
    at: new Float64Array(n), actor: new Uint32Array(n), target: new Int32Array(n), action: new Uint32Array(n), family: new Uint32Array(n),
    category: new Uint8Array(n), outcome: new Uint8Array(n), records: new Float64Array(n), ip: new Uint32Array(n), userAgent: new Uint32Array(n),
    source: new Uint32Array(n), eventId: new Uint32Array(n),
  };
  kept.forEach((o, i) => {
    if (!Number.isFinite(o.at)) throw new BlastmapError('INVALID_INPUT', `engine/evidence: an observation from ${o.source} has no valid time`);
    store.at[i] = o.at;
    store.actor[i] = refOf(o.actor);
    store.target[i] = o.target ? refOf(o.target) : -1;
    store.action[i] = strings.of(o.action);
    store.family[i] = strings.of(o.family);
    store.category[i] = CATEGORY_CODE.get(o.category) ?? CATEGORY_CODE.get('other')!;
    store.outcome[i] = OUTCOME_CODE.get(o.outcome) ?? 0;
    store.records[i] = o.count !== undefined && Number.isFinite(o.count) && o.count >= 0 ? o.count : -1;
    store.ip[i] = strings.of(o.ip);
    store.userAgent[i] = strings.of(o.userAgent);
    store.source[i] = strings.of(o.source);
    store.eventId[i] = strings.of(o.eventId);
  });
  return { count: n, strings: strings.strings, refs, ...store, ...actorIndex(store.actor, refs.length) };
}

/** Events per actor ref, in time order (a counting sort of the time-sorted events: stable). */
function actorIndex(actor: Uint32Array, refCount: number): { actorOffsets: Uint32Array; actorEvents: Uint32Array } {
  const actorOffsets = new Uint32Array(refCount + 1);
  for (let i = 0; i < actor.length; i++) actorOffsets[actor[i]! + 1]!++;
  for (let r = 0; r < refCount; r++) actorOffsets[r + 1]! += actorOffsets[r]!;
  const fill = actorOffsets.slice(0, refCount);
  const actorEvents = new Uint32Array(actor.length);
  for (let i = 0; i < actor.length; i++) actorEvents[fill[actor[i]!]!++] = i;
  return { actorOffsets, actorEvents };
}

export const emptyStore = (): ObservationStore => createStore([]);

/** The NodeRef a stored ref stands for. */
export function refAt(store: ObservationStore, r: number): NodeRef {
  const stored = store.refs[r]!;
  const s = store.strings;
  const ref: NodeRef = { platform: s[stored[0]!]!, ids: stored.slice(3).map((i) => s[i]!) };
  if (stored[1]! !== 0) ref.tenant = s[stored[1]!]!;
  if (stored[2]! !== 0) ref.name = s[stored[2]!]!;
  return ref;
}

/** Event i as an Observation. */
export function observationAt(store: ObservationStore, i: number): Observation {
  const s = store.strings;
  const o: Observation = {
    at: store.at[i]!, actor: refAt(store, store.actor[i]!), action: s[store.action[i]!]!, family: s[store.family[i]!]!,
    category: OBSERVATION_CATEGORIES[store.category[i]!]!, outcome: OBSERVATION_OUTCOMES[store.outcome[i]!]!, source: s[store.source[i]!]!,
  };
  if (store.target[i]! >= 0) o.target = refAt(store, store.target[i]!);
  if (store.records[i]! >= 0) o.count = store.records[i]!;
  if (store.ip[i]! !== 0) o.ip = s[store.ip[i]!]!;
  if (store.userAgent[i]! !== 0) o.userAgent = s[store.userAgent[i]!]!;
  if (store.eventId[i]! !== 0) o.eventId = s[store.eventId[i]!]!;
  return o;
}

/** Every event, in store order. */
export function observationsOf(store: ObservationStore): Observation[] {
  return Array.from({ length: store.count }, (_, i) => observationAt(store, i));
}

/** First index whose time is >= t (binary search over `times`, ascending, within [lo, hi)). */
export function lowerBound(times: ArrayLike<number>, t: number, lo = 0, hi = times.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The events with from <= at <= to, as the index range [start, end). */
export function windowRange(store: ObservationStore, from: number, to: number): [start: number, end: number] {
  const start = lowerBound(store.at, from);
  let end = lowerBound(store.at, to, start);
  while (end < store.count && store.at[end]! === to) end++;
  return [start, end];
}

/** The store with more observations added (deduplicated by source and event id as createStore does). */
export function mergeStores(store: ObservationStore, more: readonly Observation[]): ObservationStore {
  return createStore([...observationsOf(store), ...more]);
}

// ---- encoding ----

const MAGIC = 'BMEVIDNC';
export const EVIDENCE_VERSION = 1;
const DIGEST_BYTES = 32;

interface Header {
  version: number;
  count: number;
  /** Byte lengths of the JSON string table and the JSON refs (arrays of string indices). */
  stringBytes: number;
  refBytes: number;
}

const align8 = (n: number): number => (n + 7) & ~7;

/** Column byte ranges after the header: doubles first (8-byte aligned), then the 4-byte and 1-byte columns. */
function columnLayout(start: number, n: number) {
  const at = align8(start);
  const records = at + 8 * n;
  const actor = records + 8 * n;
  const target = actor + 4 * n;
  const action = target + 4 * n;
  const family = action + 4 * n;
  const ip = family + 4 * n;
  const userAgent = ip + 4 * n;
  const source = userAgent + 4 * n;
  const eventId = source + 4 * n;
  const category = eventId + 4 * n;
  const outcome = category + n;
  return { at, records, actor, target, action, family, ip, userAgent, source, eventId, category, outcome, end: outcome + n };
}

const bytesOf = (array: Float64Array | Uint32Array | Int32Array | Uint8Array): Uint8Array => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

/**
 * The store as bytes: `BMEVIDNC`, the version and header length (uint32 LE), a JSON header, the string table and
 * refs as JSON, the columns (little-endian), and the SHA-256 of everything before it.
 */
export function encodeStore(store: ObservationStore): Uint8Array {
  const encoder = new TextEncoder();
  const stringBytes = encoder.encode(JSON.stringify(store.strings));
  const refBytes = encoder.encode(JSON.stringify(store.refs));
  const header: Header = { version: EVIDENCE_VERSION, count: store.count, stringBytes: stringBytes.length, refBytes: refBytes.length };
  const headerBytes = encoder.encode(JSON.stringify(header));
  const headerStart = 16;
  const tablesStart = headerStart + headerBytes.length;
  const layout = columnLayout(tablesStart + stringBytes.length + refBytes.length, store.count);
  const out = new Uint8Array(layout.end + DIGEST_BYTES);
  out.set(encoder.encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, EVIDENCE_VERSION, true);
  view.setUint32(12, headerBytes.length, true);
  out.set(headerBytes, headerStart);
  out.set(stringBytes, tablesStart);
  out.set(refBytes, tablesStart + stringBytes.length);
  // Typed arrays are little-endian on every platform Node and browsers run on.
  out.set(bytesOf(store.at), layout.at);
  out.set(bytesOf(store.records), layout.records);
  out.set(bytesOf(store.actor), layout.actor);
  out.set(bytesOf(store.target), layout.target);
  out.set(bytesOf(store.action), layout.action);
  out.set(bytesOf(store.family), layout.family);
  out.set(bytesOf(store.ip), layout.ip);
  out.set(bytesOf(store.userAgent), layout.userAgent);
  out.set(bytesOf(store.source), layout.source);
  out.set(bytesOf(store.eventId), layout.eventId);
  out.set(store.category, layout.category);
  out.set(store.outcome, layout.outcome);
  out.set(sha256(out.subarray(0, layout.end)), layout.end);
  return out;
}

function corrupt(why: string): BlastmapError {
  return new BlastmapError('INVALID_SNAPSHOT', `engine/evidence/store: not a readable blastmap evidence file (${why})`);
}

function parseJson(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch {
    throw corrupt(`its ${what} is not JSON`);
  }
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** Reads what encodeStore wrote; throws INVALID_SNAPSHOT on a wrong magic, version, digest or any out-of-range index. */
export function decodeStore(bytes: Uint8Array): ObservationStore {
  if (bytes.length < 16 + DIGEST_BYTES || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw corrupt('no BMEVIDNC header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== EVIDENCE_VERSION) throw corrupt(`version ${version}; this blastmap reads version ${EVIDENCE_VERSION}`);
  const body = bytes.subarray(0, bytes.length - DIGEST_BYTES);
  const digest = sha256(body);
  const stored = bytes.subarray(bytes.length - DIGEST_BYTES);
  if (!digest.every((b, i) => b === stored[i])) throw corrupt('its SHA-256 digest does not match: the file was changed or cut short');
  const headerLength = view.getUint32(12, true);
  if (16 + headerLength > body.length) throw corrupt('its header runs past the end');
  const header = parseJson(body.subarray(16, 16 + headerLength), 'header') as Partial<Header>;
  if (header === null || typeof header !== 'object' || !isCount(header.count) || !isCount(header.stringBytes) || !isCount(header.refBytes)) throw corrupt('its header lacks counts');
  const n = header.count;
  const tablesStart = 16 + headerLength;
  const layout = columnLayout(tablesStart + header.stringBytes + header.refBytes, n);
  if (layout.end !== body.length) throw corrupt(`its length does not match ${n} events`);
  const strings = parseJson(body.subarray(tablesStart, tablesStart + header.stringBytes), 'string table');
  if (!Array.isArray(strings) || strings[0] !== '' || !strings.every((s) => typeof s === 'string')) throw corrupt('its string table is not a list of strings starting with ""');
  const refs = parseJson(body.subarray(tablesStart + header.stringBytes, tablesStart + header.stringBytes + header.refBytes), 'refs');
  const s = strings.length;
  if (!Array.isArray(refs) || !refs.every((ref) => Array.isArray(ref) && ref.length >= 3 && ref.every((i) => isCount(i) && i < s))) throw corrupt('its refs are not lists of string indices');
  const copy = (offset: number, length: number): ArrayBuffer => body.slice(offset, offset + length).buffer;
  const at = new Float64Array(copy(layout.at, 8 * n));
  const records = new Float64Array(copy(layout.records, 8 * n));
  const actor = new Uint32Array(copy(layout.actor, 4 * n));
  const target = new Int32Array(copy(layout.target, 4 * n));
  const stringColumns = ['action', 'family', 'ip', 'userAgent', 'source', 'eventId'] as const;
  const columns = Object.fromEntries(stringColumns.map((name) => [name, new Uint32Array(copy(layout[name], 4 * n))])) as Record<(typeof stringColumns)[number], Uint32Array>;
  const category = new Uint8Array(copy(layout.category, n));
  const outcome = new Uint8Array(copy(layout.outcome, n));
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(at[i]!) || (i > 0 && at[i]! < at[i - 1]!)) throw corrupt(`event ${i} is out of time order`);
    if (actor[i]! >= refs.length || target[i]! >= refs.length || target[i]! < -1) throw corrupt(`event ${i} names a ref that does not exist`);
    if (category[i]! >= OBSERVATION_CATEGORIES.length || outcome[i]! >= OBSERVATION_OUTCOMES.length) throw corrupt(`event ${i} has an unknown category or outcome`);
    for (const name of stringColumns) if (columns[name][i]! >= s) throw corrupt(`event ${i} names a string that does not exist`);
  }
  return { count: n, strings: strings as string[], refs: refs as number[][], at, actor, target, records, category, outcome, ...columns, ...actorIndex(actor, refs.length) };
}

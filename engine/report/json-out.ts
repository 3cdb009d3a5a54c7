// JSON text written as UTF-8 bytes into one reused buffer, handed to a sink whenever it fills: the writers of
// reports that run to hundreds of megabytes (radius, exposure, findings, exports) write each field straight into
// the buffer instead of building a string per record and encoding it afterwards. The bytes are those of
// JSON.stringify (no indentation) for every value written.

/** Receives each full buffer (and the last, partial one). The bytes may be reused once the sink returns. */
export type ByteSink = (bytes: Uint8Array) => void;

const QUOTE = 0x22;
/** Strings longer than this are checked with NEEDS_ESCAPE and copied by encodeInto. */
const LONG = 32;
/** A character JSON.stringify escapes, or one outside printable ASCII (written through JSON.stringify and UTF-8). */
const NEEDS_ESCAPE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;
const encoder = new TextEncoder();

/**
 * A JSON byte writer. `str` writes a string as JSON.stringify does, without building the quoted string when
 * it is printable ASCII without `"` or `\` (ids, names, kinds of nearly every graph); `ascii` copies text the
 * caller knows is ASCII and needs no escaping (punctuation, keys); `text` encodes any text as UTF-8.
 */
export class JsonOut {
  private buffer: Uint8Array;
  private used = 0;
  /** Encoded bytes of strings written often (kinds, platforms, levels), quotes included. */
  private readonly cache = new Map<unknown, Uint8Array>();

  constructor(private readonly sink: ByteSink, size = 1 << 20) {
    this.buffer = new Uint8Array(Math.max(size, 64));
  }

  /** Hands what is buffered to the sink. */
  flush(): void {
    if (this.used > 0) this.sink(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  /** Room for `n` more bytes: flushes first when they do not fit (false when they never fit). */
  private room(n: number): boolean {
    if (this.used + n <= this.buffer.length) return true;
    this.flush();
    return n <= this.buffer.length;
  }

  /** Text the caller knows is ASCII (code units below 0x80): copied byte for byte. */
  ascii(text: string): void {
    const n = text.length;
    if (!this.room(n)) { this.text(text); return; }
    const buffer = this.buffer;
    let at = this.used;
    for (let i = 0; i < n; i++) buffer[at++] = text.charCodeAt(i);
    this.used = at;
  }

  /** Any text, encoded as UTF-8. */
  text(text: string): void {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    const most = text.length * 3;
    if (!this.room(most)) { this.sink(encoder.encode(text)); return; }
    this.used += encoder.encodeInto(text, this.buffer.subarray(this.used)).written;
  }

  /** One byte (an ASCII character code). */
  byte(code: number): void {
    if (this.used === this.buffer.length) this.flush();
    this.buffer[this.used++] = code;
  }

  /** A string as JSON.stringify writes it. */
  str(value: string): void {
    this.byte(QUOTE);
    this.strBody(value);
    this.byte(QUOTE);
  }

  /**
   * A string's JSON escaping without the quotes around it. Escaping goes character by character, so the body
   * of a concatenation is the concatenation of the bodies: an edge id is written from its parts.
   */
  strBody(value: string): void {
    const n = value.length;
    if (n > LONG) {
      // Long strings: one native scan and one native copy instead of a loop per character.
      if (!NEEDS_ESCAPE.test(value) && this.room(n)) {
        this.used += encoder.encodeInto(value, this.buffer.subarray(this.used)).written;
        return;
      }
    } else if (this.room(n)) {
      const buffer = this.buffer;
      let at = this.used;
      let i = 0;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        // Printable ASCII but `"` and `\` is written as is; anything else goes through JSON.stringify.
        if (c < 0x20 || c > 0x7e || c === QUOTE || c === 0x5c) break;
        buffer[at++] = c;
      }
      if (i === n) { this.used = at; return; }
    }
    const quoted = JSON.stringify(value);
    this.text(quoted.slice(1, -1));
  }

  /**
   * A value written many times over, the same string or the same object (a rule's title, its references): its
   * JSON is encoded once, kept by identity (strings by value), and copied after that.
   */
  shared(value: unknown): void {
    if (value === null || (typeof value !== 'object' && typeof value !== 'string')) { this.data(value); return; }
    let bytes = this.cache.get(value);
    if (bytes === undefined) {
      if (this.cache.size >= 4096) { this.data(value); return; }
      bytes = encoder.encode(JSON.stringify(value));
      this.cache.set(value, bytes);
    }
    this.bytes(bytes);
  }

  /** A string written often (a kind, platform, tenant or level): its bytes are kept after the first time. */
  repeated(value: string): void {
    let bytes = this.cache.get(value);
    if (bytes === undefined) {
      if (this.cache.size >= 4096) { this.str(value); return; }
      bytes = encoder.encode(JSON.stringify(value));
      this.cache.set(value, bytes);
    }
    this.bytes(bytes);
  }

  /** Encoded bytes, copied as they are. */
  bytes(bytes: Uint8Array): void {
    const n = bytes.length;
    if (!this.room(n)) { this.sink(bytes); return; }
    const buffer = this.buffer;
    let at = this.used;
    if (n > 64) buffer.set(bytes, at);
    else for (let i = 0; i < n; i++) buffer[at + i] = bytes[i]!;
    this.used = at + n;
  }

  /** A number as JSON.stringify writes it (non-finite numbers are null). */
  num(value: number): void {
    if (Number.isInteger(value) && value >= 0 && value < 1e15) this.uint(value);
    else this.ascii(Number.isFinite(value) ? String(value) : 'null');
  }

  /** A non-negative integer below 2^53, in decimal. */
  uint(value: number): void {
    if (!this.room(16)) return;
    if (value < 10) { this.buffer[this.used++] = 0x30 + value; return; }
    const buffer = this.buffer;
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    let at = this.used + digits;
    this.used = at;
    let rest = value;
    do {
      const next = Math.floor(rest / 10);
      buffer[--at] = 0x30 + (rest - next * 10);
      rest = next;
    } while (rest > 0);
  }

  /** An integer (negative ones included), in decimal. */
  int(value: number): void {
    if (value < 0) { this.byte(0x2d); this.uint(-value); } else this.uint(value);
  }

  #fields = 0;

  /**
   * A record written field by field, as JSON.stringify writes an object with these keys in this order:
   * `open()`, then `field(key, value)` for each (a field whose value is undefined is left out), then `close()`.
   * `key` is written as given: a plain ASCII name needing no escaping.
   */
  open(): void {
    this.#fields = 0;
  }

  /** Writes `{"key":` or `,"key":` unless JSON.stringify would leave the field out; whether it wrote. */
  #key(key: string, value: unknown): boolean {
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return false;
    this.byte(this.#fields++ === 0 ? 0x7b : 0x2c);
    this.byte(QUOTE);
    this.ascii(key);
    this.byte(QUOTE);
    this.byte(0x3a);
    return true;
  }

  field(key: string, value: unknown): void {
    if (!this.#key(key, value)) return;
    this.data(value);
  }

  /** `field` through JSON.stringify (`value`): faster than `data` for deep, string-heavy values. */
  valueField(key: string, value: unknown): void {
    if (!this.#key(key, value)) return;
    this.value(value);
  }

  /** `field` for a value written many times over (`shared`). */
  sharedField(key: string, value: unknown): void {
    if (!this.#key(key, value)) return;
    this.shared(value);
  }

  close(): void {
    if (this.#fields === 0) this.byte(0x7b);
    this.byte(0x7d);
  }

  /** Any JSON value, as JSON.stringify writes it (through JSON.stringify). */
  value(value: unknown): void {
    this.text(JSON.stringify(value) ?? 'null');
  }

  /**
   * Plain data (strings, numbers, booleans, null, arrays and objects of them), as JSON.stringify writes it, each
   * string through `str`: no intermediate string for records of ids and names. Anything else (a `toJSON`, a
   * bigint, a value JSON.stringify would drop) goes through JSON.stringify.
   */
  data(value: unknown): void {
    if (typeof value === 'string') { this.str(value); return; }
    if (typeof value === 'number') { this.num(value); return; }
    if (typeof value === 'boolean') { this.ascii(value ? 'true' : 'false'); return; }
    if (value === null) { this.ascii('null'); return; }
    if (typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') { this.value(value); return; }
    if (Array.isArray(value)) {
      this.byte(0x5b);
      for (let i = 0; i < value.length; i++) {
        if (i > 0) this.byte(0x2c);
        const item: unknown = value[i];
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') this.ascii('null');
        else this.data(item);
      }
      this.byte(0x5d);
      return;
    }
    this.byte(0x7b);
    let first = true;
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      const item: unknown = (value as Record<string, unknown>)[key];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      if (!first) this.byte(0x2c);
      first = false;
      this.str(key);
      this.byte(0x3a);
      this.data(item);
    }
    this.byte(0x7d);
  }
}

/**
 * Runs `write` over a JsonOut whose bytes are decoded to text: the same writer for callers (tests, the library,
 * a string sink) that take pieces of text. The writer yields only right after a line ends; each piece is the
 * text written since the previous yield, so a piece is whole lines.
 */
export function* jsonOutChunks(write: (out: JsonOut) => Iterable<unknown>, size = 1 << 16): Generator<string> {
  const decoder = new TextDecoder();
  const pending: string[] = [];
  const out = new JsonOut((bytes) => { pending.push(decoder.decode(bytes, { stream: true })); }, size);
  const take = (): string => {
    out.flush();
    const piece = pending.length === 1 ? pending[0]! : pending.join('');
    pending.length = 0;
    return piece;
  };
  for (const _ of write(out)) {
    const piece = take();
    if (piece !== '') yield piece;
  }
  const piece = take() + decoder.decode();
  if (piece !== '') yield piece;
}

/** Runs `write` to the end over a JsonOut writing to `sink`, then flushes. */
export function writeJsonOut(sink: ByteSink, write: (out: JsonOut) => Iterable<unknown>, size = 1 << 20): void {
  const out = new JsonOut(sink, size);
  for (const _ of write(out)) { /* the writer yields between records; nothing to do here */ }
  out.flush();
}

// Id -> node index for large graphs: an open-addressing table over the node array itself (one int per
// slot), built about twice as fast as a Map of a million strings and with a fraction of its memory.
// Read-only once built; behaves as a ReadonlyMap.

/**
 * FNV-1a over an id's length, first four and last sixteen characters: ids share long prefixes
 * (`<platform>:<tenant>:<kind>:`) and differ at the end. Equal hashes are always confirmed by `===`.
 */
function hashId(id: string): number {
  const length = id.length;
  let hash = Math.imul(0x811c9dc5 ^ length, 0x01000193);
  const head = Math.min(length, 4);
  for (let i = 0; i < head; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  for (let i = Math.max(head, length - 16); i < length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return (hash ^ (hash >>> 15)) >>> 0;
}

/**
 * Names the hash above and the probing of IdIndex. A stored slot table is only valid for the function
 * that built it: change this whenever either changes, and older tables are rebuilt instead of read.
 */
export const ID_HASH = 'fnv1a-len-head4-tail16-linear';

export class IdIndex implements ReadonlyMap<string, number> {
  private readonly slots: Int32Array;
  private readonly mask: number;

  /** Use `indexNodeIds`: it falls back to a Map when two nodes share an id. */
  private constructor(private readonly ids: readonly { readonly id: string }[], slots: Int32Array) {
    this.slots = slots;
    this.mask = slots.length - 1;
  }

  /** The index of `nodes` by id, or undefined when two nodes share an id. */
  static of(nodes: readonly { readonly id: string }[]): IdIndex | undefined {
    let capacity = 16;
    while (capacity < nodes.length * 2) capacity *= 2;
    const slots = new Int32Array(capacity).fill(-1);
    const mask = capacity - 1;
    for (let i = 0; i < nodes.length; i++) {
      const id = nodes[i]!.id;
      let slot = hashId(id) & mask;
      for (let other = slots[slot]!; other !== -1; other = slots[slot]!) {
        if (nodes[other]!.id === id) return undefined;
        slot = (slot + 1) & mask;
      }
      slots[slot] = i;
    }
    return new IdIndex(nodes, slots);
  }

  /**
   * The index of `nodes` from a slot table `slotTable` returned for the same ids (a snapshot stores it), without
   * hashing every id again. Undefined when the table cannot be one: wrong size, an index out of range or
   * listed twice, or ids (a sample spread over the nodes) not found where it says. Takes `slots` as it is.
   */
  static fromSlots(nodes: readonly { readonly id: string }[], slots: Int32Array): IdIndex | undefined {
    const n = nodes.length;
    let capacity = 16;
    while (capacity < n * 2) capacity *= 2;
    if (slots.length !== capacity) return undefined;
    const seen = new Uint8Array(n);
    let filled = 0;
    for (let slot = 0; slot < capacity; slot++) {
      const index = slots[slot]!;
      if (index === -1) continue;
      if (index < 0 || index >= n || seen[index] === 1) return undefined;
      seen[index] = 1;
      filled++;
    }
    if (filled !== n) return undefined;
    const index = new IdIndex(nodes, slots);
    const step = Math.max(1, Math.floor(n / 64));
    for (let i = 0; i < n; i += step) if (index.get(nodes[i]!.id) !== i) return undefined;
    if (n > 0 && index.get(nodes[n - 1]!.id) !== n - 1) return undefined;
    return index;
  }

  /**
   * The slot table, for storing next to these very nodes (IdIndex.fromSlots reads it back); undefined when
   * this index was built over another array. Read-only.
   */
  slotTable(nodes: readonly { readonly id: string }[]): Int32Array | undefined {
    return nodes === this.ids ? this.slots : undefined;
  }

  get size(): number {
    return this.ids.length;
  }

  get(id: string): number | undefined {
    if (typeof id !== 'string') return undefined;
    let slot = hashId(id) & this.mask;
    for (;;) {
      const index = this.slots[slot]!;
      if (index === -1) return undefined;
      if (this.ids[index]!.id === id) return index;
      slot = (slot + 1) & this.mask;
    }
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  forEach(callback: (value: number, key: string, map: ReadonlyMap<string, number>) => void, thisArg?: unknown): void {
    for (let i = 0; i < this.ids.length; i++) callback.call(thisArg, i, this.ids[i]!.id, this);
  }

  *entries(): MapIterator<[string, number]> {
    for (let i = 0; i < this.ids.length; i++) yield [this.ids[i]!.id, i];
  }

  *keys(): MapIterator<string> {
    for (let i = 0; i < this.ids.length; i++) yield this.ids[i]!.id;
  }

  *values(): MapIterator<number> {
    for (let i = 0; i < this.ids.length; i++) yield i;
  }

  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }
}

/** Id -> index of the nodes: the compact table, or a Map (last index wins) when ids repeat. */
export function indexNodeIds(nodes: readonly { readonly id: string }[]): ReadonlyMap<string, number> {
  const index = IdIndex.of(nodes);
  if (index) return index;
  const map = new Map<string, number>();
  nodes.forEach((node, i) => map.set(node.id, i));
  return map;
}

/**
 * A growing id -> index table for builders: ids get indices 0, 1, 2 ... in the order first added. Same
 * open addressing as IdIndex; a ReadonlyMap too, so a builder can hand it to the graph it builds.
 */
export class IdTable implements ReadonlyMap<string, number> {
  readonly ids: string[] = [];
  private slots = new Int32Array(1 << 12).fill(-1);
  private mask = (1 << 12) - 1;

  get size(): number {
    return this.ids.length;
  }

  get(id: string): number | undefined {
    if (typeof id !== 'string') return undefined;
    let slot = hashId(id) & this.mask;
    for (;;) {
      const index = this.slots[slot]!;
      if (index === -1) return undefined;
      if (this.ids[index] === id) return index;
      slot = (slot + 1) & this.mask;
    }
  }

  /** The index of `id`, adding it (as the next index) when new. */
  getOrAdd(id: string): number {
    let slot = hashId(id) & this.mask;
    for (;;) {
      const index = this.slots[slot]!;
      if (index === -1) break;
      if (this.ids[index] === id) return index;
      slot = (slot + 1) & this.mask;
    }
    const index = this.ids.length;
    this.ids.push(id);
    this.slots[slot] = index;
    if (this.ids.length * 2 > this.slots.length) this.grow();
    return index;
  }

  /**
   * The table as IdIndex.of would build it over `nodes`, when these are exactly the ids added, in order (both insert
   * in index order with the same hash and probing), and the capacity is the one IdIndex picks; else undefined.
   * Saves hashing a million ids again when a freshly built graph is written to a snapshot.
   */
  slotTable(nodes: readonly { readonly id: string }[]): Int32Array | undefined {
    if (nodes.length !== this.ids.length || this.slots.length !== StoredIdTable.capacityFor(nodes.length)) return undefined;
    for (let i = 0; i < nodes.length; i++) if (nodes[i]!.id !== this.ids[i]) return undefined;
    return this.slots;
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let i = 0; i < this.ids.length; i++) {
      let slot = hashId(this.ids[i]!) & mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = i;
    }
    this.slots = slots;
    this.mask = mask;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  forEach(callback: (value: number, key: string, map: ReadonlyMap<string, number>) => void, thisArg?: unknown): void {
    for (let i = 0; i < this.ids.length; i++) callback.call(thisArg, i, this.ids[i]!, this);
  }

  *entries(): MapIterator<[string, number]> {
    for (let i = 0; i < this.ids.length; i++) yield [this.ids[i]!, i];
  }

  *keys(): MapIterator<string> {
    yield* this.ids;
  }

  *values(): MapIterator<number> {
    for (let i = 0; i < this.ids.length; i++) yield i;
  }

  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }
}

/**
 * Id lookups over a stored slot table whose ids are read on demand (`idAt` decodes the node it needs): what
 * an incremental import uses so that a million ids are never materialised to look up a few. `add` extends
 * the table exactly as IdIndex.of would have built it with the new ids at the end, or returns false when the
 * table would have to grow (a larger capacity changes every slot).
 */
export class StoredIdTable {
  private readonly mask: number;
  private count: number;

  constructor(readonly slots: Int32Array, count: number, private readonly idAt: (index: number) => string) {
    this.mask = slots.length - 1;
    this.count = count;
  }

  /** The capacity IdIndex.of uses for `n` ids. */
  static capacityFor(n: number): number {
    let capacity = 16;
    while (capacity < n * 2) capacity *= 2;
    return capacity;
  }

  get size(): number {
    return this.count;
  }

  get(id: string): number | undefined {
    let slot = hashId(id) & this.mask;
    for (;;) {
      const index = this.slots[slot]!;
      if (index === -1) return undefined;
      if (this.idAt(index) === id) return index;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Adds `id` as the next index; the caller has checked that it is not in the table. */
  add(id: string): boolean {
    if (StoredIdTable.capacityFor(this.count + 1) !== this.slots.length) return false;
    let slot = hashId(id) & this.mask;
    while (this.slots[slot] !== -1) slot = (slot + 1) & this.mask;
    this.slots[slot] = this.count++;
    return true;
  }
}

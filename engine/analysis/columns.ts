// Per-graph node facts as typed columns (platform, platform and tenant, crown jewel), built once per graph object,
// and the order reports list reached nodes in (crown jewels, points, hops, id) sorted as packed numbers. At a million
// nodes, reading `platform` or `tags` off a node object and keying a Map by its string cost a cache miss and a hash
// per node; a radius of 341,000 nodes read them several times per answer.
import type { CompactGraph } from '../store/compact.ts';

const CROWN_JEWEL = 'crown-jewel';

export interface NodeColumns {
  /** Per node: the code of its platform in `platformNames`. */
  readonly platform: Int32Array;
  readonly platformNames: readonly string[];
  /** Per node: the code of its (platform, tenant) pair, a "place"; `placePlatform` and `placeTenant` describe each. */
  readonly place: Int32Array;
  readonly placePlatform: Int32Array;
  readonly placeTenant: readonly string[];
  /** Per node: 1 when tagged as a crown jewel. */
  readonly crownJewel: Uint8Array;
}

const columnsCache = new WeakMap<CompactGraph, NodeColumns>();

/** The graph's node columns, built on first use and kept for the graph object (a marked graph is another object). */
export function nodeColumns(graph: CompactGraph): NodeColumns {
  let columns = columnsCache.get(graph);
  if (columns) return columns;
  const n = graph.nodeCount;
  const platform = new Int32Array(n);
  const place = new Int32Array(n);
  const crownJewel = new Uint8Array(n);
  const platformNames: string[] = [];
  const placePlatform: number[] = [];
  const placeTenant: string[] = [];
  const platformCodes = new Map<string, { code: number; tenants: Map<string, number> }>();
  for (let v = 0; v < n; v++) {
    const node = graph.nodes[v]!;
    let entry = platformCodes.get(node.platform);
    if (!entry) {
      platformCodes.set(node.platform, entry = { code: platformNames.length, tenants: new Map() });
      platformNames.push(node.platform);
    }
    let code = entry.tenants.get(node.tenant);
    if (code === undefined) {
      entry.tenants.set(node.tenant, code = placeTenant.length);
      placeTenant.push(node.tenant);
      placePlatform.push(entry.code);
    }
    platform[v] = entry.code;
    place[v] = code;
    if (node.tags !== undefined && node.tags.includes(CROWN_JEWEL)) crownJewel[v] = 1;
  }
  columns = { platform, platformNames, place, placePlatform: Int32Array.from(placePlatform), placeTenant, crownJewel };
  columnsCache.set(graph, columns);
  return columns;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Positions 0..count-1 ordered as reports list reached nodes: crown jewels first, then by points (most first), hops
 * (fewest first) and id rank (`idRank`); equal keys keep their positions' order. The same order as the stable sort
 * with that comparator (points are finite), by a least-significant-digit radix sort (11 bits a pass, a pass skipped
 * where every key has the same digit) over two unsigned words per position: the id rank, then crown jewel, the rank of
 * the points among their distinct values and the hops packed together (or, when those do not fit 32 bits, each its
 * own word, the points as their bits). A comparator call per comparison was most of a million-node radius's sorting
 * time.
 */
export function impactOrder(count: number, crown: ArrayLike<number>, points: Float64Array, hops: ArrayLike<number>, idRank: ArrayLike<number>): Int32Array {
  const sorter = new RadixSorter(count);
  if (count < 2) return sorter.order;
  // Least significant first.
  sorter.sortBy((k) => idRank[k]! >>> 0);
  let minHops = Infinity;
  let maxHops = -Infinity;
  for (let k = 0; k < count; k++) {
    if (hops[k]! < minHops) minHops = hops[k]!;
    if (hops[k]! > maxHops) maxHops = hops[k]!;
  }
  const hopSpan = maxHops - minHops + 1;
  const values = new Set<number>();
  for (let k = 0; k < count && values.size * hopSpan * 2 < 2 ** 32; k++) values.add(points[k]! + 0);
  if (values.size * hopSpan * 2 <= 2 ** 32) {
    const distinct = Float64Array.from(values).sort();
    const rank = new Map<number, number>();
    for (let i = 0; i < distinct.length; i++) rank.set(distinct[i]!, distinct.length - 1 - i);
    const size = distinct.length;
    sorter.sortBy((k) => (((crown[k] === 1 ? 0 : 1) * size + rank.get(points[k]! + 0)!) * hopSpan + hops[k]! - minHops) >>> 0);
    return sorter.order;
  }
  sorter.sortBy((k) => (hops[k]! - minHops) >>> 0);
  // A double's bits, as an unsigned number, order non-negative doubles; negative ones have every bit flipped, the others
  // their sign bit set (-0 read as 0). Inverted again, most points first.
  const bits = new Uint32Array(points.buffer, points.byteOffset, count * 2);
  const lo = LITTLE_ENDIAN ? 0 : 1;
  const hi = 1 - lo;
  const negative = (k: number): boolean => (bits[2 * k + hi]! >>> 31) === 1 && points[k] !== 0;
  sorter.sortBy((k) => (points[k] === 0 ? ~0 >>> 0 : negative(k) ? bits[2 * k + lo]! : ~bits[2 * k + lo]! >>> 0));
  sorter.sortBy((k) => (points[k] === 0 ? ~0x80000000 >>> 0 : negative(k) ? bits[2 * k + hi]! : ~(bits[2 * k + hi]! | 0x80000000) >>> 0));
  sorter.sortBy((k) => (crown[k] === 1 ? 0 : 1));
  return sorter.order;
}

/** A stable LSD radix sort of positions by successive unsigned 32-bit words, each sort keeping the order of the last. */
class RadixSorter {
  order: Int32Array;
  private spare: Int32Array;
  private keys: Uint32Array;
  private spareKeys: Uint32Array;
  private readonly counts = new Int32Array(2048);

  constructor(private readonly count: number) {
    this.order = new Int32Array(count);
    for (let k = 0; k < count; k++) this.order[k] = k;
    this.spare = new Int32Array(count);
    this.keys = new Uint32Array(count);
    this.spareKeys = new Uint32Array(count);
  }

  /** Stable sort of the current order by `word` of each position. */
  sortBy(word: (position: number) => number): void {
    const { count, counts } = this;
    // The words in the current order, moved with it: each pass reads both arrays front to back.
    let order = this.order;
    let keys = this.keys;
    for (let i = 0; i < count; i++) keys[i] = word(order[i]!);
    let spare = this.spare;
    let spareKeys = this.spareKeys;
    for (let shift = 0; shift < 32; shift += 11) {
      counts.fill(0);
      for (let i = 0; i < count; i++) counts[(keys[i]! >>> shift) & 2047]!++;
      if (counts[(keys[0]! >>> shift) & 2047] === count) continue;
      let sum = 0;
      for (let d = 0; d < 2048; d++) { const c = counts[d]!; counts[d] = sum; sum += c; }
      for (let i = 0; i < count; i++) {
        const key = keys[i]!;
        const to = counts[(key >>> shift) & 2047]!++;
        spare[to] = order[i]!;
        spareKeys[to] = key;
      }
      [order, spare] = [spare, order];
      [keys, spareKeys] = [spareKeys, keys];
    }
    this.order = order;
    this.spare = spare;
    this.keys = keys;
    this.spareKeys = spareKeys;
  }
}

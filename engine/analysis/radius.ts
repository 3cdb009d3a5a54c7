// The blast radius as a report-ready value: every reached node with level, hops and witness path,
// dormant credentials, crown jewels, per-platform summaries and the score. Shared by CLI, server and UI.
import type { EvidenceReport } from '../evidence/report.ts';
import { effectiveSensitivity, levelName, type Level } from '../schema/index.ts';
import { edgeIdAt, type CompactGraph } from '../store/compact.ts';
import { renewedBy } from '../store/windows.ts';
import { dormantPath, hopsAtLeast, reach, witnessPath, type PathStep, type ReachOptions, type ReachResult } from './reach.ts';
import { impactOrder, nodeColumns } from './columns.ts';
import { gradedKinds, nodePoints } from './score.ts';

export interface NodeRef {
  id: string;
  name: string;
  kind: string;
  platform: string;
  tenant: string;
}

export interface PathStepView {
  edgeId: string;
  kind: string;
  from: NodeRef;
  to: NodeRef;
  /** Level obtained on `to` by this step. */
  level: Level;
  scopes?: string[];
  reason?: string;
  grant?: string;
  conditions?: string[];
  /** The scoped delegation (a DELEGATED_AS edge id) this step's edge is derived from. */
  derivedFrom?: string;
}

export interface RadiusEntry extends NodeRef {
  level: Level;
  hops: number;
  tags: string[];
  sensitivity: number;
  /** What this node adds to the score. */
  points: number;
  crownJewel: boolean;
  /** Reached on a platform other than every source's: lateral movement. */
  lateral: boolean;
  /**
   * Witness path from a source; replaying it yields `level`. Built when read (a getter on entries from
   * `describeRadius`): at a million nodes, materialising every reached node's path up front costs gigabytes.
   */
  path: PathStepView[];
  /**
   * The node the witness path entered this node's platform from (the bridge it hangs under), or null when the
   * path never left the platform it started on.
   */
  enteredFrom: NodeRef | null;
  /**
   * Controls (edge `conditions`) the witness path passes through unenforced, sorted: enforcing any one of them
   * (`--enforce`) breaks this path, so the node is no longer reached at this level this way.
   */
  controls: string[];
  /**
   * Set when the node is usable only through its refresh-token family: its own expiry has passed, and this
   * credential, which mints it (MINTS), is still live. The attacker keeps it as long as that one lives.
   */
  liveThrough?: NodeRef;
}

export type DormantReason = 'revoked' | 'expired' | 'disabled' | 'not-yet-valid' | 'mitigated';

export interface DormantEntry extends NodeRef {
  why: DormantReason;
  /** Level the attacker would hold if the node were usable. */
  level: Level;
  hops: number;
  path: PathStepView[];
}

/** One unenforced control and how many reached nodes (and crown jewels) have it on their witness path. */
export interface ControlSummary {
  control: string;
  reached: number;
  crownJewels: number;
}

export interface PlatformSummary {
  platform: string;
  tenants: string[];
  reached: number;
  read: number;
  write: number;
  admin: number;
  score: number;
  crownJewels: number;
}

export interface BlastRadius {
  sources: NodeRef[];
  at: string;
  maxDepth: number | null;
  score: number;
  /** Score split: data (sensitivity x level) and controlled principals. */
  scoreParts: { data: number; principals: number };
  reachedCount: number;
  crownJewels: RadiusEntry[];
  platforms: PlatformSummary[];
  byKind: Record<string, number>;
  reached: RadiusEntry[];
  dormant: DormantEntry[];
  /** Unenforced controls on the witness paths, with the nodes that depend on each (see `RadiusEntry.controls`). */
  controls: ControlSummary[];
  /** With --evidence: what the logs show of this radius (engine/evidence/report.ts). */
  evidence?: EvidenceReport;
}

export const CROWN_JEWEL_TAG = 'crown-jewel';

export function nodeRef(graph: CompactGraph, v: number): NodeRef {
  const node = graph.nodes[v]!;
  return { id: node.id, name: node.name, kind: node.kind, platform: node.platform, tenant: node.tenant };
}

export function stepView(graph: CompactGraph, step: PathStep): PathStepView {
  const attrs = graph.edgeAttrs[step.edge];
  const view: PathStepView = {
    edgeId: edgeIdAt(graph, step.edge),
    kind: graph.edgeKindNames[graph.edgeKind[step.edge]!]!,
    from: nodeRef(graph, step.from),
    to: nodeRef(graph, step.to),
    level: levelName(step.toLevel),
  };
  if (attrs?.scopes) view.scopes = attrs.scopes;
  if (attrs?.reason) view.reason = attrs.reason;
  if (attrs?.grant) view.grant = attrs.grant;
  if (attrs?.conditions) view.conditions = attrs.conditions;
  if (attrs?.derivedFrom) view.derivedFrom = attrs.derivedFrom;
  return view;
}

function dormantReason(graph: CompactGraph, v: number, at: number, overlayBlocked: boolean): DormantReason {
  const node = graph.nodes[v]!;
  if (node.enabled === false) return 'disabled';
  if (node.revoked === true && (node.revokedAt === undefined || Date.parse(node.revokedAt) <= at)) return 'revoked';
  if (node.expiresAt !== undefined && Date.parse(node.expiresAt) <= at) return 'expired';
  if (node.createdAt !== undefined && Date.parse(node.createdAt) > at) return 'not-yet-valid';
  return overlayBlocked ? 'mitigated' : 'revoked';
}

/** The conditions on a path's steps, deduplicated and sorted: the controls the path relies on not being enforced. */
export function pathControls(path: readonly PathStepView[]): string[] {
  const controls = new Set<string>();
  for (const step of path) for (const condition of step.conditions ?? []) controls.add(condition);
  return [...controls].sort();
}

/** Reached nodes per unenforced control their witness paths pass through, most nodes first. */
export function controlsSummary(reached: readonly Pick<RadiusEntry, 'id' | 'controls' | 'crownJewel'>[]): ControlSummary[] {
  const byControl = new Map<string, ControlSummary>();
  for (const entry of reached) {
    for (const control of entry.controls) {
      let summary = byControl.get(control);
      if (!summary) byControl.set(control, summary = { control, reached: 0, crownJewels: 0 });
      summary.reached++;
      if (entry.crownJewel) summary.crownJewels++;
    }
  }
  return [...byControl.values()].sort((a, b) => b.crownJewels - a.crownJewels || b.reached - a.reached || a.control.localeCompare(b.control));
}

/** Where an entry's witness path comes from: a (node, level) state of a reach result, read when `path` is. */
export interface WitnessOrigin {
  result: ReachResult;
  node: number;
  level: number;
  /** Dormant entries: the path is the witness path to the edge's source, then the edge (`dormantPath`). */
  dormant: boolean;
}

/**
 * A reached entry from `describeRadius`. `path` is an own enumerable getter (spreads, `JSON.stringify` and
 * `toEqual` see an ordinary field) that rebuilds the witness path's views on each read: at a million nodes,
 * materialising every reached node's path up front costs gigabytes. One getter shared by every entry keeps the
 * objects in V8's fast mode (a closure per entry turned each into a dictionary, about 3 KB apiece).
 */
class ReachedEntry {
  declare id: string;
  declare name: string;
  declare kind: string;
  declare platform: string;
  declare tenant: string;
  declare level: Level;
  declare hops: number;
  declare tags: string[];
  declare sensitivity: number;
  declare points: number;
  declare crownJewel: boolean;
  declare lateral: boolean;
  declare enteredFrom: NodeRef | null;
  declare controls: string[];
  declare path: PathStepView[];
  declare liveThrough?: NodeRef;
  readonly #result: ReachResult;
  readonly #node: number;
  readonly #level: number;

  constructor(result: ReachResult, v: number, levelCode: number, node: GraphNodeFields, hops: number, tags: string[], sensitivity: number,
    points: number, crownJewel: boolean, lateral: boolean, enteredFrom: NodeRef | null, controls: string[]) {
    this.id = node.id;
    this.name = node.name;
    this.kind = node.kind;
    this.platform = node.platform;
    this.tenant = node.tenant;
    this.level = levelName(levelCode);
    this.hops = hops;
    this.tags = tags;
    this.sensitivity = sensitivity;
    this.points = points;
    this.crownJewel = crownJewel;
    this.lateral = lateral;
    this.enteredFrom = enteredFrom;
    this.controls = controls;
    Object.defineProperty(this, 'path', LAZY_PATH);
    this.#result = result;
    this.#node = v;
    this.#level = levelCode;
  }

  static originOf(entry: object): WitnessOrigin | undefined {
    if (!(#result in entry)) return undefined;
    const reached = entry as ReachedEntry;
    return { result: reached.#result, node: reached.#node, level: reached.#level, dormant: false };
  }
}

/** A dormant entry from `describeRadius`, with the same lazy `path` as `ReachedEntry`. */
class DormantRecordEntry {
  declare id: string;
  declare name: string;
  declare kind: string;
  declare platform: string;
  declare tenant: string;
  declare why: DormantReason;
  declare level: Level;
  declare hops: number;
  declare path: PathStepView[];
  readonly #origin: WitnessOrigin;

  constructor(origin: WitnessOrigin, node: GraphNodeFields, why: DormantReason, level: Level, hops: number) {
    this.id = node.id;
    this.name = node.name;
    this.kind = node.kind;
    this.platform = node.platform;
    this.tenant = node.tenant;
    this.why = why;
    this.level = level;
    this.hops = hops;
    Object.defineProperty(this, 'path', LAZY_PATH);
    this.#origin = origin;
  }

  static originOf(entry: object): WitnessOrigin | undefined {
    return #origin in entry ? (entry as DormantRecordEntry).#origin : undefined;
  }
}

type GraphNodeFields = Pick<NodeRef, 'id' | 'name' | 'kind' | 'platform' | 'tenant'>;

/** The witness origin of an entry built by `describeRadius` (undefined for entries built elsewhere). */
export function witnessOrigin(entry: RadiusEntry | DormantEntry): WitnessOrigin | undefined {
  return ReachedEntry.originOf(entry) ?? DormantRecordEntry.originOf(entry);
}

function originPath(origin: WitnessOrigin): PathStepView[] {
  const { result, node, level } = origin;
  const steps = origin.dormant ? dormantPath(result, node) : witnessPath(result, node, level);
  return steps.map((step) => stepView(result.graph, step));
}

const LAZY_PATH: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: RadiusEntry | DormantEntry): PathStepView[] {
    return originPath(witnessOrigin(this)!);
  },
};

/**
 * Per (node, level) state of a reach result's witness tree, computed once for every state a radius reads:
 * the node its witness path entered the state's platform from, and the controls (edge conditions) the path
 * passes unenforced. A state's answer is its parent's plus its own edge, so the whole radius costs one visit
 * per state instead of one walk of the full path per reached node.
 */
class WitnessFacts {
  private readonly entered: Int32Array;
  private readonly controlSet: Int32Array;
  private readonly controlLists: string[][] = [[]];
  private readonly controlIndex = new Map<string, number>([['', 0]]);
  private readonly chain: number[] = [];

  constructor(private readonly result: ReachResult) {
    const slots = result.graph.nodeCount * 3;
    // -2: not computed yet; -1: no bridge (the path never left the platform).
    this.entered = new Int32Array(slots).fill(-2);
    this.controlSet = new Int32Array(slots).fill(-1);
  }

  /** The node the witness path of state (v, level) entered v's platform from, or -1. */
  enteredFrom(v: number, level: number): number {
    const { graph, parentEdge, parentLevel } = this.result;
    const { entered, chain } = this;
    chain.length = 0;
    let slot = v * 3 + level - 1;
    // Climb while the step stays on the platform and the answer is unknown; then fill the climbed states.
    let answer = -1;
    for (;;) {
      const known = entered[slot]!;
      if (known !== -2) { answer = known; break; }
      const e = parentEdge[slot]!;
      if (e < 0) { entered[slot] = -1; break; }
      chain.push(slot);
      const node = (slot / 3) | 0;
      const from = graph.edgeSrc[e]!;
      if (graph.nodes[from]!.platform !== graph.nodes[node]!.platform) { answer = from; break; }
      slot = from * 3 + parentLevel[slot]! - 1;
    }
    for (const climbed of chain) entered[climbed] = answer;
    return answer;
  }

  /** The sorted, deduplicated conditions on the witness path of state (v, level); arrays are shared between states. */
  controls(v: number, level: number): string[] {
    return this.controlLists[this.controlSetOf(v, level)]!;
  }

  /** The conditions of `controlSetOf`'s number. */
  controlList(set: number): string[] {
    return this.controlLists[set]!;
  }

  /** How many distinct condition sets `controlSetOf` has numbered so far. */
  get controlSetCount(): number {
    return this.controlLists.length;
  }

  /** A number for the conditions on the witness path of state (v, level), the same for the same conditions. */
  controlSetOf(v: number, level: number): number {
    const { graph, parentEdge, parentLevel } = this.result;
    const { controlSet, chain } = this;
    chain.length = 0;
    let slot = v * 3 + level - 1;
    let set = 0;
    for (;;) {
      const known = controlSet[slot]!;
      if (known >= 0) { set = known; break; }
      chain.push(slot);
      const e = parentEdge[slot]!;
      if (e < 0) { chain.pop(); controlSet[slot] = 0; break; }
      slot = graph.edgeSrc[e]! * 3 + parentLevel[slot]! - 1;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const climbed = chain[i]!;
      const conditions = graph.edgeAttrs[parentEdge[climbed]!]?.conditions;
      if (conditions && conditions.length > 0) set = this.union(set, conditions);
      controlSet[climbed] = set;
    }
    return set;
  }

  private union(set: number, conditions: readonly string[]): number {
    const merged = [...new Set([...this.controlLists[set]!, ...conditions])].sort();
    const key = merged.join('\u0000');
    let index = this.controlIndex.get(key);
    if (index === undefined) {
      index = this.controlLists.length;
      this.controlLists.push(merged);
      this.controlIndex.set(key, index);
    }
    return index;
  }
}

/** Ties in the reached order are broken by id as `localeCompare` does (the same collation, one collator for all calls). */
const ID_COLLATOR = new Intl.Collator();

/**
 * Per ASCII code: a character whose rank under ID_COLLATOR's order keeps the collation when compared as code
 * units, or 0 for characters outside the table (upper case, which differs from lower case only at a later
 * level, and everything non-ASCII). Built from the collator itself: digits, lower-case letters and
 * punctuation each have a distinct primary weight, so on strings made only of them the collation is the
 * order of those weights, character by character (ids of the generated and imported graphs are such strings).
 */
const COLLATION_RANK: Uint16Array = (() => {
  const chars: string[] = [];
  for (let c = 0x21; c < 0x7f; c++) if (!(c >= 0x41 && c <= 0x5a)) chars.push(String.fromCharCode(c));
  chars.sort(ID_COLLATOR.compare);
  const rank = new Uint16Array(128);
  for (let i = 0; i < chars.length; i++) {
    // Two characters the collator does not tell apart at the first level cannot be ranked this way.
    if (i > 0 && ID_COLLATOR.compare(chars[i - 1]!, chars[i]!) === 0) return new Uint16Array(128);
    // Codes from 0x21 up: keys stay one-byte strings, which V8 sorts and compares about twice as fast as two-byte ones.
    rank[chars[i]!.charCodeAt(0)] = 0x21 + i;
  }
  return rank;
})();

/** `id` rewritten so that comparing two keys as strings orders the ids as ID_COLLATOR does, or undefined. */
export function collationKey(id: string): string | undefined {
  const codes = keyCodes.length >= id.length ? keyCodes : (keyCodes = new Uint16Array(id.length * 2));
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    const rank = c < 128 ? COLLATION_RANK[c]! : 0;
    if (rank === 0) return undefined;
    codes[i] = rank;
  }
  // One flat string (a `+=` chain builds a rope, slow to compare). `apply` puts every code on the stack: a very long
  // id (a fuzzed one ran to hundreds of thousands of characters) overflows it, so long ids go in slices, joined once.
  if (id.length <= KEY_SLICE) return String.fromCharCode.apply(null, codes.subarray(0, id.length) as unknown as number[]);
  const parts: string[] = [];
  for (let at = 0; at < id.length; at += KEY_SLICE) parts.push(String.fromCharCode.apply(null, codes.subarray(at, Math.min(id.length, at + KEY_SLICE)) as unknown as number[]));
  return parts.join('');
}
const KEY_SLICE = 8192;
let keyCodes = new Uint16Array(256);

/** Compares ids as `a.localeCompare(b)` orders them, through their collation keys when both have one. */
export function compareIds(a: string, keyA: string | undefined, b: string, keyB: string | undefined): number {
  if (keyA !== undefined && keyB !== undefined) return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
  return ID_COLLATOR.compare(a, b);
}

/**
 * Per position of `ids`, its rank in the order `localeCompare` gives them. Ids whose characters all have a collation
 * rank (COLLATION_RANK) are written as those ranks, one byte each, into one buffer and sorted there by a three-way
 * radix quicksort (one byte compared per step, shared prefixes never compared twice, equal ids by position); the few
 * without (upper case, non-ASCII) are sorted with the collator, and the two runs merged. Rank order is the
 * collator's order, so the merge is the collator's order over all ids. At 333,773 ids of 47 characters this takes
 * a third of sorting the keys as strings, and allocates no string per id.
 */
export function idRanks(ids: readonly string[]): Int32Array {
  const n = ids.length;
  const rank = new Int32Array(n);
  let bytes = 0;
  for (let i = 0; i < n; i++) bytes += ids[i]!.length + 1;
  const buffer = new Uint8Array(bytes);
  const start = new Int32Array(n);
  const keyed = new Int32Array(n);
  let keyedCount = 0;
  const unkeyed: number[] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    const from = at;
    let ok = true;
    for (let c = 0; c < id.length; c++) {
      const code = id.charCodeAt(c);
      const r = code < 128 ? COLLATION_RANK[code]! : 0;
      if (r === 0) { ok = false; break; }
      buffer[at++] = r;
    }
    if (!ok) { at = from; unkeyed.push(i); continue; }
    buffer[at++] = 0;
    start[i] = from;
    keyed[keyedCount++] = i;
  }
  const sorted = keyed.subarray(0, keyedCount);
  radixQuicksort(sorted, buffer, start);
  unkeyed.sort((a, b) => ID_COLLATOR.compare(ids[a]!, ids[b]!) || a - b);
  let k = 0;
  let u = 0;
  for (let r = 0; r < n; r++) {
    let position: number;
    if (u >= unkeyed.length) position = sorted[k++]!;
    else if (k >= keyedCount) position = unkeyed[u++]!;
    else {
      const fromKeyed = sorted[k]!;
      const fromUnkeyed = unkeyed[u]!;
      // Equal ids keep their positions' order, as the keyed sort does among keyed ones.
      const order = ID_COLLATOR.compare(ids[fromKeyed]!, ids[fromUnkeyed]!) || fromKeyed - fromUnkeyed;
      if (order <= 0) { position = fromKeyed; k++; } else { position = fromUnkeyed; u++; }
    }
    rank[position] = r;
  }
  return rank;
}

/** Below this many strings a part is sorted by insertion. */
const INSERTION_SORT = 12;

/**
 * Sorts `items` (string numbers) by their byte strings (`buffer` from `start[item]`, each ended by a 0 byte, no 0
 * inside), equal strings by number: Bentley and Sedgewick's three-way radix quicksort, iterative (a stack of
 * (from, to, depth) triples), the pivot the median of three.
 */
function radixQuicksort(items: Int32Array, buffer: Uint8Array, start: Int32Array): void {
  let stack = new Int32Array(3 * 64);
  let top = 0;
  const push = (from: number, to: number, depth: number): void => {
    if (to - from < 2) return;
    if (top + 3 > stack.length) { const grown = new Int32Array(stack.length * 2); grown.set(stack); stack = grown; }
    stack[top++] = from;
    stack[top++] = to;
    stack[top++] = depth;
  };
  push(0, items.length, 0);
  while (top > 0) {
    const depth = stack[--top]!;
    const to = stack[--top]!;
    const from = stack[--top]!;
    if (to - from < INSERTION_SORT) {
      for (let i = from + 1; i < to; i++) {
        const item = items[i]!;
        let j = i;
        while (j > from && compareFrom(buffer, start, items[j - 1]!, item, depth) > 0) { items[j] = items[j - 1]!; j--; }
        items[j] = item;
      }
      continue;
    }
    const a = buffer[start[items[from]!]! + depth]!;
    const b = buffer[start[items[(from + to) >>> 1]!]! + depth]!;
    const c = buffer[start[items[to - 1]!]! + depth]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
    let lt = from;
    let gt = to - 1;
    let i = from;
    while (i <= gt) {
      const item = items[i]!;
      const byte = buffer[start[item]! + depth]!;
      if (byte < pivot) { items[i++] = items[lt]!; items[lt++] = item; }
      else if (byte > pivot) { items[i] = items[gt]!; items[gt--] = item; }
      else i++;
    }
    push(from, lt, depth);
    push(gt + 1, to, depth);
    // The pivot's part: strings equal so far go on at the next byte; at the end byte they are equal, by number.
    if (pivot !== 0) push(lt, gt + 1, depth + 1);
    else if (gt + 1 - lt > 1) items.subarray(lt, gt + 1).sort();
  }
}

/** Two byte strings compared from `depth` on (equal before it), equal ones by number. */
function compareFrom(buffer: Uint8Array, start: Int32Array, a: number, b: number, depth: number): number {
  let i = start[a]! + depth;
  let j = start[b]! + depth;
  for (;;) {
    const x = buffer[i++]!;
    const y = buffer[j++]!;
    if (x !== y) return x - y;
    if (x === 0) return a - b;
  }
}

/** Per loaded graph (the server's), the rank of every node's id: `nodeIdRanks` fills it, `ranksOfNodes` reads it. */
const graphIdRanks = new WeakMap<CompactGraph, Int32Array>();

/**
 * The rank of every node id of `graph` in the order `localeCompare` gives them, computed once and kept for the
 * graph: a server answering many questions on one graph then orders any set of nodes by id without sorting ids.
 */
export function nodeIdRanks(graph: CompactGraph): Int32Array {
  let ranks = graphIdRanks.get(graph);
  if (!ranks) {
    const ids: string[] = new Array(graph.nodeCount);
    for (let v = 0; v < graph.nodeCount; v++) ids[v] = graph.nodes[v]!.id;
    graphIdRanks.set(graph, ranks = idRanks(ids));
  }
  return ranks;
}

/**
 * Numbers ordering `nodes` by id as localeCompare does (equal ids keep their positions' order): the graph's
 * kept ranks when `nodeIdRanks` has run for it, otherwise `idRanks` of their ids.
 */
export function ranksOfNodes(graph: CompactGraph, nodes: ArrayLike<number>): Int32Array {
  const kept = graphIdRanks.get(graph);
  const n = nodes.length;
  if (kept) {
    const ranks = new Int32Array(n);
    for (let i = 0; i < n; i++) ranks[i] = kept[nodes[i]!]!;
    return ranks;
  }
  const ids: string[] = new Array(n);
  for (let i = 0; i < n; i++) ids[i] = graph.nodes[nodes[i]!]!.id;
  return idRanks(ids);
}

/** Part of the reached list to build entries for: `describeRadius` then lists only these (and every crown jewel). */
export interface RadiusPage {
  offset: number;
  limit: number;
}

/**
 * Turns a raw reach result into the report value. With `page`, `reached` holds only the entries from `offset`
 * (at most `limit`) of the full, ordered list, and every other field is as without it: the summaries are counted
 * from flat per-node facts, so a page of a radius of any size builds a page of entries (the web API's answer).
 */
export function describeRadius(result: ReachResult, options: ReachOptions = {}, page?: RadiusPage): BlastRadius {
  const { graph } = result;
  const sourceSet = new Set(result.sources);
  const sourcePlatforms = new Set(result.sources.map((s) => graph.nodes[s]!.platform));
  const facts = new WitnessFacts(result);
  // Bridges are few and shared by many entries: one NodeRef each.
  const refs = new Map<number, NodeRef>();
  const refOf = (v: number): NodeRef => {
    let ref = refs.get(v);
    if (!ref) refs.set(v, ref = nodeRef(graph, v));
    return ref;
  };

  // Flat facts per reached node (traversal order), then one sort of positions: crown jewels first, then by points
  // (most first), hops (fewest first) and id. Node facts come from the graph's typed columns, not its node objects.
  const columns = nodeColumns(graph);
  const graded = gradedKinds(graph);
  const count = result.order.length - result.order.reduce((n, v) => n + (sourceSet.has(v) ? 1 : 0), 0);
  const nodes = new Int32Array(count);
  const crown = new Uint8Array(count);
  const points = new Float64Array(count);
  const hops = new Int32Array(count);
  const controlSets = new Int32Array(count);
  let data = 0;
  let principals = 0;
  let integral = true;
  let crownTotal = 0;
  let i = 0;
  for (const v of result.order) {
    if (sourceSet.has(v)) continue;
    const levelCode = result.level[v]!;
    const nodePoint = nodePoints(graph, v, levelCode);
    if (graded[graph.nodeKind[v]!] === 1) data += nodePoint;
    else principals += nodePoint;
    if (integral && !Number.isInteger(nodePoint)) integral = false;
    nodes[i] = v;
    crown[i] = columns.crownJewel[v]!;
    crownTotal += crown[i]!;
    points[i] = nodePoint;
    hops[i] = hopsAtLeast(result, v, levelCode);
    controlSets[i] = facts.controlSetOf(v, levelCode);
    i++;
  }
  const first = page ? Math.min(Math.max(page.offset, 0), count) : 0;
  const last = page ? Math.min(first + Math.max(page.limit, 0), count) : count;
  // A page within the crown jewels (the review's added authority, a summary) needs only the crown jewels in order; the
  // summaries below are then counted in traversal order, which gives the same sums when every node's points are whole
  // numbers (exact in any order), and tenants and kinds are ordered by each one's least position under the report's
  // comparison. Otherwise every position is sorted.
  const sortAll = last > crownTotal || !integral;
  let order: Int32Array;
  if (sortAll) order = impactOrder(count, crown, points, hops, ranksOfNodes(graph, nodes));
  else {
    const jewels = new Int32Array(crownTotal);
    for (let k = 0, j = 0; k < count; k++) if (crown[k] === 1) jewels[j++] = k;
    const jewelOrder = impactOrder(crownTotal, jewels.map((k) => crown[k]!), Float64Array.from(jewels, (k) => points[k]!), jewels.map((k) => hops[k]!),
      ranksOfNodes(graph, jewels.map((k) => nodes[k]!)));
    order = jewelOrder.map((j) => jewels[j]!);
  }

  const entryAt = (k: number): RadiusEntry => {
    const v = nodes[k]!;
    const node = graph.nodes[v]!;
    const levelCode = result.level[v]!;
    const bridge = facts.enteredFrom(v, levelCode);
    const entry = new ReachedEntry(result, v, levelCode, node, hops[k]!, node.tags ?? [], effectiveSensitivity(node), points[k]!,
      crown[k] === 1, !sourcePlatforms.has(node.platform), bridge < 0 ? null : refOf(bridge), facts.controlList(controlSets[k]!)) as RadiusEntry;
    const minter = result.renewedBy ? result.renewedBy.get(v) : renewedBy(graph, v, result.at);
    if (minter !== undefined) entry.liveThrough = nodeRef(graph, minter);
    return entry;
  };
  const crownCount = crownTotal;
  const reached: RadiusEntry[] = [];
  for (let position = first; position < last; position++) reached.push(entryAt(order[position]!));
  // Crown jewels lead the order: where the page covers them they are the page's own entries (the same objects).
  const crownJewels: RadiusEntry[] = [];
  for (let position = 0; position < crownCount; position++) crownJewels.push(position >= first && position < last ? reached[position - first]! : entryAt(order[position]!));

  // The summaries, over the whole radius in report order (tenants and kinds are listed as they first appear in it,
  // and each platform's score is summed in it), counted per platform, place, kind and control-set code.
  const platformCount = columns.platformNames.length;
  const platformReached = new Int32Array(platformCount);
  const platformLevels = new Int32Array(platformCount * 4);
  const platformScore = new Float64Array(platformCount);
  const platformCrown = new Int32Array(platformCount);
  const platformTenants: string[][] = [];
  const platformsSeen: number[] = [];
  const placeSeen = new Uint8Array(columns.placeTenant.length);
  const kindCounts = new Int32Array(graph.nodeKindNames.length);
  const kindsSeen: number[] = [];
  const setReached = new Int32Array(facts.controlSetCount);
  const setCrown = new Int32Array(facts.controlSetCount);
  // Without the full order: each place's and kind's least position under the report's comparison (ids by the collator).
  const precedes = (a: number, b: number): boolean => (crown[b]! - crown[a]! || points[b]! - points[a]! || hops[a]! - hops[b]!
    || ID_COLLATOR.compare(graph.nodes[nodes[a]!]!.id, graph.nodes[nodes[b]!]!.id)) < 0;
  const placeFirst = sortAll ? undefined : new Int32Array(columns.placeTenant.length).fill(-1);
  const kindFirst = sortAll ? undefined : new Int32Array(graph.nodeKindNames.length).fill(-1);
  for (let position = 0; position < count; position++) {
    const k = sortAll ? order[position]! : position;
    const v = nodes[k]!;
    const p = columns.platform[v]!;
    if (platformReached[p] === 0) { platformsSeen.push(p); platformTenants[p] = []; }
    const place = columns.place[v]!;
    if (placeSeen[place] === 0) { placeSeen[place] = 1; platformTenants[p]!.push(columns.placeTenant[place]!); }
    if (placeFirst && (placeFirst[place] === -1 || precedes(k, placeFirst[place]!))) placeFirst[place] = k;
    if (kindFirst && (kindFirst[graph.nodeKind[v]!] === -1 || precedes(k, kindFirst[graph.nodeKind[v]!]!))) kindFirst[graph.nodeKind[v]!] = k;
    platformReached[p]!++;
    platformLevels[p * 4 + result.level[v]!]!++;
    platformScore[p]! += points[k]!;
    if (crown[k] === 1) platformCrown[p]!++;
    const kind = graph.nodeKind[v]!;
    if (kindCounts[kind]!++ === 0) kindsSeen.push(kind);
    setReached[controlSets[k]!]!++;
    if (crown[k] === 1) setCrown[controlSets[k]!]!++;
  }
  if (placeFirst && kindFirst) {
    // Tenants and kinds as the full order would first show them (platforms are sorted below by score and name).
    const earlier = (a: number, b: number): number => (a === b ? 0 : precedes(a, b) ? -1 : 1);
    const placesOf = new Map<number, number[]>();
    for (let place = 0; place < placeFirst.length; place++) {
      if (placeFirst[place] === -1) continue;
      const p = columns.placePlatform[place]!;
      const list = placesOf.get(p);
      if (list) list.push(place); else placesOf.set(p, [place]);
    }
    for (const [p, places] of placesOf) platformTenants[p] = places.sort((a, b) => earlier(placeFirst[a]!, placeFirst[b]!)).map((place) => columns.placeTenant[place]!);
    kindsSeen.sort((a, b) => earlier(kindFirst[a]!, kindFirst[b]!));
  }
  const platforms: PlatformSummary[] = platformsSeen.map((p) => ({
    platform: columns.platformNames[p]!, tenants: platformTenants[p]!, reached: platformReached[p]!,
    read: platformLevels[p * 4 + 1]!, write: platformLevels[p * 4 + 2]!, admin: platformLevels[p * 4 + 3]!, score: platformScore[p]!, crownJewels: platformCrown[p]!,
  }));
  const byKind: Record<string, number> = {};
  for (const kind of kindsSeen) byKind[graph.nodeKindNames[kind]!] = kindCounts[kind]!;
  const byControl = new Map<string, ControlSummary>();
  for (let set = 0; set < setReached.length; set++) {
    if (setReached[set] === 0) continue;
    for (const control of facts.controlList(set)) {
      let controlSummary = byControl.get(control);
      if (!controlSummary) byControl.set(control, controlSummary = { control, reached: 0, crownJewels: 0 });
      controlSummary.reached += setReached[set]!;
      controlSummary.crownJewels += setCrown[set]!;
    }
  }

  const blocked = options.overlay?.blockedNodes;
  const dormant: DormantEntry[] = [...result.dormant.entries()]
    .filter(([v]) => result.level[v] === 0)
    .map(([v, info]) => new DormantRecordEntry({ result, node: v, level: info.level, dormant: true }, graph.nodes[v]!,
      dormantReason(graph, v, result.at, blocked?.[v] === 1), levelName(info.level), info.hops) as DormantEntry)
    .sort((a, b) => a.hops - b.hops || ID_COLLATOR.compare(a.id, b.id));

  return {
    sources: result.sources.map((s) => nodeRef(graph, s)),
    at: new Date(result.at).toISOString(),
    maxDepth: options.maxDepth ?? null,
    score: data + principals,
    scoreParts: { data, principals },
    reachedCount: count,
    crownJewels,
    platforms: platforms.sort((a, b) => b.score - a.score || a.platform.localeCompare(b.platform)),
    byKind,
    reached,
    dormant,
    controls: [...byControl.values()].sort((a, b) => b.crownJewels - a.crownJewels || b.reached - a.reached || a.control.localeCompare(b.control)),
  };
}

/** Blast radius of one or several compromised nodes (by index). */
export function blastRadius(graph: CompactGraph, sources: readonly number[], options: ReachOptions = {}): BlastRadius {
  return describeRadius(reach(graph, sources, options), options);
}

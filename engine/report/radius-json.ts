// The blast radius as JSON and NDJSON that scale: written piece by piece while walking the result (never one
// giant string), with the witness paths of all reached nodes shared in one parent table instead of repeated.
import { witnessOrigin, type BlastRadius, type DormantEntry, type NodeRef, type PathStepView, type RadiusEntry, type WitnessOrigin } from '../analysis/radius.ts';
import { levelName } from '../schema/index.ts';
import { jsonOutChunks, type JsonOut } from './json-out.ts';
import { writeEdgeAttrFields, writeEdgeId, writeRefFields } from './witness.ts';
import { edgeIdAt, type CompactGraph } from '../store/compact.ts';

export interface RadiusJsonOptions {
  /** Also give every reached and dormant entry its full `path` (the pre-0.2 shape; large at scale). */
  paths?: boolean;
}

/**
 * One step of the shared witness table: `parent`, the index of the step before it (-1 when the step leaves a
 * source), the node it leads to (`to`) and the level obtained there, the edge taken and its attributes.
 * `from` is given on a source's steps only: any other step leaves its parent's `to`. A node's witness path is
 * its `witness` step followed up the parents, reversed. Nodes are named by id; their details are in
 * `sources`, `reached` and `dormant`.
 */
export interface WitnessStep extends Omit<PathStepView, 'from' | 'to'> {
  parent: number;
  from?: string;
  to: string;
}

export interface WitnessTable {
  steps: WitnessStep[];
  /** Per reached entry (same order): index of its last step, -1 for an empty path. */
  reached: Int32Array;
  /** Per dormant entry (same order): index of its last step, -1 for an empty path. */
  dormant: Int32Array;
}

/**
 * Builds the witness table from the entries' paths, merging shared prefixes (a trie of paths): with a reach
 * result's witness tree every (node, level) state appears once, and paths from elsewhere (Neo4j) still share
 * what they share. Entries from `describeRadius` are read straight off the reach result's parent arrays (the
 * same table, step for step, without building a path per entry); others by reading each entry's path once.
 */
export function witnessTable(radius: Pick<BlastRadius, 'reached' | 'dormant'>): WitnessTable {
  return witnessTableFromTree(radius) ?? witnessTableFromPaths(radius);
}

/** The table as the trie of the entries' paths (any entries; the oracle of the parent-array version). */
export function witnessTableFromPaths(radius: Pick<BlastRadius, 'reached' | 'dormant'>): WitnessTable {
  const steps: WitnessStep[] = [];
  const index = new Map<string, number>();
  const add = (path: readonly PathStepView[]): number => {
    let parent = -1;
    for (const step of path) {
      const key = `${parent}\u0000${step.from.id}\u0000${step.edgeId}\u0000${step.level}`;
      let found = index.get(key);
      if (found === undefined) {
        const { from, to, ...rest } = step;
        found = steps.length;
        steps.push(parent < 0 ? { parent, from: from.id, to: to.id, ...rest } : { parent, to: to.id, ...rest });
        index.set(key, found);
      }
      parent = found;
    }
    return parent;
  };
  const reached = Int32Array.from(radius.reached, (entry) => add(entry.path));
  const dormant = Int32Array.from(radius.dormant, (entry) => add(entry.path));
  return { steps, reached, dormant };
}

/** One table step for edge `e` reaching its target at `level`, fields in `stepView`'s order. */
export function witnessStep(graph: CompactGraph, parent: number, e: number, level: number): WitnessStep {
  const attrs = graph.edgeAttrs[e];
  const to = graph.nodes[graph.edgeDst[e]!]!.id;
  const step: WitnessStep = parent < 0
    ? { parent, from: graph.nodes[graph.edgeSrc[e]!]!.id, to, edgeId: edgeIdAt(graph, e), kind: graph.edgeKindNames[graph.edgeKind[e]!]!, level: levelName(level) }
    : { parent, to, edgeId: edgeIdAt(graph, e), kind: graph.edgeKindNames[graph.edgeKind[e]!]!, level: levelName(level) };
  if (attrs?.scopes) step.scopes = attrs.scopes;
  if (attrs?.reason) step.reason = attrs.reason;
  if (attrs?.grant) step.grant = attrs.grant;
  if (attrs?.conditions) step.conditions = attrs.conditions;
  if (attrs?.derivedFrom) step.derivedFrom = attrs.derivedFrom;
  return step;
}

/**
 * The witness table of entries that all come from one reach result (`witnessOrigin`), or undefined. Each entry's
 * state is climbed up the parent arrays to the first state already in the table, and the climbed states are
 * added from the top down: the order in which the trie of paths would add them, so the table is the same.
 */
function witnessTableFromTree(radius: Pick<BlastRadius, 'reached' | 'dormant'>): WitnessTable | undefined {
  // The flat table holds the same steps in the same order; the objects are made from it.
  const flat = flatWitnessTable(radius);
  if (!flat) return undefined;
  const steps: WitnessStep[] = new Array(flat.count);
  for (let i = 0; i < flat.count; i++) steps[i] = witnessStep(flat.graph, flat.parent[i]!, flat.edge[i]!, flat.level[i]!);
  return { steps, reached: flat.reached, dormant: flat.dormant };
}

/** A node's witness path rebuilt from the table (what a consumer of the JSON does): each step with its `from` id. */
export function pathFromTable(steps: readonly WitnessStep[], last: number): (WitnessStep & { from: string })[] {
  const path: (WitnessStep & { from: string })[] = [];
  for (let i = last; i >= 0; i = steps[i]!.parent) {
    const step = steps[i]!;
    path.push({ ...step, from: step.parent < 0 ? step.from! : steps[step.parent]!.to });
  }
  return path.reverse();
}

/**
 * The witness table of describeRadius's entries as flat arrays (per step: parent step, edge, level code), or
 * undefined for entries from elsewhere. `witnessTableFromTree` makes its step objects from it.
 */
interface FlatWitnessTable {
  graph: CompactGraph;
  count: number;
  parent: Int32Array;
  edge: Int32Array;
  level: Uint8Array;
  reached: Int32Array;
  dormant: Int32Array;
}

function flatWitnessTable(radius: Pick<BlastRadius, 'reached' | 'dormant'>): FlatWitnessTable | undefined {
  const first = radius.reached[0] ?? radius.dormant[0];
  const result = first ? witnessOrigin(first)?.result : undefined;
  if (!result) return undefined;
  const origins: WitnessOrigin[] = [];
  for (const entry of radius.reached) {
    const origin = witnessOrigin(entry);
    if (origin?.result !== result) return undefined;
    origins.push(origin);
  }
  for (const entry of radius.dormant) {
    const origin = witnessOrigin(entry);
    if (origin?.result !== result) return undefined;
    origins.push(origin);
  }
  const { graph, parentEdge, parentLevel } = result;
  // At most one step per (node, level) state, plus one per dormant entry.
  let capacity = 1024;
  let parent = new Int32Array(capacity);
  let edge = new Int32Array(capacity);
  let level = new Uint8Array(capacity);
  let count = 0;
  const push = (parentStep: number, e: number, levelCode: number): number => {
    if (count === capacity) {
      capacity *= 2;
      const grownParent = new Int32Array(capacity); grownParent.set(parent); parent = grownParent;
      const grownEdge = new Int32Array(capacity); grownEdge.set(edge); edge = grownEdge;
      const grownLevel = new Uint8Array(capacity); grownLevel.set(level); level = grownLevel;
    }
    parent[count] = parentStep;
    edge[count] = e;
    level[count] = levelCode;
    return count++;
  };
  const stepOfSlot = new Int32Array(graph.nodeCount * 3).fill(-1);
  const climbed: number[] = [];
  const stateStep = (v: number, levelCode: number): number => {
    climbed.length = 0;
    let slot = v * 3 + levelCode - 1;
    let parentStep = -1;
    for (;;) {
      const known = stepOfSlot[slot]!;
      if (known >= 0) { parentStep = known; break; }
      const e = parentEdge[slot]!;
      if (e < 0) break;
      climbed.push(slot);
      slot = graph.edgeSrc[e]! * 3 + parentLevel[slot]! - 1;
    }
    for (let i = climbed.length - 1; i >= 0; i--) {
      const state = climbed[i]!;
      parentStep = push(parentStep, parentEdge[state]!, (state % 3) + 1);
      stepOfSlot[state] = parentStep;
    }
    return parentStep;
  };
  const reached = new Int32Array(radius.reached.length);
  for (let i = 0; i < radius.reached.length; i++) reached[i] = stateStep(origins[i]!.node, origins[i]!.level);
  const dormant = new Int32Array(radius.dormant.length);
  for (let i = 0; i < radius.dormant.length; i++) {
    const info = result.dormant.get(origins[radius.reached.length + i]!.node);
    if (!info || info.viaEdge < 0) { dormant[i] = -1; continue; }
    dormant[i] = push(stateStep(graph.edgeSrc[info.viaEdge]!, info.viaLevel), info.viaEdge, info.level);
  }
  return { graph, count, parent, edge, level, reached, dormant };
}

/** Writes the radius's records into a JsonOut without building a record object or a string per entry. */
class RadiusRecordWriter {
  /** Encoded JSON of string lists shared between entries (controls), by identity. */
  private readonly lists = new Map<readonly string[], Uint8Array>();
  private readonly encoder = new TextEncoder();

  constructor(private readonly out: JsonOut, private readonly table: FlatWitnessTable | undefined) {}

  private list(values: readonly string[]): void {
    if (values.length === 0) { this.out.ascii('[]'); return; }
    let bytes = this.lists.get(values);
    if (bytes === undefined) this.lists.set(values, bytes = this.encoder.encode(JSON.stringify(values)));
    this.out.bytes(bytes);
  }

  /** A list of strings as JSON.stringify writes it. */
  private strings(values: readonly string[]): void {
    const { out } = this;
    out.byte(0x5b);
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (typeof value !== 'string') { out.value(value); } else out.str(value);
      if (i + 1 < values.length) out.byte(0x2c);
    }
    out.byte(0x5d);
  }

  /** Step `i` of the flat table, as `witnessStep` builds it and JSON.stringify writes it (the `{` and `}` included). */
  step(i: number, prefix: string): void {
    const { out } = this;
    const { graph, parent, edge, level } = this.table!;
    const e = edge[i]!;
    const p = parent[i]!;
    const attrs = graph.edgeAttrs[e];
    out.byte(0x7b);
    out.ascii(prefix);
    out.ascii('"parent":');
    out.int(p);
    if (p < 0) { out.ascii(',"from":'); out.str(graph.nodes[graph.edgeSrc[e]!]!.id); }
    out.ascii(',"to":');
    out.str(graph.nodes[graph.edgeDst[e]!]!.id);
    out.ascii(',"edgeId":');
    writeEdgeId(out, graph, e);
    out.ascii(',"kind":');
    out.repeated(graph.edgeKindNames[graph.edgeKind[e]!]!);
    out.ascii(',"level":"');
    out.ascii(levelName(level[i]!));
    out.byte(0x22);
    writeEdgeAttrFields(out, attrs);
    out.byte(0x7d);
  }

  /** A node's id, name, kind, platform and tenant, from `{` (and `prefix`) on. */
  private head(entry: NodeRef, prefix: string): void {
    const { out } = this;
    out.byte(0x7b);
    out.ascii(prefix);
    writeRefFields(out, entry);
  }

  /** A reached entry's fields as `reachedRecord` orders them, from `{` to `}`. */
  reached(entry: RadiusEntry, witness: number, withPath: boolean, prefix: string): void {
    const { out } = this;
    this.head(entry, prefix);
    out.ascii(',"level":"');
    out.ascii(entry.level);
    out.ascii('","hops":');
    out.num(entry.hops);
    out.ascii(',"tags":');
    this.strings(entry.tags);
    out.ascii(',"sensitivity":');
    out.num(entry.sensitivity);
    out.ascii(',"points":');
    out.num(entry.points);
    out.ascii(entry.crownJewel ? ',"crownJewel":true' : ',"crownJewel":false');
    out.ascii(entry.lateral ? ',"lateral":true' : ',"lateral":false');
    out.ascii(',"enteredFrom":');
    if (entry.enteredFrom) out.str(entry.enteredFrom.id); else out.ascii('null');
    out.ascii(',"controls":');
    this.list(entry.controls);
    if (entry.liveThrough) { out.ascii(',"liveThrough":'); out.value(entry.liveThrough); }
    out.ascii(',"witness":');
    out.int(witness);
    if (withPath) { out.ascii(',"path":'); out.value(entry.path); }
    out.byte(0x7d);
  }

  dormant(entry: DormantEntry, witness: number, withPath: boolean, prefix: string): void {
    const { out } = this;
    this.head(entry, prefix);
    out.ascii(',"why":');
    out.str(entry.why);
    out.ascii(',"level":"');
    out.ascii(entry.level);
    out.ascii('","hops":');
    out.num(entry.hops);
    out.ascii(',"witness":');
    out.int(witness);
    if (withPath) { out.ascii(',"path":'); out.value(entry.path); }
    out.byte(0x7d);
  }
}

/** The witness table's steps, and each entry's last step, whichever way the table was built. */
interface TableView {
  count: number;
  reached: Int32Array;
  dormant: Int32Array;
  /** Writes step `i` as JSON (with `prefix` written right after its `{`). */
  step: (i: number, prefix: string) => void;
}

function tableView(radius: BlastRadius, out: JsonOut, writer: RadiusRecordWriter, flat: FlatWitnessTable | undefined): TableView {
  if (flat) return { count: flat.count, reached: flat.reached, dormant: flat.dormant, step: (i, prefix) => writer.step(i, prefix) };
  const table = witnessTableFromPaths(radius);
  return { count: table.steps.length, reached: table.reached, dormant: table.dormant, step: (i, prefix) => { out.byte(0x7b); out.ascii(prefix); out.text(JSON.stringify(table.steps[i]).slice(1)); } };
}

/** Everything but the per-node lists: what the NDJSON's first line and the JSON's head carry. */
function summaryOf(radius: BlastRadius): Record<string, unknown> {
  const { sources, at, maxDepth, score, scoreParts, reachedCount, platforms, byKind, controls } = radius;
  return { sources, at, maxDepth, score, scoreParts, reachedCount, crownJewelCount: radius.crownJewels.length, dormantCount: radius.dormant.length, platforms, byKind, controls };
}

/**
 * The radius as one JSON document written into `out`: the summary fields, `crownJewels` (with their full `path`:
 * few, and what a responder opens first), the `witness` table, then `reached` and `dormant` one entry per line,
 * each with `witness`, the index of its last step in the table. Each line is written straight from the entries
 * and the reach result's arrays (no record object, no string per entry); the generator yields after every 1,024th
 * line and at the end of each part (a yield per line costs a fifth of the writing time).
 */
export function* radiusJsonParts(radius: BlastRadius, out: JsonOut, options: RadiusJsonOptions = {}): Generator<void> {
  let lines = 0;
  const flat = flatWitnessTable(radius);
  const writer = new RadiusRecordWriter(out, flat);
  const table = tableView(radius, out, writer, flat);
  const summary = JSON.stringify(summaryOf(radius));
  out.text(summary.slice(0, -1));
  out.ascii(',\n');
  yield;
  // Crown jewels lead the reached list when they are its own entries; otherwise they are looked up.
  const reachedIndex = new Map<RadiusEntry, number>();
  const leading = radius.crownJewels.every((entry, i) => radius.reached[i] === entry);
  if (!leading) radius.reached.forEach((entry, i) => reachedIndex.set(entry, i));
  out.ascii('"crownJewels": [\n');
  yield;
  const jewels = radius.crownJewels.length;
  for (let i = 0; i < jewels; i++) {
    const entry = radius.crownJewels[i]!;
    const witness = table.reached[leading ? i : reachedIndex.get(entry) ?? -1] ?? -1;
    writer.reached(entry, witness, true, '');
    out.ascii(i + 1 < jewels ? ',\n' : '\n');
    if ((++lines & 1023) === 0) yield;
  }
  out.ascii('],\n"witness": [\n');
  yield;
  for (let i = 0; i < table.count; i++) {
    table.step(i, '');
    out.ascii(i + 1 < table.count ? ',\n' : '\n');
    if ((++lines & 1023) === 0) yield;
  }
  out.ascii('],\n"reached": [\n');
  yield;
  const withPath = options.paths === true;
  const reachedCount = radius.reached.length;
  for (let i = 0; i < reachedCount; i++) {
    writer.reached(radius.reached[i]!, table.reached[i]!, withPath, '');
    out.ascii(i + 1 < reachedCount ? ',\n' : '\n');
    if ((++lines & 1023) === 0) yield;
  }
  out.ascii('],\n"dormant": [\n');
  yield;
  const dormantCount = radius.dormant.length;
  for (let i = 0; i < dormantCount; i++) {
    writer.dormant(radius.dormant[i]!, table.dormant[i]!, withPath, '');
    out.ascii(i + 1 < dormantCount ? ',\n' : '\n');
    if ((++lines & 1023) === 0) yield;
  }
  if (radius.evidence) { out.ascii('],\n"evidence": '); out.value(radius.evidence); out.ascii('}\n'); } else out.ascii(']}\n');
  yield;
}

/**
 * The radius as NDJSON written into `out`: a `summary` line, then one line per witness step (`step`, with its
 * `index`; parents come before their children), per reached node (`reached`) and per dormant node (`dormant`).
 * The generator yields after every 1,024th line.
 */
export function* radiusNdjsonParts(radius: BlastRadius, out: JsonOut, options: RadiusJsonOptions = {}): Generator<void> {
  let lines = 0;
  const flat = flatWitnessTable(radius);
  const writer = new RadiusRecordWriter(out, flat);
  const table = tableView(radius, out, writer, flat);
  out.value({ type: 'summary', ...summaryOf(radius) });
  out.byte(0x0a);
  yield;
  for (let i = 0; i < table.count; i++) {
    table.step(i, `"type":"step","index":${i},`);
    out.byte(0x0a);
    if ((++lines & 1023) === 0) yield;
  }
  const withPath = options.paths === true;
  for (let i = 0; i < radius.reached.length; i++) {
    writer.reached(radius.reached[i]!, table.reached[i]!, withPath, '"type":"reached",');
    out.byte(0x0a);
    if ((++lines & 1023) === 0) yield;
  }
  for (let i = 0; i < radius.dormant.length; i++) {
    writer.dormant(radius.dormant[i]!, table.dormant[i]!, withPath, '"type":"dormant",');
    out.byte(0x0a);
    if ((++lines & 1023) === 0) yield;
  }
  if (radius.evidence) { out.value({ type: 'evidence', ...radius.evidence }); out.byte(0x0a); yield; }
}

/** radiusJsonParts as pieces of text, each ending with a newline. */
export function radiusJsonChunks(radius: BlastRadius, options: RadiusJsonOptions = {}): Generator<string> {
  return jsonOutChunks((out) => radiusJsonParts(radius, out, options));
}

/** radiusNdjsonParts as its lines of text, one piece per line. */
export function* radiusNdjsonLines(radius: BlastRadius, options: RadiusJsonOptions = {}): Generator<string> {
  for (const piece of jsonOutChunks((out) => radiusNdjsonParts(radius, out, options))) {
    // A raw newline only ends a line: JSON escapes those inside strings.
    const lines = piece.split('\n');
    for (let i = 0; i + 1 < lines.length; i++) yield `${lines[i]!}\n`;
  }
}

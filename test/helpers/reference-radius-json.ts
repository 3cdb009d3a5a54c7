// The first streamed radius JSON and NDJSON writers (a record object and JSON.stringify per entry, a step object per
// witness step): the oracle the direct writers of engine/report/radius-json.ts are tested byte-equal against.
import { witnessOrigin, type BlastRadius, type DormantEntry, type PathStepView, type RadiusEntry, type WitnessOrigin } from '../../engine/analysis/radius.ts';
import { levelName } from '../../engine/schema/index.ts';
import { edgeIdAt, type CompactGraph } from '../../engine/store/compact.ts';
import type { RadiusJsonOptions, WitnessStep, WitnessTable } from '../../engine/report/radius-json.ts';




/**
 * Builds the witness table from the entries' paths, merging shared prefixes (a trie of paths): with a reach
 * result's witness tree every (node, level) state appears once, and paths from elsewhere (Neo4j) still share
 * what they share. Entries from `describeRadius` are read straight off the reach result's parent arrays (the
 * same table, step for step, without building a path per entry); others by reading each entry's path once.
 */
export function referenceWitnessTable(radius: Pick<BlastRadius, 'reached' | 'dormant'>): WitnessTable {
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
function witnessStep(graph: CompactGraph, parent: number, e: number, level: number): WitnessStep {
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
  const first = radius.reached[0] ?? radius.dormant[0];
  const result = first ? witnessOrigin(first)?.result : undefined;
  if (!result) return undefined;
  const origins: WitnessOrigin[] = [];
  for (const entry of [...radius.reached, ...radius.dormant]) {
    const origin = witnessOrigin(entry);
    if (origin?.result !== result) return undefined;
    origins.push(origin);
  }
  const { graph, parentEdge, parentLevel } = result;
  const steps: WitnessStep[] = [];
  const stepOfSlot = new Int32Array(graph.nodeCount * 3).fill(-1);
  const climbed: number[] = [];
  /** The table index of state (v, level)'s last step, adding what is missing; -1 for a source. */
  const stateStep = (v: number, level: number): number => {
    climbed.length = 0;
    let slot = v * 3 + level - 1;
    let parent = -1;
    for (;;) {
      const known = stepOfSlot[slot]!;
      if (known >= 0) { parent = known; break; }
      const e = parentEdge[slot]!;
      if (e < 0) break;
      climbed.push(slot);
      slot = graph.edgeSrc[e]! * 3 + parentLevel[slot]! - 1;
    }
    for (let i = climbed.length - 1; i >= 0; i--) {
      const state = climbed[i]!;
      const index = steps.length;
      steps.push(witnessStep(graph, parent, parentEdge[state]!, (state % 3) + 1));
      stepOfSlot[state] = index;
      parent = index;
    }
    return parent;
  };
  const reached = new Int32Array(radius.reached.length);
  for (let i = 0; i < radius.reached.length; i++) reached[i] = stateStep(origins[i]!.node, origins[i]!.level);
  const dormant = new Int32Array(radius.dormant.length);
  for (let i = 0; i < radius.dormant.length; i++) {
    const info = result.dormant.get(origins[radius.reached.length + i]!.node);
    if (!info || info.viaEdge < 0) { dormant[i] = -1; continue; }
    // The dormant node's own step is its path's last: unique to it, never shared.
    const parent = stateStep(graph.edgeSrc[info.viaEdge]!, info.viaLevel);
    dormant[i] = steps.length;
    steps.push(witnessStep(graph, parent, info.viaEdge, info.level));
  }
  return { steps, reached, dormant };
}


/** A reached node as the JSON writes it: `enteredFrom` is the bridge's id (its details are among the reached nodes or sources). */
type ReachedRecord = Omit<RadiusEntry, 'path' | 'enteredFrom'> & { enteredFrom: string | null; witness: number; path?: PathStepView[] };
type DormantRecord = Omit<DormantEntry, 'path'> & { witness: number; path?: PathStepView[] };

function reachedRecord(entry: RadiusEntry, witness: number, withPath: boolean): ReachedRecord {
  const { id, name, kind, platform, tenant, level, hops, tags, sensitivity, points, crownJewel, lateral, enteredFrom, controls } = entry;
  return { id, name, kind, platform, tenant, level, hops, tags, sensitivity, points, crownJewel, lateral, enteredFrom: enteredFrom?.id ?? null, controls, ...(entry.liveThrough ? { liveThrough: entry.liveThrough } : {}), witness, ...(withPath ? { path: entry.path } : {}) };
}

function dormantRecord(entry: DormantEntry, witness: number, withPath: boolean): DormantRecord {
  const { id, name, kind, platform, tenant, why, level, hops } = entry;
  return { id, name, kind, platform, tenant, why, level, hops, witness, ...(withPath ? { path: entry.path } : {}) };
}

/** Everything but the per-node lists: what the NDJSON's first line and the JSON's head carry. */
function summaryOf(radius: BlastRadius): Record<string, unknown> {
  const { sources, at, maxDepth, score, scoreParts, reachedCount, platforms, byKind, controls } = radius;
  return { sources, at, maxDepth, score, scoreParts, reachedCount, crownJewelCount: radius.crownJewels.length, dormantCount: radius.dormant.length, platforms, byKind, controls };
}

/**
 * The radius as one JSON document, in pieces that each end with a newline: the summary fields, `crownJewels`
 * (with their full `path`: few, and what a responder opens first), the `witness` table, then `reached` and
 * `dormant` one entry per line, each with `witness`, the index of its last step in the table.
 */
export function* referenceRadiusJsonChunks(radius: BlastRadius, options: RadiusJsonOptions = {}): Generator<string> {
  const table = referenceWitnessTable(radius);
  const summary = JSON.stringify(summaryOf(radius));
  yield `${summary.slice(0, -1)},\n`;
  const reachedIndex = new Map<RadiusEntry, number>();
  radius.reached.forEach((entry, i) => reachedIndex.set(entry, i));
  yield '"crownJewels": [\n';
  for (let i = 0; i < radius.crownJewels.length; i++) {
    const entry = radius.crownJewels[i]!;
    yield `${JSON.stringify(reachedRecord(entry, table.reached[reachedIndex.get(entry) ?? -1] ?? -1, true))}${i + 1 < radius.crownJewels.length ? ',' : ''}\n`;
  }
  yield '],\n"witness": [\n';
  for (let i = 0; i < table.steps.length; i++) yield `${JSON.stringify(table.steps[i])}${i + 1 < table.steps.length ? ',' : ''}\n`;
  yield '],\n"reached": [\n';
  const withPath = options.paths === true;
  for (let i = 0; i < radius.reached.length; i++) {
    yield `${JSON.stringify(reachedRecord(radius.reached[i]!, table.reached[i]!, withPath))}${i + 1 < radius.reached.length ? ',' : ''}\n`;
  }
  yield '],\n"dormant": [\n';
  for (let i = 0; i < radius.dormant.length; i++) {
    yield `${JSON.stringify(dormantRecord(radius.dormant[i]!, table.dormant[i]!, withPath))}${i + 1 < radius.dormant.length ? ',' : ''}\n`;
  }
  yield ']}\n';
}

/**
 * The radius as NDJSON: a `summary` line, then one line per witness step (`step`, with its `index`; parents
 * come before their children), per reached node (`reached`) and per dormant node (`dormant`).
 */
export function* referenceRadiusNdjsonLines(radius: BlastRadius, options: RadiusJsonOptions = {}): Generator<string> {
  const table = referenceWitnessTable(radius);
  yield `${JSON.stringify({ type: 'summary', ...summaryOf(radius) })}\n`;
  for (let i = 0; i < table.steps.length; i++) yield `${JSON.stringify({ type: 'step', index: i, ...table.steps[i] })}\n`;
  const withPath = options.paths === true;
  for (let i = 0; i < radius.reached.length; i++) yield `${JSON.stringify({ type: 'reached', ...reachedRecord(radius.reached[i]!, table.reached[i]!, withPath) })}\n`;
  for (let i = 0; i < radius.dormant.length; i++) yield `${JSON.stringify({ type: 'dormant', ...dormantRecord(radius.dormant[i]!, table.dormant[i]!, withPath) })}\n`;
}

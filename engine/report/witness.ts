// A shared witness table built from path views as entries are written (whatif's removed nodes, paths' lateral
// targets): each step once, with its parent's index, so witness paths share their prefixes instead of repeating.
import { WITNESS_STATE, type WitnessState } from '../analysis/paths.ts';
import { nodeRef, stepView, type NodeRef, type PathStepView } from '../analysis/radius.ts';
import { levelName } from '../schema/index.ts';
import type { CompactGraph, EdgeAttrs } from '../store/compact.ts';
import type { ReachResult } from '../analysis/reach.ts';
import type { JsonOut } from './json-out.ts';

/**
 * One step of the table: `parent` is the index of the step before it (-1 when the step leaves a source, and
 * then the step also has `from`); `to` is the node it leads to, in full (these reports do not list every node
 * elsewhere, unlike the radius JSON), and the rest is the step as a path view has it (edgeId, kind, level, ...).
 */
export interface WitnessViewStep extends Omit<PathStepView, 'from'> {
  parent: number;
  from?: NodeRef;
}

/**
 * Steps in the order they were first seen (a parent always before its children). `add` returns the index of
 * a path's last step (-1 for an empty path); the same prefix, from the same source, is stored once. Steps
 * numbered off a reach result's witness tree are kept as (parent, edge, level) numbers: `steps` builds their
 * views when read, `writeStep` writes them straight from the graph.
 */
export class WitnessTableBuilder {
  readonly #parent: number[] = [];
  readonly #edge: number[] = [];
  readonly #level: number[] = [];
  /** Per step: its graph (steps from a witness tree), or its view (steps from path views). */
  readonly #origin: (CompactGraph | WitnessViewStep)[] = [];
  #views: WitnessViewStep[] | undefined;
  readonly #index = new Map<string, number>();
  /** Per reach result, the step index of each (node, level) state already in the table (-1: not yet). */
  readonly #stateIndex = new Map<ReachResult, Int32Array>();

  /** How many steps the table holds. */
  get size(): number {
    return this.#parent.length;
  }

  /** Every step as a view (built on first read after a change). */
  get steps(): WitnessViewStep[] {
    const views = this.#views ?? [];
    for (let i = views.length; i < this.#parent.length; i++) views.push(this.view(i));
    return this.#views = views;
  }

  private view(i: number): WitnessViewStep {
    const origin = this.#origin[i]!;
    if (!('nodeCount' in origin)) return origin;
    const graph = origin;
    const e = this.#edge[i]!;
    const parent = this.#parent[i]!;
    const { from, ...rest } = stepView(graph, { edge: e, from: graph.edgeSrc[e]!, to: graph.edgeDst[e]!, fromLevel: 0, toLevel: this.#level[i]! });
    return parent < 0 ? { parent, from, ...rest } : { parent, ...rest };
  }

  /**
   * The index of an entry's last step: from its reach result's witness tree when it says where its path
   * starts (only the states not yet in the table are visited), otherwise from its path views.
   */
  addEntry(entry: object, path: () => readonly PathStepView[]): number {
    const state = (entry as { [WITNESS_STATE]?: () => WitnessState })[WITNESS_STATE]?.();
    return state ? this.addState(state) : this.add(path());
  }

  addState({ result, node, level }: WitnessState): number {
    return this.addNode(result, node, level);
  }

  /** `addState` of state (node, level) of `result`'s witness tree. */
  addNode(result: ReachResult, node: number, level: number): number {
    const { graph, parentEdge, parentLevel } = result;
    let known = this.#stateIndex.get(result);
    if (!known) {
      known = new Int32Array(graph.nodeCount * 3).fill(-1);
      this.#stateIndex.set(result, known);
    }
    // Up the witness tree to a state already numbered, or to a source.
    const chain: number[] = [];
    let slot = node * 3 + level - 1;
    while (known[slot]! < 0 && parentEdge[slot]! >= 0) {
      chain.push(slot);
      const e = parentEdge[slot]!;
      slot = graph.edgeSrc[e]! * 3 + parentLevel[slot]! - 1;
    }
    let parent = known[slot]!;
    for (let i = chain.length - 1; i >= 0; i--) {
      const child = chain[i]!;
      const index = this.#parent.length;
      this.#parent.push(parent);
      this.#edge.push(parentEdge[child]!);
      this.#level.push((child % 3) + 1);
      this.#origin.push(graph);
      known[child] = index;
      parent = index;
    }
    return parent;
  }

  add(path: readonly PathStepView[]): number {
    let parent = -1;
    for (const step of path) {
      const key = parent < 0 ? `-1\u0000${step.from.id}\u0000${step.edgeId}\u0000${step.level}` : `${parent}\u0000${step.edgeId}\u0000${step.level}`;
      let found = this.#index.get(key);
      if (found === undefined) {
        const { from, ...rest } = step;
        found = this.#parent.length;
        this.#parent.push(parent);
        this.#edge.push(-1);
        this.#level.push(0);
        this.#origin.push(parent < 0 ? { parent, from, ...rest } : { parent, ...rest });
        this.#index.set(key, found);
      }
      parent = found;
    }
    return parent;
  }

  /** Step `i` as JSON.stringify writes its view, written from the graph's columns when it comes from a witness tree. */
  writeStep(out: JsonOut, i: number): void {
    const origin = this.#origin[i]!;
    if (!('nodeCount' in origin)) { out.data(origin); return; }
    const graph = origin;
    const e = this.#edge[i]!;
    const parent = this.#parent[i]!;
    const attrs = graph.edgeAttrs[e];
    out.ascii('{"parent":');
    out.int(parent);
    if (parent < 0) { out.ascii(',"from":'); writeNodeRef(out, graph, graph.edgeSrc[e]!); }
    out.ascii(',"edgeId":');
    writeEdgeId(out, graph, e);
    out.ascii(',"kind":');
    out.repeated(graph.edgeKindNames[graph.edgeKind[e]!]!);
    out.ascii(',"to":');
    writeNodeRef(out, graph, graph.edgeDst[e]!);
    out.ascii(',"level":"');
    out.ascii(levelName(this.#level[i]!));
    out.byte(0x22);
    writeEdgeAttrFields(out, attrs);
    out.byte(0x7d);
  }

  /** Per step, its path's platform chain as a number (-1: not yet known); the chains and their JSON, by number. */
  readonly #chainOf: number[] = [];
  readonly #chains: { platforms: string[]; json: Uint8Array }[] = [];
  readonly #chainIndex = new Map<string, number>();

  /**
   * `platforms(last)` as the UTF-8 bytes of its JSON array: paths share prefixes and their platform chains are few,
   * so each chain is made and encoded once, and each step's found from its parent's.
   */
  platformsJson(last: number): Uint8Array {
    if (last < 0) return EMPTY_LIST;
    // Up to a step whose chain is known (or a source), then each step's chain from its parent's, downwards.
    const pending: number[] = [];
    let i = last;
    while (i >= 0 && (this.#chainOf[i] ?? -1) < 0) { pending.push(i); i = this.#parent[i]!; }
    let chain = i < 0 ? -1 : this.#chainOf[i]!;
    for (let k = pending.length - 1; k >= 0; k--) {
      const step = pending[k]!;
      const base = chain < 0 ? [this.#platformAt(step, 'from')] : this.#chains[chain]!.platforms;
      const to = this.#platformAt(step, 'to');
      const platforms = base[base.length - 1] === to ? base : [...base, to];
      const key = platforms.join('\u0000');
      let found = this.#chainIndex.get(key);
      if (found === undefined) {
        found = this.#chains.length;
        this.#chains.push({ platforms, json: JSON_ENCODER.encode(JSON.stringify(platforms)) });
        this.#chainIndex.set(key, found);
      }
      this.#chainOf[step] = chain = found;
    }
    return this.#chains[chain]!.json;
  }

  #platformAt(i: number, end: 'from' | 'to'): string {
    const origin = this.#origin[i]!;
    if (!('nodeCount' in origin)) return end === 'to' ? origin.to.platform : origin.from!.platform;
    const e = this.#edge[i]!;
    return origin.nodes[end === 'to' ? origin.edgeDst[e]! : origin.edgeSrc[e]!]!.platform;
  }

  /** The platforms the path ending at step `last` passes through, in order (platformsFromTable without the views). */
  platforms(last: number): string[] {
    const reversed: string[] = [];
    const push = (platform: string) => { if (reversed[reversed.length - 1] !== platform) reversed.push(platform); };
    for (let i = last; i >= 0; i = this.#parent[i]!) {
      const origin = this.#origin[i]!;
      if (!('nodeCount' in origin)) {
        push(origin.to.platform);
        if (origin.parent < 0) push(origin.from!.platform);
        continue;
      }
      const e = this.#edge[i]!;
      push(origin.nodes[origin.edgeDst[e]!]!.platform);
      if (this.#parent[i]! < 0) push(origin.nodes[origin.edgeSrc[e]!]!.platform);
    }
    return reversed.reverse();
  }
}

const JSON_ENCODER = new TextEncoder();
const EMPTY_LIST = JSON_ENCODER.encode('[]');

/** A node's NodeRef (`nodeRef`) as JSON.stringify writes it. */
export function writeNodeRef(out: JsonOut, graph: CompactGraph, v: number): void {
  const node = graph.nodes[v]!;
  if (typeof node.id !== 'string' || typeof node.name !== 'string' || typeof node.kind !== 'string' || typeof node.platform !== 'string' || typeof node.tenant !== 'string') {
    out.data(nodeRef(graph, v));
    return;
  }
  out.byte(0x7b);
  writeRefFields(out, node as NodeRef);
  out.byte(0x7d);
}

/** A NodeRef's fields (`"id":…,"tenant":…`) in `nodeRef`'s order, without the braces. */
export function writeRefFields(out: JsonOut, ref: NodeRef): void {
  out.ascii('"id":');
  out.str(ref.id);
  out.ascii(',"name":');
  out.str(ref.name);
  out.ascii(',"kind":');
  out.repeated(ref.kind);
  out.ascii(',"platform":');
  out.repeated(ref.platform);
  out.ascii(',"tenant":');
  out.repeated(ref.tenant);
}

/** A witness step's edge properties (`,"scopes":…` to `,"derivedFrom":…`), those the edge has, in `witnessStep`'s order. */
export function writeEdgeAttrFields(out: JsonOut, attrs: EdgeAttrs | undefined): void {
  if (attrs === undefined) return;
  if (attrs.scopes) { out.ascii(',"scopes":'); out.value(attrs.scopes); }
  if (attrs.reason) { out.ascii(',"reason":'); out.str(attrs.reason); }
  if (attrs.grant) { out.ascii(',"grant":'); out.str(attrs.grant); }
  if (attrs.conditions) { out.ascii(',"conditions":'); out.value(attrs.conditions); }
  if (attrs.derivedFrom) { out.ascii(',"derivedFrom":'); out.str(attrs.derivedFrom); }
}

/** Edge `e`'s id (`edgeIdAt`) as a JSON string, written from its parts when the edge has no id of its own. */
export function writeEdgeId(out: JsonOut, graph: CompactGraph, e: number): void {
  const attrs = graph.edgeAttrs[e];
  if (attrs?.id !== undefined) { out.str(attrs.id); return; }
  out.byte(0x22);
  out.strBody(graph.nodes[graph.edgeSrc[e]!]!.id);
  out.byte(0x7c);
  out.strBody(graph.edgeKindNames[graph.edgeKind[e]!]!);
  out.byte(0x7c);
  out.strBody(graph.nodes[graph.edgeDst[e]!]!.id);
  if (attrs?.grant !== undefined) { out.byte(0x7c); out.strBody(attrs.grant); }
  if (attrs?.derivedFrom !== undefined) { out.ascii('|via:'); out.strBody(attrs.derivedFrom); }
  out.byte(0x22);
}

/** A path rebuilt from the table (what a consumer of the JSON does): the step views as the entry had them. */
export function pathFromViewTable(steps: readonly WitnessViewStep[], last: number): PathStepView[] {
  const path: PathStepView[] = [];
  for (let i = last; i >= 0; i = steps[i]!.parent) {
    const { parent, from, ...rest } = steps[i]!;
    path.push({ ...rest, from: parent < 0 ? from! : steps[parent]!.to });
  }
  return path.reverse();
}

/** The platforms a tabled path passes through, in order, from its source's (as platformChain on the path). */
export function platformsFromTable(steps: readonly WitnessViewStep[], last: number): string[] {
  const reversed: string[] = [];
  const push = (platform: string) => { if (reversed[reversed.length - 1] !== platform) reversed.push(platform); };
  for (let i = last; i >= 0; i = steps[i]!.parent) {
    push(steps[i]!.to.platform);
    if (steps[i]!.parent < 0) push(steps[i]!.from!.platform);
  }
  return reversed.reverse();
}

/** The `"witness": [...]` member of a streamed JSON document, one step per line (no trailing comma). */
export function* witnessChunks(steps: readonly WitnessViewStep[]): Generator<string> {
  yield '"witness": [\n';
  for (let i = 0; i < steps.length; i++) yield `${JSON.stringify(steps[i])}${i + 1 < steps.length ? ',' : ''}\n`;
  yield ']';
}

/** The `"witness": [...]` member written into a JsonOut from the builder (no trailing comma); yields after every 1,024th line. */
export function* witnessParts(out: JsonOut, table: WitnessTableBuilder): Generator<void> {
  out.ascii('"witness": [\n');
  const count = table.size;
  for (let i = 0; i < count; i++) {
    table.writeStep(out, i);
    out.ascii(i + 1 < count ? ',\n' : '\n');
    if ((i & 1023) === 1023) yield;
  }
  out.byte(0x5d);
}

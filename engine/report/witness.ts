// A shared witness table built from path views as entries are written (whatif's removed nodes, paths' lateral
// targets): each step once, with its parent's index, so witness paths share their prefixes instead of repeating.
import { WITNESS_STATE, type WitnessState } from '../analysis/paths.ts';
import { stepView, type NodeRef, type PathStepView } from '../analysis/radius.ts';
import type { ReachResult } from '../analysis/reach.ts';

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
 * a path's last step (-1 for an empty path); the same prefix, from the same source, is stored once.
 */
export class WitnessTableBuilder {
  readonly steps: WitnessViewStep[] = [];
  readonly #index = new Map<string, number>();
  /** Per reach result, the step index of each (node, level) state already in the table (-1: not yet). */
  readonly #stateIndex = new Map<ReachResult, Int32Array>();

  /**
   * The index of an entry's last step: from its reach result's witness tree when it says where its path
   * starts (only the states not yet in the table are visited, each step's view built once), otherwise
   * from its path views.
   */
  addEntry(entry: object, path: () => readonly PathStepView[]): number {
    const state = (entry as { [WITNESS_STATE]?: () => WitnessState })[WITNESS_STATE]?.();
    return state ? this.addState(state) : this.add(path());
  }

  addState({ result, node, level }: WitnessState): number {
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
      const e = parentEdge[child]!;
      const from = graph.edgeSrc[e]!;
      const view = stepView(graph, { edge: e, from, to: (child / 3) | 0, fromLevel: parentLevel[child]!, toLevel: (child % 3) + 1 });
      const { from: fromRef, ...rest } = view;
      const index = this.steps.length;
      this.steps.push(parent < 0 ? { parent, from: fromRef, ...rest } : { parent, ...rest });
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
        found = this.steps.length;
        this.steps.push(parent < 0 ? { parent, from, ...rest } : { parent, ...rest });
        this.#index.set(key, found);
      }
      parent = found;
    }
    return parent;
  }
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

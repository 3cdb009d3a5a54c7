// A shared witness table built from path views as entries are written (whatif's removed nodes, paths' lateral
// targets): each step once, with its parent's index, so witness paths share their prefixes instead of repeating.
import type { NodeRef, PathStepView } from '../analysis/radius.ts';

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

/** The `"witness": [...]` member of a streamed JSON document, one step per line (no trailing comma). */
export function* witnessChunks(steps: readonly WitnessViewStep[]): Generator<string> {
  yield '"witness": [\n';
  for (let i = 0; i < steps.length; i++) yield `${JSON.stringify(steps[i])}${i + 1 < steps.length ? ',' : ''}\n`;
  yield ']';
}

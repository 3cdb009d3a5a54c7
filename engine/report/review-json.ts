// The review as JSON that scales: written piece by piece (never one giant string), violations and exposure changes one
// element at a time, and the authority added in the shape `radius --format json` writes (witness paths in one table).
import { exposureChangeSteps, type ExposureChange, type ReviewResult } from '../analysis/review.ts';
import type { RadiusEntry } from '../analysis/radius.ts';
import { radiusJsonChunks, radiusJsonParts, witnessStep, witnessTableFromPaths, type WitnessStep } from './radius-json.ts';
import type { JsonOut } from './json-out.ts';

/** A value pretty-printed as `JSON.stringify(value, null, 2)` would print it `depth` levels in. */
const indented = (value: unknown, depth: number): string => JSON.stringify(value, null, 2).replace(/\n/g, `\n${'  '.repeat(depth)}`);

function* arrayChunks<T>(name: string, list: readonly T[], last: boolean, record: (item: T, i: number) => unknown = (item) => item): Generator<string> {
  if (list.length === 0) { yield `  ${JSON.stringify(name)}: []${last ? '' : ','}\n`; return; }
  yield `  ${JSON.stringify(name)}: [\n`;
  // One element per line, as the radius writes its entries: indenting tens of thousands of records doubled the output.
  // Each element is made into its record only when written (one at a time, not a list of them all).
  for (let i = 0; i < list.length; i++) yield `    ${JSON.stringify(record(list[i]!, i))}${i + 1 < list.length ? ',' : ''}\n`;
  yield `  ]${last ? '' : ','}\n`;
}

/**
 * The review as one JSON document, in pieces: `passed`, `at`, `proposal`, `rules`,
 * `counts`, then `violations` and `subjects` one element per line, `addedAuthority` as `radius --format json` writes
 * a radius, `exposureWitness` (the witness steps of every exposure change, shared: `parent` is the step before, -1 when
 * the step leaves the source) and `exposureChanges` one element per line, each naming its last step in `witness`
 * instead of carrying its `path`. A proposal that reaches a large enterprise changes the
 * exposure of tens of thousands of resources; none of it is ever held as one string.
 */
export function* reviewJsonChunks(result: ReviewResult): Generator<string> {
  yield* headChunks(result);
  yield* radiusJsonChunks(result.addedAuthority);
  yield* tailChunks(result);
}

/**
 * reviewJsonChunks written into a JsonOut (the same bytes): the added authority, most of the document at scale, goes
 * from the radius's own byte writer to the sink, never through text; the rest is written as its pieces of text.
 */
export function* reviewJsonParts(result: ReviewResult, out: JsonOut): Generator<void> {
  for (const piece of headChunks(result)) { out.text(piece); yield; }
  yield* radiusJsonParts(result.addedAuthority, out);
  for (const piece of tailChunks(result)) { out.text(piece); yield; }
}

/** The document up to the added authority's value. */
function* headChunks(result: ReviewResult): Generator<string> {
  const { passed, at, proposal, rules, counts } = result;
  const head = indented({ passed, at, proposal, rules, counts }, 0);
  yield `${head.slice(0, -2)},\n`;
  yield* arrayChunks('violations', result.violations, false);
  yield* arrayChunks('subjects', result.subjects, false);
  yield '  "addedAuthority": ';
}

/** The document after the added authority's value. */
function* tailChunks(result: ReviewResult): Generator<string> {
  yield ',\n';
  // Every change's witness path, shared in one table of steps (parent pointers, as the radius writes its own): the
  // paths of a proposal's gains are branches of a few reach trees, and repeated per change they ran to a gigabyte.
  const table = changeWitnessTable(result.exposureChanges);
  yield* arrayChunks('exposureWitness', table.steps, false);
  yield* arrayChunks('exposureChanges', result.exposureChanges, true, (change, i) => {
    // Every field but `path` (a getter that would make the path again), then the witness index.
    const record: Record<string, unknown> = {};
    for (const key of Object.keys(change) as (keyof ExposureChange)[]) if (key !== 'path') record[key] = change[key];
    record.witness = table.last[i]!;
    return record;
  });
  yield '}\n';
}

/**
 * The exposure changes' witness paths as one table: steps keyed by (step before, edge, level obtained), read off the
 * gains' witness steps; the trie of the paths' views (witnessTableFromPaths) for changes built elsewhere.
 */
function changeWitnessTable(changes: readonly ExposureChange[]): { steps: WitnessStep[]; last: Int32Array } {
  const origins = changes.map(exposureChangeSteps);
  if (origins.some((origin) => origin === undefined)) {
    const table = witnessTableFromPaths({ reached: changes.map((change) => ({ path: change.path }) as RadiusEntry), dormant: [] });
    return { steps: table.steps, last: table.reached };
  }
  const steps: WitnessStep[] = [];
  const index = new Map<number, number>();
  const last = new Int32Array(changes.length);
  origins.forEach((origin, i) => {
    const { graph, steps: path } = origin!;
    let parent = -1;
    for (const step of path) {
      const key = ((parent + 1) * graph.edgeCount + step.edge) * 4 + step.toLevel;
      let found = index.get(key);
      if (found === undefined) {
        found = steps.length;
        steps.push(witnessStep(graph, parent, step.edge, step.toLevel));
        index.set(key, found);
      }
      parent = found;
    }
    last[i] = parent;
  });
  return { steps, last };
}

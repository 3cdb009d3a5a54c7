// The review as JSON that scales: written piece by piece (never one giant string), violations and exposure changes one
// element at a time, and the authority added in the shape `radius --format json` writes (witness paths in one table).
import type { ReviewResult } from '../analysis/review.ts';
import type { RadiusEntry } from '../analysis/radius.ts';
import { radiusJsonChunks, witnessTableFromPaths } from './radius-json.ts';

/** A value pretty-printed as `JSON.stringify(value, null, 2)` would print it `depth` levels in. */
const indented = (value: unknown, depth: number): string => JSON.stringify(value, null, 2).replace(/\n/g, `\n${'  '.repeat(depth)}`);

function* arrayChunks(name: string, list: readonly unknown[], last: boolean): Generator<string> {
  if (list.length === 0) { yield `  ${JSON.stringify(name)}: []${last ? '' : ','}\n`; return; }
  yield `  ${JSON.stringify(name)}: [\n`;
  for (let i = 0; i < list.length; i++) yield `    ${indented(list[i], 2)}${i + 1 < list.length ? ',' : ''}\n`;
  yield `  ]${last ? '' : ','}\n`;
}

/**
 * The review as one JSON document, in pieces: `passed`, `at`, `proposal`, `rules`,
 * `counts`, then `violations` and `subjects` one element at a time, `addedAuthority` as `radius --format json` writes
 * a radius, `exposureWitness` (the witness steps of every exposure change, shared: `parent` is the step before, -1 when
 * the step leaves the source) and `exposureChanges` one element at a time, each naming its last step in `witness`
 * instead of carrying its `path`. A proposal that reaches a large enterprise changes the
 * exposure of tens of thousands of resources; none of it is ever held as one string.
 */
export function* reviewJsonChunks(result: ReviewResult): Generator<string> {
  const { passed, at, proposal, rules, counts } = result;
  const head = indented({ passed, at, proposal, rules, counts }, 0);
  yield `${head.slice(0, -2)},\n`;
  yield* arrayChunks('violations', result.violations, false);
  yield* arrayChunks('subjects', result.subjects, false);
  yield '  "addedAuthority": ';
  yield* radiusJsonChunks(result.addedAuthority);
  yield ',\n';
  // Every change's witness path, shared in one table of steps (parent pointers, as the radius writes its own): the
  // paths of a proposal's gains are branches of a few reach trees, and repeated per change they ran to a gigabyte.
  const table = witnessTableFromPaths({ reached: result.exposureChanges.map((change) => ({ path: change.path }) as RadiusEntry), dormant: [] });
  yield* arrayChunks('exposureWitness', table.steps, false);
  yield* arrayChunks('exposureChanges', result.exposureChanges.map(({ path: _path, ...change }, i) => ({ ...change, witness: table.reached[i]! })), true);
  yield '}\n';
}

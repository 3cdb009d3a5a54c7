// The analysis kernels behind each command, timed in one process on a loaded snapshot (started by
// test/bench/commands.ts): the engine call a command makes before it writes its report. Also picks what the
// end-to-end runs ask about: the riskiest connector and the crown jewel it reaches that most sources reach.
// Prints one JSON line last.
import { exposureOf } from '../../engine/analysis/exposure.ts';
import { findingsReport } from '../../engine/analysis/findings.ts';
import { lateralPaths } from '../../engine/analysis/paths.ts';
import { revocationPlan } from '../../engine/analysis/plan.ts';
import { CROWN_JEWEL_TAG } from '../../engine/analysis/radius.ts';
import { rankNodes } from '../../engine/analysis/rank.ts';
import { reach, toInstant } from '../../engine/analysis/reach.ts';
import { respondPlan } from '../../engine/analysis/respond.ts';
import { whatIf } from '../../engine/analysis/whatif.ts';
import { readSnapshotFile } from '../../cli/snapshot-file.ts';

const args = process.argv.slice(2);
const arg = (name: string): string => {
  const i = args.indexOf(`--${name}`);
  if (i < 0 || args[i + 1] === undefined) throw new Error(`bench kernels: --${name} is required`);
  return args[i + 1]!;
};
const at = toInstant(arg('at'));
const since = arg('since');

const time = <T>(work: () => T): { ms: number; value: T } => {
  const start = performance.now();
  const value = work();
  return { ms: performance.now() - start, value };
};

const loaded = time(() => readSnapshotFile(arg('snapshot')));
const graph = loaded.value;
const ranked = time(() => rankNodes(graph, { at, kinds: ['App'], top: 1 }));
const app = ranked.value[0];
if (app === undefined) throw new Error('bench kernels: the graph has no App to rank');
const source = app.index;
const radius = time(() => reach(graph, [source], { at }));

// The crown jewel to ask `exposure` about: the first one the radius reaches (in index order, deterministic).
let crownJewel = -1;
for (let v = 0; v < graph.nodeCount && crownJewel < 0; v++) {
  if (radius.value.level[v]! > 0 && graph.nodes[v]!.tags?.includes(CROWN_JEWEL_TAG)) crownJewel = v;
}
if (crownJewel < 0) throw new Error('bench kernels: the riskiest App reaches no crown jewel');

const kernels: Record<string, number> = {
  load: loaded.ms,
  radius: radius.ms,
  rank: ranked.ms,
  plan: time(() => revocationPlan(graph, [source], { at })).ms,
  respond: time(() => respondPlan(graph, [source], { at, since })).ms,
  whatif: time(() => whatIf(graph, [source], [{ disable: app.id }], { at })).ms,
  paths: time(() => lateralPaths(graph, [source], { at })).ms,
  exposure: time(() => exposureOf(graph, crownJewel, { at })).ms,
  findings: time(() => findingsReport(graph, { at })).ms,
};

process.stdout.write(`${JSON.stringify({ app: app.id, crownJewel: graph.nodes[crownJewel]!.id, kernels })}\n`);

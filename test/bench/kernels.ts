// The analysis kernels behind each command, timed in one process on a loaded snapshot (started by
// test/bench/commands.ts): the engine call a command makes before it writes its report. Also picks what the
// end-to-end runs ask about (the riskiest connector and the first crown jewel it reaches), or with `--only <kernel>`
// times one kernel. Prints one JSON line last.
import { exposureOf } from '../../engine/analysis/exposure.ts';
import { evaluateFindings } from '../../engine/analysis/findings.ts';
import { findingsTextChunks } from '../../engine/report/findings.ts';
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
const since = args.includes('--since') ? arg('since') : undefined;

const time = <T>(work: () => T): { ms: number; value: T } => {
  const start = performance.now();
  const value = work();
  return { ms: performance.now() - start, value };
};

const only = args.includes('--only') ? arg('only') : undefined;
const loaded = time(() => readSnapshotFile(arg('snapshot')));
const graph = loaded.value;

if (only !== undefined) {
  // One kernel on a connector and crown jewel picked before (`--app`, `--crown-jewel`): a kernel that runs too long
  // is stopped by the runner's timeout without losing the others.
  const source = graph.indexOf.get(arg('app'));
  const target = graph.indexOf.get(arg('crown-jewel'));
  if (source === undefined || target === undefined) throw new Error('bench kernels: --app or --crown-jewel is not in the graph');
  const app = arg('app');
  const kernels: Record<string, () => unknown> = {
    plan: () => revocationPlan(graph, [source], { at }),
    respond: () => respondPlan(graph, [source], { at, since }),
    whatif: () => whatIf(graph, [source], [{ disable: app }], { at }),
    paths: () => lateralPaths(graph, [source], { at }),
    exposure: () => exposureOf(graph, target, { at }),
    findings: () => [...findingsTextChunks(evaluateFindings(graph, { at }))].length,
  };
  const kernel = kernels[only];
  if (kernel === undefined) throw new Error(`bench kernels: no kernel ${only}`);
  process.stdout.write(`${JSON.stringify({ kernel: only, ms: time(kernel).ms })}\n`);
} else {
  const ranked = time(() => rankNodes(graph, { at, kinds: ['App'], top: 1 }));
  const app = ranked.value[0];
  if (app === undefined) throw new Error('bench kernels: the graph has no App to rank');
  const radius = time(() => reach(graph, [app.index], { at }));
  // The crown jewel to ask `exposure` about: the first one the radius reaches (in index order, deterministic).
  let crownJewel = -1;
  for (let v = 0; v < graph.nodeCount && crownJewel < 0; v++) {
    if (radius.value.level[v]! > 0 && graph.nodes[v]!.tags?.includes(CROWN_JEWEL_TAG)) crownJewel = v;
  }
  if (crownJewel < 0) throw new Error('bench kernels: the riskiest App reaches no crown jewel');
  process.stdout.write(`${JSON.stringify({ app: app.id, crownJewel: graph.nodes[crownJewel]!.id, kernels: { load: loaded.ms, radius: radius.ms, rank: ranked.ms } })}\n`);
}

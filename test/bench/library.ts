// The library's second question (issue #17: "a second question on a loaded graph (server, library) <= 10x its
// kernel time"): started by test/bench/commands.ts in its own process, it loads a snapshot through the package's
// public API (`decodeSnapshot` of the compiled package's entry point, as a program using `blastmap` does) and asks
// the five questions the server is asked, each twice: blastRadius, revocationPlan, whatIf, exposureOf, respondPlan.
// Prints one JSON line last: per question the first and second time in ms.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const arg = (name: string): string => {
  const i = args.indexOf(`--${name}`);
  if (i < 0 || args[i + 1] === undefined) throw new Error(`bench library: --${name} is required`);
  return args[i + 1]!;
};
// The compiled package (`npm run build`), through its main entry point: what `import ... from 'blastmap'` loads.
const api = await import(pathToFileURL(join(arg('root'), 'dist/engine/index.js')).href) as typeof import('../../engine/index.ts');
const graph = api.decodeSnapshot(readFileSync(arg('snapshot')));
const at = arg('at');
const since = arg('since');
const app = api.resolveNode(graph, arg('app'));
const crownJewel = api.resolveNode(graph, arg('crown-jewel'));
const appId = graph.nodes[app]!.id;

const questions: Record<string, () => unknown> = {
  radius: () => api.blastRadius(graph, [app], { at }),
  plan: () => api.revocationPlan(graph, [app], { at }),
  whatif: () => api.whatIf(graph, [app], [{ disable: appId }], { at }),
  exposure: () => api.exposureOf(graph, crownJewel, { at }),
  respond: () => api.respondPlan(graph, [app], { at, since }),
};
const out: Record<string, { firstMs: number; secondMs: number }> = {};
for (const [name, ask] of Object.entries(questions)) {
  const times: number[] = [];
  for (let i = 0; i < 2; i++) {
    const start = performance.now();
    ask();
    times.push(performance.now() - start);
  }
  out[name] = { firstMs: times[0]!, secondMs: times[1]! };
  process.stderr.write(`library ${name}: ${times.map((t) => t.toFixed(0)).join(' ms, then ')} ms\n`);
}
process.stdout.write(`${JSON.stringify(out)}\n`);

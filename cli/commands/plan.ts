// `blastmap plan <node...>`: choke points of a blast radius and a greedy revocation plan of up to --steps
// cuts, each re-evaluated after the ones before it, with the score it removes.
import type { Command } from 'commander';
import { planWithChokePoints } from '../../engine/analysis/plan.ts';
import { blastRadius } from '../../engine/analysis/radius.ts';
import { renderPlanHtml } from '../../engine/report/html.ts';
import { renderPlanMarkdown, renderPlanText } from '../../engine/report/plan.ts';
import { resolveNode } from '../../engine/store/lookup.ts';
import { parseCount, parseFormat, writeChunks, type Io } from '../context.ts';
import { loadGraph } from '../load-graph.ts';
import { jsonDocument } from '../json-stream.ts';
import { addReachOptions, toReachOptions, type ReachFlags } from '../reach-options.ts';

interface PlanFlags extends ReachFlags { graph?: string; format?: string; steps?: string; top?: string; all?: boolean }

export function registerPlan(program: Command, io: Io): void {
  const command = program
    .command('plan')
    .description('what to revoke first: choke points of the blast radius and a greedy plan of cuts, each with the score it removes')
    .argument('<nodes...>', 'compromised node ids or exact names (several = one attacker holding all of them)')
    .option('-k, --steps <count>', 'most cuts in the plan (default 5)')
    .option('--top <count>', 'choke points to list (default 10; 0 for none)')
    .option('-g, --graph <snapshot|file|folder>', 'graph to analyse (default $BLASTMAP_GRAPH or .blastmap/graph.bmap)')
    .option('-f, --format <format>', 'text, json, markdown or html (the brief with drawn paths, then the plan)', 'text')
    .option('--all', 'html: list every crown jewel (each drawn) and every reached node, not the top entries of each group');
  addReachOptions(command).action(async (nodes: string[], flags: PlanFlags) => {
    const format = parseFormat(flags.format, ['text', 'json', 'markdown', 'html']);
    const options = toReachOptions(flags);
    const steps = parseCount('--steps', flags.steps) ?? 5;
    const top = parseCount('--top', flags.top) ?? 10;
    const graph = await loadGraph(flags.graph);
    const sources = nodes.map((reference) => resolveNode(graph, reference));
    const { plan, chokePoints: chokes } = planWithChokePoints(graph, sources, { ...options, steps, top });
    if (format === 'json') writeChunks(io, jsonDocument({ chokePoints: chokes ?? null, plan }));
    else if (format === 'html') io.out(renderPlanHtml(plan, { radius: blastRadius(graph, sources, options), all: flags.all === true, ...(chokes ? { chokePoints: chokes } : {}) }));
    else if (format === 'markdown') io.out(renderPlanMarkdown(plan, chokes ? { chokePoints: chokes } : {}));
    else io.out(renderPlanText(plan, { style: io.color, ...(chokes ? { chokePoints: chokes } : {}) }));
  });
}

// `blastmap respond <node...>`: assume breach since --since and print the containment plan: contain the source (a
// vendor-wide kill for a vendor), rotate every harvested credential, cut what is still live, hunt, clean up.
import type { Command } from 'commander';
import { respondPlan } from '../../engine/analysis/respond.ts';
import { renderRespondHtml, renderRespondMarkdown, renderRespondText, respondJsonChunks } from '../../engine/report/respond.ts';
import { resolveNode } from '../../engine/store/lookup.ts';
import { resolveEvidence } from '../../engine/evidence/report.ts';
import { respondWithEvidence } from '../../engine/evidence/respond.ts';
import { addEvidenceOptions, loadEvidenceStore, type EvidenceFlags } from '../evidence.ts';
import { parseAt, parseCount, parseFormat, writeChunks, type Io } from '../context.ts';
import { loadGraph } from '../load-graph.ts';
import { addReachOptions, toReachOptions, type ReachFlags } from '../reach-options.ts';

interface RespondFlags extends ReachFlags, EvidenceFlags { graph?: string; format?: string; since?: string; steps?: string; all?: boolean }

export function registerRespond(program: Command, io: Io): void {
  const command = program
    .command('respond')
    .description('assume breach: the containment plan for a compromise that began at --since (contain, rotate what was harvested, cut, hunt, clean up)')
    .argument('<nodes...>', 'compromised node ids or exact names (several = one attacker holding all of them)')
    .option('--since <date>', "when the attacker got the source (ISO-8601; default the source's createdAt, else unknown: assume every credential it could ever read was copied)")
    .option('-k, --steps <count>', 'most cut steps after contain and rotate (default 25)')
    .option('-g, --graph <snapshot|file|folder>', 'graph to analyse (default $BLASTMAP_GRAPH or .blastmap/graph.bmap)')
    .option('-f, --format <format>', 'text, json, markdown or html', 'text')
    .option('--all', 'text, markdown and html: every harvested credential and step one by one (past 20, the first 10 and the rest by tenant)');
  addEvidenceOptions(addReachOptions(command)).action(async (nodes: string[], flags: RespondFlags) => {
    const format = parseFormat(flags.format, ['text', 'json', 'markdown', 'html']);
    const options = toReachOptions(flags);
    const since = parseAt(flags.since);
    const cutSteps = parseCount('--steps', flags.steps);
    const graph = await loadGraph(flags.graph);
    const sources = nodes.map((reference) => resolveNode(graph, reference));
    const planOptions = { ...options, ...(since ? { since } : {}), ...(cutSteps !== undefined ? { cutSteps } : {}) };
    const store = await loadEvidenceStore(flags.evidence, flags.graph);
    const plan = store ? respondWithEvidence(graph, sources, planOptions, resolveEvidence(graph, store)) : respondPlan(graph, sources, planOptions);
    if (format === 'json') writeChunks(io, respondJsonChunks(plan));
    else if (format === 'html') io.out(renderRespondHtml(plan, { all: flags.all === true }));
    else if (format === 'markdown') io.out(renderRespondMarkdown(plan, { all: flags.all === true }));
    else io.out(renderRespondText(plan, { style: io.color, all: flags.all === true }));
  });
}

// `blastmap radius <node...>`: the blast radius of one or several compromised nodes, as a brief.
import type { Command } from 'commander';
import { blastRadius, type BlastRadius } from '../../engine/analysis/radius.ts';
import { renderRadiusMarkdown, renderRadiusText } from '../../engine/report/brief.ts';
import { renderRadiusHtml } from '../../engine/report/html.ts';
import { resolveNode } from '../../engine/store/lookup.ts';
import { json, loadGraph, parseFormat, type Io, type OutputFormat } from '../context.ts';
import { addReachOptions, toReachOptions, type ReachFlags } from '../reach-options.ts';
import { addStoreOptions, neo4jRadius, storeKind, type StoreFlags } from '../store-options.ts';

interface RadiusFlags extends ReachFlags, StoreFlags { graph?: string; format?: string; all?: boolean }

export function printRadius(io: Io, radius: BlastRadius, format: OutputFormat, all = false): void {
  if (format === 'json') io.out(json(radius));
  else if (format === 'markdown') io.out(renderRadiusMarkdown(radius));
  else if (format === 'html') io.out(renderRadiusHtml(radius));
  else io.out(renderRadiusText(radius, { style: io.color, perPlatform: all ? Infinity : 12 }));
}

export function registerRadius(program: Command, io: Io): void {
  const command = program
    .command('radius')
    .description('blast radius of compromised nodes (an App, Credential, Identity or vendor Platform), by id or exact name')
    .argument('<nodes...>', 'node ids or exact names; several = one attacker holding all of them')
    .option('-g, --graph <snapshot|file|folder>', 'graph to analyse (default $BLASTMAP_GRAPH or .blastmap/graph.bmap)')
    .option('-f, --format <format>', 'text, json, markdown or html', 'text')
    .option('--all', 'list every reached node in the text brief');
  addStoreOptions(addReachOptions(command)).action(async (nodes: string[], flags: RadiusFlags) => {
    const format = parseFormat(flags.format, ['text', 'json', 'markdown', 'html']);
    const options = toReachOptions(flags);
    if (storeKind(flags) === 'neo4j') { printRadius(io, await neo4jRadius(flags, nodes, options), format, flags.all); return; }
    const graph = loadGraph(flags.graph);
    const sources = nodes.map((reference) => resolveNode(graph, reference));
    printRadius(io, blastRadius(graph, sources, options), format, flags.all);
  });
}

// `blastmap radius <node...>`: the blast radius of one or several compromised nodes, as a brief.
import type { Command } from 'commander';
import { BlastmapError } from '../../engine/errors.ts';
import { blastRadius, witnessOrigin, type BlastRadius } from '../../engine/analysis/radius.ts';
import { addEvidenceOptions, evidenceOverReach, type EvidenceFlags } from '../evidence.ts';
import { renderRadiusMarkdown, renderRadiusText } from '../../engine/report/brief.ts';
import { renderRadiusHtml } from '../../engine/report/html.ts';
import { radiusJsonParts, radiusNdjsonParts } from '../../engine/report/radius-json.ts';
import { resolveNode } from '../../engine/store/lookup.ts';
import { expandOwned } from '../marks.ts';
import { parseFormat, writeJson, type Io, type OutputFormat } from '../context.ts';
import { loadGraph } from '../load-graph.ts';
import { addReachOptions, toReachOptions, type ReachFlags } from '../reach-options.ts';
import { addStoreOptions, neo4jRadius, storeKind, type StoreFlags } from '../store-options.ts';

interface RadiusFlags extends ReachFlags, StoreFlags, EvidenceFlags { graph?: string; format?: string; all?: boolean; paths?: boolean }

export const RADIUS_FORMATS: readonly OutputFormat[] = ['text', 'json', 'ndjson', 'markdown', 'html'];

export interface PrintRadiusOptions {
  /** Every crown jewel and reached node in the text and markdown briefs (default: the top entries of each group). */
  all?: boolean;
  /** JSON and NDJSON: every entry with its full `path` as well as the shared witness table. */
  paths?: boolean;
}

export function printRadius(io: Io, radius: BlastRadius, format: OutputFormat, options: PrintRadiusOptions = {}): void {
  if (format === 'json') writeJson(io, (out) => radiusJsonParts(radius, out, { paths: options.paths === true }));
  else if (format === 'ndjson') writeJson(io, (out) => radiusNdjsonParts(radius, out, { paths: options.paths === true }));
  else if (format === 'markdown') io.out(renderRadiusMarkdown(radius, { all: options.all === true }));
  else if (format === 'html') io.out(renderRadiusHtml(radius, { all: options.all === true }));
  else io.out(renderRadiusText(radius, { style: io.color, all: options.all === true }));
}

export function registerRadius(program: Command, io: Io): void {
  const command = program
    .command('radius')
    .description('blast radius of compromised nodes (an App, Credential, Identity or vendor Platform), by id or exact name')
    .argument('<nodes...>', 'node ids or exact names; several = one attacker holding all of them; @owned = every node marked owned')
    .option('-g, --graph <snapshot|file|folder>', 'graph to analyse (default $BLASTMAP_GRAPH or .blastmap/graph.bmap)')
    .option('-f, --format <format>', 'text, json, ndjson (a record per line), markdown or html', 'text')
    .option('--all', 'list every crown jewel and reached node in the text, markdown and html briefs')
    .option('--paths', 'json and ndjson: give every reached node its full witness path, not only its index in the shared witness table');
  addStoreOptions(addEvidenceOptions(addReachOptions(command), { since: true })).action(async (nodes: string[], flags: RadiusFlags) => {
    const format = parseFormat(flags.format, RADIUS_FORMATS);
    const options = toReachOptions(flags);
    if (storeKind(flags) === 'neo4j' && flags.evidence !== undefined) throw new BlastmapError('INVALID_OPTION', '--evidence is read with the memory store only: drop --store neo4j, or --evidence');
    if (storeKind(flags) === 'neo4j') { printRadius(io, await neo4jRadius(flags, nodes, options), format, { all: flags.all === true, paths: flags.paths === true }); return; }
    const graph = await loadGraph(flags.graph);
    // `@owned`: the nodes marked owned in the graph's marks file (cli/marks.ts).
    const sources = expandOwned(graph, nodes).map((reference) => resolveNode(graph, reference));
    const radius = blastRadius(graph, sources, options);
    const first = radius.reached[0] ?? radius.dormant[0];
    const evidence = await evidenceOverReach(graph, sources, flags, options, radius.at, first ? witnessOrigin(first)?.result : undefined);
    if (evidence) radius.evidence = evidence;
    printRadius(io, radius, format, { all: flags.all === true, paths: flags.paths === true });
  });
}

// `blastmap paths <from...> [--to <node>]`: lateral movement out of a blast radius, or every shortest path
// (up to --limit) that delivers one target at the best level the sources reach on it.
import type { Command } from 'commander';
import { lateralPaths, shortestPaths } from '../../engine/analysis/paths.ts';
import { lateralPathsJsonParts, renderPathsMarkdown, renderPathsText } from '../../engine/report/plan.ts';
import { resolveNode } from '../../engine/store/lookup.ts';
import { addEvidenceOptions, evidenceOverReach, type EvidenceFlags } from '../evidence.ts';
import { renderEvidenceMarkdown, renderEvidenceText } from '../../engine/report/evidence.ts';
import { parseCount, parseFormat, writeChunks, writeJson, type Io } from '../context.ts';
import { loadGraph } from '../load-graph.ts';
import { jsonDocument } from '../json-stream.ts';
import { addReachOptions, toReachOptions, type ReachFlags } from '../reach-options.ts';

/** Nodes listed beyond each bridge in the text output (besides its crown jewels), unless --all. */
const PER_BRIDGE = 5;

interface PathsFlags extends ReachFlags, EvidenceFlags { graph?: string; format?: string; to?: string; limit?: string; all?: boolean }

export function registerPaths(program: Command, io: Io): void {
  const command = program
    .command('paths')
    .description('lateral movement out of the sources\' platforms, ranked by what lies beyond each bridge; or, with --to, every shortest path to one node')
    .argument('<from...>', 'compromised node ids or exact names (several = one attacker holding all of them)')
    .option('-t, --to <node>', 'list the shortest paths to this node (id or exact name) instead')
    .option('-n, --limit <count>', 'with --to: most paths to list (default 10)')
    .option('-g, --graph <snapshot|file|folder>', 'graph to analyse (default $BLASTMAP_GRAPH or .blastmap/graph.bmap)')
    .option('-f, --format <format>', 'text, json or markdown', 'text')
    .option('--all', 'lateral paths: list every node beyond each bridge in the text output');
  addEvidenceOptions(addReachOptions(command), { since: true }).action(async (from: string[], flags: PathsFlags) => {
    const format = parseFormat(flags.format, ['text', 'json', 'markdown']);
    const options = toReachOptions(flags);
    const limit = parseCount('--limit', flags.limit, 1);
    const graph = await loadGraph(flags.graph);
    const sources = from.map((reference) => resolveNode(graph, reference));
    const result = flags.to !== undefined
      ? shortestPaths(graph, sources, resolveNode(graph, flags.to), { ...options, ...(limit !== undefined ? { limit } : {}) })
      // The text lists the crown jewels and the first few nodes beyond each bridge: only those are picked out and built.
      : lateralPaths(graph, sources, format === 'text' && !flags.all ? { ...options, targetsPerBridge: PER_BRIDGE, everyCrownJewel: true } : options);
    const evidence = await evidenceOverReach(graph, sources, flags, options, result.at);
    // JSON: the report is one more member of the result (lateral paths write every member but `bridges` up front).
    if (evidence) Object.assign(result, { evidence });
    if (format === 'json') { if (result.analysis === 'lateral-paths') writeJson(io, (out) => lateralPathsJsonParts(result, out)); else writeChunks(io, jsonDocument(result)); }
    else if (format === 'markdown') io.out(renderPathsMarkdown(result) + (evidence ? `\n${renderEvidenceMarkdown(evidence).join('\n')}\n` : ''));
    else io.out(renderPathsText(result, { style: io.color, perBridge: flags.all ? Infinity : PER_BRIDGE }) + (evidence ? `\n${renderEvidenceText(evidence, { style: io.color }).join('\n')}\n` : ''));
  });
}

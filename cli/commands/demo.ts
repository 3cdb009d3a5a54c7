// `blastmap demo`: loads the bundled demo company and prints the brief for its riskiest connector.
import { join } from 'node:path';
import type { Command } from 'commander';
import { blastRadius } from '../../engine/analysis/radius.ts';
import { rankNodes } from '../../engine/analysis/rank.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { parseFormat, type Io } from '../context.ts';
import { addReachOptions, toReachOptions, type ReachFlags } from '../reach-options.ts';
import { loadWorkspace } from '../workspace.ts';
import { printRadius } from './radius.ts';
import { serveGraph } from './serve.ts';
import { PACKAGE_ROOT } from '../package-root.ts';

export const DEMO_DIR = join(PACKAGE_ROOT, 'datasets/demo/');

/**
 * The demo company as a user would build it: each platform's raw export (datasets/demo/exports/<source>)
 * through its importer, plus the native files for what no importer reads (datasets/demo/native).
 */
export function loadDemoGraph(): CompactGraph {
  return loadWorkspace(DEMO_DIR).graph;
}

interface DemoFlags extends ReachFlags { format?: string; all?: boolean; open?: boolean }

export function registerDemo(program: Command, io: Io): void {
  const command = program
    .command('demo')
    .description('load the bundled demo company (datasets/demo) and brief the compromise of its riskiest connector')
    .option('-f, --format <format>', 'text, json, markdown or html', 'text')
    .option('--all', 'list every crown jewel and reached node in the text and markdown briefs')
    .option('--open', 'then start the web UI on the demo graph (blastmap serve), opened on this radius');
  addReachOptions(command).action(async (flags: DemoFlags) => {
    const format = parseFormat(flags.format, ['text', 'json', 'markdown', 'html']);
    const options = toReachOptions(flags);
    const graph = loadDemoGraph();
    const ranking = rankNodes(graph, { ...options, kinds: ['App'] });
    const riskiest = ranking[0];
    if (!riskiest) {
      io.err('the demo graph has no App nodes');
      return;
    }
    if (format === 'text') {
      io.out(io.color.dim(`demo: Corvid Labs, ${graph.nodeCount} nodes and ${graph.edgeCount} edges (datasets/demo)`));
      io.out(io.color.dim(`riskiest connectors: ${ranking.slice(0, 5).map((e) => `${e.name} (${Math.round(e.score)})`).join(', ')}`));
      io.out('');
    }
    printRadius(io, blastRadius(graph, [riskiest.index], options), format, { all: flags.all === true });
    if (flags.open) {
      const query = new URLSearchParams({ sources: riskiest.id, tab: 'radius', ...(flags.at ? { at: flags.at.slice(0, 10) } : {}) });
      await serveGraph(io, graph, { open: true, path: `?${query.toString()}` });
    }
  });
}

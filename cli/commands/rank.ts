// `blastmap rank`: the blast radius of every App (and, with --credentials, every Credential), riskiest
// first, to decide which integrations to review or cut first.
import type { Command } from 'commander';
import { rankGraph } from '../../engine/analysis/rank.ts';
import { renderRankMarkdown, renderRankText } from '../../engine/report/rank.ts';
import { json, parseCount, parseFormat, progressBar, type Io } from '../context.ts';
import { loadGraph } from '../load-graph.ts';
import { addReachOptions, toReachOptions, type ReachFlags } from '../reach-options.ts';
import { parseKinds, PROGRESS_THRESHOLD } from './exposure.ts';

interface RankFlags extends ReachFlags { graph?: string; format?: string; kinds?: string; credentials?: boolean; top?: string }

export function registerRank(program: Command, io: Io): void {
  const command = program
    .command('rank')
    .description('blast radius of every App (and optionally every Credential), riskiest first')
    .option('--top <n>', 'list only the n riskiest')
    .option('--credentials', 'rank Credentials as well as Apps')
    .option('--kinds <kinds>', 'node kinds to rank (comma-separated; overrides --credentials)')
    .option('-g, --graph <snapshot|file|folder>', 'graph to analyse (default $BLASTMAP_GRAPH or .blastmap/graph.bmap)')
    .option('-f, --format <format>', 'text, json or markdown', 'text');
  addReachOptions(command).action(async (flags: RankFlags) => {
    const format = parseFormat(flags.format, ['text', 'json', 'markdown']);
    const top = parseCount('--top', flags.top, 1);
    const kinds = parseKinds(flags.kinds) ?? (flags.credentials ? ['App', 'Credential'] : ['App']);
    const options = toReachOptions(flags);
    const graph = await loadGraph(flags.graph);
    let bar: ReturnType<typeof progressBar> | undefined;
    let ranking: ReturnType<typeof rankGraph>;
    try {
      ranking = rankGraph(graph, {
        ...options, kinds, ...(top !== undefined ? { top } : {}),
        onProgress: (done, total) => {
          if (done === 1 && total > PROGRESS_THRESHOLD) bar = progressBar(io, 'ranking', total);
          bar?.update(done);
        },
      });
    } finally {
      bar?.stop();
    }
    if (format === 'json') io.out(json(ranking));
    else if (format === 'markdown') io.out(renderRankMarkdown(ranking));
    else io.out(renderRankText(ranking, { style: io.color }));
  });
}

// `blastmap exposure <target>`: reverse analysis of a crown jewel (or any node): every identity, role, app and
// credential (or other kinds) whose compromise reaches it, at which level, and the best path for each.
import type { Command } from 'commander';
import { DEFAULT_EXPOSURE_KINDS, exposureOf, INTEGRATION_KINDS } from '../../engine/analysis/exposure.ts';
import { BlastmapError } from '../../engine/errors.ts';
import { exposureJsonParts, renderExposureMarkdown, renderExposureText } from '../../engine/report/exposure.ts';
import { resolveNode } from '../../engine/store/lookup.ts';
import { writeJson, parseCount, parseFormat, progressBar, type Io } from '../context.ts';
import { loadGraph } from '../load-graph.ts';
import { addReachOptions, toReachOptions, type ReachFlags } from '../reach-options.ts';

interface ExposureFlags extends ReachFlags { graph?: string; format?: string; kinds?: string; integrations?: boolean; top?: string; all?: boolean; paths?: boolean }

/** `App,Credential` -> ['App', 'Credential']; undefined when the flag is absent. */
export function parseKinds(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value.split(',').map((kind) => kind.trim()).filter(Boolean);
}

/** Progress bars only where forward searches are many enough to take a noticeable time. */
export const PROGRESS_THRESHOLD = 50;

export function registerExposure(program: Command, io: Io): void {
  const command = program
    .command('exposure')
    .description('who reaches a target (e.g. a crown jewel): every identity, role, app and credential whose compromise gets there, at which level and how')
    .argument('<target>', 'target node id or exact name')
    .option('--kinds <kinds>', `node kinds considered as compromised sources (comma-separated; default ${DEFAULT_EXPOSURE_KINDS.join(',')})`)
    .option('--integrations', `only integrations: the same as --kinds ${INTEGRATION_KINDS.join(',')}`)
    .option('--top <n>', 'list only the n most exposed sources (highest level, then fewest hops)')
    .option('--all', 'text: every source with its path, not the first 10 of each kind')
    .option('--paths', 'json: give every source its full path, not only its index in the shared witness table')
    .option('-g, --graph <snapshot|file|folder>', 'graph to analyse (default $BLASTMAP_GRAPH or .blastmap/graph.bmap)')
    .option('-f, --format <format>', 'text, json or markdown', 'text');
  addReachOptions(command).action(async (target: string, flags: ExposureFlags) => {
    const format = parseFormat(flags.format, ['text', 'json', 'markdown']);
    const top = parseCount('--top', flags.top, 1);
    if (flags.integrations && flags.kinds !== undefined) throw new BlastmapError('INVALID_OPTION', '--integrations and --kinds: give one of them');
    const kinds = flags.integrations ? [...INTEGRATION_KINDS] : parseKinds(flags.kinds);
    const options = toReachOptions(flags);
    const graph = await loadGraph(flags.graph);
    const targetIndex = resolveNode(graph, target);
    let bar: ReturnType<typeof progressBar> | undefined;
    let result: ReturnType<typeof exposureOf>;
    try {
      result = exposureOf(graph, targetIndex, {
        ...options, ...(kinds ? { kinds } : {}), ...(top !== undefined ? { top } : {}),
        onProgress: (done, total) => {
          if (done === 1 && total > PROGRESS_THRESHOLD) bar = progressBar(io, 'exposure', total);
          bar?.update(done);
        },
      });
    } finally {
      bar?.stop();
    }
    if (format === 'json') writeJson(io, (out) => exposureJsonParts(result, out, { paths: flags.paths === true }));
    else if (format === 'markdown') io.out(renderExposureMarkdown(result));
    else io.out(renderExposureText(result, { style: io.color, all: flags.all === true }));
  });
}

// `blastmap collect <platform>`: calls the platform's admin API and writes the responses into
// <workspace>/exports/<source>/<tenant>/, exactly as `blastmap import <source>` reads them (docs/collect.md).
import { join } from 'node:path';
import type { Command } from 'commander';
import { BlastmapError } from '../../engine/errors.ts';
import { COLLECTORS, findCollector } from '../collect/registry.ts';
import { collectedAnything, runCollect, STATE_FILE, type CollectSummary } from '../collect/run.ts';
import { json, parseFormat, progressBar, type Io } from '../context.ts';
import { withWriteLock, writeSnapshotFile } from '../snapshot-file.ts';
import { loadWorkspace } from '../workspace.ts';

interface CollectFlags { out: string; since?: string; resume?: boolean; import?: boolean; concurrency: string; endpoint?: string; format?: string }

/** The workspace `collect` writes into by default: the folder of the default snapshot (.blastmap/graph.bmap). */
export const DEFAULT_WORKSPACE = '.blastmap';
/** The snapshot `--import` writes, inside the workspace: the default graph when the workspace is the default one. */
export const WORKSPACE_SNAPSHOT = 'graph.bmap';

function parseSince(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) throw new BlastmapError('INVALID_OPTION', `--since ${value}: expected a date (2026-11-01) or an ISO 8601 date-time`);
  return date;
}

function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new BlastmapError('INVALID_OPTION', `--concurrency ${value}: expected a whole number from 1 to 64`);
  return n;
}

function printSummary(io: Io, summary: CollectSummary, out: string): void {
  io.out(`collected ${summary.title} ${summary.tenant} into ${join(out, summary.folder)}: ${summary.ok.length} endpoint${summary.ok.length === 1 ? '' : 's'} ok, ${summary.failed.length} failed` +
    `${summary.resumed.length > 0 ? `, ${summary.resumed.length} done before (--resume)` : ''}; ${summary.files} file${summary.files === 1 ? '' : 's'} written`);
  if (summary.rateLimitWaits + summary.retries > 0) io.out(`waited out ${summary.rateLimitWaits} rate limit${summary.rateLimitWaits === 1 ? '' : 's'} and retried ${summary.retries} transient failure${summary.retries === 1 ? '' : 's'}`);
  if (summary.failed.length > 0) {
    io.out('failed endpoints (the import reads everything else; grant what is missing and run again with --resume):');
    for (const failure of summary.failed) io.out(`  ${failure.endpoint}: ${failure.message}`);
  }
}

export function registerCollect(program: Command, io: Io): void {
  program
    .command('collect')
    .description(`call a platform's admin API and write the raw responses into <workspace>/exports/<source>/<tenant>/ (docs/collect.md)`)
    .argument('<platform>', `one of ${COLLECTORS.map((c) => c.platform).join(', ')}`)
    .option('-o, --out <workspace>', 'the workspace folder to write into', DEFAULT_WORKSPACE)
    .option('--since <date>', 'where the API can filter by time (audit and sign-in logs): only events from this date on')
    .option('--resume', `skip the endpoints an earlier run finished (${STATE_FILE} in the workspace) and call the rest`)
    .option('--import', `import the workspace right after collecting, into <workspace>/${WORKSPACE_SNAPSHOT}`)
    .option('--concurrency <n>', 'calls at once for per-user, per-group and per-app endpoints', '4')
    .option('--endpoint <url>', "the API's base URL instead of the platform's (a proxy, a test server); also BLASTMAP_<PLATFORM>_ENDPOINT")
    .option('-f, --format <format>', 'summary format: text or json', 'text')
    .action(async (platform: string, flags: CollectFlags) => {
      const format = parseFormat(flags.format, ['text', 'json']);
      const collector = findCollector(platform);
      if (!collector) throw new BlastmapError('INVALID_OPTION', `collect ${platform}: no collector for this platform`, { candidates: COLLECTORS.map((c) => c.platform) });
      const since = parseSince(flags.since);
      const concurrency = parseConcurrency(flags.concurrency);
      let bar: ReturnType<typeof progressBar> | undefined;
      const summary = await runCollect(collector, {
        out: flags.out,
        env: process.env,
        ...(since ? { since } : {}),
        resume: Boolean(flags.resume),
        concurrency,
        ...(flags.endpoint ? { endpoint: flags.endpoint } : {}),
        progress: (event) => {
          if (event.kind === 'wait') io.err(event.text);
          else if (event.kind === 'start') { bar?.stop(); bar = event.total === undefined ? undefined : progressBar(io, `${platform}: ${event.name}`, event.total); }
          else bar?.update(event.done);
        },
      }).finally(() => bar?.stop());
      const report: CollectSummary & { workspace: string; import?: { snapshot: string; nodes: number; edges: number; folders: string[] } } = { ...summary, workspace: flags.out };
      const useful = collectedAnything(summary);
      // The summary first: an import that fails (an export that does not import) still leaves it on screen.
      if (format === 'text') printSummary(io, summary, flags.out);
      if (flags.import && useful) {
        const target = join(flags.out, WORKSPACE_SNAPSHOT);
        let workspace: ReturnType<typeof loadWorkspace>;
        try {
          workspace = loadWorkspace(flags.out);
        } catch (error) {
          if (format === 'json') io.out(json(report));
          throw error;
        }
        withWriteLock(target, () => writeSnapshotFile(target, workspace.graph), { onTakeover: (message) => io.err(message) });
        report.import = { snapshot: target, nodes: workspace.graph.nodeCount, edges: workspace.graph.edgeCount, folders: workspace.imports.map((i) => i.folder) };
        if (format === 'text') io.out(`imported the workspace (${report.import.folders.join(', ')}) into ${target}: ${report.import.nodes} nodes and ${report.import.edges} edges`);
      }
      if (format === 'json') io.out(json(report));
      if (!useful) throw new BlastmapError('IO', `collect ${platform}: no endpoint answered, nothing was collected (see the failures above)`);
    });
}

// `blastmap history`: the earlier states a snapshot keeps (each import keeps the one it replaces), to pass to
// `--graph @-1` or `blastmap diff`.
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { graphPath, json, parseFormat, shownPath, type Io } from '../context.ts';
import { DEFAULT_HISTORY_KEEP, historyFolder, historyKeep, listHistory, snapshotCounts } from '../history.ts';

export function registerHistory(program: Command, io: Io): void {
  program
    .command('history')
    .description('earlier states of the graph snapshot, newest first (each import keeps the one it replaces), for --graph @-1 or blastmap diff')
    .option('-g, --graph <snapshot>', 'snapshot whose history to list (default $BLASTMAP_GRAPH or .blastmap/graph.bmap)')
    .option('-f, --format <format>', 'text or json', 'text')
    .action((options: { graph?: string; format?: string }) => {
      const format = parseFormat(options.format, ['text', 'json']);
      const snapshot = graphPath(options.graph);
      const current = existsSync(snapshot) ? { path: snapshot, writtenAt: statSync(snapshot).mtime, bytes: statSync(snapshot).size } : undefined;
      const entries = listHistory(snapshot);
      const rows = [
        ...(current ? [{ ref: 'current', ...current }] : []),
        ...entries.map((entry, i) => ({ ref: `@-${i + 1}`, ...entry })),
      ].map((row) => ({ ...row, ...(snapshotCounts(row.path) ?? {}) }));
      if (format === 'json') {
        io.out(json({
          snapshot: shownPath(snapshot), folder: shownPath(historyFolder(snapshot)), keep: historyKeep(),
          states: rows.map(({ ref, path, writtenAt, bytes, ...counts }) => ({ ref, path: shownPath(path), writtenAt: writtenAt.toISOString(), bytes, ...counts })),
        }));
        return;
      }
      if (rows.length === 0) {
        io.out(`no snapshot at ${shownPath(snapshot)} and no history: run \`blastmap import\` first\n`);
        return;
      }
      const lines = [`HISTORY of ${shownPath(snapshot)}: ${entries.length} earlier state${entries.length === 1 ? '' : 's'} kept in ${shownPath(historyFolder(snapshot))} (at most ${historyKeep()}; BLASTMAP_HISTORY_KEEP, default ${DEFAULT_HISTORY_KEEP})`, ''];
      lines.push('ref        written at                nodes      edges        size');
      for (const row of rows) {
        const counts = 'nodes' in row && typeof row.nodes === 'number' ? `${String(row.nodes).padStart(9)}  ${String((row as { edges: number }).edges).padStart(9)}` : '        -          -';
        lines.push(`${row.ref.padEnd(9)}  ${row.writtenAt.toISOString().padEnd(24)}  ${counts}  ${(row.bytes / 2 ** 20).toFixed(1).padStart(7)} MB`);
      }
      lines.push('', 'Read an earlier state with --graph @-1 (or @<date>, the state current then); compare with `blastmap diff @-1 <snapshot>`.');
      io.out(`${lines.join('\n')}\n`);
    });
}

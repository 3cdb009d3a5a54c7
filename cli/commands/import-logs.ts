// `blastmap import logs <folders...>`: read raw activity and audit logs (every log source at once, each file
// recognised by its content), and keep their observations beside the graph as evidence (cli/evidence.ts). All or
// nothing: a problem in any file and the stored evidence is left as it was.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { resolveStore } from '../../engine/evidence/resolve.ts';
import { createStore, mergeStores } from '../../engine/evidence/store.ts';
import { readLogFiles } from '../../importers/logs/registry.ts';
import { json, parseFormat, type Io } from '../context.ts';
import { loadGraph } from '../load-graph.ts';
import { evidencePath, readEvidenceFile, readLogFolder, writeEvidenceFile } from '../evidence.ts';
import { withWriteLock } from '../snapshot-file.ts';

interface ImportLogsFlags { graph?: string; replace?: boolean; lenient?: boolean; tenant?: string; format?: string }

export function registerImportLogs(importCommand: Command, io: Io): void {
  importCommand
    .command('logs')
    .description('import activity and audit logs (CloudTrail, ...) as evidence kept beside the graph: <graph>.evidence, or evidence.bmev in a workspace (docs/evidence.md)')
    .argument('<folders...>', 'folders or files of raw logs: .json, .json.gz, .csv, as the platforms deliver them')
    .option('-g, --graph <snapshot|folder>', 'the graph the evidence belongs to (default $BLASTMAP_GRAPH or .blastmap/graph.bmap)')
    .option('--replace', 'drop the evidence stored before instead of adding to it')
    .option('--lenient', 'skip events that do not match the log schema, and report them, instead of failing')
    .option('--tenant <key>', 'tenant when the logs do not say it (an Okta org host, a Workspace domain)')
    .option('-f, --format <format>', 'report format: text or json', 'text')
    .action(async (folders: string[], flags: ImportLogsFlags) => {
      const format = parseFormat(flags.format, ['text', 'json']);
      const graph = await loadGraph(flags.graph);
      const target = evidencePath(flags.graph);
      const { observations, report } = readLogFiles(readLogFolder(folders), { ...(flags.lenient ? { lenient: true } : {}), ...(flags.tenant ? { tenant: flags.tenant } : {}) });
      withWriteLock(target, () => {
        const before = !flags.replace && existsSync(target) ? readEvidenceFile(target) : undefined;
        const store = before ? mergeStores(before, observations) : createStore(observations);
        writeEvidenceFile(target, store);
        const resolution = resolveStore(graph, store);
        const summary = {
          evidence: target, read: report.events, duplicates: report.duplicates, before: before?.count ?? 0, stored: store.count,
          resolved: resolution.resolvedEvents, unresolved: resolution.unresolvedEvents,
          sources: report.sources, ignoredFiles: report.ignoredFiles, unresolvedRefs: resolution.unresolved.slice(0, 20),
        };
        if (format === 'json') { io.out(json(summary)); return; }
        for (const [source, r] of Object.entries(report.sources)) {
          io.out(`${source}: read ${Object.entries(r.events).map(([role, n]) => `${n} ${role}`).join(', ')}${r.skipped.length > 0 ? `; skipped ${r.skipped.length} bad events (--lenient)` : ''}`);
          for (const note of r.notes) io.out(`note: ${note}`);
        }
        if (report.ignoredFiles.length > 0) io.out(`ignored files no log importer recognised: ${report.ignoredFiles.join(', ')}`);
        io.out(`stored ${store.count} events in ${target} (read ${report.events}, ${report.duplicates} repeated; ${before?.count ?? 0} there before)`);
        io.out(`${resolution.resolvedEvents} events name an actor in the graph; ${resolution.unresolvedEvents} do not (${resolution.unresolved.length} actors or targets match no node, or several: not guessed)`);
      }, { onTakeover: (message) => io.err(message) });
    });
}

// `blastmap import <source> <files...>`: validate inputs, merge them into the graph, save the snapshot.
// All or nothing: any problem in any file and the snapshot is left exactly as it was.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { assembleGraph } from '../../engine/store/assemble.ts';
import { graphPath, json, parseFormat, readNativeFiles, type Io } from '../context.ts';
import { readSnapshotFile, withWriteLock, writeSnapshotFile } from '../snapshot-file.ts';

interface ImportOptions { graph?: string; replace?: boolean; format?: string }

export function registerImport(program: Command, io: Io): void {
  const command = program
    .command('import')
    .description('import exports into the graph snapshot (all files or nothing)');
  command
    .command('native')
    .description('import blastmap native inventories: .json, .yaml or .ndjson files, or folders of them')
    .argument('<files...>', 'files or folders')
    .option('-g, --graph <snapshot>', 'snapshot to update (default $BLASTMAP_GRAPH or .blastmap/graph.bmap)')
    .option('--replace', 'start from an empty graph instead of merging into the existing snapshot')
    .option('-f, --format <format>', 'report format: text or json', 'text')
    .action((files: string[], options: ImportOptions) => {
      const format = parseFormat(options.format, ['text', 'json']);
      const target = graphPath(options.graph);
      withWriteLock(target, () => {
        const batch = readNativeFiles(files);
        const existing = !options.replace && existsSync(target) ? readSnapshotFile(target) : undefined;
        const { graph, report } = assembleGraph(batch, existing);
        writeSnapshotFile(target, graph);
        if (format === 'json') { io.out(json({ graph: target, ...report })); return; }
        io.out(`imported ${report.files} file${report.files === 1 ? '' : 's'} (${report.nodesImported} nodes, ${report.edgesImported} edges) into ${target}: ` +
          `now ${graph.nodeCount} nodes and ${graph.edgeCount} edges (was ${report.nodesBefore} and ${report.edgesBefore})`);
        if (report.redactions > 0) io.out(`redacted ${report.redactions} secret-shaped value${report.redactions === 1 ? '' : 's'} found in names or properties`);
      });
    });
}

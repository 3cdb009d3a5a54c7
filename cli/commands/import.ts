// `blastmap import <source> <files...>`: validate inputs, merge them into the graph, save the snapshot.
// All or nothing: any problem in any file and the snapshot is left exactly as it was.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { BlastmapError } from '../../engine/errors.ts';
import type { SourcedFragment } from '../../engine/format/validate.ts';
import type { ImportReport } from '../../engine/store/assemble.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import type { Importer, ImporterReport } from '../../importers/common/importer.ts';
import type { RawFile } from '../../importers/common/records.ts';
import { IMPORTERS } from '../../importers/registry.ts';
import { importExport } from '../../importers/index.ts';
import { graphPath, json, parseFormat, readInputText, shownPath, STDIN, type Io } from '../context.ts';
import { assembleNativeFiles, readNativeFiles } from '../native-files.ts';
import { registerImportLogs } from './import-logs.ts';
import { importIntoSnapshotFile, withWriteLock, writeSnapshotFile } from '../snapshot-file.ts';
import { addStoreOptions, neo4jImport, storeKind, type StoreFlags } from '../store-options.ts';

interface ImportOptions extends StoreFlags { graph?: string; replace?: boolean; format?: string; lenient?: boolean; tenant?: string; as?: string }

/** JSON responses, CSV reports, and YAML files as platforms store them (GitHub workflow files). */
const RAW_EXTENSIONS = /\.(json|csv|txt|ya?ml)$/i;

/**
 * Every raw export file under the given folders (recursively) or given directly, with paths relative to its folder.
 * `-` is standard input, under the file name `as` gives (the importer recognises an endpoint by its file name).
 */
export function readRawFiles(paths: readonly string[], as?: string): RawFile[] {
  const files: RawFile[] = [];
  const walk = (root: string, dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(root, full);
      else if (RAW_EXTENSIONS.test(name)) files.push({ path: relative(root, full), text: readFileSync(full, 'utf8') });
    }
  };
  if (as !== undefined && !paths.includes(STDIN)) throw new BlastmapError('INVALID_OPTION', '--as names the export read from standard input, and no `-` was given');
  for (const path of paths) {
    if (path === STDIN) {
      if (as === undefined || as.trim() === '') throw new BlastmapError('INVALID_OPTION', 'an export read from standard input (`-`) needs --as <file name>, the name the export file would have (e.g. --as users.json): the importer recognises the endpoint by it');
      files.push({ path: as, text: readInputText(STDIN) });
      continue;
    }
    if (!existsSync(path)) throw new BlastmapError('IO', `${path}: no such file or folder`);
    if (statSync(path).isDirectory()) walk(path, path);
    else files.push({ path: path.split('/').pop()!, text: readFileSync(path, 'utf8') });
  }
  if (files.length === 0) throw new BlastmapError('IO', `no .json or .csv files in ${paths.join(', ')}`);
  return files;
}

/** Runs a platform importer over raw files: a sourced fragment ready to assemble, or every issue at once. */
export function runImporter(importer: Importer, files: readonly RawFile[], options: { lenient?: boolean; tenant?: string }): { sourced: SourcedFragment; report: ImporterReport } {
  return importExport(importer, files, options);
}

function printImporterReport(io: Io, report: ImporterReport): void {
  const counts = Object.entries(report.records).map(([role, n]) => `${n} ${role}`).join(', ');
  if (counts) io.out(`read ${counts}`);
  if (report.skipped.length > 0) {
    io.out(`skipped ${report.skipped.length} bad record${report.skipped.length === 1 ? '' : 's'} (--lenient):`);
    for (const issue of report.skipped.slice(0, 20)) io.out(`  ${issue.file ?? ''} ${issue.path}: expected ${issue.expected ?? issue.message}${issue.found ? `, found ${issue.found}` : ''}`);
  }
  if (report.unknownScopes.length > 0) {
    io.out(`${report.unknownScopes.length} scope${report.unknownScopes.length === 1 ? '' : 's'} not in the catalogue (kept, level assumed by the conservative rule, flagged \`assumed\`):`);
    for (const s of report.unknownScopes.slice(0, 20)) io.out(`  ${s.scope} (${s.count}x) -> ${s.assumedLevel}`);
  }
  if (report.ignoredFiles.length > 0) io.out(`ignored files no endpoint matched: ${report.ignoredFiles.join(', ')}`);
  for (const file of report.unrecognised ?? []) {
    if (file.closest.length === 0) continue;
    io.out(`  ${file.file} resembles:`);
    for (const shape of file.closest) io.out(`    ${shape}`);
  }
  for (const note of report.notes) io.out(`note: ${note}`);
}

function printSummary(io: Io, target: string, report: ImportReport, nodeCount: number, edgeCount: number): void {
  io.out(`imported ${report.nodesImported} nodes and ${report.edgesImported} edges into ${shownPath(target)}: now ${nodeCount} nodes and ${edgeCount} edges (was ${report.nodesBefore} and ${report.edgesBefore})`);
  if (report.redactions > 0) io.out(`redacted ${report.redactions} secret-shaped value${report.redactions === 1 ? '' : 's'} found in names or properties`);
}

export function registerImport(program: Command, io: Io): void {
  const command = program
    .command('import')
    .description('import exports into the graph snapshot (all files or nothing)');
  addStoreOptions(command
    .command('native')
    .description('import blastmap native inventories: .json, .yaml or .ndjson files, or folders of them')
    .argument('<files...>', 'files or folders; - for standard input')
    .option('-g, --graph <snapshot>', 'snapshot to update (default $BLASTMAP_GRAPH or .blastmap/graph.bmap)')
    .option('--replace', 'start from an empty graph instead of merging into the existing snapshot')
    .option('-f, --format <format>', 'report format: text or json', 'text'))
    .action(async (files: string[], options: ImportOptions) => {
      const format = parseFormat(options.format, ['text', 'json']);
      if (storeKind(options) === 'neo4j') { await neo4jImport(io, options, readNativeFiles(files), format); return; }
      const target = graphPath(options.graph);
      withWriteLock(target, () => {
        let report: ImportReport;
        if (!options.replace && existsSync(target)) {
          ({ report } = importIntoSnapshotFile(target, readNativeFiles(files), true));
        } else {
          // Into an empty graph: a large NDJSON file streams (assembleNativeFiles).
          let graph: CompactGraph;
          ({ graph, report } = assembleNativeFiles(files, undefined, io));
          writeSnapshotFile(target, graph);
        }
        if (format === 'json') { io.out(json({ graph: shownPath(target), ...report })); return; }
        io.out(`imported ${report.files} file${report.files === 1 ? '' : 's'} (${report.nodesImported} nodes, ${report.edgesImported} edges) into ${shownPath(target)}: ` +
          `now ${report.nodes} nodes and ${report.edges} edges (was ${report.nodesBefore} and ${report.edgesBefore})`);
        if (report.redactions > 0) io.out(`redacted ${report.redactions} secret-shaped value${report.redactions === 1 ? '' : 's'} found in names or properties`);
      }, { onTakeover: (message) => io.err(shownPath(message)) });
    });
  registerImportLogs(command, io);
  for (const importer of IMPORTERS) {
    addStoreOptions(command
      .command(importer.source)
      .description(`import ${importer.title} admin-API exports: a folder of raw JSON responses (docs/importers/${importer.source}.md)`)
      .argument('<folders...>', 'folders (or files) of raw API responses, one file per endpoint; - for standard input (with --as)')
      .option('-g, --graph <snapshot>', 'snapshot to update (default $BLASTMAP_GRAPH or .blastmap/graph.bmap)')
      .option('--replace', 'start from an empty graph instead of merging into the existing snapshot')
      .option('--lenient', 'skip records that do not match the platform schema, and report them, instead of failing')
      .option('--tenant <key>', 'tenant key when the export does not say it (org, domain or tenant id)')
      .option('--as <file>', 'the file name of the export read from standard input (-), e.g. users.json: it says which endpoint produced it')
      .option('-f, --format <format>', 'report format: text or json', 'text'))
      .action(async (folders: string[], options: ImportOptions) => {
        const format = parseFormat(options.format, ['text', 'json']);
        if (storeKind(options) === 'neo4j') {
          const { sourced, report: importerReport } = runImporter(importer, readRawFiles(folders, options.as), { lenient: options.lenient, tenant: options.tenant });
          if (format === 'text') printImporterReport(io, importerReport);
          await neo4jImport(io, options, [sourced], format, { importer: importerReport });
          return;
        }
        const target = graphPath(options.graph);
        withWriteLock(target, () => {
          const { sourced, report: importerReport } = runImporter(importer, readRawFiles(folders, options.as), { lenient: options.lenient, tenant: options.tenant });
          const { report } = importIntoSnapshotFile(target, [sourced], !options.replace && existsSync(target));
          if (format === 'json') { io.out(json({ graph: shownPath(target), ...report, importer: importerReport })); return; }
          printImporterReport(io, importerReport);
          printSummary(io, target, report, report.nodes, report.edges);
        }, { onTakeover: (message) => io.err(shownPath(message)) });
      });
  }
}

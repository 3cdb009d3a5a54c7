// `blastmap import opengraph <files...>`: BloodHound OpenGraph payloads (.json, or .zip archives of them) from any
// OpenGraph collector or from `blastmap export opengraph`, streamed so files of any size import in bounded memory.
import { createReadStream, existsSync, readdirSync, statSync, type Stats } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { BlastmapError } from '../../engine/errors.ts';
import { finishFragment, withoutControls } from '../../engine/format/validate.ts';
import { redactStrings } from '../../engine/secrets.ts';
import { DEFAULT_SCHEMA } from '../../engine/schema/index.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { buildMapping, existingNodes, OpenGraphReader, OpenGraphTransform, type OpenGraphReport, type OpenGraphResult } from '../../importers/opengraph/index.ts';
import { graphPath, inputName, json, parseFormat, progressBar, readInputText, STDIN, type Io } from '../context.ts';
import { readSnapshotFile, withWriteLock, writeSnapshotFile } from '../snapshot-file.ts';

interface OpenGraphFlags { graph?: string; replace?: boolean; format?: string; lenient?: boolean; tenant?: string; mapping?: string }

interface InputFile { path: string; size: number; zip: boolean }

const INPUT = /\.(json|zip)$/i;

/** Files named directly, or the .json and .zip files inside folders (recursively, sorted); `-` is standard input. */
function listInputs(paths: readonly string[]): InputFile[] {
  const files: InputFile[] = [];
  if (paths.filter((path) => path === STDIN).length > 1) throw new BlastmapError('INVALID_OPTION', 'standard input (`-`) can be read once');
  const add = (path: string, stats: Stats): void => { files.push({ path, size: stats.size, zip: /\.zip$/i.test(path) }); };
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const stats = statSync(full);
      if (stats.isDirectory()) walk(full);
      else if (INPUT.test(name)) add(full, stats);
    }
  };
  for (const path of paths) {
    // Its size is unknown (no progress bar) and whether it is a zip archive is read from its first bytes.
    if (path === STDIN) { files.push({ path, size: 0, zip: false }); continue; }
    if (!existsSync(path)) throw new BlastmapError('IO', `${path}: no such file or folder`);
    const stats = statSync(path);
    if (stats.isDirectory()) walk(path);
    else add(path, stats);
  }
  if (files.length === 0) throw new BlastmapError('IO', `no .json or .zip files in ${paths.join(', ')}`);
  return files;
}

/** Zip entries worth reading: JSON documents, not folders nor macOS resource forks. */
function isDocumentEntry(name: string): boolean {
  const base = name.split('/').pop() ?? '';
  return /\.json$/i.test(name) && !name.includes('__MACOSX/') && !base.startsWith('._');
}

/** A zip archive's first bytes (a local file header), how a zip on standard input is told from JSON. */
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/**
 * An input's bytes as they arrive (a file's, or standard input's for `-`), and whether they are a zip archive: a
 * file says so by its name, standard input by its first bytes.
 */
async function openInput(input: InputFile): Promise<{ chunks: AsyncIterable<Buffer>; zip: boolean }> {
  if (input.path !== STDIN) return { chunks: createReadStream(input.path, { highWaterMark: 1 << 20 }), zip: input.zip };
  const iterator = (process.stdin as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head: Buffer = first.done ? Buffer.alloc(0) : first.value;
  const chunks = (async function* () {
    if (head.length > 0) yield head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  })();
  return { chunks, zip: ZIP_MAGIC.every((byte, i) => head[i] === byte) };
}

/**
 * Streams every input through the reader into the transform, element by element. Plain files and zip entries are
 * decoded as they arrive; nothing holds a whole file. `onBytes` reports progress in bytes of the inputs.
 */
export async function streamOpenGraph(inputs: readonly InputFile[], transform: OpenGraphTransform, onBytes: (bytes: number) => void): Promise<void> {
  let read = 0;
  for (const input of inputs) {
    const name = inputName(input.path);
    const { chunks, zip } = await openInput(input);
    if (!zip) {
      const reader = new OpenGraphReader(name, transform.openDocument(name));
      const decoder = new TextDecoder('utf-8');
      try {
        for await (const chunk of chunks) {
          reader.write(decoder.decode(chunk as Buffer, { stream: true }));
          read += (chunk as Buffer).length;
          onBytes(read);
        }
      } catch (error) {
        if (error instanceof BlastmapError) throw error;
        throw new BlastmapError('IO', `cannot read ${name}: ${(error as Error).message}`, { cause: error });
      }
      reader.write(decoder.decode());
      reader.end();
      transform.report(reader.issues);
      continue;
    }
    let failure: unknown;
    let documents = 0;
    const unzip = new Unzip((entry: UnzipFile) => {
      if (!isDocumentEntry(entry.name)) return;
      documents++;
      const document = `${name}:${entry.name}`;
      const reader = new OpenGraphReader(document, transform.openDocument(document));
      const decoder = new TextDecoder('utf-8');
      entry.ondata = (error, data, final) => {
        if (failure !== undefined) return;
        try {
          if (error) throw new BlastmapError('IO', `cannot unzip ${document}: ${error.message}`, { cause: error });
          reader.write(decoder.decode(data, { stream: !final }));
          if (final) {
            reader.end();
            transform.report(reader.issues);
          }
        } catch (caught) {
          failure = caught;
        }
      };
      entry.start();
    });
    unzip.register(UnzipInflate);
    try {
      for await (const chunk of chunks) {
        unzip.push(chunk as Buffer);
        if (failure !== undefined) throw failure;
        read += (chunk as Buffer).length;
        onBytes(read);
      }
      unzip.push(new Uint8Array(0), true);
    } catch (error) {
      if (error instanceof BlastmapError) throw error;
      throw new BlastmapError('IO', `cannot read ${name} as a zip archive: ${(error as Error).message}`, { cause: error });
    }
    if (failure !== undefined) throw failure;
    if (documents === 0) throw new BlastmapError('IO', `${name}: no .json documents in this zip archive`);
  }
}

function readMapping(path: string | undefined) {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readInputText(path);
  } catch (error) {
    throw new BlastmapError('IO', `cannot read mapping ${inputName(path)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  try {
    return { value: JSON.parse(text) as unknown, file: path === STDIN ? inputName(path) : basename(path) };
  } catch (error) {
    throw new BlastmapError('INVALID_INPUT', `${inputName(path)} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const kindList = (counts: readonly { kind: string; count: number }[]): string => counts.slice(0, 15).map((c) => `${c.kind} (${c.count})`).join(', ') + (counts.length > 15 ? `, and ${counts.length - 15} more` : '');

function printReport(io: Io, report: OpenGraphReport): void {
  io.out(`read ${plural(report.nodesRead, 'node')} and ${plural(report.edgesRead, 'edge')} from ${plural(report.files.length, 'document')}${report.sourceKinds.length > 0 ? ` (source kind ${report.sourceKinds.join(', ')})` : ''}`);
  if (report.ours.nodes + report.ours.edges > 0) io.out(`${plural(report.ours.nodes, 'node')} and ${plural(report.ours.edges, 'edge')} are blastmap's own (BM_ kinds), read back exactly`);
  if (report.unmappedNodeKinds.length > 0) io.out(`node kinds with no mapping, kept as Resource nodes (properties.opengraphKinds): ${kindList(report.unmappedNodeKinds)}`);
  if (report.unmappedEdgeKinds.length > 0) io.out(`edge kinds with no mapping, kept as non-traversable OPENGRAPH_EDGE edges: ${kindList(report.unmappedEdgeKinds)}`);
  if (report.nonTraversableEdgeKinds.length > 0) io.out(`edge kinds mapped to nothing, kept as non-traversable OPENGRAPH_EDGE edges: ${kindList(report.nonTraversableEdgeKinds)}`);
  for (const refit of report.refitted.slice(0, 20)) {
    io.out(`${plural(refit.count, 'edge')} ${refit.kind} ${refit.from} -> ${refit.to}: ${refit.mappedTo} does not join these kinds, kept as ${refit.keptAs}${refit.keptAs === 'OPENGRAPH_EDGE' ? ' (not traversed)' : ''}`);
  }
  if (report.unmatchedCount > 0) {
    io.out(`${plural(report.unmatchedCount, 'edge endpoint')} matched no node (or several); those edges were dropped:`);
    for (const issue of report.unmatched.slice(0, 20)) io.out(`  ${issue.file ?? ''} ${issue.path}: ${issue.message}`);
    if (report.unmatchedCount > 20) io.out(`  ... and ${report.unmatchedCount - 20} more (--format json lists ${report.unmatched.length})`);
  }
  if (report.duplicateNodes > 0) io.out(`${plural(report.duplicateNodes, 'repeated node id')}: the first occurrence was kept`);
  if (report.skipped.length > 0) {
    io.out(`skipped ${plural(report.skipped.length, 'invalid element')} (--lenient):`);
    for (const issue of report.skipped.slice(0, 20)) io.out(`  ${issue.file ?? ''} ${issue.path}: expected ${issue.expected ?? issue.message}${issue.found ? `, found ${issue.found}` : ''}`);
  }
}

/** The snapshot as it is now, and a way to tell whether someone rewrote it since. */
function snapshotState(target: string, replace: boolean | undefined): { graph?: CompactGraph; stamp?: string } {
  if (replace || !existsSync(target)) return {};
  const stats = statSync(target);
  return { graph: readSnapshotFile(target), stamp: `${stats.ino}:${stats.size}:${stats.mtimeMs}` };
}

export function registerImportOpenGraph(program: Command, io: Io): void {
  const parent = program.commands.find((command) => command.name() === 'import');
  if (!parent) throw new Error('cli: register `import` before `import opengraph`');
  parent
    .command('opengraph')
    .description('import BloodHound OpenGraph payloads (.json or .zip) from any OpenGraph collector, or from `blastmap export opengraph` (docs/importers/opengraph.md)')
    .argument('<files...>', '.json or .zip files, or folders of them; - for standard input (JSON or a zip archive)')
    .option('-g, --graph <snapshot>', 'snapshot to update (default $BLASTMAP_GRAPH or .blastmap/graph.bmap)')
    .option('--replace', 'start from an empty graph instead of merging into the existing snapshot')
    .option('--mapping <file>', 'extra kind mapping (JSON, the shape of importers/opengraph/mapping.json), laid over the default one')
    .option('--tenant <key>', "tenant key for collectors' nodes, instead of the one read from their properties")
    .option('--lenient', 'skip invalid nodes and edges, and report them, instead of failing')
    .option('-f, --format <format>', 'report format: text or json', 'text')
    .action(async (files: string[], flags: OpenGraphFlags) => {
      const format = parseFormat(flags.format, ['text', 'json']);
      const target = graphPath(flags.graph);
      const inputs = listInputs(files);
      if (flags.mapping === STDIN && files.includes(STDIN)) throw new BlastmapError('INVALID_OPTION', 'standard input (`-`) can be read once: the payload or the mapping, not both');
      // The snapshot's schema decides which kinds are ours; it is read again under the lock if it changed meanwhile.
      const before = snapshotState(target, flags.replace);
      const schema = before.graph?.schema;
      const mapping = buildMapping(schema ?? DEFAULT_SCHEMA, readMapping(flags.mapping));
      if (!mapping.ok) throw new BlastmapError('INVALID_INPUT', `${plural(mapping.issues.length, 'problem')} in the mapping ${flags.mapping}; nothing was imported`, { issues: mapping.issues });
      const transform = new OpenGraphTransform({ mapping: mapping.mapping, schema, tenant: flags.tenant, lenient: flags.lenient });
      const bar = progressBar(io, 'reading OpenGraph', inputs.reduce((sum, input) => sum + input.size, 0));
      try {
        await streamOpenGraph(inputs, transform, (bytes) => bar.update(bytes));
      } finally {
        bar.stop();
      }
      withWriteLock(target, () => {
        const now = snapshotState(target, flags.replace);
        const existing = now.stamp !== undefined && now.stamp === before.stamp ? before.graph : now.graph;
        const result: OpenGraphResult = transform.finish(existing ? existingNodes(existing) : undefined);
        if (!result.ok) throw new BlastmapError('INVALID_INPUT', `${plural(result.issues.length, 'problem')} in the OpenGraph input; nothing was imported`, { issues: redactStrings(result.issues, withoutControls) });
        // The report quotes collectors' kinds and unmatched endpoints: what it quotes is printed.
        const { fragment } = result;
        const openGraph = redactStrings(result.report, withoutControls);
        const finished = finishFragment(fragment, {
          file: 'opengraph import',
          nodePaths: fragment.nodes.map((node) => `node ${node.id}`),
          edgePaths: fragment.edges.map((edge) => `edge ${edge.from} -${edge.kind}-> ${edge.to}`),
        });
        if (!finished.ok) throw new BlastmapError('INVALID_INPUT', 'the OpenGraph input produced an inconsistent graph; nothing was imported', { issues: finished.issues });
        const { graph, report } = assembleGraph([finished.value], existing, result.schema);
        writeSnapshotFile(target, graph);
        if (format === 'json') { io.out(json({ graph: target, ...report, opengraph: openGraph })); return; }
        printReport(io, openGraph);
        io.out(`imported ${report.nodesImported} nodes and ${report.edgesImported} edges into ${target}: now ${graph.nodeCount} nodes and ${graph.edgeCount} edges (was ${report.nodesBefore} and ${report.edgesBefore})`);
        if (report.redactions > 0) io.out(`redacted ${plural(report.redactions, 'secret-shaped value')} found in names or properties`);
      });
    });
}

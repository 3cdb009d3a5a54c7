// `blastmap import opengraph <files...>`: BloodHound OpenGraph payloads (.json, or .zip archives of them) from any
// OpenGraph collector or from `blastmap export opengraph`, streamed so files of any size import in bounded memory.
import { createReadStream, existsSync, readdirSync, statSync, type Stats } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { BlastmapError, jsonSyntaxIssue } from '../../engine/errors.ts';
import { finishFragment, withoutControls } from '../../engine/format/validate.ts';
import { redactStrings } from '../../engine/secrets.ts';
import { DEFAULT_SCHEMA } from '../../engine/schema/index.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { buildMapping, existingNodes, OpenGraphReader, OpenGraphTransform, type OpenGraphReport, type OpenGraphResult } from '../../importers/opengraph/index.ts';
import { graphPath, inputName, json, parseCount, parseFormat, progressBar, readInputText, shownPath, STDIN, type Io } from '../context.ts';
import { readSnapshotFile, withWriteLock, writeSnapshotFile } from '../snapshot-file.ts';

interface OpenGraphFlags {
  graph?: string; replace?: boolean; format?: string; lenient?: boolean; tenant?: string; mapping?: string;
  zipMaxEntries?: string; zipMaxSize?: string; zipMaxRatio?: string;
}

/** What one zip archive may unpack to: bounds a zip bomb's memory and time before any of it is parsed. */
export interface ZipLimits {
  /** Entries of any kind (documents, folders, other files). */
  maxEntries: number;
  /** Uncompressed bytes of all its documents together. */
  maxBytes: number;
  /** Uncompressed bytes per byte of the archive file. */
  maxRatio: number;
}

/** Collectors' archives hold a few to a few thousand documents of JSON, which compresses 5 to 30 times. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 10_000, maxBytes: 4 * 1024 ** 3, maxRatio: 100 };

/** Compressed bytes handed to the inflater at once: at deflate's best ratio (~1032:1) at most ~16 MB come out. */
const ZIP_PUSH_BYTES = 16 * 1024;

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4 };

/** `4G`, `500MB`, `1048576`: bytes (binary units). */
export function parseByteSize(option: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = match ? SIZE_UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined || !(Number(match[1]) > 0)) throw new BlastmapError('INVALID_OPTION', `${option} ${value}: expected a size such as 4G, 500M or 1048576 (bytes)`);
  return Math.floor(Number(match[1]) * unit);
}

function zipLimits(flags: OpenGraphFlags): ZipLimits {
  return {
    maxEntries: flags.zipMaxEntries === undefined ? DEFAULT_ZIP_LIMITS.maxEntries : parseCount('--zip-max-entries', flags.zipMaxEntries, 1)!,
    maxBytes: flags.zipMaxSize === undefined ? DEFAULT_ZIP_LIMITS.maxBytes : parseByteSize('--zip-max-size', flags.zipMaxSize),
    maxRatio: flags.zipMaxRatio === undefined ? DEFAULT_ZIP_LIMITS.maxRatio : parseCount('--zip-max-ratio', flags.zipMaxRatio, 1)!,
  };
}

const megabytes = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(bytes < 10 * 1024 ** 2 ? 1 : 0)} MB`;

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
export async function streamOpenGraph(inputs: readonly InputFile[], transform: OpenGraphTransform, onBytes: (bytes: number) => void, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<void> {
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
    let entries = 0;
    let unpacked = 0;
    // The ratio is taken over the archive's size, at least 1 MB: a small archive of small documents is never refused by it.
    // Standard input has no size up front: the bytes pushed so far stand for it.
    let archiveBytes = input.size;
    const ratioBase = (): number => Math.max(archiveBytes, 1024 ** 2);
    const unzip = new Unzip((entry: UnzipFile) => {
      if (failure !== undefined) return;
      if (++entries > limits.maxEntries) {
        failure = new BlastmapError('INVALID_INPUT', `${name}: more than ${limits.maxEntries} entries in this zip archive (the --zip-max-entries limit); raise it if the archive is trusted`);
        return;
      }
      if (!isDocumentEntry(entry.name)) return;
      documents++;
      const document = `${name}:${entry.name}`;
      const reader = new OpenGraphReader(document, transform.openDocument(document));
      const decoder = new TextDecoder('utf-8');
      entry.ondata = (error, data, final) => {
        if (failure !== undefined) return;
        try {
          if (error) throw new BlastmapError('IO', `cannot unzip ${document}: ${error.message}`, { cause: error });
          unpacked += data.length;
          if (unpacked > limits.maxBytes) {
            throw new BlastmapError('INVALID_INPUT', `${name}: unpacks to more than ${megabytes(limits.maxBytes)} (the --zip-max-size limit); raise it if the archive is trusted`);
          }
          if (unpacked > limits.maxRatio * ratioBase()) {
            throw new BlastmapError('INVALID_INPUT', `${name}: unpacks to more than ${megabytes(limits.maxRatio * ratioBase())}, ${limits.maxRatio} times the archive's ${megabytes(ratioBase())} (the --zip-max-ratio limit: a zip bomb's signature); raise it if the archive is trusted`);
          }
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
        // In small pieces: fflate recurses once per entry a push completes (20,000 tiny entries in one 1 MB chunk
        // overflowed the stack) and inflates a whole push at once (a 1 MB push of a bomb is 1 GB).
        const bytes = chunk as Buffer;
        for (let at = 0; at < bytes.length && failure === undefined; at += ZIP_PUSH_BYTES) {
          if (input.path === STDIN) archiveBytes = read + Math.min(at + ZIP_PUSH_BYTES, bytes.length);
          unzip.push(bytes.subarray(at, at + ZIP_PUSH_BYTES));
        }
        if (failure !== undefined) throw failure;
        read += bytes.length;
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
    // The parser's reason, line and column; never its message as is, which quotes the text (a pasted secret with it).
    throw new BlastmapError('INVALID_INPUT', `the mapping ${inputName(path)} does not parse as JSON; nothing was imported`, { issues: [jsonSyntaxIssue(text, error, { file: inputName(path) })] });
  }
}

/** The kinds a --mapping file names, so those the input lacks can be warned about. */
export function requestedKinds(user: { value: unknown; file: string } | undefined): { file: string; nodes: string[]; edges: string[] } | undefined {
  if (!user || user.value === null || typeof user.value !== 'object') return undefined;
  const { nodes, edges } = user.value as { nodes?: unknown; edges?: unknown };
  const keys = (value: unknown): string[] => (value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : []);
  return { file: user.file, nodes: keys(nodes), edges: keys(edges) };
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
  for (const warning of report.warnings) io.out(`warning: ${warning}`);
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
    .option('--zip-max-entries <n>', `most entries a .zip archive may hold (default ${DEFAULT_ZIP_LIMITS.maxEntries})`)
    .option('--zip-max-size <size>', 'most bytes a .zip archive may unpack to, e.g. 8G (default 4G)')
    .option('--zip-max-ratio <n>', `most bytes a .zip archive may unpack to per byte of the archive (default ${DEFAULT_ZIP_LIMITS.maxRatio})`)
    .option('-f, --format <format>', 'report format: text or json', 'text')
    .action(async (files: string[], flags: OpenGraphFlags) => {
      const format = parseFormat(flags.format, ['text', 'json']);
      const limits = zipLimits(flags);
      const target = graphPath(flags.graph);
      const inputs = listInputs(files);
      if (flags.mapping === STDIN && files.includes(STDIN)) throw new BlastmapError('INVALID_OPTION', 'standard input (`-`) can be read once: the payload or the mapping, not both');
      // The snapshot's schema decides which kinds are ours; it is read again under the lock if it changed meanwhile.
      const before = snapshotState(target, flags.replace);
      const schema = before.graph?.schema;
      const userMapping = readMapping(flags.mapping);
      const mapping = buildMapping(schema ?? DEFAULT_SCHEMA, userMapping);
      if (!mapping.ok) throw new BlastmapError('INVALID_INPUT', `${plural(mapping.issues.length, 'problem')} in the mapping ${flags.mapping}; nothing was imported`, { issues: mapping.issues });
      const transform = new OpenGraphTransform({ mapping: mapping.mapping, schema, tenant: flags.tenant, lenient: flags.lenient, requested: requestedKinds(userMapping) });
      const bar = progressBar(io, 'reading OpenGraph', inputs.reduce((sum, input) => sum + input.size, 0));
      try {
        await streamOpenGraph(inputs, transform, (bytes) => bar.update(bytes), limits);
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
        if (format === 'json') { io.out(json({ graph: shownPath(target), ...report, opengraph: openGraph })); return; }
        printReport(io, openGraph);
        io.out(`imported ${report.nodesImported} nodes and ${report.edgesImported} edges into ${shownPath(target)}: now ${graph.nodeCount} nodes and ${graph.edgeCount} edges (was ${report.nodesBefore} and ${report.edgesBefore})`);
        if (report.redactions > 0) io.out(`redacted ${plural(report.redactions, 'secret-shaped value')} found in names or properties`);
      }, { onTakeover: (message) => io.err(shownPath(message)) });
    });
}

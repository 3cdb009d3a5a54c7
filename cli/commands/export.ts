// `blastmap export <format>`: the graph, or the blast radius of some nodes, for other tools: BloodHound CE
// (OpenGraph payload + extension schema), Gephi/yEd/NetworkX (GEXF, GraphML), or blastmap's own JSON/NDJSON.
import { closeSync, existsSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import { reach, type ReachResult } from '../../engine/analysis/reach.ts';
import { BlastmapError } from '../../engine/errors.ts';
import { gexfChunks, graphmlChunks } from '../../engine/export/graph-formats.ts';
import { nativeJsonParts, ndjsonParts } from '../../engine/export/native.ts';
import { writeJsonOut, type JsonOut } from '../../engine/report/json-out.ts';
import { openGraphExtension, openGraphText } from '../../engine/export/opengraph.ts';
import { DEFAULT_SCHEMA } from '../../engine/schema/index.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { resolveNode } from '../../engine/store/lookup.ts';
import { graphPath, json, writeChunks, writeEncodedChunks, writeJson, type Io } from '../context.ts';
import { loadGraph } from '../load-graph.ts';
import { VERSION } from '../package-root.ts';
import { addReachOptions, toReachOptions, type ReachFlags } from '../reach-options.ts';

export const EXPORT_FORMATS = ['opengraph', 'opengraph-schema', 'gexf', 'graphml', 'json', 'ndjson'] as const;
type ExportFormat = (typeof EXPORT_FORMATS)[number];

interface ExportFlags extends ReachFlags { graph?: string; radius?: string[]; out?: string }

/** Bytes per write (the payloads are produced element by element). */
const WRITE_BATCH = 1 << 20;

/** A JSON export written by a JsonOut writer (native JSON and NDJSON), or text chunks (the other formats). */
type ExportWriter = { parts: (out: JsonOut) => Iterable<unknown> } | { chunks: Iterable<string> };

function exportWriter(format: ExportFormat, graph: CompactGraph, radius: ReachResult | undefined): ExportWriter {
  const options = radius ? { radius } : {};
  switch (format) {
    case 'opengraph': return { chunks: openGraphText(graph, options) };
    case 'opengraph-schema': return { chunks: [json(openGraphExtension(graph.schema, { version: `v${VERSION}` }))] };
    case 'gexf': return { chunks: gexfChunks(graph, options) };
    case 'graphml': return { chunks: graphmlChunks(graph, options) };
    case 'json': return { parts: (out) => nativeJsonParts(graph, out, options) };
    case 'ndjson': return { parts: (out) => ndjsonParts(graph, out, options) };
  }
}

/** Writes next to the target and renames, so an interrupted export never leaves half a file under its name. */
function writeFile(path: string, writer: ExportWriter): void {
  const temporary = `${path}.${process.pid}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'w', 0o644);
    const target = fd;
    // Encoded straight into one reused buffer, written when full: no joined string, no new buffer per write.
    const sink = (bytes: Uint8Array): void => { for (let offset = 0; offset < bytes.length;) offset += writeSync(target, bytes, offset, bytes.length - offset); };
    if ('parts' in writer) writeJsonOut(sink, writer.parts, WRITE_BATCH);
    else writeEncodedChunks(sink, writer.chunks, WRITE_BATCH);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temporary, { force: true });
    throw new BlastmapError('IO', `cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
}

export function registerExport(program: Command, io: Io): void {
  const command = program
    .command('export')
    .description('write the graph, or what some nodes reach, for BloodHound CE (OpenGraph), Gephi (GEXF, GraphML) or as native JSON/NDJSON')
    .argument('<format>', EXPORT_FORMATS.join(', '))
    .option('-g, --graph <snapshot|file|folder>', 'graph to export (default $BLASTMAP_GRAPH or .blastmap/graph.bmap)')
    .option('--radius <nodes...>', 'export only what these nodes reach (ids or exact names), with level and hops on every node')
    .option('-o, --out <file>', 'write to this file instead of standard output');
  addReachOptions(command).action(async (formatText: string, flags: ExportFlags) => {
    if (!(EXPORT_FORMATS as readonly string[]).includes(formatText)) {
      throw new BlastmapError('INVALID_OPTION', `export format ${formatText}: expected one of ${EXPORT_FORMATS.join(', ')}`);
    }
    const format = formatText as ExportFormat;
    // Checked even without --radius, so a mistyped --at is an error rather than silently ignored.
    const reachOptions = toReachOptions(flags);
    let writer: ExportWriter;
    if (format === 'opengraph-schema' && flags.graph === undefined && !existsSync(graphPath(undefined))) {
      // The extension document needs only a schema: without a graph, the built-in one.
      writer = { chunks: [json(openGraphExtension(DEFAULT_SCHEMA, { version: `v${VERSION}` }))] };
    } else {
      const graph = await loadGraph(flags.graph);
      let radius: ReachResult | undefined;
      if (flags.radius) {
        if (format === 'opengraph-schema') throw new BlastmapError('INVALID_OPTION', '--radius does not apply to opengraph-schema (the schema document lists kinds, not nodes)');
        radius = reach(graph, flags.radius.map((reference) => resolveNode(graph, reference)), reachOptions);
      }
      writer = exportWriter(format, graph, radius);
    }
    if (flags.out !== undefined) writeFile(flags.out, writer);
    else if ('parts' in writer) writeJson(io, writer.parts);
    else writeChunks(io, writer.chunks, WRITE_BATCH);
  });
}

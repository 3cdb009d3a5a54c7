// Every input path blastmap reads, as one table of targets: their seed files (the repository's own fixtures), the
// in-process pipeline from raw text to a compiled graph, and the CLI command that imports a folder of them.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stringify as yamlStringify, parse as yamlParse } from 'yaml';
import { readRawFiles, runImporter } from '../../cli/commands/import.ts';
import { streamNdjsonChunks } from '../../cli/ndjson-stream.ts';
import { blastRadius } from '../../engine/analysis/radius.ts';
import { BlastmapError, type InputIssue } from '../../engine/errors.ts';
import { toGexf } from '../../engine/export/graph-formats.ts';
import { toNdjson } from '../../engine/export/native.ts';
import { toOpenGraph } from '../../engine/export/opengraph.ts';
import { finishFragment } from '../../engine/format/validate.ts';
import { DEFAULT_SCHEMA } from '../../engine/schema/index.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { decodeSnapshot, encodeSnapshot } from '../../engine/store/snapshot.ts';
import type { RawFile } from '../../importers/common/records.ts';
import { parseNative } from '../../importers/native/index.ts';
import { buildMapping, transformOpenGraph } from '../../importers/opengraph/index.ts';
import { IMPORTERS } from '../../importers/registry.ts';
import { REPO } from '../helpers/cli.ts';

export const FIXTURES = join(REPO, 'test/fixtures');

/** What a pipeline made of an input: a graph, or the issues of a typed refusal. */
export type Outcome = { ok: true; graph: CompactGraph } | { ok: false; issues: readonly InputIssue[]; message: string };

export interface Target {
  name: string;
  /** Seed files: mutated one at a time by the fuzzer. */
  seeds: RawFile[];
  /** Raw text to graph, in process. Throws only BlastmapError (the property under test). */
  run: (files: readonly RawFile[], lenient: boolean) => Outcome;
  /** `blastmap import ...` arguments for a folder holding the files (the snapshot option is appended); none when the CLI reads them another way. */
  cli?: (folder: string, lenient: boolean) => string[];
}

/** Typed refusals become outcomes; anything else propagates (and fails the property). */
export function attempt(work: () => CompactGraph): Outcome {
  try {
    return { ok: true, graph: work() };
  } catch (error) {
    if (error instanceof BlastmapError) return { ok: false, issues: error.issues, message: error.message };
    throw error;
  }
}

const refuse = (issues: readonly InputIssue[], what: string): never => {
  throw new BlastmapError('INVALID_INPUT', `${issues.length} problems in the ${what}`, { issues });
};

function nativeTarget(name: string, seeds: RawFile[]): Target {
  return {
    name,
    seeds,
    // In the order the CLI reads a folder (sorted by name): the first file to declare a node decides its kind.
    run: (files) => attempt(() => {
      const batch = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((file) => {
        const result = parseNative(file.text, { file: file.path });
        return result.ok ? result.value : refuse(result.issues, file.path);
      });
      return assembleGraph(batch).graph;
    }),
    cli: (folder) => ['import', 'native', folder],
  };
}

/** Bytes in chunks of an awkward size, so records, escapes and UTF-8 sequences are split across chunks. */
export function chunked(text: string, size: number): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}

/** The streaming path big native NDJSON files take (cli/ndjson-stream.ts), one file at a time. */
function ndjsonStreamTarget(seeds: RawFile[]): Target {
  return {
    name: 'native-ndjson-stream',
    seeds: seeds.slice(0, 1),
    run: (files) => attempt(() => streamNdjsonChunks(chunked(files[0]!.text, 97), { file: files[0]!.path }).graph),
  };
}

const MAPPING = (() => {
  const built = buildMapping(DEFAULT_SCHEMA, undefined);
  if (!built.ok) throw new Error('the default OpenGraph mapping does not build');
  return built.mapping;
})();

function openGraphTarget(seeds: RawFile[]): Target {
  return {
    name: 'opengraph',
    seeds,
    run: (files, lenient) => attempt(() => {
      const result = transformOpenGraph(files, { mapping: MAPPING, lenient });
      if (!result.ok) return refuse(result.issues, 'OpenGraph input');
      const finished = finishFragment(result.fragment, {
        file: 'opengraph import',
        nodePaths: result.fragment.nodes.map((node) => `node ${node.id}`),
        edgePaths: result.fragment.edges.map((edge) => `edge ${edge.from} -${edge.kind}-> ${edge.to}`),
      });
      if (!finished.ok) return refuse(finished.issues, 'OpenGraph input');
      return assembleGraph([finished.value], undefined, result.schema).graph;
    }),
    cli: (folder, lenient) => ['import', 'opengraph', folder, ...(lenient ? ['--lenient'] : [])],
  };
}

/** The fixture folder an importer's own tests use: the source's folder, else its first sub-folder that imports. */
function importerSeeds(source: string): RawFile[] {
  const root = join(FIXTURES, source);
  if (!existsSync(root)) throw new Error(`no fixtures for the ${source} importer in test/fixtures/${source}: the fuzzer needs seeds`);
  const candidates = [root, ...readdirSync(root).sort().map((name) => join(root, name)).filter((path) => statSync(path).isDirectory())];
  const importer = IMPORTERS.find((i) => i.source === source)!;
  for (const folder of candidates) {
    let files: RawFile[];
    try {
      files = readRawFiles([folder]);
    } catch {
      continue;
    }
    if (attempt(() => assembleGraph([runImporter(importer, files, {}).sourced]).graph).ok) return files;
  }
  throw new Error(`no folder under test/fixtures/${source} imports cleanly with the ${source} importer`);
}

/**
 * Every fixture folder of an importer that imports cleanly on its own: test/fixtures/<source> when it does, else each
 * folder under it that does (a folder inside one already taken is not taken again). Each is one export.
 */
export function importerFixtureSets(source: string): { folder: string; files: RawFile[] }[] {
  const importer = IMPORTERS.find((i) => i.source === source)!;
  const sets: { folder: string; files: RawFile[] }[] = [];
  const visit = (folder: string, depth: number): void => {
    let files: RawFile[] | undefined;
    try {
      files = readRawFiles([folder]);
    } catch {
      files = undefined;
    }
    if (files && attempt(() => assembleGraph([runImporter(importer, files, {}).sourced]).graph).ok) {
      sets.push({ folder, files });
      return;
    }
    if (depth === 0) return;
    for (const name of readdirSync(folder).sort()) if (statSync(join(folder, name)).isDirectory()) visit(join(folder, name), depth - 1);
  };
  visit(join(FIXTURES, source), 2);
  if (sets.length === 0) throw new Error(`no folder under test/fixtures/${source} imports cleanly with the ${source} importer`);
  return sets;
}

function importerTarget(source: string): Target {
  const importer = IMPORTERS.find((i) => i.source === source)!;
  return {
    name: source,
    seeds: importerSeeds(source),
    run: (files, lenient) => attempt(() => assembleGraph([runImporter(importer, files, { lenient }).sourced]).graph),
    cli: (folder, lenient) => ['import', source, folder, ...(lenient ? ['--lenient'] : [])],
  };
}

function nativeSeeds(): { yaml: RawFile[]; json: RawFile[]; ndjson: RawFile[] } {
  const yamlFiles = ['native/drift-mini.yaml', 'hostile/graph.yaml'].map((path) => ({ path: path.replace('/', '-'), text: readFileSync(join(FIXTURES, path), 'utf8') }));
  const documents = yamlFiles.map((file) => ({ file, value: yamlParse(file.text) as { nodes: object[]; edges: object[] } }));
  return {
    yaml: yamlFiles,
    json: documents.map(({ file, value }) => ({ path: file.path.replace(/\.yaml$/, '.json'), text: JSON.stringify(value, null, 2) })),
    ndjson: documents.map(({ file, value }) => ({ path: file.path.replace(/\.yaml$/, '.ndjson'), text: [...value.nodes, ...value.edges].map((r) => JSON.stringify(r)).join('\n') + '\n' })),
  };
}

/** Every input format, every registered importer. */
export function allTargets(): Target[] {
  const native = nativeSeeds();
  const openGraph = readdirSync(join(FIXTURES, 'opengraph')).filter((name) => name.endsWith('.json') && !name.endsWith('.schema.json')).sort()
    .map((name) => ({ path: name, text: readFileSync(join(FIXTURES, 'opengraph', name), 'utf8') }));
  return [
    nativeTarget('native-yaml', native.yaml),
    nativeTarget('native-json', native.json),
    nativeTarget('native-ndjson', native.ndjson),
    ndjsonStreamTarget(native.ndjson),
    openGraphTarget(openGraph),
    ...IMPORTERS.map((importer) => importerTarget(importer.source)),
  ];
}

/** Exercises everything downstream of an import: snapshot round trip, exports, a radius. Must never throw. */
export function downstream(graph: CompactGraph): void {
  const decoded = decodeSnapshot(encodeSnapshot(graph));
  if (decoded.nodeCount !== graph.nodeCount || decoded.edgeCount !== graph.edgeCount) throw new Error('snapshot round trip changed the graph');
  toNdjson(graph);
  toOpenGraph(graph);
  toGexf(graph);
  if (graph.nodeCount > 0) blastRadius(graph, [0], { at: '2026-01-01' });
}

// ---- serialising mutated documents back to each format -----------------------------------------------

export type Format = 'json' | 'yaml' | 'ndjson' | 'csv';

export function formatOf(path: string): Format {
  if (/\.ya?ml$/i.test(path)) return 'yaml';
  if (/\.(ndjson|jsonl)$/i.test(path)) return 'ndjson';
  if (/\.csv$/i.test(path)) return 'csv';
  return 'json';
}

export function parseAs(format: Format, text: string): unknown {
  if (format === 'yaml') return yamlParse(text);
  if (format === 'ndjson') return text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
  return JSON.parse(text);
}

/** Serialises a (mutated) document; `expand` turns placeholder strings into text no serializer would write (deep nesting). */
export function serialise(format: Format, value: unknown, expand: (text: string) => string): string {
  if (format === 'yaml') return expand(yamlStringify(value, { lineWidth: 0 }));
  if (format === 'ndjson') return expand((Array.isArray(value) ? value : [value]).map((record) => JSON.stringify(record)).join('\n') + '\n');
  return expand(JSON.stringify(value));
}

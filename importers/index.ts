// The importers as a library (`blastmap/importers`): every platform importer, the native-format parser, and the two
// steps the CLI takes with them (raw exports or native text to a checked fragment, fragments to a graph). Pure: the
// caller reads the files (or fetches the API responses) and hands over text or parsed objects.
import { BlastmapError } from '../engine/errors.ts';
import { finishFragment, withoutControls, type SourcedFragment } from '../engine/format/validate.ts';
import { redactStrings, scrubInput } from '../engine/secrets.ts';
import { assembleGraph, type ImportReport } from '../engine/store/assemble.ts';
import type { CompactGraph } from '../engine/store/compact.ts';
import { MAX_TENANT_ID } from './common/bounds.ts';
import type { Importer, ImporterOptions, ImporterReport } from './common/importer.ts';
import type { RawFile } from './common/records.ts';
import { parseNative, type NativeOptions } from './native/index.ts';
import { findImporter, IMPORTERS } from './registry.ts';

export { IMPORTERS, findImporter };
export type { FileRole, Importer, ImporterOptions, ImporterReport, ImporterResult } from './common/importer.ts';
export type { RawFile } from './common/records.ts';
export { detectFormat, parseNative, toNdjson, type NativeFormat, type NativeOptions } from './native/index.ts';
export { importLogFiles, LOG_IMPORTERS, readLogFiles, type LogFilesReport, type LogFilesResult } from './logs/registry.ts';
export type { LogImporter, LogImporterOptions, LogImportReport, LogImportResult } from './logs/types.ts';
export { transformOpenGraph, type OpenGraphImportOptions, type OpenGraphReport, type OpenGraphResult } from './opengraph/index.ts';
export type { SourcedFragment } from '../engine/format/validate.ts';
export type { ImportReport } from '../engine/store/assemble.ts';

/**
 * One raw export file: its name (the importer recognises the endpoint by it, e.g. `users.json`) and either its text
 * or the parsed response object.
 */
export type RawExport = RawFile | { path: string; data: unknown };

function asRawFile(file: RawExport): RawFile {
  return 'text' in file ? file : { path: file.path, text: JSON.stringify(file.data) };
}

function importerFor(source: string | Importer): Importer {
  if (typeof source !== 'string') return source;
  const importer = findImporter(source);
  if (!importer) throw new BlastmapError('INVALID_OPTION', `no importer named ${JSON.stringify(withoutControls(source))}`, { candidates: IMPORTERS.map((known) => known.source) });
  return importer;
}

/**
 * Runs a platform importer (by its name, e.g. `okta`, or the object) over raw export files: a checked fragment ready
 * for `buildGraph`, and the importer's report. Throws a BlastmapError (INVALID_INPUT, with every issue) on bad input.
 */
export function importExport(source: string | Importer, files: readonly RawExport[], options: ImporterOptions = {}): { sourced: SourcedFragment; report: ImporterReport } {
  const importer = importerFor(source);
  // File and folder names are input too: importers take ids from them (repos/<owner>/<repo>/…, apps/<id>/users.json)
  // and fold their case, so a secret in a name is scrubbed here, before any importer reads the path.
  const raw = files.map(asRawFile).map((file) => {
    const path = scrubInput(file.path);
    return path === file.path ? file : { path, text: file.text };
  });
  // So is --tenant: importers fold it into every id, so it is bounded as the platforms' own tenant fields are.
  for (const [name, value] of [['--tenant', options.tenant], ['the workspace tenant folder', options.tenantFallback]] as const) {
    if (value !== undefined && value.length > MAX_TENANT_ID) {
      throw new BlastmapError('INVALID_OPTION', `${name} is ${value.length.toLocaleString('en-US')} characters long; a tenant (an org, domain, project, account or instance) may have at most ${MAX_TENANT_ID}: it is part of every node id`);
    }
  }
  const result = importer.transform(raw, options.tenant === undefined ? options : { ...options, tenant: scrubInput(options.tenant) });
  if (!result.ok) throw new BlastmapError('INVALID_INPUT', `${result.issues.length} problem${result.issues.length === 1 ? '' : 's'} in the ${importer.title} export; nothing was imported`, { issues: redactStrings(result.issues, withoutControls) });
  const { fragment } = result;
  const finished = finishFragment(fragment, {
    file: `${importer.source} import`,
    nodePaths: fragment.nodes.map((node) => `node ${node.id}`),
    edgePaths: fragment.edges.map((edge) => `edge ${edge.from} -${edge.kind}-> ${edge.to}`),
  });
  if (!finished.ok) throw new BlastmapError('INVALID_INPUT', `the ${importer.title} importer produced an inconsistent graph; nothing was imported`, { issues: finished.issues });
  // The report quotes the input (notes, scopes, skipped records): whatever it quotes may be printed.
  return { sourced: finished.value, report: redactStrings(result.report, withoutControls) };
}

/**
 * Parses one native-format document (YAML, JSON or NDJSON; `options.file` names it in errors and picks the format by
 * extension). Throws a BlastmapError (INVALID_INPUT, every issue with its path and line) on bad input.
 */
export function readNative(text: string, options: NativeOptions = {}): SourcedFragment {
  const result = parseNative(text, options);
  if (!result.ok) throw new BlastmapError('INVALID_INPUT', `${result.issues.length} problem${result.issues.length === 1 ? '' : 's'} in ${options.file ?? 'the native document'}; nothing was imported`, { issues: result.issues });
  return result.value;
}

/**
 * Builds the analysis graph from checked fragments (`importExport`, `readNative`), optionally on top of an existing
 * graph: all or nothing, as `blastmap import` does. Throws a BlastmapError when a reference does not resolve.
 */
export function buildGraph(fragments: readonly SourcedFragment[], existing?: CompactGraph): { graph: CompactGraph; report: ImportReport } {
  return assembleGraph(fragments, existing);
}

/** Native documents by name (`{ 'inventory.yaml': text }`) straight to a graph. */
export function graphFromNative(documents: Readonly<Record<string, string>>): CompactGraph {
  return buildGraph(Object.entries(documents).map(([file, text]) => readNative(text, { file }))).graph;
}

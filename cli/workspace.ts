// A workspace folder: raw admin-API exports per platform (`exports/<source>/`) plus native files for what no
// importer reads (`native/`), assembled in memory exactly as `blastmap import <source>` and `import native` would
// (docs/cli.md). The bundled demo (datasets/demo) is one; `--graph <workspace>` loads any other the same way.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { BlastmapError, jsonSyntaxIssue, type InputIssue } from '../engine/errors.ts';
import { finishFragment, fromZodIssues, withoutControls, type SourcedFragment } from '../engine/format/validate.ts';
import { readYaml, withLines } from '../engine/format/yaml.ts';
import { DEFAULT_SCHEMA, type Schema } from '../engine/schema/index.ts';
import { redactStrings } from '../engine/secrets.ts';
import { assembleGraph, type ImportReport } from '../engine/store/assemble.ts';
import type { CompactGraph } from '../engine/store/compact.ts';
import type { ImporterOptions, ImporterReport } from '../importers/common/importer.ts';
import { buildMapping, transformOpenGraph, type OpenGraphReport } from '../importers/opengraph/index.ts';
import { findImporter, IMPORTERS } from '../importers/registry.ts';
import { readRawFiles, runImporter } from './commands/import.ts';
import { requestedKinds } from './commands/import-opengraph.ts';
import { isNativeFile } from './context.ts';
import { readNativeFiles } from './native-files.ts';
import { EXPORTS_DIR, isDir, NATIVE_DIR } from './workspace-layout.ts';

export { EXPORTS_DIR, isWorkspace, NATIVE_DIR } from './workspace-layout.ts';

/** The optional manifest at a workspace's root: per-export options, the ones `blastmap import` takes. */
export const MANIFEST = 'blastmap.yaml';
/** The OpenGraph folder of a workspace: collectors' payloads, read as `blastmap import opengraph` reads them. */
const OPENGRAPH_SOURCE = 'opengraph';
/** The files an export folder is made of (what `readRawFiles` reads). */
const RAW_EXPORT_FILE = /\.(json|csv|txt)$/i;

/** One platform import of a workspace: which importer read which folder, and what it said. */
export interface WorkspaceImport {
  source: string;
  /** The export folder, relative to the workspace. */
  folder: string;
  /** The options it was imported with (from blastmap.yaml and its tenant folder). */
  options: ExportOptions;
  report: ImporterReport;
  /** An OpenGraph folder's own report (kinds mapped, unmapped, refitted). */
  opengraph?: OpenGraphReport;
}

export interface Workspace {
  graph: CompactGraph;
  /** Assembly: counts, redactions, and the cross-platform stubs resolved or still waiting. */
  report: ImportReport;
  imports: WorkspaceImport[];
  /** Native files read from `native/`, relative to the workspace. */
  nativeFiles: string[];
}



/**
 * The export folders of a workspace, one per import: `exports/<source>/` is one export when it holds export
 * files itself or the folders of its documented layout (`applications/`, `orgs/`), and else one export per
 * subfolder, named after its tenant (two AWS accounts, two Entra tenants); files no importer reads (a README)
 * do not count. Sorted, so the graph does not depend on the file system's order.
 */
export function exportFolders(workspace: string): { source: string; folder: string; tenant?: string }[] {
  const root = join(workspace, EXPORTS_DIR);
  if (!isDir(root)) return [];
  const folders: { source: string; folder: string; tenant?: string }[] = [];
  for (const source of readdirSync(root).sort()) {
    const dir = join(root, source);
    if (!isDir(dir)) continue;
    const importer = findImporter(source);
    if (!importer && source !== OPENGRAPH_SOURCE) {
      throw new BlastmapError('INVALID_INPUT', `${dir}: no importer is called "${source}" (a workspace's exports/ holds one folder per importer: ${[...IMPORTERS.map((i) => i.source), OPENGRAPH_SOURCE].join(', ')})`);
    }
    const entries = readdirSync(dir).sort();
    const subfolders = entries.filter((name) => isDir(join(dir, name)));
    const ownFiles = entries.some((name) => !isDir(join(dir, name)) && RAW_EXPORT_FILE.test(name));
    const layout = new Set((importer?.folders ?? []).map((name) => name.toLowerCase()));
    const laidOut = subfolders.some((name) => layout.has(name.toLowerCase()));
    if (subfolders.length > 0 && !ownFiles && !laidOut) for (const tenant of subfolders) folders.push({ source, folder: join(EXPORTS_DIR, source, tenant), tenant });
    else folders.push({ source, folder: join(EXPORTS_DIR, source) });
  }
  return folders;
}

// --- blastmap.yaml: the options of each import, keyed by `<source>` (every folder of it) or `<source>/<tenant>`.

/** What `blastmap import <source>` (and `import opengraph`) takes besides where to write: the same names. */
const exportOptionsSchema = z.object({
  tenant: z.string().min(1).optional(),
  lenient: z.boolean().optional(),
  /** OpenGraph only: a mapping file (JSON) relative to the workspace, laid over the built-in one as `--mapping`. */
  mapping: z.string().min(1).optional(),
}).strict();
export type ExportOptions = z.output<typeof exportOptionsSchema>;

const manifestSchema = z.object({
  exports: z.record(z.string().regex(/^[a-z0-9-]+(\/[^/]+)?$/, { message: 'a key <source> or <source>/<tenant folder>' }), exportOptionsSchema.nullable()).default({}),
}).strict();
export type Manifest = z.output<typeof manifestSchema>;

/** Reads blastmap.yaml when the workspace has one; every problem names the file and line. */
export function readManifest(workspace: string): Manifest {
  const path = join(workspace, MANIFEST);
  if (!existsSync(path)) return { exports: {} };
  const read = readYaml(readFileSync(path, 'utf8'), { file: MANIFEST, what: 'a blastmap.yaml workspace manifest' });
  if (!read.ok) throw new BlastmapError('INVALID_INPUT', `${MANIFEST} in ${workspace} is not valid YAML`, { issues: read.issues });
  const parsed = manifestSchema.safeParse(read.value ?? {});
  if (!parsed.success) throw new BlastmapError('INVALID_INPUT', `${MANIFEST} in ${workspace} is not a workspace manifest`, { issues: withLines(fromZodIssues(parsed.error.issues, read.value, MANIFEST), read.lineAt) });
  return parsed.data;
}

/** The options of one export folder: the source's entry, then the folder's own entry over it. */
export function exportOptions(manifest: Manifest, source: string, folder: string): ExportOptions {
  const relative = folder.slice(EXPORTS_DIR.length + 1);
  return { ...(manifest.exports[source] ?? {}), ...(relative !== source ? manifest.exports[relative] ?? {} : {}) };
}

/** Manifest keys that name no export folder: a typo would silently change nothing. */
function unusedManifestKeys(manifest: Manifest, folders: readonly { source: string; folder: string }[]): InputIssue[] {
  const known = new Set(folders.flatMap(({ source, folder }) => [source, folder.slice(EXPORTS_DIR.length + 1)]));
  return Object.keys(manifest.exports).filter((key) => !known.has(key)).map((key) => ({
    file: MANIFEST, path: `$.exports[${JSON.stringify(key)}]`, message: 'names no export folder of this workspace',
    expected: `one of ${[...known].sort().join(', ') || '(no exports/ folders)'}`, found: key,
  }));
}

/** Errors written for `import` name its --tenant flag; in a workspace the tenant is said by folder or manifest. */
function inWorkspaceTerms(issue: InputIssue): InputIssue {
  const say = (text: string | undefined): string | undefined => text?.replace(/--tenant(?: <[^>]+>)?/g, 'a tenant (exports/<source>/<tenant>/, or tenant: in blastmap.yaml)');
  return { ...issue, message: say(issue.message) ?? issue.message, expected: say(issue.expected) };
}

/** One OpenGraph folder, read whole (a workspace is assembled in memory anyway) with its mapping or preset. */
function readOpenGraphExport(workspace: string, folder: string, options: ExportOptions, schema: Schema): { sourced: SourcedFragment; report: OpenGraphReport; schema: Schema } {
  const files = readRawFiles([join(workspace, folder)]).filter((file) => /\.json$/i.test(file.path));
  const user = workspaceMapping(workspace, options.mapping);
  const mapping = buildMapping(schema, user);
  if (!mapping.ok) throw new BlastmapError('INVALID_INPUT', `the mapping ${options.mapping} of ${folder} is not usable`, { issues: mapping.issues });
  const result = transformOpenGraph(files, { mapping: mapping.mapping, schema, tenant: options.tenant, lenient: options.lenient, requested: requestedKinds(user) });
  if (!result.ok) throw new BlastmapError('INVALID_INPUT', `${folder}: problems in the OpenGraph input`, { issues: redactStrings(result.issues, withoutControls) });
  const finished = finishFragment(result.fragment, {
    file: 'opengraph import',
    nodePaths: result.fragment.nodes.map((node) => `node ${node.id}`),
    edgePaths: result.fragment.edges.map((edge) => `edge ${edge.from} -${edge.kind}-> ${edge.to}`),
  });
  if (!finished.ok) throw new BlastmapError('INVALID_INPUT', `${folder}: the OpenGraph input produced an inconsistent graph`, { issues: finished.issues });
  return { sourced: finished.value, report: redactStrings(result.report, withoutControls), schema: result.schema };
}

/** A mapping named in blastmap.yaml: a JSON file relative to the workspace, as `--mapping` takes (collector presets are built in). */
function workspaceMapping(workspace: string, mapping: string | undefined): { value: unknown; file: string } | undefined {
  if (mapping === undefined) return undefined;
  const path = join(workspace, mapping);
  if (!existsSync(path)) throw new BlastmapError('IO', `${MANIFEST}: the mapping ${mapping} is not a file of the workspace`);
  const text = readFileSync(path, 'utf8');
  try {
    return { value: JSON.parse(text) as unknown, file: mapping };
  } catch (error) {
    // The parser's reason, line and column; never its message as is, which quotes the text.
    throw new BlastmapError('INVALID_INPUT', `the mapping ${mapping} does not parse as JSON`, { issues: [jsonSyntaxIssue(text, error, { file: mapping })] });
  }
}

/**
 * Reads a workspace: every export through its platform's importer with the options blastmap.yaml gives it (strict
 * unless it says `lenient: true`), then the native files. Throws one error carrying every problem of every import,
 * with file names relative to the workspace.
 */
export function readWorkspace(workspace: string): { batch: SourcedFragment[]; imports: WorkspaceImport[]; nativeFiles: string[]; schema?: Schema } {
  const batch: SourcedFragment[] = [];
  const imports: WorkspaceImport[] = [];
  const manifest = readManifest(workspace);
  const folders = exportFolders(workspace);
  const issues: InputIssue[] = unusedManifestKeys(manifest, folders);
  let schema: Schema | undefined;
  for (const { source, folder, tenant } of folders) {
    const options = exportOptions(manifest, source, folder);
    try {
      if (source === OPENGRAPH_SOURCE) {
        const read = readOpenGraphExport(workspace, folder, options, schema ?? DEFAULT_SCHEMA);
        schema = read.schema;
        batch.push(read.sourced);
        const report: ImporterReport = { records: { nodes: read.report.nodesRead, edges: read.report.edgesRead }, skipped: read.report.skipped, unknownScopes: [], ignoredFiles: [], notes: read.report.warnings ?? [] };
        imports.push({ source, folder, options, report, opengraph: read.report });
        continue;
      }
      if (options.mapping !== undefined) throw new BlastmapError('INVALID_INPUT', `${MANIFEST}: mapping is an OpenGraph option`, { issues: [{ file: MANIFEST, path: `$.exports`, message: `mapping is an option of opengraph exports only`, expected: 'tenant or lenient', found: `mapping for ${folder}` }] });
      const importerOptions: ImporterOptions = { tenant: options.tenant, lenient: options.lenient, tenantFallback: tenant };
      const { sourced, report } = runImporter(findImporter(source)!, readRawFiles([join(workspace, folder)]), importerOptions);
      batch.push(sourced);
      imports.push({ source, folder, options, report });
    } catch (error) {
      if (!(error instanceof BlastmapError) || error.issues.length === 0) throw error;
      issues.push(...error.issues.map((issue) => inWorkspaceTerms({ ...issue, file: issue.file === MANIFEST ? MANIFEST : join(folder, issue.file ?? '') })));
    }
  }
  if (issues.length > 0) throw new BlastmapError('INVALID_INPUT', `${issues.length} problem${issues.length === 1 ? '' : 's'} in the exports of ${workspace}; nothing was loaded`, { issues });
  const nativeDir = join(workspace, NATIVE_DIR);
  const nativeFiles = isDir(nativeDir) ? readdirSync(nativeDir).filter((name) => isNativeFile(name)).sort().map((name) => join(NATIVE_DIR, name)) : [];
  // After the exports, so an imported node keeps its name when a native file repeats it to add tags.
  if (nativeFiles.length > 0) batch.push(...readNativeFiles([nativeDir]));
  if (batch.length === 0) throw new BlastmapError('IO', `${workspace}: the exports/ and native/ folders hold nothing to load`);
  return { batch, imports, nativeFiles, schema };
}

/** Reads and assembles a workspace in memory (nothing is written). */
export function loadWorkspace(workspace: string): Workspace {
  const { batch, imports, nativeFiles, schema } = readWorkspace(workspace);
  const { graph, report } = assembleGraph(batch, undefined, schema);
  return { graph, report, imports, nativeFiles };
}

// A workspace folder: raw admin-API exports per platform (`exports/<source>/`) plus native files for what no
// importer reads (`native/`), assembled in memory exactly as `blastmap import <source>` and `import native` would
// (docs/cli.md). The bundled demo (datasets/demo) is one; `--graph <workspace>` loads any other the same way.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BlastmapError, type InputIssue } from '../engine/errors.ts';
import type { SourcedFragment } from '../engine/format/validate.ts';
import { assembleGraph, type ImportReport } from '../engine/store/assemble.ts';
import type { CompactGraph } from '../engine/store/compact.ts';
import type { ImporterReport } from '../importers/common/importer.ts';
import { findImporter, IMPORTERS } from '../importers/registry.ts';
import { readRawFiles, runImporter } from './commands/import.ts';
import { isNativeFile, readNativeFiles } from './context.ts';

export const EXPORTS_DIR = 'exports';
export const NATIVE_DIR = 'native';
/** The files an export folder is made of (what `readRawFiles` reads). */
const RAW_EXPORT_FILE = /\.(json|csv|txt)$/i;

/** One platform import of a workspace: which importer read which folder, and what it said. */
export interface WorkspaceImport {
  source: string;
  /** The export folder, relative to the workspace. */
  folder: string;
  report: ImporterReport;
}

export interface Workspace {
  graph: CompactGraph;
  /** Assembly: counts, redactions, and the cross-platform stubs resolved or still waiting. */
  report: ImportReport;
  imports: WorkspaceImport[];
  /** Native files read from `native/`, relative to the workspace. */
  nativeFiles: string[];
}

const isDir = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();

/** A folder is a workspace when it holds an `exports/` or a `native/` folder. */
export function isWorkspace(path: string): boolean {
  return isDir(path) && (isDir(join(path, EXPORTS_DIR)) || isDir(join(path, NATIVE_DIR)));
}

/**
 * The export folders of a workspace, one per import: `exports/<source>/` is one export when it holds export
 * files itself, and one export per subfolder (one tenant each: two AWS accounts, two Entra tenants) when it
 * holds only folders (and files no importer reads, such as a README). Sorted, so the graph does not depend on
 * the file system's order.
 */
export function exportFolders(workspace: string): { source: string; folder: string }[] {
  const root = join(workspace, EXPORTS_DIR);
  if (!isDir(root)) return [];
  const folders: { source: string; folder: string }[] = [];
  for (const source of readdirSync(root).sort()) {
    const dir = join(root, source);
    if (!isDir(dir)) continue;
    if (!findImporter(source)) {
      throw new BlastmapError('INVALID_INPUT', `${dir}: no importer is called "${source}" (a workspace's exports/ holds one folder per importer: ${IMPORTERS.map((i) => i.source).join(', ')})`);
    }
    const entries = readdirSync(dir).sort();
    const tenants = entries.filter((name) => isDir(join(dir, name)));
    const ownFiles = entries.some((name) => !isDir(join(dir, name)) && RAW_EXPORT_FILE.test(name));
    if (tenants.length > 0 && !ownFiles) for (const tenant of tenants) folders.push({ source, folder: join(EXPORTS_DIR, source, tenant) });
    else folders.push({ source, folder: join(EXPORTS_DIR, source) });
  }
  return folders;
}

/**
 * Reads a workspace: every export through its platform's importer (strict: no --lenient), then the native
 * files. Throws one error carrying every problem of every import, with file names relative to the workspace.
 */
export function readWorkspace(workspace: string): { batch: SourcedFragment[]; imports: WorkspaceImport[]; nativeFiles: string[] } {
  const batch: SourcedFragment[] = [];
  const imports: WorkspaceImport[] = [];
  const issues: InputIssue[] = [];
  for (const { source, folder } of exportFolders(workspace)) {
    try {
      const { sourced, report } = runImporter(findImporter(source)!, readRawFiles([join(workspace, folder)]), {});
      batch.push(sourced);
      imports.push({ source, folder, report });
    } catch (error) {
      if (!(error instanceof BlastmapError) || error.issues.length === 0) throw error;
      issues.push(...error.issues.map((issue) => ({ ...issue, file: join(folder, issue.file ?? '') })));
    }
  }
  if (issues.length > 0) throw new BlastmapError('INVALID_INPUT', `${issues.length} problem${issues.length === 1 ? '' : 's'} in the exports of ${workspace}; nothing was loaded`, { issues });
  const nativeDir = join(workspace, NATIVE_DIR);
  const nativeFiles = isDir(nativeDir) ? readdirSync(nativeDir).filter((name) => isNativeFile(name)).sort().map((name) => join(NATIVE_DIR, name)) : [];
  // After the exports, so an imported node keeps its name when a native file repeats it to add tags.
  if (nativeFiles.length > 0) batch.push(...readNativeFiles([nativeDir]));
  if (batch.length === 0) throw new BlastmapError('IO', `${workspace}: the exports/ and native/ folders hold nothing to load`);
  return { batch, imports, nativeFiles };
}

/** Reads and assembles a workspace in memory (nothing is written). */
export function loadWorkspace(workspace: string): Workspace {
  const { batch, imports, nativeFiles } = readWorkspace(workspace);
  const { graph, report } = assembleGraph(batch);
  return { graph, report, imports, nativeFiles };
}

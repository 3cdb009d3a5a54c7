// The graph a command analyses, named by --graph: a snapshot, native files or a folder of them, a workspace, standard
// input, or a state the snapshot's history kept; with the analyst's marks applied.
import { existsSync, statSync } from 'node:fs';
import { BlastmapError } from '../engine/errors.ts';
import type { CompactGraph } from '../engine/store/compact.ts';
import { DEFAULT_GRAPH, graphPath, inputName, isNativeFile, preloadedGraph, readStdinBytes, STDIN } from './context.ts';
import { resolveHistoryReference } from './history.ts';
import { applyMarks, marksPath, readMarks } from './marks.ts';
import { decodeSnapshotBytes, isSnapshotBytes, readSnapshotFile } from './snapshot-file.ts';
import { isWorkspace } from './workspace-layout.ts';

/**
 * Loads the graph named by --graph: a snapshot file, native files / a folder of them, or a workspace folder
 * (`exports/<source>/` raw exports through their importers plus `native/` files, cli/workspace.ts), imported
 * on the fly (nothing is written). Without --graph: $BLASTMAP_GRAPH, then .blastmap/graph.bmap.
 */
export async function loadGraph(option: string | undefined): Promise<CompactGraph> {
  // The analyst's marks (crown jewels, owned) kept beside the graph apply to every command (cli/marks.ts).
  const graph = await loadUnmarkedGraph(option);
  const marks = graphMarksPath(option);
  return marks === undefined ? graph : applyMarks(graph, readMarks(marks));
}

/** The marks file of the graph named by --graph; a past state (`@-1`, `<snapshot>@2026-12-01`) shares its snapshot's; none for standard input unless BLASTMAP_MARKS names one. */
export function graphMarksPath(option: string | undefined): string | undefined {
  const path = graphPath(option);
  const base = path.replace(/@(-\d+|\d{4}-\d{2}-\d{2}\S*)$/, '');
  // A graph read from standard input has no place beside which to keep marks: only BLASTMAP_MARKS names some.
  if (base === STDIN && !process.env.BLASTMAP_MARKS) return undefined;
  return marksPath(base === '' ? process.env.BLASTMAP_GRAPH ?? DEFAULT_GRAPH : base);
}

/**
 * The graph as its data says, without the marks file. Asynchronous because the importers, the workspace loader and
 * the native-format parser are loaded only when the graph is given as files or a folder: a snapshot, the usual
 * case, needs none of them, and loading them costs every command about half a second (docs/performance.md).
 */
export async function loadUnmarkedGraph(option: string | undefined): Promise<CompactGraph> {
  // `@-1`, `@2026-12-01`, `<snapshot>@-2`: a state the snapshot's history kept (cli/history.ts).
  const path = resolveHistoryReference(graphPath(option), process.env.BLASTMAP_GRAPH ?? DEFAULT_GRAPH);
  const preloaded = preloadedGraph(path);
  if (preloaded) return preloaded;
  if (path === STDIN) {
    // A snapshot is told by its magic bytes (`cat graph.bmap | blastmap radius X --graph -`), else native text.
    const bytes = readStdinBytes();
    if (isSnapshotBytes(bytes)) return decodeSnapshotBytes(inputName(path), bytes);
    return (await import('./native-files.ts')).assembleNativeFiles([path]).graph;
  }
  if (isWorkspace(path)) return (await import('./workspace.ts')).loadWorkspace(path).graph;
  if (existsSync(path) && (statSync(path).isDirectory() || isNativeFile(path))) {
    return (await import('./native-files.ts')).assembleNativeFiles([path]).graph;
  }
  if (!existsSync(path)) {
    throw new BlastmapError('IO', `no graph at ${path}: run \`blastmap import native <files>\` first, or pass --graph <snapshot|file|folder>`);
  }
  return readSnapshotFile(path);
}

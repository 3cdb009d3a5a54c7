// Native inputs (blastmap's own .json, .yaml and .ndjson files, or folders of them) read, checked and assembled.
// Apart from cli/context.ts so that a command reading a snapshot never loads the native-format parser.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { BlastmapError } from '../engine/errors.ts';
import type { SourcedFragment } from '../engine/format/validate.ts';
import { assembleGraph, type ImportReport } from '../engine/store/assemble.ts';
import { toFragment, type CompactGraph } from '../engine/store/compact.ts';
import { isStub } from '../engine/store/link.ts';
import { parseNative } from '../importers/native/index.ts';
import { inputName, isNativeFile, progressBar, readInputText, STDIN, type Io } from './context.ts';
import { MARKS_SUFFIX } from './marks.ts';
import { streamNdjsonFile, streamThreshold } from './ndjson-stream.ts';
import { isWorkspace } from './workspace-layout.ts';

/** Native files given directly or found (non-recursively, sorted) in a folder. */
export function expandInputs(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    if (path === STDIN) {
      files.push(path);
      continue;
    }
    if (!existsSync(path)) throw new BlastmapError('IO', `${path}: no such file or folder`);
    if (statSync(path).isDirectory()) {
      // A marks file (`x.json.marks.json`, cli/marks.ts) beside native files is not one of them.
      const inside = readdirSync(path).filter((name) => isNativeFile(name) && !name.endsWith(MARKS_SUFFIX)).sort().map((name) => join(path, name));
      if (inside.length === 0) {
        if (isWorkspace(path)) throw new BlastmapError('IO', `${path} is a workspace (exports/ and native/ folders): pass it as --graph, or import each export and then its native/ folder`);
        throw new BlastmapError('IO', `${path}: no .json, .yaml or .ndjson files in this folder`);
      }
      files.push(...inside);
    } else files.push(path);
  }
  return files;
}

function displayPath(path: string): string {
  if (path === STDIN) return inputName(path);
  const rel = relative(process.cwd(), resolve(path));
  return rel.startsWith('..') ? path : rel;
}

/** Reads and validates native files; throws one error carrying every issue of every file. */
export function readNativeFiles(paths: readonly string[]): SourcedFragment[] {
  const batch: SourcedFragment[] = [];
  const issues = [];
  for (const file of expandInputs(paths)) {
    let text: string;
    try {
      text = readInputText(file);
    } catch (error) {
      throw new BlastmapError('IO', `cannot read ${inputName(file)}: ${(error as Error).message}`, { cause: error });
    }
    const result = parseNative(text, { file: displayPath(file) });
    if (result.ok) batch.push(result.value);
    else issues.push(...result.issues);
  }
  if (issues.length > 0) throw new BlastmapError('INVALID_INPUT', `${issues.length} problem${issues.length === 1 ? '' : 's'} in the input; nothing was imported`, { issues });
  return batch;
}

/**
 * Native inputs assembled into a graph (merged into `existing` when given). A single large NDJSON file imported
 * into an empty graph is streamed in bounded memory with a progress bar (cli/ndjson-stream.ts); anything else,
 * and any input that links to other platforms through reference stubs, takes readNativeFiles and assembleGraph.
 */
export function assembleNativeFiles(paths: readonly string[], existing?: CompactGraph, io?: Io): { graph: CompactGraph; report: ImportReport } {
  const files = expandInputs(paths);
  const single = files.length === 1 ? files[0]! : undefined;
  if (existing === undefined && single !== undefined && single !== STDIN && /\.(ndjson|jsonl)$/i.test(single) && statSync(single).size >= streamThreshold()) {
    const size = statSync(single).size;
    const bar = io ? progressBar(io, `reading ${displayPath(single)}`, size) : undefined;
    let streamed;
    try {
      streamed = streamNdjsonFile(single, { file: displayPath(single), ...(bar ? { onBytes: bar.update } : {}) });
    } finally {
      bar?.stop();
    }
    const { graph, summary } = streamed;
    if (!graph.nodes.some(isStub)) {
      return {
        graph,
        report: { files: 1, nodesBefore: 0, edgesBefore: 0, nodes: graph.nodeCount, edges: graph.edgeCount, nodesImported: summary.nodes, edgesImported: summary.edges, redactions: summary.redactions, warnings: [], links: { resolved: 0, unresolved: [] } },
      };
    }
    const fragment = toFragment(graph);
    return assembleGraph([{ fragment, provenance: { file: displayPath(single), nodePaths: fragment.nodes.map((n) => `node ${n.id}`), edgePaths: fragment.edges.map((e) => `edge ${e.from} -${e.kind}-> ${e.to}`) }, redactions: summary.redactions }]);
  }
  return assembleGraph(readNativeFiles(files), existing);
}

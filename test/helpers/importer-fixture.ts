// What an importer's tests share: run its transform, insist it succeeds, read its fixture folder, and look nodes
// and edges up in the fragment it made (edges as sorted "KIND from -> to" lines, easy to compare whole).
import { readRawFiles } from '../../cli/commands/import.ts';
import type { Fragment, GraphEdge, GraphNode } from '../../engine/format/native.ts';
import type { Importer, ImporterOptions, ImporterResult } from '../../importers/common/importer.ts';
import type { RawFile } from '../../importers/common/records.ts';

export function importerFixture(importer: Importer, folder: string) {
  const run = (files: readonly RawFile[], options: ImporterOptions = {}): ImporterResult => importer.transform(files, options);
  const imported = (files: readonly RawFile[], options: ImporterOptions = {}) => {
    const result = run(files, options);
    if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.issues, null, 2)}`);
    return result;
  };
  const fixtureFiles = (): RawFile[] => readRawFiles([folder]);
  return { run, imported, fixtureFiles, fixture: () => imported(fixtureFiles()) };
}

export function nodeOf(fragment: Fragment, id: string): GraphNode {
  const found = fragment.nodes.find((x) => x.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
}

export function edgeKeys(fragment: Fragment, filter: Partial<Pick<GraphEdge, 'kind' | 'from' | 'to'>>): string[] {
  return fragment.edges.filter((e) => (filter.kind === undefined || e.kind === filter.kind) && (filter.from === undefined || e.from === filter.from) && (filter.to === undefined || e.to === filter.to))
    .map((e) => `${e.kind} ${e.from} -> ${e.to}`).sort();
}

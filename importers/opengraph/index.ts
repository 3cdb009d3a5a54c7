// The OpenGraph importer's entry points: a whole set of documents given as text (tests, the browser), and the
// pieces the CLI streams through (reader, transform, mapping). docs/importers/opengraph.md describes the mapping.
import { BlastmapError } from '../../engine/errors.ts';
import type { RawFile } from '../common/records.ts';
import { readOpenGraphText } from './read.ts';
import { OpenGraphTransform, type OpenGraphImportOptions, type OpenGraphResult } from './transform.ts';

export { OpenGraphReader, readOpenGraphText, type OpenGraphElementSink } from './read.ts';
export { buildMapping, mappingSchema, OPENGRAPH_CONTROLS, OPENGRAPH_EDGE, openGraphEdgeKinds, type OpenGraphMapping } from './mapping.ts';
export { existingNodes, OpenGraphTransform, OPENGRAPH_SOURCE, type ExistingNode, type OpenGraphImportOptions, type OpenGraphReport, type OpenGraphResult } from './transform.ts';

/** Imports OpenGraph documents given whole, in order; malformed JSON is reported like any other problem. */
export function transformOpenGraph(files: readonly RawFile[], options: OpenGraphImportOptions): OpenGraphResult {
  const transform = new OpenGraphTransform(options);
  for (const file of files) {
    try {
      transform.report(readOpenGraphText(file.text, file.path, transform.openDocument(file.path)));
    } catch (error) {
      if (!(error instanceof BlastmapError)) throw error;
      transform.report(error.issues.length > 0 ? error.issues : [{ file: file.path, path: '$', message: error.message }]);
    }
  }
  return transform.finish();
}

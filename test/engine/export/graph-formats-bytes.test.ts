// The one-pass GEXF and GraphML writers (edge attributes read straight off the compiled graph, once) against the
// first writers (every attribute record built twice): the same bytes, on the demo, the hostile fixture and random
// graphs, whole and as a radius export; and edgeAttributeValue against viewEdgeAttributes for every edge.
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDemoGraph } from '../../../cli/commands/demo.ts';
import { readNativeFiles } from '../../../cli/native-files.ts';
import { reach } from '../../../engine/analysis/reach.ts';
import { edgeAttributeValue, escapeXml, toGexf, toGraphml } from '../../../engine/export/graph-formats.ts';
import { assembleGraph } from '../../../engine/store/assemble.ts';
import type { CompactGraph } from '../../../engine/store/compact.ts';
import { viewEdgeAttributes } from '../../../engine/store/graphology.ts';
import { AT, reachableGraph } from '../../helpers/arbitraries.ts';
import { referenceEscapeXml, referenceToGexf, referenceToGraphml } from '../../helpers/reference-graph-formats.ts';

const NAMES = ['kind', 'label', 'traversable', 'scopes', 'grant', 'reason', 'conditions', 'derivedFrom', 'constructor', '__proto__'];

function expectSameDocuments(graph: CompactGraph, sources: readonly number[], at: string | number): void {
  expect(toGexf(graph)).toBe(referenceToGexf(graph));
  expect(toGraphml(graph)).toBe(referenceToGraphml(graph));
  const radius = reach(graph, sources, { at });
  expect(toGexf(graph, { radius })).toBe(referenceToGexf(graph, { radius }));
  expect(toGraphml(graph, { radius })).toBe(referenceToGraphml(graph, { radius }));
  for (let e = 0; e < graph.edgeCount; e++) {
    const record = viewEdgeAttributes(graph, e);
    for (const name of NAMES) expect(edgeAttributeValue(graph, e, name)).toBe(Object.hasOwn(record, name) ? record[name] : undefined);
  }
}

describe('GEXF and GraphML in one pass over the edges', () => {
  it('the demo and the hostile fixture: the same bytes as the first writers, whole and as a radius', () => {
    const demo = loadDemoGraph();
    expect(demo.edgeAttrs.some((attrs) => attrs?.scopes && attrs.grant)).toBe(true);
    expectSameDocuments(demo, [demo.indexOf.get('parley:prod:app:parley-chat')!], '2026-11-01');
    const hostile = assembleGraph(readNativeFiles([join(import.meta.dirname, '../../fixtures/hostile')])).graph;
    expectSameDocuments(hostile, [0], '2026-11-01');
  });

  it('escapeXml, which skips strings needing nothing, escapes as the six replacements do', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('a', '&', '<', '\'', '\u0001', '\ud800', '\udc00', '\ufffe', '\u0085', '\t') })), (text) => {
      expect(escapeXml(text)).toBe(referenceEscapeXml(text));
    }), { numRuns: 1000 });
  });

  it('random graphs', () => {
    fc.assert(fc.property(reachableGraph(), fc.nat(), ({ graph }, source) => {
      expectSameDocuments(graph, [source % graph.nodeCount], AT);
    }), { numRuns: 200 });
  });
});

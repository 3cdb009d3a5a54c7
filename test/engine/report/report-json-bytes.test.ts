// whatif, exposure, lateral-paths and findings JSON, and the native JSON and NDJSON exports, written through JsonOut against the first streamed writers (a
// JSON.stringify per record, kept as the oracle in test/helpers/reference-report-json.ts): the same bytes, on the
// demo (every App as the source; every crown jewel as the exposure target) and on random graphs, some of whose
// node names need escaping.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDemoGraph } from '../../../cli/commands/demo.ts';
import { exposureOf } from '../../../engine/analysis/exposure.ts';
import { reach } from '../../../engine/analysis/reach.ts';
import { nativeJsonText, ndjsonText } from '../../../engine/export/native.ts';
import type { ExportOptions } from '../../../engine/export/select.ts';
import { evaluateFindings, findingsReport } from '../../../engine/analysis/findings.ts';
import { generateFragment } from '../../../engine/generate/enterprise.ts';
import { findingsJsonChunks } from '../../../engine/report/findings.ts';
import { lateralPaths } from '../../../engine/analysis/paths.ts';
import { CROWN_JEWEL_TAG } from '../../../engine/analysis/radius.ts';
import { whatIf } from '../../../engine/analysis/whatif.ts';
import { exposureJsonChunks } from '../../../engine/report/exposure.ts';
import { lateralPathsJsonChunks } from '../../../engine/report/plan.ts';
import { whatIfJsonChunks } from '../../../engine/report/whatif.ts';
import { buildGraph, toFragment, type CompactGraph } from '../../../engine/store/compact.ts';
import { AT as RANDOM_AT, randomGraph, reachableGraph } from '../../helpers/arbitraries.ts';
import { cutCaseArb, reachOptionsOf } from '../../helpers/cuts.ts';
import { referenceExposureJsonChunks, referenceFindingsJsonChunks, referenceLateralPathsJsonChunks, referenceNativeJsonText, referenceNdjsonText, referenceWhatIfJsonChunks } from '../../helpers/reference-report-json.ts';

const text = (chunks: Iterable<string>): string => [...chunks].join('');

function expectSameBytes(graph: CompactGraph, source: number, target: number, options: { at: number | string; maxDepth?: number; enforceConditions?: string[] }): number {
  const id = graph.nodes[source]!.id;
  const diff = whatIf(graph, [source], [{ disable: id }], options);
  expect(text(whatIfJsonChunks(diff))).toBe(text(referenceWhatIfJsonChunks(diff)));
  const lateral = lateralPaths(graph, [source], options);
  expect(text(lateralPathsJsonChunks(lateral))).toBe(text(referenceLateralPathsJsonChunks(lateral)));
  const exposure = exposureOf(graph, target, options);
  for (const paths of [false, true]) expect(text(exposureJsonChunks(exposure, { paths }))).toBe(text(referenceExposureJsonChunks(exposure, { paths })));
  return diff.removed.length + lateral.bridges.length + exposure.exposed.length;
}

describe('whatif, exposure and paths JSON through JsonOut', () => {
  it('the demo: every App, and the crown jewels as targets, the same bytes as the first writers', () => {
    const demo = loadDemoGraph();
    const jewels: number[] = [];
    for (let v = 0; v < demo.nodeCount; v++) if (demo.nodes[v]!.tags?.includes(CROWN_JEWEL_TAG)) jewels.push(v);
    let apps = 0;
    let listed = 0;
    for (let v = 0; v < demo.nodeCount; v++) {
      if (demo.nodes[v]!.kind !== 'App') continue;
      listed += expectSameBytes(demo, v, jewels[apps % jewels.length]!, { at: '2026-11-22' });
      apps++;
    }
    expect(apps).toBeGreaterThan(5);
    expect(listed).toBeGreaterThan(50);
  });

  it('random graphs with names that need escaping', () => {
    const names = fc.array(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom('"', '\\', '\n', 'é', '😀', '\ud800', 'a') })), { minLength: 12, maxLength: 12 });
    fc.assert(fc.property(cutCaseArb(), names, fc.nat(), fc.nat(), (c, extra, pick, aim) => {
      const fragment = toFragment(c.graph);
      const platforms = ['aws', 'slack', 'github'];
      const graph = buildGraph({ ...fragment, nodes: fragment.nodes.map((node, v) => ({ ...node, name: `${node.name}${extra[v % extra.length]!}`, platform: platforms[v % 3]!, ...(v % 4 === 1 ? { tags: ['crown-jewel'] } : {}) })) });
      expectSameBytes(graph, c.sources[pick % c.sources.length] ?? pick % graph.nodeCount, aim % graph.nodeCount, reachOptionsOf(c));
    }), { numRuns: 150 });
  });
});

describe('findings JSON through JsonOut', () => {
  it('a generated enterprise (every rule fires) and the demo: the same bytes as the first writer', () => {
    const generated = buildGraph(generateFragment({ nodes: 3_000, seed: 9 }));
    for (const [graph, at] of [[generated, '2026-01-01'], [loadDemoGraph(), '2026-11-22']] as const) {
      const set = evaluateFindings(graph, { at });
      const report = findingsReport(graph, { at });
      expect(report.total).toBeGreaterThan(20);
      expect(text(findingsJsonChunks(set))).toBe(text(referenceFindingsJsonChunks(set)));
      expect(text(findingsJsonChunks(report))).toBe(text(referenceFindingsJsonChunks(report)));
    }
  });

  it('random graphs', () => {
    fc.assert(fc.property(randomGraph({ maxNodes: 30, maxEdges: 80 }), ({ graph }) => {
      const set = evaluateFindings(graph, { at: RANDOM_AT });
      expect(text(findingsJsonChunks(set))).toBe(text(referenceFindingsJsonChunks(set)));
    }), { numRuns: 100 });
  });
});

describe('native JSON and NDJSON exports through JsonOut', () => {
  it('the demo and random graphs (edges with and without attributes), whole and as a radius: the same bytes as the first writers', () => {
    const demo = loadDemoGraph();
    const check = (graph: CompactGraph, options: ExportOptions): void => {
      expect(text(nativeJsonText(graph, options))).toBe(text(referenceNativeJsonText(graph, options)));
      expect(text(ndjsonText(graph, options))).toBe(text(referenceNdjsonText(graph, options)));
    };
    check(demo, {});
    check(demo, { radius: reach(demo, [0], { at: '2026-11-22' }) });
    let withAttrs = 0;
    fc.assert(fc.property(reachableGraph(), fc.nat(), ({ graph }, pick) => {
      for (let e = 0; e < graph.edgeCount; e++) if (graph.edgeAttrs[e] !== undefined) withAttrs++;
      check(graph, {});
      check(graph, { radius: reach(graph, [pick % graph.nodeCount], { at: RANDOM_AT, sourceLevel: 'admin' }) });
    }), { numRuns: 150 });
    expect(withAttrs).toBeGreaterThan(0);
  });
});

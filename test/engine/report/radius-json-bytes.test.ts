// The radius JSON and NDJSON writers, which write each record straight from the entries and the reach result's
// arrays, against the first writers (a record object and JSON.stringify per entry): the same bytes, on the demo
// (every App and Credential as the source, with and without full paths) and on random graphs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDemoGraph } from '../../../cli/commands/demo.ts';
import { blastRadius, type BlastRadius } from '../../../engine/analysis/radius.ts';
import { radiusJsonChunks, radiusNdjsonLines } from '../../../engine/report/radius-json.ts';
import { AT, reachableGraph } from '../../helpers/arbitraries.ts';
import { referenceRadiusJsonChunks, referenceRadiusNdjsonLines } from '../../helpers/reference-radius-json.ts';

const text = (chunks: Iterable<string>) => [...chunks].join('');

function expectSameBytes(radius: BlastRadius): void {
  for (const paths of [false, true]) {
    expect(text(radiusJsonChunks(radius, { paths }))).toBe(text(referenceRadiusJsonChunks(radius, { paths })));
    expect(text(radiusNdjsonLines(radius, { paths }))).toBe(text(referenceRadiusNdjsonLines(radius, { paths })));
  }
}

describe('radius JSON written record by record', () => {
  it('the demo: every App and Credential as the source, the same bytes as the first writer', () => {
    const demo = loadDemoGraph();
    let checked = 0;
    let withSteps = 0;
    for (let v = 0; v < demo.nodeCount; v++) {
      const kind = demo.nodes[v]!.kind;
      if (kind !== 'App' && kind !== 'Credential') continue;
      const radius = blastRadius(demo, [v], { at: '2026-11-01' });
      expectSameBytes(radius);
      checked++;
      if (radius.reachedCount > 0) withSteps++;
    }
    expect(checked).toBeGreaterThan(10);
    expect(withSteps).toBeGreaterThan(5);
  });

  it('random graphs, one or two sources; entries copied (no reach result behind them) too', () => {
    fc.assert(fc.property(reachableGraph().chain((g) => fc.tuple(fc.constant(g), fc.uniqueArray(fc.nat({ max: g.graph.nodeCount - 1 }), { minLength: 1, maxLength: 2 }))), ([{ graph }, sources]) => {
      const radius = blastRadius(graph, sources, { at: AT, sourceLevel: 'admin' });
      expectSameBytes(radius);
      expectSameBytes({ ...radius, reached: radius.reached.map((entry) => ({ ...entry })), dormant: radius.dormant.map((entry) => ({ ...entry })) });
    }), { numRuns: 300 });
  });
});

// The typed node columns and the radix-sorted report order against what they replace: the node objects' fields, and
// the stable sort with the comparator describeRadius and lateralPathsOf used (property tests).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { impactOrder, nodeColumns } from '../../../engine/analysis/columns.ts';
import { CROWN_JEWEL_TAG } from '../../../engine/analysis/radius.ts';
import { reachableGraph } from '../../helpers/arbitraries.ts';
import { driftScenario } from '../../helpers/scenario.ts';

const byComparator = (crown: number[], points: number[], hops: number[], rank: number[]): number[] =>
  Array.from({ length: crown.length }, (_, k) => k).sort((a, b) => crown[b]! - crown[a]! || points[b]! - points[a]! || hops[a]! - hops[b]! || rank[a]! - rank[b]!);

describe('impactOrder', () => {
  it('is the stable comparator sort: crown jewels, most points, fewest hops, lowest id rank', () => {
    const point = fc.oneof(fc.constantFrom(0, -0, 1, 2, 3, 0.1, 0.2, 0.30000000000000004, 10, 30, -1, -0.5, 1e-300, -1e-300, 2 ** 40, Number.MAX_VALUE), fc.double({ noNaN: true, noDefaultInfinity: true }));
    const row = fc.tuple(fc.constantFrom(0, 1), point, fc.integer({ min: 0, max: 5000 }), fc.nat({ max: 3_000_000 }));
    fc.assert(fc.property(fc.array(row, { maxLength: 300 }), (rows) => {
      const crown = rows.map((r) => r[0]);
      const points = rows.map((r) => r[1]);
      const hops = rows.map((r) => r[2]);
      const rank = rows.map((r) => r[3]);
      const order = impactOrder(rows.length, Uint8Array.from(crown), Float64Array.from(points), Int32Array.from(hops), Int32Array.from(rank));
      expect([...order]).toEqual(byComparator(crown, points, hops, rank));
    }), { numRuns: 500, endOnFailure: true });
  });

  it('the same when hops and points are too spread to pack into one word (each key its own word, points by their bits)', () => {
    const row = fc.tuple(fc.constantFrom(0, 1), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 2 ** 30 }), fc.nat({ max: 3_000_000 }));
    fc.assert(fc.property(fc.array(row, { minLength: 4, maxLength: 120 }), (rows) => {
      // At least three distinct points over a hop span of 2^30: more than 32 bits together.
      rows[0]![2] = 0;
      rows[1]![2] = 2 ** 30;
      rows[1]![1] = 1.5;
      rows[2]![1] = -2.25;
      rows[3]![1] = 1e-310;
      const crown = rows.map((r) => r[0]);
      const points = rows.map((r) => r[1]);
      const hops = rows.map((r) => r[2]);
      const rank = rows.map((r) => r[3]);
      const order = impactOrder(rows.length, Uint8Array.from(crown), Float64Array.from(points), Int32Array.from(hops), Int32Array.from(rank));
      expect([...order]).toEqual(byComparator(crown, points, hops, rank));
    }), { numRuns: 300, endOnFailure: true });
  });

  it('orders a large input with many equal keys (each radix pass, and the skipped ones)', () => {
    const n = 20_000;
    let seed = 7;
    const next = (m: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % m; };
    const crown = Array.from({ length: n }, () => (next(50) === 0 ? 1 : 0));
    const points = Array.from({ length: n }, () => [1, 3, 7.5, 20, 0.1][next(5)]!);
    const hops = Array.from({ length: n }, () => 1 + next(12));
    const rank = Array.from({ length: n }, () => next(5_000_000));
    const order = impactOrder(n, Uint8Array.from(crown), Float64Array.from(points), Int32Array.from(hops), Int32Array.from(rank));
    expect([...order]).toEqual(byComparator(crown, points, hops, rank));
  });
});

describe('nodeColumns', () => {
  it('says what the node objects say: platform, (platform, tenant), crown jewel', () => {
    const check = (graph: ReturnType<typeof driftScenario>['graph']) => {
      const columns = nodeColumns(graph);
      expect(nodeColumns(graph)).toBe(columns);
      for (let v = 0; v < graph.nodeCount; v++) {
        const node = graph.nodes[v]!;
        expect(columns.platformNames[columns.platform[v]!]).toBe(node.platform);
        const place = columns.place[v]!;
        expect(columns.placeTenant[place]).toBe(node.tenant);
        expect(columns.placePlatform[place]).toBe(columns.platform[v]);
        expect(columns.crownJewel[v]).toBe(node.tags?.includes(CROWN_JEWEL_TAG) ? 1 : 0);
      }
      // One code per distinct platform and per distinct (platform, tenant) pair.
      expect(new Set(columns.platformNames).size).toBe(columns.platformNames.length);
      expect(new Set(columns.placeTenant.map((tenant, place) => `${columns.placePlatform[place]}\u0000${tenant}`)).size).toBe(columns.placeTenant.length);
    };
    check(driftScenario().graph);
    fc.assert(fc.property(reachableGraph(), ({ graph }) => check(graph)), { numRuns: 100 });
  });
});

// The browser side of the radius map: the budget chosen from a measured frame, the hop-ring placement of
// nodes and clusters, the emphasis, and the sentence that says what is aggregated.
import { describe, expect, it } from 'vitest';
import { aggregationNote, chooseBudget, mapEmphasis, mapPositions, MIN_BUDGET, TARGET_FRAME_MS } from '../../ui/src/logic/map.ts';
import type { MapResponse } from '../../ui/src/logic/wire.ts';

const ref = (id: string, platform = 'aws') => ({ id, name: id, kind: 'Resource', platform, tenant: 't' });
const map: MapResponse = {
  total: { nodes: 10, edges: 12 }, matching: 6, budget: 3, aggregated: true,
  nodes: [{ id: 's', label: 's', kind: 'App', platform: 'github', crownJewel: false }, { id: 'a', label: 'a', kind: 'Resource', platform: 'aws', crownJewel: false }, { id: 'j', label: 'j', kind: 'Resource', platform: 'aws', crownJewel: true }],
  edges: [], links: [],
  clusters: [{ key: 'aws/Resource/admin', platform: 'aws', kind: 'Resource', count: 4, level: 'admin', hops: 3 }, { key: 'okta/Identity', platform: 'okta', kind: 'Identity', count: 4 }],
  reached: [{ id: 'a', level: 'write', hops: 1, parent: 's', via: 's|HOLDS|a' }, { id: 'j', level: 'admin', hops: 2, parent: 'a', via: 'a|CAN_ADMIN|j' }],
  summary: { sources: [ref('s', 'github')], at: '2026-01-01T00:00:00.000Z', reachedCount: 6, drawnReached: 2, clusteredReached: 4, crownJewelCount: 1, platforms: [], byBridge: [] },
};

describe('the drawing budget', () => {
  it('fits the target frame at the measured cost per unit, within bounds, growing at most to twice what was measured', () => {
    // 1,000 units in 54 ms: 0.05 ms per unit after the fixed cost, so 2,000 fit a 100 ms frame.
    expect(chooseBudget(54, 1000, 5000, 20_000)).toBe(2000);
    expect(chooseBudget(4 + TARGET_FRAME_MS / 4, 1000, 1000, 20_000)).toBe(2000);
    expect(chooseBudget(5000, 4000, 5000, 20_000)).toBe(MIN_BUDGET);
    expect(chooseBudget(5, 100, 5000, 20_000)).toBe(5000);
    expect(chooseBudget(5, 100, 5000, 3000)).toBe(3000);
    expect(chooseBudget(10, 10_000, 5000, 20_000)).toBe(20_000);
  });
});

describe('the map', () => {
  it('places sources at the centre, nodes and reached clusters on their hop ring, clusters not reached outside', () => {
    const { positions, hops } = mapPositions(map, 100);
    const r = (key: string) => Math.hypot(positions.get(key)!.x, positions.get(key)!.y);
    expect(r('n:s')).toBe(0);
    expect(r('n:a')).toBeCloseTo(100);
    expect(r('n:j')).toBeCloseTo(200);
    expect(r('c:aws/Resource/admin')).toBeCloseTo(300);
    expect(r('c:okta/Identity')).toBeCloseTo(400);
    expect(hops).toEqual([1, 2, 3, 4]);
  });

  it('emphasises the sources, the drawn reached nodes by level and their witness edges', () => {
    const emphasis = mapEmphasis(map, ['gone']);
    expect([...emphasis.anchors]).toEqual(['s']);
    expect(emphasis.levels.get('j')).toBe('admin');
    expect(emphasis.edges.has('a|CAN_ADMIN|j')).toBe(true);
    expect(emphasis.cut.has('gone')).toBe(true);
  });

  it('says how much is drawn, how much grouped, and into what', () => {
    const note = aggregationNote(map, 42.4);
    expect(note).toContain('2 of 6 reached nodes drawn one by one');
    expect(note).toContain('4 grouped into 1 clusters by platform, kind and level');
    expect(note).toContain('1 grey clusters');
    expect(note).toContain('42 ms');
    expect(aggregationNote({ ...map, summary: { ...map.summary, clusteredReached: 0, drawnReached: 6 } }, undefined)).toContain('All 6 reached nodes drawn');
  });
});

// The store-driven reach (what a database-backed store runs) against the in-memory reach on a known
// scenario, and the option checks both must share.
import { describe, expect, it } from 'vitest';
import { reachThroughStore } from '../../../engine/analysis/frontier-reach.ts';
import { reach } from '../../../engine/analysis/reach.ts';
import { MemoryStore } from '../../../engine/store/memory.ts';
import { driftScenario } from '../../helpers/scenario.ts';

const at = '2025-06-01T00:00:00Z';

describe('reachThroughStore', () => {
  it('finds the Drift chain: the crown-jewel bucket at write in 7 hops, the revoked key dormant', async () => {
    const s = driftScenario();
    const result = await reachThroughStore(new MemoryStore(s.graph), [s.id('vendor')], { at });
    expect(result.level.get(s.id('bucket'))).toBe(2);
    expect(result.hops.get(s.id('bucket'))).toBe(7);
    expect(result.level.get(s.id('cases'))).toBe(1);
    expect([...result.dormant]).toEqual([[s.id('oldKey'), 3]]);
    const inMemory = reach(s.graph, [s.ix('vendor')], { at });
    expect([...result.level.keys()].sort()).toEqual(inMemory.order.map((v) => s.graph.nodes[v]!.id).sort());
  });

  it('an unknown edge kind in a filter is an INVALID_OPTION error, as in reach', async () => {
    const s = driftScenario();
    const store = new MemoryStore(s.graph);
    await expect(reachThroughStore(store, [s.id('drift')], { at, edgeKinds: ['HOLD'] })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(reachThroughStore(store, [s.id('drift')], { at, excludeEdgeKinds: ['HOLD'] })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('a negative max depth is an INVALID_OPTION error, as in reach', async () => {
    const s = driftScenario();
    await expect(reachThroughStore(new MemoryStore(s.graph), [s.id('drift')], { at, maxDepth: -1 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});

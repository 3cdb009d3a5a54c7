// Layout choices before ForceAtlas2 runs: the deterministic start, when saved positions are reused, how
// long FA2 runs, and the hop rings of a radius.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hopRings, initialPositions, layoutPlan, viewFingerprint, type PlacedUnit } from '../../ui/src/logic/layout.ts';

const unitsArb = fc.uniqueArray(
  fc.record({ key: fc.string({ minLength: 1, maxLength: 8 }), platform: fc.constantFrom('aws', 'github', 'okta', 'slack'), kind: fc.constantFrom('App', 'Resource', 'Credential') }),
  { selector: (unit) => unit.key, minLength: 1, maxLength: 60 },
);

describe('initial placement', () => {
  it('places every unit at a distinct point that does not depend on the input order', () => {
    fc.assert(fc.property(unitsArb, fc.integer(), (units, seed) => {
      const shuffled = [...units].sort((a, b) => ((a.key.charCodeAt(0) * seed) % 7) - ((b.key.charCodeAt(0) * seed) % 7));
      const a = initialPositions(units);
      const b = initialPositions(shuffled);
      expect(a.size).toBe(units.length);
      expect([...a.keys()].sort()).toEqual(units.map((u) => u.key).sort());
      for (const unit of units) expect(b.get(unit.key)).toEqual(a.get(unit.key));
      expect(new Set([...a.values()].map((p) => `${p.x.toFixed(6)},${p.y.toFixed(6)}`)).size).toBe(units.length);
    }), { numRuns: 150 });
  });

  it('keeps each platform together: nodes are nearer their own platform\u2019s centre than any other', () => {
    const units: PlacedUnit[] = [];
    for (const platform of ['aws', 'github', 'okta']) for (let i = 0; i < 30; i++) units.push({ key: `${platform}-${i}`, platform, kind: 'Resource' });
    const positions = initialPositions(units);
    const centre = (platform: string) => {
      const points = units.filter((u) => u.platform === platform).map((u) => positions.get(u.key)!);
      return { x: points.reduce((s, p) => s + p.x, 0) / points.length, y: points.reduce((s, p) => s + p.y, 0) / points.length };
    };
    const centres = new Map(['aws', 'github', 'okta'].map((p) => [p, centre(p)]));
    for (const unit of units) {
      const point = positions.get(unit.key)!;
      const distances = [...centres].map(([platform, c]) => [platform, Math.hypot(point.x - c.x, point.y - c.y)] as const).sort((a, b) => a[1] - b[1]);
      expect(distances[0]![0]).toBe(unit.platform);
    }
  });
});

describe('layout plan', () => {
  it('reuses saved positions only when they cover the whole view', () => {
    expect(layoutPlan(100, 100).mode).toBe('saved');
    expect(layoutPlan(100, 99).mode).toBe('force');
    expect(layoutPlan(0, 0).mode).toBe('force');
  });

  it('runs fewer ForceAtlas2 iterations as the view grows, with Barnes-Hut beyond a thousand units', () => {
    const sizes = [10, 500, 501, 2000, 5000, 20_000];
    const plans = sizes.map((n) => layoutPlan(n, 0));
    for (let i = 1; i < plans.length; i++) expect(plans[i]!.iterations).toBeLessThanOrEqual(plans[i - 1]!.iterations);
    expect(plans.map((p) => p.barnesHut)).toEqual([false, false, false, true, true, true]);
  });
});

describe('hop rings', () => {
  it('puts the sources at the centre and a node reached in k hops on the k-th ring', () => {
    const reached = [
      { id: 'a', hops: 1, platform: 'x' }, { id: 'b', hops: 2, platform: 'y' }, { id: 'c', hops: 2, platform: 'x' }, { id: 'd', hops: 5, platform: 'z' },
    ];
    const rings = hopRings(['s'], reached, 100);
    expect(rings.get('s')).toEqual({ x: 0, y: 0 });
    for (const entry of reached) {
      const p = rings.get(entry.id)!;
      expect(Math.hypot(p.x, p.y)).toBeCloseTo(entry.hops * 100, 6);
    }
  });

  it('keeps several sources apart near the centre', () => {
    const rings = hopRings(['s1', 's2'], [], 100);
    const [a, b] = [rings.get('s1')!, rings.get('s2')!];
    expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeGreaterThan(10);
    expect(Math.hypot(a.x, a.y)).toBeLessThan(100);
  });
});

describe('saved layout fingerprint', () => {
  it('names the same view the same way in any order, and a different view differently', () => {
    expect(viewFingerprint(['n:a', 'n:b', 'c:x/App'], 3)).toBe(viewFingerprint(['c:x/App', 'n:b', 'n:a'], 3));
    expect(viewFingerprint(['n:a', 'n:b'], 3)).not.toBe(viewFingerprint(['n:a', 'n:b'], 4));
    expect(viewFingerprint(['n:a', 'n:b'], 3)).not.toBe(viewFingerprint(['n:a', 'n:c'], 3));
  });
});

describe('hop rings as a radial tree', () => {
  it('orders each ring by its parents\u2019 angles, so sibling groups follow their parents around the circle', () => {
    const reached = [
      { id: 'a', hops: 1, platform: 'x', parent: 's' }, { id: 'b', hops: 1, platform: 'x', parent: 's' },
      { id: 'b1', hops: 2, platform: 'z', parent: 'b' }, { id: 'a1', hops: 2, platform: 'z', parent: 'a' },
      { id: 'b2', hops: 2, platform: 'a', parent: 'b' }, { id: 'a2', hops: 2, platform: 'a', parent: 'a' },
    ];
    const rings = hopRings(['s'], reached, 100);
    const angle = (id: string) => (Math.atan2(rings.get(id)!.x, -rings.get(id)!.y) + 2 * Math.PI) % (2 * Math.PI);
    expect(angle('a')).toBeLessThan(angle('b'));
    expect(Math.max(angle('a1'), angle('a2'))).toBeLessThan(Math.min(angle('b1'), angle('b2')));
  });
});

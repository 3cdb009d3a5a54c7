// The view state in the URL: what is encoded comes back the same, hand-edited or hostile links decode to a
// valid state, and cut toggles add and remove exactly their mitigations.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeState, EMPTY_STATE, encodeState, hasMitigations, TABS, toggleMitigations, type ViewState } from '../../ui/src/logic/url-state.ts';
import type { Mitigation } from '../../engine/analysis/mitigations.ts';

const id = fc.string({ minLength: 1, maxLength: 30 });
const mitigation: fc.Arbitrary<Mitigation> = fc.oneof(
  id.map((revoke) => ({ revoke })),
  id.map((disable) => ({ disable })),
  id.map((removeEdge) => ({ removeEdge })),
  fc.record({ grant: id, scope: id }).map((removeScope) => ({ removeScope })),
);
const stateArb: fc.Arbitrary<ViewState> = fc.record({
  tab: fc.constantFrom(...TABS),
  sources: fc.array(id, { maxLength: 4 }),
  mitigations: fc.array(mitigation, { maxLength: 4 }),
  at: fc.option(fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), { nil: undefined }),
  maxDepth: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
  selected: fc.option(id, { nil: undefined }),
  target: fc.option(id, { nil: undefined }),
  platforms: fc.array(id, { maxLength: 3 }),
  kinds: fc.array(id, { maxLength: 3 }),
  hiddenEdgeKinds: fc.array(id, { maxLength: 3 }),
  expand: fc.array(id, { maxLength: 3 }),
  cluster: fc.option(fc.tuple(id.filter((t) => !t.includes('/')), id.filter((t) => !t.includes('/')), fc.constantFrom('', '/read', '/write', '/admin')).map(([p, k, l]) => `${p}/${k}${l}`), { nil: undefined }),
  budget: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: undefined }),
  rings: fc.boolean(),
  respond: fc.boolean(),
  since: fc.option(fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), { nil: undefined }),
  done: fc.array(id, { maxLength: 3 }),
});

describe('view state in the URL', () => {
  it('decodes what it encoded, ids with commas, percent signs and any unicode included', () => {
    fc.assert(fc.property(stateArb, (state) => {
      const decoded = decodeState(encodeState(state));
      expect(decoded).toEqual({ ...state, at: state.at, maxDepth: state.maxDepth, selected: state.selected, target: state.target, budget: state.budget, since: state.since, cluster: state.cluster });
    }), { numRuns: 200 });
  });

  it('encodes the empty state as no query at all', () => {
    expect(encodeState(EMPTY_STATE)).toBe('');
    expect(decodeState('')).toEqual(EMPTY_STATE);
  });

  it('drops malformed parts of a hand-edited link and keeps the rest', () => {
    const state = decodeState('?tab=nope&sources=a,b&m=%7Bnot-json&at=2025-13-45&depth=-1&budget=abc&rings=yes&kinds=%E0%A4%A,App');
    expect(state).toMatchObject({ tab: 'overview', sources: ['a', 'b'], mitigations: [], rings: false, kinds: ['App'] });
    expect(state.at).toBeUndefined();
    expect(state.maxDepth).toBeUndefined();
    expect(state.budget).toBeUndefined();
    expect(decodeState('?cluster=aws/Resource/root').cluster).toBeUndefined();
    expect(decodeState('?cluster=aws').cluster).toBeUndefined();
    expect(decodeState('?cluster=aws/Resource/admin').cluster).toBe('aws/Resource/admin');
    expect(decodeState('?m=' + encodeURIComponent(JSON.stringify([{ revoke: 'x', extra: 1 }]))).mitigations).toEqual([]);
  });
});

describe('cut toggles', () => {
  it('a cut toggled on then off leaves the mitigations as they were, less that cut', () => {
    fc.assert(fc.property(fc.array(mitigation, { maxLength: 6 }), fc.array(mitigation, { minLength: 1, maxLength: 3 }), (current, toggled) => {
      const unique = toggleMitigations([], current);
      const once = toggleMitigations(unique, toggled);
      expect(hasMitigations(once, toggled) || hasMitigations(unique, toggled)).toBe(true);
      const twice = toggleMitigations(once, toggled);
      if (hasMitigations(unique, toggled)) return;
      // Off again removes the whole cut and nothing else. A mitigation the cut shared with another applied cut
      // goes too, and that cut then shows as not applied (the panels derive ticks from hasMitigations).
      expect(twice).toEqual(unique.filter((item) => !hasMitigations(toggled, [item])));
      expect(toggled.some((item) => hasMitigations(twice, [item]))).toBe(false);
    }), { numRuns: 1000 });
  });

  it('applies every mitigation of a cut at once and removes them together', () => {
    const cut: Mitigation[] = [{ removeEdge: 'a|HOLDS|b' }, { removeEdge: 'a|HOLDS|c' }];
    const applied = toggleMitigations([{ revoke: 'k' }], cut);
    expect(applied).toEqual([{ revoke: 'k' }, ...cut]);
    expect(hasMitigations(applied, cut)).toBe(true);
    expect(toggleMitigations(applied, cut)).toEqual([{ revoke: 'k' }]);
  });

  it('treats the same action on the same node as one mitigation, whatever its description', () => {
    expect(hasMitigations([{ revoke: 'k', description: 'why' }], [{ revoke: 'k' }])).toBe(true);
    expect(hasMitigations([{ revoke: 'k' }], [{ disable: 'k' }])).toBe(false);
  });
});

// Incident replay comparisons: reach expectations, the attack chain as one of the shortest paths (listed or, past
// the listing limit, replayed exactly), the first cut, and expected.json validation with paths and hints.
import { describe, expect, it } from 'vitest';
import { CHAIN_PATH_LIMIT, compareChain, compareRadius, expectedReferenceIssues, parseExpected, replayIncident, type Expected } from '../../../engine/analysis/replay.ts';
import { blastRadius } from '../../../engine/analysis/radius.ts';
import { scenario, type ScenarioBuilder } from '../../helpers/scenario.ts';

const AT = '2025-08-12T00:00:00Z';

/** An app with two routes to the cases: its token reads them directly (2 hops), or signs in as a user who does (3 hops). */
function twoRoutes(extra: (s: ScenarioBuilder) => void = () => {}) {
  return scenario((s) => {
    s.app('drift');
    s.credential('token');
    s.credential('session', { type: 'session' });
    s.identity('user');
    s.resource('cases', { tags: ['pii'] });
    s.edge('HOLDS', 'drift', 'token').edge('CAN_READ', 'token', 'cases');
    s.edge('HOLDS', 'drift', 'session').edge('AUTHENTICATES_AS', 'session', 'user').edge('CAN_READ', 'user', 'cases');
    extra(s);
  });
}

function expected(fields: Partial<Expected> & Pick<Expected, 'start'>): Expected {
  return { title: 't', at: AT, mustReach: [], mustNotReach: [], mustFind: [], notes: [], also: [], ...fields } as Expected;
}

describe('compareChain', () => {
  it('passes a chain that is the shortest path and says it is the witness', () => {
    const s = twoRoutes();
    const { verdict, check } = compareChain(s.graph, [s.ix('drift')], [s.id('drift'), s.id('token'), s.id('cases')], { at: AT });
    expect(verdict.pass).toBe(true);
    expect(check.witness).toBe(true);
    expect(check.hops).toBe(2);
    expect(check.path!.map((step) => step.kind)).toEqual(['HOLDS', 'CAN_READ']);
  });

  it('fails a valid but longer chain and shows a shortest one instead', () => {
    const s = twoRoutes();
    const { verdict } = compareChain(s.graph, [s.ix('drift')], [s.id('drift'), s.id('session'), s.id('user'), s.id('cases')], { at: AT });
    expect(verdict.pass).toBe(false);
    expect(verdict.actual).toContain('valid path of 3 hops');
    expect(verdict.actual).toContain(`${s.id('drift')} -> ${s.id('token')} -> ${s.id('cases')}`);
  });

  it('accepts any of several equally short chains, not only the witness', () => {
    const s = scenario((b) => {
      b.app('drift');
      b.credential('sf');
      b.credential('sf2');
      b.resource('cases');
      b.edge('HOLDS', 'drift', 'sf').edge('HOLDS', 'drift', 'sf2').edge('CAN_READ', 'sf', 'cases').edge('CAN_READ', 'sf2', 'cases');
    });
    const results = ['sf', 'sf2'].map((via) => compareChain(s.graph, [s.ix('drift')], [s.id('drift'), s.id(via), s.id('cases')], { at: AT }));
    expect(results.map((r) => r.verdict.pass)).toEqual([true, true]);
    expect(results.map((r) => r.check.witness).sort()).toEqual([false, true]);
    expect(results[0]!.check.shortestPathCount).toBe(2);
  });

  it('names the step with no edge when the chain is not a path', () => {
    const s = twoRoutes();
    const { verdict } = compareChain(s.graph, [s.ix('drift')], [s.id('drift'), s.id('user'), s.id('cases')], { at: AT });
    expect(verdict.pass).toBe(false);
    expect(verdict.actual).toContain(`step 1 has no edge from ${s.id('drift')} to ${s.id('user')}`);
  });

  it('treats a step through an enforced control as unusable', () => {
    const s = scenario((b) => {
      b.app('drift');
      b.credential('token');
      b.identity('user');
      b.resource('cases');
      b.edge('HOLDS', 'drift', 'token').edge('AUTHENTICATES_AS', 'token', 'user', { conditions: ['ip-allowlist'] }).edge('CAN_READ', 'user', 'cases');
    });
    const chain = [s.id('drift'), s.id('token'), s.id('user'), s.id('cases')];
    expect(compareChain(s.graph, [s.ix('drift')], chain, { at: AT }).verdict.pass).toBe(true);
    const blocked = compareChain(s.graph, [s.ix('drift')], chain, { at: AT, enforceConditions: ['ip-allowlist'] }).verdict;
    expect(blocked.pass).toBe(false);
    expect(blocked.actual).toContain('not reached');
  });

  it('checks a chain beyond the listed shortest paths exactly', () => {
    // 2^10 = 1024 shortest paths through ten layers of two resources: more than the listing limit.
    const layers = 10;
    const s = scenario((b) => {
      b.platform('org');
      for (let i = 0; i < layers; i++) for (const side of [0, 1]) b.resource(`r${i}_${side}`);
      for (const side of [0, 1]) b.edge('CONTAINS', 'org', `r0_${side}`);
      for (let i = 1; i < layers; i++) for (const a of [0, 1]) for (const c of [0, 1]) b.edge('CONTAINS', `r${i - 1}_${a}`, `r${i}_${c}`);
      b.resource('target');
      for (const side of [0, 1]) b.edge('CONTAINS', `r${layers - 1}_${side}`, 'target');
    });
    expect(2 ** layers).toBeGreaterThan(CHAIN_PATH_LIMIT);
    const chainThrough = (side: number) => [s.id('org'), ...Array.from({ length: layers }, (_, i) => s.id(`r${i}_${side}`)), s.id('target')];
    const results = [0, 1].map((side) => compareChain(s.graph, [s.ix('org')], chainThrough(side), { at: AT }));
    expect(results.map((r) => r.verdict.pass)).toEqual([true, true]);
    expect(results[0]!.check.shortestPathCount).toBe(2 ** layers);
    // At least one of the two is beyond the listing (then it has no listed path view but still passes).
    expect(results.some((r) => r.check.path === null)).toBe(true);
  });
});

describe('compareRadius', () => {
  it('holds a reached node to its level bounds and a control to "not reached"', () => {
    const s = twoRoutes((b) => {
      b.resource('mail');
      b.credential('old', { revoked: true, revokedAt: '2025-01-01T00:00:00Z' });
      b.edge('HOLDS', 'drift', 'old').edge('CAN_READ', 'old', 'mail');
    });
    const radius = blastRadius(s.graph, [s.ix('drift')], { at: AT });
    const verdicts = compareRadius(radius, [
      { id: s.id('cases'), atLeast: 'read' },
      { id: s.id('cases'), atLeast: 'write' },
      { id: s.id('cases'), atLeast: 'read', atMost: 'read' },
    ], [
      { id: s.id('mail'), why: 'the token was revoked' },
      { id: s.id('cases'), why: 'wrong on purpose' },
      { id: s.id('old'), why: 'revoked' },
    ]);
    expect(verdicts.map((v) => v.pass)).toEqual([true, false, true, true, false, true]);
    expect(verdicts[5]!.actual).toBe('not reached (found but revoked)');
  });
});

describe('expected.json', () => {
  it('reports every shape problem with its JSON path', () => {
    const parsed = parseExpected(JSON.stringify({
      title: 'x', start: [], at: 'yesterday', mustReach: [{ id: 'a', atLeast: 'owner' }], mustNotReach: [{ id: 'b' }], typo: 1,
      firstCut: { action: 'delete', id: 'c' }, mustFind: [{ rule: 'BM-NOPE', id: 'd' }],
    }), 'x/expected.json');
    expect(parsed.ok).toBe(false);
    const paths = parsed.ok ? [] : parsed.issues.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['$', '$.start', '$.at', '$.mustReach[0].atLeast', '$.mustNotReach[0].why', '$.firstCut', '$.mustFind[0].rule']));
    expect(parsed.ok ? [] : parsed.issues.every((issue) => issue.file === 'x/expected.json')).toBe(true);
  });

  it('says where an id the graph does not have is, with the closest ids', () => {
    const s = twoRoutes();
    const parsed = parseExpected(JSON.stringify({
      title: 'x', start: [s.id('drift')], at: AT, mustReach: [{ id: `${s.id('cases')}x`, atLeast: 'read' }],
      also: [{ name: 'later', at: AT, attackChain: [s.id('drift'), 'nowhere'] }],
    }));
    expect(parsed.ok).toBe(true);
    const issues = expectedReferenceIssues(s.graph, parsed.ok ? parsed.value : (undefined as never));
    expect(issues.map((issue) => issue.path)).toEqual(['$.mustReach[0].id', '$.also[0].attackChain[1]']);
    expect(issues[0]!.found).toContain(`closest: ${s.id('cases')}`);
  });
});

describe('replayIncident', () => {
  it('runs later checkpoints with the start inherited and counts every verdict', () => {
    const s = twoRoutes((b) => {
      b.credential('late', { revoked: true, revokedAt: '2025-08-20T00:00:00Z' });
      b.resource('mail');
      b.edge('HOLDS', 'drift', 'late').edge('CAN_READ', 'late', 'mail');
    });
    const replay = replayIncident(s.graph, expected({
      start: [s.id('drift')],
      mustReach: [{ id: s.id('mail'), atLeast: 'read' }],
      firstCut: { action: 'revoke', id: s.id('late') },
      also: [{ name: 'after the revocation', at: '2025-08-21T00:00:00.000Z', mustReach: [], mustNotReach: [{ id: s.id('mail'), why: 'revoked' }], mustFind: [], notes: [] }],
    }), 'toy');
    expect(replay.checkpoints.map((c) => c.pass)).toEqual([true, true]);
    expect(replay.checkpoints[1]!.sources.map((source) => source.id)).toEqual([s.id('drift')]);
    expect(replay.passed).toBe(3);
    expect(replay.pass).toBe(true);
  });

  it('accepts a first cut the plan lists as equally effective', () => {
    const s = scenario((b) => {
      b.app('vendor');
      b.credential('key');
      b.resource('bucket', { tags: ['crown-jewel'] });
      b.edge('HOLDS', 'vendor', 'key').edge('CAN_READ', 'key', 'bucket');
    });
    // Revoking the key and removing the HOLDS edge remove the same; the plan prefers revoking.
    const replay = replayIncident(s.graph, expected({ start: [s.id('vendor')], firstCut: { action: 'remove-edge', id: `${s.id('vendor')}|HOLDS|${s.id('key')}` } }), 'toy');
    const verdict = replay.checkpoints[0]!.verdicts.find((v) => v.check === 'first-cut')!;
    expect(verdict.pass).toBe(true);
    expect(verdict.actual).toContain(`equally effective with the chosen revoke ${s.id('key')}`);
  });

  it('checks the containment plan: phase and target (or a credential a vendor kill revokes), and "first of its phase"', () => {
    const s = scenario((b) => {
      b.app('vendor', { platform: 'vendorco', tenant: 'prod', vendor: 'VendorCo', thirdParty: true });
      b.credential('token', { platform: 'crm', tenant: 'acme' });
      b.resource('cases', { platform: 'crm', tenant: 'acme' });
      b.credential('pastedA', { platform: 'cloud', tenant: '1' });
      b.credential('pastedB', { platform: 'cloud', tenant: '1' });
      b.resource('bucket', { platform: 'cloud', tenant: '1', tags: ['crown-jewel'] });
      b.resource('logs', { platform: 'cloud', tenant: '1' });
      b.edge('HOLDS', 'vendor', 'token').edge('CAN_READ', 'token', 'cases')
        .edge('CONTAINS_CREDENTIAL', 'cases', 'pastedA').edge('CONTAINS_CREDENTIAL', 'cases', 'pastedB')
        .edge('CAN_READ', 'pastedA', 'bucket').edge('CAN_READ', 'pastedB', 'logs');
    });
    const run = (steps: NonNullable<Expected['respond']>['steps']) =>
      replayIncident(s.graph, expected({ start: [s.id('vendor')], respond: { steps } }), 'toy').checkpoints[0]!.verdicts.filter((v) => v.check === 'respond');
    const good = run([
      { phase: 'contain', target: s.id('token') },
      { phase: 'rotate', target: s.id('pastedA'), first: true },
      { phase: 'rotate', target: s.id('pastedB') },
    ]);
    expect(good.map((v) => v.pass)).toEqual([true, true, true]);
    expect(good[0]!.actual).toMatch(/^step 1 \(contain\)/);
    const bad = run([{ phase: 'cut', target: s.id('token') }, { phase: 'rotate', target: s.id('pastedB'), first: true }]);
    expect(bad.map((v) => v.pass)).toEqual([false, false]);
    expect(bad[0]!.actual).toBe('no cut step');
    expect(bad[1]!.actual).toContain('but the first rotate step is pastedA');
    // Ids the graph does not have are reported with their JSON path.
    const issues = expectedReferenceIssues(s.graph, expected({ start: [s.id('vendor')], respond: { steps: [{ phase: 'rotate', target: 'cloud:1:credential:nope' }] } }));
    expect(issues.map((issue) => issue.path)).toEqual(['$.respond.steps[0].target']);
  });
});

// Reach behaviour on scenario graphs whose answers are known by construction: time, depth, edge-kind
// filters, enforced conditions, several sources, unusable sources and shortest witness paths.
import { describe, expect, it } from 'vitest';
import { blastRadius } from '../../../engine/analysis/radius.ts';
import { dormantPath, hopsAtLeast, reach, witnessPath } from '../../../engine/analysis/reach.ts';
import { BlastmapError } from '../../../engine/errors.ts';
import { scenario, type ScenarioBuilder } from '../../helpers/scenario.ts';

const at = '2025-06-01T00:00:00.000Z';
const before = (days: number) => new Date(Date.parse(at) - days * 86_400_000).toISOString();
const after = (days: number) => new Date(Date.parse(at) + days * 86_400_000).toISOString();

/** app -HOLDS-> key -AUTHENTICATES_AS-> user -CAN_ADMIN-> bucket, with the key's (or user's) state varied. */
function keyChain(keyProps: Parameters<ScenarioBuilder['credential']>[1] = {}, userProps: Parameters<ScenarioBuilder['identity']>[1] = {}) {
  return scenario((b) => {
    b.app('app');
    b.credential('key', keyProps);
    b.identity('user', userProps);
    b.resource('bucket', { tags: ['crown-jewel'] });
    b.edge('HOLDS', 'app', 'key', { reason: 'the app stores the key' }).edge('AUTHENTICATES_AS', 'key', 'user').edge('CAN_ADMIN', 'user', 'bucket');
  });
}

const reachedIds = (radius: ReturnType<typeof blastRadius>) => radius.reached.map((entry) => entry.id).sort();

describe('time', () => {
  it.each([
    ['a revoked credential', { revoked: true }, 'revoked'],
    ['a credential revoked before the instant', { revoked: true, revokedAt: before(1) }, 'revoked'],
    ['an expired credential', { expiresAt: before(1) }, 'expired'],
    ['a credential expiring exactly at the instant', { expiresAt: at }, 'expired'],
    ['a credential created after the instant', { createdAt: after(1) }, 'not-yet-valid'],
    ['a disabled credential', { enabled: false }, 'disabled'],
  ] as const)('%s does not extend the radius and is listed dormant with why and how', (_name, props, why) => {
    const s = keyChain(props);
    const radius = blastRadius(s.graph, [s.ix('app')], { at });
    expect(radius.reached).toEqual([]);
    expect(radius.score).toBe(0);
    expect(radius.dormant).toHaveLength(1);
    const [entry] = radius.dormant;
    expect(entry).toMatchObject({ id: s.id('key'), why, level: 'admin', hops: 1 });
    expect(entry!.path).toHaveLength(1);
    expect(entry!.path[0]).toMatchObject({ kind: 'HOLDS', from: { id: s.id('app') }, to: { id: s.id('key') }, level: 'admin', reason: 'the app stores the key' });
  });

  it('a credential revoked after the instant (revokedAt in the future) still works', () => {
    const s = keyChain({ revoked: true, revokedAt: after(30) });
    const radius = blastRadius(s.graph, [s.ix('app')], { at });
    expect(reachedIds(radius)).toEqual([s.id('bucket'), s.id('key'), s.id('user')].sort());
    expect(radius.dormant).toEqual([]);
  });

  it('the same credential stops working once the instant passes its revocation or expiry', () => {
    for (const props of [{ revoked: true, revokedAt: after(30) }, { expiresAt: after(30) }]) {
      const s = keyChain(props);
      expect(blastRadius(s.graph, [s.ix('app')], { at }).reachedCount).toBe(3);
      expect(blastRadius(s.graph, [s.ix('app')], { at: after(31) }).reachedCount).toBe(0);
    }
  });

  it('a credential created before the instant and expiring after it works', () => {
    const s = keyChain({ createdAt: before(10), expiresAt: after(10) });
    expect(reachedIds(blastRadius(s.graph, [s.ix('app')], { at }))).toEqual([s.id('bucket'), s.id('key'), s.id('user')].sort());
  });

  it('a disabled identity does not extend the radius and is listed dormant as disabled, with its path', () => {
    const s = keyChain({}, { enabled: false });
    const radius = blastRadius(s.graph, [s.ix('app')], { at });
    expect(reachedIds(radius)).toEqual([s.id('key')]);
    expect(radius.dormant).toHaveLength(1);
    expect(radius.dormant[0]).toMatchObject({ id: s.id('user'), why: 'disabled', level: 'admin', hops: 2 });
    expect(radius.dormant[0]!.path.map((step) => [step.kind, step.to.id])).toEqual([['HOLDS', s.id('key')], ['AUTHENTICATES_AS', s.id('user')]]);
    const raw = reach(s.graph, [s.ix('app')], { at });
    expect(dormantPath(raw, s.ix('user')).map((step) => s.handleOf(step.to))).toEqual(['key', 'user']);
  });

  it('the analysis instant accepts a Date, an ISO string and epoch milliseconds alike', () => {
    const s = keyChain({ expiresAt: after(1) });
    const levels = [new Date(at), at, Date.parse(at)].map((instant) => [...reach(s.graph, [s.ix('app')], { at: instant }).level]);
    expect(levels[1]).toEqual(levels[0]);
    expect(levels[2]).toEqual(levels[0]);
    expect(() => reach(s.graph, [s.ix('app')], { at: 'not a date' })).toThrow(BlastmapError);
  });
});

/** a0 -> a1 -> ... -> a5 through CAN_ADMIN / MANAGES alternation (Platform / Identity). */
function chain() {
  return scenario((b) => {
    b.identity('a0');
    b.platform('a1');
    b.identity('a2');
    b.platform('a3');
    b.identity('a4');
    b.platform('a5');
    b.edge('CAN_ADMIN', 'a0', 'a1').edge('MANAGES', 'a1', 'a2').edge('CAN_ADMIN', 'a2', 'a3').edge('MANAGES', 'a3', 'a4').edge('CAN_ADMIN', 'a4', 'a5');
  });
}

describe('mitigations as an overlay', () => {
  it('a blocked node is listed dormant as mitigated, and nothing behind it is reached', () => {
    const s = keyChain();
    const blockedNodes = new Uint8Array(s.graph.nodeCount);
    blockedNodes[s.ix('user')] = 1;
    const radius = blastRadius(s.graph, [s.ix('app')], { at, overlay: { blockedNodes } });
    expect(reachedIds(radius)).toEqual([s.id('key')]);
    expect(radius.dormant).toEqual([expect.objectContaining({ id: s.id('user'), why: 'mitigated', hops: 2 })]);
  });

  it('a blocked edge is treated as absent: its target is neither reached nor dormant', () => {
    const s = keyChain();
    const blockedEdges = new Uint8Array(s.graph.edgeCount);
    const key = s.ix('key');
    for (let e = 0; e < s.graph.edgeCount; e++) if (s.graph.edgeSrc[e] === key) blockedEdges[e] = 1;
    const radius = blastRadius(s.graph, [s.ix('app')], { at, overlay: { blockedEdges } });
    expect(reachedIds(radius)).toEqual([s.id('key')]);
    expect(radius.dormant).toEqual([]);
  });
});

describe('depth', () => {
  it('max depth stops the traversal after that many hops', () => {
    const s = chain();
    for (let depth = 0; depth <= 6; depth++) {
      const result = reach(s.graph, [s.ix('a0')], { at, maxDepth: depth });
      expect(result.order.map(s.handleOf)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5'].slice(0, Math.min(depth, 5) + 1));
    }
    expect(blastRadius(s.graph, [s.ix('a0')], { at, maxDepth: 2 }).maxDepth).toBe(2);
  });

  it('a dormant node beyond max depth is not listed', () => {
    const s = keyChain({}, { enabled: false });
    expect(blastRadius(s.graph, [s.ix('app')], { at, maxDepth: 1 }).dormant).toEqual([]);
    expect(blastRadius(s.graph, [s.ix('app')], { at, maxDepth: 2 }).dormant.map((d) => d.id)).toEqual([s.id('user')]);
  });

  it('a negative max depth is an INVALID_OPTION error', () => {
    const s = chain();
    expect(() => reach(s.graph, [s.ix('a0')], { at, maxDepth: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});

describe('edge-kind filters', () => {
  const s = scenario((b) => {
    b.app('app');
    b.credential('token');
    b.identity('user');
    b.resource('drive');
    b.resource('doc');
    b.edge('HOLDS', 'app', 'token').edge('AUTHENTICATES_AS', 'token', 'user').edge('CAN_READ', 'user', 'drive').edge('CONTAINS', 'drive', 'doc').edge('CAN_WRITE', 'app', 'doc');
  });
  const reached = (options: Parameters<typeof reach>[2]) => reach(s.graph, [s.ix('app')], { at, ...options }).order.map(s.handleOf).sort();

  it('edgeKinds keeps only the named kinds', () => {
    expect(reached({})).toEqual(['app', 'doc', 'drive', 'token', 'user']);
    expect(reached({ edgeKinds: ['HOLDS', 'AUTHENTICATES_AS'] })).toEqual(['app', 'token', 'user']);
    expect(reached({ edgeKinds: ['CAN_WRITE'] })).toEqual(['app', 'doc']);
    expect(reached({ edgeKinds: [] })).toEqual(['app']);
  });

  it('excludeEdgeKinds drops the named kinds, and wins over edgeKinds', () => {
    expect(reached({ excludeEdgeKinds: ['AUTHENTICATES_AS'] })).toEqual(['app', 'doc', 'token']);
    expect(reached({ excludeEdgeKinds: ['CAN_WRITE', 'CONTAINS'] })).toEqual(['app', 'drive', 'token', 'user']);
    expect(reached({ edgeKinds: ['HOLDS', 'AUTHENTICATES_AS'], excludeEdgeKinds: ['AUTHENTICATES_AS'] })).toEqual(['app', 'token']);
  });

  it('the level follows the edges kept: without CAN_WRITE the document is only read through the drive', () => {
    const result = reach(s.graph, [s.ix('app')], { at, excludeEdgeKinds: ['CAN_WRITE'] });
    expect(result.level[s.ix('doc')]).toBe(1);
    expect(reach(s.graph, [s.ix('app')], { at }).level[s.ix('doc')]).toBe(2);
  });

  it('an unknown edge kind in a filter is a BlastmapError naming it', () => {
    for (const options of [{ edgeKinds: ['HOLDS', 'CAN_FLY'] }, { excludeEdgeKinds: ['holds'] }]) {
      let error: unknown;
      try { reach(s.graph, [s.ix('app')], { at, ...options }); } catch (caught) { error = caught; }
      expect(error).toBeInstanceOf(BlastmapError);
      expect((error as BlastmapError).code).toBe('INVALID_OPTION');
      expect((error as BlastmapError).message).toMatch(/CAN_FLY|holds/);
      expect((error as BlastmapError).candidates).toContain('HOLDS');
    }
  });
});

describe('enforced conditions', () => {
  const s = scenario((b) => {
    b.app('app');
    b.credential('token');
    b.identity('svc');
    b.resource('crm');
    b.resource('wiki');
    b.edge('HOLDS', 'app', 'token').edge('AUTHENTICATES_AS', 'token', 'svc', { conditions: ['ip-allowlist'] })
      .edge('CAN_READ', 'token', 'wiki', { conditions: ['mfa', 'device-trust'] }).edge('CAN_ADMIN', 'svc', 'crm');
  });
  const reached = (enforceConditions?: string[]) => reach(s.graph, [s.ix('app')], { at, enforceConditions }).order.map(s.handleOf).sort();

  it('conditions are shown but not enforced by default', () => {
    expect(reached()).toEqual(['app', 'crm', 'svc', 'token', 'wiki']);
    expect(reached([])).toEqual(['app', 'crm', 'svc', 'token', 'wiki']);
  });

  it('an enforced condition blocks every edge carrying it, and only those', () => {
    expect(reached(['ip-allowlist'])).toEqual(['app', 'token', 'wiki']);
    expect(reached(['device-trust'])).toEqual(['app', 'crm', 'svc', 'token']);
    expect(reached(['ip-allowlist', 'mfa'])).toEqual(['app', 'token']);
    // A control neither documented nor carried by any edge is a typo, not a no-op (test/engine/analysis/controls.test.ts).
    expect(() => reached(['geo-fence'])).toThrow(BlastmapError);
  });

  it('the blocked path shows its conditions in the unenforced report', () => {
    const radius = blastRadius(s.graph, [s.ix('app')], { at });
    const svc = radius.reached.find((entry) => entry.id === s.id('svc'))!;
    expect(svc.path.at(-1)!.conditions).toEqual(['ip-allowlist']);
  });
});

describe('sources', () => {
  it('several sources reach the union, each node at the fewest hops from any source', () => {
    const s = scenario((b) => {
      b.app('slack');
      b.app('drift');
      b.credential('slackToken');
      b.credential('driftToken');
      b.resource('channel');
      b.resource('cases');
      b.resource('shared');
      b.edge('HOLDS', 'slack', 'slackToken').edge('CAN_READ', 'slackToken', 'channel').edge('CONTAINS', 'channel', 'shared')
        .edge('HOLDS', 'drift', 'driftToken').edge('CAN_WRITE', 'driftToken', 'cases').edge('CONTAINS', 'cases', 'shared');
    });
    const both = reach(s.graph, [s.ix('slack'), s.ix('drift')], { at });
    const slack = reach(s.graph, [s.ix('slack')], { at });
    const drift = reach(s.graph, [s.ix('drift')], { at });
    for (let v = 0; v < s.graph.nodeCount; v++) expect(both.level[v], s.handleOf(v)).toBe(Math.max(slack.level[v]!, drift.level[v]!));
    expect(both.level[s.ix('shared')]).toBe(2);
    expect(hopsAtLeast(both, s.ix('shared'), 1)).toBe(3);
    expect(both.order.slice(0, 2).map(s.handleOf)).toEqual(['slack', 'drift']);
    const radius = blastRadius(s.graph, [s.ix('slack'), s.ix('drift')], { at });
    expect(radius.sources.map((ref) => ref.id)).toEqual([s.id('slack'), s.id('drift')]);
    expect(radius.reached.map((entry) => entry.id)).not.toContain(s.id('slack'));
    expect(radius.reached.map((entry) => entry.id)).not.toContain(s.id('drift'));
  });

  it('a source reached from another source is not scored as reached', () => {
    const s = keyChain();
    const radius = blastRadius(s.graph, [s.ix('app'), s.ix('user')], { at });
    expect(radius.reached.map((entry) => entry.id).sort()).toEqual([s.id('bucket'), s.id('key')].sort());
  });

  it('an unusable source yields an empty radius and is listed dormant at hop 0 with an empty path', () => {
    const s = keyChain({ revoked: true });
    const radius = blastRadius(s.graph, [s.ix('key')], { at });
    expect(radius.reached).toEqual([]);
    expect(radius.reachedCount).toBe(0);
    expect(radius.score).toBe(0);
    expect(radius.dormant).toEqual([expect.objectContaining({ id: s.id('key'), why: 'revoked', level: 'admin', hops: 0, path: [] })]);
    const result = reach(s.graph, [s.ix('key')], { at });
    expect(result.order).toEqual([]);
    expect([...result.level].every((l) => l === 0)).toBe(true);
  });

  it('a source index outside the graph is an INVALID_OPTION error', () => {
    const s = keyChain();
    expect(() => reach(s.graph, [s.graph.nodeCount], { at })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => reach(s.graph, [-1], { at })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('sourceLevel holds the sources at less than admin', () => {
    const s = scenario((b) => {
      b.resource('repo');
      b.resource('file');
      b.identity('workload');
      b.edge('CONTAINS', 'repo', 'file').edge('RUNS_AS', 'repo', 'workload');
    });
    const read = reach(s.graph, [s.ix('repo')], { at, sourceLevel: 'read' });
    expect([read.level[s.ix('repo')], read.level[s.ix('file')], read.level[s.ix('workload')]]).toEqual([1, 1, 0]);
    const write = reach(s.graph, [s.ix('repo')], { at, sourceLevel: 'write' });
    expect([write.level[s.ix('repo')], write.level[s.ix('file')], write.level[s.ix('workload')]]).toEqual([2, 2, 3]);
  });
});

describe('shortest witness paths', () => {
  it('hops are the fewest, and the witness path is the shortest one', () => {
    const s = scenario((b) => {
      b.app('app');
      b.credential('k1');
      b.identity('u1');
      b.group('g1');
      b.credential('k2');
      b.identity('u2');
      b.resource('bucket');
      // Long: app -> k1 -> u1 -> g1 -> bucket (4). Short: app -> k2 -> u2 -> bucket (3). Edges of the long path come first.
      b.edge('HOLDS', 'app', 'k1').edge('AUTHENTICATES_AS', 'k1', 'u1').edge('MEMBER_OF', 'u1', 'g1').edge('CAN_ADMIN', 'g1', 'bucket')
        .edge('HOLDS', 'app', 'k2').edge('AUTHENTICATES_AS', 'k2', 'u2').edge('CAN_ADMIN', 'u2', 'bucket');
    });
    const result = reach(s.graph, [s.ix('app')], { at });
    expect(hopsAtLeast(result, s.ix('bucket'), 3)).toBe(3);
    expect(witnessPath(result, s.ix('bucket')).map((step) => s.handleOf(step.to))).toEqual(['k2', 'u2', 'bucket']);
    const entry = blastRadius(s.graph, [s.ix('app')], { at }).reached.find((e) => e.id === s.id('bucket'))!;
    expect(entry.hops).toBe(3);
    expect(entry.path.map((step) => step.kind)).toEqual(['HOLDS', 'AUTHENTICATES_AS', 'CAN_ADMIN']);
  });

  it('a cycle does not loop: every node is reached once at its best level', () => {
    const s = scenario((b) => {
      b.identity('a');
      b.identity('b');
      b.identity('c');
      b.edge('SSO_TO', 'a', 'b').edge('SSO_TO', 'b', 'c').edge('SSO_TO', 'c', 'a');
    });
    const result = reach(s.graph, [s.ix('a')], { at });
    expect(result.order.map(s.handleOf)).toEqual(['a', 'b', 'c']);
    expect(witnessPath(result, s.ix('a'))).toEqual([]);
  });
});

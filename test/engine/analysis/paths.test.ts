// Lateral-movement paths and all shortest paths to a target, on scenario graphs with known answers and
// against brute-force enumeration of edge sequences on random graphs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lateralPaths, shortestPaths } from '../../../engine/analysis/paths.ts';
import { reach, witnessPath } from '../../../engine/analysis/reach.ts';
import { LEVEL_CODE, type Level } from '../../../engine/schema/index.ts';
import { edgeIdAt, type CompactGraph } from '../../../engine/store/compact.ts';
import { AT, reachableGraph } from '../../helpers/arbitraries.ts';
import { oracleReach, usableAt, usableNodes } from '../../helpers/oracle.ts';
import { driftScenario, scenario } from '../../helpers/scenario.ts';

const at = AT;

describe('lateralPaths', () => {
  it('groups the drift radius by the two tokens that leave the chat vendor, the one leading to the crown jewel first', () => {
    const s = driftScenario();
    const result = lateralPaths(s.graph, [s.ix('drift')], { at });
    expect(result.sourcePlatforms).toEqual(['chatvendor']);
    expect(result.bridges.map((b) => [b.bridge.kind, b.bridge.to.id, b.score, b.crownJewels])).toEqual([
      ['HOLDS', s.id('sfToken'), 32, 1],
      ['HOLDS', s.id('mailGrant'), 9, 0],
    ]);
    const [toSalesforce] = result.bridges;
    expect(toSalesforce!.targets[0]!.id).toBe(s.id('bucket'));
    expect(toSalesforce!.targets[0]!.platforms).toEqual(['chatvendor', 'salesforce', 'aws']);
    expect(toSalesforce!.targets[0]!.path.map((step) => step.kind)).toEqual(['HOLDS', 'CAN_READ', 'CONTAINS', 'CONTAINS_CREDENTIAL', 'AUTHENTICATES_AS', 'CAN_WRITE']);
    expect(toSalesforce!.platforms).toEqual(['aws', 'salesforce']);
    // The AWS key pasted in a case is the onward hop: the key, its user and the bucket lie beyond it.
    expect(toSalesforce!.onward.map((c) => [c.step.from.id, c.step.kind, c.step.to.id, c.score, c.crownJewels])).toEqual([
      [s.id('case1'), 'CONTAINS_CREDENTIAL', s.id('awsKey'), 22, 1],
    ]);
    expect(result.lateralCount).toBe(8);
    expect(result.lateralScore).toBe(41);
    expect(result.score).toBe(41);
  });

  it("nodes on the source's own platform are not lateral: from the Salesforce token the bridge is the key in the case", () => {
    const s = driftScenario();
    const result = lateralPaths(s.graph, [s.ix('sfToken')], { at });
    expect(result.bridges).toHaveLength(1);
    const [bridge] = result.bridges;
    expect([bridge!.bridge.from.id, bridge!.bridge.kind, bridge!.bridge.to.id]).toEqual([s.id('case1'), 'CONTAINS_CREDENTIAL', s.id('awsKey')]);
    expect(bridge!.approach.map((step) => step.to.id)).toEqual([s.id('cases'), s.id('case1'), s.id('awsKey')]);
    expect(bridge!.targets.map((t) => t.id).sort()).toEqual([s.id('awsKey'), s.id('awsUser'), s.id('bucket')].sort());
    expect(result.lateralScore).toBe(22);
  });

  it('with several sources every source platform is home ground', () => {
    const s = driftScenario();
    const result = lateralPaths(s.graph, [s.ix('drift'), s.ix('sfToken')], { at });
    expect(result.sourcePlatforms).toEqual(['chatvendor', 'salesforce']);
    expect(result.bridges.map((b) => b.bridge.to.id)).toEqual([s.id('awsKey'), s.id('mailGrant')]);
  });

  it('a revoked source moves nowhere', () => {
    const s = driftScenario();
    const result = lateralPaths(s.graph, [s.ix('oldKey')], { at });
    expect(result.bridges).toEqual([]);
    expect(result.lateralCount).toBe(0);
  });

  it('every off-platform node sits under exactly one bridge, the first step of its witness path that leaves home (random graphs)', () => {
    fc.assert(fc.property(reachableGraph(), fc.nat(), (g, pick) => {
      const source = pick % g.graph.nodeCount;
      const result = lateralPaths(g.graph, [source], { at });
      const home = g.graph.nodes[source]!.platform;
      const radius = reach(g.graph, [source], { at });
      const expected = radius.order.filter((v) => v !== source && g.graph.nodes[v]!.platform !== home).map((v) => g.graph.nodes[v]!.id).sort();
      const listed = result.bridges.flatMap((b) => b.targets.map((t) => t.id)).sort();
      expect(listed).toEqual(expected);
      for (const bridge of result.bridges) {
        expect(bridge.approach.at(-1)).toEqual(bridge.bridge);
        expect(bridge.approach.slice(0, -1).every((step) => step.to.platform === home)).toBe(true);
        expect(bridge.bridge.to.platform).not.toBe(home);
        expect(bridge.score).toBeCloseTo(bridge.targets.reduce((sum, t) => sum + t.points, 0), 9);
        for (const target of bridge.targets) expect(target.path.slice(0, bridge.approach.length)).toEqual(bridge.approach);
      }
      for (let i = 1; i < result.bridges.length; i++) {
        const [a, b] = [result.bridges[i - 1]!, result.bridges[i]!];
        expect(a.crownJewels > b.crownJewels || (a.crownJewels === b.crownJewels && a.score >= b.score)).toBe(true);
      }
    }), { numRuns: 200 });
  });
});

describe('shortestPaths', () => {
  it('delivers the best level, not the nearest one: admin over the token beats read over the direct grant', () => {
    const s = scenario((b) => {
      b.app('app');
      b.credential('token');
      b.resource('repo', { tags: ['source-code'] });
      b.edge('CAN_READ', 'app', 'repo').edge('HOLDS', 'app', 'token').edge('CAN_ADMIN', 'token', 'repo');
    });
    const result = shortestPaths(s.graph, [s.ix('app')], s.ix('repo'), { at });
    expect(result.level).toBe('admin');
    expect(result.hops).toBe(2);
    expect(result.total).toBe(1);
    expect(result.paths.map((p) => p.map((step) => step.kind))).toEqual([['HOLDS', 'CAN_ADMIN']]);
  });

  it('counts routes that pass a resource at different levels when both deliver the same credential', () => {
    const s = scenario((b) => {
      b.app('app');
      b.resource('cases');
      b.credential('key');
      b.edge('CAN_READ', 'app', 'cases').edge('CAN_ADMIN', 'app', 'cases').edge('CONTAINS_CREDENTIAL', 'cases', 'key');
    });
    const result = shortestPaths(s.graph, [s.ix('app')], s.ix('key'), { at });
    expect(result.total).toBe(2);
    expect(result.paths.map((p) => p.map((step) => `${step.kind}:${step.level}`)).sort()).toEqual([
      ['CAN_ADMIN:admin', 'CONTAINS_CREDENTIAL:admin'],
      ['CAN_READ:read', 'CONTAINS_CREDENTIAL:admin'],
    ]);
  });

  it('lists at most --limit paths of a ladder of 16, the witness path first, and says how many there are', () => {
    const s = scenario((b) => {
      b.app('a0');
      for (let i = 1; i <= 4; i++) {
        b.identity(`x${i}`);
        b.identity(`y${i}`);
        b.app(`a${i}`);
        b.edge('CAN_IMPERSONATE', `a${i - 1}`, `x${i}`).edge('CAN_IMPERSONATE', `a${i - 1}`, `y${i}`);
        b.edge('CAN_ADD_CREDENTIAL', `x${i}`, `a${i}`).edge('CAN_ADD_CREDENTIAL', `y${i}`, `a${i}`);
      }
      // A longer detour does not count.
      b.identity('slow1');
      b.identity('slow2');
      b.edge('CAN_IMPERSONATE', 'a0', 'slow1').edge('SSO_TO', 'slow1', 'slow2').edge('CAN_ADD_CREDENTIAL', 'slow2', 'a1');
    });
    const result = shortestPaths(s.graph, [s.ix('a0')], s.ix('a4'), { at, limit: 3 });
    expect(result.hops).toBe(8);
    expect(result.total).toBe(16);
    expect(result.paths).toHaveLength(3);
    expect(result.truncated).toBe(true);
    const witness = witnessPath(reach(s.graph, [s.ix('a0')], { at }), s.ix('a4'));
    expect(result.paths[0]!.map((step) => step.edgeId)).toEqual(witness.map((step) => edgeIdAt(s.graph, step.edge)));
    expect(new Set(result.paths.map((p) => p.map((step) => step.edgeId).join(','))).size).toBe(3);
    const all = shortestPaths(s.graph, [s.ix('a0')], s.ix('a4'), { at, limit: 100 });
    expect(all.paths).toHaveLength(16);
    expect(all.paths.some((p) => p.some((step) => step.to.name.startsWith('slow')))).toBe(false);
  });

  it('a target behind a revoked key is not reached, and the answer shows how the attacker got to the key', () => {
    const s = driftScenario();
    const result = shortestPaths(s.graph, [s.ix('drift')], s.ix('oldKey'), { at });
    expect(result.reached).toBe(false);
    expect(result.paths).toEqual([]);
    expect(result.dormant?.path.map((step) => step.to.id)).toEqual([s.id('sfToken'), s.id('cases'), s.id('case1'), s.id('oldKey')]);
    const nowhere = shortestPaths(s.graph, [s.ix('mailGrant')], s.ix('bucket'), { at });
    expect(nowhere.reached).toBe(false);
    expect(nowhere.dormant).toBeNull();
  });

  it('a source asked about itself has one empty path', () => {
    const s = driftScenario();
    const result = shortestPaths(s.graph, [s.ix('drift')], s.ix('drift'), { at });
    expect(result).toMatchObject({ reached: true, hops: 0, total: 1, paths: [[]] });
  });

  it('finds exactly the edge sequences of minimal length that deliver the best level (random graphs, brute force)', () => {
    const arb = reachableGraph().chain((g) => {
      const usable = g.nodes.map((_, v) => v).filter((v) => usableAt(g.nodes[v]!, at));
      return fc.record({
        g: fc.constant(g),
        source: usable.length > 0 ? fc.constantFrom(...usable) : fc.nat({ max: g.graph.nodeCount - 1 }),
        pick: fc.nat(),
        anyTarget: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
        sourceLevel: fc.constantFrom<Level>('admin', 'admin', 'read', 'write'),
        maxDepth: fc.constantFrom(undefined, undefined, 2, 4),
      });
    });
    fc.assert(fc.property(arb, ({ g, source, pick, anyTarget, sourceLevel, maxDepth }) => {
      const options = { at, sourceLevel, ...(maxDepth !== undefined ? { maxDepth } : {}) };
      // Mostly a node the source reaches (the interesting case), sometimes any node.
      const reached = reach(g.graph, [source], options).order.filter((v) => v !== source);
      const target = anyTarget || reached.length === 0 ? pick % g.graph.nodeCount : reached[pick % reached.length]!;
      const result = shortestPaths(g.graph, [source], target, { ...options, limit: 50 });
      const oracle = oracleReach(g.graph, [source], options);
      const best = oracle.level[target]!;
      expect(result.reached).toBe(best > 0);
      if (best === 0) return;
      const length = oracle.fewest[target]![best]!;
      expect(result.hops).toBe(length);
      const expected = bruteForcePaths(g.graph, source, LEVEL_CODE[sourceLevel], target, best, length);
      expect(result.total).toBe(expected.length);
      const witness = witnessPath(reach(g.graph, [source], options), target);
      expect(result.paths[0]!.map((step) => step.edgeId)).toEqual(witness.map((step) => edgeIdAt(g.graph, step.edge)));
      if (expected.length <= 50) {
        const listed = result.paths.map((p) => p.map((step) => step.edgeId).join(',')).sort();
        expect(listed).toEqual(expected.map((edges) => edges.map((e) => edgeIdAt(g.graph, e)).join(',')).sort());
      }
    }), { numRuns: 200 });
  });
});

/** Every edge sequence of exactly `length` steps from the source that ends holding `level` on the target. */
function bruteForcePaths(graph: CompactGraph, source: number, startLevel: number, target: number, level: number, length: number): number[][] {
  const found: number[][] = [];
  const alive = usableNodes(graph, at);
  if (!alive[source]) return found;
  const walk = (node: number, held: number, trail: number[]) => {
    if (trail.length === length) {
      if (node === target && held === level) found.push([...trail]);
      return;
    }
    for (let e = 0; e < graph.edgeCount; e++) {
      if (graph.edgeSrc[e] !== node) continue;
      const spec = graph.schema.edgeKinds[graph.edgeKindNames[graph.edgeKind[e]!]!]!;
      const to = graph.edgeDst[e]!;
      if (!spec.traversable || held < LEVEL_CODE[spec.requires] || !alive[to]) continue;
      trail.push(e);
      walk(to, spec.grants === 'same' ? held : LEVEL_CODE[spec.grants], trail);
      trail.pop();
    }
  };
  walk(source, startLevel, []);
  return found;
}

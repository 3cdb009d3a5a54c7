// The level rules of every edge kind, generated from the schema data (requires / grants / traversable),
// plus named scenarios for the rules that matter most in real breaches.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hopsAtLeast, reach, witnessPath } from '../../../engine/analysis/reach.ts';
import { DEFAULT_SCHEMA, LEVEL_CODE, levelName, type EdgeKindSpec } from '../../../engine/schema/index.ts';
import { AT, reachableGraph } from '../../helpers/arbitraries.ts';
import { scenario, type Scenario } from '../../helpers/scenario.ts';

const at = '2025-06-01T00:00:00Z';
const LEVEL_CODES = [1, 2, 3] as const;

const isGraded = (kind: string): boolean => DEFAULT_SCHEMA.nodeKinds[kind]!.graded;
const expectedGrant = (spec: EdgeKindSpec, held: number): number =>
  held < LEVEL_CODE[spec.requires] ? 0 : spec.grants === 'same' ? held : LEVEL_CODE[spec.grants];

/** src -[kind]-> dst, with src held at `held` either directly (sourceLevel) or through an authority edge. */
function minimalGraph(kind: string, fromKind: string, toKind: string, held: number, via: 'source' | 'chain'): { s: Scenario; sources: number[]; sourceLevel: 'read' | 'write' | 'admin'; extraHops: number } {
  const s = scenario((b) => {
    b.node('src', fromKind);
    b.node('dst', toKind);
    b.edge(kind, 'src', 'dst');
    if (via === 'chain') {
      b.app('attacker');
      b.edge(['CAN_READ', 'CAN_WRITE', 'CAN_ADMIN'][held - 1]!, 'attacker', 'src');
    }
  });
  return via === 'chain'
    ? { s, sources: [s.ix('attacker')], sourceLevel: 'admin', extraHops: 1 }
    : { s, sources: [s.ix('src')], sourceLevel: levelName(held), extraHops: 0 };
}

describe('edge rules generated from the schema', () => {
  const cases: { kind: string; spec: EdgeKindSpec; fromKind: string; toKind: string; held: number; via: 'source' | 'chain' }[] = [];
  for (const [kind, spec] of Object.entries(DEFAULT_SCHEMA.edgeKinds)) {
    for (const fromKind of spec.from) {
      for (const toKind of spec.to) {
        // Principals and credentials are only ever held at admin; graded nodes at any level, held two ways.
        const helds = isGraded(fromKind) ? LEVEL_CODES : [3];
        for (const held of helds) {
          cases.push({ kind, spec, fromKind, toKind, held, via: 'source' });
          if (isGraded(fromKind)) cases.push({ kind, spec, fromKind, toKind, held, via: 'chain' });
        }
      }
    }
  }

  it('covers every edge kind of the default schema', () => {
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(Object.keys(DEFAULT_SCHEMA.edgeKinds)));
  });

  it.each(cases.filter((c) => c.spec.traversable).map((c) => [`${c.kind} ${c.fromKind} -> ${c.toKind} holding ${levelName(c.held)} (${c.via})`, c] as const))(
    '%s gives the target exactly what the rule says',
    (_name, c) => {
      const { s, sources, sourceLevel, extraHops } = minimalGraph(c.kind, c.fromKind, c.toKind, c.held, c.via);
      const result = reach(s.graph, sources, { at, sourceLevel });
      expect(result.level[s.ix('src')]).toBe(c.held);
      const want = expectedGrant(c.spec, c.held);
      const dst = s.ix('dst');
      expect(result.level[dst]).toBe(want);
      if (want === 0) {
        expect(result.order).not.toContain(dst);
        expect(result.dormant.has(dst)).toBe(false);
      } else {
        expect(hopsAtLeast(result, dst, want)).toBe(1 + extraHops);
        const path = witnessPath(result, dst);
        expect(path.at(-1)).toMatchObject({ from: s.ix('src'), to: dst, fromLevel: c.held, toLevel: want });
      }
    },
  );

  it.each(cases.filter((c) => !c.spec.traversable && c.held === 3 && c.via === 'source').map((c) => [`${c.kind} ${c.fromKind} -> ${c.toKind}`, c] as const))(
    '%s never extends the radius, even when asked for by name',
    (_name, c) => {
      const { s, sources } = minimalGraph(c.kind, c.fromKind, c.toKind, 3, 'source');
      for (const options of [{ at }, { at, edgeKinds: [c.kind] }]) {
        const result = reach(s.graph, sources, options);
        expect(result.level[s.ix('dst')]).toBe(0);
        expect(result.order).toEqual(sources);
      }
    },
  );
});

describe('edge rules in scenarios', () => {
  it('CONTAINS propagates the level held on the container, at every level and through nesting', () => {
    for (const [authority, code] of [['CAN_READ', 1], ['CAN_WRITE', 2], ['CAN_ADMIN', 3]] as const) {
      const s = scenario((b) => {
        b.app('app');
        b.platform('org');
        b.resource('drive');
        b.resource('folder');
        b.resource('file');
        b.edge(authority, 'app', 'org').edge('CONTAINS', 'org', 'drive').edge('CONTAINS', 'drive', 'folder').edge('CONTAINS', 'folder', 'file');
      });
      const result = reach(s.graph, [s.ix('app')], { at });
      for (const handle of ['org', 'drive', 'folder', 'file']) expect(result.level[s.ix(handle)], `${authority} ${handle}`).toBe(code);
      expect(hopsAtLeast(result, s.ix('file'), code)).toBe(4);
    }
  });

  it('RUNS_AS needs write on the repository: read is not enough', () => {
    const build = (authority: string) => scenario((b) => {
      b.app('ci');
      b.resource('repo');
      b.identity('workload', { subtype: 'workload' });
      b.resource('prodBucket');
      b.edge(authority, 'ci', 'repo').edge('RUNS_AS', 'repo', 'workload').edge('CAN_ADMIN', 'workload', 'prodBucket');
    });
    const readOnly = build('CAN_READ');
    const viaRead = reach(readOnly.graph, [readOnly.ix('ci')], { at });
    expect(viaRead.level[readOnly.ix('repo')]).toBe(1);
    expect(viaRead.level[readOnly.ix('workload')]).toBe(0);
    expect(viaRead.level[readOnly.ix('prodBucket')]).toBe(0);

    for (const authority of ['CAN_WRITE', 'CAN_ADMIN']) {
      const writable = build(authority);
      const viaWrite = reach(writable.graph, [writable.ix('ci')], { at });
      expect(viaWrite.level[writable.ix('workload')], authority).toBe(3);
      expect(viaWrite.level[writable.ix('prodBucket')], authority).toBe(3);
    }
  });

  it('CONTAINS_CREDENTIAL works from read: reading a support case yields the key pasted in it', () => {
    const s = scenario((b) => {
      b.credential('sfToken');
      b.resource('cases');
      b.credential('awsKey');
      b.identity('awsUser');
      b.resource('bucket');
      b.edge('CAN_READ', 'sfToken', 'cases').edge('CONTAINS_CREDENTIAL', 'cases', 'awsKey')
        .edge('AUTHENTICATES_AS', 'awsKey', 'awsUser').edge('CAN_WRITE', 'awsUser', 'bucket');
    });
    const result = reach(s.graph, [s.ix('sfToken')], { at });
    expect(result.level[s.ix('cases')]).toBe(1);
    expect(result.level[s.ix('awsKey')]).toBe(3);
    expect(result.level[s.ix('awsUser')]).toBe(3);
    expect(result.level[s.ix('bucket')]).toBe(2);
    expect(hopsAtLeast(result, s.ix('bucket'), 2)).toBe(4);
  });

  it('CAN_READ gives read, not write: write-only and admin-only edges from the resource do not fire', () => {
    const s = scenario((b) => {
      b.app('app');
      b.resource('repo');
      b.identity('workload');
      b.identity('managed');
      b.resource('part');
      b.edge('CAN_READ', 'app', 'repo').edge('RUNS_AS', 'repo', 'workload').edge('MANAGES', 'repo', 'managed').edge('CONTAINS', 'repo', 'part');
    });
    const result = reach(s.graph, [s.ix('app')], { at });
    expect(result.level[s.ix('repo')]).toBe(1);
    expect(result.hops[s.ix('repo') * 3 + 1]).toBe(-1);
    expect(result.hops[s.ix('repo') * 3 + 2]).toBe(-1);
    expect(result.level[s.ix('part')]).toBe(1);
    expect(result.level[s.ix('workload')]).toBe(0);
    expect(result.level[s.ix('managed')]).toBe(0);
  });

  it('a principal or credential is only ever reached at admin, whatever the level held before it', () => {
    const s = scenario((b) => {
      b.app('app');
      b.resource('mailbox');
      b.credential('token');
      b.identity('user');
      b.group('admins');
      b.role('root');
      b.edge('CAN_READ', 'app', 'mailbox').edge('CONTAINS_CREDENTIAL', 'mailbox', 'token').edge('AUTHENTICATES_AS', 'token', 'user')
        .edge('MEMBER_OF', 'user', 'admins').edge('HAS_ROLE', 'admins', 'root');
    });
    const result = reach(s.graph, [s.ix('app')], { at });
    for (const handle of ['token', 'user', 'admins', 'root']) {
      expect(result.level[s.ix(handle)], handle).toBe(3);
      expect(result.hops[s.ix(handle) * 3], handle).toBe(-1);
      expect(result.hops[s.ix(handle) * 3 + 1], handle).toBe(-1);
    }
  });

  it('a principal or credential is only ever reached at admin on random graphs', () => {
    fc.assert(
      fc.property(reachableGraph(), fc.nat(), fc.constantFrom('read', 'write', 'admin' as const), ({ graph }, pick, sourceLevel) => {
        const source = pick % graph.nodeCount;
        const result = reach(graph, [source], { at: AT, sourceLevel });
        for (const v of result.order) {
          if (v === source || isGraded(graph.nodes[v]!.kind)) continue;
          expect(result.level[v]).toBe(3);
        }
        for (const [v, info] of result.dormant) if (v !== source && !isGraded(graph.nodes[v]!.kind)) expect(info.level).toBe(3);
      }),
      { numRuns: 150 },
    );
  });

  it('a level upgrade re-expands the node: reached at read first, at admin later, the admin-only edges fire', () => {
    const s = scenario((b) => {
      b.app('app');
      b.credential('token');
      b.identity('repoAdmin');
      b.resource('repo');
      b.resource('sub');
      b.identity('workload');
      b.identity('managed');
      // Short path: read on the repo in 1 hop. Long path: admin on the repo in 3 hops.
      b.edge('CAN_READ', 'app', 'repo')
        .edge('HOLDS', 'app', 'token').edge('AUTHENTICATES_AS', 'token', 'repoAdmin').edge('CAN_ADMIN', 'repoAdmin', 'repo')
        .edge('CONTAINS', 'repo', 'sub').edge('RUNS_AS', 'repo', 'workload').edge('MANAGES', 'repo', 'managed');
    });
    const result = reach(s.graph, [s.ix('app')], { at });
    const repo = s.ix('repo');
    expect(result.level[repo]).toBe(3);
    expect(hopsAtLeast(result, repo, 1)).toBe(1);
    expect(hopsAtLeast(result, repo, 3)).toBe(3);
    expect(witnessPath(result, repo, 1)).toHaveLength(1);
    expect(witnessPath(result, repo, 3).map((step) => s.handleOf(step.to))).toEqual(['token', 'repoAdmin', 'repo']);

    expect(result.level[s.ix('sub')]).toBe(3);
    expect(hopsAtLeast(result, s.ix('sub'), 1)).toBe(2);
    expect(hopsAtLeast(result, s.ix('sub'), 3)).toBe(4);
    for (const handle of ['workload', 'managed']) {
      expect(result.level[s.ix(handle)], handle).toBe(3);
      expect(hopsAtLeast(result, s.ix(handle), 3), handle).toBe(4);
      expect(witnessPath(result, s.ix(handle)).at(-1), handle).toMatchObject({ from: repo, fromLevel: 3 });
    }
    expect(result.order.indexOf(repo)).toBeLessThan(result.order.indexOf(s.ix('repoAdmin')));
  });
});

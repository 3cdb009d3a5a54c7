// Exposure (reverse analysis): known answers on the Drift scenario, sorting and options, and a property
// tests that it agrees with a forward reach from every node of a random graph and with the quadratic version it replaced.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exposureOf, INTEGRATION_KINDS, reverseDistances, type Exposure, type ExposureEntry, type ExposureOptions } from '../../../engine/analysis/exposure.ts';
import { compileMitigations } from '../../../engine/analysis/mitigations.ts';
import { hopsAtLeast, reach, traversalRules, type ReachOptions } from '../../../engine/analysis/reach.ts';
import { LEVEL_CODE, levelName } from '../../../engine/schema/index.ts';
import { edgeIdAt, type CompactGraph } from '../../../engine/store/compact.ts';
import { BlastmapError } from '../../../engine/errors.ts';
import { renderExposureMarkdown, renderExposureText } from '../../../engine/report/exposure.ts';
import { AT, randomGraph } from '../../helpers/arbitraries.ts';
import { referenceExposure } from '../../helpers/reference-exposure.ts';
import { driftScenario, scenario } from '../../helpers/scenario.ts';

const at = AT;
/** Dense enough that multi-hop paths (and so the reverse pruning) are common, small enough to stay fast. */
const DENSE = { minNodes: 6, maxNodes: 10, minEdges: 25, maxEdges: 45, activeWeight: 8 };

describe('exposure lists people and admin roles by default', () => {
  // An admin group's member, the admin role, a service account, and the app holding its key all reach the vault.
  const s = scenario((b) => {
    b.resource('vault', { tags: ['crown-jewel'] });
    b.role('dbAdmin', { privileged: true });
    b.group('dbas');
    b.identity('dana', { subtype: 'human' });
    b.identity('etl', { subtype: 'service' });
    b.app('etlApp');
    b.credential('etlKey');
    b.identity('visitor', { subtype: 'human' });
    b.edge('CAN_ADMIN', 'dbAdmin', 'vault').edge('HAS_ROLE', 'dbas', 'dbAdmin').edge('MEMBER_OF', 'dana', 'dbas')
      .edge('CAN_READ', 'etl', 'vault').edge('HOLDS', 'etlApp', 'etlKey').edge('AUTHENTICATES_AS', 'etlKey', 'etl');
  });
  const handles = (entries: readonly { id: string }[]) => entries.map((entry) => s.handleOf(s.graph.indexOf.get(entry.id)!));

  it('every identity, role, app and credential that reaches the target, with subtype and privilege', () => {
    const result = exposureOf(s.graph, s.ix('vault'), { at });
    expect(handles(result.exposed)).toEqual(['dbAdmin', 'dana', 'etl', 'etlKey', 'etlApp']);
    expect(result.exposed.find((e) => e.id === s.id('dbAdmin'))).toMatchObject({ kind: 'Role', privileged: true, level: 'admin' });
    expect(result.identitiesBySubtype).toEqual({ human: 1, service: 1 });
    expect(result.privilegedRoles).toBe(1);
    expect(result.byKind).toEqual({ Role: 1, Identity: 2, Credential: 1, App: 1 });
  });

  it('the text report groups sources by kind, people and roles first, and --kinds narrows to integrations', () => {
    const text = renderExposureText(exposureOf(s.graph, s.ix('vault'), { at }));
    expect(text).toContain('2 identities (1 human, 1 service), 1 role (1 privileged), 1 app, 1 credential.');
    expect(text.indexOf('IDENTITIES (2)')).toBeLessThan(text.indexOf('ROLES (1)'));
    expect(text.indexOf('ROLES (1)')).toBeLessThan(text.indexOf('APPS (1)'));
    expect(text).toMatch(/ADMIN dana {2}Identity \(human\)/);
    const markdown = renderExposureMarkdown(exposureOf(s.graph, s.ix('vault'), { at }));
    expect(markdown).toContain('## Roles (1)');
    expect(markdown).toContain('| admin | dbAdmin | Role (privileged) |');
    expect(handles(exposureOf(s.graph, s.ix('vault'), { at, kinds: INTEGRATION_KINDS }).exposed)).toEqual(['etlKey', 'etlApp']);
  });
});

describe('exposureOf on the Drift scenario', () => {
  const s = driftScenario();
  const bucket = s.ix('bucket');
  const handles = (entries: readonly { id: string }[]) => entries.map((entry) => s.handleOf(s.graph.indexOf.get(entry.id)!));

  it('by default lists identities and roles too: here the AWS user the key signs in as', () => {
    const result = exposureOf(s.graph, bucket, { at });
    expect(result.kinds).toEqual(['Identity', 'Role', 'App', 'Credential']);
    expect(handles(result.exposed)).toEqual(['awsUser', 'awsKey', 'sfToken', 'drift']);
    expect(result.exposed[0]).toMatchObject({ kind: 'Identity', subtype: 'service', level: 'write', hops: 1 });
    expect(result.identitiesBySubtype).toEqual({ service: 1 });
  });

  it('lists the Apps and Credentials that reach the bucket, nearest first, skipping the revoked key', () => {
    const result = exposureOf(s.graph, bucket, { at, kinds: INTEGRATION_KINDS });
    expect(handles(result.exposed)).toEqual(['awsKey', 'sfToken', 'drift']);
    expect(result.exposed.map((e) => [e.level, e.hops])).toEqual([['write', 2], ['write', 5], ['write', 6]]);
    expect(result.byLevel).toEqual({ admin: 0, write: 3, read: 0 });
    expect(result.target.crownJewel).toBe(true);
  });

  it('gives each source its shortest path to the bucket', () => {
    const result = exposureOf(s.graph, bucket, { at, kinds: INTEGRATION_KINDS });
    const sfToken = result.exposed.find((e) => e.id === s.id('sfToken'))!;
    expect(sfToken.path.map((step) => step.kind)).toEqual(['CAN_READ', 'CONTAINS', 'CONTAINS_CREDENTIAL', 'AUTHENTICATES_AS', 'CAN_WRITE']);
    expect(sfToken.path[0]!.from.id).toBe(s.id('sfToken'));
    expect(sfToken.path.at(-1)!.to.id).toBe(s.id('bucket'));
    expect(sfToken.path[0]!.scopes).toEqual(['api']);
  });

  it('with more kinds, also lists the identity and the vendor platform', () => {
    const result = exposureOf(s.graph, bucket, { at, kinds: ['App', 'Credential', 'Identity', 'Platform'] });
    expect(handles(result.exposed)).toEqual(['awsUser', 'awsKey', 'sfToken', 'drift', 'vendor']);
    expect(result.exposed.at(-1)!.hops).toBe(7);
  });

  it('honours --max-depth and --top without losing the count', () => {
    expect(handles(exposureOf(s.graph, bucket, { at, maxDepth: 5, kinds: INTEGRATION_KINDS }).exposed)).toEqual(['awsKey', 'sfToken']);
    const top = exposureOf(s.graph, bucket, { at, top: 1, kinds: INTEGRATION_KINDS });
    expect(handles(top.exposed)).toEqual(['awsKey']);
    expect(top.exposedCount).toBe(3);
  });

  it('a mitigation overlay removes the sources it cuts off', () => {
    const { overlay } = compileMitigations(s.graph, [{ removeScope: { grant: 'sfToken', scope: 'api' } }]);
    expect(handles(exposureOf(s.graph, bucket, { at, overlay, kinds: INTEGRATION_KINDS }).exposed)).toEqual(['awsKey']);
  });

  it('nothing reaches a target that is itself unusable', () => {
    const result = exposureOf(s.graph, s.ix('oldKey'), { at });
    expect(result.targetUsable).toBe(false);
    expect(result.exposed).toEqual([]);
    expect(renderExposureText(result)).toContain('nothing reaches it');
  });

  it('rejects an unknown kind', () => {
    const error = (() => { try { exposureOf(s.graph, bucket, { at, kinds: ['Apps'] }); } catch (e) { return e; } return undefined; })();
    expect(error).toBeInstanceOf(BlastmapError);
    expect((error as BlastmapError).code).toBe('INVALID_OPTION');
  });

  it('renders text with paths and markdown with escaped names', () => {
    const text = renderExposureText(exposureOf(s.graph, bucket, { at }));
    expect(text).toContain('4 sources of 4 candidate Identity/Role/App/Credential nodes reach it: 0 admin, 4 write, 0 read.');
    expect(text).toContain('awsKey -AUTHENTICATES_AS-> awsUser -CAN_WRITE-> bucket');
    const evil = scenario((b) => {
      b.app('app', { name: 'Evil|*App*' });
      b.resource('db', { name: '<b>db</b>' });
      b.edge('CAN_ADMIN', 'app', 'db');
    });
    const markdown = renderExposureMarkdown(exposureOf(evil.graph, evil.ix('db'), { at }));
    expect(markdown).toContain('Evil\\|\\*App\\*');
    expect(markdown).toContain('\\<b\\>db\\</b\\>');
  });
});

describe('exposureOf sorting', () => {
  it('puts a higher level first even when it takes more hops', () => {
    const s = scenario((b) => {
      b.app('near');
      b.app('far');
      b.credential('adminKey');
      b.resource('db');
      b.edge('CAN_READ', 'near', 'db')
        .edge('HOLDS', 'far', 'adminKey').edge('CAN_ADMIN', 'adminKey', 'db');
    });
    const result = exposureOf(s.graph, s.ix('db'), { at });
    expect(result.exposed.map((e) => [s.handleOf(s.graph.indexOf.get(e.id)!), e.level, e.hops])).toEqual([
      ['adminKey', 'admin', 1],
      ['far', 'admin', 2],
      ['near', 'read', 1],
    ]);
  });
});

describe('exposureOf agrees with the forward radius', () => {
  const optionsArb = fc.record({
    maxDepth: fc.constantFrom(undefined, 1, 3),
    enforce: fc.boolean(),
    sourceLevel: fc.constantFrom(undefined, 'read' as const, 'write' as const),
    excludeContains: fc.boolean(),
  });

  it('s is exposed to t at level L with h hops, by a valid path of h steps, iff reach(s) holds t at L with h hops', () => {
    fc.assert(fc.property(
      randomGraph(DENSE).chain((g) => fc.tuple(fc.constant(g), fc.nat({ max: g.graph.nodeCount - 1 }), optionsArb, fc.array(fc.nat(), { maxLength: 2 }))),
      ([{ graph }, target, flags, blocked]) => {
        const options: ReachOptions = { at };
        if (flags.maxDepth !== undefined) options.maxDepth = flags.maxDepth;
        if (flags.enforce) options.enforceConditions = ['mfa'];
        if (flags.sourceLevel) options.sourceLevel = flags.sourceLevel;
        if (flags.excludeContains) options.excludeEdgeKinds = ['CONTAINS'];
        if (blocked.length > 0 && graph.edgeCount > 0) {
          const blockedEdges = new Uint8Array(graph.edgeCount);
          for (const e of blocked) blockedEdges[e % graph.edgeCount] = 1;
          options.overlay = { blockedEdges };
        }
        const exposure = exposureOf(graph, target, { ...options, kinds: graph.nodeKindNames });
        const byId = new Map(exposure.exposed.map((entry) => [entry.id, entry]));
        for (let s = 0; s < graph.nodeCount; s++) {
          if (s === target) continue;
          const forward = reach(graph, [s], options);
          const level = forward.level[target]!;
          const entry = byId.get(graph.nodes[s]!.id);
          if (level === 0) {
            expect(entry).toBeUndefined();
            continue;
          }
          expect(entry).toBeDefined();
          expect(entry!.level).toBe(['read', 'write', 'admin'][level - 1]);
          expect(entry!.hops).toBe(hopsAtLeast(forward, target, level));
          expectValidWitness(graph, options, entry!, s, target);
        }
        expect(exposure.exposedCount).toBe(exposure.exposed.length);
        const order = exposure.exposed.map((e) => [-['read', 'write', 'admin'].indexOf(e.level), e.hops, e.id] as const);
        const sorted = [...order].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2].localeCompare(b[2]));
        expect(order).toEqual(sorted);
      },
    ), { numRuns: 250 });
  });

  it('agrees with the quadratic version it replaced on every source, level, hop count and count', () => {
    fc.assert(fc.property(
      randomGraph(DENSE).chain((g) => fc.tuple(fc.constant(g), fc.nat({ max: g.graph.nodeCount - 1 }), optionsArb, fc.constantFrom(undefined, 2))),
      ([{ graph }, target, flags, top]) => {
        const options: ExposureOptions = { at, kinds: graph.nodeKindNames };
        if (flags.maxDepth !== undefined) options.maxDepth = flags.maxDepth;
        if (flags.enforce) options.enforceConditions = ['mfa'];
        if (flags.sourceLevel) options.sourceLevel = flags.sourceLevel;
        if (flags.excludeContains) options.excludeEdgeKinds = ['CONTAINS'];
        if (top !== undefined) options.top = top;
        const linear = exposureOf(graph, target, options);
        const quadratic = referenceExposure(graph, target, options);
        const withoutPaths = (result: Exposure) => ({ ...result, exposed: result.exposed.map(({ path: _path, ...entry }) => entry) });
        expect(withoutPaths(linear)).toEqual(withoutPaths(quadratic));
        linear.exposed.forEach((entry, i) => {
          expect(entry.path).toHaveLength(quadratic.exposed[i]!.path.length);
          expectValidWitness(graph, options, entry, graph.indexOf.get(entry.id)!, target);
        });
      },
    ), { numRuns: 300 });
  });

  it('every exposed source is a reverse ancestor of the target', () => {
    fc.assert(fc.property(randomGraph(DENSE).chain((g) => fc.tuple(fc.constant(g), fc.nat({ max: g.graph.nodeCount - 1 }))), ([{ graph }, target]) => {
      const distance = reverseDistances(graph, target, { at });
      for (const entry of exposureOf(graph, target, { at, kinds: graph.nodeKindNames }).exposed) {
        const d = distance[graph.indexOf.get(entry.id)!]!;
        expect(d).toBeGreaterThan(0);
        expect(d).toBeLessThanOrEqual(entry.hops);
      }
    }), { numRuns: 150 });
  });
});

/**
 * The path replays: it starts at the source, each step follows its edge from the previous step's node, the
 * edge may be used at the level held (from the source level on) and grants the step's level, every node on
 * it is usable, and it ends on the target at the entry's level in exactly `hops` steps.
 */
function expectValidWitness(graph: CompactGraph, options: ReachOptions, entry: ExposureEntry, source: number, target: number): void {
  const rules = traversalRules(graph, options);
  expect(entry.path).toHaveLength(entry.hops);
  let node = source;
  let held: number = LEVEL_CODE[options.sourceLevel ?? 'admin'];
  for (const step of entry.path) {
    const e = edgeIndexOf(graph, step.edgeId);
    expect(graph.edgeSrc[e]).toBe(node);
    expect(step.from.id).toBe(graph.nodes[node]!.id);
    held = rules.step(e, held);
    expect(held).toBeGreaterThan(0);
    node = graph.edgeDst[e]!;
    expect(rules.usable(node)).toBe(true);
    expect(step.level).toBe(levelName(held));
  }
  expect(node).toBe(target);
  expect(levelName(held)).toBe(entry.level);
}

function edgeIndexOf(graph: CompactGraph, edgeId: string): number {
  for (let e = 0; e < graph.edgeCount; e++) if (edgeIdAt(graph, e) === edgeId) return e;
  throw new Error(`no edge ${edgeId}`);
}

describe('the exposure text at scale', () => {
  // 25 people in an admin group reach the vault: the section shows 10 and counts the rest by level.
  const s = scenario((b) => {
    b.resource('vault', { tags: ['crown-jewel'] });
    b.group('admins');
    b.edge('CAN_ADMIN', 'admins', 'vault');
    for (let i = 0; i < 25; i++) {
      b.identity(`person${String(i).padStart(2, '0')}`, { subtype: 'human' });
      b.edge('MEMBER_OF', `person${String(i).padStart(2, '0')}`, 'admins');
    }
  });

  it('lists the first 10 of a kind, then "and N more" with their levels; --all lists every one', () => {
    const result = exposureOf(s.graph, s.ix('vault'), { at });
    const text = renderExposureText(result);
    expect(text).toContain('IDENTITIES (25)');
    expect(text.match(/ADMIN person\d\d {2}Identity \(human\)/g)).toHaveLength(10);
    expect(text).toContain('  ... and 15 more identities (15 admin, 0 write, 0 read; --all, or --format json)');
    const all = renderExposureText(result, { all: true });
    expect(all.match(/ADMIN person\d\d {2}Identity \(human\)/g)).toHaveLength(25);
    expect(all).not.toContain('more identities');
  });
});

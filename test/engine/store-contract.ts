// The GraphStore contract, written once and run against every store (memory here, Neo4j in test/neo4j/): what
// each method returns on a graph whose answers are known by construction, and reach through the store on random graphs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reachThroughStore } from '../../engine/analysis/frontier-reach.ts';
import { hopsAtLeast, reach, type ReachOptions } from '../../engine/analysis/reach.ts';
import type { Fragment, GraphEdge, GraphNode } from '../../engine/format/native.ts';
import { DEFAULT_SCHEMA, type Level } from '../../engine/schema/index.ts';
import { toFragment, type CompactGraph } from '../../engine/store/compact.ts';
import type { GraphStore } from '../../engine/store/types.ts';
import { AT, reachableGraph } from '../helpers/arbitraries.ts';
import { scenario } from '../helpers/scenario.ts';

/** How a contract run gets a store holding a given graph (replacing whatever it held before). */
export interface StoreUnderTest {
  open: (graph: CompactGraph) => Promise<GraphStore>;
}

export interface ContractOptions {
  /** Random graphs for the reach property (each one is written to the store). */
  reachRuns?: number;
}

/**
 * A small graph exercising every field the native format has, awkward values included: names that look like
 * Cypher, unicode, free-form properties with nulls and mixed lists, edges that differ only by grant.
 */
export function contractGraph() {
  return scenario((s) => {
    s.platform('vendor', { platform: 'chatvendor', tenant: 'prod', vendor: 'Chat Vendor Inc.', source: 'vendors' });
    s.app('drift', {
      platform: 'chatvendor', tenant: 'prod', name: "Drift '}) DETACH DELETE n //", thirdParty: true, publisherVerified: false,
      ownerIds: ['test:t:identity:alice'], tags: ['production'], source: 'vendors', properties: { clientId: 'abc', seats: 12, nested: null, mixed: [1, 'two', true] },
    });
    s.identity('alice', { name: 'Alice Müller 🦊', subtype: 'human', email: 'alice@example.com', mfa: true, enabled: true, source: 'okta' });
    s.identity('svc', { name: 'svc-export', subtype: 'service', enabled: false, source: 'aws' });
    s.credential('token', { type: 'refresh-token', createdAt: '2024-01-01T00:00:00.000Z', lastUsedAt: '2025-05-30T10:00:00.000Z', scopes: ['api', 'refresh_token'], usedScopes: [], hint: 'a1b2', source: 'salesforce' });
    s.credential('expired', { type: 'access-token', expiresAt: '2025-01-01T00:00:00.000Z', fingerprint: 'sha256:00ff' });
    s.credential('revoked', { type: 'api-key', revoked: true, revokedAt: '2025-03-01T00:00:00.000Z', rotatedAt: '2024-12-01T00:00:00.000Z' });
    s.group('admins', { name: 'Admins' });
    s.role('superadmin', { name: 'Super Administrator', privileged: true });
    s.resource('cases', { name: 'Cases', resourceType: 'object-set', tags: ['pii', 'customer'], sensitivity: 7.5, source: 'salesforce' });
    s.resource('case1', { name: 'Case 00031337 "nightly export"', resourceType: 'record', properties: { empty: [], flag: false } });
    s.resource('bucket', { name: 'CASES bucket', platform: 'aws', tenant: '111', tags: ['crown-jewel'] });
    s.edge('MANAGES', 'vendor', 'drift', { source: 'vendors' })
      .edge('HOLDS', 'drift', 'token', { reason: 'Drift stores every customer OAuth grant.', source: 'vendors' })
      .edge('CAN_READ', 'token', 'cases', { scopes: ['api'], grant: 'test:t:credential:token', assumed: false, id: 'explicit-edge-id' })
      .edge('CAN_READ', 'token', 'cases', { scopes: ['refresh_token'], grant: 'test:t:credential:other' })
      .edge('CAN_WRITE', 'token', 'cases', { conditions: ['ip-allowlist', 'mfa'], properties: { note: 'only from the vendor range', ranges: ['10.0.0.0/8'] } })
      .edge('CONTAINS', 'cases', 'case1')
      .edge('CONTAINS_CREDENTIAL', 'case1', 'expired')
      .edge('CONTAINS_CREDENTIAL', 'case1', 'revoked')
      .edge('AUTHENTICATES_AS', 'expired', 'svc')
      .edge('AUTHENTICATES_AS', 'revoked', 'alice')
      .edge('MEMBER_OF', 'alice', 'admins')
      .edge('HAS_ROLE', 'admins', 'superadmin')
      .edge('CAN_ADMIN', 'superadmin', 'bucket')
      .edge('CAN_READ', 'svc', 'bucket')
      .edge('OWNS', 'alice', 'drift')
      .edge('CONSENTED', 'alice', 'drift');
  });
}

/** Order-preserving JSON round trip: drops undefined fields, as every store does. */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Random sources and options (no overlay: stores traverse the graph as it is). */
function reachCase() {
  const kinds = Object.keys(DEFAULT_SCHEMA.edgeKinds);
  const sometimes = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: arb, weight: 1 });
  return reachableGraph().chain((g) => fc.record({
    sources: fc.array(fc.nat({ max: g.graph.nodeCount - 1 }), { minLength: 1, maxLength: 3 }),
    maxDepth: sometimes(fc.integer({ min: 0, max: 4 })),
    excludeEdgeKinds: sometimes(fc.subarray(kinds, { maxLength: 3 })),
    enforceConditions: sometimes(fc.constant(['mfa'])),
    sourceLevel: sometimes(fc.constantFrom<Level>('read', 'write', 'admin')),
  }).map(({ sources, ...rest }) => ({
    g,
    sources,
    options: Object.fromEntries(Object.entries({ at: AT, ...rest }).filter(([, v]) => v !== undefined)) as ReachOptions,
  })));
}

export function graphStoreContract(name: string, subject: StoreUnderTest, options: ContractOptions = {}): void {
  describe(`GraphStore contract: ${name}`, () => {
    const s = contractGraph();
    const fragment: Fragment = toFragment(s.graph);
    const open = () => subject.open(s.graph);

    it('counts every node and edge', async () => {
      const store = await open();
      expect(await store.counts()).toEqual({ nodes: 12, edges: 16 });
    });

    it('returns nodes by id in the order asked, every field intact, undefined where there is none', async () => {
      const store = await open();
      const ids = [s.id('bucket'), 'nope:x:app:missing', s.id('drift'), s.id('alice'), s.id('bucket')];
      const expected = ids.map((id) => fragment.nodes.find((node) => node.id === id));
      expect(plain(await store.getNodes(ids))).toEqual(plain(expected));
      expect(await store.getNodes([])).toEqual([]);
    });

    it('finds nodes by case-insensitive text in the id or name, by kind and platform, up to a limit, in graph order', async () => {
      const store = await open();
      const ids = (nodes: GraphNode[]) => nodes.map((node) => node.id);
      const caseNodes = fragment.nodes.filter((n) => n.id.toLowerCase().includes('case') || n.name.toLowerCase().includes('case'));
      expect(caseNodes.length).toBeGreaterThanOrEqual(3);
      expect(ids(await store.findNodes({ text: 'CaSe' }))).toEqual(ids(caseNodes));
      expect(ids(await store.findNodes({ text: 'müller' }))).toEqual([s.id('alice')]);
      expect(ids(await store.findNodes({ kind: 'Credential' }))).toEqual(ids(fragment.nodes.filter((n) => n.kind === 'Credential')));
      expect(ids(await store.findNodes({ platform: 'aws', kind: 'Resource' }))).toEqual([s.id('bucket')]);
      expect(ids(await store.findNodes({ text: 'case', limit: 2 }))).toEqual(ids(caseNodes.slice(0, 2)));
      expect(await store.findNodes({ text: 'no such thing' })).toEqual([]);
    });

    it('expands a frontier out and in: per frontier node in the order asked, its edges in graph order, filtered by kind', async () => {
      const store = await open();
      const frontier = [s.id('token'), 'nope:x:app:missing', s.id('alice'), s.id('cases')];
      const expected = (direction: 'out' | 'in', kinds?: string[]): GraphEdge[] => frontier.flatMap((id) =>
        fragment.edges.filter((e) => (direction === 'out' ? e.from : e.to) === id && (!kinds || kinds.includes(e.kind))));
      for (const direction of ['out', 'in'] as const) {
        expect(plain(await store.expand({ ids: frontier, direction }))).toEqual(plain(expected(direction)));
        expect(plain(await store.expand({ ids: frontier, direction, edgeKinds: ['CAN_READ', 'OWNS'] }))).toEqual(plain(expected(direction, ['CAN_READ', 'OWNS'])));
      }
      expect(expected('out').length).toBeGreaterThan(5);
      expect(await store.expand({ ids: [], direction: 'out' })).toEqual([]);
      expect(await store.expand({ ids: frontier, direction: 'out', edgeKinds: [] })).toEqual([]);
    });

    it('gives the whole graph back through nodes() and edges(), in its order', async () => {
      const store = await open();
      const nodes: GraphNode[] = [];
      for await (const node of store.nodes()) nodes.push(node);
      const edges: GraphEdge[] = [];
      for await (const edge of store.edges()) edges.push(edge);
      expect(plain({ nodes, edges })).toEqual(plain(fragment));
    });

    it('compiles to the graph it holds', async () => {
      const store = await open();
      const compiled = await store.compile();
      expect(plain(toFragment(compiled))).toEqual(plain(fragment));
      expect(compiled.edgeKindNames).toEqual(s.graph.edgeKindNames);
      expect(store.schema).toBe(DEFAULT_SCHEMA);
    });

    it('reaches, hop by hop through the store, the levels, hops and dormant nodes reach() finds on random graphs', async () => {
      await fc.assert(fc.asyncProperty(reachCase(), async ({ g, sources, options: reachOptions }) => {
        const { graph } = g;
        const store = await subject.open(graph);
        const direct = reach(graph, sources, reachOptions);
        const viaStore = await reachThroughStore(store, sources.map((v) => graph.nodes[v]!.id), reachOptions);
        const level = new Map(direct.order.map((v) => [graph.nodes[v]!.id, direct.level[v]!]));
        const hops = new Map(direct.order.map((v) => [graph.nodes[v]!.id, hopsAtLeast(direct, v, direct.level[v]!)]));
        const dormant = new Map([...direct.dormant].filter(([v]) => direct.level[v] === 0).map(([v, info]) => [graph.nodes[v]!.id, info.level]));
        const sorted = <T>(map: Map<string, T>) => [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        expect(sorted(viaStore.level)).toEqual(sorted(level));
        expect(sorted(viaStore.hops)).toEqual(sorted(hops));
        expect(sorted(viaStore.dormant)).toEqual(sorted(dormant));
      }), { numRuns: options.reachRuns ?? 100 });
    });

    it('refuses a source id it does not hold, as the compiled graph does, instead of an empty radius', async () => {
      const store = await open();
      const known = fragment.nodes[0]!.id;
      await expect(reachThroughStore(store, [known, 'no:such:node:here'])).rejects.toMatchObject({ code: 'UNKNOWN_NODE', message: expect.stringContaining('no:such:node:here') });
    });
  });
}

// The blast radius computed in Neo4j equals the memory store's: the same report (levels, hops, witness paths,
// dormant nodes, score) on the demo company, the incident replays and random graphs, on both database paths: the
// blastmap.reach procedure (neo4j-plugin/, installed in the test server) and one frontier query per hop.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoGraph } from '../../cli/commands/demo.ts';
import { INCIDENTS_DIR, listIncidentNames, loadIncident } from '../../cli/commands/replay.ts';
import { blastRadius } from '../../engine/analysis/radius.ts';
import { hopsAtLeast, reach, type ReachOptions } from '../../engine/analysis/reach.ts';
import { DEFAULT_SCHEMA, type Level } from '../../engine/schema/index.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { radiusInDatabase, reachInDatabase, type DatabaseReachOptions, type Neo4jStore } from '../../engine/store/neo4j/index.ts';
import { AT, reachableGraph } from '../helpers/arbitraries.ts';
import { scenario } from '../helpers/scenario.ts';
import { freshStore, holding, plain } from './helpers.ts';

const DEMO_AT = '2026-11-01';
const PARLEY = 'parley:prod:app:parley-chat';

let store: Neo4jStore;
beforeAll(async () => { store = await freshStore(); });
afterAll(async () => { await store?.close(); });

const PATHS = ['procedure', 'cypher'] as const;
type Via = (typeof PATHS)[number];

/** The in-database radius of `sources` against blastRadius on the compiled graph, report for report. */
async function expectSameRadius(graph: CompactGraph, sources: readonly string[], options: ReachOptions, via: Via): Promise<void> {
  const inDatabase = await radiusInDatabase(store, sources, { ...options, via } as DatabaseReachOptions);
  const inMemory = blastRadius(graph, sources.map((id) => graph.indexOf.get(id)!), options);
  expect(plain(inDatabase), `radius of ${sources.join(', ')} with ${JSON.stringify(options)} (${via})`).toEqual(plain(inMemory));
}

/** Level, hops and dormant maps of reach() on the compiled graph, keyed by node id. */
function memoryMaps(graph: CompactGraph, sources: readonly number[], options: ReachOptions) {
  const result = reach(graph, sources, options);
  return {
    level: new Map(result.order.map((v) => [graph.nodes[v]!.id, result.level[v]!])),
    hops: new Map(result.order.map((v) => [graph.nodes[v]!.id, hopsAtLeast(result, v, result.level[v]!)])),
    dormant: new Map([...result.dormant].filter(([v]) => result.level[v] === 0).map(([v, info]) => [graph.nodes[v]!.id, info.level])),
    depth: Math.max(0, ...result.order.map((v) => hopsAtLeast(result, v, result.level[v]!))),
  };
}

const sorted = <T>(map: Map<string, T>) => [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

it('the test server has the procedure', async () => {
  expect(await store.hasProcedure('blastmap.reach')).toBe(true);
  expect(await store.hasProcedure('blastmap.nothing')).toBe(false);
});

describe.each(PATHS)('on the %s path', (via) => {
  describe('the demo company in Neo4j', () => {
    const graph = loadDemoGraph();
    beforeAll(async () => { await holding(store, graph); });

    it('gives every App and Credential the radius the memory store gives', async () => {
      const sources = graph.nodes.filter((node) => node.kind === 'App' || node.kind === 'Credential').map((node) => node.id);
      expect(sources.length).toBeGreaterThan(20);
      for (const id of sources) await expectSameRadius(graph, [id], { at: DEMO_AT }, via);
    });

    it('honours depth limits, edge filters, enforced conditions, the source level, several sources and the instant', async () => {
      const variants: ReachOptions[] = [
        { at: DEMO_AT, maxDepth: 0 }, { at: DEMO_AT, maxDepth: 1 }, { at: DEMO_AT, maxDepth: 3 },
        { at: DEMO_AT, excludeEdgeKinds: ['CONTAINS_CREDENTIAL'] }, { at: DEMO_AT, edgeKinds: ['HOLDS', 'CAN_READ', 'CONTAINS'] },
        { at: DEMO_AT, enforceConditions: ['ip-allowlist', 'mfa'] }, { at: DEMO_AT, sourceLevel: 'read' },
        { at: '2025-08-10' }, { at: '2020-01-01' },
      ];
      for (const options of variants) await expectSameRadius(graph, [PARLEY], options, via);
      const other = graph.nodes.find((node) => node.kind === 'App' && node.id !== PARLEY)!.id;
      await expectSameRadius(graph, [PARLEY, other], { at: DEMO_AT }, via);
    });

    it('runs on the procedure path unless told otherwise', async () => {
      expect((await reachInDatabase(store, [PARLEY], { at: DEMO_AT })).via).toBe('procedure');
    });

    it(via === 'cypher' ? 'sends one frontier query per hop and stops when the frontier is empty' : 'sends one procedure call', async () => {
      const { level, hops, dormant, queries, via: ran } = await reachInDatabase(store, [PARLEY], { at: DEMO_AT, via });
      const memory = memoryMaps(graph, [graph.indexOf.get(PARLEY)!], { at: DEMO_AT });
      expect(ran).toBe(via);
      expect(sorted(level)).toEqual(sorted(memory.level));
      expect(sorted(hops)).toEqual(sorted(memory.hops));
      expect(sorted(dormant)).toEqual(sorted(memory.dormant));
      expect(memory.depth).toBeGreaterThanOrEqual(5);
      expect(queries).toBe(via === 'cypher' ? memory.depth + 1 : 1);
      expect((await reachInDatabase(store, [PARLEY], { at: DEMO_AT, maxDepth: 2, via })).queries).toBe(via === 'cypher' ? 2 : 1);
    });

    it('refuses unknown sources and unknown edge kinds, as reach does', async () => {
      await expect(reachInDatabase(store, ['no:such:app:x'], { at: DEMO_AT, via })).rejects.toMatchObject({ code: 'UNKNOWN_NODE' });
      await expect(reachInDatabase(store, [PARLEY], { at: DEMO_AT, edgeKinds: ['HOLD'], via })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
      await expect(reachInDatabase(store, [PARLEY], { at: DEMO_AT, maxDepth: -1, via })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    });
  });

  describe('access tokens past their expiry, live through a refresh token', () => {
    // The witness subgraph keeps only the edges that led somewhere: the minting edge into a token reached another
    // way (held directly, or pasted in a page) leads nowhere, yet the report must name the refresh token
    // (`liveThrough`), the first live one in the graph's order, as the memory store does (found by the property
    // below, fast-check seed 1685482034).
    const expired = '2026-10-01T00:00:00.000Z';
    const families = scenario((b) => {
      b.identity('holder', { platform: 'okta', tenant: 'o' });
      b.credential('deadRefresh', { platform: 'google-workspace', tenant: 'g', type: 'refresh-token', revoked: true, revokedAt: '2026-09-01T00:00:00.000Z' });
      b.credential('farRefresh', { platform: 'google-workspace', tenant: 'g', type: 'refresh-token' });
      b.credential('heldRefresh', { platform: 'google-workspace', tenant: 'g', type: 'refresh-token' });
      b.credential('held', { platform: 'google-workspace', tenant: 'g', type: 'access-token', expiresAt: expired });
      b.credential('pasted', { platform: 'google-workspace', tenant: 'g', type: 'access-token', expiresAt: expired });
      b.credential('lapsed', { platform: 'google-workspace', tenant: 'g', type: 'access-token', expiresAt: expired });
      b.resource('wiki', { platform: 'okta', tenant: 'o' });
      b.resource('drive', { platform: 'google-workspace', tenant: 'g', tags: ['pii'] });
      // held: its refresh token is held too, and reached first; pasted: minted only by refresh tokens the holder never
      // reaches, the first of them revoked; lapsed: its only minter revoked, so it is dormant, with no liveThrough.
      b.edge('HOLDS', 'holder', 'heldRefresh').edge('HOLDS', 'holder', 'held').edge('MINTS', 'heldRefresh', 'held')
        .edge('CAN_READ', 'holder', 'wiki').edge('CONTAINS_CREDENTIAL', 'wiki', 'pasted').edge('CONTAINS_CREDENTIAL', 'wiki', 'lapsed')
        .edge('MINTS', 'deadRefresh', 'pasted').edge('MINTS', 'farRefresh', 'pasted').edge('MINTS', 'deadRefresh', 'lapsed')
        .edge('CAN_READ', 'held', 'drive').edge('CAN_READ', 'pasted', 'drive');
    });

    it('name the refresh token on both paths, reached or not', async () => {
      await holding(store, families.graph);
      const memory = blastRadius(families.graph, [families.ix('holder')], { at: DEMO_AT });
      const live = (handle: string) => memory.reached.find((entry) => entry.id === families.id(handle))?.liveThrough?.id;
      expect(live('held')).toBe(families.id('heldRefresh'));
      expect(live('pasted')).toBe(families.id('farRefresh'));
      expect(memory.reached.some((entry) => entry.id === families.id('lapsed'))).toBe(false);
      await expectSameRadius(families.graph, [families.id('holder')], { at: DEMO_AT }, via);
      await expectSameRadius(families.graph, [families.id('holder'), families.id('farRefresh')], { at: DEMO_AT }, via);
    });
  });

  /** The incident replays (datasets/incidents/<name>/: exports through their importers, plus native files). */
  const incidents = listIncidentNames(INCIDENTS_DIR);

  describe('the incident replays in Neo4j', () => {
    it('are there to compare', () => {
      expect(incidents.length).toBeGreaterThanOrEqual(5);
    });

    it.each(incidents)('%s: the replayed start and every App and Credential have the radius the memory store gives', async (name) => {
      const { graph, expected } = loadIncident(INCIDENTS_DIR, name);
      await holding(store, graph);
      const replay: ReachOptions = { at: expected.at, ...(expected.enforce ? { enforceConditions: expected.enforce } : {}) };
      await expectSameRadius(graph, expected.start, replay, via);
      await expectSameRadius(graph, expected.start, { at: expected.at }, via);
      const sources = graph.nodes.filter((node) => node.kind === 'App' || node.kind === 'Credential').map((node) => node.id);
      expect(sources.length).toBeGreaterThan(0);
      for (const id of sources) await expectSameRadius(graph, [id], replay, via);
    });
  });

  describe('random graphs in Neo4j', () => {
    it('give the same radius, levels, hops and dormant nodes as the memory store', async () => {
      const kinds = Object.keys(DEFAULT_SCHEMA.edgeKinds);
      const sometimes = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 2 }, { arbitrary: arb, weight: 1 });
      const cases = reachableGraph().chain((g) => fc.record({
        sources: fc.array(fc.nat({ max: g.graph.nodeCount - 1 }), { minLength: 1, maxLength: 3 }),
        maxDepth: sometimes(fc.integer({ min: 0, max: 4 })),
        edgeKinds: sometimes(fc.subarray(kinds, { minLength: 1 })),
        excludeEdgeKinds: sometimes(fc.subarray(kinds, { maxLength: 3 })),
        enforceConditions: sometimes(fc.constant(['mfa'])),
        sourceLevel: sometimes(fc.constantFrom<Level>('read', 'write', 'admin')),
      }).map(({ sources, ...rest }) => ({
        graph: g.graph,
        sources,
        options: Object.fromEntries(Object.entries({ at: AT, ...rest }).filter(([, v]) => v !== undefined)) as ReachOptions,
      })));
      await fc.assert(fc.asyncProperty(cases, async ({ graph, sources, options }) => {
        await holding(store, graph);
        const ids = sources.map((v) => graph.nodes[v]!.id);
        const inDatabase = await reachInDatabase(store, ids, { ...options, via } as DatabaseReachOptions);
        const memory = memoryMaps(graph, sources, options);
        expect(sorted(inDatabase.level)).toEqual(sorted(memory.level));
        expect(sorted(inDatabase.hops)).toEqual(sorted(memory.hops));
        expect(sorted(inDatabase.dormant)).toEqual(sorted(memory.dormant));
        await expectSameRadius(graph, ids, options, via);
      }), {
        numRuns: 50,
        // No shrinking through the database: each step pushes a graph, and shrinking a real counterexample once ran
        // past the test's time limit, which reported a timeout instead of the counterexample. The seed and path are
        // printed: replay them with `seed` and `path` here to shrink.
        endOnFailure: true,
        // On a host slow enough to run out of time, stop with the graphs checked so far rather than time out.
        interruptAfterTimeLimit: 150_000,
      });
      // 50 graphs pushed to a real server and read back hop by hop: 8-13 s alone, more when the machine is busy.
    }, 180_000);
  });
});

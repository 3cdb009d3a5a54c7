// Writing the graph to Neo4j: the schema's constraints, exact round trips, idempotent pushes, pushes that make
// the database exactly the new graph, and queries that never carry data from an export as Cypher text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCHEMA } from '../../engine/schema/index.ts';
import { buildGraph, toFragment } from '../../engine/store/compact.ts';
import { kindLiteral, schemaObjects, type Neo4jStore } from '../../engine/store/neo4j/index.ts';
import { contractGraph } from '../engine/store-contract.ts';
import { freshStore, plain } from './helpers.ts';

let store: Neo4jStore;
beforeAll(async () => { store = await freshStore(); });
afterAll(async () => { await store?.close(); });

const relationshipCount = async () => (await store.read('MATCH ()-[r]->() RETURN count(r) AS c'))[0]!.get('c') as number;

describe('the schema in Neo4j', () => {
  it('creates one uniqueness constraint on node ids, indexes, and a unique key per edge kind, idempotently', async () => {
    await store.ensureSchema();
    await store.ensureSchema();
    expect(await store.missingSchema()).toEqual([]);
    const objects = schemaObjects(DEFAULT_SCHEMA);
    expect(objects.filter((o) => o.type === 'RELATIONSHIP_UNIQUENESS').map((o) => o.on).sort()).toEqual(Object.keys(DEFAULT_SCHEMA.edgeKinds).sort());
    expect(objects.filter((o) => o.type === 'RANGE' && o.on === 'BlastmapNode').map((o) => o.property)).toEqual(['kind', 'platform', 'name', 'source']);
    const constraints = (await store.read('SHOW CONSTRAINTS YIELD name RETURN name')).map((r) => r.get('name') as string);
    expect(constraints).toContain('blastmap_node_id');
  });

  it('refuses a second node with the same id', async () => {
    await store.write("CREATE (:BlastmapNode {id: 'dup:t:app:x'})");
    await expect(store.write("CREATE (:BlastmapNode {id: 'dup:t:app:x'})")).rejects.toThrow(/already exists/);
    await store.write("MATCH (n:BlastmapNode {id: 'dup:t:app:x'}) DELETE n");
  });

  it('reports what is missing after the schema is dropped, and push puts it back', async () => {
    await store.dropSchema();
    expect((await store.missingSchema()).length).toBe(schemaObjects(DEFAULT_SCHEMA).length);
    await store.ensureSchema();
    expect(await store.missingSchema()).toEqual([]);
  });
});

describe('pushing a graph', () => {
  const s = contractGraph();
  const fragment = toFragment(s.graph);

  it('then pulling it gives back the identical fragment, in order, awkward values included', async () => {
    await store.push(fragment);
    const pulled = await store.pull();
    expect(plain(pulled)).toEqual(plain(fragment));
    expect(pulled.nodes.find((n) => n.id === s.id('drift'))!.properties).toEqual({ clientId: 'abc', seats: 12, nested: null, mixed: [1, 'two', true] });
    expect(pulled.nodes.find((n) => n.id === s.id('cases'))!.sensitivity).toBe(7.5);
    expect(pulled.nodes.find((n) => n.id === s.id('token'))!.usedScopes).toEqual([]);
  });

  it('twice leaves one copy of everything', async () => {
    await store.push(fragment);
    const first = await store.counts();
    const report = await store.push(fragment);
    expect(await store.counts()).toEqual(first);
    expect(first).toEqual({ nodes: s.graph.nodeCount, edges: s.graph.edgeCount });
    expect(await relationshipCount()).toBe(s.graph.edgeCount);
    expect(report).toMatchObject({ nodesWritten: 12, edgesWritten: 16, nodesRemoved: 0, edgesRemoved: 0 });
    expect(plain(await store.pull())).toEqual(plain(fragment));
  });

  it('makes the database exactly the new graph: nodes, edges and fields no longer in it are removed', async () => {
    await store.push(fragment);
    const dropped = new Set([s.id('revoked'), s.id('svc')]);
    const smaller = {
      nodes: fragment.nodes.filter((n) => !dropped.has(n.id)).map((n) => (n.id === s.id('alice') ? { ...n, mfa: undefined, name: 'Alice M.' } : n)),
      edges: fragment.edges.filter((e) => !dropped.has(e.from) && !dropped.has(e.to) && e.kind !== 'CONSENTED'),
    };
    const expected = toFragment(buildGraph(smaller));
    const report = await store.push(expected);
    expect(report.nodesRemoved).toBe(2);
    expect(report.edgesRemoved).toBe(fragment.edges.length - expected.edges.length);
    expect(plain(await store.pull())).toEqual(plain(expected));
    expect(await relationshipCount()).toBe(expected.edges.length);
  });

  it("leaves everything outside blastmap's label alone, through pushes and clear", async () => {
    await store.write("CREATE (:AWSAccount {id: 'cartography-account'})-[:RESOURCE]->(:S3Bucket {name: 'b'})");
    await store.push(fragment);
    await store.push({ nodes: [], edges: [] });
    expect(await store.counts()).toEqual({ nodes: 0, edges: 0 });
    await store.push(fragment);
    expect(await store.clear()).toBe(12);
    const others = await store.read('MATCH (a:AWSAccount)-[r:RESOURCE]->(b:S3Bucket) RETURN a.id AS id');
    expect(others.map((r) => r.get('id'))).toEqual(['cartography-account']);
    await store.write('MATCH (n) WHERE n:AWSAccount OR n:S3Bucket DETACH DELETE n');
  });
});

describe('queries and data from exports', () => {
  it('carry names that look like Cypher as data: they round-trip and delete nothing', async () => {
    const s = contractGraph();
    await store.push(toFragment(s.graph));
    const [drift] = await store.getNodes([s.id('drift')]);
    expect(drift!.name).toBe("Drift '}) DETACH DELETE n //");
    expect((await store.findNodes({ text: "'}) detach" })).map((n) => n.id)).toEqual([s.id('drift')]);
    expect(await store.counts()).toEqual({ nodes: 12, edges: 16 });
  });

  it('only ever use schema kinds as labels and relationship types', () => {
    expect(kindLiteral(DEFAULT_SCHEMA, 'HOLDS', 'edge')).toBe('`HOLDS`');
    expect(kindLiteral(DEFAULT_SCHEMA, 'App', 'node')).toBe('`App`');
    expect(() => kindLiteral(DEFAULT_SCHEMA, 'HOLDS`]->() DETACH DELETE n //', 'edge')).toThrow(/not an edge kind/);
    expect(() => kindLiteral(DEFAULT_SCHEMA, 'Bucket', 'node')).toThrow();
    expect(() => kindLiteral(DEFAULT_SCHEMA, 'App', 'edge')).toThrow();
  });

  it('refuse to write an edge whose endpoint is not in the database', async () => {
    await store.push({ nodes: [], edges: [] });
    await expect(store.writeItems([], [{ item: { kind: 'HOLDS', from: 'a:t:app:x', to: 'a:t:credential:y' }, seq: 0 }]))
      .rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

// The first load through Neo4j's offline importer: the CSV files engine/store/neo4j/bulk.ts generates, imported
// with `neo4j-admin database import full` into a new database, give the same database a push gives: the same pull
// (awkward values, empty lists, order), the same radius (procedure and Cypher paths), and a push on top of it
// that changes nothing. This file starts its own server on the imported database (the shared one is not empty).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBulkFiles } from '../../cli/neo4j-bulk.ts';
import { blastRadius } from '../../engine/analysis/radius.ts';
import { DEFAULT_SCHEMA } from '../../engine/schema/index.ts';
import { buildGraph, toFragment } from '../../engine/store/compact.ts';
import { adminImportArgs, ARRAY_DELIMITER, finishBulkImport, Neo4jStore, newRunId, planBulkImport, radiusInDatabase } from '../../engine/store/neo4j/index.ts';
import { startNeo4jServer, type Neo4jServer } from '../../scripts/neo4j/server.ts';
import { contractGraph } from '../engine/store-contract.ts';
import { scenario } from '../helpers/scenario.ts';
import { plain } from './helpers.ts';

const s = contractGraph();
const fragment = toFragment(s.graph);
const plan = planBulkImport(fragment, DEFAULT_SCHEMA, { run: newRunId(), chunkRows: 3 });
let server: Neo4jServer | undefined;
let store: Neo4jStore;
let csv: string;

beforeAll(async () => {
  csv = mkdtempSync(join(tmpdir(), 'blastmap-bulk-'));
  await writeBulkFiles(plan, csv);
  server = await startNeo4jServer({ importArgs: adminImportArgs(plan, csv) });
  store = await Neo4jStore.connect({ uri: server.uri, user: server.user, password: server.password });
  await finishBulkImport(store, plan);
}, 600_000);

afterAll(async () => {
  await store?.close();
  await server?.stop();
  if (csv) rmSync(csv, { recursive: true, force: true });
});

describe('a bulk-imported database', () => {
  it('pulls back the identical graph, in order, awkward values and empty lists included', async () => {
    expect(plan.fixups.nodes.length).toBeGreaterThan(0);
    const pulled = await store.pull();
    expect(plain(pulled)).toEqual(plain(fragment));
    expect(pulled.nodes.find((n) => n.id === s.id('drift'))!.name).toBe("Drift '}) DETACH DELETE n //");
    expect(pulled.nodes.find((n) => n.id === s.id('token'))!.usedScopes).toEqual([]);
    expect(await store.missingSchema()).toEqual([]);
  });

  it('has the labels, types and markers a push writes', async () => {
    const [node] = await store.read("MATCH (n:BlastmapNode:App {id: $id}) RETURN n.importRun AS run, n.seq AS seq, labels(n) AS labels", { id: s.id('drift') });
    expect(node!.get('run')).toBe(plan.run);
    expect(node!.get('seq')).toBe(fragment.nodes.findIndex((n) => n.id === s.id('drift')));
    expect([...(node!.get('labels') as string[])].sort()).toEqual(['App', 'BlastmapNode']);
    const [edge] = await store.read('MATCH (:BlastmapNode)-[r]->(:BlastmapNode) RETURN type(r) AS type, r.key AS key ORDER BY r.seq LIMIT 1');
    expect(edge!.get('type')).toBe(fragment.edges[0]!.kind);
  });

  it('gives the radius the memory store gives, on both paths', async () => {
    for (const source of s.graph.nodes.filter((n) => n.kind === 'App' || n.kind === 'Credential')) {
      const inMemory = blastRadius(s.graph, [s.graph.indexOf.get(source.id)!], { at: '2026-06-01' });
      for (const via of ['procedure', 'cypher'] as const) {
        expect(plain(await radiusInDatabase(store, [source.id], { at: '2026-06-01', via }))).toEqual(plain(inMemory));
      }
    }
  });

  it('takes a push of the same graph as a no-op, and incremental writes on top', async () => {
    await store.push(fragment);
    expect(plain(await store.pull())).toEqual(plain(fragment));
    expect(await store.counts()).toEqual({ nodes: s.graph.nodeCount, edges: s.graph.edgeCount });
  });
});

describe('the CSV files', () => {
  it('quote text (quotes doubled, newlines kept) and keep list elements apart with U+001F', () => {
    const g = scenario((b) => {
      b.app('odd', { name: 'say "hi"\nand, then; bye', tags: ['a;b', 'c,d'] });
    });
    const p = planBulkImport(toFragment(g.graph), DEFAULT_SCHEMA, { run: 'r' });
    const text = p.files.filter((f) => f.role === 'nodes').map((f) => [...f.chunks()].join('')).join('');
    expect(text).toContain('"say ""hi""\nand, then; bye"');
    expect(text).toContain(`"a;b${ARRAY_DELIMITER}c,d"`);
  });

  it('refuse a list element holding the delimiter, and a field two types cannot share splits the file', () => {
    const bad = { nodes: [{ id: 'x:t:app:a', kind: 'App', name: 'a', platform: 'x', tags: [`a${ARRAY_DELIMITER}b`] }], edges: [] };
    expect(() => [...planBulkImport(bad as never, DEFAULT_SCHEMA, { run: 'r' }).files[0]!.chunks()]).toThrow(/U\+001F/);
    const mixed = { nodes: [
      { id: 'x:t:app:a', kind: 'App', name: 'a', platform: 'x', tenant: 't' },
      { id: 'x:t:app:b', kind: 'App', name: 'b', platform: 'x', tenant: 7 },
    ], edges: [] };
    const files = planBulkImport(mixed as never, DEFAULT_SCHEMA, { run: 'r' }).files;
    expect(files.map((f) => f.header)).toEqual([expect.stringContaining('tenant:string'), expect.stringContaining('tenant:double')]);
  });
});

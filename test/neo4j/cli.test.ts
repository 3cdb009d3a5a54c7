// The CLI against a real Neo4j: push, pull, status, clear, import --store neo4j, radius computed in the database,
// and the other analysis commands run on the pulled graph, each giving what the memory store gives.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlastRadius } from '../../engine/analysis/radius.ts';
import type { Neo4jStore, StoreStatus } from '../../engine/store/neo4j/index.ts';
import { runCli, tempDir } from '../helpers/cli.ts';
import { freshStore, testConnection } from './helpers.ts';

const AT = '2026-11-01';
let store: Neo4jStore;
let conn: string[];
beforeAll(async () => {
  store = await freshStore();
  const { uri, user, password } = testConnection();
  conn = ['--neo4j-uri', uri, '--neo4j-user', user!, '--neo4j-password', password!];
});
afterAll(async () => { await store?.close(); });

describe('blastmap with --store neo4j', () => {
  it('pushes the demo, then briefs a radius computed in the database exactly as from the files', async () => {
    const push = await runCli(['neo4j', 'push', '--graph', 'datasets/demo', ...conn]);
    expect(push.err).toBe('');
    expect(push.code).toBe(0);
    expect(push.out).toMatch(/^pushed \d+ nodes and \d+ edges to bolt:\/\/127\.0\.0\.1:\d+ in [\d.]+ s\n$/);
    for (const format of ['json', 'text', 'markdown']) {
      const fromNeo4j = await runCli(['radius', 'Parley Chat', '--store', 'neo4j', ...conn, '--at', AT, '--format', format]);
      const fromFiles = await runCli(['radius', 'Parley Chat', '--graph', 'datasets/demo', '--at', AT, '--format', format]);
      expect(fromNeo4j.code).toBe(0);
      expect(fromNeo4j.out).toBe(fromFiles.out);
    }
    const radius = JSON.parse((await runCli(['radius', 'parley:prod:app:parley-chat', '--store', 'neo4j', ...conn, '--at', AT, '-f', 'json'])).out) as BlastRadius;
    expect(radius.crownJewels.length).toBeGreaterThan(0);
  });

  it('runs the other analysis commands on the graph pulled from the database, with the same output', async () => {
    for (const args of [['paths', 'Parley Chat'], ['rank', '--top', '5'], ['findings']]) {
      const fromNeo4j = await runCli([...args, '--store', 'neo4j', ...conn, '--at', AT]);
      const fromFiles = await runCli([...args, '--graph', 'datasets/demo', '--at', AT]);
      expect(fromNeo4j.err, args.join(' ')).toBe(fromFiles.err);
      expect(fromNeo4j.code, args.join(' ')).toBe(fromFiles.code);
      expect(fromNeo4j.out, args.join(' ')).toBe(fromFiles.out);
      expect(fromNeo4j.out.length).toBeGreaterThan(100);
    }
  });

  it('pulls the database into a snapshot that analyses as the original', async () => {
    const snapshot = join(tempDir(), 'pulled.bmap');
    const pull = await runCli(['neo4j', 'pull', '--graph', snapshot, ...conn]);
    expect(pull.code).toBe(0);
    expect(pull.out).toMatch(/^pulled \d+ nodes and \d+ edges into /);
    const fromSnapshot = await runCli(['radius', 'Parley Chat', '--graph', snapshot, '--at', AT, '-f', 'json']);
    const fromFiles = await runCli(['radius', 'Parley Chat', '--graph', 'datasets/demo', '--at', AT, '-f', 'json']);
    expect(fromSnapshot.out).toBe(fromFiles.out);
  });

  it('imports native files into the database, replacing what an older export of the same source had', async () => {
    const dir = tempDir();
    const node = (n: number) => ({ id: `acme:t:resource:r${n}`, kind: 'Resource', name: `repo ${n}`, platform: 'acme', tenant: 't' });
    const file = join(dir, 'acme.json');
    writeFileSync(file, JSON.stringify({ source: 'acme-export', nodes: [1, 2, 3].map(node), edges: [{ kind: 'CONTAINS', from: 'acme:t:resource:r1', to: 'acme:t:resource:r2' }] }));
    const first = await runCli(['import', 'native', file, '--store', 'neo4j', ...conn, '--replace']);
    expect(first.code).toBe(0);
    expect(first.out).toContain('now 3 nodes and 1 edges');
    writeFileSync(file, JSON.stringify({ source: 'acme-export', nodes: [1, 2].map(node), edges: [] }));
    const second = await runCli(['import', 'native', file, '--store', 'neo4j', ...conn, '--format', 'json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.out)).toMatchObject({ store: 'neo4j', nodes: 2, edges: 0, sources: ['acme-export'], write: { nodesRemoved: 1, edgesRemoved: 1 } });
    const status = JSON.parse((await runCli(['neo4j', 'status', ...conn, '-f', 'json'])).out) as StoreStatus;
    expect(status).toMatchObject({ nodes: 2, edges: 0, edition: 'community', missingSchema: [] });
    expect(status.sources).toEqual([expect.objectContaining({ source: 'acme-export', nodes: 2, edges: 0 })]);
  });

  it('clears only when told --yes', async () => {
    const refused = await runCli(['neo4j', 'clear', ...conn]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/clear would delete 2 nodes and 0 edges .*pass --yes/);
    expect((await store.counts()).nodes).toBe(2);
    const cleared = await runCli(['neo4j', 'clear', '--yes', ...conn]);
    expect(cleared.code).toBe(0);
    expect(await store.counts()).toEqual({ nodes: 0, edges: 0 });
  });

  it('fails with one clear line on a wrong password, an unknown node, or two graphs named at once', async () => {
    const { uri } = testConnection();
    const denied = await runCli(['neo4j', 'status', '--neo4j-uri', uri, '--neo4j-user', 'neo4j', '--neo4j-password', 'wrong']);
    expect(denied.code).toBe(5);
    expect(denied.err.trim().split('\n')).toHaveLength(1);
    expect(denied.err).toContain(`neo4j at ${uri}`);
    await runCli(['neo4j', 'push', '--graph', 'datasets/demo', ...conn]);
    const unknown = await runCli(['radius', 'Parley', '--store', 'neo4j', ...conn]);
    expect(unknown.code).toBe(4);
    expect(unknown.err).toContain('parley:prod:app:parley-chat');
    const both = await runCli(['paths', 'Parley Chat', '--store', 'neo4j', '--graph', 'datasets/demo', ...conn]);
    expect(both.code).toBe(2);
    expect(both.err).toContain('choose one');
  });
});

// `blastmap export` and `blastmap import opengraph` end to end: every format on the demo graph, radius exports,
// the OpenGraph extension document, a BloodHound round trip through the CLI that keeps the blast radius, zip and
// folder inputs, a large file streamed, and failures that leave the snapshot untouched.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { MultiDirectedGraph } from 'graphology';
import { parse as parseGexf } from 'graphology-gexf';
import { parse as parseGraphml } from 'graphology-graphml';
import { describe, expect, it } from 'vitest';
import { reach } from '../../engine/analysis/reach.ts';
import { resolveNode } from '../../engine/store/lookup.ts';
import { loadDemoGraph } from '../../cli/commands/demo.ts';
import { REPO, runCli, tempDir } from '../helpers/cli.ts';

const DEMO = join(REPO, 'datasets/demo');
const FIXTURES = join(REPO, 'test/fixtures/opengraph');
const PARLEY = 'parley:prod:app:parley-chat';
const AT = '2026-11-01';

describe('blastmap export', () => {
  it('opengraph: the whole demo graph to a file, every node with one BM_ kind', async () => {
    const out = join(tempDir(), 'demo.json');
    const run = await runCli(['export', 'opengraph', '--graph', DEMO, '--out', out]);
    expect(run).toMatchObject({ code: 0, out: '' });
    const document = JSON.parse(readFileSync(out, 'utf8'));
    expect(document.metadata).toEqual({ source_kind: 'Blastmap' });
    expect(document.graph.nodes).toHaveLength(loadDemoGraph().nodeCount);
    expect(document.graph.nodes.every((node: { kinds: string[] }) => node.kinds.length === 1 && node.kinds[0]!.startsWith('BM_'))).toBe(true);
  });

  it('opengraph --radius: only what Parley Chat reaches, with bm_level and bm_hops', async () => {
    const run = await runCli(['export', 'opengraph', '--radius', 'Parley Chat', '--graph', DEMO, '--at', AT]);
    expect(run.code).toBe(0);
    const document = JSON.parse(run.out);
    const graph = loadDemoGraph();
    const result = reach(graph, [resolveNode(graph, PARLEY)], { at: AT });
    expect(document.graph.nodes).toHaveLength(result.order.length);
    const parley = document.graph.nodes.find((node: { id: string }) => node.id === PARLEY);
    expect(parley.properties).toMatchObject({ bm_level: 'admin', bm_hops: 0, bm_source: true });
    expect(document.graph.nodes.every((node: { properties: { bm_level?: string } }) => ['read', 'write', 'admin'].includes(node.properties.bm_level!))).toBe(true);
  });

  it('opengraph-schema: the extension document, from the graph or without one', async () => {
    const withGraph = await runCli(['export', 'opengraph-schema', '--graph', DEMO]);
    expect(withGraph.code).toBe(0);
    const extension = JSON.parse(withGraph.out);
    expect(extension.schema).toMatchObject({ namespace: 'BM', version: 'v0.1.0' });
    expect(extension.relationship_kinds.find((kind: { name: string }) => kind.name === 'BM_CONTAINS_CREDENTIAL')).toMatchObject({ is_traversable: true });
    const saved = process.env.BLASTMAP_GRAPH;
    process.env.BLASTMAP_GRAPH = join(tempDir(), 'none.bmap');
    try {
      const bare = await runCli(['export', 'opengraph-schema']);
      expect(bare.code).toBe(0);
      expect(JSON.parse(bare.out)).toEqual(extension);
    } finally {
      if (saved === undefined) delete process.env.BLASTMAP_GRAPH;
      else process.env.BLASTMAP_GRAPH = saved;
    }
  });

  it('gexf and graphml: parseable by graphology, whole or as a radius with level attributes', async () => {
    const graph = loadDemoGraph();
    const gexf = await runCli(['export', 'gexf', '--graph', DEMO]);
    expect(parseGexf(MultiDirectedGraph, gexf.out).order).toBe(graph.nodeCount);
    const graphml = await runCli(['export', 'graphml', '--graph', DEMO, '--radius', PARLEY, '--at', AT]);
    const view = parseGraphml(MultiDirectedGraph, graphml.out);
    expect(view.order).toBe(reach(graph, [resolveNode(graph, PARLEY)], { at: AT }).order.length);
    expect(view.getNodeAttributes(PARLEY)).toMatchObject({ level: 'admin', hops: 0, isSource: true });
  });

  it('json and ndjson: import back with `import native`', async () => {
    const dir = tempDir();
    expect((await runCli(['export', 'ndjson', '--graph', DEMO, '--out', join(dir, 'demo.ndjson')])).code).toBe(0);
    expect((await runCli(['export', 'json', '--graph', DEMO, '--out', join(dir, 'demo.json')])).code).toBe(0);
    for (const file of ['demo.ndjson', 'demo.json']) {
      const run = await runCli(['import', 'native', join(dir, file), '--graph', join(dir, `${file}.bmap`)]);
      expect(run.code).toBe(0);
      expect(run.out).toContain(`now ${loadDemoGraph().nodeCount} nodes`);
    }
  });

  it('refuses an unknown format (exit 2), an unknown --radius node (exit 4) and a bad --at (exit 2)', async () => {
    expect((await runCli(['export', 'pdf', '--graph', DEMO])).code).toBe(2);
    const unknown = await runCli(['export', 'gexf', '--graph', DEMO, '--radius', 'no such app']);
    expect(unknown.code).toBe(4);
    expect((await runCli(['export', 'json', '--graph', DEMO, '--at', 'yesterday'])).code).toBe(2);
  });
});

describe('blastmap import opengraph', () => {
  it('BloodHound round trip: export opengraph, import it into an empty graph, same blast radius', async () => {
    const dir = tempDir();
    const payload = join(dir, 'demo-opengraph.json');
    await runCli(['export', 'opengraph', '--graph', DEMO, '--out', payload]);
    const snapshot = join(dir, 'graph.bmap');
    const imported = await runCli(['import', 'opengraph', payload, '--graph', snapshot]);
    expect(imported.code).toBe(0);
    expect(imported.out).toContain("are blastmap's own (BM_ kinds), read back exactly");
    const before = await runCli(['radius', PARLEY, '--graph', DEMO, '--at', AT, '--format', 'json']);
    const after = await runCli(['radius', PARLEY, '--graph', snapshot, '--at', AT, '--format', 'json']);
    expect(after.out).toBe(before.out);
  });

  it('an Okta collector file: mapped, reported, and a realistic blast radius', async () => {
    const snapshot = join(tempDir(), 'graph.bmap');
    const run = await runCli(['import', 'opengraph', join(FIXTURES, 'okta.json'), '--graph', snapshot]);
    expect(run.code).toBe(0);
    expect(run.out).toContain('node kinds with no mapping, kept as Resource nodes (properties.opengraphKinds): Okta_EventHook (1)');
    expect(run.out).toContain('1 edge Okta_ReadClientSecret Group -> Credential: HOLDS does not join these kinds, kept as OPENGRAPH_CONTROLS');
    const radius = JSON.parse((await runCli(['radius', 'john.doe@contoso.com', '--graph', snapshot, '--at', '2026-06-01', '--format', 'json'])).out);
    expect(radius.reached.find((entry: { id: string }) => entry.id === 'okta:contoso.okta.com:platform:org')).toMatchObject({ level: 'admin', hops: 4 });
  });

  it('reads a zip of several collectors (skipping macOS resource forks) and a folder', async () => {
    const dir = tempDir();
    const zip = join(dir, 'collectors.zip');
    writeFileSync(zip, zipSync({
      'okta/okta.json': readFileSync(join(FIXTURES, 'okta.json')),
      'github.json': [readFileSync(join(FIXTURES, 'github.json')), { level: 0 }],
      '__MACOSX/._github.json': strToU8('\u0000\u0005binary'),
      'README.txt': strToU8('not a document'),
    }));
    const snapshot = join(dir, 'graph.bmap');
    const run = await runCli(['import', 'opengraph', zip, '--graph', snapshot, '--format', 'json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.out);
    expect(report.opengraph.files).toEqual([`${zip}:okta/okta.json`, `${zip}:github.json`]);
    expect(report.opengraph.sourceKinds).toEqual(['GitHub', 'Okta']);
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.json'), readFileSync(join(FIXTURES, 'github.json')));
    writeFileSync(join(folder, 'b.json'), readFileSync(join(FIXTURES, 'okta.json')));
    const fromFolder = JSON.parse((await runCli(['import', 'opengraph', folder, '--graph', join(dir, 'folder.bmap'), '--format', 'json'])).out);
    expect(fromFolder.nodes).toBe(report.nodes);
    expect(fromFolder.edges).toBe(report.edges);
  });

  it('streams a file larger than one read chunk: 15,000 nodes and 15,000 edges', async () => {
    const dir = tempDir();
    const file = join(dir, 'large.json');
    const n = 15_000;
    const parts = ['{"metadata":{"source_kind":"Okta"},"graph":{"nodes":['];
    for (let i = 0; i < n; i++) parts.push(`${i ? ',' : ''}{"id":"u${i}","kinds":["Okta_User"],"properties":{"name":"user${i}@contoso.com","oktaDomain":"contoso.okta.com","email":"user${i}@contoso.com"}}`);
    parts.push('],"edges":[');
    for (let i = 0; i < n; i++) parts.push(`${i ? ',' : ''}{"kind":"Okta_ManagerOf","start":{"value":"u${i}"},"end":{"value":"u${(i + 1) % n}"}}`);
    parts.push(']}}');
    writeFileSync(file, parts.join(''));
    expect(statSync(file).size).toBeGreaterThan(2 * (1 << 20));
    const run = await runCli(['import', 'opengraph', file, '--graph', join(dir, 'graph.bmap')]);
    expect(run.code).toBe(0);
    expect(run.out).toContain(`now ${n} nodes and ${n} edges`);
  });

  it('an invalid file fails with the element index (exit 3) and leaves the snapshot as it was; --lenient imports the rest', async () => {
    const dir = tempDir();
    const snapshot = join(dir, 'graph.bmap');
    await runCli(['import', 'opengraph', join(FIXTURES, 'github.json'), '--graph', snapshot]);
    const before = readFileSync(snapshot);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ graph: { nodes: [{ id: 'x', kinds: ['Okta_User'] }, { id: 'y', kinds: [] }], edges: [] } }));
    const run = await runCli(['import', 'opengraph', bad, '--graph', snapshot]);
    expect(run.code).toBe(3);
    expect(run.err).toContain(`${bad} $.graph.nodes[1].kinds`);
    expect(readFileSync(snapshot).equals(before)).toBe(true);
    const lenient = await runCli(['import', 'opengraph', bad, '--graph', snapshot, '--lenient']);
    expect(lenient.code).toBe(0);
    expect(lenient.out).toContain('skipped 1 invalid element (--lenient)');
  });

  it('--mapping lays a user mapping over the default one; a broken mapping imports nothing', async () => {
    const dir = tempDir();
    const mapping = join(dir, 'mapping.json');
    writeFileSync(mapping, JSON.stringify({ nodes: { Okta_EventHook: { kind: 'App' } } }));
    const snapshot = join(dir, 'graph.bmap');
    const run = await runCli(['import', 'opengraph', join(FIXTURES, 'okta.json'), '--graph', snapshot, '--mapping', mapping, '--format', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out).opengraph.unmappedNodeKinds).toEqual([]);
    writeFileSync(mapping, JSON.stringify({ edges: { Okta_AppAssignment: 'TELEPORTS' } }));
    const broken = await runCli(['import', 'opengraph', join(FIXTURES, 'okta.json'), '--graph', join(dir, 'other.bmap'), '--mapping', mapping]);
    expect(broken.code).toBe(3);
    expect(broken.err).toContain('mapping.json $.edges.Okta_AppAssignment');
    expect(existsSync(join(dir, 'other.bmap'))).toBe(false);
  });
});

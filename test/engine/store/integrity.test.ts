// The integrity invariant across imports (issue #20, item 1): a later import cannot change a node's kind, so the
// snapshot never holds an edge the schema forbids; a snapshot that does is refused at load.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlastmapError } from '../../../engine/errors.ts';
import type { GraphEdge, GraphNode } from '../../../engine/format/native.ts';
import type { SourcedFragment } from '../../../engine/format/validate.ts';
import { DEFAULT_SCHEMA } from '../../../engine/schema/index.ts';
import { assembleGraph } from '../../../engine/store/assemble.ts';
import { buildGraph, edgeRecord, type CompactGraph } from '../../../engine/store/compact.ts';
import { forbiddenEdges } from '../../../engine/store/integrity.ts';
import { decodeSnapshot, encodeSnapshot } from '../../../engine/store/snapshot.ts';
import { runCli, spawnCli, tempDir } from '../../helpers/cli.ts';

const APP_WITH_KEY = `version: 1
nodes:
  - { id: "x:t:app:victim", kind: App, name: Victim, platform: x, tenant: t }
  - { id: "x:t:credential:key", kind: Credential, type: api-key, name: Victim key, platform: x, tenant: t }
  - { id: "x:t:identity:intern", kind: Identity, name: Intern, platform: x, tenant: t }
edges:
  - { kind: HOLDS, from: "x:t:app:victim", to: "x:t:credential:key" }
`;
/** Calls the App a Resource, so that a CAN_ADMIN edge into it passes the edge-kind check. */
const SAME_ID_AS_RESOURCE = `version: 1
nodes:
  - { id: "x:t:app:victim", kind: Resource, name: Victim, platform: x, tenant: t }
  - { id: "x:t:identity:intern", kind: Identity, name: Intern, platform: x, tenant: t }
edges:
  - { kind: CAN_ADMIN, from: "x:t:identity:intern", to: "x:t:app:victim" }
`;

describe('a later import that redeclares a node with another kind', () => {
  it('is refused, names file, path, line and both kinds, and leaves the snapshot as it was', async () => {
    const dir = tempDir('blastmap-integrity-');
    writeFileSync(join(dir, 'first.yaml'), APP_WITH_KEY);
    writeFileSync(join(dir, 'second.yaml'), SAME_ID_AS_RESOURCE);
    const snapshot = join(dir, 'graph.bmap');
    expect((await runCli(['import', 'native', join(dir, 'first.yaml'), '--graph', snapshot])).code).toBe(0);
    const before = readFileSync(snapshot);
    const second = await runCli(['import', 'native', join(dir, 'second.yaml'), '--graph', snapshot]);
    expect(second.code).toBe(3);
    expect(second.err).toContain('second.yaml $.nodes[0].kind (line 3): expected App, the node\'s kind in the graph');
    expect(second.err).toContain('found "Resource" for "x:t:app:victim"');
    expect(readFileSync(snapshot).equals(before)).toBe(true);
    // The intern reaches nothing: the App's key stays out of the radius.
    const radius = await runCli(['radius', 'x:t:identity:intern', '--graph', snapshot, '--format', 'json']);
    expect(radius.code).toBe(0);
    expect(radius.out).not.toContain('x:t:credential:key');
  });

  it('is refused for every importer path alike: an OpenGraph payload that calls an App a Resource', async () => {
    const dir = tempDir('blastmap-integrity-og-');
    writeFileSync(join(dir, 'first.yaml'), APP_WITH_KEY);
    mkdirSync(join(dir, 'og'));
    writeFileSync(join(dir, 'og/payload.json'), JSON.stringify({
      graph: {
        nodes: [{ id: 'x:t:app:victim', kinds: ['BM_Resource'], properties: { name: 'Victim', platform: 'x', tenant: 't' } }],
        edges: [],
      },
    }));
    const snapshot = join(dir, 'graph.bmap');
    expect((await runCli(['import', 'native', join(dir, 'first.yaml'), '--graph', snapshot])).code).toBe(0);
    const before = readFileSync(snapshot);
    const run = await runCli(['import', 'opengraph', join(dir, 'og'), '--graph', snapshot]);
    expect(run.code, run.err + run.out).toBe(3);
    expect(run.err).toContain('node x:t:app:victim.kind: expected App, the node\'s kind in the graph');
    expect(readFileSync(snapshot).equals(before)).toBe(true);
  });

  it('is refused in a workspace as in one import: the native file that calls the App a Resource brings a forbidden edge', async () => {
    const dir = tempDir('blastmap-integrity-ws-');
    mkdirSync(join(dir, 'ws/native'), { recursive: true });
    writeFileSync(join(dir, 'ws/native/a.yaml'), APP_WITH_KEY);
    writeFileSync(join(dir, 'ws/native/b.yaml'), SAME_ID_AS_RESOURCE);
    const run = await runCli(['radius', 'x:t:identity:intern', '--graph', join(dir, 'ws'), '--format', 'json']);
    expect(run.code, run.out).toBe(3);
    expect(run.err).toContain('CAN_ADMIN');
    expect(run.out).not.toContain('x:t:credential:key');
  });

  it('is refused in one import as before (the two files together)', async () => {
    const dir = tempDir('blastmap-integrity-batch-');
    writeFileSync(join(dir, 'a.yaml'), APP_WITH_KEY);
    writeFileSync(join(dir, 'b.yaml'), SAME_ID_AS_RESOURCE);
    const run = await runCli(['import', 'native', dir, '--graph', join(dir, 'graph.bmap')]);
    expect(run.code).toBe(3);
    expect(run.err).toContain('CAN_ADMIN.to');
  });
});

describe('an NDJSON file that declares a node again with another kind', () => {
  it('is refused on the whole-file, the streamed and the two-thread path alike, naming the line', () => {
    const dir = tempDir('blastmap-integrity-ndjson-');
    const file = join(dir, 'kinds.ndjson');
    writeFileSync(file, [
      { id: 'x:t:app:victim', kind: 'App', name: 'Victim', platform: 'x', tenant: 't' },
      { id: 'x:t:credential:key', kind: 'Credential', type: 'api-key', name: 'Victim key', platform: 'x', tenant: 't' },
      { id: 'x:t:identity:intern', kind: 'Identity', name: 'Intern', platform: 'x', tenant: 't' },
      { kind: 'HOLDS', from: 'x:t:app:victim', to: 'x:t:credential:key' },
      { id: 'x:t:app:victim', kind: 'Resource', name: 'Victim', platform: 'x', tenant: 't' },
      { kind: 'CAN_ADMIN', from: 'x:t:identity:intern', to: 'x:t:app:victim' },
    ].map((record) => JSON.stringify(record)).join('\n') + '\n');
    // Thresholds of 0 send even this small file down the streaming path, on one thread or on two.
    const paths = { whole: { stream: '1e15', parallel: '1e15' }, streamed: { stream: '0', parallel: '1e15' }, twoThreads: { stream: '0', parallel: '0' } };
    for (const [path, { stream, parallel }] of Object.entries(paths)) {
      const graph = join(dir, `${path}.bmap`);
      const run = spawnCli(['import', 'native', file, '--graph', graph], { env: { ...process.env, NO_COLOR: '1', BLASTMAP_NDJSON_STREAM_BYTES: stream, BLASTMAP_NDJSON_PARALLEL_BYTES: parallel } });
      expect(run.code, `${path}: ${run.err}`).toBe(3);
      expect(run.err, path).toContain('kinds.ndjson $[line 5].id (line 5): expected a unique node id (or an identical repeat), found "x:t:app:victim", also at $[line 1] with different kind');
      expect(existsSync(graph), path).toBe(false);
    }
  });
});

describe('loading a snapshot', () => {
  it('refuses one holding an edge the schema forbids, naming the edge', () => {
    const valid = buildGraph({
      nodes: [
        { id: 'x:t:identity:intern', kind: 'Identity', name: 'Intern', platform: 'x', tenant: 't' },
        { id: 'x:t:app:victim', kind: 'App', name: 'Victim', platform: 'x', tenant: 't' },
      ] as GraphNode[],
      edges: [{ kind: 'CAN_IMPERSONATE', from: 'x:t:app:victim', to: 'x:t:identity:intern' }] as GraphEdge[],
    });
    const bytes = encodeSnapshot(valid);
    expect(decodeSnapshot(bytes).edgeCount).toBe(1);
    // Rewrite the stored edge kind code to CAN_ADMIN (App → Identity is no CAN_ADMIN edge), as a foreign tool could.
    const tampered = Uint8Array.from(bytes);
    const admin = valid.edgeKindNames.indexOf('CAN_ADMIN');
    const impersonate = valid.edgeKindNames.indexOf('CAN_IMPERSONATE');
    let offset = -1;
    for (let i = 0; i < tampered.length; i++) if (tampered[i] === impersonate && decodeAt(tampered, i, admin)) { offset = i; break; }
    expect(offset).toBeGreaterThan(0);
    tampered[offset] = admin;
    expect(() => decodeSnapshot(tampered)).toThrow(BlastmapError);
    expect(() => decodeSnapshot(tampered)).toThrow(/edge 0 \(CAN_ADMIN\) ends at Identity x:t:identity:intern, which CAN_ADMIN does not allow/);
  });
});

describe('an import into a snapshot holding an edge the schema forbids', () => {
  it('is refused on the incremental path too (it opens the snapshot without decoding it), and the file stays as it was', async () => {
    const dir = tempDir('blastmap-integrity-patch-');
    writeFileSync(join(dir, 'first.yaml'), `version: 1
nodes:
  - { id: "x:t:identity:intern", kind: Identity, name: Intern, platform: x, tenant: t }
  - { id: "x:t:app:victim", kind: App, name: Victim, platform: x, tenant: t }
edges:
  - { kind: CAN_IMPERSONATE, from: "x:t:app:victim", to: "x:t:identity:intern" }
`);
    writeFileSync(join(dir, 'later.yaml'), 'version: 1\nnodes:\n  - { id: "x:t:identity:other", kind: Identity, name: Other, platform: x, tenant: t }\n');
    const snapshot = join(dir, 'graph.bmap');
    expect((await runCli(['import', 'native', join(dir, 'first.yaml'), '--graph', snapshot])).code).toBe(0);
    const bytes = readFileSync(snapshot);
    const graph = decodeSnapshot(bytes);
    const admin = graph.edgeKindNames.indexOf('CAN_ADMIN');
    const impersonate = graph.edgeKindNames.indexOf('CAN_IMPERSONATE');
    let offset = -1;
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === impersonate && decodeAt(bytes, i, admin)) { offset = i; break; }
    expect(offset).toBeGreaterThan(0);
    const tampered = Uint8Array.from(bytes);
    tampered[offset] = admin;
    writeFileSync(snapshot, tampered);
    const run = await runCli(['import', 'native', join(dir, 'later.yaml'), '--graph', snapshot, '--format', 'json']);
    expect(run.code, run.out + run.err).not.toBe(0);
    expect(run.err).toContain('edge 0 (CAN_ADMIN) ends at Identity x:t:identity:intern, which CAN_ADMIN does not allow');
    expect(readFileSync(snapshot).equals(tampered)).toBe(true);
  });
});

/** Whether replacing the byte at `i` by `code` yields a snapshot whose only edge has that kind (finds the kind column). */
function decodeAt(bytes: Uint8Array, i: number, code: number): boolean {
  const copy = Uint8Array.from(bytes);
  copy[i] = code;
  try {
    decodeSnapshot(copy);
    return false;
  } catch (error) {
    return error instanceof BlastmapError && /CAN_ADMIN/.test(error.message);
  }
}

// ---- property: any sequence of imports keeps the invariant ---------------------------------------------

const NODE_KINDS = Object.keys(DEFAULT_SCHEMA.nodeKinds);
const EDGE_KINDS = Object.keys(DEFAULT_SCHEMA.edgeKinds);

/** One import: nodes drawn from a small id pool (so imports overlap), each with a random kind, and random edges between them. */
const importArb = fc.record({
  nodes: fc.uniqueArray(fc.record({ id: fc.integer({ min: 0, max: 5 }), kind: fc.constantFrom(...NODE_KINDS) }), { selector: (n) => n.id, maxLength: 6 }),
  edges: fc.array(fc.record({ kind: fc.constantFrom(...EDGE_KINDS), from: fc.integer({ min: 0, max: 5 }), to: fc.integer({ min: 0, max: 5 }) }), { maxLength: 8 }),
});

function sourced(spec: { nodes: { id: number; kind: string }[]; edges: { kind: string; from: number; to: number }[] }, file: string): SourcedFragment {
  const nodes = spec.nodes.map(({ id, kind }) => ({ id: `p:t:n:${id}`, kind, name: `n${id}`, platform: 'p', tenant: 't', ...(kind === 'Credential' ? { type: 'api-key' } : {}) }) as GraphNode);
  const edges = spec.edges.map(({ kind, from, to }) => ({ kind, from: `p:t:n:${from}`, to: `p:t:n:${to}` }) as GraphEdge);
  return { fragment: { nodes, edges }, provenance: { file, nodePaths: nodes.map((_, i) => `$.nodes[${i}]`), edgePaths: edges.map((_, i) => `$.edges[${i}]`) }, redactions: 0 };
}

/** Brute force: every edge's endpoints, by their stored records, are kinds the schema allows. */
function allEdgesAllowed(graph: CompactGraph): boolean {
  for (let e = 0; e < graph.edgeCount; e++) {
    const edge = edgeRecord(graph, e);
    const spec = DEFAULT_SCHEMA.edgeKinds[edge.kind]!;
    const from = graph.nodes[graph.indexOf.get(edge.from)!]!.kind;
    const to = graph.nodes[graph.indexOf.get(edge.to)!]!.kind;
    if (!spec.from.includes(from) || !spec.to.includes(to)) return false;
  }
  return true;
}

describe('any sequence of imports', () => {
  it('keeps every node at its first kind and never stores an edge the schema forbids', () => {
    fc.assert(fc.property(fc.array(importArb, { minLength: 1, maxLength: 4 }), (imports) => {
      let graph: CompactGraph | undefined;
      const firstKind = new Map<string, string>();
      imports.forEach((spec, i) => {
        const batch = sourced(spec, `import-${i}.json`);
        const changesKind = batch.fragment.nodes.some((n) => firstKind.has(n.id) && firstKind.get(n.id) !== n.kind);
        try {
          graph = assembleGraph([batch], graph).graph;
          expect(changesKind).toBe(false);
          for (const n of batch.fragment.nodes) if (!firstKind.has(n.id)) firstKind.set(n.id, n.kind);
        } catch (error) {
          if (!(error instanceof BlastmapError)) throw error;
          expect(error.code).toBe('INVALID_INPUT');
          if (changesKind) expect(error.issues.some((issue) => /cannot change its kind/.test(issue.message))).toBe(true);
        }
        if (graph) {
          expect(allEdgesAllowed(graph)).toBe(true);
          expect(forbiddenEdges(graph)).toEqual([]);
          for (const node of graph.nodes) expect(node.kind).toBe(firstKind.get(node.id));
          // And the snapshot of it loads.
          expect(decodeSnapshot(encodeSnapshot(graph)).edgeCount).toBe(graph.edgeCount);
        }
      });
    }), { numRuns: 300 });
  });
});

// Ids and property keys named like Object.prototype members are data in every export and report (issue #20,
// item 3): `export gexf` exited 70 on a node `__proto__` that is an edge target, and a native `__proto__`
// property key was dropped silently.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MultiDirectedGraph } from 'graphology';
import { parse as parseGexf } from 'graphology-gexf';
import { parse as parseGraphml } from 'graphology-graphml';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.ts';

const NODES = [
  { id: '__proto__', kind: 'Resource', name: 'Proto bucket', platform: 'x', tenant: 't', tags: ['crown-jewel'], properties: { __proto__: 'kept', constructor: 'c', toString: 's' } },
  { id: 'constructor', kind: 'Identity', name: 'Ctor', platform: 'x', tenant: 't' },
  { id: 'hasOwnProperty', kind: 'Credential', type: 'api-key', name: 'Key', platform: 'x', tenant: 't' },
];
const EDGES = [
  { kind: 'AUTHENTICATES_AS', from: 'hasOwnProperty', to: 'constructor' },
  { kind: 'CAN_READ', from: 'constructor', to: '__proto__', properties: { __proto__: 'edge-kept' } },
];

/** An object literal's `__proto__: 'x'` sets no key: JSON.parse makes the own `__proto__` key an input file has. */
function ownProto(value: string, rest: Record<string, unknown> = {}): Record<string, unknown> {
  return JSON.parse(`{"__proto__": ${JSON.stringify(value)}${Object.keys(rest).length ? `, ${JSON.stringify(rest).slice(1, -1)}` : ''}}`) as Record<string, unknown>;
}
const nodes = NODES.map((n) => (n.id === '__proto__' ? { ...n, properties: ownProto('kept', { constructor: 'c', toString: 's' }) } : n));
const edges = EDGES.map((e) => (e.properties ? { ...e, properties: ownProto('edge-kept') } : e));

const FORMATS: Record<string, string> = {
  'graph.json': JSON.stringify({ nodes, edges }),
  'graph.ndjson': [...nodes, ...edges].map((r) => JSON.stringify(r)).join('\n') + '\n',
  'graph.yaml': `nodes:\n${nodes.map((n) => `  - ${JSON.stringify(n)}`).join('\n')}\nedges:\n${edges.map((e) => `  - ${JSON.stringify(e)}`).join('\n')}\n`,
};

describe.each(Object.keys(FORMATS))('a graph of prototype-named ids and keys, imported from %s', (file) => {
  let snapshot = '';
  beforeAll(async () => {
    const dir = tempDir('blastmap-proto-');
    writeFileSync(join(dir, file), FORMATS[file]!);
    snapshot = join(dir, 'graph.bmap');
    const run = await runCli(['import', 'native', join(dir, file), '--graph', snapshot]);
    expect(run.code, run.err).toBe(0);
  });

  it('keeps the `__proto__` property keys of nodes and edges (native json and ndjson exports)', async () => {
    const ndjson = await runCli(['export', 'ndjson', '--graph', snapshot]);
    expect(ndjson.code, ndjson.err).toBe(0);
    const records = ndjson.out.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const proto = records.find((r) => r.id === '__proto__') as { properties: Record<string, unknown> };
    expect(Object.hasOwn(proto.properties, '__proto__')).toBe(true);
    expect(proto.properties['__proto__']).toBe('kept');
    expect(proto.properties).toMatchObject({ constructor: 'c', toString: 's' });
    const edge = records.find((r) => r.to === '__proto__' && r.kind === 'CAN_READ') as { properties: Record<string, unknown> };
    expect(edge.properties['__proto__']).toBe('edge-kept');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('exports GEXF and GraphML that read back with every node, edge and prototype-named attribute', async () => {
    for (const [format, parse] of [['gexf', parseGexf], ['graphml', parseGraphml]] as const) {
      const run = await runCli(['export', format, '--graph', snapshot]);
      expect(run.code, `${format}: ${run.err}`).toBe(0);
      expect(Object.keys(Object.prototype)).toEqual([]);
      let nodes: string[];
      let edges: string[];
      try {
        const view = parse(MultiDirectedGraph, run.out);
        nodes = view.nodes().sort();
        edges = view.edges().sort();
      } finally {
        // graphology (the reader here) writes `previous` onto Object.prototype for an edge into a node `__proto__`:
        // the reason blastmap's exports no longer go through it. Undo it so the next tests run on a clean prototype.
        delete (Object.prototype as Record<string, unknown>).previous;
      }
      expect(nodes).toEqual(['__proto__', 'constructor', 'hasOwnProperty']);
      expect(edges).toEqual(['constructor|CAN_READ|__proto__', 'hasOwnProperty|AUTHENTICATES_AS|constructor']);
      expect(run.out).toContain('prop___proto__');
      expect(run.out).toContain('prop_constructor');
    }
  });

  it('exports OpenGraph with the ids and keys as data', async () => {
    const run = await runCli(['export', 'opengraph', '--graph', snapshot]);
    expect(run.code, run.err).toBe(0);
    const payload = JSON.parse(run.out) as { graph: { nodes: { id: string; properties: Record<string, unknown> }[]; edges: unknown[] } };
    const proto = payload.graph.nodes.find((n) => n.id === '__proto__')!;
    expect(proto.properties).toMatchObject({ prop___proto__: 'kept', prop_constructor: 'c' });
    expect(payload.graph.edges).toHaveLength(2);
  });

  it('answers every report about them, in every format, without exit 70', async () => {
    const runs: [string[], string[]][] = [
      [['radius', 'hasOwnProperty'], ['text', 'json', 'ndjson', 'markdown', 'html']],
      [['paths', 'hasOwnProperty'], ['text', 'json', 'markdown']],
      [['paths', 'hasOwnProperty', '--to', '__proto__'], ['text', 'json', 'markdown']],
      [['plan', 'hasOwnProperty'], ['text', 'json', 'markdown', 'html']],
      [['respond', 'hasOwnProperty'], ['text', 'json', 'markdown', 'html']],
      [['whatif', 'hasOwnProperty', '--revoke', 'hasOwnProperty'], ['text', 'json', 'markdown']],
      [['exposure', '__proto__'], ['text', 'json', 'markdown']],
      [['rank'], ['text', 'json', 'markdown']],
      [['findings'], ['text', 'json', 'markdown', 'sarif']],
    ];
    for (const [args, formats] of runs) {
      for (const format of formats) {
        const run = await runCli([...args, '--graph', snapshot, '--format', format, '--at', '2026-01-01']);
        expect(run.code, `${args.join(' ')} --format ${format}: ${run.err}`).not.toBe(70);
        expect([0, 1], `${args.join(' ')} --format ${format}: ${run.err}`).toContain(run.code);
      }
    }
    // The commands added since: diff (an empty graph, then this one: every prototype-named node is new), verify of a
    // plan, review --diff.
    const dir = tempDir('blastmap-proto-diff-');
    const empty = join(dir, 'empty.yaml');
    writeFileSync(empty, 'nodes: []\nedges: []\n');
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, 'version: 1\nrules:\n  forbidReach: [{ tag: crown-jewel, atLeast: read }]\n');
    const plan = join(dir, 'plan.json');
    writeFileSync(plan, (await runCli(['plan', 'hasOwnProperty', '--graph', snapshot, '--format', 'json', '--at', '2026-01-01'])).out);
    const later: [string[], string[]][] = [
      [['diff', empty, snapshot], ['text', 'json', 'markdown', 'html']],
      [['verify', plan, '--graph', snapshot], ['text', 'json', 'markdown', 'html']],
      [['review', '--diff', empty, snapshot, '--policy', policy], ['text', 'json', 'markdown', 'sarif']],
    ];
    for (const [args, formats] of later) {
      for (const format of formats) {
        const run = await runCli([...args, '--format', format, '--at', '2026-01-01']);
        expect(run.code, `${args.join(' ')} --format ${format}: ${run.err}`).not.toBe(70);
        expect([0, 1], `${args.join(' ')} --format ${format}: ${run.err}`).toContain(run.code);
        if (format === 'json' && args[0] === 'diff') expect(run.out).toContain('"__proto__"');
      }
    }
    const radius = await runCli(['radius', 'hasOwnProperty', '--graph', snapshot, '--format', 'json', '--at', '2026-01-01']);
    expect(radius.out).toContain('"__proto__"');
  });
});

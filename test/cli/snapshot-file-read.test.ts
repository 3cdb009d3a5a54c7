// readSnapshotFile reads a snapshot range by range: each column straight into its typed array, every node and
// edge-property chunk into one reused buffer. The graph it returns must be the one decodeSnapshot builds from the
// whole file in memory (and the one that was written), field for field, whatever the records hold and however
// uneven the chunks are; a damaged file is refused with INVALID_SNAPSHOT naming the file.
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSnapshotFile, writeSnapshotFile } from '../../cli/snapshot-file.ts';
import { BlastmapError } from '../../engine/errors.ts';
import type { GraphEdge, GraphNode } from '../../engine/format/native.ts';
import { buildGraph, type CompactGraph } from '../../engine/store/compact.ts';
import { decodeSnapshot, encodeSnapshot } from '../../engine/store/snapshot.ts';
import { randomGraph } from '../helpers/arbitraries.ts';
import { expectSameGraph } from '../helpers/same-graph.ts';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'blastmap-snapshot-read-')); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

/** Writes the graph as users' snapshots are written, reads it back through the file. */
function roundTrip(graph: CompactGraph): CompactGraph {
  const path = join(dir, `g-${Math.random().toString(36).slice(2)}.bmap`);
  writeSnapshotFile(path, graph);
  const read = readSnapshotFile(path);
  expectSameGraph(read, decodeSnapshot(readFileSync(path)));
  return read;
}

/** Strings JSON must escape or that decode to more bytes than characters, and the empty and the very long one. */
const oddString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', '"', '\\', '\\"quoted\\"', '\u2028\u2029', '\u0000\u001f', 'é🔑中文', '}][{', '],[', 'x'.repeat(20_000)),
);

describe('readSnapshotFile', () => {
  it('on random graphs with odd strings in their records: the graph written, as decodeSnapshot reads it from memory', () => {
    fc.assert(fc.property(randomGraph({ maxNodes: 20, maxEdges: 30 }), fc.array(oddString, { minLength: 20, maxLength: 20 }), ({ nodes, edges }, names) => {
      const odd = nodes.map((node, i) => ({ ...node, name: names[i]!, ...(i % 3 === 0 ? { note: names[(i + 1) % names.length] } : {}) }) as GraphNode);
      const graph = buildGraph({ nodes: odd, edges });
      expectSameGraph(roundTrip(graph), graph);
    }), { numRuns: 30 });
  });

  it('many chunks of very uneven sizes, read through one reused buffer', () => {
    // 1,300 records (four chunks of 400 and one of 100) whose lengths swing from a few bytes to 50 KB, so a later
    // chunk is both smaller and larger than the one before it in the same buffer.
    const nodes: GraphNode[] = [];
    for (let i = 0; i < 1300; i++) {
      const long = (i >= 380 && i < 400) || i === 1250 ? 'é'.repeat(25_000) : '';
      nodes.push({ id: `p:t:identity:u${i}`, kind: 'Identity', name: `${long}u${i}`, platform: 'p', tenant: 't' } as GraphNode);
    }
    nodes.push({ id: 'p:t:group:all', kind: 'Group', name: 'All', platform: 'p', tenant: 't' } as GraphNode);
    const edges: GraphEdge[] = nodes.slice(0, 1300).map((node, i) => (i % 7 === 0
      ? { kind: 'MEMBER_OF', from: node.id, to: 'p:t:group:all', conditions: ['mfa'] }
      : { kind: 'MEMBER_OF', from: node.id, to: 'p:t:group:all' }) as GraphEdge);
    const graph = buildGraph({ nodes, edges });
    const read = roundTrip(graph);
    expectSameGraph(read, graph);
    expect(read.nodes[390]!.name).toBe(`${'é'.repeat(25_000)}u390`);
  });

  describe('a damaged file is refused as INVALID_SNAPSHOT, naming the file', () => {
    const graph = () => buildGraph({
      nodes: [
        { id: 'x:t:identity:intern', kind: 'Identity', name: 'Intern', platform: 'x', tenant: 't' },
        { id: 'x:t:app:victim', kind: 'App', name: 'Victim', platform: 'x', tenant: 't' },
        { id: 'x:t:credential:key', kind: 'Credential', name: 'Key', platform: 'x', tenant: 't', type: 'api-key' },
      ] as GraphNode[],
      edges: [
        { kind: 'CAN_IMPERSONATE', from: 'x:t:app:victim', to: 'x:t:identity:intern' },
        { kind: 'HOLDS', from: 'x:t:app:victim', to: 'x:t:credential:key' },
      ] as GraphEdge[],
    });
    const refused = (change: (bytes: Uint8Array, g: CompactGraph) => Uint8Array, message: RegExp): void => {
      const g = graph();
      const path = join(dir, 'damaged.bmap');
      writeFileSync(path, change(Uint8Array.from(encodeSnapshot(g)), g));
      let caught: unknown;
      try { readSnapshotFile(path); } catch (error) { caught = error; }
      expect(caught).toBeInstanceOf(BlastmapError);
      expect((caught as BlastmapError).code).toBe('INVALID_SNAPSHOT');
      expect((caught as BlastmapError).message).toContain(path);
      expect((caught as BlastmapError).message).toMatch(message);
    };
    /** Offset of the only edge kind code `from` followed by `next` (the edge kind column holds both, in this order). */
    const kindColumn = (bytes: Uint8Array, g: CompactGraph): number => {
      const impersonate = g.edgeKindNames.indexOf('CAN_IMPERSONATE');
      const holds = g.edgeKindNames.indexOf('HOLDS');
      for (let i = 0; i < bytes.length - 1; i++) if (bytes[i] === impersonate && bytes[i + 1] === holds && i % 4 === 0) return i;
      throw new Error('edge kind column not found');
    };

    it('truncated', () => refused((bytes) => bytes.subarray(0, bytes.length - 20), /expected \d+ bytes, found \d+/));
    it('an edge kind code outside the schema', () => refused((bytes, g) => { bytes[kindColumn(bytes, g)] = 200; return bytes; }, /edge 0 has kind code 200/));
    it('an edge the schema forbids, named by its node id', () => refused((bytes, g) => {
      bytes[kindColumn(bytes, g)] = g.edgeKindNames.indexOf('CAN_ADMIN');
      return bytes;
    }, /edge 0 \(CAN_ADMIN\) ends at Identity x:t:identity:intern, which CAN_ADMIN does not allow/));
    it('a node record of another kind than its kind column', () => refused((bytes) => {
      const text = new TextDecoder().decode(bytes);
      const at = text.indexOf('"kind":"App"');
      bytes.set(new TextEncoder().encode('"kind":"Rol"'), at);
      return bytes;
    }, /node 1 is of kind Rol, its kind column says App/));
  });
});

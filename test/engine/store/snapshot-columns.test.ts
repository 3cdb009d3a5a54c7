// Snapshot version 2 stores what compileColumns derives and loads it through graphFromColumns: the loaded
// graph must equal the compiled one field for field (typed arrays, records with their key order, id index),
// version 1 files must still load to the same graph, and stored columns that cannot be compileColumns's
// output are refused with INVALID_SNAPSHOT.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlastmapError } from '../../../engine/errors.ts';
import type { GraphNode } from '../../../engine/format/native.ts';
import { DEFAULT_SCHEMA } from '../../../engine/schema/index.ts';
import { buildGraph, compileColumns, graphFromColumns, type CompactGraph, type EdgeAttrs } from '../../../engine/store/compact.ts';
import { ID_HASH, IdIndex } from '../../../engine/store/id-index.ts';
import { decodeSnapshot, encodeSnapshot, SNAPSHOT_VERSION } from '../../../engine/store/snapshot.ts';
import { randomGraph, reachableGraph } from '../../helpers/arbitraries.ts';
import { scenario } from '../../helpers/scenario.ts';
import { expectSameGraph } from '../../helpers/same-graph.ts';

/** The version 1 encoder as it was: edge columns, then node and edge-property JSON chunks. */
function encodeV1(graph: CompactGraph): Uint8Array {
  const encoder = new TextEncoder();
  const CHUNK = 400;
  const nodeChunks: Uint8Array[] = [];
  for (let i = 0; i < graph.nodeCount; i += CHUNK) nodeChunks.push(encoder.encode(JSON.stringify(graph.nodes.slice(i, i + CHUNK))));
  const attrChunks: Uint8Array[] = [];
  let pending: [number, EdgeAttrs][] = [];
  for (let e = 0; e < graph.edgeCount; e++) {
    const attrs = graph.edgeAttrs[e];
    if (attrs) pending.push([e, attrs]);
    if (pending.length === CHUNK) { attrChunks.push(encoder.encode(JSON.stringify(pending))); pending = []; }
  }
  if (pending.length > 0) attrChunks.push(encoder.encode(JSON.stringify(pending)));
  const header = { version: 1, schema: graph.schema, nodeCount: graph.nodeCount, edgeCount: graph.edgeCount, nodeChunks: nodeChunks.map((c) => c.length), attrChunks: attrChunks.map((c) => c.length) };
  const headerBytes = encoder.encode(JSON.stringify(header));
  const m = graph.edgeCount;
  const headerEnd = (16 + headerBytes.length + 3) & ~3;
  const columnsEnd = headerEnd + 8 * m + ((m + 3) & ~3);
  const out = new Uint8Array(columnsEnd + [...nodeChunks, ...attrChunks].reduce((s, c) => s + c.length, 0) + 8);
  out.set(encoder.encode('BLASTMAP'), 0);
  new DataView(out.buffer).setUint32(8, 1, true);
  new DataView(out.buffer).setUint32(12, headerBytes.length, true);
  out.set(headerBytes, 16);
  out.set(new Uint8Array(graph.edgeSrc.buffer, graph.edgeSrc.byteOffset, 4 * m), headerEnd);
  out.set(new Uint8Array(graph.edgeDst.buffer, graph.edgeDst.byteOffset, 4 * m), headerEnd + 4 * m);
  out.set(graph.edgeKind, headerEnd + 8 * m);
  let offset = columnsEnd;
  for (const chunk of [...nodeChunks, ...attrChunks]) { out.set(chunk, offset); offset += chunk.length; }
  out.set(encoder.encode('BLASTMAP'), offset);
  return out;
}

/** Edges in random order, some with conditions and other properties, windows of every sort: compileColumns sorts them. */
function shuffledColumns(graph: CompactGraph, order: number[]) {
  const m = graph.edgeCount;
  const edgeSrc = new Uint32Array(m);
  const edgeDst = new Uint32Array(m);
  const edgeKind = new Uint8Array(m);
  const edgeAttrs: (EdgeAttrs | undefined)[] = new Array(m);
  order.forEach((e, i) => {
    edgeSrc[i] = graph.edgeSrc[e]!;
    edgeDst[i] = graph.edgeDst[e]!;
    edgeKind[i] = graph.edgeKind[e]!;
    edgeAttrs[i] = e % 3 === 0 ? { ...graph.edgeAttrs[e], conditions: ['mfa'], reason: `edge ${e}` } : graph.edgeAttrs[e];
  });
  return { schema: graph.schema, nodes: graph.nodes as GraphNode[], edgeSrc, edgeDst, edgeKind, edgeAttrs };
}

const graphAndOrder = randomGraph({ maxNodes: 30, maxEdges: 120 }).chain(({ graph }) =>
  fc.tuple(fc.constant(graph), fc.shuffledSubarray([...Array(graph.edgeCount).keys()], { minLength: graph.edgeCount, maxLength: graph.edgeCount })));

describe('precomputed columns give the graph compileColumns gives', () => {
  it('graphFromColumns of compileColumns output is the same graph', () => {
    fc.assert(fc.property(graphAndOrder, ([graph, order]) => {
      const compiled = compileColumns(shuffledColumns(graph, order));
      expectSameGraph(graphFromColumns({ ...compiled, nodes: compiled.nodes as GraphNode[], edgeAttrs: compiled.edgeAttrs as (EdgeAttrs | undefined)[] }), compiled);
    }), { numRuns: 100 });
  });

  it('a version 2 snapshot loads to the compiled graph, field for field', () => {
    fc.assert(fc.property(graphAndOrder, ([graph, order]) => {
      const compiled = compileColumns(shuffledColumns(graph, order));
      const bytes = encodeSnapshot(compiled);
      expect(new DataView(bytes.buffer).getUint32(8, true)).toBe(2);
      expectSameGraph(decodeSnapshot(bytes), compiled);
      // From a Node Buffer (what readFileSync returns) too: no column may stay a view of it.
      expectSameGraph(decodeSnapshot(Buffer.from(bytes)), compiled);
    }), { numRuns: 100 });
  });

  it('the graph a builder or buildGraph made (id index of another kind) round-trips to the compiled graph', () => {
    fc.assert(fc.property(reachableGraph(), ({ nodes, edges }) => {
      const built = buildGraph({ nodes, edges });
      const withMap = compileColumns({ ...shuffledColumns(built, [...Array(built.edgeCount).keys()]), indexOf: new Map(nodes.map((node, i) => [node.id, i])) });
      expect(withMap.indexOf).toBeInstanceOf(Map);
      expectSameGraph(decodeSnapshot(encodeSnapshot(withMap)), compileColumns(shuffledColumns(built, [...Array(built.edgeCount).keys()])));
    }), { numRuns: 50 });
  });

  it('repeated ids keep the Map fallback (last index wins), as compileColumns does', () => {
    const node = (id: string): GraphNode => ({ id, kind: 'App', name: id, platform: 'p', tenant: 't' }) as GraphNode;
    const compiled = compileColumns({ schema: DEFAULT_SCHEMA, nodes: [node('a'), node('b'), node('a')], edgeSrc: new Uint32Array(0), edgeDst: new Uint32Array(0), edgeKind: new Uint8Array(0), edgeAttrs: [] });
    expect(compiled.indexOf).toBeInstanceOf(Map);
    const decoded = decodeSnapshot(encodeSnapshot(compiled));
    expectSameGraph(decoded, compiled);
    expect(decoded.indexOf.get('a')).toBe(2);
  });

  it('an id table built with another hash is rebuilt, not read', () => {
    const s = scenario((b) => { for (let i = 0; i < 40; i++) b.app(`app${i}`); });
    const bytes = encodeSnapshot(s.graph);
    const text = new TextDecoder().decode(bytes.subarray(16, 16 + new DataView(bytes.buffer).getUint32(12, true)));
    expect(text).toContain(`"idHash":"${ID_HASH}"`);
    const at = text.indexOf(ID_HASH) + 16;
    bytes[at] = bytes[at] === 0x78 ? 0x79 : 0x78;
    expectSameGraph(decodeSnapshot(bytes), s.graph);
  });
});

describe('version 1 snapshots', () => {
  it('still load, to the same graph as before', () => {
    fc.assert(fc.property(graphAndOrder, ([graph, order]) => {
      const compiled = compileColumns(shuffledColumns(graph, order));
      const v1 = encodeV1(compiled);
      expectSameGraph(decodeSnapshot(v1), compiled);
      expectSameGraph(decodeSnapshot(Buffer.from(v1)), compiled);
      // Saving again writes the current version.
      expect(new DataView(encodeSnapshot(decodeSnapshot(v1)).buffer).getUint32(8, true)).toBe(SNAPSHOT_VERSION);
    }), { numRuns: 60 });
  });
});

describe('corrupt version 2 columns are refused with INVALID_SNAPSHOT', () => {
  const graph = () => {
    const s = scenario((b) => {
      for (let i = 0; i < 6; i++) b.app(`app${i}`);
      for (let i = 0; i < 6; i++) b.credential(`key${i}`, { expiresAt: '2026-01-01T00:00:00.000Z' });
      for (let i = 0; i < 6; i++) b.edge('HOLDS', `app${i}`, `key${i}`).edge('HOLDS', `app${i}`, `key${(i + 1) % 6}`, { conditions: ['mfa'] });
    });
    return s.graph;
  };
  /** Byte offsets of the version 2 sections. */
  const layout = (bytes: Uint8Array) => {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headerLength = view.getUint32(12, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength))) as { nodeCount: number; edgeCount: number; idSlots: number };
    const n = header.nodeCount;
    const m = header.edgeCount;
    const edgeSrc = (16 + headerLength + 3) & ~3;
    const fwdOffsets = edgeSrc + 8 * m + ((m + 3) & ~3);
    const nodeKind = fwdOffsets + 4 * (n + 1);
    const activeFrom = nodeKind + ((n + 3) & ~3);
    const activeUntil = activeFrom + 8 * n;
    const idSlots = activeUntil + 8 * n;
    return { view, n, m, edgeSrc, edgeDst: edgeSrc + 4 * m, fwdOffsets, nodeKind, activeFrom, activeUntil, idSlots, slotCount: header.idSlots, nodeTable: idSlots + 4 * header.idSlots };
  };
  const refused = (bytes: Uint8Array, message?: RegExp): void => {
    try {
      decodeSnapshot(bytes);
    } catch (error) {
      expect(error).toBeInstanceOf(BlastmapError);
      expect((error as BlastmapError).code).toBe('INVALID_SNAPSHOT');
      if (message) expect((error as BlastmapError).message).toMatch(message);
      return;
    }
    throw new Error('a corrupt snapshot was decoded');
  };
  const corrupted = (change: (bytes: Uint8Array, at: ReturnType<typeof layout>) => void): Uint8Array => {
    const bytes = encodeSnapshot(graph());
    change(bytes, layout(bytes));
    return bytes;
  };

  it('the untouched file loads (the layout above is the real one)', () => {
    const bytes = encodeSnapshot(graph());
    const at = layout(bytes);
    expect(bytes[at.nodeTable]).toBe('['.charCodeAt(0));
    expect(at.slotCount).toBeGreaterThan(0);
    expectSameGraph(decodeSnapshot(bytes), graph());
  });

  it('forward offsets that do not match the edge sources', () => {
    refused(corrupted((_, at) => at.view.setUint32(at.fwdOffsets + 4, 0, true)), /outside its source's range|forward offsets/);
    refused(corrupted((_, at) => at.view.setUint32(at.fwdOffsets, 1, true)), /forward offsets do not span/);
    refused(corrupted((_, at) => at.view.setUint32(at.fwdOffsets + 4 * at.n, at.m + 1, true)), /forward offsets/);
    refused(corrupted((_, at) => at.view.setUint32(at.fwdOffsets + 8, 0, true)), /forward offsets decrease|source's range/);
    // Edges no longer sorted by source.
    refused(corrupted((_, at) => { at.view.setUint32(at.edgeSrc, at.view.getUint32(at.edgeSrc + 4 * (at.m - 1), true), true); }));
  });

  it('node kind codes outside the schema, or not the kind of the record', () => {
    refused(corrupted((bytes, at) => { bytes[at.nodeKind] = 250; }), /kind code 250/);
    refused(corrupted((bytes, at) => { bytes[at.nodeKind] = bytes[at.nodeKind + 6]!; }), /kind column says/);
  });

  it('an activity window that is not a number', () => {
    refused(corrupted((_, at) => at.view.setFloat64(at.activeUntil + 8, Number.NaN, true)), /activity window/);
  });

  it('an id table that is not one of these ids', () => {
    const slots = (bytes: Uint8Array, at: ReturnType<typeof layout>) => new Int32Array(bytes.slice(at.idSlots, at.nodeTable).buffer);
    const write = (bytes: Uint8Array, at: ReturnType<typeof layout>, table: Int32Array) => bytes.set(new Uint8Array(table.buffer), at.idSlots);
    const filled = (table: Int32Array) => [...table.keys()].filter((slot) => table[slot] !== -1);
    refused(corrupted((bytes, at) => { const t = slots(bytes, at); t[filled(t)[0]!] = at.n; write(bytes, at, t); }), /id table/);
    refused(corrupted((bytes, at) => { const t = slots(bytes, at); const [a, b] = filled(t); t[a!] = t[b!]!; write(bytes, at, t); }), /id table/);
    refused(corrupted((bytes, at) => { const t = slots(bytes, at); t[filled(t)[0]!] = -1; write(bytes, at, t); }), /id table/);
    // Every index once, but at the wrong slots: the ids are not found where the table says.
    refused(corrupted((bytes, at) => { const t = slots(bytes, at); const f = filled(t); const first = t[f[0]!]!; for (let i = 0; i < f.length - 1; i++) t[f[i]!] = t[f[i + 1]!]!; t[f.at(-1)!] = first; write(bytes, at, t); }), /id table/);
    expect(IdIndex.fromSlots([{ id: 'a' }], new Int32Array(8).fill(-1))).toBeUndefined();
  });

  it('edge properties out of order, and a node record that is not an object', () => {
    const swapped = (() => {
      const g = graph();
      const bytes = encodeSnapshot(g);
      const at = layout(bytes);
      const text = new TextDecoder().decode(bytes.subarray(at.nodeTable, bytes.length - 8));
      const first = text.indexOf('[[1,');
      expect(first).toBeGreaterThan(0);
      // [[1,...],[3,...] -> [[3,...],[1,...]: same bytes, edge indices descending.
      const swappedText = text.replace('[[1,', '[[9,').replace(',[3,', ',[1,').replace('[[9,', '[[3,');
      bytes.set(new TextEncoder().encode(swappedText), at.nodeTable);
      return bytes;
    })();
    refused(swapped, /out of order/);
    refused(corrupted((bytes, at) => {
      const text = new TextDecoder().decode(bytes.subarray(at.nodeTable));
      const end = text.indexOf('},{') + 1;
      // The first record becomes a number padded with spaces, the same length.
      bytes.set(new TextEncoder().encode(`[7${' '.repeat(end - 2)}`), at.nodeTable);
    }), /not a node record/);
  });

  it('a version this build does not read names both', () => {
    refused(corrupted((_, at) => at.view.setUint32(8, 3, true)), /version 3, this blastmap reads version 2/);
  });
});

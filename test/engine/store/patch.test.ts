// Incremental import (engine/store/patch.ts): merging a small batch into a stored snapshot by patching its
// columns must write exactly the snapshot a full rebuild writes (assembleGraph over the decoded graph), byte for
// byte, so nodes, edges, attributes, the id table, activity windows and every analysis answer are the same.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlastmapError } from '../../../engine/errors.ts';
import type { GraphEdge, GraphNode } from '../../../engine/format/native.ts';
import { DEFAULT_SCHEMA } from '../../../engine/schema/index.ts';
import { assembleGraph } from '../../../engine/store/assemble.ts';
import { buildGraph, reverseIndex } from '../../../engine/store/compact.ts';
import { patchedReverseIndex, patchGraph, patchSnapshot } from '../../../engine/store/patch.ts';
import { decodeSnapshot, encodeSnapshot, joinParts, NODES_PER_CHUNK, openSnapshot } from '../../../engine/store/snapshot.ts';
import { parseNative } from '../../../importers/native/index.ts';
import { AT, randomGraph } from '../../helpers/arbitraries.ts';

const DAY = 86_400_000;
const schema = DEFAULT_SCHEMA;
const edgeKinds = Object.entries(schema.edgeKinds);

/** The batch as `blastmap import native` reads it: NDJSON through the real parser (validation, secret scrubbing). */
function sourced(nodes: readonly GraphNode[], edges: readonly GraphEdge[], file = 'change.ndjson') {
  const text = [...nodes, ...edges].map((item) => JSON.stringify(item)).join('\n');
  const result = parseNative(text, { file });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

/** One file per node (a batch may repeat a node with other facts) and one for the edges. */
function files({ nodes, edges }: { nodes: GraphNode[]; edges: GraphEdge[] }) {
  return [...nodes.map((node, i) => sourced([node], [], `node-${i}.ndjson`)), ...(edges.length > 0 ? [sourced([], edges, 'edges.ndjson')] : [])];
}

/** A base graph: a random core plus filler identities so that it spans several node chunks, sometimes a partial one. */
const baseArb = fc.record({ core: randomGraph({ maxNodes: 16, maxEdges: 50 }), filler: fc.constantFrom(0, 3, NODES_PER_CHUNK - 5, NODES_PER_CHUNK, 2 * NODES_PER_CHUNK + 7) }).map(({ core, filler }) => {
  const nodes = [...core.nodes];
  const edges = [...core.edges];
  const group = nodes.find((node) => node.kind === 'Group');
  for (let i = 0; i < filler; i++) {
    const id = `p1:t:identity:f${i}`;
    nodes.push({ id, kind: 'Identity', name: `filler ${i}`, platform: 'p1', tenant: 't', ...(i % 7 === 0 ? { tags: ['pii'] } : {}) } as GraphNode);
    if (group && i % 3 === 0) edges.push({ kind: 'MEMBER_OF', from: id, to: group.id, ...(i % 9 === 0 ? { conditions: ['mfa'] } : {}) });
  }
  return { nodes, edges };
});

interface Op { op: 'new-node' | 'change-node' | 'new-edge' | 'repeat-edge'; a: number; b: number; k: number; variant: number }
const opArb: fc.Arbitrary<Op> = fc.record({
  op: fc.constantFrom<Op['op']>('new-node', 'change-node', 'new-edge', 'repeat-edge'),
  a: fc.nat(), b: fc.nat(), k: fc.nat(),
  variant: fc.constantFrom(0, 1, 2, 3, 4, 5),
});

/** A small change against the base: new nodes, repeated nodes with new facts, new edges, repeated edges. */
function change(base: { nodes: GraphNode[]; edges: GraphEdge[] }, ops: readonly Op[]): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const known = [...base.nodes];
  const kinds = Object.keys(schema.nodeKinds);
  ops.forEach(({ op, a, b, k, variant }, n) => {
    if (op === 'new-node') {
      const kind = kinds[k % kinds.length]!;
      const node = { id: `p${1 + (a % 3)}:t:${kind.toLowerCase()}:new${n}`, kind, name: `new ${n}`, platform: `p${1 + (a % 3)}`, tenant: 't' } as GraphNode;
      if (kind === 'Credential') node.type = variant % 2 === 0 ? 'refresh-token' : 'access-token';
      if (variant === 1) node.expiresAt = new Date(AT + 10 * DAY).toISOString();
      if (variant === 2) node.tags = ['crown-jewel'];
      if (variant === 3) node.createdAt = new Date(AT - 5 * DAY).toISOString();
      nodes.push(node);
      known.push(node);
    } else if (op === 'change-node') {
      const target = base.nodes[a % base.nodes.length]!;
      const node = { id: target.id, kind: target.kind, name: variant === 0 ? 'renamed' : target.name, platform: target.platform, tenant: target.tenant } as GraphNode;
      if (target.kind === 'Credential') node.type = target.type;
      if (variant === 1) node.revoked = true;
      if (variant === 2) node.enabled = false;
      if (variant === 3) node.expiresAt = new Date(AT + (a % 40) * DAY).toISOString();
      if (variant === 4) node.tags = ['crown-jewel'];
      if (variant === 5) node.properties = { note: `n${k}` };
      nodes.push(node);
    } else if (op === 'new-edge') {
      const [kind, spec] = edgeKinds[k % edgeKinds.length]!;
      const from = known.filter((node) => spec.from.includes(node.kind));
      const to = known.filter((node) => spec.to.includes(node.kind));
      if (from.length === 0 || to.length === 0) return;
      const edge: GraphEdge = { kind, from: from[a % from.length]!.id, to: to[b % to.length]!.id };
      if (variant === 1) edge.conditions = ['mfa'];
      if (variant === 2) edge.reason = 'added';
      if (variant === 3) edge.grant = `g${a % 2}`;
      if (variant === 4 && spec.delegates) edge.scopes = ['https://www.googleapis.com/auth/drive.readonly'];
      edges.push(edge);
    } else if (base.edges.length > 0) {
      const target = base.edges[a % base.edges.length]!;
      const edge: GraphEdge = { kind: target.kind, from: target.from, to: target.to, ...(target.grant !== undefined ? { grant: target.grant } : {}) };
      if (variant % 2 === 0) edge.conditions = ['device'];
      else edge.properties = { seen: true };
      edges.push(edge);
    }
  });
  // New nodes first, as an export lists them; edges may name nodes of this batch.
  return { nodes, edges };
}

describe('incremental import', () => {
  it('writes the snapshot a full rebuild writes, for random small changes to random graphs', () => {
    let patched = 0;
    let runs = 0;
    fc.assert(
      fc.property(baseArb, fc.array(opArb, { minLength: 1, maxLength: 8 }), (base, ops) => {
        const bytes = encodeSnapshot(buildGraph(base, schema));
        const batch = files(change(base, ops));
        if (batch.length === 0) return;
        let full: ReturnType<typeof assembleGraph> | undefined;
        let fullError: unknown;
        try {
          full = assembleGraph(batch, decodeSnapshot(bytes));
        } catch (error) {
          fullError = error;
        }
        const view = openSnapshot(bytes)!;
        let result: ReturnType<typeof patchSnapshot>;
        try {
          result = patchSnapshot(view, batch);
        } catch (error) {
          // Refused input is refused by both paths, with the same issues.
          expect(error).toBeInstanceOf(BlastmapError);
          expect(fullError).toBeInstanceOf(BlastmapError);
          expect((error as BlastmapError).issues).toEqual((fullError as BlastmapError).issues);
          return;
        }
        runs++;
        if (!result.patched) return;
        expect(fullError).toBeUndefined();
        patched++;
        const written = joinParts(result.parts);
        expect(Buffer.from(written).equals(Buffer.from(encodeSnapshot(full!.graph)))).toBe(true);
        expect(result.report).toEqual(full!.report);
        // The patched file reads back with every integrity check.
        expect(decodeSnapshot(written).nodeCount).toBe(full!.graph.nodeCount);
        // The same patch on a graph in memory (what review merges a proposal with) is the rebuilt graph, column for
        // column, and leaves the graph it started from as it was.
        const loaded = decodeSnapshot(bytes);
        const inMemory = patchGraph(loaded, batch);
        expect('graph' in inMemory).toBe(true);
        const graph = (inMemory as { graph: typeof loaded }).graph;
        expect(Buffer.from(encodeSnapshot(graph)).equals(Buffer.from(written))).toBe(true);
        for (const column of ['revOffsets', 'revEdges', 'conditionedEdges', 'activeFrom', 'activeUntil'] as const) expect(graph[column]).toEqual(full!.graph[column]);
        expect(graph.edgeAttrs.length).toBe(full!.graph.edgeAttrs.length);
        expect(Buffer.from(encodeSnapshot(loaded)).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 250 },
    );
    // Most small changes take the incremental path; otherwise this test would prove little.
    expect(patched).toBeGreaterThan(runs / 2);
  });

  it('patches a one-node import into a graph with scoped delegations and minted credentials it does not touch', () => {
    const nodes = [
      { id: 'google-workspace:t:app:crm', kind: 'App', name: 'CRM', platform: 'google-workspace', tenant: 't' },
      { id: 'google-workspace:t:identity:ana', kind: 'Identity', name: 'Ana', platform: 'google-workspace', tenant: 't' },
      { id: 'google-workspace:t:resource:drive', kind: 'Resource', name: 'Drive', platform: 'google-workspace', tenant: 't', resourceType: 'drive' },
      { id: 'okta:t:credential:refresh', kind: 'Credential', name: 'refresh', platform: 'okta', tenant: 't', type: 'refresh-token', expiresAt: new Date(AT + 90 * DAY).toISOString() },
      { id: 'okta:t:credential:access', kind: 'Credential', name: 'access', platform: 'okta', tenant: 't', type: 'access-token', expiresAt: new Date(AT + DAY).toISOString() },
      { id: 'okta:t:group:all', kind: 'Group', name: 'All', platform: 'okta', tenant: 't' },
    ] as GraphNode[];
    const edges: GraphEdge[] = [
      { kind: 'CAN_IMPERSONATE', from: 'google-workspace:t:app:crm', to: 'google-workspace:t:identity:ana', scopes: ['https://www.googleapis.com/auth/drive.readonly'] },
      { kind: 'CAN_WRITE', from: 'google-workspace:t:identity:ana', to: 'google-workspace:t:resource:drive' },
      { kind: 'MINTS', from: 'okta:t:credential:refresh', to: 'okta:t:credential:access' },
    ];
    const graph = buildGraph({ nodes, edges }, schema);
    expect(graph.edgeAttrs.some((attrs) => attrs?.derivedFrom !== undefined)).toBe(true);
    const bytes = encodeSnapshot(graph);
    const batch = [sourced(
      [{ id: 'okta:t:identity:new', kind: 'Identity', name: 'New', platform: 'okta', tenant: 't' } as GraphNode, { ...nodes[4]!, revoked: true, revokedAt: new Date(AT).toISOString() } as GraphNode],
      [{ kind: 'MEMBER_OF', from: 'okta:t:identity:new', to: 'okta:t:group:all' }],
    )];
    const result = patchSnapshot(openSnapshot(bytes)!, batch);
    expect(result.patched).toBe(true);
    if (!result.patched) return;
    const full = assembleGraph(batch, decodeSnapshot(bytes)).graph;
    expect(Buffer.from(joinParts(result.parts)).equals(Buffer.from(encodeSnapshot(full)))).toBe(true);
  });

  it('rebuilds when the change reaches a scoped delegation, and says why', () => {
    const nodes = [
      { id: 'google-workspace:t:app:crm', kind: 'App', name: 'CRM', platform: 'google-workspace', tenant: 't' },
      { id: 'google-workspace:t:identity:ana', kind: 'Identity', name: 'Ana', platform: 'google-workspace', tenant: 't' },
      { id: 'google-workspace:t:resource:drive', kind: 'Resource', name: 'Drive', platform: 'google-workspace', tenant: 't', resourceType: 'drive' },
    ] as GraphNode[];
    const bytes = encodeSnapshot(buildGraph({ nodes, edges: [{ kind: 'CAN_IMPERSONATE', from: nodes[0]!.id, to: nodes[1]!.id, scopes: ['https://www.googleapis.com/auth/drive.readonly'] }] }, schema));
    // Ana gains write access to the drive: what the delegation derives changes.
    const result = patchSnapshot(openSnapshot(bytes)!, [sourced([], [{ kind: 'CAN_WRITE', from: nodes[1]!.id, to: nodes[2]!.id }])]);
    expect(result).toEqual({ patched: false, reason: 'the change reaches what a scoped delegation derives from' });
  });

  it('refuses an edge to an unknown node before computing anything, as the full import does', () => {
    const bytes = encodeSnapshot(buildGraph({ nodes: [{ id: 'p1:t:identity:a', kind: 'Identity', name: 'a', platform: 'p1', tenant: 't' } as GraphNode], edges: [] }, schema));
    const batch = [sourced([], [{ kind: 'MEMBER_OF', from: 'p1:t:identity:a', to: 'p1:t:group:missing' }])];
    expect(() => patchSnapshot(openSnapshot(bytes)!, batch)).toThrow(/nothing was imported/);
  });
});

describe('snapshot id table of a freshly built graph', () => {
  it('is the bulk builder\'s own table when it is the one IdIndex would build (no second hashing), same bytes either way', async () => {
    const { buildFromChunks } = await import('../../../engine/store/builder.ts');
    const { generateEnterprise } = await import('../../../engine/generate/enterprise.ts');
    const { IdTable } = await import('../../../engine/store/id-index.ts');
    for (const nodes of [2500, 5000]) {
      const graph = buildFromChunks(generateEnterprise({ nodes, seed: 3 }));
      expect(graph.indexOf).toBeInstanceOf(IdTable);
      expect((graph.indexOf as InstanceType<typeof IdTable>).slotTable(graph.nodes)).toBeDefined();
      const viaBuilder = encodeSnapshot(graph);
      const viaMap = encodeSnapshot({ ...graph, indexOf: new Map(graph.indexOf) });
      expect(Buffer.from(viaBuilder).equals(Buffer.from(viaMap))).toBe(true);
    }
  });
});

describe('patchedReverseIndex', () => {
  it('is the reverse index built afresh, for edges inserted anywhere (old edges moved) or only after the old ones', () => {
    const columnsArb = fc.record({
      n: fc.integer({ min: 1, max: 12 }),
      added: fc.integer({ min: 0, max: 4 }),
      dst: fc.array(fc.nat(), { maxLength: 40 }),
      insertions: fc.array(fc.record({ pos: fc.nat(), dst: fc.nat() }), { maxLength: 8 }),
      appendOnly: fc.boolean(),
    });
    fc.assert(fc.property(columnsArb, ({ n, added, dst, insertions, appendOnly }) => {
      const m = dst.length;
      const n2 = n + added;
      const oldDst = Uint32Array.from(dst, (v) => v % n);
      const old = reverseIndex(n, oldDst);
      // Insertions as patchColumns makes them: sorted by position, each before the old edge at its position.
      const placed = insertions.map(({ pos, dst: to }) => ({ pos: appendOnly ? m : pos % (m + 1), dst: to % n2 })).sort((a, b) => a.pos - b.pos);
      const edgeDst = new Uint32Array(m + placed.length);
      const inserted = new Uint32Array(placed.length);
      let from = 0;
      let to = 0;
      placed.forEach((ins, j) => {
        edgeDst.set(oldDst.subarray(from, ins.pos), to);
        to += ins.pos - from;
        from = ins.pos;
        inserted[j] = to;
        edgeDst[to++] = ins.dst;
      });
      edgeDst.set(oldDst.subarray(from), to);
      const patched = patchedReverseIndex({ nodeCount: n, edgeCount: m, ...old }, { n2, edgeDst, inserted });
      const fresh = reverseIndex(n2, edgeDst);
      expect(patched.revOffsets).toEqual(fresh.revOffsets);
      expect(patched.revEdges).toEqual(fresh.revEdges);
    }), { numRuns: 500 });
  });
});

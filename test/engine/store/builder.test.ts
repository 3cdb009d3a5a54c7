// The bulk builder must compile exactly the graph that mergeFragments + buildGraph compile from the same
// records: same node order, same merged nodes and edges, same CSR columns, same edge properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeFound } from '../../../engine/errors.ts';
import { generateEnterprise, generateFragment } from '../../../engine/generate/enterprise.ts';
import type { Fragment, GraphEdge, GraphNode } from '../../../engine/format/native.ts';
import { checkReferences, mergeFragments } from '../../../engine/format/validate.ts';
import { DEFAULT_SCHEMA } from '../../../engine/schema/index.ts';
import { buildFromChunks, GraphBuilder } from '../../../engine/store/builder.ts';
import { buildGraph, type CompactGraph } from '../../../engine/store/compact.ts';

const EDGE_KINDS = Object.keys(DEFAULT_SCHEMA.edgeKinds);
const NODE_KINDS = Object.keys(DEFAULT_SCHEMA.nodeKinds);

/** Everything observable about a compiled graph, with absent and undefined properties treated alike. */
function observable(graph: CompactGraph) {
  const clean = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  const attrs = graph.edgeAttrs.map((a) => {
    const c = clean(a) as Record<string, unknown> | undefined;
    return c && Object.keys(c).length > 0 ? c : undefined;
  });
  return {
    nodes: graph.nodes.map(clean), indexOf: [...graph.indexOf.entries()].sort(), nodeKind: [...graph.nodeKind],
    activeFrom: [...graph.activeFrom], activeUntil: [...graph.activeUntil],
    fwdOffsets: [...graph.fwdOffsets], edgeSrc: [...graph.edgeSrc], edgeDst: [...graph.edgeDst], edgeKind: [...graph.edgeKind],
    revOffsets: [...graph.revOffsets], revEdges: [...graph.revEdges], edgeAttrs: attrs, conditionedEdges: [...graph.conditionedEdges],
  };
}

function viaBuilder(fragment: Fragment): CompactGraph {
  const builder = new GraphBuilder();
  for (const node of fragment.nodes) builder.addNode(structuredClone(node));
  for (const edge of fragment.edges) builder.addEdge(structuredClone(edge));
  return builder.build();
}

/** Records with repeats: the same node twice (facts added later), the same edge with different properties. */
const recordsArb = fc.record({
  ids: fc.integer({ min: 1, max: 10 }),
  nodes: fc.array(fc.record({
    id: fc.nat(9), name: fc.constantFrom('a', 'b'), tag: fc.constantFrom(undefined, 'pii', 'crown-jewel'),
    revoked: fc.constantFrom(undefined, true, false), expiresAt: fc.constantFrom(undefined, '2025-01-01T00:00:00.000Z'),
  }), { maxLength: 25 }),
  edges: fc.array(fc.record({
    from: fc.nat(9), to: fc.nat(9), kind: fc.nat(EDGE_KINDS.length - 1),
    scopes: fc.constantFrom(undefined, ['a'], ['b', 'c']), grant: fc.constantFrom(undefined, 'g1', 'g2'),
    conditions: fc.constantFrom(undefined, ['mfa'], ['ip-allowlist']), reason: fc.constantFrom(undefined, 'why'),
  }), { maxLength: 60 }),
  nodesFirst: fc.boolean(),
});

type Records = typeof recordsArb extends fc.Arbitrary<infer T> ? T : never;

function fragmentOf(records: Records): Fragment {
  const idOf = (i: number): string => `p:t:${NODE_KINDS[i % NODE_KINDS.length]!.toLowerCase()}:n${i % records.ids}`;
  const nodes: GraphNode[] = records.nodes.map((spec) => {
    const kind = NODE_KINDS[spec.id % records.ids % NODE_KINDS.length]!;
    const node: GraphNode = { id: idOf(spec.id), kind, name: spec.name, platform: 'p', tenant: 't' } as GraphNode;
    if (kind === 'Credential') node.type = 'api-key';
    if (spec.tag) node.tags = [spec.tag];
    if (spec.revoked !== undefined) node.revoked = spec.revoked;
    if (spec.expiresAt) node.expiresAt = spec.expiresAt;
    return node;
  });
  // Every id an edge uses gets a node somewhere (before or after the edge).
  const used = new Set(records.edges.flatMap((e) => [idOf(e.from), idOf(e.to)]));
  for (const node of nodes) used.delete(node.id);
  for (const id of used) {
    const kind = NODE_KINDS.find((k) => id.includes(`:${k.toLowerCase()}:`))!;
    nodes.push({ id, kind, name: 'late', platform: 'p', tenant: 't', ...(kind === 'Credential' ? { type: 'api-key' } : {}) } as GraphNode);
  }
  const edges: GraphEdge[] = records.edges.map((spec) => {
    const edge: GraphEdge = { kind: EDGE_KINDS[spec.kind]!, from: idOf(spec.from), to: idOf(spec.to) };
    if (spec.scopes) edge.scopes = [...spec.scopes];
    if (spec.grant) edge.grant = spec.grant;
    if (spec.conditions) edge.conditions = [...spec.conditions];
    if (spec.reason) edge.reason = spec.reason;
    return edge;
  });
  return { nodes, edges };
}

describe('GraphBuilder', () => {
  it('compiles what mergeFragments + buildGraph compile, repeats and late nodes included (random records)', () => {
    fc.assert(fc.property(recordsArb, (records) => {
      const fragment = fragmentOf(records);
      const expected = buildGraph(mergeFragments([structuredClone(fragment)]));
      // Nodes first, or edges first (ids interned before their node arrives): the same graph either way.
      const builder = new GraphBuilder();
      if (records.nodesFirst) for (const node of fragment.nodes) builder.addNode(structuredClone(node));
      for (const edge of fragment.edges) builder.addEdge(structuredClone(edge));
      if (!records.nodesFirst) for (const node of fragment.nodes) builder.addNode(structuredClone(node));
      expect(observable(builder.build())).toEqual(observable(expected));
      expect(observable(viaBuilder(fragment))).toEqual(observable(expected));
    }), { numRuns: 300 });
  });

  it('merges repeats of one source spread over a long edge list (more than the pairwise window)', () => {
    const nodes: GraphNode[] = [{ id: 'p:t:platform:p', kind: 'Platform', name: 'p', platform: 'p', tenant: 't' } as GraphNode];
    const edges: GraphEdge[] = [];
    for (let i = 0; i < 120; i++) nodes.push({ id: `p:t:resource:r${i}`, kind: 'Resource', name: `r${i}`, platform: 'p', tenant: 't' } as GraphNode);
    for (let round = 0; round < 3; round++) {
      for (let i = 119; i >= 0; i -= 1 + round) edges.push({ kind: 'CONTAINS', from: 'p:t:platform:p', to: `p:t:resource:r${i}`, ...(round === 2 ? { scopes: [`s${i % 3}`] } : {}) });
    }
    const builder = new GraphBuilder();
    for (const node of nodes) builder.addNode(structuredClone(node));
    for (const edge of edges) builder.addEdge(structuredClone(edge));
    const graph = builder.build();
    expect(builder.duplicateEdges).toBe(edges.length - 120);
    expect(observable(graph)).toEqual(observable(buildGraph(mergeFragments([{ nodes, edges }]))));
  });

  it('builds a generated enterprise from chunk node numbers exactly as from ids', () => {
    const options = { nodes: 5000, seed: 4, chunkNodes: 700 };
    const direct = buildFromChunks(generateEnterprise(options));
    const fragment = generateFragment(options);
    expect(observable(direct)).toEqual(observable(buildGraph(fragment)));
    expect(observable(viaBuilder(fragment))).toEqual(observable(direct));
  });

  it('refuses an edge to a node no record defines, with the message buildGraph gives', () => {
    const fragment: Fragment = {
      nodes: [{ id: 'p:t:app:a', kind: 'App', name: 'a', platform: 'p', tenant: 't' } as GraphNode],
      edges: [{ kind: 'HOLDS', from: 'p:t:app:a', to: 'p:t:credential:missing' }],
    };
    let message = '';
    try { buildGraph(fragment); } catch (error) { message = (error as Error).message; }
    expect(message).toMatch(/not in the graph/);
    expect(() => viaBuilder(fragment)).toThrowError(message);
  });

  it('reports dangling edges and disallowed endpoint kinds in the words of checkReferences', () => {
    const fragment: Fragment = {
      nodes: [
        { id: 'p:t:app:a', kind: 'App', name: 'a', platform: 'p', tenant: 't' } as GraphNode,
        { id: 'p:t:resource:r', kind: 'Resource', name: 'r', platform: 'p', tenant: 't' } as GraphNode,
      ],
      edges: [
        { kind: 'HOLDS', from: 'p:t:app:a', to: 'p:t:credential:missing' },
        { kind: 'HOLDS', from: 'p:t:app:a', to: 'p:t:resource:r' },
        { kind: 'CAN_READ', from: 'p:t:app:a', to: 'p:t:resource:r' },
      ],
    };
    const builder = new GraphBuilder();
    for (const node of fragment.nodes) builder.addNode(node);
    fragment.edges.forEach((edge, i) => builder.addEdge(edge, { file: 'f.json', path: `$.edges[${i}]` }));
    const expected = checkReferences([{ fragment, provenance: { file: 'f.json', nodePaths: [], edgePaths: fragment.edges.map((_, i) => `$.edges[${i}]`) }, redactions: 0 }], () => undefined);
    expect(builder.referenceIssues(describeFound)).toEqual(expected);
    expect(expected.length).toBe(2);
  });

  it('builds once: the graph shares its id map', () => {
    const builder = new GraphBuilder();
    builder.addNode({ id: 'p:t:app:a', kind: 'App', name: 'a', platform: 'p', tenant: 't' } as GraphNode);
    const graph = builder.build();
    expect(graph.indexOf.get('p:t:app:a')).toBe(0);
    expect(() => builder.addNode({ id: 'p:t:app:b', kind: 'App', name: 'b', platform: 'p', tenant: 't' } as GraphNode)).toThrowError(/builds once/);
  });
});

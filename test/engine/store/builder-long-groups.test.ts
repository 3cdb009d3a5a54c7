// A source with more edges than the pairwise window (a platform containing 100k resources) has its repeats merged
// by GraphBuilder.build through a chain per target. The straightforward reading it must equal: the source's edges
// sorted by (to, kind, grant, arrival); walking them, an edge equal to the current head (same to, kind and grant,
// neither derived from a delegation) merges into it (mergeFragments), any other edge becomes the head.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode } from '../../../engine/format/native.ts';
import { mergeFragments } from '../../../engine/format/validate.ts';
import { GraphBuilder } from '../../../engine/store/builder.ts';

const SOURCE = 'p:t:platform:p';
const KINDS = ['CONTAINS', 'CAN_READ', 'CAN_ADMIN'] as const;

/** The source's edges as the sort-based walk keeps them, in arrival order, derived edges left out (compile drops them). */
function expectedEdges(edges: readonly GraphEdge[]): { kind: string; to: string; attrs: Record<string, unknown> | undefined }[] {
  const derived = (e: number): boolean => edges[e]!.derivedFrom !== undefined;
  const same = (a: number, b: number): boolean => edges[a]!.to === edges[b]!.to && edges[a]!.kind === edges[b]!.kind && edges[a]!.grant === edges[b]!.grant && !derived(a) && !derived(b);
  const order = edges.map((_, e) => e).sort((a, b) => {
    const x = edges[a]!;
    const y = edges[b]!;
    const to = Number(x.to.slice(x.to.lastIndexOf('r') + 1)) - Number(y.to.slice(y.to.lastIndexOf('r') + 1));
    return to || KINDS.indexOf(x.kind as never) - KINDS.indexOf(y.kind as never) || (x.grant ?? '').localeCompare(y.grant ?? '') || a - b;
  });
  const merged = new Map<number, GraphEdge>();
  const dropped = new Set<number>();
  let head = order[0]!;
  for (const e of order.slice(1)) {
    if (same(head, e)) {
      dropped.add(e);
      merged.set(head, mergeFragments([{ nodes: [], edges: [merged.get(head) ?? edges[head]!] }, { nodes: [], edges: [edges[e]!] }]).edges[0]!);
    } else head = e;
  }
  const out: { kind: string; to: string; attrs: Record<string, unknown> | undefined }[] = [];
  edges.forEach((edge, e) => {
    if (dropped.has(e) || derived(e)) return;
    const { kind, from: _from, to, ...rest } = merged.get(e) ?? edge;
    out.push({ kind, to, attrs: clean(rest) });
  });
  return out;
}

/** Properties with undefined values and empty objects read as absent. */
function clean(attrs: object | undefined): Record<string, unknown> | undefined {
  if (attrs === undefined) return undefined;
  const out = JSON.parse(JSON.stringify(attrs)) as Record<string, unknown>;
  return Object.keys(out).length > 0 ? out : undefined;
}

const edgesArb = fc.array(fc.record({
  to: fc.nat(5), kind: fc.nat(KINDS.length - 1), grant: fc.constantFrom(undefined, 'g1', 'g2'),
  scopes: fc.constantFrom(undefined, ['a'], ['b']), reason: fc.constantFrom(undefined, 'why', 'because'),
  derived: fc.boolean(),
}), { minLength: 25, maxLength: 90 });

describe('GraphBuilder, long edge groups', () => {
  it('merges repeats as the sort by (to, kind, grant, arrival) does, derived edges included (random groups)', () => {
    fc.assert(fc.property(edgesArb, (specs) => {
      const nodes: GraphNode[] = [{ id: SOURCE, kind: 'Platform', name: 'p', platform: 'p', tenant: 't' } as GraphNode];
      for (let i = 0; i < 6; i++) nodes.push({ id: `p:t:resource:r${i}`, kind: 'Resource', name: `r${i}`, platform: 'p', tenant: 't' } as GraphNode);
      const edges: GraphEdge[] = specs.map((spec) => {
        const edge: GraphEdge = { kind: KINDS[spec.kind]!, from: SOURCE, to: `p:t:resource:r${spec.to}` };
        if (spec.grant) edge.grant = spec.grant;
        if (spec.scopes) edge.scopes = [...spec.scopes];
        if (spec.reason) edge.reason = spec.reason;
        if (spec.derived) edge.derivedFrom = 'DELEGATED_AS:p:t:platform:p->p:t:resource:r0';
        return edge;
      });
      const builder = new GraphBuilder();
      for (const node of nodes) builder.addNode(structuredClone(node));
      for (const edge of edges) builder.addEdge(structuredClone(edge));
      const graph = builder.build();
      const source = graph.indexOf.get(SOURCE)!;
      const actual: { kind: string; to: string; attrs: Record<string, unknown> | undefined }[] = [];
      for (let e = graph.fwdOffsets[source]!; e < graph.fwdOffsets[source + 1]!; e++) {
        actual.push({ kind: graph.edgeKindNames[graph.edgeKind[e]!]!, to: graph.nodes[graph.edgeDst[e]!]!.id, attrs: clean(graph.edgeAttrs[e]) });
      }
      expect(actual).toEqual(expectedEdges(edges));
    }), { numRuns: 300 });
  });
});

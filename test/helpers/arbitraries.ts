// fast-check arbitraries: small random graphs that respect the schema's endpoint rules, with random
// activity windows (revoked, expired, disabled, not yet created) and conditions.
import fc from 'fast-check';
import type { GraphEdge, GraphNode } from '../../engine/format/native.ts';
import { DEFAULT_SCHEMA, type Schema } from '../../engine/schema/index.ts';
import { buildGraph, type CompactGraph } from '../../engine/store/compact.ts';

/** Instant used by property tests; windows are drawn around it. */
export const AT = Date.parse('2025-06-01T00:00:00Z');
const DAY = 86_400_000;

export interface RandomGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  graph: CompactGraph;
}

const kindsOf = (schema: Schema) => Object.keys(schema.nodeKinds);

export interface RandomGraphOptions {
  minNodes?: number;
  maxNodes?: number;
  /** Edge draws, before dropping draws with no valid endpoints or repeating an edge. */
  minEdges?: number;
  maxEdges?: number;
  schema?: Schema;
  /** Weight of the always-usable window against one each for revoked, expired, disabled, future and revoked-later (default 4). */
  activeWeight?: number;
}

export function randomGraph(options: RandomGraphOptions = {}): fc.Arbitrary<RandomGraph> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const nodeKinds = kindsOf(schema);
  const edgeKinds = Object.entries(schema.edgeKinds);
  const nodeArb = fc.record({
    kind: fc.constantFrom(...nodeKinds),
    window: fc.constantFrom(...Array<'active'>(options.activeWeight ?? 4).fill('active'), 'revoked', 'expired', 'disabled', 'future', 'revoked-later'),
    tag: fc.constantFrom(undefined, 'crown-jewel', 'pii', undefined),
    sensitivity: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
    platform: fc.constantFrom('p1', 'p2', 'p3'),
  });
  return fc
    .array(nodeArb, { minLength: options.minNodes ?? 1, maxLength: options.maxNodes ?? 14 })
    .chain((specs) =>
      fc.array(fc.record({ a: fc.nat(), b: fc.nat(), k: fc.nat(), cond: fc.constantFrom(undefined, undefined, undefined, 'mfa') }), { minLength: options.minEdges ?? 0, maxLength: options.maxEdges ?? 40 }).map((raw) => {
        const nodes: GraphNode[] = specs.map((spec, i) => {
          const node: GraphNode = { id: `${spec.platform}:t:${spec.kind.toLowerCase()}:n${i}`, kind: spec.kind, name: `n${i}`, platform: spec.platform, tenant: 't' } as GraphNode;
          if (spec.kind === 'Credential') node.type = 'api-key';
          if (spec.tag) node.tags = [spec.tag];
          if (spec.sensitivity !== undefined) node.sensitivity = spec.sensitivity;
          if (spec.window === 'revoked') node.revoked = true;
          if (spec.window === 'revoked-later') { node.revoked = true; node.revokedAt = new Date(AT + 30 * DAY).toISOString(); }
          if (spec.window === 'expired') node.expiresAt = new Date(AT - DAY).toISOString();
          if (spec.window === 'disabled') node.enabled = false;
          if (spec.window === 'future') node.createdAt = new Date(AT + DAY).toISOString();
          return node;
        });
        const seen = new Set<string>();
        const edges: GraphEdge[] = [];
        for (const { a, b, k, cond } of raw) {
          const [kind, spec] = edgeKinds[k % edgeKinds.length]!;
          const fromCandidates = nodes.filter((n) => spec.from.includes(n.kind));
          const toCandidates = nodes.filter((n) => spec.to.includes(n.kind));
          if (fromCandidates.length === 0 || toCandidates.length === 0) continue;
          const from = fromCandidates[a % fromCandidates.length]!;
          const to = toCandidates[b % toCandidates.length]!;
          const key = `${from.id}|${kind}|${to.id}`;
          if (seen.has(key)) continue;
          seen.add(key);
          edges.push(cond ? { kind, from: from.id, to: to.id, conditions: [cond] } : { kind, from: from.id, to: to.id });
        }
        return { nodes, edges, graph: buildGraph({ nodes, edges }, schema) };
      }),
    );
}

/**
 * Mostly dense graphs with mostly usable nodes, sometimes the default shape: random graphs of the default
 * shape rarely reach past one hop, which leaves deep paths and level upgrades untested.
 */
export function reachableGraph(options: { schema?: Schema } = {}): fc.Arbitrary<RandomGraph> {
  return fc.oneof(
    { arbitrary: randomGraph({ minNodes: 6, maxNodes: 12, minEdges: 40, maxEdges: 60, activeWeight: 12, ...options }), weight: 3 },
    { arbitrary: randomGraph(options), weight: 1 },
  );
}

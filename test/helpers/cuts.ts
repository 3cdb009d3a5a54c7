// Brute-force cut oracle for choke-point and plan tests: every possible single cut, applied from its
// description alone, scored with the naive fixpoint of oracle.ts. Shares no code with engine/analysis/plan.ts.
import fc from 'fast-check';
import { nodePoints } from '../../engine/analysis/score.ts';
import type { GraphEdge } from '../../engine/format/native.ts';
import { buildGraph, edgeIdAt, type CompactGraph } from '../../engine/store/compact.ts';
import { AT, reachableGraph, type RandomGraph } from './arbitraries.ts';
import { oracleReach, usableAt, usableNodes, type OracleOptions } from './oracle.ts';

export interface CutSpec {
  action: 'revoke' | 'disable' | 'remove-grant' | 'remove-edge';
  id: string;
}

/** The overlay a cut stands for, read from its action and id. */
export function overlayOf(graph: CompactGraph, cuts: readonly CutSpec[]): { blockedNodes: Uint8Array; blockedEdges: Uint8Array } {
  const blockedNodes = new Uint8Array(graph.nodeCount);
  const blockedEdges = new Uint8Array(graph.edgeCount);
  for (const cut of cuts) {
    if (cut.action === 'revoke' || cut.action === 'disable') blockedNodes[graph.indexOf.get(cut.id)!] = 1;
    else {
      for (let e = 0; e < graph.edgeCount; e++) {
        const hit = cut.action === 'remove-grant' ? graph.edgeAttrs[e]?.grant === cut.id : edgeIdAt(graph, e) === cut.id;
        if (hit) blockedEdges[e] = 1;
      }
    }
  }
  return { blockedNodes, blockedEdges };
}

/** Radius score by the naive fixpoint: best level per node, sources excluded. */
export function oracleScore(graph: CompactGraph, sources: readonly number[], options: OracleOptions): number {
  const { level } = oracleReach(graph, sources, options);
  const isSource = new Set(sources);
  let score = 0;
  level.forEach((l, v) => { if (l > 0 && !isSource.has(v)) score += nodePoints(graph, v, l); });
  return score;
}

/** Every single cut there is: each non-source credential or principal, each grant id, each edge id of a cuttable kind. */
export function everyCut(graph: CompactGraph, sources: readonly number[]): CutSpec[] {
  const isSource = new Set(sources);
  const cuts: CutSpec[] = [];
  graph.nodes.forEach((node, v) => {
    const spec = graph.schema.nodeKinds[node.kind]!;
    if (isSource.has(v) || spec.graded) return;
    cuts.push({ action: spec.principal ? 'disable' : 'revoke', id: node.id });
  });
  const grants = new Set<string>();
  const edges = new Set<string>();
  for (let e = 0; e < graph.edgeCount; e++) {
    const grant = graph.edgeAttrs[e]?.grant;
    if (grant !== undefined) grants.add(grant);
    if (graph.schema.edgeKinds[graph.edgeKindNames[graph.edgeKind[e]!]!]!.cuttable !== false) edges.add(edgeIdAt(graph, e));
  }
  for (const id of grants) cuts.push({ action: 'remove-grant', id });
  for (const id of edges) cuts.push({ action: 'remove-edge', id });
  return cuts;
}

export interface CutCase {
  g: RandomGraph;
  graph: CompactGraph;
  sources: number[];
  maxDepth: number | undefined;
  enforce: boolean;
}

/**
 * Random graphs whose edges carry grants (a few shared grant ids, and credentials' own ids on their
 * edges), with mostly usable sources and sometimes a depth bound or an enforced condition.
 */
export function cutCaseArb(options: { depth?: boolean } = {}): fc.Arbitrary<CutCase> {
  return reachableGraph().chain((g) => {
    const n = g.nodes.length;
    // Mostly usable nodes with a usable traversable edge out: a source that reaches nothing tests little.
    const usable = g.nodes.map((_, v) => v).filter((v) => usableAt(g.nodes[v]!, AT));
    const active = usable.filter((v) => g.edges.some((edge) => edge.from === g.nodes[v]!.id
      && g.graph.schema.edgeKinds[edge.kind]!.traversable && usableNodes(g.graph, AT)[g.graph.indexOf.get(edge.to)!]!));
    const pool = active.length > 0 ? active : usable;
    const source = pool.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...pool), weight: 5 }, { arbitrary: fc.nat({ max: n - 1 }), weight: 1 }) : fc.nat({ max: n - 1 });
    return fc.record({
      grants: fc.array(fc.constantFrom<'none' | 'g1' | 'g2' | 'own'>('none', 'none', 'none', 'g1', 'g2', 'own'), { minLength: g.edges.length, maxLength: g.edges.length }),
      sources: fc.array(source, { minLength: 1, maxLength: 2 }),
      maxDepth: options.depth === false ? fc.constant(undefined) : fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 4 }), weight: 1 }),
      enforce: fc.boolean(),
    }).map(({ grants, sources, maxDepth, enforce }) => {
      const edges: GraphEdge[] = g.edges.map((edge, i) => {
        const choice = grants[i]!;
        if (choice === 'none') return edge;
        return { ...edge, grant: choice === 'own' ? edge.from : choice };
      });
      const graph = buildGraph({ nodes: g.nodes, edges });
      return { g: { ...g, edges, graph }, graph, sources, maxDepth, enforce };
    });
  });
}

export function oracleOptions(c: CutCase, cuts: readonly CutSpec[] = []): OracleOptions {
  const options: OracleOptions = { at: AT, ...overlayOf(c.graph, cuts) };
  if (c.maxDepth !== undefined) options.maxDepth = c.maxDepth;
  if (c.enforce) options.enforceConditions = ['mfa'];
  return options;
}

export function reachOptionsOf(c: CutCase): { at: number; maxDepth?: number; enforceConditions?: string[] } {
  return { at: AT, ...(c.maxDepth !== undefined ? { maxDepth: c.maxDepth } : {}), ...(c.enforce ? { enforceConditions: ['mfa'] } : {}) };
}

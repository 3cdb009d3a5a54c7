// The blast-radius score (docs/scoring.md): reached data weighted by sensitivity and level, plus one
// point per controlled principal or credential. Sources are what was compromised, not what it adds.
import { effectiveSensitivity } from '../schema/index.ts';
import type { CompactGraph } from '../store/compact.ts';

/** Weight of a level code: read 1, write 2, admin 3. */
export const LEVEL_WEIGHT = [0, 1, 2, 3] as const;
/** Points for each principal (App, Identity, Group, Role) or Credential the attacker controls. */
export const PRINCIPAL_POINTS = 1;

/** Per-node sensitivity, computed once per graph. */
const sensitivityCache = new WeakMap<CompactGraph, Float64Array>();
export function sensitivities(graph: CompactGraph): Float64Array {
  let cached = sensitivityCache.get(graph);
  if (!cached) {
    cached = new Float64Array(graph.nodeCount);
    for (let i = 0; i < graph.nodeCount; i++) cached[i] = effectiveSensitivity(graph.nodes[i]!);
    sensitivityCache.set(graph, cached);
  }
  return cached;
}

/** Per node-kind code: 1 when the kind is graded (data: Resource, Platform). */
const gradedCache = new WeakMap<CompactGraph, Uint8Array>();
export function gradedKinds(graph: CompactGraph): Uint8Array {
  let cached = gradedCache.get(graph);
  if (!cached) {
    cached = new Uint8Array(graph.nodeKindNames.length);
    graph.nodeKindNames.forEach((name, code) => { cached![code] = graph.schema.nodeKinds[name]!.graded ? 1 : 0; });
    gradedCache.set(graph, cached);
  }
  return cached;
}

/** What one reached node contributes to the score. */
export function nodePoints(graph: CompactGraph, v: number, levelCode: number): number {
  if (levelCode === 0) return 0;
  if (gradedKinds(graph)[graph.nodeKind[v]!] === 1) return sensitivities(graph)[v]! * LEVEL_WEIGHT[levelCode as 1 | 2 | 3];
  return PRINCIPAL_POINTS;
}

/** Score of a level vector, excluding the sources. */
export function scoreLevels(graph: CompactGraph, level: Uint8Array, sources: readonly number[]): number {
  const isSource = new Set(sources);
  let score = 0;
  for (let v = 0; v < graph.nodeCount; v++) {
    const l = level[v]!;
    if (l !== 0 && !isSource.has(v)) score += nodePoints(graph, v, l);
  }
  return score;
}

/** Score of a list of reached nodes (faster than scanning every node for small radii). */
export function scoreOrder(graph: CompactGraph, level: Uint8Array, order: readonly number[], sources: readonly number[]): number {
  const isSource = new Set(sources);
  let score = 0;
  for (const v of order) if (!isSource.has(v)) score += nodePoints(graph, v, level[v]!);
  return score;
}

// What an export covers: the whole graph, or the subgraph a traversal reached, with each reached node's level
// and hops so every export format can carry them (a radius export opens coloured by level in Gephi).
import type { ReachResult } from '../analysis/reach.ts';
import { levelName, type Level } from '../schema/index.ts';
import type { CompactGraph } from '../store/compact.ts';

export interface ExportOptions {
  /** Export only what this traversal reached (the induced subgraph), annotated with level and hops. */
  radius?: ReachResult;
}

/** The radius facts one exported node carries. */
export interface RadiusMark {
  level: Level;
  hops: number;
  source: boolean;
}

export interface ExportSelection {
  /** Node indices to export, in graph order (deterministic). */
  nodes: number[];
  /** Edge indices to export: both endpoints selected, in graph (CSR) order. */
  edges: number[];
  /** Radius facts per node index, only with a radius. */
  mark: (v: number) => RadiusMark | undefined;
}

export function selectExport(graph: CompactGraph, options: ExportOptions = {}): ExportSelection {
  const radius = options.radius;
  if (radius && radius.graph !== graph) throw new Error('engine/export: the radius was computed on another graph');
  const nodes: number[] = [];
  for (let v = 0; v < graph.nodeCount; v++) if (!radius || radius.level[v]! > 0) nodes.push(v);
  const edges: number[] = [];
  for (let e = 0; e < graph.edgeCount; e++) {
    if (!radius || (radius.level[graph.edgeSrc[e]!]! > 0 && radius.level[graph.edgeDst[e]!]! > 0)) edges.push(e);
  }
  const sources = new Set(radius?.sources ?? []);
  const mark = (v: number): RadiusMark | undefined => {
    if (!radius) return undefined;
    const level = radius.level[v]!;
    if (level === 0) return undefined;
    return { level: levelName(level), hops: radius.hops[v * 3 + level - 1]!, source: sources.has(v) };
  };
  return { nodes, edges, mark };
}

// Brute-force reference for reach: a naive fixpoint over (node, level) pairs, written from graph-model.md
// alone and sharing no code with engine/analysis/reach.ts, so property tests can compare the two.
import type { GraphNode } from '../../engine/format/native.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';

export interface OracleOptions {
  at: number;
  maxDepth?: number;
  edgeKinds?: readonly string[];
  excludeEdgeKinds?: readonly string[];
  enforceConditions?: readonly string[];
  sourceLevel?: 'read' | 'write' | 'admin';
  blockedNodes?: Uint8Array;
  blockedEdges?: Uint8Array;
}

export interface OracleResult {
  /** Best level per node: 0 nothing, 1 read, 2 write, 3 admin. */
  level: number[];
  /** fewest[v][L] for L = 1..3: fewest hops to hold at least L on v, or -1. Index 0 is unused. */
  fewest: number[][];
  /** Unusable nodes the attacker got to: the best level they would have given and the fewest hops to it. */
  dormant: Map<number, { level: number; hops: number }>;
}

const CODE = { read: 1, write: 2, admin: 3 } as const;

const parsed = (text: string | undefined): number | undefined => (text === undefined ? undefined : Date.parse(text));

/** The time rules of graph-model.md, restated: created, not expired, not (yet) revoked, not disabled. */
export function usableAt(node: GraphNode, at: number): boolean {
  if (node.enabled === false) return false;
  const created = parsed(node.createdAt);
  if (created !== undefined && !Number.isNaN(created) && created > at) return false;
  const expires = parsed(node.expiresAt);
  if (expires !== undefined && !Number.isNaN(expires) && expires <= at) return false;
  if (node.revoked === true) {
    const revokedAt = parsed(node.revokedAt);
    if (revokedAt === undefined || Number.isNaN(revokedAt) || revokedAt <= at) return false;
  }
  return true;
}

/**
 * Usability of every node of a compiled graph at `at`: the time rules above, plus refresh-token families
 * (docs/model.md): a credential minted by another (a `renews` edge kind, MINTS) that was not itself revoked or
 * disabled lives on while the minting one does, when their windows touch. Windows as [start, end) pairs.
 */
export function usableNodes(graph: CompactGraph, at: number): boolean[] {
  const windows = graph.nodes.map((node): [number, number] => {
    if (node.enabled === false) return [0, 0];
    const start = parsed(node.createdAt) ?? -Infinity;
    let end = parsed(node.expiresAt) ?? Infinity;
    if (node.revoked === true) end = Math.min(end, parsed(node.revokedAt) ?? -Infinity);
    return [start, end];
  });
  const renewals: [number, number][] = [];
  for (let e = 0; e < graph.edgeCount; e++) {
    const spec = graph.schema.edgeKinds[graph.edgeKindNames[graph.edgeKind[e]!]!]!;
    const target = graph.nodes[graph.edgeDst[e]!]!;
    if (spec.renews === true && target.revoked !== true && target.enabled !== false) renewals.push([graph.edgeSrc[e]!, graph.edgeDst[e]!]);
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const [minter, minted] of renewals) {
      const [mStart, mEnd] = windows[minter]!;
      const own = windows[minted]!;
      if (mEnd > mStart && mStart <= own[1] && mEnd > own[1]) { own[1] = mEnd; changed = true; }
    }
  }
  return windows.map(([start, end]) => start <= at && at < end);
}

interface OracleEdge { from: number; to: number; requires: number; grants: number | 'same'; usable: boolean }

function edgeList(graph: CompactGraph, options: OracleOptions): OracleEdge[] {
  const include = options.edgeKinds ? new Set(options.edgeKinds) : undefined;
  const exclude = new Set(options.excludeEdgeKinds ?? []);
  const enforce = new Set(options.enforceConditions ?? []);
  const out: OracleEdge[] = [];
  for (let e = 0; e < graph.edgeCount; e++) {
    const kind = graph.edgeKindNames[graph.edgeKind[e]!]!;
    const spec = graph.schema.edgeKinds[kind]!;
    const conditions = graph.edgeAttrs[e]?.conditions ?? [];
    const usable = spec.traversable
      && (include === undefined || include.has(kind))
      && !exclude.has(kind)
      && !conditions.some((c) => enforce.has(c))
      && options.blockedEdges?.[e] !== 1;
    out.push({
      from: graph.edgeSrc[e]!, to: graph.edgeDst[e]!, usable,
      requires: CODE[spec.requires], grants: spec.grants === 'same' ? 'same' : CODE[spec.grants],
    });
  }
  return out;
}

/** Repeats "for each held (node, level) pair and each edge, apply the rules" until nothing changes. */
export function oracleReach(graph: CompactGraph, sources: readonly number[], options: OracleOptions): OracleResult {
  const n = graph.nodeCount;
  const maxDepth = options.maxDepth ?? Infinity;
  const start = CODE[options.sourceLevel ?? 'admin'];
  const alive = usableNodes(graph, options.at);
  const usable = graph.nodes.map((_, v) => alive[v]! && options.blockedNodes?.[v] !== 1);
  const edges = edgeList(graph, options);
  // best[v][L]: fewest hops to hold at least L on v (Infinity = never).
  const best: number[][] = Array.from({ length: n }, () => [Infinity, Infinity, Infinity, Infinity]);
  for (const s of sources) {
    if (!usable[s]) continue;
    for (let l = 1; l <= start; l++) best[s]![l] = 0;
  }
  let changed = true;
  while (changed) {
    changed = false;
    for (const edge of edges) {
      if (!edge.usable || !usable[edge.to]) continue;
      for (let held = 1; held <= 3; held++) {
        const d = best[edge.from]![held]!;
        if (d === Infinity || held < edge.requires || d + 1 > maxDepth) continue;
        const grant = edge.grants === 'same' ? held : edge.grants;
        for (let l = 1; l <= grant; l++) {
          if (d + 1 < best[edge.to]![l]!) { best[edge.to]![l] = d + 1; changed = true; }
        }
      }
    }
  }
  const level = best.map((row) => (row[3]! < Infinity ? 3 : row[2]! < Infinity ? 2 : row[1]! < Infinity ? 1 : 0));
  const fewest = best.map((row) => row.map((d) => (d === Infinity ? -1 : d)));

  const dormant = new Map<number, { level: number; hops: number }>();
  const offer = (v: number, lvl: number, hops: number) => {
    const seen = dormant.get(v);
    if (!seen || lvl > seen.level || (lvl === seen.level && hops < seen.hops)) dormant.set(v, { level: lvl, hops });
  };
  for (const s of sources) if (!usable[s]) offer(s, start, 0);
  for (const edge of edges) {
    if (!edge.usable || usable[edge.to]) continue;
    for (let held = 1; held <= 3; held++) {
      const d = best[edge.from]![held]!;
      if (d === Infinity || held < edge.requires || d + 1 > maxDepth) continue;
      offer(edge.to, edge.grants === 'same' ? held : edge.grants, d + 1);
    }
  }
  return { level, fewest, dormant };
}

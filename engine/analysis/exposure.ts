// Exposure (reverse analysis): for one target such as a crown jewel, every identity, role, app and credential
// (or other chosen kinds) whose compromise reaches it, at which level, and the best path for each.
import { BlastmapError } from '../errors.ts';
import { effectiveSensitivity, levelName, type Level } from '../schema/index.ts';
import type { CompactGraph } from '../store/compact.ts';
import { CROWN_JEWEL_TAG, nodeRef, stepView, type NodeRef, type PathStepView } from './radius.ts';
import { allowedKinds, hopsAtLeast, reach, toInstant, witnessPath, type ReachOptions } from './reach.ts';

export interface ExposureOptions extends ReachOptions {
  /** Node kinds considered as compromised sources (default Identity, Role, App and Credential). */
  kinds?: readonly string[];
  /** Keep only the first n entries (after sorting); `exposedCount` still counts them all. */
  top?: number;
  /** Called after each candidate's forward reach, for progress bars. */
  onProgress?: (done: number, total: number) => void;
}

export interface ExposureEntry extends NodeRef {
  /** Level the source's compromise obtains on the target. */
  level: Level;
  /** Fewest hops to that level. */
  hops: number;
  /** Fewest-hop witness path from the source to the target at that level. */
  path: PathStepView[];
  /** An Identity's subtype (`human`, `service`, `workload`) when known. */
  subtype?: string;
  /** A Role's `privileged` flag when known. */
  privileged?: boolean;
}

export interface Exposure {
  target: NodeRef & { tags: string[]; sensitivity: number; crownJewel: boolean };
  at: string;
  maxDepth: number | null;
  kinds: string[];
  /** False when the target itself is revoked, expired, disabled or mitigated at `at`: nothing reaches it. */
  targetUsable: boolean;
  /** Nodes of those kinds that have a usable path of allowed edges to the target, ignoring levels. */
  candidateCount: number;
  /** Sources that do reach the target (before `top`). */
  exposedCount: number;
  byLevel: Record<Level, number>;
  byKind: Record<string, number>;
  /** Identities that reach it by subtype (`human`, `service`, `workload`, `unknown`). */
  identitiesBySubtype: Record<string, number>;
  /** Roles with `privileged: true` that reach it. */
  privilegedRoles: number;
  /** Sorted by level (highest first), then hops, then id. */
  exposed: ExposureEntry[];
}

/**
 * Who reaches a crown jewel is first people and roles (the admins and accounts a phish or a stolen session
 * turns into the attacker), then the integrations and their credentials.
 */
export const DEFAULT_EXPOSURE_KINDS: readonly string[] = ['Identity', 'Role', 'App', 'Credential'];
/** The integrations-only view (`--integrations`): apps and the credentials they hold. */
export const INTEGRATION_KINDS: readonly string[] = ['App', 'Credential'];

/** Throws INVALID_OPTION when a kind is not a node kind of the graph's schema. */
export function checkNodeKinds(graph: CompactGraph, kinds: readonly string[]): void {
  for (const kind of kinds) {
    if (!graph.nodeKindNames.includes(kind)) throw new BlastmapError('INVALID_OPTION', `engine/analysis: unknown node kind ${kind}`, { candidates: graph.nodeKindNames });
  }
}

/**
 * Nodes that can possibly reach the target: a reverse breadth-first search over allowed, unblocked edges
 * through usable nodes, ignoring levels (so a superset of the true sources). Returns the reverse distance
 * per node (-1 = cannot reach).
 */
export function reverseDistances(graph: CompactGraph, target: number, options: ReachOptions = {}): Int32Array {
  const at = toInstant(options.at);
  const allowed = allowedKinds(graph, options);
  const enforce = new Set(options.enforceConditions ?? []);
  const blockedNodes = options.overlay?.blockedNodes;
  const blockedEdges = options.overlay?.blockedEdges;
  const { revOffsets, revEdges, edgeSrc, edgeKind, activeFrom, activeUntil, edgeAttrs } = graph;
  const usable = (v: number): boolean => activeFrom[v]! <= at && at < activeUntil[v]! && blockedNodes?.[v] !== 1;
  const distance = new Int32Array(graph.nodeCount).fill(-1);
  if (!usable(target)) return distance;
  distance[target] = 0;
  let frontier = [target];
  for (let depth = 1; frontier.length > 0; depth++) {
    const next: number[] = [];
    for (const v of frontier) {
      for (let i = revOffsets[v]!, end = revOffsets[v + 1]!; i < end; i++) {
        const e = revEdges[i]!;
        if (allowed[edgeKind[e]!] === 0 || blockedEdges?.[e] === 1) continue;
        if (enforce.size > 0 && edgeAttrs[e]?.conditions?.some((condition) => enforce.has(condition))) continue;
        const u = edgeSrc[e]!;
        if (distance[u] !== -1 || !usable(u)) continue;
        distance[u] = depth;
        next.push(u);
      }
    }
    frontier = next;
  }
  return distance;
}

/**
 * Who reaches `target`. A forward reach from every node of the chosen kinds would cost O(candidates x
 * graph); instead a reverse search first keeps only the ancestors of the target (any forward path to it
 * runs through ancestors only), then a forward reach from each ancestor candidate is confined to the
 * ancestors by blocking every other node. Every predecessor of an ancestor is itself an ancestor, so the
 * confined search visits the same (node, level) states in the same order as the full one: levels, hops
 * and witness paths to the target are exactly those of `reach(graph, [source])`.
 */
export function exposureOf(graph: CompactGraph, target: number, options: ExposureOptions = {}): Exposure {
  if (target < 0 || target >= graph.nodeCount) throw new BlastmapError('INVALID_OPTION', `engine/analysis: target index ${target} is not a node`);
  const kinds = [...(options.kinds ?? DEFAULT_EXPOSURE_KINDS)];
  checkNodeKinds(graph, kinds);
  if (options.top !== undefined && !(options.top >= 0)) throw new BlastmapError('INVALID_OPTION', `engine/analysis: top must be 0 or more, got ${options.top}`);
  const { kinds: _kinds, top: _top, onProgress: _progress, ...reachOptions } = options;
  const at = toInstant(options.at);
  const maxDepth = options.maxDepth ?? Infinity;
  const distance = reverseDistances(graph, target, { ...reachOptions, at });
  const wanted = new Set(kinds);

  const confined = new Uint8Array(graph.nodeCount);
  const candidates: number[] = [];
  for (let v = 0; v < graph.nodeCount; v++) {
    const d = distance[v]!;
    if (d < 0) confined[v] = 1;
    else if (v !== target && d <= maxDepth && wanted.has(graph.nodes[v]!.kind)) candidates.push(v);
  }
  const confinedOptions: ReachOptions = { ...reachOptions, at, overlay: { ...options.overlay, blockedNodes: confined } };

  const exposed: ExposureEntry[] = [];
  candidates.forEach((source, i) => {
    const result = reach(graph, [source], confinedOptions);
    const levelCode = result.level[target]!;
    if (levelCode > 0) {
      const node = graph.nodes[source]!;
      exposed.push({
        ...nodeRef(graph, source),
        level: levelName(levelCode),
        hops: hopsAtLeast(result, target, levelCode),
        path: witnessPath(result, target, levelCode).map((step) => stepView(graph, step)),
        ...(node.kind === 'Identity' && node.subtype !== undefined ? { subtype: node.subtype } : {}),
        ...(node.kind === 'Role' && node.privileged !== undefined ? { privileged: node.privileged } : {}),
      });
    }
    options.onProgress?.(i + 1, candidates.length);
  });
  const rank: Record<Level, number> = { read: 1, write: 2, admin: 3 };
  exposed.sort((a, b) => rank[b.level] - rank[a.level] || a.hops - b.hops || a.id.localeCompare(b.id));

  const byLevel: Record<Level, number> = { admin: 0, write: 0, read: 0 };
  const byKind: Record<string, number> = {};
  const identitiesBySubtype: Record<string, number> = {};
  let privilegedRoles = 0;
  for (const entry of exposed) {
    byLevel[entry.level]++;
    byKind[entry.kind] = (byKind[entry.kind] ?? 0) + 1;
    if (entry.kind === 'Identity') identitiesBySubtype[entry.subtype ?? 'unknown'] = (identitiesBySubtype[entry.subtype ?? 'unknown'] ?? 0) + 1;
    if (entry.kind === 'Role' && entry.privileged === true) privilegedRoles++;
  }
  const node = graph.nodes[target]!;
  return {
    target: { ...nodeRef(graph, target), tags: node.tags ?? [], sensitivity: effectiveSensitivity(node), crownJewel: node.tags?.includes(CROWN_JEWEL_TAG) ?? false },
    at: new Date(at).toISOString(),
    maxDepth: options.maxDepth ?? null,
    kinds,
    targetUsable: distance[target] === 0,
    candidateCount: candidates.length,
    exposedCount: exposed.length,
    byLevel,
    byKind,
    identitiesBySubtype,
    privilegedRoles,
    exposed: options.top !== undefined ? exposed.slice(0, options.top) : exposed,
  };
}

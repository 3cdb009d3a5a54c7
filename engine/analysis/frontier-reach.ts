// The blast radius computed through the GraphStore interface alone, one frontier (hop) at a time: the
// algorithm a database-backed store runs. It must agree with `reach` on the compiled graph.
import { BlastmapError } from '../errors.ts';
import type { GraphNode } from '../format/native.ts';
import { LEVEL_CODE } from '../schema/index.ts';
import type { GraphStore } from '../store/types.ts';
import { windowsThroughStore, type Window } from '../store/windows.ts';
import { toInstant, type ReachOptions } from './reach.ts';

export interface FrontierReach {
  /** Best level code per reached node id (sources included). */
  level: Map<string, number>;
  /** Fewest hops at which each node reached its best level. */
  hops: Map<string, number>;
  /** Dormant nodes (reached but unusable) and the best level they would have given. */
  dormant: Map<string, number>;
}

/** Level-synchronous frontier expansion; overlays are not supported here (use `reach` for what-if). */
export async function reachThroughStore(store: GraphStore, sourceIds: readonly string[], options: Omit<ReachOptions, 'overlay'> = {}): Promise<FrontierReach> {
  const at = toInstant(options.at);
  const maxDepth = options.maxDepth ?? Infinity;
  // The same option checks as reach(): a typo must be an error on every store, never an empty radius.
  if (!(maxDepth >= 0)) throw new BlastmapError('INVALID_OPTION', `engine/analysis: max depth must be 0 or more, got ${maxDepth}`);
  const known = Object.keys(store.schema.edgeKinds);
  for (const name of [...(options.edgeKinds ?? []), ...(options.excludeEdgeKinds ?? [])]) {
    if (!known.includes(name)) throw new BlastmapError('INVALID_OPTION', `engine/analysis: unknown edge kind ${name}`, { candidates: known });
  }
  const include = options.edgeKinds ? new Set(options.edgeKinds) : undefined;
  const exclude = new Set(options.excludeEdgeKinds ?? []);
  const enforce = new Set(options.enforceConditions ?? []);
  const kinds = Object.entries(store.schema.edgeKinds)
    .filter(([name, spec]) => spec.traversable && (!include || include.has(name)) && !exclude.has(name))
    .map(([name]) => name);
  // Windows of the nodes seen so far, refresh-token families included (looked up a hop at a time).
  const windows = new Map<string, Window>();
  const usable = (node: GraphNode | undefined): boolean => {
    if (!node) return false;
    const [from, until] = windows.get(node.id)!;
    return from <= at && at < until;
  };
  const level = new Map<string, number>();
  const hops = new Map<string, number>();
  const dormant = new Map<string, number>();
  const startLevel = LEVEL_CODE[options.sourceLevel ?? 'admin'];
  let frontier = new Map<string, number[]>();
  const sourceNodes = await store.getNodes(sourceIds);
  const missing = sourceIds.filter((_, i) => sourceNodes[i] === undefined);
  if (missing.length > 0) throw new BlastmapError('UNKNOWN_NODE', `engine/analysis: no node with id ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`);
  await windowsThroughStore(store, sourceNodes as GraphNode[], windows);
  sourceIds.forEach((id, i) => {
    if (!usable(sourceNodes[i])) { dormant.set(id, startLevel); return; }
    if ((level.get(id) ?? 0) >= startLevel) return;
    level.set(id, startLevel);
    hops.set(id, 0);
    frontier.set(id, [startLevel]);
  });
  for (let depth = 0; frontier.size > 0 && depth < maxDepth; depth++) {
    const edges = await store.expand({ ids: [...frontier.keys()], direction: 'out', edgeKinds: kinds });
    const targets = [...new Set(edges.map((edge) => edge.to))];
    const targetNodes = new Map((await store.getNodes(targets)).map((node, i) => [targets[i]!, node]));
    await windowsThroughStore(store, [...targetNodes.values()].filter((node): node is GraphNode => node !== undefined), windows);
    const next = new Map<string, number[]>();
    for (const edge of edges) {
      if (edge.conditions?.some((c) => enforce.has(c))) continue;
      const spec = store.schema.edgeKinds[edge.kind]!;
      for (const held of frontier.get(edge.from) ?? []) {
        if (held < LEVEL_CODE[spec.requires]) continue;
        const grant = spec.grants === 'same' ? held : LEVEL_CODE[spec.grants];
        if ((level.get(edge.to) ?? 0) >= grant) continue;
        if (!usable(targetNodes.get(edge.to))) {
          dormant.set(edge.to, Math.max(dormant.get(edge.to) ?? 0, grant));
          continue;
        }
        level.set(edge.to, grant);
        hops.set(edge.to, depth + 1);
        next.set(edge.to, [...(next.get(edge.to) ?? []), grant]);
      }
    }
    frontier = next;
  }
  for (const id of level.keys()) dormant.delete(id);
  return { level, hops, dormant };
}

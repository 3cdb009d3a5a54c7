// The blast radius computed inside Neo4j: level-synchronous frontier expansion, one parameterised query per hop
// that applies the schema's level rules, edge filters and enforced conditions in the database; the (node, level)
// bookkeeping and the time rules run here on the returned rows, exactly as `reach` does on the compiled graph.
import { BlastmapError } from '../../errors.ts';
import type { GraphEdge, GraphNode } from '../../format/native.ts';
import { describeRadius, type BlastRadius } from '../../analysis/radius.ts';
import { hopsAtLeast, toInstant, type DormantReach, type ReachOptions, type ReachResult } from '../../analysis/reach.ts';
import { LEVEL_CODE } from '../../schema/index.ts';
import { activeWindow, buildGraph } from '../compact.ts';
import { renewingKinds, windowsThroughStore, type Window } from '../windows.ts';
import { edgeFromProperties, nodeFromProperties } from './codec.ts';
import { MARKERS, NODE_LABEL, relTypes } from './cypher.ts';
import { forbiddenEdgeReason, inconsistentDatabase, type Neo4jStore } from './store.ts';

/** Name of the procedure neo4j-plugin/ installs (blastmap's traversal inside the server). */
export const REACH_PROCEDURE = 'blastmap.reach';

/** Options of an in-database traversal: the reach options, but no overlay (what-if runs on the compiled graph). */
export type DatabaseReachOptions = Omit<ReachOptions, 'overlay'> & {
  /**
   * How the database runs it: `procedure` (blastmap.reach from neo4j-plugin, one call), `cypher` (one frontier
   * query per hop, any Neo4j 5), `auto` (default: the procedure when the server has it).
   */
  via?: 'auto' | 'procedure' | 'cypher';
};

export interface DatabaseReach {
  /**
   * A reach result over the witness subgraph (the nodes touched and the edges that led to them), with the same
   * levels, hops, parents and dormant entries as `reach` on the whole graph: what `describeRadius` reads.
   */
  result: ReachResult;
  /** Best level code per reached node id (sources included). */
  level: Map<string, number>;
  /** Fewest hops at which each reached node got its best level. */
  hops: Map<string, number>;
  /** Dormant node ids (reached but unusable, never reached usable) with the level they would have given. */
  dormant: Map<string, number>;
  /** Queries sent for the traversal: one per hop on the Cypher path, one on the procedure path. */
  queries: number;
  /** The path that ran. */
  via: 'procedure' | 'cypher';
}


/** Edge kinds that may extend the radius under these options, checking every named kind exists. */
function traversedKinds(store: Neo4jStore, options: DatabaseReachOptions): string[] {
  const names = Object.keys(store.schema.edgeKinds);
  const include = options.edgeKinds ? new Set(options.edgeKinds) : undefined;
  const exclude = new Set(options.excludeEdgeKinds ?? []);
  for (const name of [...(include ?? []), ...exclude]) {
    if (!names.includes(name)) throw new BlastmapError('INVALID_OPTION', `engine/analysis: unknown edge kind ${name}`, { candidates: names });
  }
  return names.filter((name) => store.schema.edgeKinds[name]!.traversable && (!include || include.has(name)) && !exclude.has(name));
}

/**
 * The frontier query. Kind names are schema literals (validated); the frontier, the level rules, the enforced
 * conditions are parameters. Of the edges that reach a target at a given level only the first (in frontier
 * order, then in the order the edges were pushed: the order `reach` visits them) can change anything, so the
 * database keeps just that one per (target, level) and returns them in that order: both stores then pick the
 * same witness edges, and a hop returns at most three rows per target instead of one per edge.
 */
function hopQuery(store: Neo4jStore, kinds: readonly string[]): string {
  return `UNWIND range(0, size($frontier) - 1) AS i
    WITH i, $frontier[i] AS f
    MATCH (a:${NODE_LABEL} {id: f.id})-[r:${relTypes(store.schema, kinds)}]->(b:${NODE_LABEL})
    WITH i, f, r, b, $rules[type(r)] AS rule
    WHERE f.level >= rule[0] AND NOT any(c IN coalesce(r.conditions, []) WHERE c IN $enforce)
    WITH i, r, b, CASE rule[1] WHEN 0 THEN f.level ELSE rule[1] END AS grant
    ORDER BY i, r.${MARKERS.seq}, r.${MARKERS.key}
    WITH b, grant, collect({i: i, r: r})[0] AS first
    RETURN first.i AS i, type(first.r) AS kind, properties(first.r) AS edge, b.id AS to, grant, properties(b) AS node
    ORDER BY first.i, first.r.${MARKERS.seq}, first.r.${MARKERS.key}`;
}

/** Everything reachable from the sources (node ids), computed hop by hop in the database. */
export async function reachInDatabase(store: Neo4jStore, sourceIds: readonly string[], options: DatabaseReachOptions = {}): Promise<DatabaseReach> {
  if ((options as ReachOptions).overlay) throw new BlastmapError('INVALID_OPTION', 'engine/store/neo4j: mitigation overlays run on the compiled graph, not in the database');
  const at = toInstant(options.at);
  const maxDepth = options.maxDepth ?? Infinity;
  if (!(maxDepth >= 0)) throw new BlastmapError('INVALID_OPTION', `engine/analysis: max depth must be 0 or more, got ${maxDepth}`);
  const kinds = traversedKinds(store, options);
  const rules: Record<string, [number, number]> = {};
  for (const kind of kinds) {
    const spec = store.schema.edgeKinds[kind]!;
    rules[kind] = [LEVEL_CODE[spec.requires], spec.grants === 'same' ? 0 : LEVEL_CODE[spec.grants]];
  }
  const enforce = [...(options.enforceConditions ?? [])];
  // Windows of the nodes seen so far, refresh-token families included (looked up a hop at a time).
  const windows = new Map<string, Window>();
  const usable = (node: GraphNode): boolean => {
    const [from, until] = windows.get(node.id) ?? activeWindow(node);
    return from <= at && at < until;
  };

  // Local node and edge numbering: only what the traversal touches is ever held here. Per node: best level;
  // per (node, level) slot: hops, parent edge and the level held on its source, as in ReachResult.
  const level: number[] = [];
  const hops: number[] = [];
  const parentEdge: number[] = [];
  const parentLevel: number[] = [];
  const order: number[] = [];
  const dormant = new Map<number, DormantReach>();
  const ids: string[] = [];
  const nodes: GraphNode[] = [];
  const local = new Map<string, number>();
  const localOf = (id: string, node: () => GraphNode): number => {
    let v = local.get(id);
    if (v === undefined) {
      v = ids.length;
      ids.push(id);
      nodes.push(node());
      local.set(id, v);
      level.push(0);
      hops.push(-1, -1, -1);
      parentEdge.push(-1, -1, -1);
      parentLevel.push(0, 0, 0);
    }
    return v;
  };
  const edges: { from: number; to: number; record: GraphEdge }[] = [];
  const edgeIndex = new Map<string, number>();
  const edgeOf = (from: number, to: number, kind: string, props: Record<string, unknown>): number => {
    const key = props[MARKERS.key] as string;
    let e = edgeIndex.get(key);
    if (e === undefined) {
      e = edges.length;
      edges.push({ from, to, record: edgeFromProperties(kind, ids[from]!, ids[to]!, props) });
      edgeIndex.set(key, e);
    }
    return e;
  };

  const startLevel = LEVEL_CODE[options.sourceLevel ?? 'admin'];
  const via = options.via === 'procedure' || options.via === 'cypher' ? options.via : (await store.hasProcedure(REACH_PROCEDURE)) ? 'procedure' : 'cypher';
  const sourceNodes = await store.getNodes(sourceIds);
  let queries = 0;
  const sources: number[] = [];
  if (via === 'procedure') {
    sourceIds.forEach((id, i) => {
      const node = sourceNodes[i];
      if (!node) throw new BlastmapError('UNKNOWN_NODE', `no node has the id "${id}" in the database`);
      sources.push(localOf(id, () => node));
    });
    const config: Record<string, unknown> = { at, startLevel, rules, enforce, renewing: renewingKinds(store.schema) };
    if (Number.isFinite(maxDepth)) config.maxDepth = maxDepth;
    const records = kinds.length > 0 || sourceIds.length > 0
      ? await store.read(`CALL ${REACH_PROCEDURE}($sources, $config) YIELD kind, id, level, hops, viaFrom, viaLevel, viaKind, viaEdge, node, windowFrom, windowUntil
          RETURN kind, id, level, hops, viaFrom, viaLevel, viaKind, viaEdge, node, windowFrom, windowUntil`, { sources: [...sourceIds], config: { ...config, rules: kinds.length > 0 ? rules : {} } })
      : [];
    queries++;
    for (const record of records) {
      const id = record.get('id') as string;
      const props = record.get('node') as Record<string, unknown> | null;
      if (props) windows.set(id, [record.get('windowFrom') as number, record.get('windowUntil') as number]);
      const v = localOf(id, () => nodeFromProperties(props!));
      const grant = record.get('level') as number;
      const from = record.get('viaFrom') as string | null;
      if (from !== null) {
        // The invariant a snapshot load checks, on every witness edge the procedure returns: an edge another tool
        // wrote between kinds its edge kind does not allow is refused, never crossed.
        const u = local.get(from)!;
        const forbidden = forbiddenEdgeReason(store.schema, record.get('viaKind') as string, from, nodes[u]!.kind, id, nodes[v]!.kind);
        if (forbidden !== undefined) throw inconsistentDatabase(store.connection.uri, forbidden);
      }
      const viaEdge = from === null ? -1 : edgeOf(local.get(from)!, v, record.get('viaKind') as string, record.get('viaEdge') as Record<string, unknown>);
      const held = record.get('viaLevel') as number;
      if (record.get('kind') === 'dormant') {
        dormant.set(v, { level: grant, hops: record.get('hops') as number, viaEdge, viaLevel: held });
        continue;
      }
      if (level[v] === 0) order.push(v);
      level[v] = grant;
      const slot = v * 3 + grant - 1;
      hops[slot] = record.get('hops') as number;
      parentEdge[slot] = viaEdge;
      parentLevel[slot] = held;
    }
  } else {
    await windowsThroughStore(store, sourceNodes.filter((node): node is GraphNode => node !== undefined), windows);
    let frontier: { v: number; level: number }[] = [];
    sourceIds.forEach((id, i) => {
      const node = sourceNodes[i];
      if (!node) throw new BlastmapError('UNKNOWN_NODE', `no node has the id "${id}" in the database`);
      const s = localOf(id, () => node);
      sources.push(s);
      if (level[s]! >= startLevel) return;
      if (!usable(node)) {
        dormant.set(s, { level: startLevel, hops: 0, viaEdge: -1, viaLevel: 0 });
        return;
      }
      if (level[s] === 0) order.push(s);
      level[s] = startLevel;
      hops[s * 3 + startLevel - 1] = 0;
      frontier.push({ v: s, level: startLevel });
    });

    const query = kinds.length > 0 ? hopQuery(store, kinds) : '';
    for (let depth = 0; frontier.length > 0 && depth < maxDepth && kinds.length > 0; depth++) {
      const records = await store.read(query, { frontier: frontier.map((f) => ({ id: ids[f.v]!, level: f.level })), rules, enforce });
      queries++;
      await windowsThroughStore(store, records.map((record) => nodeFromProperties(record.get('node'))), windows);
      const next: { v: number; level: number }[] = [];
      for (const record of records) {
        const { v: u, level: held } = frontier[record.get('i') as number]!;
        const v = localOf(record.get('to') as string, () => nodeFromProperties(record.get('node')));
        // The invariant a snapshot load checks, here on every edge the traversal follows: an edge another tool wrote
        // between kinds its edge kind does not allow is refused, never crossed.
        const forbidden = forbiddenEdgeReason(store.schema, record.get('kind') as string, ids[u]!, nodes[u]!.kind, ids[v]!, nodes[v]!.kind);
        if (forbidden !== undefined) throw inconsistentDatabase(store.connection.uri, forbidden);
        const grant = record.get('grant') as number;
        if (level[v]! >= grant) continue;
        const witness = () => edgeOf(u, v, record.get('kind') as string, record.get('edge') as Record<string, unknown>);
        if (!usable(nodes[v]!)) {
          const seen = dormant.get(v);
          if (!seen || seen.level < grant) dormant.set(v, { level: grant, hops: depth + 1, viaEdge: witness(), viaLevel: held });
          continue;
        }
        if (level[v] === 0) order.push(v);
        level[v] = grant;
        const slot = v * 3 + grant - 1;
        hops[slot] = depth + 1;
        parentEdge[slot] = witness();
        parentLevel[slot] = held;
        next.push({ v, level: grant });
      }
      frontier = next;
    }
  }

  const renewed = await mintersInStore(store, at, { ids, nodes, level, local, windows, localOf, usable });

  // The witness subgraph: the touched nodes and the edges that led somewhere, as the hops returned them.
  // A view of what the traversal touched: derived edges stay as the database holds them (nothing is derived again).
  const graph = buildGraph({ nodes, edges: edges.map((edge) => edge.record) }, store.schema, { derive: false });
  nodes.forEach((node, v) => {
    const window = windows.get(node.id);
    if (window) [graph.activeFrom[v], graph.activeUntil[v]] = window;
  });
  // buildGraph orders edges by source (stably): translate our edge numbers to its positions.
  const position = new Int32Array(edges.length);
  const seenPerSource = new Map<number, number>();
  edges.forEach((edge, e) => {
    const rank = seenPerSource.get(edge.from) ?? 0;
    seenPerSource.set(edge.from, rank + 1);
    position[e] = graph.fwdOffsets[edge.from]! + rank;
  });
  const moved = (e: number): number => (e < 0 ? e : position[e]!);

  const result: ReachResult = {
    graph,
    sources,
    at,
    level: Uint8Array.from(level),
    hops: Int32Array.from(hops),
    parentEdge: Int32Array.from(parentEdge, moved),
    parentLevel: Uint8Array.from(parentLevel),
    order,
    dormant: new Map([...dormant].map(([v, info]) => [v, { ...info, viaEdge: moved(info.viaEdge) }])),
    renewedBy: renewed,
  };
  const levelById = new Map<string, number>();
  const hopsById = new Map<string, number>();
  const dormantById = new Map<string, number>();
  for (const v of order) {
    levelById.set(ids[v]!, level[v]!);
    hopsById.set(ids[v]!, hopsAtLeast(result, v, level[v]!));
  }
  for (const [v, info] of dormant) if (level[v] === 0) dormantById.set(ids[v]!, info.level);
  return { result, level: levelById, hops: hopsById, dormant: dormantById, queries, via };
}

/**
 * The credential that keeps each reached node usable although its own window has closed (an access token past its
 * expiry whose refresh token is live): what `renewedBy` finds on the whole compiled graph, the first live minter in
 * the graph's order of the node's incoming minting edges. The witness subgraph holds only the edges that led
 * somewhere, and a minting edge into a token reached another way led nowhere, so the minters are asked of the
 * database here (one query, and only when such a token was reached). Each minter joins the subgraph as a node.
 */
async function mintersInStore(
  store: Neo4jStore,
  at: number,
  touched: {
    ids: readonly string[]; nodes: readonly GraphNode[]; level: readonly number[]; local: ReadonlyMap<string, number>;
    windows: Map<string, Window>; localOf: (id: string, node: () => GraphNode) => number;
    /** Live at `at` through its refresh-token family (its window in `windows`). */
    usable: (node: GraphNode) => boolean;
  },
): Promise<Map<number, number>> {
  const { ids, nodes, level, local, windows, localOf, usable } = touched;
  const kept: number[] = [];
  for (let v = 0; v < ids.length; v++) {
    if (level[v] === 0) continue;
    const [from, until] = activeWindow(nodes[v]!);
    if (!(from <= at && at < until) && usable(nodes[v]!)) kept.push(v);
  }
  const renewed = new Map<number, number>();
  const kinds = renewingKinds(store.schema);
  if (kept.length === 0 || kinds.length === 0) return renewed;
  // In-edges come back per asked node in the graph's order: the order `renewedBy` reads them on the compiled graph.
  const edges = await store.expand({ ids: kept.map((v) => ids[v]!), direction: 'in', edgeKinds: kinds });
  // Minters the traversal did not touch (windowsThroughStore may know their window, not their record).
  const unknown = [...new Set(edges.map((edge) => edge.from))].filter((id) => !local.has(id));
  const fetched = (await store.getNodes(unknown)).filter((node): node is GraphNode => node !== undefined);
  await windowsThroughStore(store, fetched, windows);
  const byId = new Map(fetched.map((node) => [node.id, node]));
  const open = new Map(kept.map((v) => [ids[v]!, v]));
  for (const edge of edges) {
    const v = open.get(edge.to);
    const minter = byId.get(edge.from) ?? nodes[local.get(edge.from)!];
    if (v === undefined || minter === undefined || !usable(minter)) continue;
    open.delete(edge.to);
    renewed.set(v, localOf(edge.from, () => minter));
  }
  return renewed;
}

/** The blast radius report, computed in the database: the same value `blastRadius` gives on the compiled graph. */
export async function radiusInDatabase(store: Neo4jStore, sourceIds: readonly string[], options: DatabaseReachOptions = {}): Promise<BlastRadius> {
  return describeRadius((await reachInDatabase(store, sourceIds, options)).result, options);
}

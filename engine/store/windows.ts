// Usable windows of nodes read through a GraphStore, refresh-token families included: what compileColumns
// computes for a compiled graph (renewMintedWindows), for traversals that run hop by hop in a database.
import type { GraphNode } from '../format/native.ts';
import type { Schema } from '../schema/index.ts';
import { activeWindow, type CompactGraph } from './compact.ts';
import type { GraphStore } from './types.ts';

export type Window = [from: number, until: number];

/** Edge kinds whose target lives as long as their source (MINTS). */
export function renewingKinds(schema: Schema): string[] {
  return Object.entries(schema.edgeKinds).filter(([, spec]) => spec.renews === true).map(([name]) => name);
}

/** Chains longer than this (grant → refresh token → access token is two) are not followed further. */
const MAX_CHAIN = 8;

/**
 * The windows of these nodes, each extended through the credentials that mint it, exactly as the compiled
 * graph extends them: a minted node not revoked or disabled lives until the later of its own end and its
 * minter's, when the two windows touch. `cache` carries windows already known across calls (one traversal).
 */
export async function windowsThroughStore(store: GraphStore, nodes: readonly GraphNode[], cache: Map<string, Window> = new Map()): Promise<Map<string, Window>> {
  const kinds = renewingKinds(store.schema);
  const resolve = async (batch: readonly GraphNode[], depth: number): Promise<void> => {
    const open: GraphNode[] = [];
    for (const node of batch) {
      if (cache.has(node.id)) continue;
      const own = activeWindow(node);
      cache.set(node.id, own);
      if (kinds.length > 0 && depth < MAX_CHAIN && node.revoked !== true && node.enabled !== false && own[1] < Infinity) open.push(node);
    }
    if (open.length === 0) return;
    const edges = await store.expand({ ids: open.map((node) => node.id), direction: 'in', edgeKinds: kinds });
    if (edges.length === 0) return;
    const minterIds = [...new Set(edges.map((edge) => edge.from))].filter((id) => !cache.has(id));
    const minters = (await store.getNodes(minterIds)).filter((node): node is GraphNode => node !== undefined);
    await resolve(minters, depth + 1);
    // The same passes as the compiled graph: repeat until no window grows.
    for (let changed = true, pass = 0; changed && pass <= edges.length; pass++) {
      changed = false;
      for (const edge of edges) {
        const minter = cache.get(edge.from);
        const minted = cache.get(edge.to);
        if (!minter || !minted) continue;
        if (minter[0] <= minted[1] && minter[1] > minted[1]) {
          minted[1] = minter[1];
          changed = true;
        }
      }
    }
  };
  await resolve(nodes, 0);
  return cache;
}

/**
 * The credential that keeps node v usable at `at` although v's own window has closed (an access token past
 * its expiry whose refresh token is still live), or undefined when v lives on its own (or not at all).
 */
export function renewedBy(graph: CompactGraph, v: number, at: number): number | undefined {
  const { minted, renewing } = familiesOf(graph);
  // Most graphs have no family, and a radius asks for every reached node: answer those without parsing dates.
  if (minted[v] === 0) return undefined;
  const [from, until] = activeWindow(graph.nodes[v]!);
  if (from <= at && at < until) return undefined;
  if (!(graph.activeFrom[v]! <= at && at < graph.activeUntil[v]!)) return undefined;
  for (let r = graph.revOffsets[v]!; r < graph.revOffsets[v + 1]!; r++) {
    const e = graph.revEdges[r]!;
    if (renewing[graph.edgeKind[e]!] !== 1) continue;
    const u = graph.edgeSrc[e]!;
    if (graph.activeFrom[u]! <= at && at < graph.activeUntil[u]!) return u;
  }
  return undefined;
}

/** Per graph: which edge kinds renew (by code) and which nodes something mints, found once. */
const families = new WeakMap<CompactGraph, { minted: Uint8Array; renewing: Uint8Array }>();

function familiesOf(graph: CompactGraph): { minted: Uint8Array; renewing: Uint8Array } {
  let known = families.get(graph);
  if (!known) {
    const renewing = Uint8Array.from(graph.edgeKindNames, (name) => (graph.schema.edgeKinds[name]?.renews === true ? 1 : 0));
    const minted = new Uint8Array(graph.nodeCount);
    if (renewing.includes(1)) for (let e = 0; e < graph.edgeCount; e++) if (renewing[graph.edgeKind[e]!] === 1) minted[graph.edgeDst[e]!] = 1;
    known = { minted, renewing };
    families.set(graph, known);
  }
  return known;
}

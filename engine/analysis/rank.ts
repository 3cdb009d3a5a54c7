// Ranking: the blast radius of every App (or Credential) in the graph, riskiest first.
import type { CompactGraph } from '../store/compact.ts';
import { checkNodeKinds } from './exposure.ts';
import { reach, toInstant, type ReachOptions } from './reach.ts';
import { scoreOrder } from './score.ts';

export interface RankEntry {
  index: number;
  id: string;
  name: string;
  kind: string;
  platform: string;
  score: number;
  reached: number;
  crownJewels: number;
  /** Platforms reached other than the node's own. */
  lateralPlatforms: number;
  /** False when the node itself cannot be used at the instant (revoked, expired, disabled): it reaches nothing. */
  usable: boolean;
}

export interface RankOptions extends ReachOptions {
  /** Node kinds to rank (default App). */
  kinds?: readonly string[];
  top?: number;
  /** Called after each node is scored, for progress bars. */
  onProgress?: (done: number, total: number) => void;
}

export function rankNodes(graph: CompactGraph, options: RankOptions = {}): RankEntry[] {
  const kinds = new Set(options.kinds ?? ['App']);
  checkNodeKinds(graph, [...kinds]);
  const candidates: number[] = [];
  for (let v = 0; v < graph.nodeCount; v++) if (kinds.has(graph.nodes[v]!.kind)) candidates.push(v);
  const entries: RankEntry[] = [];
  candidates.forEach((v, i) => {
    const result = reach(graph, [v], options);
    const node = graph.nodes[v]!;
    let crownJewels = 0;
    const platforms = new Set<string>();
    for (const u of result.order) {
      if (u === v) continue;
      const reachedNode = graph.nodes[u]!;
      if (reachedNode.tags?.includes('crown-jewel')) crownJewels++;
      if (reachedNode.platform !== node.platform) platforms.add(reachedNode.platform);
    }
    entries.push({
      index: v, id: node.id, name: node.name, kind: node.kind, platform: node.platform,
      score: scoreOrder(graph, result.level, result.order, [v]),
      reached: result.order.length - (result.level[v] ? 1 : 0),
      crownJewels, lateralPlatforms: platforms.size,
      usable: result.level[v]! > 0,
    });
    options.onProgress?.(i + 1, candidates.length);
  });
  entries.sort((a, b) => b.score - a.score || b.crownJewels - a.crownJewels || a.id.localeCompare(b.id));
  return options.top !== undefined ? entries.slice(0, options.top) : entries;
}

/** A ranking as a report value: what was ranked, under which options, and the entries. */
export interface Ranking {
  at: string;
  maxDepth: number | null;
  kinds: string[];
  /** Nodes of those kinds in the graph (entries holds at most `top` of them). */
  rankedCount: number;
  entries: RankEntry[];
}

export function rankGraph(graph: CompactGraph, options: RankOptions = {}): Ranking {
  const at = toInstant(options.at);
  const kinds = [...(options.kinds ?? ['App'])];
  const wanted = new Set(kinds);
  let rankedCount = 0;
  for (const node of graph.nodes) if (wanted.has(node.kind)) rankedCount++;
  const entries = rankNodes(graph, { ...options, at, kinds });
  return { at: new Date(at).toISOString(), maxDepth: options.maxDepth ?? null, kinds, rankedCount, entries };
}

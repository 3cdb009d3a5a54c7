// Ranking: the blast radius of every App (or Credential) in the graph, riskiest first.
import type { CompactGraph } from '../store/compact.ts';
import { reach, type ReachOptions } from './reach.ts';
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
    });
    options.onProgress?.(i + 1, candidates.length);
  });
  entries.sort((a, b) => b.score - a.score || b.crownJewels - a.crownJewels || a.id.localeCompare(b.id));
  return options.top !== undefined ? entries.slice(0, options.top) : entries;
}

// Ranking: the blast radius of every App (or Credential) in the graph, riskiest first.
import type { CompactGraph } from '../store/compact.ts';
import { checkNodeKinds } from './exposure.ts';
import { summarizeSources } from './closure.ts';
import { toInstant, type ReachOptions } from './reach.ts';

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
  // One reach per candidate, or shared closures when that is provably the same (engine/analysis/closure.ts).
  const summaries = summarizeSources(graph, candidates, options, { onProgress: options.onProgress });
  const entries: RankEntry[] = candidates.map((v, i) => {
    const node = graph.nodes[v]!;
    return { index: v, id: node.id, name: node.name, kind: node.kind, platform: node.platform, ...summaries[i]! };
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

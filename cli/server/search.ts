// Search suggestions for the web UI: every word typed must match a node's name, id, kind or platform;
// exact and prefix name matches rank first. Pure, over a lower-cased index built once per graph.
import type { SearchResult } from '../../engine/api/schemas.ts';
import { nodeRef } from '../../engine/analysis/radius.ts';
import { identifierFingerprints } from '../../engine/identifiers.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';

interface SearchIndex {
  names: string[];
  ids: string[];
  kinds: string[];
  platforms: string[];
}

const indexes = new WeakMap<CompactGraph, SearchIndex>();

function searchIndex(graph: CompactGraph): SearchIndex {
  let index = indexes.get(graph);
  if (!index) {
    index = {
      names: graph.nodes.map((node) => node.name.toLowerCase()),
      ids: graph.nodes.map((node) => node.id.toLowerCase()),
      kinds: graph.nodes.map((node) => node.kind.toLowerCase()),
      platforms: graph.nodes.map((node) => node.platform.toLowerCase()),
    };
    indexes.set(graph, index);
  }
  return index;
}

/** Lower rank is better: name exact, name prefix, name contains, id contains, kind or platform only. */
function rankOf(index: SearchIndex, v: number, words: readonly string[], phrase: string): { rank: number; match: SearchResult['match'] } | undefined {
  const name = index.names[v]!;
  const id = index.ids[v]!;
  const kind = index.kinds[v]!;
  const platform = index.platforms[v]!;
  for (const word of words) {
    if (!name.includes(word) && !id.includes(word) && kind !== word && !platform.startsWith(word)) return undefined;
  }
  if (name === phrase || id === phrase) return { rank: 0, match: name === phrase ? 'name' : 'id' };
  if (name.startsWith(phrase)) return { rank: 1, match: 'name' };
  if (name.includes(phrase)) return { rank: 2, match: 'name' };
  if (words.every((word) => name.includes(word))) return { rank: 3, match: 'name' };
  if (id.includes(phrase)) return { rank: 4, match: 'id' };
  if (words.some((word) => name.includes(word))) return { rank: 5, match: 'name' };
  if (words.some((word) => id.includes(word))) return { rank: 6, match: 'id' };
  return { rank: 7, match: words.some((word) => kind === word) ? 'kind' : 'platform' };
}

export function searchNodes(graph: CompactGraph, query: string, limit = 12): SearchResult[] {
  const phrase = query.trim().toLowerCase().replace(/\s+/g, ' ');
  if (phrase === '') return [];
  const words = phrase.split(' ');
  const index = searchIndex(graph);
  const hits: [rank: number, v: number, match: SearchResult['match']][] = [];
  // A credential identifier (an AWS access key id, a fingerprint) finds its credential first, as an id would.
  const fingerprints = identifierFingerprints(query);
  for (let v = 0; v < graph.nodeCount; v++) {
    const fingerprint = graph.nodes[v]!.fingerprint;
    if (fingerprint !== undefined && fingerprints.includes(fingerprint)) { hits.push([0, v, 'id']); continue; }
    const hit = rankOf(index, v, words, phrase);
    if (hit) hits.push([hit.rank, v, hit.match]);
  }
  hits.sort((a, b) => a[0] - b[0] || index.names[a[1]]!.length - index.names[b[1]]!.length || (index.ids[a[1]]! < index.ids[b[1]]! ? -1 : 1));
  return hits.slice(0, limit).map(([, v, match]) => ({ ...nodeRef(graph, v), match }));
}

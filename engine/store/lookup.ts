// Resolving what a user typed (an id or an exact name) to a node, with helpful candidates on failure.
import { BlastmapError } from '../errors.ts';
import { identifierFingerprints } from '../identifiers.ts';
import type { CompactGraph } from './compact.ts';

/** Bounded Levenshtein distance: anything above `limit` is reported as limit + 1. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}

const describe = (graph: CompactGraph, v: number): string => {
  const node = graph.nodes[v]!;
  return `${node.id} (${node.kind} "${node.name}" on ${node.platform})`;
};

/** The closest node ids and names to `text`, best first. */
export function closestNodes(graph: CompactGraph, text: string, limit = 5): number[] {
  const needle = text.toLowerCase();
  const scored: [number, number][] = [];
  for (let v = 0; v < graph.nodeCount; v++) {
    const node = graph.nodes[v]!;
    const name = node.name.toLowerCase();
    const id = node.id.toLowerCase();
    let score: number;
    if (name.includes(needle) || id.includes(needle)) score = 0 + Math.abs(name.length - needle.length) / 1000;
    else if (needle.includes(name) && name.length >= 3) score = 1;
    else {
      const d = Math.min(editDistance(needle, name, 4), editDistance(needle, id.slice(id.lastIndexOf(':') + 1), 4));
      if (d > 4) continue;
      score = 2 + d;
    }
    scored.push([score, v]);
  }
  scored.sort((a, b) => a[0] - b[0] || graph.nodes[a[1]]!.id.localeCompare(graph.nodes[b[1]]!.id));
  // When something contains the text, fuzzy matches are noise.
  const strong = scored.filter(([score]) => score < 2);
  return (strong.length > 0 ? strong : scored).slice(0, limit).map(([, v]) => v);
}

/**
 * Resolves a node reference: an exact id, else a credential identifier (an AWS access key id or a fingerprint,
 * matched against each credential's fingerprint), else an exact name (case-insensitive). Unknown or ambiguous
 * references throw a BlastmapError whose `candidates` list the closest nodes.
 */
export function resolveNode(graph: CompactGraph, reference: string): number {
  const byId = graph.indexOf.get(reference);
  if (byId !== undefined) return byId;
  const fingerprints = identifierFingerprints(reference);
  const byIdentifier: number[] = [];
  for (let v = 0; v < graph.nodeCount; v++) {
    const fingerprint = graph.nodes[v]!.fingerprint;
    if (fingerprint !== undefined && fingerprints.includes(fingerprint)) byIdentifier.push(v);
  }
  if (byIdentifier.length === 1) return byIdentifier[0]!;
  const wanted = reference.toLowerCase();
  const byName: number[] = [];
  for (let v = 0; v < graph.nodeCount; v++) if (graph.nodes[v]!.name.toLowerCase() === wanted) byName.push(v);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    throw new BlastmapError('AMBIGUOUS_NODE', `"${reference}" names ${byName.length} nodes; use an id`, { candidates: byName.map((v) => describe(graph, v)) });
  }
  throw new BlastmapError('UNKNOWN_NODE', `no node has the id or name "${reference}"`, { candidates: closestNodes(graph, reference).map((v) => describe(graph, v)) });
}

// Resolving what a user typed (an id or an exact name) to a node of any GraphStore, with the closest nodes as
// candidates on failure: the store-side twin of store/lookup.ts for graphs that are not held in memory.
import { BlastmapError } from '../../errors.ts';
import type { GraphNode } from '../../format/native.ts';
import { identifiesCredential } from '../../identifiers.ts';
import type { GraphStore } from '../types.ts';

const describe = (node: GraphNode): string => `${node.id} (${node.kind} "${node.name}" on ${node.platform})`;

/** The id of the node whose id is `reference`, else whose name is `reference` (case-insensitive). */
export async function resolveStoreNode(store: GraphStore, reference: string): Promise<string> {
  const [byId] = await store.getNodes([reference]);
  if (byId) return byId.id;
  const wanted = reference.toLowerCase();
  const byIdentifier = (await store.findNodes({ kind: 'Credential' })).filter((node) => identifiesCredential(node.fingerprint, reference));
  if (byIdentifier.length === 1) return byIdentifier[0]!.id;
  const containing = await store.findNodes({ text: reference });
  const byName = containing.filter((node) => node.name.toLowerCase() === wanted);
  if (byName.length === 1) return byName[0]!.id;
  if (byName.length > 1) {
    throw new BlastmapError('AMBIGUOUS_NODE', `"${reference}" names ${byName.length} nodes; use an id`, { candidates: byName.map(describe) });
  }
  const closest = [...containing].sort((a, b) => a.name.length - b.name.length || a.id.localeCompare(b.id)).slice(0, 5);
  throw new BlastmapError('UNKNOWN_NODE', `no node has the id or name "${reference}"`, { candidates: closest.map(describe) });
}

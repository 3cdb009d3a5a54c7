// Resolving the NodeRefs of logged events to graph nodes: by node id, credential identifier (an access key id's
// fingerprint, a hint), the platform's own id inside the node id, nativeId, a known identifier property (arn, appId, clientId ...), e-mail, name. A ref whose
// ids match no node, or more than one, stays unresolved and is counted: a guess would put evidence on the wrong node.
import { identifierFingerprints } from '../identifiers.ts';
import type { CompactGraph } from '../store/compact.ts';
import { refAt, type ObservationStore } from './store.ts';
import type { NodeRef } from './types.ts';

/** Node properties that hold a platform's own identifier of the node, matched exactly. */
export const IDENTIFIER_PROPERTIES: readonly string[] = [
  'arn', 'userName', 'appId', 'clientId', 'objectId', 'principalId', 'servicePrincipalId', 'keyId', 'tokenId', 'accountId', 'login', 'userPrincipalName', 'sysId',
  'connectedAppId', 'credentialId',
];

/**
 * The platform's own id inside a graph id (`<platform>:<tenant>:<kind>:<local>`): the part after the last `:`. Logs
 * name objects by it (a Salesforce connected app's 0H4…, an Okta token's id), and the export importers keep some of
 * them only in the node id. Not the part after a `/`: a grant's id ends with its user's e-mail, which would make
 * the user's own e-mail name two nodes.
 */
export function localIds(id: string): string[] {
  const colon = id.lastIndexOf(':');
  return colon < 0 || colon === id.length - 1 || id.indexOf('/', colon) >= 0 ? [] : [id.slice(colon + 1)];
}

const IDENTIFIER_KEYS: ReadonlySet<string> = new Set(IDENTIFIER_PROPERTIES);

export interface UnresolvedRef {
  ref: NodeRef;
  /** Events in the store that name it as actor or target. */
  events: number;
  why: 'no-match' | 'ambiguous';
  /** Ambiguous: how many nodes its best id matched. */
  candidates?: number;
}

export interface Resolution {
  /** Per store ref: the node its most specific resolvable id names, -1 when none. */
  readonly node: Int32Array;
  /** Per store ref: every distinct node its ids name one each (primary first); empty when unresolved. */
  readonly nodes: readonly (readonly number[])[];
  readonly unresolved: UnresolvedRef[];
  /** Events whose actor resolved, and events whose actor did not. */
  readonly resolvedEvents: number;
  readonly unresolvedEvents: number;
}

const fold = (text: string): string => text.toLowerCase();

/** The shortest id that may pick a candidate by appearing in its node id (shorter ones match by accident). */
export const MIN_NAMING = 6;

/**
 * Resolves every ref of the store against the graph. One pass over the nodes of the platforms the refs name,
 * looking each candidate key up in the set of wanted ids: memory stays in proportion to the refs, not the graph.
 */
export function resolveStore(graph: CompactGraph, store: ObservationStore): Resolution {
  const refs = store.refs.map((_, r) => refAt(store, r));
  const platforms = new Set(refs.map((ref) => ref.platform));
  // Wanted keys: exact (ids, fingerprints) and case-folded (e-mail, name).
  const exactWanted = new Set<string>();
  const foldedWanted = new Set<string>();
  for (const ref of refs) {
    for (const id of ref.ids) {
      for (const key of identifierFingerprints(id)) exactWanted.add(key);
      foldedWanted.add(fold(id));
    }
  }
  // Case folding allocates a string: only names and e-mails as long as some wanted id are folded (a million nodes).
  const foldedLengths = new Set([...foldedWanted].map((key) => key.length));
  const exact = new Map<string, number[]>();
  const folded = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, key: string, v: number): void => {
    const list = map.get(key);
    if (!list) map.set(key, [v]);
    else if (list[list.length - 1] !== v) list.push(v);
  };
  for (let v = 0; v < graph.nodeCount; v++) {
    const node = graph.nodes[v]!;
    if (!platforms.has(node.platform)) continue;
    if (exactWanted.has(node.id)) add(exact, node.id, v);
    for (const local of localIds(node.id)) if (exactWanted.has(local)) add(exact, local, v);
    if (node.fingerprint !== undefined && exactWanted.has(node.fingerprint)) add(exact, node.fingerprint, v);
    if (node.hint !== undefined && exactWanted.has(node.hint)) add(exact, node.hint, v);
    if (node.nativeId !== undefined && exactWanted.has(node.nativeId)) add(exact, node.nativeId, v);
    const properties = node.properties;
    if (properties) {
      // A node's properties are a few keys: walking them beats asking for each identifier key.
      for (const key in properties) {
        if (!IDENTIFIER_KEYS.has(key)) continue;
        const value = properties[key];
        if (typeof value === 'string' && exactWanted.has(value)) add(exact, value, v);
      }
    }
    if (node.email !== undefined && foldedLengths.has(node.email.length) && foldedWanted.has(fold(node.email))) add(folded, fold(node.email), v);
    if (foldedLengths.has(node.name.length) && foldedWanted.has(fold(node.name))) add(folded, fold(node.name), v);
  }
  const eventsOfRef = new Uint32Array(refs.length);
  for (let i = 0; i < store.count; i++) {
    eventsOfRef[store.actor[i]!]!++;
    if (store.target[i]! >= 0) eventsOfRef[store.target[i]!]!++;
  }
  const node = new Int32Array(refs.length).fill(-1);
  const nodes: number[][] = [];
  const unresolved: UnresolvedRef[] = [];
  refs.forEach((ref, r) => {
    const found: number[] = [];
    let ambiguous = 0;
    for (const id of ref.ids) {
      const candidates = new Set<number>();
      for (const key of identifierFingerprints(id)) for (const v of exact.get(key) ?? []) candidates.add(v);
      for (const v of folded.get(fold(id)) ?? []) candidates.add(v);
      let list = [...candidates].filter((v) => graph.nodes[v]!.platform === ref.platform);
      if (list.length > 1 && ref.tenant !== undefined) {
        const tenant = fold(ref.tenant);
        const sameTenant = list.filter((v) => fold(graph.nodes[v]!.tenant) === tenant);
        if (sameTenant.length > 0) list = sameTenant;
      }
      if (list.length > 1) {
        // The ref's other ids pick one: a Google token event names the client id (the app and every user's grant
        // share it) and the user, and exactly one candidate's id names that user (the grant).
        const named = list.filter((v) => ref.ids.some((other) => other !== id && other.length >= MIN_NAMING && graph.nodes[v]!.id.includes(other)));
        if (named.length === 1) list = named;
      }
      if (list.length === 1) {
        if (!found.includes(list[0]!)) found.push(list[0]!);
      } else if (list.length > 1 && ambiguous === 0) ambiguous = list.length;
    }
    nodes.push(found);
    if (found.length > 0) node[r] = found[0]!;
    else unresolved.push({ ref, events: eventsOfRef[r]!, why: ambiguous > 0 ? 'ambiguous' : 'no-match', ...(ambiguous > 0 ? { candidates: ambiguous } : {}) });
  });
  unresolved.sort((a, b) => b.events - a.events || JSON.stringify(a.ref).localeCompare(JSON.stringify(b.ref)));
  let resolvedEvents = 0;
  for (let i = 0; i < store.count; i++) if (node[store.actor[i]!]! >= 0) resolvedEvents++;
  return { node, nodes, unresolved, resolvedEvents, unresolvedEvents: store.count - resolvedEvents };
}

/** The refs whose primary node is each node: every name a node's events use, for its history. */
export function refsByNode(resolution: Resolution): Map<number, number[]> {
  const refsOf = new Map<number, number[]>();
  resolution.node.forEach((v, r) => {
    if (v < 0) return;
    const list = refsOf.get(v);
    if (list) list.push(r);
    else refsOf.set(v, [r]);
  });
  return refsOf;
}

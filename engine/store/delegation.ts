// Scoped delegation, decided once when a graph is compiled: an edge that acts as a principal but carries
// restricting scopes becomes DELEGATED_AS (not traversable), and its authority becomes derived CAN_* edges to
// exactly what the scopes allow, intersected with what the principal itself can do. Traversals stay unaware.
import { edgeId, type GraphNode } from '../format/native.ts';
import { DEFAULT_DELEGATION_CATALOG, coversNode, type DelegationCatalog } from '../schema/delegation.ts';
import { LEVEL_CODE, levelName, type Schema } from '../schema/index.ts';
import type { EdgeAttrs } from './compact.ts';

/** The kind a restricted delegation is stored as. */
export const SCOPED_DELEGATION_KIND = 'DELEGATED_AS';
/** Authority edges derived from a delegation, by level code. */
const AUTHORITY_KINDS = ['', 'CAN_READ', 'CAN_WRITE', 'CAN_ADMIN'] as const;
/**
 * What a principal "itself can do" for the intersection: its memberships and roles, their direct authority,
 * and the parts of what that reaches. Not its credentials or takeovers: a delegation limited to
 * drive.readonly cannot use the keys in the user's keychain, though it can read a key pasted in the Drive
 * (the traversal follows that from the derived edge).
 */
const OWN_AUTHORITY_KINDS = ['MEMBER_OF', 'HAS_ROLE', 'CAN_READ', 'CAN_WRITE', 'CAN_ADMIN', 'CONTAINS'] as const;
/** Chains of scoped delegations (A as B as C) settle in a few rounds; this bounds a pathological input. */
const MAX_ROUNDS = 8;

export interface EdgeColumns {
  edgeSrc: Uint32Array;
  edgeDst: Uint32Array;
  edgeKind: Uint8Array;
  edgeAttrs: (EdgeAttrs | undefined)[];
}

interface Delegation {
  edge: number;
  from: number;
  to: number;
  /** Per scope: level code and the catalogue's resource names. */
  allows: { scope: string; level: number; resourceTypes: readonly string[] }[];
  attrs: EdgeAttrs | undefined;
  id: string;
}

/**
 * Rewrites scoped delegations in a graph's edge columns. Returns the columns unchanged (the same object)
 * when the graph has none, so the common case costs one pass over the edge kinds.
 */
export function deriveScopedDelegations(schema: Schema, nodes: readonly GraphNode[], columns: EdgeColumns, catalog: DelegationCatalog = DEFAULT_DELEGATION_CATALOG): EdgeColumns {
  const kindNames = Object.keys(schema.edgeKinds);
  const codeOf = (name: string): number => kindNames.indexOf(name);
  const scopedCode = codeOf(SCOPED_DELEGATION_KIND);
  const authorityCodes = AUTHORITY_KINDS.map((name) => (name === '' ? -1 : codeOf(name)));
  if (scopedCode < 0 || authorityCodes.slice(1).some((code) => code < 0)) return columns;
  const delegating = new Uint8Array(kindNames.length);
  kindNames.forEach((name, code) => { if (schema.edgeKinds[name]!.delegates === true) delegating[code] = 1; });

  const { edgeSrc, edgeDst, edgeKind, edgeAttrs } = columns;
  const m = edgeSrc.length;
  const delegations: Delegation[] = [];
  const renamed = new Map<number, number>();
  let staleDerived = 0;
  // 1 for edges derived by an earlier compile (dropped and derived again): a byte per edge, not a list of the rest.
  const stale = new Uint8Array(m);
  for (let e = 0; e < m; e++) {
    const code = edgeKind[e]!;
    const attrs = edgeAttrs[e];
    if (attrs?.derivedFrom !== undefined) {
      staleDerived++;
      stale[e] = 1;
      continue;
    }
    if (delegating[code] === 0) continue;
    const scopes = attrs?.scopes;
    const target = nodes[edgeDst[e]!]!;
    // A delegation with no scopes is the whole principal, unless it was written as DELEGATED_AS (then it allows nothing).
    if (!scopes || scopes.length === 0) {
      if (code === scopedCode) delegations.push(delegation(e, [], attrs));
      continue;
    }
    const allows: Delegation['allows'] = [];
    let restricting = true;
    for (const scope of scopes) {
      const restriction = catalog.restriction(target.platform, scope);
      if (restriction.kind === 'full') {
        restricting = false;
        break;
      }
      allows.push({ scope, level: LEVEL_CODE[restriction.level], resourceTypes: restriction.resourceTypes });
    }
    // DELEGATED_AS written with a scope no catalogue restricts keeps the conservative reading: the whole principal.
    if (!restricting) {
      if (code === scopedCode) delegations.push(delegation(e, scopes.map((scope) => ({ scope, level: 3, resourceTypes: ['*'] })), attrs));
      continue;
    }
    if (code !== scopedCode) renamed.set(e, code);
    delegations.push(delegation(e, allows, attrs));
  }
  if (delegations.length === 0 && staleDerived === 0) return columns;

  function delegation(e: number, allows: Delegation['allows'], attrs: EdgeAttrs | undefined): Delegation {
    const from = edgeSrc[e]!;
    const to = edgeDst[e]!;
    const id = attrs?.id ?? edgeId({ kind: SCOPED_DELEGATION_KIND, from: nodes[from]!.id, to: nodes[to]!.id, grant: attrs?.grant });
    return { edge: e, from, to, allows, attrs, id };
  }

  // The base edges: everything but stale derived edges, with scoped delegations renamed.
  const keptCount = m - staleDerived;
  const ownKinds = new Uint8Array(kindNames.length);
  for (const name of OWN_AUTHORITY_KINDS) { const code = codeOf(name); if (code >= 0) ownKinds[code] = 1; }
  const requires = kindNames.map((name) => LEVEL_CODE[schema.edgeKinds[name]!.requires]);
  const grants = kindNames.map((name) => { const g = schema.edgeKinds[name]!.grants; return g === 'same' ? 0 : LEVEL_CODE[g]; });

  // Forward adjacency of the own-authority edges among the base edges.
  const n = nodes.length;
  const base = ownAdjacency(n, stale, edgeSrc, edgeDst, edgeKind, ownKinds);
  let derived = new Map<string, DerivedEdge>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const extra = adjacencyOfDerived(derived, authorityCodes);
    const closures = new Map<number, Map<number, number>>();
    const next = new Map<string, DerivedEdge>();
    for (const d of delegations) {
      let closure = closures.get(d.to);
      if (!closure) {
        closure = ownAuthority(d.to, base, extra, requires, grants);
        closures.set(d.to, closure);
      }
      for (const [r, held] of closure) {
        const node = nodes[r]!;
        if (node.platform !== nodes[d.to]!.platform && !d.allows.some((a) => a.resourceTypes.includes('*'))) continue;
        let level = 0;
        const scopes: string[] = [];
        for (const allow of d.allows) {
          if (!allow.resourceTypes.some((type) => type === '*' || coversNode(type, node))) continue;
          const granted = Math.min(held, allow.level);
          if (granted > level) level = granted;
          scopes.push(allow.scope);
        }
        if (level === 0) continue;
        const key = `${d.from}|${r}|${level}|${d.id}`;
        if (!next.has(key)) next.set(key, { from: d.from, to: r, level, scopes: [...new Set(scopes)].sort(), delegation: d });
      }
    }
    const stable = next.size === derived.size && [...next.keys()].every((key) => derived.has(key));
    derived = next;
    if (stable) break;
  }

  const out = keptCount + derived.size;
  const outSrc = new Uint32Array(out);
  const outDst = new Uint32Array(out);
  const outKind = new Uint8Array(out);
  // Without stale edges the properties are copied whole (a copy of the array, not an element at a time: 8M at 1M nodes).
  const outAttrs: (EdgeAttrs | undefined)[] = staleDerived === 0 ? edgeAttrs.slice(0, m) : new Array(out);
  let k = 0;
  if (staleDerived === 0) {
    outSrc.set(edgeSrc);
    outDst.set(edgeDst);
    outKind.set(edgeKind);
    for (const e of renamed.keys()) outKind[e] = scopedCode;
    k = m;
  } else {
    for (let e = 0; e < m; e++) {
      if (stale[e] === 1) continue;
      outSrc[k] = edgeSrc[e]!;
      outDst[k] = edgeDst[e]!;
      outKind[k] = renamed.has(e) ? scopedCode : edgeKind[e]!;
      outAttrs[k] = edgeAttrs[e];
      k++;
    }
  }
  for (const edge of [...derived.values()].sort((a, b) => a.from - b.from || a.to - b.to || a.level - b.level)) {
    const d = edge.delegation;
    const principal = nodes[d.to]!;
    outSrc[k] = edge.from;
    outDst[k] = edge.to;
    outKind[k] = authorityCodes[edge.level]!;
    outAttrs[k] = {
      scopes: edge.scopes,
      ...(d.attrs?.grant !== undefined ? { grant: d.attrs.grant } : {}),
      ...(d.attrs?.conditions !== undefined ? { conditions: d.attrs.conditions } : {}),
      ...(d.allows.some((a) => a.resourceTypes.includes('*')) ? { assumed: true } : {}),
      reason: `Acts as ${principal.name} limited to ${edge.scopes.join(', ')}: ${levelName(edge.level)}, no more than ${principal.name} has.`,
      derivedFrom: d.id,
    };
    k++;
  }
  return { edgeSrc: outSrc, edgeDst: outDst, edgeKind: outKind, edgeAttrs: outAttrs };
}

interface DerivedEdge {
  from: number;
  to: number;
  level: number;
  scopes: string[];
  delegation: Delegation;
}

interface Adjacency {
  offsets: Uint32Array;
  /** Target and kind of each own-authority edge, grouped by source. */
  targets: Uint32Array;
  kinds: Uint8Array;
}

function ownAdjacency(n: number, stale: Uint8Array, edgeSrc: Uint32Array, edgeDst: Uint32Array, edgeKind: Uint8Array, ownKinds: Uint8Array): Adjacency {
  const offsets = new Uint32Array(n + 1);
  const m = edgeKind.length;
  let count = 0;
  for (let e = 0; e < m; e++) if (ownKinds[edgeKind[e]!] === 1 && stale[e] === 0) { offsets[edgeSrc[e]! + 1]!++; count++; }
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const cursor = offsets.slice(0, n);
  const targets = new Uint32Array(count);
  const kinds = new Uint8Array(count);
  for (let e = 0; e < m; e++) {
    if (ownKinds[edgeKind[e]!] !== 1 || stale[e] === 1) continue;
    const slot = cursor[edgeSrc[e]!]!++;
    targets[slot] = edgeDst[e]!;
    kinds[slot] = edgeKind[e]!;
  }
  return { offsets, targets, kinds };
}

function adjacencyOfDerived(derived: ReadonlyMap<string, DerivedEdge>, authorityCodes: readonly number[]): Map<number, { to: number; kind: number }[]> {
  const out = new Map<number, { to: number; kind: number }[]>();
  for (const edge of derived.values()) {
    const list = out.get(edge.from) ?? [];
    list.push({ to: edge.to, kind: authorityCodes[edge.level]! });
    out.set(edge.from, list);
  }
  return out;
}

/**
 * Best level per node the principal holds through its own authority, ignoring time: the delegation's
 * derived edges are structure; the traversal still checks that the source and each target are usable.
 */
function ownAuthority(start: number, base: Adjacency, extra: ReadonlyMap<number, readonly { to: number; kind: number }[]>, requires: readonly number[], grants: readonly number[]): Map<number, number> {
  const best = new Map<number, number>([[start, 3]]);
  const queue: number[] = [start, 3];
  for (let head = 0; head < queue.length; head += 2) {
    const u = queue[head]!;
    const held = queue[head + 1]!;
    if ((best.get(u) ?? 0) > held) continue;
    const visit = (v: number, kind: number): void => {
      if (held < requires[kind]!) return;
      const level = grants[kind]! || held;
      if ((best.get(v) ?? 0) >= level) return;
      best.set(v, level);
      queue.push(v, level);
    };
    for (let s = base.offsets[u]!, end = base.offsets[u + 1]!; s < end; s++) visit(base.targets[s]!, base.kinds[s]!);
    for (const edge of extra.get(u) ?? []) visit(edge.to, edge.kind);
  }
  best.delete(start);
  return best;
}

// Mitigations for what-if analysis (revoke a credential, disable a node, remove an edge, remove a scope from
// a grant), validated with zod and compiled into a ReachOverlay so the stored graph is never changed.
import { z } from 'zod';
import { BlastmapError, describeFound, jsonPath, type InputIssue } from '../errors.ts';
import { fromZodIssues, type Result } from '../format/validate.ts';
import { edgeIdAt, type CompactGraph } from '../store/compact.ts';
import { editDistance, resolveNode } from '../store/lookup.ts';
import { nodeRef, type NodeRef } from './radius.ts';
import type { ReachOverlay } from './reach.ts';

const reference = z.string().min(1).max(2048);
const description = z.string().max(1024).optional().describe('Why: shown in reports instead of the generated sentence.');

export const revokeMitigationSchema = z.strictObject({ revoke: reference.describe('Credential to revoke (id or exact name).'), description });
export const disableMitigationSchema = z.strictObject({ disable: reference.describe('Node to disable (id or exact name).'), description });
export const removeEdgeMitigationSchema = z.strictObject({ removeEdge: reference.describe('Edge id (explicit, or from|KIND|to[|grant]).'), description });
export const removeScopeMitigationSchema = z.strictObject({
  removeScope: z.strictObject({
    grant: reference.describe('Grant id as edges carry it in `grant`, or a Credential node (id or exact name).'),
    scope: z.string().min(1).max(512).describe('Raw scope string as edges carry it in `scopes`.'),
  }),
  description,
});

/** One mitigation as written in a file or built from CLI flags. */
export const mitigationItemSchema = z.union([revokeMitigationSchema, disableMitigationSchema, removeEdgeMitigationSchema, removeScopeMitigationSchema]);
export const mitigationSchema = z.array(mitigationItemSchema);
/** A mitigations file: the bare list, or `{ mitigations: [...] }`. */
export const mitigationFileSchema = z.union([mitigationSchema, z.strictObject({ mitigations: mitigationSchema })]);

export type Mitigation = z.infer<typeof mitigationItemSchema>;
export type MitigationAction = 'revoke' | 'disable' | 'removeEdge' | 'removeScope';
const ACTIONS: readonly MitigationAction[] = ['revoke', 'disable', 'removeEdge', 'removeScope'];
const VARIANT: Record<MitigationAction, z.ZodType> = {
  revoke: revokeMitigationSchema,
  disable: disableMitigationSchema,
  removeEdge: removeEdgeMitigationSchema,
  removeScope: removeScopeMitigationSchema,
};

export function mitigationAction(item: Mitigation): MitigationAction {
  if ('revoke' in item) return 'revoke';
  if ('disable' in item) return 'disable';
  if ('removeEdge' in item) return 'removeEdge';
  return 'removeScope';
}

/**
 * Validates a parsed mitigations document (the list, or `{ mitigations: [...] }`). A zod union reports
 * "invalid input" for a bad item, so each item is checked against the variant its action key names.
 */
export function parseMitigations(raw: unknown, file?: string): Result<Mitigation[]> {
  const wrapped = raw !== null && typeof raw === 'object' && !Array.isArray(raw);
  const list: unknown = wrapped ? (raw as Record<string, unknown>).mitigations : raw;
  const base: PropertyKey[] = wrapped ? ['mitigations'] : [];
  const issues: InputIssue[] = [];
  if (wrapped) {
    const extra = Object.keys(raw as object).filter((key) => key !== 'mitigations');
    if (extra.length > 0) issues.push({ file, path: '$', message: `unknown fields ${extra.join(', ')}`, expected: 'only `mitigations`', found: extra.map((k) => JSON.stringify(k)).join(', ') });
  }
  if (!Array.isArray(list)) {
    issues.push({ file, path: wrapped ? '$.mitigations' : '$', message: 'not a list', expected: 'a list of mitigations (or an object with a `mitigations` list)', found: describeFound(list) });
    return { ok: false, issues };
  }
  const items: Mitigation[] = [];
  list.forEach((item: unknown, index) => {
    const path = [...base, index];
    const keys = item !== null && typeof item === 'object' && !Array.isArray(item) ? Object.keys(item) : [];
    const actions = ACTIONS.filter((action) => keys.includes(action));
    if (actions.length !== 1) {
      issues.push({
        file, path: jsonPath(path),
        message: 'a mitigation names exactly one action',
        expected: `exactly one of ${ACTIONS.join(', ')}`,
        found: actions.length > 1 ? actions.join(' and ') : keys.length > 0 ? `fields ${keys.join(', ')}` : describeFound(item),
      });
      return;
    }
    const parsed = VARIANT[actions[0]!].safeParse(item);
    if (parsed.success) items.push(parsed.data as Mitigation);
    else issues.push(...fromZodIssues(parsed.error.issues, item, file, path));
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: items, warnings: [] };
}

/** What one mitigation does to the graph, for reports. */
export interface AppliedMitigation {
  action: MitigationAction;
  /** What was asked for: the node or edge reference, or `grant:scope`. */
  reference: string;
  /** The mitigation's own description, or a generated sentence. */
  description: string;
  /** Nodes made unusable. */
  nodes: NodeRef[];
  /** Edges treated as absent (for removeScope: the edges left with no justifying scope). */
  edges: string[];
  /** removeScope only: edges that lost the scope but keep another, so still extend the radius. */
  narrowed?: string[];
}

export interface CompiledMitigations {
  overlay: Required<ReachOverlay>;
  applied: AppliedMitigation[];
}

const describeNode = (graph: CompactGraph, v: number): string => {
  const node = graph.nodes[v]!;
  return `${node.name} (${node.kind}${node.type ? ` ${node.type}` : ''} on ${node.platform})`;
};

/** The strings of `pool` closest to `text`: containing it (or contained in it) first, then by edit distance. */
export function closestStrings(text: string, pool: Iterable<string>, limit = 5): string[] {
  const needle = text.toLowerCase();
  const maxEdits = Math.max(3, Math.floor(needle.length / 5));
  const scored: [number, string][] = [];
  for (const candidate of new Set(pool)) {
    const hay = candidate.toLowerCase();
    let score: number;
    if (hay.includes(needle) || needle.includes(hay)) score = Math.abs(hay.length - needle.length) / 10_000;
    else {
      const d = editDistance(needle, hay, maxEdits);
      if (d > maxEdits) continue;
      score = 1 + d;
    }
    scored.push([score, candidate]);
  }
  scored.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
  return scored.slice(0, limit).map(([, candidate]) => candidate);
}

/** Edge indices by edge id (derived ids can repeat when two edges differ only in scopes). Builds every edge's id:
 * only for suggesting close ids after a miss; a lookup goes through edgesForId. */
export function edgeIndexById(graph: CompactGraph): Map<string, number[]> {
  const byId = new Map<string, number[]>();
  for (let e = 0; e < graph.edgeCount; e++) {
    // An edge the graph builder derived from a scoped delegation goes with it: removing the delegation
    // (its edge id) removes everything it allowed.
    for (const id of [edgeIdAt(graph, e), graph.edgeAttrs[e]?.derivedFrom]) {
      if (id === undefined) continue;
      const list = byId.get(id);
      if (list) list.push(e);
      else byId.set(id, [e]);
    }
  }
  return byId;
}

/** What one pass over the edge attributes tells, per graph: explicit edge ids, each grant's edges, each delegation's derived edges. */
export interface EdgeAttributeIndex {
  explicitIds: Map<string, number[]>;
  byGrant: Map<string, number[]>;
  /** Delegation edge id -> the edges the graph builder derived from it (attribute `derivedFrom`). */
  byDelegation: Map<string, number[]>;
}
const attributeIndexes = new WeakMap<CompactGraph, EdgeAttributeIndex>();
export function edgeAttributeIndex(graph: CompactGraph): EdgeAttributeIndex {
  let index = attributeIndexes.get(graph);
  if (!index) {
    index = { explicitIds: new Map(), byGrant: new Map(), byDelegation: new Map() };
    const add = (map: Map<string, number[]>, key: string, e: number) => {
      const list = map.get(key);
      if (list) list.push(e);
      else map.set(key, [e]);
    };
    const { edgeAttrs } = graph;
    for (let e = 0; e < graph.edgeCount; e++) {
      const attrs = edgeAttrs[e];
      if (attrs === undefined) continue;
      if (attrs.id !== undefined) add(index.explicitIds, attrs.id, e);
      if (attrs.grant !== undefined) add(index.byGrant, attrs.grant, e);
      if (attrs.derivedFrom !== undefined) add(index.byDelegation, attrs.derivedFrom, e);
    }
    attributeIndexes.set(graph, index);
  }
  return index;
}

/**
 * Every edge whose id is `id`, without building the id of every edge: an explicit id is looked up, a derived
 * id (`from|KIND|to...`) is compared only against the edges of its source node (node ids may hold '|', so
 * each split whose left part is a node is tried).
 */
export function edgesWithId(graph: CompactGraph, id: string): number[] {
  const found = new Set<number>(edgeAttributeIndex(graph).explicitIds.get(id) ?? []);
  for (let i = id.indexOf('|'); i > 0; i = id.indexOf('|', i + 1)) {
    const from = graph.indexOf.get(id.slice(0, i));
    if (from === undefined) continue;
    const rest = id.slice(i + 1);
    for (let e = graph.fwdOffsets[from]!, end = graph.fwdOffsets[from + 1]!; e < end; e++) {
      const kind = graph.edgeKindNames[graph.edgeKind[e]!]!;
      if (rest.startsWith(kind) && rest.charCodeAt(kind.length) === 124 && edgeIdAt(graph, e) === id) found.add(e);
    }
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * Per graph, filled in node by node on demand: each edge's next edge with the same id, in a cycle (itself when
 * alone, which is not stored: most edges have no twin, and an array over every edge was 32 MB at 8M edges).
 */
interface TwinIndex {
  done: Uint8Array;
  next: Map<number, number>;
}
const twinIndexes = new WeakMap<CompactGraph, TwinIndex>();

/**
 * The edges sharing edge e's id, e included, ascending. A derived id repeats only on edges of the same source,
 * target and kind (they differ in scopes), so only those are compared, once per source node; an explicit id
 * is looked up.
 */
export function sameIdEdges(graph: CompactGraph, e: number): number[] {
  const explicit = graph.edgeAttrs[e]?.id;
  if (explicit !== undefined) return edgesWithId(graph, explicit);
  let twins = twinIndexes.get(graph);
  if (!twins) {
    twins = { done: new Uint8Array(graph.nodeCount), next: new Map() };
    twinIndexes.set(graph, twins);
  }
  const { next } = twins;
  const nextOf = (f: number): number => next.get(f) ?? f;
  const u = graph.edgeSrc[e]!;
  if (twins.done[u] === 0) {
    twins.done[u] = 1;
    const start = graph.fwdOffsets[u]!;
    const end = graph.fwdOffsets[u + 1]!;
    // Edges of u by (target, kind): only those can share a derived id.
    const firstOf = new Map<number, number>();
    const kinds = graph.edgeKindNames.length;
    for (let f = start; f < end; f++) {
      if (graph.edgeAttrs[f]?.id !== undefined) continue;
      const key = graph.edgeDst[f]! * kinds + graph.edgeKind[f]!;
      const first = firstOf.get(key);
      if (first === undefined) { firstOf.set(key, f); continue; }
      const id = edgeIdAt(graph, f);
      // Join f to the cycle of the first earlier edge with its id.
      for (let g = first; g < f; g++) {
        if (graph.edgeDst[g] !== graph.edgeDst[f] || graph.edgeKind[g] !== graph.edgeKind[f] || graph.edgeAttrs[g]?.id !== undefined) continue;
        if (edgeIdAt(graph, g) === id) {
          next.set(f, nextOf(g));
          next.set(g, f);
          break;
        }
      }
    }
  }
  const found = [e];
  for (let f = nextOf(e); f !== e; f = nextOf(f)) found.push(f);
  const { explicitIds } = edgeAttributeIndex(graph);
  if (explicitIds.size > 0) for (const f of explicitIds.get(edgeIdAt(graph, e)) ?? []) if (!found.includes(f)) found.push(f);
  return found.sort((a, b) => a - b);
}

/** What `removeEdge: id` removes: the edges with that id and, for a delegation's id, the edges derived from it. */
export function edgesForId(graph: CompactGraph, id: string): number[] {
  const derived = edgeAttributeIndex(graph).byDelegation.get(id);
  const own = edgesWithId(graph, id);
  return derived ? [...new Set([...own, ...derived])].sort((a, b) => a - b) : own;
}

/** Grant ids carried by edges, and the edges each one justifies (shared: never modified). */
function edgesByGrant(graph: CompactGraph): ReadonlyMap<string, readonly number[]> {
  return edgeAttributeIndex(graph).byGrant;
}

interface GrantTarget {
  /** The grant as users know it: the credential's name, or the grant id. */
  label: string;
  edges: number[];
}

/**
 * The edges a grant justifies: those whose `grant` equals the reference, and when the reference names a
 * Credential node, every edge leaving it plus those whose `grant` is its id.
 */
function resolveGrant(graph: CompactGraph, grant: string, byGrant: ReadonlyMap<string, readonly number[]>): GrantTarget {
  const edges = new Set(byGrant.get(grant) ?? []);
  let label = grant;
  let credential: number | undefined;
  try {
    const v = resolveNode(graph, grant);
    if (graph.nodes[v]!.kind === 'Credential') credential = v;
  } catch (error) {
    // Not a node is fine when edges carry the reference as their grant id; no match at all is reported below.
    if (!(error instanceof BlastmapError) || (error.code === 'AMBIGUOUS_NODE' && edges.size === 0)) throw error;
  }
  if (credential !== undefined) {
    label = describeNode(graph, credential);
    for (let e = graph.fwdOffsets[credential]!, end = graph.fwdOffsets[credential + 1]!; e < end; e++) edges.add(e);
    for (const e of byGrant.get(graph.nodes[credential]!.id) ?? []) edges.add(e);
  }
  if (edges.size === 0) {
    const pool = [...byGrant.keys()];
    for (let v = 0; v < graph.nodeCount; v++) if (graph.nodes[v]!.kind === 'Credential') pool.push(graph.nodes[v]!.id);
    throw new BlastmapError('UNKNOWN_NODE', `remove-scope: no edge derives from a grant "${grant}" and no Credential has that id or name`, { candidates: closestStrings(grant, pool) });
  }
  return { label, edges: [...edges].sort((a, b) => a - b) };
}

/**
 * Splits a `grant:scope` flag. Grant ids and scopes may both contain ':' (node ids, `read:org`, scope URLs),
 * so the split chosen is the last ':' whose left part is a known grant carrying the right part as a scope;
 * when no split fits the graph, the last ':' (and compiling then reports what is unknown).
 */
export function parseRemoveScope(graph: CompactGraph, text: string): { grant: string; scope: string } {
  const splits: number[] = [];
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) if (i > 0 && i < text.length - 1) splits.push(i);
  if (splits.length === 0) throw new BlastmapError('INVALID_OPTION', `--remove-scope ${text}: expected <grant>:<scope>, e.g. salesforce:acme:credential:drift-token:api`);
  const byGrant = edgesByGrant(graph);
  for (const i of [...splits].reverse()) {
    const grant = text.slice(0, i);
    const scope = text.slice(i + 1);
    let target: GrantTarget;
    try {
      target = resolveGrant(graph, grant, byGrant);
    } catch {
      continue;
    }
    if (target.edges.some((e) => graph.edgeAttrs[e]?.scopes?.includes(scope))) return { grant, scope };
  }
  const last = splits[splits.length - 1]!;
  return { grant: text.slice(0, last), scope: text.slice(last + 1) };
}

/**
 * Compiles mitigations into an overlay over the graph. Unknown references throw: UNKNOWN_NODE with the
 * closest nodes (or edge ids, grant ids), INVALID_OPTION for a mitigation that does not apply.
 */
export function compileMitigations(graph: CompactGraph, mitigations: readonly Mitigation[]): CompiledMitigations {
  const blockedNodes = new Uint8Array(graph.nodeCount);
  const blockedEdges = new Uint8Array(graph.edgeCount);
  const applied: AppliedMitigation[] = [];
  let byGrant: ReadonlyMap<string, readonly number[]> | undefined;
  // Scope removals accumulate: an edge is dropped only when every scope that justified it is removed.
  const removedScopes = new Map<number, Set<string>>();
  const scopeMitigations: { entry: AppliedMitigation; touched: number[] }[] = [];

  for (const item of mitigations) {
    const action = mitigationAction(item);
    if ('revoke' in item || 'disable' in item) {
      const ref = 'revoke' in item ? item.revoke : item.disable;
      const v = resolveNode(graph, ref);
      const node = graph.nodes[v]!;
      if (action === 'revoke' && node.kind !== 'Credential') {
        throw new BlastmapError('INVALID_OPTION', `revoke ${ref}: ${describeNode(graph, v)} is not a Credential; use disable for ${node.kind} nodes`);
      }
      blockedNodes[v] = 1;
      applied.push({ action, reference: ref, description: item.description ?? `${action} ${describeNode(graph, v)}`, nodes: [nodeRef(graph, v)], edges: [] });
    } else if ('removeEdge' in item) {
      const edges = edgesForId(graph, item.removeEdge);
      if (edges.length === 0) {
        throw new BlastmapError('UNKNOWN_NODE', `remove-edge: no edge has the id "${item.removeEdge}" (ids are explicit, or from|KIND|to[|grant])`, { candidates: closestStrings(item.removeEdge, edgeIndexById(graph).keys()) });
      }
      for (const e of edges) blockedEdges[e] = 1;
      const e = edges[0]!;
      const generated = `remove edge ${graph.nodes[graph.edgeSrc[e]!]!.name} -${graph.edgeKindNames[graph.edgeKind[e]!]}-> ${graph.nodes[graph.edgeDst[e]!]!.name}`;
      applied.push({ action, reference: item.removeEdge, description: item.description ?? generated, nodes: [], edges: [item.removeEdge] });
    } else {
      const { grant, scope } = item.removeScope;
      byGrant ??= edgesByGrant(graph);
      const target = resolveGrant(graph, grant, byGrant);
      const touched = target.edges.filter((e) => graph.edgeAttrs[e]?.scopes?.includes(scope));
      if (touched.length === 0) {
        const scopes = [...new Set(target.edges.flatMap((e) => graph.edgeAttrs[e]?.scopes ?? []))].sort();
        throw new BlastmapError('INVALID_OPTION', `remove-scope: no edge of grant ${target.label} is justified by scope "${scope}"${scopes.length > 0 ? `; its scopes: ${scopes.join(', ')}` : ' (its edges carry no scopes: use remove-edge or revoke)'}`);
      }
      for (const e of touched) {
        const removed = removedScopes.get(e) ?? new Set<string>();
        removed.add(scope);
        removedScopes.set(e, removed);
      }
      const entry: AppliedMitigation = { action, reference: `${grant}:${scope}`, description: item.description ?? `remove scope "${scope}" from ${target.label}`, nodes: [], edges: [], narrowed: [] };
      applied.push(entry);
      scopeMitigations.push({ entry, touched });
    }
  }

  for (const [e, removed] of removedScopes) {
    if (graph.edgeAttrs[e]!.scopes!.every((scope) => removed.has(scope))) blockedEdges[e] = 1;
  }
  for (const { entry, touched } of scopeMitigations) {
    for (const e of touched) (blockedEdges[e] === 1 ? entry.edges : entry.narrowed!).push(edgeIdAt(graph, e));
  }
  return { overlay: { blockedNodes, blockedEdges }, applied };
}

/** Union of two overlays (either may be absent). */
export function mergeOverlays(a: ReachOverlay | undefined, b: ReachOverlay | undefined): ReachOverlay | undefined {
  if (!a) return b;
  if (!b) return a;
  const union = (x: Uint8Array | undefined, y: Uint8Array | undefined): Uint8Array | undefined => {
    if (!x) return y;
    if (!y) return x;
    const out = x.slice();
    for (let i = 0; i < y.length; i++) if (y[i] === 1) out[i] = 1;
    return out;
  };
  const merged: ReachOverlay = {};
  const nodes = union(a.blockedNodes, b.blockedNodes);
  const edges = union(a.blockedEdges, b.blockedEdges);
  if (nodes) merged.blockedNodes = nodes;
  if (edges) merged.blockedEdges = edges;
  return merged;
}

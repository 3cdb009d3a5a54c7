// What changed between two graphs of the same estate (last week's import and today's): nodes and edges added,
// removed or changed, grouped the way a reviewer reads them, plus scope expansion, new paths to crown jewels,
// radius scores and governance findings that appeared or went away. Pure; `blastmap diff` prints it.
import { edgeId, type GraphEdge, type GraphNode } from '../format/native.ts';
import { LEVEL_CODE, levelName, type Level } from '../schema/index.ts';
import { buildGraph, toFragment, type CompactGraph } from '../store/compact.ts';
import { RULE_IDS, SEVERITY_RANK, type FindingSeverity } from './findings-catalog.ts';
import { compareFindings, governanceFindings, type Finding, type FindingOptions } from './findings.ts';
import { expansionFindings, standingApprovals, type StandingApproval } from './findings-approval.ts';
import { CROWN_JEWEL_TAG, nodeRef, stepView, type NodeRef, type PathStepView } from './radius.ts';
import { rankNodes } from './rank.ts';
import { reach, toInstant, witnessPath, type ReachOptions } from './reach.ts';

/** How a reviewer groups edge kinds; kinds not named here (containment, holding, governance, extensions) are `other`. */
export type EdgeCategory = 'grant' | 'membership' | 'trust' | 'other';
export const EDGE_CATEGORIES: Readonly<Record<string, EdgeCategory>> = {
  CAN_READ: 'grant', CAN_WRITE: 'grant', CAN_ADMIN: 'grant',
  MEMBER_OF: 'membership', HAS_ROLE: 'membership', CAN_ADD_MEMBER: 'membership',
  AUTHENTICATES_AS: 'trust', DELEGATED_AS: 'trust', CAN_IMPERSONATE: 'trust', SSO_TO: 'trust', FEDERATES_TO: 'trust',
  RUNS_AS: 'trust', RUNS_AS_ON_TRIGGER: 'trust', CAN_ADD_CREDENTIAL: 'trust', CAN_RESET_CREDENTIAL: 'trust',
};
/** Direct authority edges and their level: the kinds a level upgrade is measured on. */
const AUTHORITY_LEVEL: Readonly<Record<string, Level>> = { CAN_READ: 'read', CAN_WRITE: 'write', CAN_ADMIN: 'admin' };

/** An edge with carried scopes is a grant whatever its kind (a scoped delegation, a scoped impersonation). */
export function edgeCategory(edge: Pick<GraphEdge, 'kind' | 'scopes'>): EdgeCategory {
  const category = EDGE_CATEGORIES[edge.kind] ?? 'other';
  return category === 'other' && edge.scopes !== undefined && edge.scopes.length > 0 ? 'grant' : category;
}

/** An edge as a diff shows it: its identity, endpoints as references, and its properties. */
export interface EdgeView {
  /** Identity: the explicit id, or `from|KIND|to[|grant]`. */
  edgeId: string;
  kind: string;
  category: EdgeCategory;
  from: NodeRef;
  to: NodeRef;
  scopes?: string[];
  grant?: string;
}

export interface NodeChange {
  node: NodeRef;
  /** Properties whose value differs, sorted. */
  fields: string[];
  before: GraphNode;
  after: GraphNode;
}

export interface EdgeChange {
  edge: EdgeView;
  fields: string[];
  before: GraphEdge;
  after: GraphEdge;
}

/** A grant (or an ungranted edge) that can do more than before: scopes added, or a higher level on some target. */
export interface ScopeExpansion {
  /** The grant id (a credential or consent) or, for an edge without a grant, its edge id. */
  subject: string;
  /** The credential node, when the grant is one in the new graph. */
  grant?: NodeRef;
  /** Whose authority grew: the edges' source (or the credential itself). */
  holder: NodeRef;
  scopesBefore: string[];
  scopesAfter: string[];
  scopesAdded: string[];
  /** Targets of CAN_* edges where the level went up; `before` null = a target the grant did not reach directly before. */
  levels: { target: NodeRef; before: Level | null; after: Level }[];
  /**
   * The approval the grant stood on in the old import (on the grant, its edges, or the App holding it), and whether
   * the new import records a later one. Absent when neither import records an approval.
   */
  approval?: StandingApproval & { reapproved: boolean; approver?: NodeRef };
}

export interface NewCrownJewelPath {
  app: NodeRef;
  crownJewel: NodeRef;
  level: Level;
  /** Whether the App exists in the old graph (false: a new app that reaches it). */
  appExisted: boolean;
  path: PathStepView[];
}

export interface ScoreChange {
  app: NodeRef;
  /** Null: the App is not in that graph. */
  before: number | null;
  after: number | null;
  delta: number;
  crownJewelsBefore: number | null;
  crownJewelsAfter: number | null;
}

export interface AddedRemoved<T> { added: T[]; removed: T[] }

export interface GraphDiff {
  at: string;
  old: { nodes: number; edges: number };
  new: { nodes: number; edges: number };
  /** Every node and edge change: applying these to the old graph gives the new one (derived edges aside). */
  nodes: { added: GraphNode[]; removed: GraphNode[]; changed: NodeChange[] };
  edges: { added: GraphEdge[]; removed: GraphEdge[]; changed: EdgeChange[] };
  /** The same changes as a reviewer reads them. */
  apps: AddedRemoved<NodeRef & { thirdParty?: boolean; vendor?: string }>;
  credentials: AddedRemoved<NodeRef & { type?: string }>;
  grants: AddedRemoved<EdgeView>;
  memberships: AddedRemoved<EdgeView>;
  trusts: AddedRemoved<EdgeView>;
  otherEdges: AddedRemoved<EdgeView>;
  /** Other nodes (identities, groups, roles, resources, platforms). */
  otherNodes: AddedRemoved<NodeRef>;
  scopeExpansions: ScopeExpansion[];
  crownJewelPaths: NewCrownJewelPath[];
  /** Apps whose radius score changed, largest increase first. */
  scores: ScoreChange[];
  findings: { added: Finding[]; resolved: Finding[] };
}

export interface DiffOptions extends Omit<ReachOptions, 'overlay' | 'sourceLevel'> {
  /** Options of the governance findings compared (thresholds); their instant is `at`. */
  findings?: Omit<FindingOptions, 'at'>;
}

/** Edges the graph builder derives (from scoped delegations) are rebuilt on every load: they are not data to diff. */
const isDerived = (edge: GraphEdge): boolean => edge.derivedFrom !== undefined;
export const edgeKey = (edge: GraphEdge): string => edge.id ?? edgeId(edge);

/** Values compared by content: objects with their keys in order, so `{a, b}` equals `{b, a}`. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) {
      const field = (v as Record<string, unknown>)[key];
      if (field !== undefined) sorted[key] = field;
    }
    return sorted;
  });
}

function changedFields(before: object, after: object): string[] {
  // Records of the same pipeline keep their key order: equal text is equal content, without sorting keys.
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((key) => canonicalJson(a[key]) !== canonicalJson(b[key])).sort();
}

/**
 * Edges by identity. Two edges with the same identity (allowed by a bare fragment, never by an import) are told
 * apart by their order: `key`, `key#1`, ...
 */
function edgesByKey(edges: readonly GraphEdge[]): Map<string, GraphEdge> {
  const byKey = new Map<string, GraphEdge>();
  for (const edge of edges) {
    if (isDerived(edge)) continue;
    const key = edgeKey(edge);
    let unique = key;
    for (let n = 1; byKey.has(unique); n++) unique = `${key}#${n}`;
    byKey.set(unique, edge);
  }
  return byKey;
}

const refOf = (node: GraphNode): NodeRef => ({ id: node.id, name: node.name, kind: node.kind, platform: node.platform, tenant: node.tenant });
const compareRefs = (a: NodeRef, b: NodeRef): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const compareViews = (a: EdgeView, b: EdgeView): number => (a.edgeId < b.edgeId ? -1 : a.edgeId > b.edgeId ? 1 : 0);

/** The raw node and edge changes from `before` to `after` (fragments, or compiled graphs through toFragment). */
export function fragmentChanges(before: { nodes: readonly GraphNode[]; edges: readonly GraphEdge[] }, after: { nodes: readonly GraphNode[]; edges: readonly GraphEdge[] }): Pick<GraphDiff, 'nodes' | 'edges'> {
  const oldNodes = new Map(before.nodes.map((node) => [node.id, node]));
  const newNodes = new Map(after.nodes.map((node) => [node.id, node]));
  const nodes: GraphDiff['nodes'] = { added: [], removed: [], changed: [] };
  for (const [id, node] of newNodes) {
    const old = oldNodes.get(id);
    if (!old) nodes.added.push(node);
    else {
      const fields = changedFields(old, node);
      if (fields.length > 0) nodes.changed.push({ node: refOf(node), fields, before: old, after: node });
    }
  }
  for (const [id, node] of oldNodes) if (!newNodes.has(id)) nodes.removed.push(node);
  const oldEdges = edgesByKey(before.edges);
  const newEdges = edgesByKey(after.edges);
  const edges: GraphDiff['edges'] = { added: [], removed: [], changed: [] };
  for (const [key, edge] of newEdges) {
    const old = oldEdges.get(key);
    if (!old) edges.added.push(edge);
    else {
      const fields = changedFields(old, edge);
      if (fields.length > 0) edges.changed.push({ edge: viewOf(edge, newNodes, oldNodes), fields, before: old, after: edge });
    }
  }
  for (const [key, edge] of oldEdges) if (!newEdges.has(key)) edges.removed.push(edge);
  const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const byKey = (a: GraphEdge, b: GraphEdge): number => (edgeKey(a) < edgeKey(b) ? -1 : edgeKey(a) > edgeKey(b) ? 1 : 0);
  nodes.added.sort(byId); nodes.removed.sort(byId); nodes.changed.sort((a, b) => compareRefs(a.node, b.node));
  edges.added.sort(byKey); edges.removed.sort(byKey); edges.changed.sort((a, b) => compareViews(a.edge, b.edge));
  return { nodes, edges };
}

function viewOf(edge: GraphEdge, ...lookups: ReadonlyMap<string, GraphNode>[]): EdgeView {
  const ref = (id: string): NodeRef => {
    for (const lookup of lookups) {
      const node = lookup.get(id);
      if (node) return refOf(node);
    }
    return { id, name: id, kind: '', platform: '', tenant: '' };
  };
  const view: EdgeView = { edgeId: edgeKey(edge), kind: edge.kind, category: edgeCategory(edge), from: ref(edge.from), to: ref(edge.to) };
  if (edge.scopes) view.scopes = edge.scopes;
  if (edge.grant) view.grant = edge.grant;
  return view;
}

/**
 * Applies node and edge changes to a fragment: the inverse of fragmentChanges (diff(A, B) applied to A gives B).
 * Edges are matched by identity, as fragmentChanges matched them.
 */
export function applyChanges(base: { nodes: readonly GraphNode[]; edges: readonly GraphEdge[] }, changes: Pick<GraphDiff, 'nodes' | 'edges'>): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes = new Map(base.nodes.map((node) => [node.id, node]));
  for (const node of changes.nodes.removed) nodes.delete(node.id);
  for (const change of changes.nodes.changed) nodes.set(change.after.id, change.after);
  for (const node of changes.nodes.added) nodes.set(node.id, node);
  const edges = edgesByKey(base.edges);
  // Multisets: two identical edges, one removed, leave one.
  const removed = new Map<string, number>();
  for (const edge of changes.edges.removed) removed.set(canonicalJson(edge), (removed.get(canonicalJson(edge)) ?? 0) + 1);
  const changedFrom = new Map<string, GraphEdge[]>();
  for (const change of changes.edges.changed) {
    const text = canonicalJson(change.before);
    changedFrom.set(text, [...(changedFrom.get(text) ?? []), change.after]);
  }
  const result: GraphEdge[] = [];
  for (const edge of edges.values()) {
    const text = canonicalJson(edge);
    const left = removed.get(text) ?? 0;
    if (left > 0) { removed.set(text, left - 1); continue; }
    result.push(changedFrom.get(text)?.shift() ?? edge);
  }
  result.push(...changes.edges.added);
  return { nodes: [...nodes.values()], edges: result };
}

/** Scopes a grant carries: on its credential node and on every edge it justifies. */
function grantScopes(node: GraphNode | undefined, edges: readonly GraphEdge[]): Set<string> {
  const scopes = new Set<string>(node?.scopes ?? []);
  for (const edge of edges) for (const scope of edge.scopes ?? []) scopes.add(scope);
  return scopes;
}

/** Highest direct authority level per target among these edges. */
function authorityLevels(edges: readonly GraphEdge[]): Map<string, number> {
  const levels = new Map<string, number>();
  for (const edge of edges) {
    const level = AUTHORITY_LEVEL[edge.kind];
    if (!level) continue;
    levels.set(edge.to, Math.max(levels.get(edge.to) ?? 0, LEVEL_CODE[level]));
  }
  return levels;
}

/** Groups edges by grant (edges without one by their source and target: the same endpoints, any authority kind). */
function groupByGrant(edges: Iterable<GraphEdge>): Map<string, GraphEdge[]> {
  const groups = new Map<string, GraphEdge[]>();
  for (const edge of edges) {
    // An edge with no grant, no scopes and no level of its own cannot expand.
    if (isDerived(edge) || (edge.grant === undefined && !AUTHORITY_LEVEL[edge.kind] && (edge.scopes === undefined || edge.scopes.length === 0))) continue;
    const key = edge.grant !== undefined ? `grant:${edge.grant}` : AUTHORITY_LEVEL[edge.kind] ? `pair:${edge.from}|${edge.to}` : `edge:${edgeKey(edge)}`;
    const list = groups.get(key);
    if (list) list.push(edge);
    else groups.set(key, [edge]);
  }
  return groups;
}

/**
 * Scope expansion: a grant that existed before and now carries scopes it did not, or holds a higher level on a
 * target (CAN_READ became CAN_WRITE, or a new CAN_* edge of the same grant). Also a credential node whose own
 * `scopes` grew, and an edge without a grant whose scopes grew or whose direct level went up between the same
 * endpoints. A new grant is not an expansion: it is a new grant.
 */
export function scopeExpansions(before: { nodes: readonly GraphNode[]; edges: readonly GraphEdge[] }, after: { nodes: readonly GraphNode[]; edges: readonly GraphEdge[] }): ScopeExpansion[] {
  const oldNodes = new Map(before.nodes.map((node) => [node.id, node]));
  const newNodes = new Map(after.nodes.map((node) => [node.id, node]));
  const oldGroups = groupByGrant(before.edges);
  const newGroups = groupByGrant(after.edges);
  const holders = new Map<string, string>();
  for (const edge of after.edges) if (edge.kind === 'HOLDS' && !holders.has(edge.to)) holders.set(edge.to, edge.from);
  const expansions: ScopeExpansion[] = [];
  const seen = new Set<string>();
  const consider = (key: string, subject: string, oldEdges: readonly GraphEdge[], newEdges: readonly GraphEdge[], grantId: string | undefined): void => {
    seen.add(subject);
    const oldGrantNode = grantId !== undefined ? oldNodes.get(grantId) : undefined;
    const newGrantNode = grantId !== undefined ? newNodes.get(grantId) : undefined;
    // A grant "existed" when its credential or any edge it justifies was in the old graph.
    if (oldEdges.length === 0 && !oldGrantNode) return;
    if (newEdges.length === 0 && !newGrantNode) return;
    const scopesBefore = grantScopes(oldGrantNode, oldEdges);
    const scopesAfter = grantScopes(newGrantNode, newEdges);
    const scopesAdded = [...scopesAfter].filter((scope) => !scopesBefore.has(scope)).sort();
    const oldLevels = authorityLevels(oldEdges);
    const levels: ScopeExpansion['levels'] = [];
    for (const [target, code] of authorityLevels(newEdges)) {
      const was = oldLevels.get(target) ?? 0;
      // Without a grant, only an upgrade between endpoints that already had authority counts (pair keys).
      if (code > was && (was > 0 || grantId !== undefined)) {
        const node = newNodes.get(target) ?? oldNodes.get(target);
        levels.push({ target: node ? refOf(node) : { id: target, name: target, kind: '', platform: '', tenant: '' }, before: was > 0 ? levelName(was) : null, after: levelName(code) });
      }
    }
    // A new target that appeared in the graph only now (a new repository under an org-wide grant) is growth of the
    // estate, not of the grant: kept only when the target existed before.
    const grown = levels.filter((entry) => entry.before !== null || oldNodes.has(entry.target.id));
    if (scopesAdded.length === 0 && grown.length === 0) return;
    // Whose authority grew: whoever holds the grant's credential, else the edges' own source.
    const holderId = (grantId !== undefined ? holders.get(grantId) : undefined) ?? newEdges.find((edge) => edge.kind !== 'AUTHENTICATES_AS')?.from ?? grantId ?? key;
    const holderNode = newNodes.get(holderId) ?? oldNodes.get(holderId);
    const expansion: ScopeExpansion = {
      subject,
      holder: holderNode ? refOf(holderNode) : { id: holderId, name: holderId, kind: '', platform: '', tenant: '' },
      scopesBefore: [...scopesBefore].sort(), scopesAfter: [...scopesAfter].sort(), scopesAdded,
      levels: grown.sort((a, b) => compareRefs(a.target, b.target)),
    };
    if (newGrantNode) expansion.grant = refOf(newGrantNode);
    expansions.push(expansion);
  };
  for (const [key, newEdges] of newGroups) {
    const oldEdges = oldGroups.get(key) ?? [];
    if (key.startsWith('grant:')) {
      const grant = key.slice('grant:'.length);
      consider(key, grant, oldEdges, newEdges, grant);
    } else consider(key, key.slice(key.indexOf(':') + 1), oldEdges, newEdges, undefined);
  }
  // Credentials whose own scopes grew though no edge names them as a grant.
  for (const [id, node] of newNodes) {
    if (node.kind !== 'Credential' || seen.has(id)) continue;
    const old = oldNodes.get(id);
    if (old) consider(`grant:${id}`, id, [], [], id);
  }
  return expansions.sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
}

/** Crown jewels per App: which each reaches, at what level, and the reach to draw a path from. */
function crownJewelReach(graph: CompactGraph, apps: readonly number[], options: ReachOptions): Map<string, { jewels: Map<string, number>; draw: (v: number) => PathStepView[] }> {
  const jewel = new Uint8Array(graph.nodeCount);
  for (let v = 0; v < graph.nodeCount; v++) if (graph.nodes[v]!.tags?.includes(CROWN_JEWEL_TAG)) jewel[v] = 1;
  const byApp = new Map<string, { jewels: Map<string, number>; draw: (v: number) => PathStepView[] }>();
  for (const app of apps) {
    const result = reach(graph, [app], options);
    const jewels = new Map<string, number>();
    for (const v of result.order) if (jewel[v] === 1 && v !== app) jewels.set(graph.nodes[v]!.id, result.level[v]!);
    byApp.set(graph.nodes[app]!.id, { jewels, draw: (v) => witnessPath(result, v).map((step) => stepView(graph, step)) });
  }
  return byApp;
}

/** The whole comparison of `before` (older) and `after` (newer), both analysed at the same instant. */
export function diffGraphs(before: CompactGraph, after: CompactGraph, options: DiffOptions = {}): GraphDiff {
  const at = toInstant(options.at);
  const reachOptions: ReachOptions = { ...options, at };
  const oldFragment = toFragment(before);
  const newFragment = toFragment(after);
  const { nodes, edges } = fragmentChanges(oldFragment, newFragment);
  const oldNodes = new Map(oldFragment.nodes.map((node) => [node.id, node]));
  const newNodes = new Map(newFragment.nodes.map((node) => [node.id, node]));

  const apps: GraphDiff['apps'] = { added: [], removed: [] };
  const credentials: GraphDiff['credentials'] = { added: [], removed: [] };
  const otherNodes: GraphDiff['otherNodes'] = { added: [], removed: [] };
  const sortNode = (list: 'added' | 'removed', node: GraphNode): void => {
    if (node.kind === 'App') apps[list].push({ ...refOf(node), ...(node.thirdParty !== undefined ? { thirdParty: node.thirdParty } : {}), ...(node.vendor !== undefined ? { vendor: node.vendor } : {}) });
    else if (node.kind === 'Credential') credentials[list].push({ ...refOf(node), ...(node.type !== undefined ? { type: node.type } : {}) });
    else otherNodes[list].push(refOf(node));
  };
  for (const node of nodes.added) sortNode('added', node);
  for (const node of nodes.removed) sortNode('removed', node);

  const grouped = { grant: { added: [], removed: [] }, membership: { added: [], removed: [] }, trust: { added: [], removed: [] }, other: { added: [], removed: [] } } as Record<EdgeCategory, AddedRemoved<EdgeView>>;
  for (const edge of edges.added) grouped[edgeCategory(edge)].added.push(viewOf(edge, newNodes, oldNodes));
  for (const edge of edges.removed) grouped[edgeCategory(edge)].removed.push(viewOf(edge, oldNodes, newNodes));

  // Scores: the ranking's shared closures score every App of a graph at once.
  const rankOptions = { ...reachOptions, kinds: ['App'] };
  const oldRank = new Map(rankNodes(before, rankOptions).map((entry) => [entry.id, entry]));
  const newRank = new Map(rankNodes(after, rankOptions).map((entry) => [entry.id, entry]));
  const scores: ScoreChange[] = [];
  for (const id of new Set([...oldRank.keys(), ...newRank.keys()])) {
    const was = oldRank.get(id);
    const now = newRank.get(id);
    const delta = (now?.score ?? 0) - (was?.score ?? 0);
    if (was && now && delta === 0) continue;
    const node = newNodes.get(id) ?? oldNodes.get(id)!;
    scores.push({ app: refOf(node), before: was?.score ?? null, after: now?.score ?? null, delta, crownJewelsBefore: was?.crownJewels ?? null, crownJewelsAfter: now?.crownJewels ?? null });
  }
  scores.sort((a, b) => b.delta - a.delta || compareRefs(a.app, b.app));

  // New crown-jewel paths: only Apps that reach some crown jewel now need a full reach, in both graphs.
  const reaching = [...newRank.values()].filter((entry) => entry.crownJewels > 0);
  const newReach = crownJewelReach(after, reaching.map((entry) => entry.index), reachOptions);
  const oldCandidates = reaching.map((entry) => oldRank.get(entry.id)).filter((entry) => entry !== undefined && entry.crownJewels > 0).map((entry) => entry!.index);
  const oldReach = crownJewelReach(before, oldCandidates, reachOptions);
  const crownJewelPaths: NewCrownJewelPath[] = [];
  for (const entry of reaching) {
    const now = newReach.get(entry.id)!;
    const was = oldReach.get(entry.id)?.jewels;
    for (const [jewelId, level] of now.jewels) {
      const wasLevel = was?.get(jewelId) ?? 0;
      if (wasLevel > 0) continue;
      const v = after.indexOf.get(jewelId)!;
      crownJewelPaths.push({ app: nodeRef(after, entry.index), crownJewel: nodeRef(after, v), level: levelName(level), appExisted: oldNodes.has(entry.id), path: now.draw(v) });
    }
  }
  crownJewelPaths.sort((a, b) => compareRefs(a.app, b.app) || compareRefs(a.crownJewel, b.crownJewel));

  const findingOptions: FindingOptions = { ...options.findings, at };
  const oldFindings = governanceFindings(before, findingOptions);
  const newFindings = governanceFindings(after, findingOptions);
  const oldIds = new Set(oldFindings.map((finding) => finding.id));
  const newIds = new Set(newFindings.map((finding) => finding.id));

  // Scope expanded since approval, from the two imports: a grant that grew while its approval did not move.
  const expansions = scopeExpansions(oldFragment, newFragment);
  const grantIds = new Set(expansions.filter((expansion) => expansion.grant !== undefined).map((expansion) => expansion.subject));
  const oldApprovals = standingApprovals(oldFragment, grantIds);
  const newApprovals = standingApprovals(newFragment, grantIds);
  const unapproved: { grantId: string; scopesBefore: string[]; approval: StandingApproval }[] = [];
  for (const expansion of expansions) {
    const was = oldApprovals.get(expansion.subject);
    const now = newApprovals.get(expansion.subject);
    if (!was && !now) continue;
    const reapproved = now !== undefined && (was === undefined || (now.approvedAt ?? '') > (was.approvedAt ?? ''));
    const standing = reapproved ? now! : was ?? now!;
    const approver = standing.approvedBy !== undefined ? newNodes.get(standing.approvedBy) ?? oldNodes.get(standing.approvedBy) : undefined;
    expansion.approval = { ...standing, reapproved, ...(approver ? { approver: refOf(approver) } : {}) };
    if (was && !reapproved && expansion.scopesAdded.length > 0) unapproved.push({ grantId: expansion.subject, scopesBefore: expansion.scopesBefore, approval: was });
  }
  const rule = RULE_IDS.scopeExpandedSinceApproval;
  const wanted = findingOptions.ruleIds === undefined || findingOptions.ruleIds.includes(rule);
  const fromHistory = wanted
    ? expansionFindings(newFragment, unapproved, (fragment, ruleId) => governanceFindings(buildGraph(fragment, after.schema), { ...findingOptions, ruleIds: [ruleId] }), rule)
      .filter((finding) => !newIds.has(finding.id))
    : [];

  const sortViews = (pair: AddedRemoved<EdgeView>): AddedRemoved<EdgeView> => ({ added: pair.added.sort(compareViews), removed: pair.removed.sort(compareViews) });
  return {
    at: new Date(at).toISOString(),
    old: { nodes: oldFragment.nodes.length, edges: oldFragment.edges.filter((edge) => !isDerived(edge)).length },
    new: { nodes: newFragment.nodes.length, edges: newFragment.edges.filter((edge) => !isDerived(edge)).length },
    nodes, edges,
    apps, credentials,
    grants: sortViews(grouped.grant), memberships: sortViews(grouped.membership), trusts: sortViews(grouped.trust), otherEdges: sortViews(grouped.other),
    otherNodes,
    scopeExpansions: expansions,
    crownJewelPaths,
    scores,
    findings: { added: [...newFindings.filter((finding) => !oldIds.has(finding.id)), ...fromHistory].sort(compareFindings), resolved: oldFindings.filter((finding) => !newIds.has(finding.id)) },
  };
}

/** True when nothing differs: no node or edge change (everything else follows from those). */
export const isEmptyDiff = (diff: Pick<GraphDiff, 'nodes' | 'edges'>): boolean =>
  diff.nodes.added.length + diff.nodes.removed.length + diff.nodes.changed.length + diff.edges.added.length + diff.edges.removed.length + diff.edges.changed.length === 0;

// --- --fail-on: a small expression language over a diff (docs/cli/diff.md) ---

export const FAIL_ON_TERMS = {
  'change': 'any node or edge added, removed or changed',
  'new-app': 'Apps added',
  'removed-app': 'Apps removed',
  'new-credential': 'Credentials added',
  'new-grant': 'grants added (CAN_* edges and scoped edges)',
  'new-membership': 'memberships and roles added (MEMBER_OF, HAS_ROLE, CAN_ADD_MEMBER)',
  'new-trust': 'trusts added (AUTHENTICATES_AS, DELEGATED_AS, CAN_IMPERSONATE, SSO_TO, FEDERATES_TO, RUNS_AS ...)',
  'scope-expansion': 'grants whose scopes or level grew',
  'new-crown-jewel-path': 'crown jewels newly reached by an App',
  'score-increase': "the largest increase of an App's radius score (a new App counts from 0)",
  'score': "the highest radius score of an App that changed",
  'new-finding': 'governance findings that appeared (compare with a severity: new-finding>=high)',
  'resolved-finding': 'governance findings that went away',
} as const;
export type FailOnName = keyof typeof FAIL_ON_TERMS;
const OPERATORS = ['>=', '<=', '>', '<', '='] as const;
type Operator = (typeof OPERATORS)[number];

export interface FailOnTerm {
  text: string;
  name: FailOnName;
  /** Absent: "> 0" on the term's count. */
  operator?: Operator;
  value?: number;
  /** new-finding / resolved-finding compared with a severity instead of a count. */
  severity?: FindingSeverity;
}

export type FailOnParse = { ok: true; terms: FailOnTerm[] } | { ok: false; message: string };

/** `term[,term...]`, a term being `name` or `name<op><number|severity>`; comma means or. */
export function parseFailOn(expression: string): FailOnParse {
  const terms: FailOnTerm[] = [];
  for (const raw of expression.split(',')) {
    const text = raw.trim();
    if (text === '') return { ok: false, message: `--fail-on ${expression}: an empty term (terms are separated by commas)` };
    const match = /^([a-z-]+)\s*(?:(>=|<=|>|<|=)\s*([a-z0-9.]+))?$/.exec(text);
    if (!match) return { ok: false, message: `--fail-on: cannot read "${text}"; a term is a name, optionally compared: scope-expansion, score-increase>100, new-finding>=high` };
    const name = match[1]!;
    if (!(name in FAIL_ON_TERMS)) return { ok: false, message: `--fail-on: unknown term "${name}"; known terms: ${Object.keys(FAIL_ON_TERMS).join(', ')}` };
    const term: FailOnTerm = { text, name: name as FailOnName };
    if (match[2] !== undefined) {
      term.operator = match[2] as Operator;
      const value = match[3]!;
      if ((name === 'new-finding' || name === 'resolved-finding') && value in SEVERITY_RANK) term.severity = value as FindingSeverity;
      else if (/^\d+(\.\d+)?$/.test(value)) term.value = Number(value);
      else return { ok: false, message: `--fail-on: "${text}": expected a number${name.endsWith('-finding') ? ' or a severity (info, low, medium, high, critical)' : ''} after ${match[2]}` };
    }
    terms.push(term);
  }
  return { ok: true, terms };
}

const compare = (left: number, operator: Operator, right: number): boolean =>
  operator === '>=' ? left >= right : operator === '<=' ? left <= right : operator === '>' ? left > right : operator === '<' ? left < right : left === right;

function termCount(diff: GraphDiff, name: FailOnName): number {
  switch (name) {
    case 'change': return diff.nodes.added.length + diff.nodes.removed.length + diff.nodes.changed.length + diff.edges.added.length + diff.edges.removed.length + diff.edges.changed.length;
    case 'new-app': return diff.apps.added.length;
    case 'removed-app': return diff.apps.removed.length;
    case 'new-credential': return diff.credentials.added.length;
    case 'new-grant': return diff.grants.added.length;
    case 'new-membership': return diff.memberships.added.length;
    case 'new-trust': return diff.trusts.added.length;
    case 'scope-expansion': return diff.scopeExpansions.length;
    case 'new-crown-jewel-path': return diff.crownJewelPaths.length;
    case 'new-finding': return diff.findings.added.length;
    case 'resolved-finding': return diff.findings.resolved.length;
    case 'score-increase': return Math.max(0, ...diff.scores.map((entry) => entry.delta));
    case 'score': return Math.max(0, ...diff.scores.map((entry) => entry.after ?? 0));
  }
}

/**
 * The terms that hold on the diff, each with what made it hold. A count term without comparison holds when the
 * count is above 0; with one, when the count compares; a finding term with a severity holds when some finding
 * of that kind has a severity that compares (`new-finding>=high`: a new high or critical finding).
 */
export function evaluateFailOn(diff: GraphDiff, terms: readonly FailOnTerm[]): { term: FailOnTerm; value: number }[] {
  const matched: { term: FailOnTerm; value: number }[] = [];
  for (const term of terms) {
    if (term.severity !== undefined) {
      const findings = term.name === 'new-finding' ? diff.findings.added : diff.findings.resolved;
      const hits = findings.filter((finding) => compare(SEVERITY_RANK[finding.severity], term.operator!, SEVERITY_RANK[term.severity!]));
      if (hits.length > 0) matched.push({ term, value: hits.length });
      continue;
    }
    const value = termCount(diff, term.name);
    if (term.operator === undefined ? value > 0 : compare(value, term.operator, term.value!)) matched.push({ term, value });
  }
  return matched;
}

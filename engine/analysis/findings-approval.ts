// The approval rules (docs/findings.md): a grant whose scopes grew past what was approved
// (BM-GOV-SCOPE-EXPANDED-SINCE-APPROVAL) and access approved by someone since disabled or deleted
// (BM-GOV-APPROVER-DISABLED). Kept apart from findings.ts, which registers each in one line.
import type { GraphEdge, GraphNode } from '../format/native.ts';
import type { CompactGraph, EdgeAttrs } from '../store/compact.ts';
import { adminScopeMatches, type FindingRule, type FindingSeverity } from './findings-catalog.ts';
import type { Finding, FindingEvidence, RelatedNode, RuleHit } from './findings.ts';

/** What the rules need of the findings engine's context (findings.ts's FindingContext has it). */
export interface ApprovalContext {
  readonly graph: CompactGraph;
  node(v: number): GraphNode;
  related(v: number, relation: string): RelatedNode;
  finding(rule: FindingRule, v: number, severity: FindingSeverity, evidence: () => FindingEvidence): RuleHit;
}

/** One approval as recorded on a node or on a grant edge. */
interface Approval {
  approvedBy?: string | undefined;
  approvedAt?: string | undefined;
  approvedScopes?: readonly string[] | undefined;
  /** The scopes carried now by what the approval covers. */
  scopes: readonly string[];
}

/**
 * Approvals per node: its own (App, Credential) and those on the edges of the grants it is (edges naming it as
 * their `grant`) or, for an edge without a grant, on the edges out of it. Built once per graph, in one pass over
 * the nodes and the edges that carry properties; a graph without any approval costs that pass only.
 */
interface ApprovalIndex {
  byNode: Map<number, Approval[]>;
}

const indexes = new WeakMap<CompactGraph, ApprovalIndex>();

const hasApproval = (record: Pick<EdgeAttrs, 'approvedBy' | 'approvedAt' | 'approvedScopes'>): boolean =>
  record.approvedBy !== undefined || record.approvedAt !== undefined || record.approvedScopes !== undefined;

function approvalIndex(graph: CompactGraph): ApprovalIndex {
  let index = indexes.get(graph);
  if (index) return index;
  const byNode = new Map<number, Approval[]>();
  const add = (v: number, approval: Approval): void => {
    const list = byNode.get(v);
    if (list) list.push(approval);
    else byNode.set(v, [approval]);
  };
  // A node's approval covers the scopes of the whole grant: its own and those of every edge naming it as grant.
  const grantScopes = new Map<string, Set<string>>();
  for (let v = 0; v < graph.nodeCount; v++) {
    const node = graph.nodes[v]!;
    if ((node.kind === 'App' || node.kind === 'Credential') && hasApproval(node)) grantScopes.set(node.id, new Set(node.scopes ?? []));
  }
  for (let e = 0; e < graph.edgeCount; e++) {
    const attrs = graph.edgeAttrs[e];
    if (attrs === undefined || attrs.derivedFrom !== undefined) continue;
    if (attrs.grant !== undefined && attrs.scopes !== undefined) {
      const scopes = grantScopes.get(attrs.grant);
      if (scopes) for (const scope of attrs.scopes) scopes.add(scope);
    }
    if (!hasApproval(attrs)) continue;
    const grant = attrs.grant !== undefined ? graph.indexOf.get(attrs.grant) : undefined;
    add(grant ?? graph.edgeSrc[e]!, { approvedBy: attrs.approvedBy, approvedAt: attrs.approvedAt, approvedScopes: attrs.approvedScopes, scopes: attrs.scopes ?? [] });
  }
  for (const [id, scopes] of grantScopes) {
    const v = graph.indexOf.get(id)!;
    const node = graph.nodes[v]!;
    add(v, { approvedBy: node.approvedBy, approvedAt: node.approvedAt, approvedScopes: node.approvedScopes, scopes: [...scopes] });
  }
  index = { byNode };
  indexes.set(graph, index);
  return index;
}

const day = (iso: string | undefined): string => (iso === undefined ? 'an unknown date' : iso.slice(0, 10));

/** BM-GOV-SCOPE-EXPANDED-SINCE-APPROVAL on one node: scopes it (or its grant edges) carries that no approval covered. */
export function scopeExpandedSinceApproval(ctx: ApprovalContext, v: number, rule: FindingRule): RuleHit | undefined {
  const approvals = approvalIndex(ctx.graph).byNode.get(v);
  if (!approvals) return undefined;
  const node = ctx.node(v);
  const added = new Set<string>();
  const approved = new Set<string>();
  let latest: Approval | undefined;
  for (const approval of approvals) {
    if (approval.approvedScopes === undefined) continue;
    for (const scope of approval.approvedScopes) approved.add(scope);
    if (latest === undefined || (approval.approvedAt ?? '') > (latest.approvedAt ?? '')) latest = approval;
  }
  // An approval on one edge covers that edge; the node's own approval covers the whole grant.
  for (const approval of approvals) {
    if (approval.approvedScopes === undefined) continue;
    for (const scope of approval.scopes) if (!approval.approvedScopes.includes(scope) && !approved.has(scope)) added.add(scope);
  }
  if (added.size === 0 || latest === undefined) return undefined;
  // Named in the evidence: the latest approval that carries an added scope (an app that granted itself one, say).
  for (const approval of approvals) {
    if (approval.approvedScopes === undefined || !approval.scopes.some((scope) => added.has(scope))) continue;
    if (!latest.scopes.some((scope) => added.has(scope)) || (approval.approvedAt ?? '') > (latest.approvedAt ?? '')) latest = approval;
  }
  const scopes = [...added].sort();
  const admin = adminScopeMatches(scopes, node.platform);
  const dates: Record<string, string> = {};
  if (latest.approvedAt !== undefined) dates.approvedAt = latest.approvedAt;
  const approver = latest.approvedBy !== undefined ? ctx.graph.indexOf.get(latest.approvedBy) : undefined;
  const by = latest.approvedBy === undefined ? '' : ` by ${approver !== undefined ? ctx.node(approver).name : latest.approvedBy}`;
  const adminNote = admin.length > 0 ? ` (tenant-wide or admin: ${admin.map((match) => match.scope).join(', ')})` : '';
  return ctx.finding(rule, v, admin.length > 0 ? 'high' : rule.severity, () => ({
    // An approval that covered nothing is a grant recorded without one (an application assigning itself a permission).
    summary: latest.approvedScopes!.length === 0
      ? `Granted${by} on ${day(latest.approvedAt)} with no approval recorded: carries ${scopes.join(', ')}${adminNote}.`
      : `Approved${by} on ${day(latest.approvedAt)} for ${[...approved].sort().join(', ')}; now also carries ${scopes.join(', ')}${adminNote}, with no approval since.`,
    dates,
    related: approver !== undefined ? [ctx.related(approver, 'approved by')] : [],
    scopes,
  }));
}

/** BM-GOV-APPROVER-DISABLED on one node: an approval of it (or of its grant edges) by an account now disabled or gone. */
export function approverDisabled(ctx: ApprovalContext, v: number, rule: FindingRule): RuleHit | undefined {
  const approvals = approvalIndex(ctx.graph).byNode.get(v);
  if (!approvals) return undefined;
  const node = ctx.node(v);
  const approvers = [...new Set(approvals.map((approval) => approval.approvedBy).filter((id): id is string => id !== undefined))].sort();
  const disabled: number[] = [];
  const missing: string[] = [];
  for (const id of approvers) {
    const u = ctx.graph.indexOf.get(id);
    if (u === undefined) missing.push(id);
    else if (ctx.node(u).enabled === false) disabled.push(u);
  }
  // An approver absent from the graph is only known to be gone when the import covers the approver's tenant:
  // some identity of the approved node's own platform and tenant is in the graph.
  const gone = missing.length > 0 && tenantHasIdentities(ctx.graph, node.platform, node.tenant) ? missing : [];
  if (disabled.length === 0 && gone.length === 0) return undefined;
  const dates: Record<string, string> = {};
  const approvedAt = approvals.map((approval) => approval.approvedAt).filter((at): at is string => at !== undefined).sort().at(-1);
  if (approvedAt !== undefined) dates.approvedAt = approvedAt;
  const parts = [
    ...(disabled.length > 0 ? [`approved by ${disabled.map((u) => ctx.node(u).name).join(', ')}, now disabled`] : []),
    ...(gone.length > 0 ? [`approved by ${gone.join(', ')}, no longer in the directory`] : []),
  ];
  const severity: FindingSeverity = disabled.length > 0 ? (node.thirdParty === true ? 'high' : rule.severity) : 'low';
  return ctx.finding(rule, v, severity, () => ({
    summary: `${parts.join('; ')}: no one accountable for this approval is left${node.thirdParty === true ? ' (third-party)' : ''}.`,
    dates,
    related: disabled.map((u) => ctx.related(u, 'disabled approver')),
  }));
}

const identityTenants = new WeakMap<CompactGraph, Set<string>>();

function tenantHasIdentities(graph: CompactGraph, platform: string, tenant: string): boolean {
  let tenants = identityTenants.get(graph);
  if (!tenants) {
    tenants = new Set();
    for (const node of graph.nodes) if (node.kind === 'Identity') tenants.add(`${node.platform}\u0000${node.tenant}`);
    identityTenants.set(graph, tenants);
  }
  return tenants.has(`${platform}\u0000${tenant}`);
}

// --- between two imports: a grant that grew while its approval stayed the same ----------------------------

/** The approval a grant stands on in one graph: the latest recorded on the grant, its edges, or else its holder. */
export interface StandingApproval {
  approvedAt?: string;
  approvedBy?: string;
  /** Where it is recorded: the grant (node or edges) or the app holding it. */
  on: 'grant' | 'holder';
}

interface FragmentLike { nodes: readonly GraphNode[]; edges: readonly GraphEdge[] }

/** Per grant id: its latest approval (grant node or grant edges, else the App holding it). Only for `grants`. */
export function standingApprovals(fragment: FragmentLike, grants: ReadonlySet<string>): Map<string, StandingApproval> {
  const nodes = new Map(fragment.nodes.map((node) => [node.id, node]));
  const found = new Map<string, StandingApproval>();
  const consider = (grant: string, record: { approvedAt?: string | undefined; approvedBy?: string | undefined }, on: StandingApproval['on']): void => {
    if (record.approvedAt === undefined && record.approvedBy === undefined) return;
    const current = found.get(grant);
    if (current && (current.on === 'grant' && on === 'holder')) return;
    if (current && current.on === on && (record.approvedAt ?? '') <= (current.approvedAt ?? '')) return;
    found.set(grant, { ...(record.approvedAt !== undefined ? { approvedAt: record.approvedAt } : {}), ...(record.approvedBy !== undefined ? { approvedBy: record.approvedBy } : {}), on });
  };
  for (const grant of grants) {
    const node = nodes.get(grant);
    if (node) consider(grant, node, 'grant');
  }
  for (const edge of fragment.edges) {
    if (edge.derivedFrom !== undefined) continue;
    if (edge.grant !== undefined && grants.has(edge.grant)) consider(edge.grant, edge, 'grant');
    if (edge.kind === 'HOLDS' && grants.has(edge.to)) {
      const holder = nodes.get(edge.from);
      if (holder?.kind === 'App') consider(edge.to, holder, 'holder');
    }
  }
  return found;
}

/**
 * A grant that grew between two imports while its approval did not move: the old import had an approval and the
 * new one has no later one. `scopesBefore` (what the grant carried when it was last approved, as far as the old
 * import knows) becomes the approval's `approvedScopes`, and the single-graph rule judges the grant on a small
 * graph of the grant and its neighbours, so the finding reads like one from audit data.
 */
export function expansionFindings(
  after: FragmentLike,
  expanded: readonly { grantId: string; scopesBefore: readonly string[]; approval: StandingApproval }[],
  evaluate: (fragment: { nodes: GraphNode[]; edges: GraphEdge[] }, ruleId: string) => Finding[],
  ruleId: string,
): Finding[] {
  if (expanded.length === 0) return [];
  const byGrant = new Map(expanded.map((entry) => [entry.grantId, entry]));
  const nodes = new Map(after.nodes.map((node) => [node.id, node]));
  const keep = new Set<string>();
  const edges: GraphEdge[] = [];
  for (const edge of after.edges) {
    if (edge.derivedFrom !== undefined) continue;
    const touches = byGrant.has(edge.from) || byGrant.has(edge.to) || (edge.grant !== undefined && byGrant.has(edge.grant));
    if (!touches) continue;
    edges.push(edge.grant !== undefined && byGrant.has(edge.grant) ? stripApproval(edge) : edge);
    keep.add(edge.from).add(edge.to);
  }
  const subNodes: GraphNode[] = [];
  for (const id of new Set([...keep, ...byGrant.keys()])) {
    const node = nodes.get(id);
    if (!node) continue;
    const entry = byGrant.get(id);
    if (entry) {
      const { approvedAt, approvedBy } = entry.approval;
      subNodes.push({ ...stripApproval(node), approvedScopes: [...entry.scopesBefore], ...(approvedAt !== undefined ? { approvedAt } : {}), ...(approvedBy !== undefined ? { approvedBy } : {}) });
    } else subNodes.push(node);
  }
  // The approver, so the finding names them.
  for (const entry of expanded) {
    const approver = entry.approval.approvedBy !== undefined ? nodes.get(entry.approval.approvedBy) : undefined;
    if (approver && !keep.has(approver.id) && !byGrant.has(approver.id)) { subNodes.push(approver); keep.add(approver.id); }
  }
  return evaluate({ nodes: subNodes, edges }, ruleId).filter((finding) => byGrant.has(finding.nodeId));
}

function stripApproval<T extends { approvedScopes?: unknown; approvedAt?: unknown; approvedBy?: unknown }>(record: T): T {
  const copy = { ...record };
  delete copy.approvedScopes;
  delete copy.approvedAt;
  delete copy.approvedBy;
  return copy;
}

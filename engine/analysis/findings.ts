// Governance findings (docs/findings.md): ownership, staleness, rotation, expiry, over-broad and unused
// scopes, leaked secrets, unverified vendors. Read from node records and edges; reach only rates privilege.
import { BlastmapError } from '../errors.ts';
import type { GraphNode } from '../format/native.ts';
import type { CompactGraph } from '../store/compact.ts';
import {
  adminScopeMatches, FINDING_RULES, FINDING_SEVERITIES, LONG_LIVED_CREDENTIAL_TYPES, RULE_IDS, RULES_BY_ID, SEVERITY_RANK,
  type FindingReferences, type FindingRule, type FindingSeverity,
} from './findings-catalog.ts';
import { allowedKinds, toInstant } from './reach.ts';
import { gradedKinds, nodePoints } from './score.ts';

export interface FindingOptions {
  /** Analysis instant (default now): only nodes usable at `at` are checked, and ages are measured to it. */
  at?: Date | string | number;
  /** A credential, app or non-human identity unused for more than this many days is stale (default 90). */
  staleDays?: number;
  /** A long-lived credential not rotated for more than this many days is due (default 365). */
  rotationDays?: number;
  /** When set, a credential that expires more than this many days after its creation or rotation is flagged too. */
  maxLifetimeDays?: number;
  /** Blast-radius score at or above which a node counts as privileged (default 25; see docs/findings.md). */
  privilegedScore?: number;
  /** Only findings at this severity or higher. */
  severityAtLeast?: FindingSeverity;
  /** Only these rules (ids from FINDING_RULES). */
  ruleIds?: readonly string[];
}

export const FINDING_DEFAULTS = { staleDays: 90, rotationDays: 365, privilegedScore: 25 } as const;

/** What a node's own blast radius says about its authority; drives severity, not whether a rule fires (except where a rule is about privilege). */
export interface PrivilegeSummary {
  score: number;
  /** Resources and platforms reached at admin. */
  adminOn: number;
  /** Ids of crown jewels reached. */
  crownJewels: string[];
  privileged: boolean;
}

export interface RelatedNode {
  id: string;
  name: string;
  kind: string;
  platform: string;
  /** How it relates to the finding's node, e.g. `disabled owner`, `contained in`, `held by`. */
  relation: string;
}

export interface FindingEvidence {
  /** One human sentence with the facts that triggered the rule. */
  summary: string;
  /** The dates the rule looked at (ISO instants), by field name. */
  dates: Record<string, string>;
  related: RelatedNode[];
  /** Scopes the finding is about (admin, unused), when there are any. */
  scopes?: string[];
  privilege?: PrivilegeSummary;
}

export interface Finding {
  /** `<ruleId>:<nodeId>`: stable across runs, one finding per rule and node. */
  id: string;
  ruleId: string;
  title: string;
  severity: FindingSeverity;
  nodeId: string;
  nodeName: string;
  kind: string;
  platform: string;
  tenant: string;
  evidence: FindingEvidence;
  remediation: string;
  references: FindingReferences;
}

export interface FindingsReport {
  at: string;
  thresholds: { staleDays: number; rotationDays: number; maxLifetimeDays: number | null; privilegedScore: number };
  total: number;
  counts: Record<FindingSeverity, number>;
  findings: Finding[];
}

const DAY = 86_400_000;
const CROWN_JEWEL_TAG = 'crown-jewel';
const NON_HUMAN_SUBTYPES = new Set(['service', 'workload']);

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const day = (iso: string): string => iso.slice(0, 10);
const daysBetween = (from: number, to: number): number => Math.floor((to - from) / DAY);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const round = (n: number): number => Math.round(n * 100) / 100;

function checkThreshold(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new BlastmapError('INVALID_OPTION', `engine/findings: ${name} must be a number of at least 0, got ${value}`);
  return value;
}

function selectedRules(options: FindingOptions): Set<string> {
  if (!options.ruleIds || options.ruleIds.length === 0) return new Set(FINDING_RULES.map((rule) => rule.id));
  const wanted = new Set<string>();
  for (const raw of options.ruleIds) {
    const id = raw.trim().toUpperCase();
    if (!RULES_BY_ID.has(id)) {
      throw new BlastmapError('INVALID_OPTION', `engine/findings: unknown rule ${raw}`, { candidates: FINDING_RULES.map((rule) => rule.id) });
    }
    wanted.add(id);
  }
  return wanted;
}

/**
 * Rates many nodes' privilege on one graph: the same (node, level) fixpoint as `reach` with every
 * traversable kind and no cuts, but over buffers reused between sources (epoch-stamped), because a full
 * `reach` allocates O(nodes) per call and findings rate tens of thousands of credentials. Tested
 * against `reach` as its oracle.
 */
export function privilegeScanner(graph: CompactGraph, at: number, privilegedScore: number = FINDING_DEFAULTS.privilegedScore): (source: number) => PrivilegeSummary {
  const n = graph.nodeCount;
  const level = new Uint8Array(n);
  const stamp = new Uint32Array(n);
  let epoch = 0;
  const allowed = allowedKinds(graph, {});
  const { fwdOffsets, edgeDst, edgeKind, kindRequires, kindGrants, activeFrom, activeUntil } = graph;
  const graded = gradedKinds(graph);
  const usable = (v: number): boolean => activeFrom[v]! <= at && at < activeUntil[v]!;
  return (source) => {
    const empty: PrivilegeSummary = { score: 0, adminOn: 0, crownJewels: [], privileged: privilegedScore <= 0 };
    if (!usable(source)) return empty;
    if (++epoch === 0xffffffff) { stamp.fill(0); epoch = 1; }
    const held = (v: number): number => (stamp[v] === epoch ? level[v]! : 0);
    const order: number[] = [source];
    stamp[source] = epoch;
    level[source] = 3;
    let frontier = [source * 4 + 3];
    while (frontier.length > 0) {
      const next: number[] = [];
      for (const state of frontier) {
        const u = state >>> 2;
        const have = state & 3;
        for (let e = fwdOffsets[u]!, end = fwdOffsets[u + 1]!; e < end; e++) {
          const kind = edgeKind[e]!;
          if (allowed[kind] === 0 || have < kindRequires[kind]!) continue;
          const grant = kindGrants[kind]! || have;
          const v = edgeDst[e]!;
          const current = held(v);
          if (current >= grant || !usable(v)) continue;
          if (current === 0) order.push(v);
          stamp[v] = epoch;
          level[v] = grant;
          next.push(v * 4 + grant);
        }
      }
      frontier = next;
    }
    let score = 0;
    let adminOn = 0;
    const crownJewels: string[] = [];
    for (const v of order) {
      if (v === source) continue;
      const l = level[v]!;
      score += nodePoints(graph, v, l);
      if (l === 3 && graded[graph.nodeKind[v]!] === 1) adminOn++;
      const node = graph.nodes[v]!;
      if (node.tags?.includes(CROWN_JEWEL_TAG)) crownJewels.push(node.id);
    }
    score = round(score);
    crownJewels.sort(compareText);
    return { score, adminOn, crownJewels, privileged: crownJewels.length > 0 || adminOn > 0 || score >= privilegedScore };
  };
}

/** Everything one evaluation shares: the graph, the instant, thresholds, and cached privilege per node. */
class FindingContext {
  readonly at: number;
  readonly staleDays: number;
  readonly rotationDays: number;
  readonly maxLifetimeDays: number | undefined;
  readonly privilegedScore: number;
  private readonly privilegeCache = new Map<number, PrivilegeSummary>();
  private readonly kindCode: Map<string, number>;
  private readonly scan: (v: number) => PrivilegeSummary;

  constructor(readonly graph: CompactGraph, options: FindingOptions) {
    this.at = toInstant(options.at);
    this.staleDays = checkThreshold('staleDays', options.staleDays, FINDING_DEFAULTS.staleDays);
    this.rotationDays = checkThreshold('rotationDays', options.rotationDays, FINDING_DEFAULTS.rotationDays);
    this.maxLifetimeDays = options.maxLifetimeDays === undefined ? undefined : checkThreshold('maxLifetimeDays', options.maxLifetimeDays, 0);
    this.privilegedScore = checkThreshold('privilegedScore', options.privilegedScore, FINDING_DEFAULTS.privilegedScore);
    this.kindCode = new Map(graph.edgeKindNames.map((name, code) => [name, code]));
    this.scan = privilegeScanner(graph, this.at, this.privilegedScore);
  }

  node(v: number): GraphNode {
    return this.graph.nodes[v]!;
  }

  usable(v: number): boolean {
    return this.graph.activeFrom[v]! <= this.at && this.at < this.graph.activeUntil[v]!;
  }

  /** Sources of edges of `kind` into v, without repeats, by node id (input order must not show in findings). */
  sourcesInto(v: number, kind: string): number[] {
    const code = this.kindCode.get(kind);
    if (code === undefined) return [];
    const { revOffsets, revEdges, edgeKind, edgeSrc } = this.graph;
    const found: number[] = [];
    for (let i = revOffsets[v]!, end = revOffsets[v + 1]!; i < end; i++) {
      const e = revEdges[i]!;
      if (edgeKind[e] === code && !found.includes(edgeSrc[e]!)) found.push(edgeSrc[e]!);
    }
    return this.byId(found);
  }

  /** Indices of edges of `kind` out of v. */
  edgesFrom(v: number, kind?: string): number[] {
    const code = kind === undefined ? undefined : this.kindCode.get(kind);
    if (kind !== undefined && code === undefined) return [];
    const { fwdOffsets, edgeKind } = this.graph;
    const found: number[] = [];
    for (let e = fwdOffsets[v]!, end = fwdOffsets[v + 1]!; e < end; e++) if (code === undefined || edgeKind[e] === code) found.push(e);
    return found;
  }

  byId(nodes: number[]): number[] {
    return nodes.sort((a, b) => compareText(this.node(a).id, this.node(b).id));
  }

  edgeKindName(e: number): string {
    return this.graph.edgeKindNames[this.graph.edgeKind[e]!]!;
  }

  related(v: number, relation: string): RelatedNode {
    const node = this.node(v);
    return { id: node.id, name: node.name, kind: node.kind, platform: node.platform, relation };
  }

  /** The node's own blast radius at `at`, reduced to what decides severity. Computed once per node. */
  privilege(v: number): PrivilegeSummary {
    let summary = this.privilegeCache.get(v);
    if (!summary) {
      summary = this.scan(v);
      this.privilegeCache.set(v, summary);
    }
    return summary;
  }

  finding(rule: FindingRule, v: number, severity: FindingSeverity, evidence: FindingEvidence): Finding {
    const node = this.node(v);
    return {
      id: `${rule.id}:${node.id}`,
      ruleId: rule.id,
      title: rule.title,
      severity,
      nodeId: node.id,
      nodeName: node.name,
      kind: node.kind,
      platform: node.platform,
      tenant: node.tenant,
      evidence,
      remediation: rule.remediation,
      references: { owaspNhi: [...rule.references.owaspNhi], nistCsf: [...rule.references.nistCsf] },
    };
  }
}

type RuleCheck = (ctx: FindingContext, v: number, rule: FindingRule) => Finding | undefined;

const isNonHumanIdentity = (node: GraphNode): boolean => node.kind === 'Identity' && node.subtype !== undefined && NON_HUMAN_SUBTYPES.has(node.subtype);
const isLongLivedCredential = (node: GraphNode): boolean => node.kind === 'Credential' && node.type !== undefined && LONG_LIVED_CREDENTIAL_TYPES.includes(node.type);
const names = (ctx: FindingContext, nodes: readonly number[]): string => nodes.map((u) => ctx.node(u).name).join(', ');

function privilegeNote(privilege: PrivilegeSummary): string {
  const parts: string[] = [];
  if (privilege.crownJewels.length > 0) parts.push(plural(privilege.crownJewels.length, 'crown jewel'));
  if (privilege.adminOn > 0) parts.push(`admin on ${privilege.adminOn === 1 ? '1 resource or platform' : `${privilege.adminOn} resources or platforms`}`);
  return `${parts.length > 0 ? `reaches ${parts.join(' and ')}, ` : ''}blast-radius score ${privilege.score}`;
}

function validity(node: GraphNode): string {
  return node.expiresAt === undefined ? 'still valid, no expiry' : `still valid until ${day(node.expiresAt)}`;
}

function nodeDates(node: GraphNode, fields: readonly ('createdAt' | 'lastUsedAt' | 'rotatedAt' | 'expiresAt')[]): Record<string, string> {
  const dates: Record<string, string> = {};
  for (const field of fields) {
    const value = node[field];
    if (value !== undefined) dates[field] = value;
  }
  return dates;
}

/** Owners of v: sources of OWNS edges, then ownerIds (resolved to nodes when they are in the graph). */
function ownersOf(ctx: FindingContext, v: number): { nodes: number[]; unresolved: string[] } {
  const nodes = ctx.sourcesInto(v, 'OWNS');
  const unresolved: string[] = [];
  for (const id of ctx.node(v).ownerIds ?? []) {
    const u = ctx.graph.indexOf.get(id);
    if (u === undefined) unresolved.push(id);
    else if (!nodes.includes(u)) nodes.push(u);
  }
  return { nodes: ctx.byId(nodes), unresolved };
}

const leakedCredential: RuleCheck = (ctx, v, rule) => {
  const node = ctx.node(v);
  if (node.kind !== 'Credential') return undefined;
  const containers = ctx.sourcesInto(v, 'CONTAINS_CREDENTIAL');
  if (containers.length === 0) return undefined;
  return ctx.finding(rule, v, rule.severity, {
    summary: `${node.type ?? 'Credential'} found in ${names(ctx, containers)}; ${validity(node)}${node.lastUsedAt ? `, last used ${day(node.lastUsedAt)}` : ''}.`,
    dates: nodeDates(node, ['createdAt', 'lastUsedAt', 'expiresAt']),
    related: containers.map((u) => ctx.related(u, 'contained in')),
  });
};

const unverifiedThirdParty: RuleCheck = (ctx, v, rule) => {
  const node = ctx.node(v);
  if (node.kind !== 'App' || node.thirdParty !== true || node.publisherVerified === true) return undefined;
  const privilege = ctx.privilege(v);
  if (!privilege.privileged) return undefined;
  const publisher = node.publisherVerified === false ? 'publisher not verified' : 'publisher verification unknown';
  return ctx.finding(rule, v, privilege.crownJewels.length > 0 ? 'critical' : rule.severity, {
    summary: `Third-party app${node.vendor ? ` from ${node.vendor}` : ''}, ${publisher}; ${privilegeNote(privilege)}.`,
    dates: {},
    related: privilege.crownJewels.map((id) => ctx.related(ctx.graph.indexOf.get(id)!, 'crown jewel reached')),
    privilege,
  });
};

const adminScopes: RuleCheck = (ctx, v, rule) => {
  const node = ctx.node(v);
  if (node.kind !== 'App' && node.kind !== 'Credential') return undefined;
  const reasons: string[] = [];
  const scopes = new Map<string, string>();
  const related: RelatedNode[] = [];
  const relatedSeen = new Set<string>();
  const relate = (u: number, relation: string): void => {
    const key = `${u}|${relation}`;
    if (!relatedSeen.has(key)) { relatedSeen.add(key); related.push(ctx.related(u, relation)); }
  };
  for (const e of ctx.edgesFrom(v)) {
    const target = ctx.graph.edgeDst[e]!;
    const targetNode = ctx.node(target);
    const kind = ctx.edgeKindName(e);
    if (kind === 'CAN_ADMIN' && targetNode.kind === 'Platform') {
      reasons.push(`admin on platform ${targetNode.name}`);
      relate(target, 'admin on');
    } else if (kind === 'HAS_ROLE' && targetNode.privileged === true) {
      reasons.push(`privileged role ${targetNode.name}`);
      relate(target, 'privileged role');
    }
    const edgeScopes = ctx.graph.edgeAttrs[e]?.scopes;
    if (edgeScopes && edgeScopes.length > 0) {
      const matches = adminScopeMatches(edgeScopes, targetNode.platform);
      for (const match of matches) scopes.set(match.scope, match.meaning);
      if (matches.length > 0) relate(target, 'broad scopes on');
    }
  }
  if (node.scopes) for (const match of adminScopeMatches(node.scopes, node.platform)) scopes.set(match.scope, match.meaning);
  if (reasons.length === 0 && scopes.size === 0) return undefined;
  const scopeList = [...scopes.keys()].sort(compareText);
  const summary = [...new Set(reasons)].sort(compareText);
  if (scopeList.length > 0) summary.push(`tenant-wide or admin scopes ${scopeList.map((scope) => `${scope} (${scopes.get(scope)})`).join(', ')}`);
  return ctx.finding(rule, v, rule.severity, {
    summary: `Holds ${summary.join('; ')}.`,
    dates: {},
    related: related.sort((a, b) => compareText(a.relation, b.relation) || compareText(a.id, b.id)),
    ...(scopeList.length > 0 ? { scopes: scopeList } : {}),
  });
};

const noMfaPrivileged: RuleCheck = (ctx, v, rule) => {
  const node = ctx.node(v);
  if (node.kind !== 'Identity' || node.mfa !== false) return undefined;
  const privilege = ctx.privilege(v);
  if (!privilege.privileged) return undefined;
  return ctx.finding(rule, v, rule.severity, {
    summary: `${node.subtype === 'human' ? 'Human identity' : node.subtype ? `${node.subtype === 'service' ? 'Service' : 'Workload'} identity` : 'Identity'} without MFA; ${privilegeNote(privilege)}.`,
    dates: nodeDates(node, ['lastUsedAt']),
    related: privilege.crownJewels.map((id) => ctx.related(ctx.graph.indexOf.get(id)!, 'crown jewel reached')),
    privilege,
  });
};

const ownerDisabled: RuleCheck = (ctx, v, rule) => {
  const node = ctx.node(v);
  if (node.kind !== 'App' && node.kind !== 'Credential' && !isNonHumanIdentity(node)) return undefined;
  const owners = ownersOf(ctx, v);
  const disabled = owners.nodes.filter((u) => ctx.node(u).enabled === false);
  if (disabled.length === 0) return undefined;
  const total = owners.nodes.length + owners.unresolved.length;
  const related = disabled.map((u) => ctx.related(u, 'disabled owner'));
  if (disabled.length < total) {
    return ctx.finding(rule, v, 'low', {
      summary: `${disabled.length} of ${total} owners disabled: ${names(ctx, disabled)}.`,
      dates: {},
      related,
    });
  }
  const privilege = ctx.privilege(v);
  const raised = privilege.privileged || node.thirdParty === true;
  return ctx.finding(rule, v, raised ? 'high' : rule.severity, {
    summary: `Orphaned: every owner is disabled (${names(ctx, disabled)})${raised ? `; ${node.thirdParty ? 'third-party, ' : ''}${privilegeNote(privilege)}` : ''}.`,
    dates: {},
    related,
    privilege,
  });
};

const noOwner: RuleCheck = (ctx, v, rule) => {
  const node = ctx.node(v);
  const isApp = node.kind === 'App';
  if (!isApp && !isNonHumanIdentity(node)) return undefined;
  const owners = ownersOf(ctx, v);
  if (owners.nodes.length > 0 || owners.unresolved.length > 0) return undefined;
  const privilege = ctx.privilege(v);
  const thirdParty = isApp && node.thirdParty === true;
  const raised = privilege.privileged || thirdParty;
  const severity: FindingSeverity = isApp ? (raised ? 'high' : 'medium') : (raised ? 'medium' : 'low');
  const what = isApp ? (thirdParty ? `Third-party app${node.vendor ? ` from ${node.vendor}` : ''}` : 'App') : `${node.subtype === 'service' ? 'Service' : 'Workload'} identity`;
  return ctx.finding(rule, v, severity, {
    summary: `${what} with no owner (no OWNS edge, no ownerIds); ${privilegeNote(privilege)}.`,
    dates: nodeDates(node, ['createdAt', 'lastUsedAt']),
    related: [],
    privilege,
  });
};

const stale: RuleCheck = (ctx, v, rule) => {
  const node = ctx.node(v);
  if (node.kind !== 'Credential' && node.kind !== 'App' && !isNonHumanIdentity(node)) return undefined;
  if (node.lastUsedAt === undefined) return undefined;
  const lastUsed = Date.parse(node.lastUsedAt);
  if (!(ctx.at - lastUsed > ctx.staleDays * DAY)) return undefined;
  const privilege = ctx.privilege(v);
  const holders = node.kind === 'Credential' ? ctx.sourcesInto(v, 'HOLDS') : [];
  return ctx.finding(rule, v, privilege.privileged ? 'high' : rule.severity, {
    summary: `Last used ${day(node.lastUsedAt)}, ${daysBetween(lastUsed, ctx.at)} days before the analysis date (threshold ${ctx.staleDays}); ` +
      `${node.kind === 'Credential' ? validity(node) : 'still enabled'}${holders.length > 0 ? `; held by ${names(ctx, holders)}` : ''}; ${privilegeNote(privilege)}.`,
    dates: nodeDates(node, ['lastUsedAt', 'createdAt', 'expiresAt']),
    related: holders.map((u) => ctx.related(u, 'held by')),
    privilege,
  });
};

const notRotated: RuleCheck = (ctx, v, rule) => {
  const node = ctx.node(v);
  if (!isLongLivedCredential(node)) return undefined;
  const since = node.rotatedAt ?? node.createdAt;
  if (since === undefined) return undefined;
  const sinceMs = Date.parse(since);
  if (!(ctx.at - sinceMs > ctx.rotationDays * DAY)) return undefined;
  const privilege = ctx.privilege(v);
  return ctx.finding(rule, v, privilege.privileged ? 'high' : rule.severity, {
    summary: `${node.rotatedAt ? `Last rotated ${day(node.rotatedAt)}` : `Never rotated since creation on ${day(since)}`}, ` +
      `${daysBetween(sinceMs, ctx.at)} days before the analysis date (threshold ${ctx.rotationDays}); ${node.type}, ${validity(node)}; ${privilegeNote(privilege)}.`,
    dates: nodeDates(node, ['rotatedAt', 'createdAt', 'expiresAt']),
    related: [],
    privilege,
  });
};

const unusedScopes: RuleCheck = (ctx, v, rule) => {
  const node = ctx.node(v);
  if (node.kind !== 'Credential' && node.kind !== 'App') return undefined;
  if (!node.scopes || !node.usedScopes) return undefined;
  const used = new Set(node.usedScopes.map((scope) => scope.toLowerCase()));
  const unused = [...new Set(node.scopes.filter((scope) => !used.has(scope.toLowerCase())))].sort(compareText);
  if (unused.length === 0) return undefined;
  const broad = adminScopeMatches(unused, node.platform).map((match) => match.scope);
  const granted = new Set(node.scopes).size;
  return ctx.finding(rule, v, broad.length > 0 ? 'high' : rule.severity, {
    summary: `${unused.length} of ${granted} granted scopes never seen in use: ${unused.join(', ')}` +
      `${broad.length > 0 ? ` (tenant-wide or admin: ${broad.join(', ')})` : ''}${node.lastUsedAt ? `; usage up to ${day(node.lastUsedAt)}` : ''}.`,
    dates: nodeDates(node, ['lastUsedAt']),
    related: [],
    scopes: unused,
  });
};

const humanUsesNhi: RuleCheck = (ctx, v, rule) => {
  const node = ctx.node(v);
  if (node.kind !== 'Credential') return undefined;
  const humans = ctx.sourcesInto(v, 'HOLDS').filter((u) => ctx.node(u).kind === 'Identity' && ctx.node(u).subtype === 'human');
  if (humans.length === 0) return undefined;
  const actsAs = ctx.byId([...new Set(ctx.edgesFrom(v, 'AUTHENTICATES_AS').map((e) => ctx.graph.edgeDst[e]!))]
    .filter((u) => ctx.node(u).kind === 'App' || isNonHumanIdentity(ctx.node(u))));
  if (actsAs.length === 0) return undefined;
  const privilege = ctx.privilege(v);
  return ctx.finding(rule, v, privilege.privileged ? 'high' : rule.severity, {
    summary: `Held by ${names(ctx, humans)} (human) and authenticates as ${names(ctx, actsAs)}; ${privilegeNote(privilege)}.`,
    dates: nodeDates(node, ['lastUsedAt', 'createdAt']),
    related: [...humans.map((u) => ctx.related(u, 'held by human')), ...actsAs.map((u) => ctx.related(u, 'authenticates as'))],
    privilege,
  });
};

const noExpiry: RuleCheck = (ctx, v, rule) => {
  const node = ctx.node(v);
  if (!isLongLivedCredential(node)) return undefined;
  let summary: string;
  if (node.expiresAt === undefined) {
    summary = `${node.type} with no expiry`;
  } else {
    const start = node.rotatedAt ?? node.createdAt;
    if (ctx.maxLifetimeDays === undefined || start === undefined) return undefined;
    const lifetime = daysBetween(Date.parse(start), Date.parse(node.expiresAt));
    if (!(Date.parse(node.expiresAt) - Date.parse(start) > ctx.maxLifetimeDays * DAY)) return undefined;
    summary = `${node.type} valid for ${lifetime} days (${day(start)} to ${day(node.expiresAt)}), more than the ${ctx.maxLifetimeDays}-day maximum`;
  }
  const privilege = ctx.privilege(v);
  return ctx.finding(rule, v, privilege.privileged ? 'medium' : rule.severity, {
    summary: `${summary}; ${privilegeNote(privilege)}.`,
    dates: nodeDates(node, ['createdAt', 'rotatedAt', 'expiresAt']),
    related: [],
    privilege,
  });
};

const CHECKS: Readonly<Record<string, RuleCheck>> = {
  [RULE_IDS.leakedCredential]: leakedCredential,
  [RULE_IDS.unverifiedThirdParty]: unverifiedThirdParty,
  [RULE_IDS.adminScopes]: adminScopes,
  [RULE_IDS.noMfaPrivileged]: noMfaPrivileged,
  [RULE_IDS.ownerDisabled]: ownerDisabled,
  [RULE_IDS.noOwner]: noOwner,
  [RULE_IDS.stale]: stale,
  [RULE_IDS.notRotated]: notRotated,
  [RULE_IDS.unusedScopes]: unusedScopes,
  [RULE_IDS.humanUsesNhi]: humanUsesNhi,
  [RULE_IDS.noExpiry]: noExpiry,
};

const RULE_ORDER = new Map(FINDING_RULES.map((rule, i) => [rule.id, i]));

/** Most severe first, then catalogue order of rules, then node id (code-point order). */
export function compareFindings(a: Finding, b: Finding): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]
    || RULE_ORDER.get(a.ruleId)! - RULE_ORDER.get(b.ruleId)!
    || compareText(a.nodeId, b.nodeId);
}

/**
 * Governance findings over every node usable at `options.at`: disabled, revoked, expired or
 * not-yet-created nodes raise nothing (they cannot be used; radius reports list them as dormant).
 */
export function governanceFindings(graph: CompactGraph, options: FindingOptions = {}): Finding[] {
  return evaluate(graph, options).findings;
}

function evaluate(graph: CompactGraph, options: FindingOptions): { ctx: FindingContext; findings: Finding[] } {
  const ctx = new FindingContext(graph, options);
  const rules = selectedRules(options);
  if (options.severityAtLeast !== undefined && !(options.severityAtLeast in SEVERITY_RANK)) {
    throw new BlastmapError('INVALID_OPTION', `engine/findings: severity ${String(options.severityAtLeast)} is not one of ${FINDING_SEVERITIES.join(', ')}`);
  }
  const floor = options.severityAtLeast === undefined ? 0 : SEVERITY_RANK[options.severityAtLeast];
  const active = FINDING_RULES.filter((rule) => rules.has(rule.id));
  const findings: Finding[] = [];
  for (let v = 0; v < graph.nodeCount; v++) {
    if (!ctx.usable(v)) continue;
    for (const rule of active) {
      const finding = CHECKS[rule.id]!(ctx, v, rule);
      if (finding && SEVERITY_RANK[finding.severity] >= floor) findings.push(finding);
    }
  }
  return { ctx, findings: findings.sort(compareFindings) };
}

/** Findings with the instant, thresholds and counts by severity: what the CLI prints as JSON and renders. */
export function findingsReport(graph: CompactGraph, options: FindingOptions = {}): FindingsReport {
  const { ctx, findings } = evaluate(graph, options);
  const counts = Object.fromEntries(FINDING_SEVERITIES.map((severity) => [severity, 0])) as Record<FindingSeverity, number>;
  for (const finding of findings) counts[finding.severity]++;
  return {
    at: new Date(ctx.at).toISOString(),
    thresholds: { staleDays: ctx.staleDays, rotationDays: ctx.rotationDays, maxLifetimeDays: ctx.maxLifetimeDays ?? null, privilegedScore: ctx.privilegedScore },
    total: findings.length,
    counts,
    findings,
  };
}

/** True when some finding is at `severity` or above (the CLI's --fail-on). */
export function hasFindingAtLeast(findings: readonly Finding[], severity: FindingSeverity): boolean {
  return findings.some((finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[severity]);
}

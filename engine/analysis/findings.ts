// Governance findings (docs/findings.md): leaks, privilege held by machines and the vendors reaching them,
// open OIDC trusts, reuse, environments, ownership, staleness, rotation, expiry, scopes; each with where to act.
import { BlastmapError } from '../errors.ts';
import type { GraphNode } from '../format/native.ts';
import { canonicalInstant, type CompactGraph } from '../store/compact.ts';
import {
  adminScopeMatches, FINDING_RULES, FINDING_SEVERITIES, LONG_LIVED_CREDENTIAL_TYPES, RULE_IDS, RULES_BY_ID, SEVERITY_RANK,
  type AdminScopeMatch, type FindingReferences, type FindingRule, type FindingSeverity,
} from './findings-catalog.ts';
import { reviewOverdue } from './findings-review.ts';
import { connectionConcentration, identityControlPlane, segregationOfDuties, sharedConnection } from './findings-ipaas.ts';
import { approverDisabled, scopeExpandedSinceApproval } from './findings-approval.ts';
import { allowedKinds, toInstant, type ReachOptions } from './reach.ts';
import { consolePath, consoleRow, consoleRowPath, type ConsoleContext } from './console-paths.ts';
import { markedClassesReached, markedReachScanner, reachTotalsScanner, targetsReached, type MarkedReach } from './closure.ts';
import { gradedKinds, nodePoints } from './score.ts';
import { WORK } from './work.ts';

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
  /**
   * Smallest closure shared between sources as a hub (default 64 nodes). Tests lower it so that small graphs
   * take the shared path too; results are the same either way.
   */
  hubMinSize?: number;
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
  /** Where to act: the platform's admin console path to the object (engine/analysis/console-paths.ts). */
  console: string;
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

/** Roles and platform administration a principal holds as its own (through MEMBER_OF and HAS_ROLE). */
export interface HeldPrivilege {
  roles: number[];
  adminOf: number[];
}

export type Environment = 'production' | 'non-production';

/** Edge kinds by which a compromise picks up further secrets or acts as their holders: not a credential's own authority. */
const HARVEST_EDGE_KINDS = ['CONTAINS_CREDENTIAL', 'STORES_CREDENTIAL', 'HOLDS', 'RUNS_AS', 'RUNS_AS_ON_TRIGGER'];

const PRODUCTION_WORDS = new Set(['production', 'prod', 'prd', 'live']);
const NON_PRODUCTION_WORDS = new Set(['staging', 'stage', 'stg', 'dev', 'development', 'test', 'testing', 'qa', 'uat', 'sandbox', 'nonprod', 'preprod', 'non-production', 'nonproduction']);

function environmentOfWords(words: readonly string[]): Environment | undefined {
  if (words.some((word) => NON_PRODUCTION_WORDS.has(word))) return 'non-production';
  if (words.some((word) => PRODUCTION_WORDS.has(word))) return 'production';
  return undefined;
}

function environmentFromTags(tags: readonly string[] | undefined): Environment | undefined {
  return tags ? environmentOfWords(tags.map((tag) => tag.toLowerCase())) : undefined;
}

/** Whole words of a name: `corvid-prod-exports` is production, `product-catalog` is not. */
function environmentFromName(name: string): Environment | undefined {
  return environmentOfWords(name.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean));
}

const DAY = 86_400_000;
/** `Date.parse`, without the general parser for the canonical form records store (`canonicalInstant`): rules read an instant per node. */
const instantOf = (text: string): number => {
  const fast = canonicalInstant(text);
  return Number.isNaN(fast) ? Date.parse(text) : fast;
};
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

/** What one source reaches: the nodes in discovery order (the source first) and the level of each. */
export interface ScannedReach {
  order: number[];
  levels: Uint8Array;
}

/**
 * The same (node, level) fixpoint as `reach` with no cuts, but over buffers reused between sources
 * (epoch-stamped), because a full `reach` allocates O(nodes) per call and findings rate tens of thousands
 * of credentials. `options` narrows the edge kinds as `reach` does. Tested against `reach` as its oracle.
 */
export function reachScanner(graph: CompactGraph, at: number, options: Pick<ReachOptions, 'edgeKinds' | 'excludeEdgeKinds'> = {}): (source: number) => ScannedReach {
  const n = graph.nodeCount;
  const level = new Uint8Array(n);
  const stamp = new Uint32Array(n);
  let epoch = 0;
  const allowed = allowedKinds(graph, options);
  const { fwdOffsets, edgeDst, edgeKind, kindRequires, kindGrants, activeFrom, activeUntil } = graph;
  const usable = (v: number): boolean => activeFrom[v]! <= at && at < activeUntil[v]!;
  return (source) => {
    if (!usable(source)) return { order: [], levels: new Uint8Array(0) };
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
        WORK.edges += fwdOffsets[u + 1]! - fwdOffsets[u]!;
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
    return { order, levels: Uint8Array.from(order, (v) => level[v]!) };
  };
}

/**
 * Rates many nodes' privilege on one graph, each exactly as its full reach says. Findings rate every flagged
 * credential, app and identity of an enterprise, and most of them reach one shared core (an SSO platform, a
 * cloud admin role): `reachTotalsScanner` rates the core once and each node only by what it adds, instead of
 * one full reach per node (the version kept as the oracle in test/helpers/reference-privilege.ts).
 */
export function privilegeScanner(graph: CompactGraph, at: number, privilegedScore: number = FINDING_DEFAULTS.privilegedScore): (source: number) => PrivilegeSummary {
  const totals = reachTotalsScanner(graph, { at });
  const graded = gradedKinds(graph);
  if (!totals) {
    const scan = reachScanner(graph, at);
    return (source) => summarizePrivilege(graph, graded, scan(source), source, privilegedScore);
  }
  // Sources that add nothing to the hub share its crown-jewel array: sort its ids once.
  const sortedIds = new WeakMap<readonly number[], string[]>();
  return (source) => {
    const reached = totals(source);
    if (!reached.usable) return { score: 0, adminOn: 0, crownJewels: [], privileged: privilegedScore <= 0 };
    let crownJewels = sortedIds.get(reached.crownJewels);
    if (!crownJewels) {
      crownJewels = reached.crownJewels.map((v) => graph.nodes[v]!.id).sort(compareText);
      sortedIds.set(reached.crownJewels, crownJewels);
    }
    const score = round(reached.score);
    // Shared by every node that adds no crown jewel to its hub's (read-only: at a million nodes a copy per
    // rated node would be thousands of ids each).
    return { score, adminOn: reached.adminOn, crownJewels, privileged: crownJewels.length > 0 || reached.adminOn > 0 || score >= privilegedScore };
  };
}

function summarizePrivilege(graph: CompactGraph, graded: Uint8Array, reached: ScannedReach, source: number, privilegedScore: number): PrivilegeSummary {
  if (reached.order.length === 0) return { score: 0, adminOn: 0, crownJewels: [], privileged: privilegedScore <= 0 };
  let score = 0;
  let adminOn = 0;
  const crownJewels: string[] = [];
  reached.order.forEach((v, i) => {
    if (v === source) return;
    const l = reached.levels[i]!;
    score += nodePoints(graph, v, l);
    if (l === 3 && graded[graph.nodeKind[v]!] === 1) adminOn++;
    const node = graph.nodes[v]!;
    if (node.tags?.includes(CROWN_JEWEL_TAG)) crownJewels.push(node.id);
  });
  score = round(score);
  crownJewels.sort(compareText);
  return { score, adminOn, crownJewels, privileged: crownJewels.length > 0 || adminOn > 0 || score >= privilegedScore };
}

/** Everything one evaluation shares: the graph, the instant, thresholds, and cached privilege per node. */
export class FindingContext {
  readonly at: number;
  readonly staleDays: number;
  readonly rotationDays: number;
  readonly maxLifetimeDays: number | undefined;
  readonly privilegedScore: number;
  private readonly privilegeCache = new Map<number, PrivilegeSummary>();
  private readonly kindCode: Map<string, number>;
  private readonly scan: (v: number) => ScannedReach;
  private readonly rate: (v: number) => PrivilegeSummary;
  private readonly scanOwn: (v: number) => ScannedReach;
  private readonly scanRoles: (v: number) => ScannedReach;
  private readonly heldCache = new Map<number, HeldPrivilege>();
  private readonly environmentCache = new Map<number, Environment | undefined>();
  private readonly platformNodes = new Map<string, number[]>();
  private readonly harvestKinds: string[];
  private readonly roleKinds: string[];
  private readonly hubMinSize: number | undefined;

  constructor(readonly graph: CompactGraph, options: FindingOptions) {
    this.at = toInstant(options.at);
    this.staleDays = checkThreshold('staleDays', options.staleDays, FINDING_DEFAULTS.staleDays);
    this.rotationDays = checkThreshold('rotationDays', options.rotationDays, FINDING_DEFAULTS.rotationDays);
    this.maxLifetimeDays = options.maxLifetimeDays === undefined ? undefined : checkThreshold('maxLifetimeDays', options.maxLifetimeDays, 0);
    this.privilegedScore = checkThreshold('privilegedScore', options.privilegedScore, FINDING_DEFAULTS.privilegedScore);
    this.kindCode = new Map(graph.edgeKindNames.map((name, code) => [name, code]));
    this.scan = reachScanner(graph, this.at);
    this.rate = privilegeScanner(graph, this.at, this.privilegedScore);
    // A credential's own authority: what it reaches without picking up further secrets or acting as their holders.
    this.harvestKinds = HARVEST_EDGE_KINDS.filter((kind) => graph.edgeKindNames.includes(kind));
    this.scanOwn = reachScanner(graph, this.at, { excludeEdgeKinds: this.harvestKinds });
    this.hubMinSize = options.hubMinSize;
    // What a principal holds as its own: memberships and roles, not what those roles' permissions reach.
    this.roleKinds = ['MEMBER_OF', 'HAS_ROLE'].filter((kind) => graph.edgeKindNames.includes(kind));
    this.scanRoles = reachScanner(graph, this.at, { edgeKinds: this.roleKinds });
    graph.nodes.forEach((node, v) => {
      if (node.kind !== 'Platform') return;
      const key = `${node.platform}\u0000${node.tenant}`;
      const list = this.platformNodes.get(key);
      if (list) list.push(v);
      else this.platformNodes.set(key, [v]);
    });
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
    WORK.edges += revOffsets[v + 1]! - revOffsets[v]!;
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
    WORK.edges += fwdOffsets[v + 1]! - fwdOffsets[v]!;
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
      summary = this.rate(v);
      this.privilegeCache.set(v, summary);
    }
    return summary;
  }

  private privilegeTargets: { reached: (v: number) => boolean; isTarget: Uint8Array } | undefined;

  /**
   * `privilege(v).privileged`, without v's reach when it can be helped: one reverse search finds every node
   * that reaches a crown jewel (at any level) or a graded node at admin, either of which makes it privileged.
   * Only the rest (and crown jewels or graded nodes themselves, which must not count themselves) are rated by
   * their reach, to compare their score with the threshold. Rules decide severity with this and put the full
   * summary (`privilege`) in the evidence.
   */
  privileged(v: number): boolean {
    const known = this.privilegeCache.get(v);
    if (known) return known.privileged;
    if (!this.privilegeTargets) {
      const graded = gradedKinds(this.graph);
      const isTarget = new Uint8Array(this.graph.nodeCount);
      const targets: number[] = [];
      const levels: number[] = [];
      for (let u = 0; u < this.graph.nodeCount; u++) {
        const crownJewel = this.node(u).tags?.includes(CROWN_JEWEL_TAG) === true;
        if (!crownJewel && graded[this.graph.nodeKind[u]!] !== 1) continue;
        isTarget[u] = 1;
        targets.push(u);
        levels.push(crownJewel ? 1 : 3);
      }
      const reached = targetsReached(this.graph, { at: this.at }, targets, levels);
      this.privilegeTargets = { reached: reached ?? (() => false), isTarget };
    }
    const { reached, isTarget } = this.privilegeTargets;
    if (isTarget[v] === 0 && reached(v)) return true;
    return this.privilege(v).privileged;
  }

  private readonly adminScopeCache = new Map<string, readonly AdminScopeMatch[]>();

  /**
   * `adminScopeMatches`, remembered per platform and scope list: an enterprise's hundreds of thousands of
   * credentials and grants carry a few hundred distinct scope lists, each matched against the whole table.
   */
  adminScopes(scopes: readonly string[], platform: string): readonly AdminScopeMatch[] {
    const key = `${platform}\u0000${scopes.join('\u0000')}`;
    let matches = this.adminScopeCache.get(key);
    if (!matches) this.adminScopeCache.set(key, matches = adminScopeMatches(scopes, platform));
    return matches;
  }

  /** Every node v's compromise reaches (v first), at `at`. */
  reached(v: number): number[] {
    return this.scan(v).order;
  }

  /** What a credential reaches by its own authority, without the further credentials it could harvest. */
  ownReach(v: number): number[] {
    return this.scanOwn(v).order;
  }

  private privilegedIdentityScan: ((source: number) => MarkedReach) | undefined;

  /**
   * The non-human identities holding privilege (`heldPrivilege`) that v's compromise reaches, v excluded, by id.
   * Shared hub closures as in `ownEnvironments`; apps that add none to their hub's share one array.
   */
  privilegedIdentitiesReached(v: number): readonly number[] {
    if (!this.privilegedIdentityScan) {
      const marks = new Uint8Array(this.graph.nodeCount);
      for (let u = 0; u < this.graph.nodeCount; u++) {
        if (this.usable(u) && isNonHumanIdentity(this.node(u)) && this.holdsAnyPrivilege(u)) marks[u] = 1;
      }
      const nodes = this.graph.nodes;
      this.privilegedIdentityScan = markedReachScanner(this.graph, { at: this.at }, marks, 1, Infinity,
        (a, b) => compareText(nodes[a]!.id, nodes[b]!.id), this.hubMinSize)!;
    }
    return this.privilegedIdentityScan(v).first[0]!;
  }

  private readonly relatedLists = new WeakMap<readonly number[], Map<string, RelatedNode[]>>();

  /** `related` entries for a list of nodes; one array per list and relation, so findings that share a list share it. */
  relatedList(nodes: readonly number[], relation: string): RelatedNode[] {
    let byRelation = this.relatedLists.get(nodes);
    if (!byRelation) this.relatedLists.set(nodes, byRelation = new Map());
    let related = byRelation.get(relation);
    if (!related) byRelation.set(relation, related = nodes.map((u) => this.related(u, relation)));
    return related;
  }

  private readonly relatedIdLists = new WeakMap<readonly string[], Map<string, RelatedNode[]>>();

  /** `relatedList` for a list of node ids (a privilege summary's crown jewels, shared between nodes). */
  relatedOfIds(ids: readonly string[], relation: string): RelatedNode[] {
    let byRelation = this.relatedIdLists.get(ids);
    if (!byRelation) this.relatedIdLists.set(ids, byRelation = new Map());
    let related = byRelation.get(relation);
    if (!related) byRelation.set(relation, related = ids.map((id) => this.related(this.graph.indexOf.get(id)!, relation)));
    return related;
  }

  private environmentScan: ((source: number) => MarkedReach) | undefined;
  private environmentClasses: ((v: number, cls: number) => boolean) | undefined;
  private environmentMarkCache: Uint8Array | undefined;

  /** Resources and platforms by environment: 1 production, 2 non-production, 0 neither or unknown. */
  private environmentMarks(): Uint8Array {
    if (!this.environmentMarkCache) {
      const marks = new Uint8Array(this.graph.nodeCount);
      for (let u = 0; u < this.graph.nodeCount; u++) {
        const kind = this.node(u).kind;
        if (kind !== 'Resource' && kind !== 'Platform') continue;
        const environment = this.environment(u);
        if (environment !== undefined) marks[u] = environment === 'production' ? 1 : 2;
      }
      this.environmentMarkCache = marks;
    }
    return this.environmentMarkCache;
  }

  /**
   * The production (class 1) and non-production (class 2) resources and platforms a credential reaches by its
   * own authority (as `ownReach`): counts and the first ENVIRONMENT_SAMPLE of each by id. Every credential shares
   * the closures of the graph's hubs (`markedReachScanner`); the rule asks it only of credentials that span both
   * (`spansEnvironments`), when their finding is written.
   */
  ownEnvironments(v: number): MarkedReach {
    if (!this.environmentScan) {
      const nodes = this.graph.nodes;
      this.environmentScan = markedReachScanner(this.graph, { at: this.at, excludeEdgeKinds: this.harvestKinds }, this.environmentMarks(), 2, ENVIRONMENT_SAMPLE,
        (a, b) => compareText(nodes[a]!.id, nodes[b]!.id), this.hubMinSize)!;
    }
    return this.environmentScan(v);
  }

  /**
   * Whether v's own authority reaches both a production and a non-production resource or platform (v excluded),
   * as `ownEnvironments` counts them: for every node at once by one reverse search per environment
   * (`markedClassesReached`), instead of a forward reach per credential.
   */
  spansEnvironments(v: number): boolean {
    const marks = this.environmentMarks();
    // v counts itself in the reverse search; the rare marked node asks its own reach.
    if (marks[v] !== 0) {
      const counts = this.ownEnvironments(v).counts;
      return counts[0]! > 0 && counts[1]! > 0;
    }
    this.environmentClasses ??= markedClassesReached(this.graph, { at: this.at, excludeEdgeKinds: this.harvestKinds }, marks, 2)!;
    return this.environmentClasses(v, 1) && this.environmentClasses(v, 2);
  }

  /**
   * The privileged roles v holds (directly or through groups and roles it holds) and the platforms it, its
   * groups or those roles administer. Cached: third-party rules ask it of many identities.
   */
  heldPrivilege(v: number): HeldPrivilege {
    let held = this.heldCache.get(v);
    if (held) return held;
    const roles: number[] = [];
    const adminOf: number[] = [];
    for (const u of this.scanRoles(v).order) {
      const node = this.node(u);
      if (u !== v && node.kind === 'Role' && node.privileged === true) roles.push(u);
      for (const e of this.edgesFrom(u, 'CAN_ADMIN')) {
        const target = this.graph.edgeDst[e]!;
        if (this.node(target).kind === 'Platform' && this.usable(target) && !adminOf.includes(target)) adminOf.push(target);
      }
    }
    held = { roles: this.byId(roles), adminOf: this.byId(adminOf) };
    this.heldCache.set(v, held);
    return held;
  }

  private heldTargets: { reached: (v: number) => boolean; privilegedRole: Uint8Array } | undefined;

  /**
   * `holdsPrivilege(heldPrivilege(v))` for every node at once: one reverse search over memberships and roles
   * from the privileged roles and the nodes that administer a usable platform (CAN_ADMIN). A privileged role
   * itself (which must not count itself) asks its own memberships.
   */
  holdsAnyPrivilege(v: number): boolean {
    if (!this.heldTargets) {
      const targets: number[] = [];
      const privilegedRole = new Uint8Array(this.graph.nodeCount);
      const canAdmin = this.kindCode.get('CAN_ADMIN');
      const { fwdOffsets, edgeDst, edgeKind } = this.graph;
      for (let u = 0; u < this.graph.nodeCount; u++) {
        const node = this.node(u);
        if (node.kind === 'Role' && node.privileged === true) privilegedRole[u] = 1;
        let admin = false;
        if (canAdmin !== undefined) {
          WORK.edges += fwdOffsets[u + 1]! - fwdOffsets[u]!;
          for (let e = fwdOffsets[u]!, end = fwdOffsets[u + 1]!; e < end && !admin; e++) {
            admin = edgeKind[e] === canAdmin && this.node(edgeDst[e]!).kind === 'Platform' && this.usable(edgeDst[e]!);
          }
        }
        if (privilegedRole[u] === 1 || admin) targets.push(u);
      }
      const reached = targetsReached(this.graph, { at: this.at, edgeKinds: this.roleKinds }, targets, 1);
      this.heldTargets = reached ? { reached, privilegedRole } : { reached: () => false, privilegedRole: new Uint8Array(this.graph.nodeCount).fill(1) };
    }
    const { reached, privilegedRole } = this.heldTargets;
    if (privilegedRole[v] === 1) return holdsPrivilege(this.heldPrivilege(v));
    return reached(v);
  }

  private anyEnvironment: boolean | undefined;

  /**
   * Whether any resource or platform of the graph has an environment at all: when none does, no credential
   * can span two and the cross-environment rule skips its per-credential traversal.
   */
  environmentsKnown(): boolean {
    if (this.anyEnvironment === undefined) {
      this.anyEnvironment = false;
      for (let v = 0; v < this.graph.nodeCount && !this.anyEnvironment; v++) {
        const kind = this.node(v).kind;
        if ((kind === 'Resource' || kind === 'Platform') && this.environment(v) !== undefined) this.anyEnvironment = true;
      }
    }
    return this.anyEnvironment;
  }

  /** Production or non-production, from the node's tags, its name, then its tenant's Platform node (docs/findings.md). */
  environment(v: number): Environment | undefined {
    if (this.environmentCache.has(v)) return this.environmentCache.get(v);
    const node = this.node(v);
    let found = environmentFromTags(node.tags) ?? (node.kind === 'Resource' || node.kind === 'Platform' ? environmentFromName(node.name) : undefined);
    if (found === undefined && node.kind !== 'Platform') {
      for (const p of this.platformNodes.get(`${node.platform}\u0000${node.tenant}`) ?? []) {
        const platform = this.node(p);
        found = environmentFromTags(platform.tags) ?? (platform.properties?.sandbox === true ? 'non-production' : environmentFromName(platform.name));
        if (found) break;
      }
    }
    this.environmentCache.set(v, found);
    return found;
  }

  private consoleContext(v: number): ConsoleContext {
    const node = this.node(v);
    const principal = node.kind === 'Credential' ? this.edgesFrom(v, 'AUTHENTICATES_AS').map((e) => this.graph.edgeDst[e]!)[0] : undefined;
    const holders = this.sourcesInto(v, 'HOLDS');
    // The app the credential is registered on names the console page; a vendor's copy does not.
    const holder = holders.find((u) => this.node(u).platform === node.platform) ?? holders[0];
    return {
      node,
      ...(principal !== undefined ? { principal: this.node(principal) } : {}),
      ...(holder !== undefined ? { holder: this.node(holder) } : {}),
    };
  }

  /**
   * Where to act on v (console-paths.ts). For an app living in a vendor's environment, the customer's own
   * place to act is where the credentials it holds, or the apps it is registered as, live.
   */
  console(v: number): string {
    const context = this.consoleContext(v);
    if (consoleRow(context) !== undefined || context.node.kind !== 'App') return consolePath(context);
    const handles = [...this.edgesFrom(v, 'HOLDS'), ...this.edgesFrom(v, 'INSTALLED_IN')].map((e) => this.graph.edgeDst[e]!);
    const managedTogether = this.sourcesInto(v, 'MANAGES').flatMap((p) => this.edgesFrom(p, 'MANAGES').map((e) => this.graph.edgeDst[e]!)).filter((u) => u !== v && this.node(u).kind === 'App');
    for (const u of this.byId([...new Set([...handles, ...managedTogether])])) {
      const path = consoleRowPath(this.consoleContext(u));
      if (path !== undefined) return consolePath(context, path);
    }
    return consolePath(context);
  }

  /**
   * What a rule returns when it fires on v: the severity now, the evidence as a function called only when the
   * finding is written (its sentence, dates and related nodes are most of a finding's cost, and a text report
   * shows a few per rule). Evidence may also be given as an object (built whether written or not).
   */
  finding(_rule: FindingRule, _v: number, severity: FindingSeverity, evidence: FindingEvidence | (() => FindingEvidence)): RuleHit {
    return { severity, evidence: typeof evidence === 'function' ? evidence : () => evidence };
  }

  /** The whole finding of `rule` on v, as written: the rule's hit with its evidence, where to act and the rule's text. */
  build(rule: FindingRule, v: number, hit: RuleHit): Finding {
    const node = this.node(v);
    return {
      id: `${rule.id}:${node.id}`,
      ruleId: rule.id,
      title: rule.title,
      severity: hit.severity,
      nodeId: node.id,
      nodeName: node.name,
      kind: node.kind,
      platform: node.platform,
      tenant: node.tenant,
      console: this.console(v),
      evidence: hit.evidence(),
      remediation: rule.remediation,
      references: { owaspNhi: [...rule.references.owaspNhi], nistCsf: [...rule.references.nistCsf] },
    };
  }
}

/** A rule's answer for one node: the severity, and the evidence built when the finding is written. */
export interface RuleHit {
  severity: FindingSeverity;
  evidence: () => FindingEvidence;
}

/**
 * A rule: whether node v (usable at the instant) raises a finding, and at what severity. It is called once per
 * node when the findings are evaluated, and again for each finding that is written, so it must be a function of
 * the graph and the options only (FindingContext's caches make the second call cheap). Put the cost of the
 * sentence, dates and related nodes in the evidence function, not in the decision.
 */
export type RuleCheck = (ctx: FindingContext, v: number, rule: FindingRule) => RuleHit | undefined;


const isNonHumanIdentity = (node: GraphNode): boolean => node.kind === 'Identity' && node.subtype !== undefined && NON_HUMAN_SUBTYPES.has(node.subtype);
const isLongLivedCredential = (node: GraphNode): boolean => node.kind === 'Credential' && node.type !== undefined && LONG_LIVED_CREDENTIAL_TYPES.includes(node.type);
const names = (ctx: FindingContext, nodes: readonly number[]): string => nodes.map((u) => ctx.node(u).name).join(', ');

/** Microsoft tenants that publish first-party apps (appOwnerOrganizationId), as importers/entra marks them. */
const MICROSOFT_OWNER_TENANTS = new Set(['f8cdef31-a31e-4b4a-93e4-5f571e91255a', '72f988bf-86f1-41af-91ab-2d7cd011db47']);
/** IAM paths AWS itself creates roles under: IAM Identity Center permission sets and service-linked roles. */
const AWS_MANAGED_PATHS = ['/aws-reserved/', '/aws-service-role/'];
/** Okta sign-on modes: the app signs people in (a tile, a SAML or WS-Fed assertion, a stored password). */
const SIGN_IN_MODES = new Set(['BOOKMARK', 'AUTO_LOGIN', 'BROWSER_PLUGIN', 'SECURE_PASSWORD_STORE', 'BASIC_AUTH', 'SAML_1_1', 'SAML_2_0', 'WS_FEDERATION', 'OPENID_CONNECT']);

const stringProperty = (node: GraphNode, key: string): string | undefined => {
  const value = node.properties?.[key];
  return typeof value === 'string' ? value : undefined;
};

/**
 * Objects the customer neither creates nor can own: a platform's first-party apps and service principals
 * (importers write `firstParty`, Entra's `appOwnerOrganizationId`), AWS service-linked roles and the roles
 * IAM Identity Center creates for permission sets (`serviceLinked`, the `/aws-reserved/` path).
 */
export function isPlatformManaged(node: GraphNode): boolean {
  const properties = node.properties ?? {};
  if (properties.firstParty !== undefined && properties.firstParty !== false) return true;
  if (properties.serviceLinked === true) return true;
  const owner = stringProperty(node, 'appOwnerOrganizationId');
  if (owner !== undefined && MICROSOFT_OWNER_TENANTS.has(owner.toLowerCase())) return true;
  const path = stringProperty(node, 'path');
  return path !== undefined && AWS_MANAGED_PATHS.some((prefix) => path.startsWith(prefix));
}

/**
 * An app tile that only signs people in: a sign-on mode fact (Okta `signOnMode`) and no authority of its
 * own (no traversable edge out). The people it signs in are owned where they are managed.
 */
function isSignInOnlyApp(ctx: FindingContext, v: number): boolean {
  const node = ctx.node(v);
  const mode = stringProperty(node, 'signOnMode');
  if (node.kind !== 'App' || mode === undefined || !SIGN_IN_MODES.has(mode.toUpperCase())) return false;
  return ctx.edgesFrom(v).every((e) => ctx.graph.kindTraversable[ctx.graph.edgeKind[e]!] !== 1);
}

/**
 * Whether an identity can sign in interactively, where MFA applies. Workloads never do. Service accounts
 * only with a password: `passwordEnabled`/`consoleAccess` true or a password credential that authenticates
 * as them (a Snowflake legacy service user). Anyone marked API-only, or with no console password, cannot.
 */
function canUseMfa(ctx: FindingContext, v: number): boolean {
  const node = ctx.node(v);
  const properties = node.properties ?? {};
  if (node.subtype === 'workload') return false;
  if (properties.apiOnly === true || properties.passwordEnabled === false || properties.consoleAccess === false) return false;
  if (node.subtype === 'service') {
    if (properties.passwordEnabled === true || properties.consoleAccess === true) return true;
    return ctx.sourcesInto(v, 'AUTHENTICATES_AS').some((u) => ctx.node(u).kind === 'Credential' && ctx.node(u).type === 'password');
  }
  return true;
}

/** A vendor's app: `thirdParty`, or managed from a Platform of another platform (the vendor's environment). */
function isThirdPartyApp(ctx: FindingContext, v: number): boolean {
  const node = ctx.node(v);
  if (node.kind !== 'App') return false;
  if (node.thirdParty === true) return true;
  if (node.thirdParty === false || isPlatformManaged(node)) return false;
  return ctx.sourcesInto(v, 'MANAGES').some((u) => ctx.node(u).kind === 'Platform' && ctx.node(u).platform !== node.platform);
}

const VENDOR_ROTATED_TYPES = new Set(['oauth-grant', 'refresh-token', 'access-token']);

/**
 * The third-party apps holding an OAuth grant or refresh token issued to them: only the vendor can rotate
 * it (by re-authorising); the customer's action is to revoke it. Empty for anything else.
 */
function vendorHolders(ctx: FindingContext, v: number): number[] {
  const node = ctx.node(v);
  if (node.kind !== 'Credential' || node.type === undefined || !VENDOR_ROTATED_TYPES.has(node.type)) return [];
  return ctx.sourcesInto(v, 'HOLDS').filter((u) => isThirdPartyApp(ctx, u));
}

function vendorNote(ctx: FindingContext, v: number): string {
  const vendors = vendorHolders(ctx, v);
  return vendors.length === 0 ? '' : `; held by ${names(ctx, vendors)} (third party): only the vendor can rotate it, revoking it is yours`;
}

/** Held privilege in words, e.g. `role AWS managed policy AdministratorAccess; admin on AWS account 1111`. */
function heldText(ctx: FindingContext, held: HeldPrivilege): string {
  const parts: string[] = [];
  if (held.roles.length > 0) parts.push(`${held.roles.length === 1 ? 'privileged role' : 'privileged roles'} ${names(ctx, held.roles)}`);
  if (held.adminOf.length > 0) parts.push(`admin on ${names(ctx, held.adminOf)}`);
  return parts.join('; ');
}

const holdsPrivilege = (held: HeldPrivilege): boolean => held.roles.length > 0 || held.adminOf.length > 0;

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
  return ctx.finding(rule, v, rule.severity, () => ({
    summary: `${node.type ?? 'Credential'} found in ${names(ctx, containers)}; ${validity(node)}${node.lastUsedAt ? `, last used ${day(node.lastUsedAt)}` : ''}.`,
    dates: nodeDates(node, ['createdAt', 'lastUsedAt', 'expiresAt']),
    related: containers.map((u) => ctx.related(u, 'contained in')),
  }));
};

const unverifiedThirdParty: RuleCheck = (ctx, v, rule) => {
  const node = ctx.node(v);
  if (node.kind !== 'App' || node.thirdParty !== true || node.publisherVerified === true) return undefined;
  const privilege = ctx.privilege(v);
  if (!privilege.privileged) return undefined;
  const publisher = node.publisherVerified === false ? 'publisher not verified' : 'publisher verification unknown';
  return ctx.finding(rule, v, privilege.crownJewels.length > 0 ? 'critical' : rule.severity, () => ({
    summary: `Third-party app${node.vendor ? ` from ${node.vendor}` : ''}, ${publisher}; ${privilegeNote(privilege)}.`,
    dates: {},
    related: ctx.relatedOfIds(privilege.crownJewels, 'crown jewel reached'),
    privilege,
  }));
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
      const matches = ctx.adminScopes(edgeScopes, targetNode.platform);
      for (const match of matches) scopes.set(match.scope, match.meaning);
      if (matches.length > 0) relate(target, 'broad scopes on');
    }
  }
  if (node.scopes) for (const match of ctx.adminScopes(node.scopes, node.platform)) scopes.set(match.scope, match.meaning);
  if (reasons.length === 0 && scopes.size === 0) return undefined;
  const scopeList = [...scopes.keys()].sort(compareText);
  const summary = [...new Set(reasons)].sort(compareText);
  if (scopeList.length > 0) summary.push(`tenant-wide or admin scopes ${scopeList.map((scope) => `${scope} (${scopes.get(scope)})`).join(', ')}`);
  return ctx.finding(rule, v, rule.severity, () => ({
    summary: `Holds ${summary.join('; ')}.`,
    dates: {},
    related: related.sort((a, b) => compareText(a.relation, b.relation) || compareText(a.id, b.id)),
    ...(scopeList.length > 0 ? { scopes: scopeList } : {}),
  }));
};

const noMfaPrivileged: RuleCheck = (ctx, v, rule) => {
  const node = ctx.node(v);
  if (node.kind !== 'Identity' || node.mfa !== false || !canUseMfa(ctx, v)) return undefined;
  const privilege = (): PrivilegeSummary => ctx.privilege(v);
  if (!ctx.privileged(v)) return undefined;
  return ctx.finding(rule, v, rule.severity, () => ({
    summary: `${node.subtype === 'human' ? 'Human identity' : node.subtype ? `${node.subtype === 'service' ? 'Service' : 'Workload'} identity` : 'Identity'} without MFA; ${privilegeNote(privilege())}.`,
    dates: nodeDates(node, ['lastUsedAt']),
    related: ctx.relatedOfIds(privilege().crownJewels, 'crown jewel reached'),
    privilege: privilege(),
  }));
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
    return ctx.finding(rule, v, 'low', () => ({
      summary: `${disabled.length} of ${total} owners disabled: ${names(ctx, disabled)}.`,
      dates: {},
      related,
    }));
  }
  const privilege = (): PrivilegeSummary => ctx.privilege(v);
  const raised = ctx.privileged(v) || node.thirdParty === true;
  return ctx.finding(rule, v, raised ? 'high' : rule.severity, () => ({
    summary: `Orphaned: every owner is disabled (${names(ctx, disabled)})${raised ? `; ${node.thirdParty ? 'third-party, ' : ''}${privilegeNote(privilege())}` : ''}.`,
    dates: {},
    related,
    privilege: privilege(),
  }));
};

const noOwner: RuleCheck = (ctx, v, rule) => {
  const node = ctx.node(v);
  const isApp = node.kind === 'App';
  if (!isApp && !isNonHumanIdentity(node)) return undefined;
  if (isPlatformManaged(node) || isSignInOnlyApp(ctx, v)) return undefined;
  const owners = ownersOf(ctx, v);
  if (owners.nodes.length > 0 || owners.unresolved.length > 0) return undefined;
  const privilege = (): PrivilegeSummary => ctx.privilege(v);
  const thirdParty = isApp && node.thirdParty === true;
  const raised = ctx.privileged(v) || thirdParty;
  const severity: FindingSeverity = isApp ? (raised ? 'high' : 'medium') : (raised ? 'medium' : 'low');
  const what = isApp ? (thirdParty ? `Third-party app${node.vendor ? ` from ${node.vendor}` : ''}` : 'App') : `${node.subtype === 'service' ? 'Service' : 'Workload'} identity`;
  return ctx.finding(rule, v, severity, () => ({
    summary: `${what} with no owner (no OWNS edge, no ownerIds); ${privilegeNote(privilege())}.`,
    dates: nodeDates(node, ['createdAt', 'lastUsedAt']),
    related: [],
    privilege: privilege(),
  }));
};

const stale: RuleCheck = (ctx, v, rule) => {
  const node = ctx.node(v);
  if (node.kind !== 'Credential' && node.kind !== 'App' && !isNonHumanIdentity(node)) return undefined;
  const lastUsedAt = node.lastUsedAt;
  if (lastUsedAt === undefined) return undefined;
  const lastUsed = instantOf(lastUsedAt);
  if (!(ctx.at - lastUsed > ctx.staleDays * DAY)) return undefined;
  return ctx.finding(rule, v, ctx.privileged(v) ? 'high' : rule.severity, () => {
    const privilege = ctx.privilege(v);
    const holders = node.kind === 'Credential' ? ctx.sourcesInto(v, 'HOLDS') : [];
    return {
      summary: `Last used ${day(lastUsedAt)}, ${daysBetween(lastUsed, ctx.at)} days before the analysis date (threshold ${ctx.staleDays}); ` +
        `${node.kind === 'Credential' ? validity(node) : 'still enabled'}${holders.length > 0 ? `; held by ${names(ctx, holders)}` : ''}${vendorHolders(ctx, v).length > 0 ? '; only the vendor can rotate it, revoking it is yours' : ''}; ${privilegeNote(privilege)}.`,
      dates: nodeDates(node, ['lastUsedAt', 'createdAt', 'expiresAt']),
      related: holders.map((u) => ctx.related(u, 'held by')),
      privilege,
    };
  });
};

const notRotated: RuleCheck = (ctx, v, rule) => {
  const node = ctx.node(v);
  if (!isLongLivedCredential(node) || vendorHolders(ctx, v).length > 0) return undefined;
  const since = node.rotatedAt ?? node.createdAt;
  if (since === undefined) return undefined;
  const sinceMs = instantOf(since);
  if (!(ctx.at - sinceMs > ctx.rotationDays * DAY)) return undefined;
  const privilege = (): PrivilegeSummary => ctx.privilege(v);
  return ctx.finding(rule, v, ctx.privileged(v) ? 'high' : rule.severity, () => ({
    summary: `${node.rotatedAt ? `Last rotated ${day(node.rotatedAt)}` : `Never rotated since creation on ${day(since)}`}, ` +
      `${daysBetween(sinceMs, ctx.at)} days before the analysis date (threshold ${ctx.rotationDays}); ${node.type}, ${validity(node)}; ${privilegeNote(privilege())}.`,
    dates: nodeDates(node, ['rotatedAt', 'createdAt', 'expiresAt']),
    related: [],
    privilege: privilege(),
  }));
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
  return ctx.finding(rule, v, broad.length > 0 ? 'high' : rule.severity, () => ({
    summary: `${unused.length} of ${granted} granted scopes never seen in use: ${unused.join(', ')}` +
      `${broad.length > 0 ? ` (tenant-wide or admin: ${broad.join(', ')})` : ''}${node.lastUsedAt ? `; usage up to ${day(node.lastUsedAt)}` : ''}.`,
    dates: nodeDates(node, ['lastUsedAt']),
    related: [],
    scopes: unused,
  }));
};

const humanUsesNhi: RuleCheck = (ctx, v, rule) => {
  const node = ctx.node(v);
  if (node.kind !== 'Credential') return undefined;
  const humans = ctx.sourcesInto(v, 'HOLDS').filter((u) => ctx.node(u).kind === 'Identity' && ctx.node(u).subtype === 'human');
  if (humans.length === 0) return undefined;
  const actsAs = ctx.byId([...new Set(ctx.edgesFrom(v, 'AUTHENTICATES_AS').map((e) => ctx.graph.edgeDst[e]!))]
    .filter((u) => ctx.node(u).kind === 'App' || isNonHumanIdentity(ctx.node(u))));
  if (actsAs.length === 0) return undefined;
  const privilege = (): PrivilegeSummary => ctx.privilege(v);
  return ctx.finding(rule, v, ctx.privileged(v) ? 'high' : rule.severity, () => ({
    summary: `Held by ${names(ctx, humans)} (human) and authenticates as ${names(ctx, actsAs)}; ${privilegeNote(privilege())}.`,
    dates: nodeDates(node, ['lastUsedAt', 'createdAt']),
    related: [...humans.map((u) => ctx.related(u, 'held by human')), ...actsAs.map((u) => ctx.related(u, 'authenticates as'))],
    privilege: privilege(),
  }));
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
  const privilege = (): PrivilegeSummary => ctx.privilege(v);
  return ctx.finding(rule, v, ctx.privileged(v) ? 'medium' : rule.severity, () => ({
    summary: `${summary}${vendorNote(ctx, v)}; ${privilegeNote(privilege())}.`,
    dates: nodeDates(node, ['createdAt', 'rotatedAt', 'expiresAt']),
    related: [],
    privilege: privilege(),
  }));
};

const privilegedNhi: RuleCheck = (ctx, v, rule) => {
  const node = ctx.node(v);
  // Roles IAM Identity Center creates are how people sign in; first-party principals are the platform's own.
  if (!isNonHumanIdentity(node) || isPlatformManaged(node)) return undefined;
  if (!ctx.holdsAnyPrivilege(v)) return undefined;
  const privilege = (): PrivilegeSummary => ctx.privilege(v);
  return ctx.finding(rule, v, rule.severity, () => {
    const held = ctx.heldPrivilege(v);
    return {
    summary: `${node.subtype === 'service' ? 'Service' : 'Workload'} identity holds ${heldText(ctx, held)}; ${privilegeNote(privilege())}.`,
    dates: nodeDates(node, ['lastUsedAt', 'createdAt']),
    related: [...held.roles.map((u) => ctx.related(u, 'privileged role')), ...held.adminOf.map((u) => ctx.related(u, 'admin on'))],
    privilege: privilege(),
    };
  });
};

/** Privileged identities named one by one in the third-party rule's summary (all are in `related`). */
const NAMED_TARGETS = 5;

const thirdPartyPrivilegedNhi: RuleCheck = (ctx, v, rule) => {
  if (!isThirdPartyApp(ctx, v)) return undefined;
  const node = ctx.node(v);
  // Platform-managed roles count here: a vendor reaching an SSO admin role is the worst case, whoever made the role.
  const targets = ctx.privilegedIdentitiesReached(v);
  if (targets.length === 0) return undefined;
  const privilege = (): PrivilegeSummary => ctx.privilege(v);
  const named = targets.slice(0, NAMED_TARGETS).map((u) => `${ctx.node(u).name} (${heldText(ctx, ctx.heldPrivilege(u))})`).join(', ');
  return ctx.finding(rule, v, rule.severity, () => ({
    summary: `Third-party app${node.vendor ? ` from ${node.vendor}` : ''} reaches ${targets.length === 1 ? 'a privileged non-human identity' : `${targets.length} privileged non-human identities`}: ` +
      `${named}${targets.length > NAMED_TARGETS ? ` and ${targets.length - NAMED_TARGETS} more` : ''}; ${privilegeNote(privilege())}.`,
    dates: {},
    related: ctx.relatedList(targets, 'privileged identity reached'),
    privilege: privilege(),
  }));
};

/** A subject that pins nothing: `*`, or a GitHub-style `repo:*` that any owner's repository matches. */
const openSubject = (subject: string): boolean => /^\*+$/.test(subject.trim()) || /^repo:\*/.test(subject.trim());

const federatedNoSubject: RuleCheck = (ctx, v, rule) => {
  const node = ctx.node(v);
  if (node.kind !== 'Credential' || node.type !== 'federated') return undefined;
  const properties = node.properties ?? {};
  // Only trusts whose importer records the subject condition: web-identity (OIDC) trusts. SAML and cross-account trusts have none.
  if (properties.webIdentity !== true && properties.issuer === undefined) return undefined;
  const raw = properties.subject;
  const subjects = (Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw]).map(String);
  const open = subjects.filter(openSubject);
  if (subjects.length > 0 && open.length === 0) return undefined;
  const provider = stringProperty(node, 'provider') ?? stringProperty(node, 'issuer') ?? 'its identity provider';
  const principals = ctx.byId([...new Set(ctx.edgesFrom(v, 'AUTHENTICATES_AS').map((e) => ctx.graph.edgeDst[e]!))]);
  const privilege = (): PrivilegeSummary => ctx.privilege(v);
  const toPrivileged = principals.some((u) => ctx.holdsAnyPrivilege(u));
  return ctx.finding(rule, v, ctx.privileged(v) || toPrivileged ? 'critical' : rule.severity, () => ({
    summary: `Trusts ${provider} ${subjects.length === 0 ? 'with no subject condition' : `with an open subject condition (${open.join(', ')})`}: ` +
      `any workload that provider issues tokens to can act as ${principals.length > 0 ? names(ctx, principals) : 'the trusting principal'}; ${privilegeNote(privilege())}.`,
    dates: nodeDates(node, ['createdAt', 'lastUsedAt']),
    related: principals.map((u) => ctx.related(u, 'authenticates as')),
    privilege: privilege(),
  }));
};

const sharedCredential: RuleCheck = (ctx, v, rule) => {
  const node = ctx.node(v);
  if (node.kind !== 'Credential') return undefined;
  const holders = ctx.sourcesInto(v, 'HOLDS').filter((u) => ctx.node(u).kind === 'App' || isNonHumanIdentity(ctx.node(u)));
  // An app on the credential's own platform and tenant is the registration the credential belongs to (a connected
  // app and its tokens, an app registration and its secrets), not a second user of it; holders managed from the
  // same vendor environment are one integration.
  const users = holders.filter((u) => ctx.node(u).kind !== 'App' || ctx.node(u).platform !== node.platform || ctx.node(u).tenant !== node.tenant);
  const integrations = new Set(users.map((u) => {
    const vendorEnvironment = ctx.sourcesInto(u, 'MANAGES').find((p) => ctx.node(p).kind === 'Platform' && ctx.node(p).platform !== node.platform);
    return vendorEnvironment === undefined ? ctx.node(u).id : ctx.node(vendorEnvironment).id;
  }));
  if (integrations.size < 2) return undefined;
  const privilege = (): PrivilegeSummary => ctx.privilege(v);
  return ctx.finding(rule, v, ctx.privileged(v) ? 'high' : rule.severity, () => ({
    summary: `${node.type ?? 'Credential'} held by ${users.length} apps or workloads (${names(ctx, users)}): rotating or revoking it breaks all of them, and their use cannot be told apart; ${privilegeNote(privilege())}.`,
    dates: nodeDates(node, ['createdAt', 'lastUsedAt', 'rotatedAt']),
    related: users.map((u) => ctx.related(u, 'held by')),
    privilege: privilege(),
  }));
};

/** How many production and non-production nodes the cross-environment evidence names. */
const ENVIRONMENT_SAMPLE = 5;

const crossEnvironment: RuleCheck = (ctx, v, rule) => {
  const node = ctx.node(v);
  if (node.kind !== 'Credential' || !ctx.environmentsKnown()) return undefined;
  if (!ctx.spansEnvironments(v)) return undefined;
  const privilege = (): PrivilegeSummary => ctx.privilege(v);
  return ctx.finding(rule, v, ctx.privileged(v) ? 'high' : rule.severity, () => {
    // Which ones, and how many: one reach of this credential, only when its finding is written.
    const reached = ctx.ownEnvironments(v);
    const [production, nonProduction] = reached.counts as [number, number];
    const [firstProduction, firstNonProduction] = reached.first as [readonly number[], readonly number[]];
    const sample = (first: readonly number[], total: number): string => `${names(ctx, first.slice(0, 3))}${total > 3 ? ` and ${total - 3} more` : ''}`;
    return {
      summary: `Reaches production (${sample(firstProduction, production)}) and non-production (${sample(firstNonProduction, nonProduction)}) with its own authority; ${privilegeNote(privilege())}.`,
      dates: nodeDates(node, ['createdAt', 'lastUsedAt']),
      related: [...firstProduction.map((u) => ctx.related(u, 'production')), ...firstNonProduction.map((u) => ctx.related(u, 'non-production'))],
      privilege: privilege(),
    };
  });
};

/**
 * Every rule's check by rule id; a rule is its catalogue entry (findings-catalog.ts: id, title, severity, text,
 * references) plus its check here. The order of evaluation and of reports is the catalogue's.
 */
export const RULE_CHECKS: Readonly<Record<string, RuleCheck>> = {
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
  [RULE_IDS.privilegedNhi]: privilegedNhi,
  [RULE_IDS.thirdPartyPrivilegedWorkload]: thirdPartyPrivilegedNhi,
  [RULE_IDS.federatedNoSubject]: federatedNoSubject,
  [RULE_IDS.sharedCredential]: sharedCredential,
  [RULE_IDS.crossEnvironment]: crossEnvironment,
  [RULE_IDS.reviewOverdue]: reviewOverdue,
  [RULE_IDS.identityControlPlane]: identityControlPlane,
  [RULE_IDS.segregationOfDuties]: segregationOfDuties,
  [RULE_IDS.sharedConnection]: sharedConnection,
  [RULE_IDS.connectionConcentration]: connectionConcentration,
  [RULE_IDS.scopeExpandedSinceApproval]: scopeExpandedSinceApproval,
  [RULE_IDS.approverDisabled]: approverDisabled,
};

/**
 * The node kinds each rule can fire on (its check answers nothing for any other kind: it tests the kind first). The
 * evaluation reads the kind column and asks a rule only about these, instead of every rule about every node; a rule
 * not listed is asked about every node. Tested: no rule fires on a kind it does not list.
 */
export const RULE_NODE_KINDS: Readonly<Partial<Record<string, readonly string[]>>> = {
  [RULE_IDS.leakedCredential]: ['Credential'],
  [RULE_IDS.unverifiedThirdParty]: ['App'],
  [RULE_IDS.adminScopes]: ['App', 'Credential'],
  [RULE_IDS.noMfaPrivileged]: ['Identity'],
  [RULE_IDS.ownerDisabled]: ['App', 'Credential', 'Identity'],
  [RULE_IDS.noOwner]: ['App', 'Identity'],
  [RULE_IDS.stale]: ['App', 'Credential', 'Identity'],
  [RULE_IDS.notRotated]: ['Credential'],
  [RULE_IDS.unusedScopes]: ['App', 'Credential'],
  [RULE_IDS.humanUsesNhi]: ['Credential'],
  [RULE_IDS.noExpiry]: ['Credential'],
  [RULE_IDS.privilegedNhi]: ['Identity'],
  [RULE_IDS.thirdPartyPrivilegedWorkload]: ['App'],
  [RULE_IDS.federatedNoSubject]: ['Credential'],
  [RULE_IDS.sharedCredential]: ['Credential'],
  [RULE_IDS.crossEnvironment]: ['Credential'],
  [RULE_IDS.reviewOverdue]: ['App', 'Credential'],
  [RULE_IDS.identityControlPlane]: ['App'],
  [RULE_IDS.segregationOfDuties]: ['App'],
  [RULE_IDS.sharedConnection]: ['Credential'],
  [RULE_IDS.connectionConcentration]: ['Platform'],
};

const RULE_ORDER = new Map(FINDING_RULES.map((rule, i) => [rule.id, i]));

/** Most severe first, then catalogue order of rules, then node id (code-point order). */
export function compareFindings(a: Finding, b: Finding): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]
    || RULE_ORDER.get(a.ruleId)! - RULE_ORDER.get(b.ruleId)!
    || compareText(a.nodeId, b.nodeId);
}

/** The findings of one rule at one severity: counted when evaluated, each built when it is read. */
export interface FindingGroup {
  rule: FindingRule;
  severity: FindingSeverity;
  count: number;
  /** The group's findings by node id (code-point order): the first `limit` (all by default), built one at a time. */
  findings(limit?: number): Iterable<Finding>;
}

/**
 * Findings evaluated without being built: the counts, and the groups in report order (most severe first,
 * then catalogue order of rules, as `compareFindings` sorts). A group's findings are built while they are
 * read, so a report of a million findings holds one at a time, and a report that shows a few per rule
 * builds only those.
 */
export interface FindingSet {
  at: string;
  thresholds: FindingsReport['thresholds'];
  total: number;
  counts: Record<FindingSeverity, number>;
  groups: FindingGroup[];
}

class LazyGroup implements FindingGroup {
  private sorted: number[] | undefined;

  constructor(private readonly ctx: FindingContext, readonly rule: FindingRule, readonly severity: FindingSeverity, private readonly nodes: number[]) {}

  get count(): number {
    return this.nodes.length;
  }

  *findings(limit = Infinity): Generator<Finding> {
    const check = RULE_CHECKS[this.rule.id]!;
    for (const v of limit >= this.nodes.length ? this.byId() : this.firstById(limit)) {
      const hit = check(this.ctx, v, this.rule);
      // A rule is a function of the graph and the options: asked again, it must say the same.
      if (hit?.severity !== this.severity) throw new Error(`engine/findings: ${this.rule.id} changed its answer on ${this.ctx.node(v).id}`);
      yield this.ctx.build(this.rule, v, hit);
    }
  }

  private byId(): number[] {
    // Stable: nodes sharing an id (a graph that allows it) keep their order, as the sort of whole findings did.
    const nodes = this.ctx.graph.nodes;
    return this.sorted ??= this.nodes.slice().sort((a, b) => compareText(nodes[a]!.id, nodes[b]!.id));
  }

  /** The `limit` first nodes by id without sorting the group: one comparison per node for a short list. */
  private firstById(limit: number): number[] {
    if (this.sorted) return this.sorted.slice(0, limit);
    const nodes = this.ctx.graph.nodes;
    const best: number[] = [];
    if (limit <= 0) return best;
    for (const v of this.nodes) {
      const id = nodes[v]!.id;
      if (best.length === limit && compareText(id, nodes[best[limit - 1]!]!.id) >= 0) continue;
      let i = best.length < limit ? best.length : limit - 1;
      while (i > 0 && compareText(nodes[best[i - 1]!]!.id, id) > 0) { if (i < limit) best[i] = best[i - 1]!; i--; }
      best[i] = v;
    }
    return best;
  }
}

/**
 * Evaluates every selected rule over every node usable at `options.at` (disabled, revoked, expired or
 * not-yet-created nodes raise nothing: they cannot be used; radius reports list them as dormant), one pass
 * per rule in catalogue order, keeping only which nodes fire at which severity.
 */
export function evaluateFindings(graph: CompactGraph, options: FindingOptions = {}): FindingSet {
  const ctx = new FindingContext(graph, options);
  const rules = selectedRules(options);
  if (options.severityAtLeast !== undefined && !(options.severityAtLeast in SEVERITY_RANK)) {
    throw new BlastmapError('INVALID_OPTION', `engine/findings: severity ${String(options.severityAtLeast)} is not one of ${FINDING_SEVERITIES.join(', ')}`);
  }
  const floor = options.severityAtLeast === undefined ? 0 : SEVERITY_RANK[options.severityAtLeast];
  const usable: number[] = [];
  for (let v = 0; v < graph.nodeCount; v++) if (ctx.usable(v)) usable.push(v);
  const { nodeKind } = graph;
  const groups: LazyGroup[] = [];
  for (const rule of FINDING_RULES) {
    if (!rules.has(rule.id)) continue;
    const check = RULE_CHECKS[rule.id]!;
    const bySeverity = new Map<FindingSeverity, number[]>();
    const kinds = RULE_NODE_KINDS[rule.id];
    const asked = kinds === undefined ? undefined : Uint8Array.from(graph.nodeKindNames, (name) => (kinds.includes(name) ? 1 : 0));
    WORK.checks += usable.length;
    for (const v of usable) {
      if (asked !== undefined && asked[nodeKind[v]!] === 0) continue;
      const hit = check(ctx, v, rule);
      if (hit === undefined || SEVERITY_RANK[hit.severity] < floor) continue;
      const nodes = bySeverity.get(hit.severity);
      if (nodes) nodes.push(v);
      else bySeverity.set(hit.severity, [v]);
    }
    for (const [severity, nodes] of bySeverity) groups.push(new LazyGroup(ctx, rule, severity, nodes));
  }
  groups.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || RULE_ORDER.get(a.rule.id)! - RULE_ORDER.get(b.rule.id)!);
  const counts = Object.fromEntries(FINDING_SEVERITIES.map((severity) => [severity, 0])) as Record<FindingSeverity, number>;
  for (const group of groups) counts[group.severity] += group.count;
  return {
    at: new Date(ctx.at).toISOString(),
    thresholds: { staleDays: ctx.staleDays, rotationDays: ctx.rotationDays, maxLifetimeDays: ctx.maxLifetimeDays ?? null, privilegedScore: ctx.privilegedScore },
    total: groups.reduce((sum, group) => sum + group.count, 0),
    counts,
    groups,
  };
}

/** Every finding of a set, built, in report order. */
export function* allFindings(set: FindingSet): Generator<Finding> {
  for (const group of set.groups) yield* group.findings();
}

/** Governance findings, built, in report order (`compareFindings`). */
export function governanceFindings(graph: CompactGraph, options: FindingOptions = {}): Finding[] {
  return [...allFindings(evaluateFindings(graph, options))];
}

/** Findings with the instant, thresholds and counts by severity, every finding built (the library's and the server's report). */
export function findingsReport(graph: CompactGraph, options: FindingOptions = {}): FindingsReport {
  const set = evaluateFindings(graph, options);
  const { groups: _, ...head } = set;
  return { ...head, findings: [...allFindings(set)] };
}

/** True when some finding is at `severity` or above (the CLI's --fail-on). */
export function hasFindingAtLeast(findings: readonly Finding[] | FindingSet, severity: FindingSeverity): boolean {
  if (!Array.isArray(findings)) return (findings as FindingSet).groups.some((group) => SEVERITY_RANK[group.severity] >= SEVERITY_RANK[severity] && group.count > 0);
  return (findings as readonly Finding[]).some((finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[severity]);
}

// Assume breach: the containment plan for a compromise that started some time ago (`blastmap respond`). What the
// attacker could read during the window is harvested (copied credentials stay usable after any cut until
// rotated); the plan contains the source (a vendor-wide kill for a vendor), rotates what was harvested, cuts
// the remaining live paths with actions a responder can take, then says where to hunt and what to clean up.
import { BlastmapError } from '../errors.ts';
import type { EvidenceReport, StepEvidence } from '../evidence/report.ts';
import { EDGE_ACTIONS, type EdgeAction } from '../schema/index.ts';
import { edgeIdAt, type CompactGraph } from '../store/compact.ts';
import { edgesForId } from './mitigations.ts';
import { revocationPlan, type Cut, type CutMitigation, type PlanTotals } from './plan.ts';
import { CROWN_JEWEL_TAG, nodeRef, stepView, type NodeRef, type PathStepView } from './radius.ts';
import { compileReachRules, indexStates, reach, toInstant, traversalRules, witnessPath, witnessStates, type PathStep, type ReachOptions, type ReachOverlay, type ReachResult } from './reach.ts';
import { persistenceToHunt, rotateAction, suspendWhere, vendorKillAction } from './respond-playbook.ts';
import { summarizeSources } from './closure.ts';
import { nodePoints, scoreOrder } from './score.ts';
import { vendorIndex, type VendorIndex } from './vendors.ts';

export const RESPOND_PHASES = ['contain', 'rotate', 'cut', 'hunt', 'cleanup'] as const;
export type RespondPhase = (typeof RESPOND_PHASES)[number];

const STEP_ACTIONS = ['vendor-kill', 'suspend-account', 'disable-app', 'disable-principal', 'hunt-persistence', 'delete-leaked-secret'] as const;
/** Machine names of the actions a step takes: these, plus EDGE_ACTIONS for removed edges and revoked or rotated credentials. */
export type RespondAction = (typeof STEP_ACTIONS)[number] | EdgeAction;
export const RESPOND_ACTIONS = [...STEP_ACTIONS, ...(Object.keys(EDGE_ACTIONS) as EdgeAction[])] as [RespondAction, ...RespondAction[]];

/** Someone in the graph who can take the action: admin over the target's tenant. */
export interface WhoEntry {
  id: string;
  name: string;
  kind: string;
  platform: string;
  /** How they hold admin there: `administers <tenant>`, `holds <role>`, `member of <group>`. */
  how: string;
  /** The attacker reached this principal during the window: do not rely on it. */
  compromised: boolean;
}

export interface StepImpact {
  /** high: a person's account is disabled; medium: something else stops working; low: only the attacker loses. */
  cost: 'low' | 'medium' | 'high';
  notes: string[];
  /** What depends on what is cut: other holders of a credential, users of an app, workloads running as an identity. */
  dependents: (NodeRef & { relation: string })[];
}

export interface RespondStep {
  step: number;
  phase: RespondPhase;
  action: RespondAction;
  /** The action in the platform's words. */
  title: string;
  target: NodeRef;
  /** Where it is done: console path, API. */
  where: string;
  who: WhoEntry[];
  /** Score of the live radius (from the sources and every harvested credential) this step removes. */
  removes: number;
  /** Live radius after this step and every step before it. */
  scoreAfter: number;
  reachedAfter: number;
  impact: StepImpact;
  /** False for hunt and cleanup: they shrink nothing. */
  containment: boolean;
  /** What the step takes out of the graph, by node and edge id: tick steps off by applying these as an overlay. */
  blocks: { nodes: string[]; edges: string[] };
  /** The same as `blastmap whatif` mitigations. */
  mitigations: CutMitigation[];
  /** Vendor kill: every credential it revokes in this tenant. */
  credentials?: NodeRef[];
  vendor?: string;
  /** Hunt: what to look for, on which objects, since when. */
  lookFor?: string[];
  objects?: NodeRef[];
  since?: string | null;
  /** A credential whose own expiry passed but whose refresh token still mints it. */
  liveThrough?: NodeRef;
  /** Cut steps that revoke a grant: its id (every edge it justifies goes with it). */
  grant?: string;
  /** Cut steps: the removed edge(s), when the cut is an edge or a grant. */
  edges?: { edgeId: string; kind: string; from: NodeRef; to: NodeRef }[];
  /** With --evidence: what the logs say about the step's target in the window (engine/evidence/respond.ts). */
  evidence?: StepEvidence;
}

export interface HarvestedCredential extends NodeRef {
  /** Where the attacker read it, in words. */
  via: string;
  /** The data or holder it was read from. */
  viaNode: NodeRef;
  /** CONTAINS_CREDENTIAL (leaked in data), STORES_CREDENTIAL (a secret store), HOLDS (a vendor's store). */
  edgeKind: string;
  /** How the attacker got to it: the witness path to `viaNode`, then the exposing edge. */
  path: PathStepView[];
  /** Usable at `at`: a copy still works. */
  validNow: boolean;
  liveThrough?: NodeRef;
  /** Which step deals with it: the vendor kill (`contain`), a rotation, the vendor (its own secret), nothing (already dead). */
  remediation: 'contain' | 'rotate' | 'vendor' | 'none';
  /** Fixpoint round in which it was found: 1 = from the sources, 2 = from a credential harvested in round 1, ... */
  round: number;
}

export interface ResidueNode extends NodeRef {
  level: string;
  /** Why no step removes it. */
  why: string;
}

/** Totals are of the live radius from the sources and every harvested credential. */
export interface ResponsePlan extends PlanTotals {
  /** The first source (the contract's `source`); `sources` lists them all. */
  source: NodeRef;
  sources: NodeRef[];
  /** Start of the compromise window, or null when unknown (every credential that existed before `at` is assumed read). */
  since: string | null;
  sinceBasis: 'option' | 'createdAt' | 'unknown';
  at: string;
  harvested: HarvestedCredential[];
  steps: RespondStep[];
  /** Still reachable after every step: only what no responder action removes (a source's own parts, a vendor's side). */
  residue: ResidueNode[];
  vendors: string[];
  /** The model's assumptions, in words, for the report. */
  assumptions: string[];
  /** With --evidence: the overlay, observed actions and anomaly hints of the window (engine/evidence/respond.ts). */
  evidence?: EvidenceReport;
}

export interface RespondOptions extends Omit<ReachOptions, 'overlay' | 'sourceLevel'> {
  /** When the attacker got the sources (default: their createdAt, else unknown). */
  since?: Date | string | number;
  /** Most cut steps (default 25). */
  cutSteps?: number;
  /** Per node, 1 when the logs show it used in the window: rotate and hunt steps for those come first (engine/evidence/respond.ts). */
  observedFirst?: Uint8Array;
}

const EXPOSING = new Set(['CONTAINS_CREDENTIAL', 'STORES_CREDENTIAL']);
/** Up to this many contain actions are taken greedily, each re-measured after every other (a traversal per pair). */
const GREEDY_CONTAIN_ACTIONS = 8;
/** The level a source holds itself at (reach's default `sourceLevel`, admin). */
const START_LEVEL = 3;

const tenantKey = (graph: CompactGraph, v: number): string => `${graph.nodes[v]!.platform}:${graph.nodes[v]!.tenant}`;
const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const isCrownJewel = (graph: CompactGraph, v: number): boolean => graph.nodes[v]!.tags?.includes(CROWN_JEWEL_TAG) ?? false;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Everything a plan needs about the graph, computed once. */
interface Context {
  graph: CompactGraph;
  at: number;
  since: number;
  reachOptions: ReachOptions;
  vendors: VendorIndex;
  /** `platform:tenant` -> its Platform nodes. */
  platforms: Map<string, number[]>;
  /** Edge id (or delegation id) -> edges, looked up when a step removes them. */
  edgesById: (id: string) => number[];
  kind: (e: number) => string;
  usable: (v: number) => boolean;
  /** Reached during the window (from the sources and harvested credentials, before any step). */
  compromised: Uint8Array;
  /** `platform:tenant` -> who can act there (see whoCanAct). */
  whoByTenant: Map<string, WhoEntry[]>;
}

function buildContext(graph: CompactGraph, options: RespondOptions, at: number, since: number): Context {
  const { since: _since, cutSteps: _cutSteps, observedFirst: _observed, ...reachOptions } = options;
  const platforms = new Map<string, number[]>();
  // By the kind column: a million node records are not read to find a few thousand Platforms.
  const platformKind = graph.nodeKindNames.indexOf('Platform');
  for (let v = 0; v < graph.nodeCount; v++) {
    if (graph.nodeKind[v] !== platformKind) continue;
    const key = tenantKey(graph, v);
    const list = platforms.get(key);
    if (list) list.push(v);
    else platforms.set(key, [v]);
  }
  const edgesById = (id: string): number[] => edgesForId(graph, id);
  return {
    graph, at, since, reachOptions: { ...reachOptions, at }, vendors: vendorIndex(graph), platforms, edgesById,
    kind: (e) => graph.edgeKindNames[graph.edgeKind[e]!]!,
    usable: (v) => graph.activeFrom[v]! <= at && at < graph.activeUntil[v]!,
    compromised: new Uint8Array(graph.nodeCount), whoByTenant: new Map(),
  };
}

/**
 * An access token whose own expiry has passed but which a live refresh token (or grant) mints: the graph
 * compiler keeps such a family alive (its window runs through the minter's), and this names the minter so a
 * plan can say why the token still counts and revoke the refresh token with it.
 */
export function liveThroughRefresh(graph: CompactGraph, v: number, at: number): number | undefined {
  const node = graph.nodes[v]!;
  if (node.kind !== 'Credential' || node.expiresAt === undefined || node.revoked === true) return undefined;
  if (Date.parse(node.expiresAt) > at || !(graph.activeFrom[v]! <= at && at < graph.activeUntil[v]!)) return undefined;
  const mints = graph.edgeKindNames.indexOf('MINTS');
  for (let i = graph.revOffsets[v]!; i < graph.revOffsets[v + 1]!; i++) {
    const e = graph.revEdges[i]!;
    const u = graph.edgeSrc[e]!;
    if (graph.edgeKind[e] === mints && graph.activeFrom[u]! <= at && at < graph.activeUntil[u]!) return u;
  }
  return undefined;
}

interface Harvest {
  via: number;
  edge: number;
  round: number;
  path: PathStepView[];
}

/**
 * The credentials the attacker copied during [since, at]: a fixpoint. Each round reaches from the sources and
 * every credential harvested so far, at `at` and at `since` (the hops that existed when the window opened and
 * when it closed); a credential is harvested when a reached node exposes it (leaked in data it reads, kept in
 * a secret store it reads, or held by a vendor's backend it controls, which the attacker copies out of the
 * vendor's store) and the credential's own lifetime overlaps the window (a key pasted after the window closed,
 * or revoked before it opened, was never there to copy).
 */
function harvest(ctx: Context, sources: readonly number[]): { harvested: Map<number, Harvest>; last: WindowLevels[] } {
  const { graph, at, since } = ctx;
  const rules = traversalRules(graph, ctx.reachOptions);
  const harvested = new Map<number, Harvest>();
  // Typed lookups instead of a node object, a Set and a Map per edge: the scan below visits every out-edge of
  // every reached node, 8M of them at a million nodes, in each round.
  const credential = graph.nodeKindNames.indexOf('Credential');
  /** Per edge kind: 1 exposes its credential to any reader (leaked, stored), 2 only from a vendor's side (HOLDS). */
  const exposes = new Uint8Array(graph.edgeKindNames.length);
  graph.edgeKindNames.forEach((name, code) => { exposes[code] = EXPOSING.has(name) ? 1 : name === 'HOLDS' ? 2 : 0; });
  /** 1 for a source or a credential already harvested: not harvested (again). */
  const taken = new Uint8Array(graph.nodeCount);
  for (const s of sources) taken[s] = 1;
  const { fwdOffsets, edgeDst, edgeKind, nodeKind, activeFrom, activeUntil } = graph;
  const { vendorSide } = ctx.vendors;
  /** The first credential node v, held at `level`, exposes that is not taken yet and lived in the window (edge), or -1. */
  const exposed = (v: number, level: number, from: number): number => {
    for (let e = from, end = fwdOffsets[v + 1]!; e < end; e++) {
      // The edge's kind first: it is read in edge order, the target's columns at random.
      const exposing = exposes[edgeKind[e]!]!;
      if (exposing === 0 || (exposing === 2 && vendorSide[v] !== 1)) continue;
      const c = edgeDst[e]!;
      if (taken[c] === 1 || nodeKind[c] !== credential || rules.step(e, level) === 0) continue;
      if (!(activeFrom[c]! <= at && activeUntil[c]! > since)) continue;
      return e;
    }
    return -1;
  };
  // Per end of the window: the level each node was scanned at in an earlier round. Levels only rise from round
  // to round (more starts), and a node scanned at its level already gave up every credential it exposes, so a
  // round scans only the nodes it raised: the same harvest, without re-reading 8M edges per round.
  const scanned = [new Uint8Array(graph.nodeCount), new Uint8Array(graph.nodeCount)];
  const ends = Number.isFinite(since) && since < at ? [at, since] : [at];
  // Without a depth limit a round's levels are the previous round's raised by the credentials it harvested (a
  // level is the best over every route, whatever the starts' order). A round that harvests nothing new, the
  // last one, is found by raising them there; its traversals would only say the same.
  const extendable = !Number.isFinite(ctx.reachOptions.maxDepth ?? Infinity);
  let previous: { level: Uint8Array; order: number[] }[] | undefined;
  let fresh: number[] = [];
  for (let round = 1; ; round++) {
    if (previous && extendable) {
      const extended = previous.map((levels, end) => extendLevels(graph, { ...ctx.reachOptions, at: ends[end]! }, levels, fresh));
      let found = false;
      for (const [end, raised] of extended.entries()) {
        const { level } = previous[end]!;
        for (let i = 0; i < raised.length && !found; i++) {
          const v = raised[i]!;
          if (scanned[end]![v]! < level[v]! && exposed(v, level[v]!, fwdOffsets[v]!) >= 0) found = true;
        }
      }
      if (!found) {
        for (const levels of previous) for (const v of levels.order) ctx.compromised[v] = 1;
        return { harvested, last: previous };
      }
    }
    const starts = [...sources, ...harvested.keys()];
    const results: ReachResult[] = ends.map((end) => reach(graph, starts, end === at ? ctx.reachOptions : { ...ctx.reachOptions, at: end }));
    fresh = [];
    let added = false;
    for (const [end, result] of results.entries()) {
      const scannedAt = scanned[end]!;
      const pathTo = witnessPaths(graph, result);
      // Harvested paths share their witness steps (a tree: 11,000 paths of 13 steps at 1M nodes hold a few
      // thousand distinct steps): each step's view is made once per traversal, by its (node, level) slot.
      const views = new Map<number, PathStepView>();
      const view = (step: PathStep): PathStepView => {
        const slot = step.to * 3 + step.toLevel - 1;
        let made = views.get(slot);
        if (!made) views.set(slot, made = stepView(graph, step));
        return made;
      };
      for (const v of result.order) {
        ctx.compromised[v] = 1;
        const level = result.level[v]!;
        if (scannedAt[v]! >= level) continue;
        scannedAt[v] = level;
        for (let e = exposed(v, level, fwdOffsets[v]!); e >= 0; e = exposed(v, level, e + 1)) {
          const c = edgeDst[e]!;
          const path = pathTo(v, level).map(view);
          path.push(stepView(graph, { edge: e, from: v, to: c, fromLevel: level, toLevel: 3 }));
          harvested.set(c, { via: v, edge: e, round, path });
          taken[c] = 1;
          fresh.push(c);
          added = true;
        }
      }
      pathTo.done();
    }
    // The last round added nothing: its reaches are from every start the plan uses (the hunt reads them).
    if (!added) return { harvested, last: results };
    previous = results.map((result) => ({ level: result.level, order: [...result.order] }));
  }
}

/** What the hunt reads of a window end's radius from every start: each node's level, and the reached nodes. */
interface WindowLevels {
  level: Uint8Array;
  order: readonly number[];
}

/**
 * Raises `levels` (the levels of a radius, without a depth limit) by `starts` held at admin, in place, as far as
 * they newly open: afterwards they are the levels a fresh reach from the old starts and these gives (a level is
 * the best over every route). Newly reached nodes are appended to `levels.order`; returns every node whose level
 * rose. Costs what the new starts add, not a traversal of the radius.
 */
export function extendLevels(graph: CompactGraph, options: ReachOptions, levels: { level: Uint8Array; order: number[] }, starts: readonly number[]): number[] {
  const rules = traversalRules(graph, options);
  const { level, order } = levels;
  const { fwdOffsets, edgeDst } = graph;
  const raised: number[] = [];
  const queue: number[] = [];
  const raise = (v: number, to: number) => {
    if (level[v] === 0) order.push(v);
    level[v] = to;
    raised.push(v);
    queue.push(v);
  };
  for (const s of starts) if (level[s]! < START_LEVEL && rules.usable(s)) raise(s, START_LEVEL);
  while (queue.length > 0) {
    const u = queue.pop()!;
    const held = level[u]!;
    for (let e = fwdOffsets[u]!, end = fwdOffsets[u + 1]!; e < end; e++) {
      const grant = rules.step(e, held);
      const v = edgeDst[e]!;
      if (grant > level[v]! && rules.usable(v)) raise(v, grant);
    }
  }
  return raised;
}

/**
 * Per graph: a slot-to-state index, all -1 between uses: the harvest's witness paths, then the contain phase's
 * witness tree (one 12 MB array at 1M nodes instead of one each: V8 answers every 64 MB of new ArrayBuffers with a
 * full collection of the snapshot's heap). It is lent and given back: one never given back (an exception between
 * the two, in a server that goes on answering) is dropped with whatever it still holds, and the next borrower gets a
 * clean one, so a failed question cannot leave stale witnesses for the next.
 */
const slotIndexes = new WeakMap<CompactGraph, { index: Int32Array; lent: boolean }>();

export function borrowSlotIndex(graph: CompactGraph): Int32Array {
  let entry = slotIndexes.get(graph);
  if (!entry || entry.lent) {
    entry = { index: new Int32Array(graph.nodeCount * 3).fill(-1), lent: false };
    slotIndexes.set(graph, entry);
  }
  entry.lent = true;
  return entry.index;
}

/** Gives the index back once `states` are cleared from it (all -1 again). */
export function returnSlotIndex(graph: CompactGraph, index: Int32Array, states: Int32Array): void {
  indexStates(index, states, -1);
  const entry = slotIndexes.get(graph);
  if (entry?.index === index) entry.lent = false;
}

/**
 * witnessPath(result, v, level) for many nodes of one radius, read from reach's kept states through a reused
 * slot-to-state index (12 MB once at 1M nodes) instead of the result's per-slot witness arrays, which reading
 * witnessPath builds: 27 MB per traversal, four traversals per harvest at 1M, and V8 answers every 64 MB of
 * ArrayBuffers with a full collection of the snapshot's heap. `done` resets the index.
 */
function witnessPaths(graph: CompactGraph, result: ReachResult): ((v: number, level: number) => PathStep[]) & { done: () => void } {
  const kept = witnessStates(result);
  if (!kept) return Object.assign((v: number, level: number) => witnessPath(result, v, level), { done: () => {} });
  const { states, parents, held } = kept;
  const index = borrowSlotIndex(graph);
  indexStates(index, states);
  const path = (v: number, level: number): PathStep[] => {
    const steps: PathStep[] = [];
    let node = v;
    let at = level;
    for (let guard = 0; guard <= states.length; guard++) {
      const q = index[node * 3 + at - 1]!;
      const e = q < 0 ? -1 : parents[q]!;
      if (e < 0) return steps.reverse();
      const from = graph.edgeSrc[e]!;
      const fromLevel = held[q]!;
      steps.push({ edge: e, from, to: node, fromLevel, toLevel: at });
      node = from;
      at = fromLevel;
    }
    throw new Error('engine/analysis: witness path did not end at a source');
  };
  const done = () => returnSlotIndex(graph, index, states);
  return Object.assign(path, { done });
}

/** Principals with admin over the target's tenant: roles and groups first, then a few people who hold them. */
function whoCanAct(ctx: Context, target: number): WhoEntry[] {
  const { graph } = ctx;
  if (ctx.vendors.vendorSide[target] === 1) return [];
  // The answer depends only on the tenant (and on what was compromised, fixed once the harvest is done): thousands
  // of rotations in one tenant would otherwise each scan its Platform's in-edges.
  const key = tenantKey(graph, target);
  let cached = ctx.whoByTenant.get(key);
  if (!cached) {
    cached = adminsOfTenant(ctx, key);
    ctx.whoByTenant.set(key, cached);
  }
  return cached.map((w) => ({ ...w }));
}

function adminsOfTenant(ctx: Context, tenant: string): WhoEntry[] {
  const { graph } = ctx;
  const canAdmin = graph.edgeKindNames.indexOf('CAN_ADMIN');
  const hasRole = graph.edgeKindNames.indexOf('HAS_ROLE');
  const memberOf = graph.edgeKindNames.indexOf('MEMBER_OF');
  const entry = (v: number, how: string): WhoEntry => {
    const node = graph.nodes[v]!;
    return { id: node.id, name: node.name, kind: node.kind, platform: node.platform, how, compromised: ctx.compromised[v] === 1 };
  };
  const into = (v: number, code: number): number[] => {
    const list: number[] = [];
    for (let i = graph.revOffsets[v]!; i < graph.revOffsets[v + 1]!; i++) {
      const e = graph.revEdges[i]!;
      if (graph.edgeKind[e] === code && ctx.usable(graph.edgeSrc[e]!)) list.push(graph.edgeSrc[e]!);
    }
    return list;
  };
  const holders: WhoEntry[] = [];
  const people: WhoEntry[] = [];
  const seen = new Set<number>();
  for (const p of ctx.platforms.get(tenant) ?? []) {
    for (const u of into(p, canAdmin)) {
      if (seen.has(u)) continue;
      seen.add(u);
      const node = graph.nodes[u]!;
      if (node.kind === 'Role' || node.kind === 'Group') {
        holders.push(entry(u, `administers ${graph.nodes[p]!.name}`));
        const members = node.kind === 'Role' ? into(u, hasRole) : into(u, memberOf);
        for (const m of members.flatMap((w) => (graph.nodes[w]!.kind === 'Group' ? [w, ...into(w, memberOf)] : [w]))) {
          if (seen.has(m) || graph.nodes[m]!.kind !== 'Identity') continue;
          seen.add(m);
          people.push(entry(m, `${node.kind === 'Role' ? 'holds' : 'member of'} ${node.name}`));
        }
      } else if (node.kind === 'Identity') people.push(entry(u, `administers ${graph.nodes[p]!.name}`));
    }
  }
  // People first among people; those the attacker did not reach before those it did.
  const rank = (w: WhoEntry): number => Number(w.compromised) * 2 + Number(graph.nodes[graph.indexOf.get(w.id)!]!.subtype !== 'human');
  people.sort((a, b) => rank(a) - rank(b) || byId(a, b));
  holders.sort((a, b) => Number(a.compromised) - Number(b.compromised) || byId(a, b));
  return [...holders.slice(0, 3), ...people.slice(0, 3)];
}

/** What else stops working when these nodes are blocked. */
function impactOf(ctx: Context, nodes: readonly number[], exclude: ReadonlySet<number>): StepImpact {
  const { graph } = ctx;
  const dependents = new Map<string, NodeRef & { relation: string }>();
  const notes: string[] = [];
  let cost: StepImpact['cost'] = 'low';
  // A vendor kill blocks thousands of credentials at once: look them up in a set, not a list.
  const blocked = nodes.length > 16 ? new Set(nodes) : undefined;
  const add = (v: number, relation: string) => {
    if (exclude.has(v) || (blocked ? blocked.has(v) : nodes.includes(v)) || dependents.has(graph.nodes[v]!.id)) return;
    dependents.set(graph.nodes[v]!.id, { ...nodeRef(graph, v), relation });
  };
  for (const x of nodes) {
    const node = graph.nodes[x]!;
    for (let i = graph.revOffsets[x]!; i < graph.revOffsets[x + 1]!; i++) {
      const e = graph.revEdges[i]!;
      const u = graph.edgeSrc[e]!;
      const kind = ctx.kind(e);
      if (kind === 'HOLDS' && ctx.vendors.vendorSide[u] === 0 && ctx.compromised[u] === 0) add(u, `also holds ${node.name}`);
      else if (kind === 'CONSENTED') add(u, `consented to ${node.name}`);
      else if (kind === 'RUNS_AS' || kind === 'RUNS_AS_ON_TRIGGER') add(u, `runs as ${node.name}`);
    }
    if (node.kind === 'Identity' && node.subtype === 'human') {
      cost = 'high';
      notes.push(`disables a person's account: ${node.name} cannot work until it is restored`);
    }
  }
  const list = [...dependents.values()].sort((a, b) => a.relation.localeCompare(b.relation) || byId(a, b));
  const holders = list.filter((d) => d.relation.startsWith('also holds')).length;
  const users = list.filter((d) => d.relation.startsWith('consented')).length;
  const workloads = list.filter((d) => d.relation.startsWith('runs as')).length;
  if (holders > 0) notes.push(`${plural(holders, 'other holder')} must be given the new value`);
  if (users > 0) notes.push(`${plural(users, 'user')} who connected it lose the integration`);
  if (workloads > 0) notes.push(`${plural(workloads, 'workload')} running as it stop`);
  if (cost === 'low' && list.length > 0) cost = 'medium';
  return { cost, notes, dependents: list.slice(0, 12) };
}

/**
 * respond's overlay: the per-edge flags (8 MB at 8M edges) are made when a step first removes an edge; contain
 * and rotate block only nodes.
 */
type StepOverlay = ReachOverlay & { blockedNodes: Uint8Array };

/** The live radius under an overlay: from the sources and every harvested credential. */
function measure(ctx: Pick<Context, 'graph' | 'reachOptions'>, starts: readonly number[], overlay: StepOverlay): { score: number; reached: number; result: ReachResult } {
  const result = reach(ctx.graph, starts, { ...ctx.reachOptions, overlay });
  const isStart = new Set(starts);
  return { score: scoreOrder(ctx.graph, result.level, result.order, starts), reached: result.order.filter((v) => !isStart.has(v)).length, result };
}

function checkCount(value: number | undefined, fallback: number): number {
  const count = value ?? fallback;
  if (!Number.isInteger(count) || count < 0) throw new BlastmapError('INVALID_OPTION', `engine/analysis: cut steps must be a whole number of at least 0, got ${count}`);
  return count;
}

/** Where a non-credential principal is disabled. */
function disableWording(ctx: Context, v: number): { action: RespondAction; title: string; where: string } {
  const node = ctx.graph.nodes[v]!;
  const console = `${node.platform} admin console or API`;
  if (node.kind === 'Identity') {
    return {
      action: 'suspend-account',
      title: node.subtype === 'human' ? `Suspend the account ${node.name}, revoke its sessions and reset its credentials` : `Disable ${node.name} and revoke its sessions and keys`,
      where: suspendWhere(node.platform) ?? console,
    };
  }
  if (node.kind === 'App') return { action: 'disable-app', title: `Disable the app ${node.name} and revoke its credentials`, where: console };
  return { action: 'disable-principal', title: `Remove every member and assignment of ${node.name}`, where: console };
}

/**
 * The containment plan for `sources`, compromised since `options.since`, as of `options.at`. Steps are applied
 * in order to one overlay; each says what it removes from the live radius of the sources and of every harvested
 * credential, who can take it, and what else it breaks.
 */
/**
 * The compromise window: from --since, else the sources' earliest createdAt (when every source has one), else
 * unknown (-Infinity); to the analysis instant.
 */
export function compromiseWindow(graph: CompactGraph, sources: readonly number[], options: Pick<RespondOptions, 'at' | 'since'> = {}): { since: number; sinceBasis: ResponsePlan['sinceBasis']; at: number } {
  const at = toInstant(options.at);
  let since = -Infinity;
  let sinceBasis: ResponsePlan['sinceBasis'] = 'unknown';
  if (options.since !== undefined) {
    since = toInstant(options.since);
    sinceBasis = 'option';
  } else if (sources.length > 0 && sources.every((s) => graph.nodes[s]!.createdAt !== undefined)) {
    // A source created after `at` opened no window yet: an empty one, not an error.
    since = Math.min(at, ...sources.map((s) => Date.parse(graph.nodes[s]!.createdAt!)));
    sinceBasis = 'createdAt';
  }
  if (since > at) throw new BlastmapError('INVALID_OPTION', `engine/analysis: --since ${new Date(since).toISOString()} is after --at ${new Date(at).toISOString()}`);
  return { since, sinceBasis, at };
}

export function respondPlan(graph: CompactGraph, sources: readonly number[], options: RespondOptions = {}): ResponsePlan {
  if (sources.length === 0) throw new BlastmapError('INVALID_OPTION', 'engine/analysis: respond needs at least one source');
  const { since, sinceBasis, at } = compromiseWindow(graph, sources, options);
  // Evidence (engine/evidence/respond.ts): credentials and tenants with observed use come first in rotate and hunt.
  const observed = options.observedFirst;
  const seen = (v: number): number => (observed?.[v] === 1 ? 0 : 1);
  const cutSteps = checkCount(options.cutSteps, 25);
  const ctx = buildContext(graph, options, at, since);
  const { vendors } = ctx;

  const { harvested: harvestedMap, last: windowResults } = harvest(ctx, sources);
  const isSource = new Set(sources);
  const starts = [...sources, ...[...harvestedMap.keys()].sort((a, b) => a - b)];
  const overlay: StepOverlay = { blockedNodes: new Uint8Array(graph.nodeCount) };
  const initial = measure(ctx, starts, overlay);
  let current = { score: initial.score, reached: initial.reached };
  const steps: RespondStep[] = [];

  /** Steps whose blocks are applied but not yet measured (a run of rotations), with the nodes each newly blocked. */
  let deferred: { step: RespondStep; fresh: number[] }[] | undefined;
  /** Applies a step's blocks, measures it (or leaves that to `settle` during a run), and records it. */
  const push = (partial: StepPartial, nodes: readonly number[], edges: readonly string[], mitigations: CutMitigation[]) => {
    const fresh = nodes.filter((v) => overlay.blockedNodes[v] === 0);
    for (const v of nodes) overlay.blockedNodes[v] = 1;
    for (const id of edges) for (const e of ctx.edgesById(id)) (overlay.blockedEdges ??= new Uint8Array(graph.edgeCount))[e] = 1;
    const step: RespondStep = {
      step: steps.length + 1, ...partial, removes: 0, scoreAfter: current.score, reachedAfter: current.reached,
      blocks: { nodes: nodes.map((v) => graph.nodes[v]!.id), edges: [...edges] }, mitigations,
    };
    steps.push(step);
    if (deferred && edges.length === 0) { deferred.push({ step, fresh }); return; }
    const after = nodes.length > 0 || edges.length > 0 ? measure(ctx, starts, overlay) : current;
    step.removes = Math.max(0, current.score - after.score);
    step.scoreAfter = after.score;
    step.reachedAfter = after.reached;
    current = { score: after.score, reached: after.reached };
  };
  /**
   * Measures a run of deferred steps (node blocks only: rotations, an ordered run of contain actions) with one
   * traversal. Blocking more never grows the live radius, so the run is replayed backwards: reach once with every
   * block of the run applied, then lift the blocks of the last step, the one before, ..., each time raising only
   * what the lifted nodes newly open (a node's level only rises, at most three times, so the whole replay costs
   * about one traversal). The radius after step k is the state once the blocks of steps k+1.. are lifted.
   */
  const settle = () => {
    const run = deferred ?? [];
    deferred = undefined;
    if (run.length === 0) return;
    if (Number.isFinite(ctx.reachOptions.maxDepth ?? Infinity)) { settleByBisection(run); return; }
    const last = measure(ctx, starts, overlay);
    const level = last.result.level;
    const blocked = overlay.blockedNodes.slice();
    // reach()'s compiled rules (a grant per edge kind and held level) and the graph's columns in locals: the
    // replay walks about the whole radius once, and a rule closure and a property load per edge added up.
    const { grants, blockedEdges, at: instant } = compileReachRules(graph, { ...ctx.reachOptions, overlay: { blockedNodes: blocked, blockedEdges: overlay.blockedEdges } });
    const { fwdOffsets, edgeDst, edgeKind, revOffsets, revEdges, edgeSrc, activeFrom, activeUntil } = graph;
    const usable = (v: number): boolean => activeFrom[v]! <= instant && instant < activeUntil[v]! && blocked[v] === 0;
    const isStart = new Set(starts);
    let score = last.score;
    let reached = last.reached;
    const queue: number[] = [];
    const raise = (v: number, to: number) => {
      if (!isStart.has(v)) {
        score += nodePoints(graph, v, to) - nodePoints(graph, v, level[v]!);
        if (level[v] === 0) reached++;
      }
      level[v] = to;
      queue.push(v);
    };
    const after: { score: number; reached: number }[] = new Array(run.length);
    after[run.length - 1] = { score: last.score, reached: last.reached };
    for (let k = run.length - 1; k > 0; k--) {
      const { fresh } = run[k]!;
      for (const v of fresh) blocked[v] = 0;
      for (const v of fresh) {
        if (!usable(v)) continue;
        let best = isStart.has(v) ? START_LEVEL : 0;
        for (let i = revOffsets[v]!, end = revOffsets[v + 1]!; i < end; i++) {
          const e = revEdges[i]!;
          const held = level[edgeSrc[e]!]!;
          if (held > 0 && (blockedEdges === undefined || blockedEdges[e] === 0)) best = Math.max(best, grants[(edgeKind[e]! << 2) | held]!);
        }
        if (best > level[v]!) raise(v, best);
      }
      while (queue.length > 0) {
        const u = queue.pop()!;
        const held = level[u]!;
        for (let e = fwdOffsets[u]!, end = fwdOffsets[u + 1]!; e < end; e++) {
          const grant = grants[(edgeKind[e]! << 2) | held]!;
          if (grant === 0 || (blockedEdges !== undefined && blockedEdges[e] === 1)) continue;
          const v = edgeDst[e]!;
          if (level[v]! >= grant || !usable(v)) continue;
          raise(v, grant);
        }
      }
      after[k - 1] = { score, reached };
    }
    run.forEach(({ step }, k) => {
      const before = k === 0 ? current : after[k - 1]!;
      step.removes = Math.max(0, before.score - after[k]!.score);
      step.scoreAfter = after[k]!.score;
      step.reachedAfter = after[k]!.reached;
    });
    current = after[run.length - 1]!;
  };
  /** The same with a depth limit (levels then depend on the hop count): bisection on the nested radii. */
  const settleByBisection = (run: { step: RespondStep; fresh: number[] }[]) => {
    const base: StepOverlay = { blockedNodes: overlay.blockedNodes.slice(), blockedEdges: overlay.blockedEdges };
    for (const { fresh } of run) for (const v of fresh) base.blockedNodes[v] = 0;
    const measured = new Map<number, { score: number; reached: number }>([[-1, current]]);
    const at = (k: number) => {
      let m = measured.get(k);
      if (!m) {
        const prefix: StepOverlay = { blockedNodes: base.blockedNodes.slice(), blockedEdges: base.blockedEdges };
        for (let i = 0; i <= k; i++) for (const v of run[i]!.fresh) prefix.blockedNodes[v] = 1;
        const { score, reached } = measure(ctx, starts, prefix);
        m = { score, reached };
        measured.set(k, m);
      }
      return m;
    };
    const fill = (lo: number, hi: number) => {
      if (hi - lo <= 1) return;
      const a = at(lo);
      const b = at(hi);
      if (a.reached === b.reached && Math.abs(a.score - b.score) <= 1e-9 * Math.max(1, Math.abs(a.score))) {
        for (let k = lo + 1; k < hi; k++) measured.set(k, b);
        return;
      }
      const mid = (lo + hi) >> 1;
      at(mid);
      fill(lo, mid);
      fill(mid, hi);
    };
    fill(-1, run.length - 1);
    run.forEach(({ step }, k) => {
      const before = at(k - 1);
      const after = at(k);
      step.removes = Math.max(0, before.score - after.score);
      step.scoreAfter = after.score;
      step.reachedAfter = after.reached;
    });
    current = at(run.length - 1);
  };
  const usableCredential = (c: number): boolean => ctx.usable(c);

  // --- contain: the vendors in play get one kill per tenant; other sources are revoked or disabled ---
  const vendorsInPlay = new Set<number>();
  for (const s of sources) if (vendors.vendorOf[s]! >= 0) vendorsInPlay.add(vendors.vendorOf[s]!);
  for (const [, h] of harvestedMap) if (vendors.vendorSide[h.via] === 1) vendorsInPlay.add(vendors.vendorOf[h.via]!);
  const killed = new Set<number>();
  /** Contain actions are taken greedily: the one that removes the most of what is left, first. */
  const containActions: { partial: StepPartial; nodes: number[]; mitigations: CutMitigation[] }[] = [];
  const exposingCodes = new Set(['HOLDS', 'CONTAINS_CREDENTIAL', 'STORES_CREDENTIAL'].map((k) => graph.edgeKindNames.indexOf(k)));
  const holdsCode = graph.edgeKindNames.indexOf('HOLDS');
  const heldBy = (x: number, credentials: ReadonlySet<number>): boolean => {
    for (let e = graph.fwdOffsets[x]!; e < graph.fwdOffsets[x + 1]!; e++) if (graph.edgeKind[e] === holdsCode && credentials.has(graph.edgeDst[e]!)) return true;
    return false;
  };
  for (const i of [...vendorsInPlay].sort((a, b) => vendors.vendors[a]!.label.localeCompare(vendors.vendors[b]!.label))) {
    const vendor = vendors.vendors[i]!;
    // What a kill's impact leaves out: the same for each of the vendor's tenants (thousands of nodes at scale).
    const notDependents = new Set([...sources, ...vendor.nodes]);
    /** Per credential, the first of the vendor's Apps (in vendor.nodes order) that HOLDS it: built once per vendor, when a tenant needs it. */
    let firstHolder: Map<number, number> | undefined;
    /** vendor.nodes.find(naming): the first of the vendor's Apps holding any of the credentials (one scan of the vendor's nodes per vendor, not per tenant). */
    const firstVendorApp = (credentials: readonly number[]): number | undefined => {
      if (!firstHolder) {
        firstHolder = new Map();
        vendor.nodes.forEach((x, i) => {
          if (graph.nodes[x]!.kind !== 'App') return;
          for (let e = graph.fwdOffsets[x]!; e < graph.fwdOffsets[x + 1]!; e++) {
            if (graph.edgeKind[e] === holdsCode && !firstHolder!.has(graph.edgeDst[e]!)) firstHolder!.set(graph.edgeDst[e]!, i);
          }
        });
      }
      let first = Infinity;
      for (const c of credentials) first = Math.min(first, firstHolder.get(c) ?? Infinity);
      return first === Infinity ? undefined : vendor.nodes[first];
    };
    // Every credential the vendor was given: held or stored by its backend, or held by its registrations with the customer.
    const byTenant = new Map<string, { credentials: Set<number>; holders: Set<number> }>();
    for (const x of [...vendor.nodes, ...vendor.registrations]) {
      for (let e = graph.fwdOffsets[x]!; e < graph.fwdOffsets[x + 1]!; e++) {
        const c = graph.edgeDst[e]!;
        if (!exposingCodes.has(graph.edgeKind[e]!) || graph.nodes[c]!.kind !== 'Credential' || vendors.vendorSide[c] === 1 || !usableCredential(c)) continue;
        const key = tenantKey(graph, c);
        let group = byTenant.get(key);
        if (!group) { group = { credentials: new Set(), holders: new Set() }; byTenant.set(key, group); }
        group.credentials.add(c);
        if (vendors.vendorSide[x] === 0) group.holders.add(x);
      }
    }
    for (const key of [...byTenant.keys()].sort()) {
      const group = byTenant.get(key)!;
      const credentials = [...group.credentials].sort((a, b) => byId(graph.nodes[a]!, graph.nodes[b]!));
      // The registration to block: the vendor's app in this tenant, else the customer-side app holding its tokens.
      const registration = vendor.registrations.find((r) => tenantKey(graph, r) === key)
        ?? [...group.holders].find((h) => graph.nodes[h]!.kind === 'App')
        ?? credentials.flatMap((c) => {
          const holders: number[] = [];
          for (let j = graph.revOffsets[c]!; j < graph.revOffsets[c + 1]!; j++) {
            const e = graph.revEdges[j]!;
            const u = graph.edgeSrc[e]!;
            if (ctx.kind(e) === 'HOLDS' && graph.nodes[u]!.kind === 'App' && vendors.vendorSide[u] === 0 && tenantKey(graph, u) === key) holders.push(u);
          }
          return holders;
        })[0];
      // Without a registration in the tenant (a vendor-owned GitHub App's installation), the one credential is
      // the thing to act on, else the tenant; the vendor's own app still names the action.
      const target = registration ?? (credentials.length === 1 ? credentials[0]! : ctx.platforms.get(key)?.[0] ?? credentials[0]!);
      const platform = graph.nodes[credentials[0]!]!.platform;
      const credentialSet = new Set(credentials);
      const naming = (x: number): boolean => graph.nodes[x]!.kind === 'App' && heldBy(x, credentialSet);
      const namingApp = registration ?? [...group.holders].find(naming) ?? firstVendorApp(credentials);
      const wording = vendorKillAction(platform, namingApp !== undefined ? graph.nodes[namingApp] : undefined, vendor.label, credentials.map((c) => graph.nodes[c]!));
      const blockedNodes = registration !== undefined ? [registration, ...credentials] : credentials;
      for (const c of credentials) killed.add(c);
      const impact = impactOf(ctx, blockedNodes, notDependents);
      impact.notes.unshift(`${vendor.label}'s integration stops working in ${graph.nodes[target]!.name}`);
      if (impact.cost === 'low') impact.cost = 'medium';
      containActions.push({
        partial: {
          phase: 'contain', action: 'vendor-kill', title: wording.action, target: nodeRef(graph, target), where: wording.where,
          who: whoCanAct(ctx, target), impact, containment: true, vendor: vendor.label, credentials: credentials.map((c) => nodeRef(graph, c)),
        },
        nodes: blockedNodes, mitigations: credentials.map((c) => ({ revoke: graph.nodes[c]!.id })),
      });
    }
  }
  for (const s of sources) {
    if (vendors.vendorSide[s] === 1 || killed.has(s)) continue;
    const node = graph.nodes[s]!;
    if (node.kind === 'Credential') {
      if (!usableCredential(s)) continue;
      const wording = rotateAction(node);
      containActions.push({
        partial: {
          phase: 'contain', action: 'revoke-credential', title: `Revoke the stolen ${node.type ?? 'credential'} ${node.name}`, target: nodeRef(graph, s), where: wording.where,
          who: whoCanAct(ctx, s), impact: impactOf(ctx, [s], isSource), containment: true,
        },
        nodes: [s], mitigations: [{ revoke: node.id }],
      });
    } else if (graph.schema.nodeKinds[node.kind]?.principal) {
      if (!ctx.usable(s) || vendors.vendorOf[s]! >= 0) continue;
      const wording = disableWording(ctx, s);
      containActions.push({
        partial: {
          phase: 'contain', action: wording.action, title: wording.title, target: nodeRef(graph, s), where: wording.where,
          who: whoCanAct(ctx, s), impact: impactOf(ctx, [s], isSource), containment: true,
        },
        nodes: [s], mitigations: [{ disable: node.id }],
      });
    }
  }
  const scoreWith = (candidate: (typeof containActions)[number]): number => {
    const saved = candidate.nodes.map((v) => overlay.blockedNodes[v]!);
    for (const v of candidate.nodes) overlay.blockedNodes[v] = 1;
    const score = measure(ctx, starts, overlay).score;
    candidate.nodes.forEach((v, k) => { overlay.blockedNodes[v] = saved[k]!; });
    return score;
  };
  if (containActions.length > GREEDY_CONTAIN_ACTIONS) {
    // Many vendor tenants (a compromise that harvested thousands of credentials): re-measuring every action
    // after each one costs a traversal per pair. Each is measured once against the live radius, taken in
    // that order, and the run is measured by bisection like the rotations.
    // Nothing is blocked yet (contain comes first): the live radius is the initial one.
    const live = initial;
    const blockedInRadius = live.result.order.filter((v) => overlay.blockedNodes[v] === 1);
    const tree = Number.isFinite(ctx.reachOptions.maxDepth ?? Infinity) ? undefined : witnessTree(graph, live.result);
    if (tree) heldTrees.set(live.result, tree);
    const startSet = new Set(starts);
    const order = containActions.map((candidate, i) => ({ candidate, score: scoreWithout(ctx, starts, overlay, live, candidate.nodes, blockedInRadius, startSet).score, i }))
      .sort((a, b) => (a.score < b.score - 1e-9 ? -1 : b.score < a.score - 1e-9 ? 1 : a.i - b.i));
    if (tree) { heldTrees.delete(live.result); releaseTree(tree); }
    deferred = [];
    for (const { candidate } of order) push(candidate.partial, candidate.nodes, [], candidate.mitigations);
    settle();
    containActions.length = 0;
  }
  while (containActions.length > 0) {
    // Few actions (one per source and per vendor tenant): measuring each against what is left is cheap.
    let best = 0;
    let bestScore = Infinity;
    containActions.forEach((candidate, i) => {
      const score = containActions.length > 1 ? scoreWith(candidate) : 0;
      if (score < bestScore - 1e-9) { best = i; bestScore = score; }
    });
    const [chosen] = containActions.splice(best, 1);
    push(chosen!.partial, chosen!.nodes, [], chosen!.mitigations);
  }

  // --- rotate: every harvested credential still valid, most dangerous first ---
  const harvested: HarvestedCredential[] = [];
  const toRotate: { c: number; score: number }[] = [];
  for (const [c, h] of harvestedMap) {
    const through = liveThroughRefresh(graph, c, at);
    const validNow = usableCredential(c);
    const remediation: HarvestedCredential['remediation'] = !validNow ? 'none' : overlay.blockedNodes[c] === 1 ? 'contain' : vendors.vendorSide[c] === 1 ? 'vendor' : 'rotate';
    const viaNode = nodeRef(graph, h.via);
    const kind = ctx.kind(h.edge);
    const entry: HarvestedCredential = {
      ...nodeRef(graph, c),
      via: kind === 'HOLDS' ? `held by ${viaNode.name}, whose store the attacker controls` : `${kind === 'STORES_CREDENTIAL' ? 'kept in' : 'found in'} ${viaNode.name}`,
      viaNode, edgeKind: kind, path: h.path, validNow, remediation, round: h.round,
    };
    if (through !== undefined) entry.liveThrough = nodeRef(graph, through);
    harvested.push(entry);
    if (remediation === 'rotate') toRotate.push({ c, score: 0 });
  }
  // What each credential reaches on its own: every radius at once, sharing the closure of a common hub.
  summarizeSources(graph, toRotate.map(({ c }) => c), { ...ctx.reachOptions, overlay }).forEach((alone, i) => { toRotate[i]!.score = alone.score; });
  toRotate.sort((a, b) => seen(a.c) - seen(b.c) || b.score - a.score || byId(graph.nodes[a.c]!, graph.nodes[b.c]!));
  deferred = [];
  for (const { c, score } of toRotate) {
    if (overlay.blockedNodes[c] === 1) continue;
    const node = graph.nodes[c]!;
    const h = harvestedMap.get(c)!;
    const wording = rotateAction(node);
    const through = liveThroughRefresh(graph, c, at);
    // The refresh token goes with the token it keeps alive, unless an earlier step already revoked it.
    const blocked = through !== undefined && overlay.blockedNodes[through] !== 1 ? [c, through] : [c];
    const impact = impactOf(ctx, blocked, isSource);
    impact.notes.unshift(`on its own it reaches ${Math.round(score * 100) / 100} points`);
    const title = through !== undefined
      ? `${wording.action}; it expired but is live through its refresh token ${graph.nodes[through]!.name}: revoke that too`
      : wording.action;
    push({
      phase: 'rotate', action: 'rotate-credential', title, target: nodeRef(graph, c), where: `${wording.where} (exposed ${exposedWhere(h, ctx)})`,
      who: whoCanAct(ctx, c), impact, containment: true, ...(through !== undefined ? { liveThrough: nodeRef(graph, through) } : {}),
    }, blocked, [], blocked.map((v) => ({ revoke: graph.nodes[v]!.id })));
  }

  settle();

  // --- cut: what is still live, greedy, actionable cuts only ---
  if (cutSteps > 0 && current.score > 0) {
    // revocationPlan works on its own copy of the overlay (the steps it plans are applied by push, below).
    const plan = revocationPlan(graph, starts, { ...ctx.reachOptions, overlay, steps: cutSteps, alternatives: 0, containment: true });
    for (const planStep of plan.steps) pushCut(ctx, planStep.cut, push, isSource);
  }

  // --- hunt: where the attacker held admin over a tenant, at either end of the window (the harvest's last
  // round reached from the same starts, before any step: what it found is a set, so its order does not matter) ---
  const adminTenants = new Map<string, Set<number>>();
  for (const result of windowResults) {
    for (const v of result.order) {
      // Level first: the node's record is read only for the nodes held at admin.
      if (result.level[v] !== 3 || vendors.vendorSide[v] === 1) continue;
      const node = graph.nodes[v]!;
      if (node.kind === 'Platform' || (node.kind === 'Role' && node.privileged === true)) {
        const key = tenantKey(graph, v);
        if (!ctx.platforms.has(key) && node.kind !== 'Platform') continue;
        const set = adminTenants.get(key) ?? new Set<number>();
        set.add(v);
        adminTenants.set(key, set);
      }
    }
  }
  const sinceText = Number.isFinite(since) ? new Date(since).toISOString() : null;
  const observedTenants = new Set<string>();
  if (observed) for (let v = 0; v < graph.nodeCount; v++) if (observed[v] === 1) observedTenants.add(tenantKey(graph, v));
  const huntOrder = (key: string): number => (observedTenants.has(key) ? 0 : 1);
  for (const key of [...adminTenants.keys()].sort((a, b) => huntOrder(a) - huntOrder(b) || (a < b ? -1 : a > b ? 1 : 0))) {
    const objects = [...adminTenants.get(key)!].sort((a, b) => byId(graph.nodes[a]!, graph.nodes[b]!));
    const target = ctx.platforms.get(key)?.[0] ?? objects[0]!;
    const node = graph.nodes[target]!;
    push({
      phase: 'hunt', action: 'hunt-persistence',
      title: `Hunt for persistence in ${node.name}: the attacker held admin there ${sinceText ? `since ${sinceText.slice(0, 10)}` : '(window start unknown: review its whole history)'}`,
      target: nodeRef(graph, target), where: `${node.platform} audit log${node.platform === 'entra' ? ' (Entra audit and sign-in logs, Unified Audit Log)' : node.platform === 'aws' ? ' (CloudTrail)' : node.platform === 'okta' ? ' (System Log)' : node.platform === 'google-workspace' ? ' (Admin console > Reporting > Audit and investigation)' : ''}`,
      who: whoCanAct(ctx, target), impact: { cost: 'low', notes: ['finds what the attacker may have added; removes nothing by itself'], dependents: [] },
      containment: false, lookFor: persistenceToHunt(node.platform), objects: objects.map((v) => nodeRef(graph, v)), since: sinceText,
    }, [], [], []);
  }

  // --- cleanup: delete pasted secrets (hygiene: the copy is already out) ---
  const cleaned = new Set<string>();
  for (const entry of harvested.filter((h) => h.edgeKind === 'CONTAINS_CREDENTIAL').sort(byId)) {
    const via = graph.indexOf.get(entry.viaNode.id)!;
    if (vendors.vendorSide[via] === 1 || cleaned.has(`${entry.viaNode.id}|${entry.id}`)) continue;
    cleaned.add(`${entry.viaNode.id}|${entry.id}`);
    push({
      phase: 'cleanup', action: 'delete-leaked-secret',
      title: `Delete the pasted secret ${entry.name} from ${entry.viaNode.name} (hygiene, not containment: the value was already copied)`,
      target: entry.viaNode, where: `${entry.viaNode.platform}: edit or redact the record, then purge its history and exports`,
      who: whoCanAct(ctx, via), impact: { cost: 'low', notes: ['removes the leak for future readers; the exposed value must be rotated regardless'], dependents: [] },
      containment: false,
    }, [], [], []);
  }

  const final = measure(ctx, starts, overlay);
  const isStart = new Set(starts);
  const residue = final.result.order.filter((v) => !isStart.has(v))
    .map((v): ResidueNode => ({
      ...nodeRef(graph, v), level: ['', 'read', 'write', 'admin'][final.result.level[v]!]!,
      why: vendors.vendorSide[v] === 1 ? `on ${vendors.vendors[vendors.vendorOf[v]!]?.label ?? 'the vendor'}'s side: only the vendor can act there` : 'no action a responder can take removes it (a source\'s own parts, or more cut steps are needed: --steps)',
    }))
    .sort(byId);
  const crownJewels = (result: ReachResult) => result.order.filter((v) => !isStart.has(v) && isCrownJewel(graph, v)).map((v) => nodeRef(graph, v)).sort(byId);

  const sinceLine = Number.isFinite(since)
    ? `The compromise window runs from ${new Date(since).toISOString()} (${sinceBasis === 'option' ? 'as given' : "the source's createdAt"}) to ${new Date(at).toISOString()}.`
    : `The compromise start is unknown: every credential the attacker could read that existed before ${new Date(at).toISOString()} is assumed copied.`;
  return {
    source: nodeRef(graph, sources[0]!),
    sources: sources.map((s) => nodeRef(graph, s)),
    since: sinceText,
    sinceBasis,
    at: new Date(at).toISOString(),
    harvested: harvested.sort((a, b) => a.round - b.round || byId(a, b)),
    steps,
    initialScore: initial.score,
    finalScore: final.score,
    initialReached: initial.reached,
    finalReached: final.reached,
    crownJewelsBefore: crownJewels(initial.result),
    crownJewelsAfter: crownJewels(final.result),
    residue,
    vendors: [...vendorsInPlay].map((i) => vendors.vendors[i]!.label).sort(),
    assumptions: [
      sinceLine,
      'Every credential readable from the radius during the window (pasted in data, kept in a secret store the attacker could read, or held by a compromised vendor\'s backend) is assumed copied: it stays usable after any cut until it is rotated, and what it opens is part of the radius.',
      'A hop counts when it existed at the start or at the end of the window; a credential counts when its own lifetime overlaps the window.',
      'Only actions a responder can take are proposed: a vendor\'s own systems and structural facts (a credential signing in as its user, a container holding its parts) are not cut; revoking or rotating the credential is.',
    ],
  };
}

/**
 * The live radius once `nodes` are blocked too, from the radius `live` measured under `overlay` without them.
 * A node whose witness path (its best level's chain of parents) avoids the blocked nodes keeps its level: the
 * path still works, and blocking more never raises a level. Only the nodes whose witness path runs through a
 * blocked node are re-derived, from the edges into them from the rest and from the starts among them. Equal to
 * a fresh measure (a property test checks it against the oracle); it costs the nodes hanging under the blocked
 * ones, not a traversal of the whole radius, which matters when dozens of contain actions are each measured.
 */
export function scoreWithout(
  ctx: Pick<Context, 'graph' | 'reachOptions'>, starts: readonly number[], overlay: StepOverlay,
  live: { score: number; reached: number; result: ReachResult }, nodes: readonly number[],
  /** The nodes of `live`'s radius the overlay blocks (none when it was measured under the overlay), when the caller measures many actions against one radius and overlay: found here otherwise. */
  blockedInRadius?: readonly number[],
  /** `new Set(starts)`, when the caller measures many actions from the same starts (11,000 of them at 1M nodes). */
  startSet?: ReadonlySet<number>,
): { score: number; reached: number } {
  const { graph } = ctx;
  if (Number.isFinite(ctx.reachOptions.maxDepth ?? Infinity)) {
    const blocked = overlay.blockedNodes.slice();
    for (const v of nodes) blocked[v] = 1;
    const { score, reached } = measure(ctx, starts, { blockedNodes: blocked, blockedEdges: overlay.blockedEdges });
    return { score, reached };
  }
  // Work arrays reused from one call to the next and cleared of what this call marked (a plan measures dozens
  // of contain actions: 6 MB of fresh arrays each set off full collections of the whole snapshot's heap).
  const scratch = withoutScratch(graph);
  const { blocked, inAffected, level } = scratch;
  blocked.set(overlay.blockedNodes);
  for (const v of nodes) blocked[v] = 1;
  const { level: before, order } = live.result;
  const rules = traversalRules(graph, { ...ctx.reachOptions, overlay: { blockedNodes: blocked, blockedEdges: overlay.blockedEdges } });
  // The (node, level) states whose witness chain runs through a blocked node are the subtrees, in the tree of
  // witness parents, under the states of the blocked nodes: walked from there instead of climbing every chain.
  const held = heldTrees.get(live.result);
  const tree = held ?? witnessTree(graph, live.result);
  const { stateOf, states, childStart, children, inSubtree } = tree;
  const stack: number[] = [];
  const marked: number[] = [];
  const enter = (x: number) => {
    for (let slot = x * 3; slot < x * 3 + 3; slot++) {
      const q = stateOf[slot]!;
      if (q >= 0 && inSubtree[q] === 0) { inSubtree[q] = 1; stack.push(q); marked.push(q); }
    }
  };
  for (const v of nodes) enter(v);
  // Nodes the overlay blocked before are not in a radius measured under it; were one there, it counts too.
  for (const v of blockedInRadius ?? order.filter((x) => overlay.blockedNodes[x] === 1)) enter(v);
  const found: number[] = [];
  while (stack.length > 0) {
    const q = stack.pop()!;
    const state = states[q]!;
    const v = state >>> 2;
    if ((state & 3) === before[v] && inAffected[v] === 0) { found.push(tree.orderIndex[v]!); inAffected[v] = 1; }
    for (let i = childStart[q]!; i < childStart[q + 1]!; i++) {
      const child = children[i]!;
      if (inSubtree[child] === 0) { inSubtree[child] = 1; stack.push(child); marked.push(child); }
    }
  }
  // In radius order, as the score was summed (floating-point sums depend on their order): positions in the
  // order, sorted as numbers (a comparison function over 100,000 nodes per action was most of this measurement).
  const positions = Int32Array.from(found).sort();
  const affected: number[] = new Array(positions.length);
  for (let i = 0; i < positions.length; i++) affected[i] = order[positions[i]!]!;
  const isStart = startSet ?? new Set(starts);
  const queue: number[] = [];
  const raise = (v: number, to: number) => {
    if (level[v]! >= to) return;
    level[v] = to;
    queue.push(v);
  };
  // Seeds: the unblocked starts among the affected nodes, and the edges into them from nodes that keep their level.
  for (const v of affected) {
    if (!rules.usable(v)) continue;
    if (isStart.has(v)) raise(v, START_LEVEL);
    for (let i = graph.revOffsets[v]!; i < graph.revOffsets[v + 1]!; i++) {
      const e = graph.revEdges[i]!;
      const u = graph.edgeSrc[e]!;
      if (inAffected[u] === 0 && before[u]! > 0) { const grant = rules.step(e, before[u]!); if (grant > 0) raise(v, grant); }
    }
  }
  while (queue.length > 0) {
    const u = queue.pop()!;
    const held = level[u]!;
    for (let e = graph.fwdOffsets[u]!; e < graph.fwdOffsets[u + 1]!; e++) {
      const v = graph.edgeDst[e]!;
      if (inAffected[v] === 0 || !rules.usable(v)) continue;
      const grant = rules.step(e, held);
      if (grant > 0) raise(v, grant);
    }
  }
  let { score, reached } = live;
  for (const v of affected) {
    if (isStart.has(v)) continue;
    const now = level[v]!;
    score += nodePoints(graph, v, now) - nodePoints(graph, v, before[v]!);
    if (now === 0) reached--;
  }
  // Levels are raised on affected nodes only.
  for (const q of marked) inSubtree[q] = 0;
  for (const v of affected) { inAffected[v] = 0; level[v] = 0; }
  if (!held) releaseTree(tree);
  return { score, reached };
}

/** scoreWithout's work arrays, per graph; all zero between calls. */
interface WithoutScratch {
  blocked: Uint8Array;
  inAffected: Uint8Array;
  level: Uint8Array;
}
const withoutScratches = new WeakMap<CompactGraph, WithoutScratch>();
function withoutScratch(graph: CompactGraph): WithoutScratch {
  let scratch = withoutScratches.get(graph);
  if (!scratch) {
    const n = graph.nodeCount;
    scratch = { blocked: new Uint8Array(n), inAffected: new Uint8Array(n), level: new Uint8Array(n) };
    withoutScratches.set(graph, scratch);
  }
  return scratch;
}

/**
 * A radius's witness parents as a tree over its kept (node, level) states (reach's witnessStates, in
 * breadth-first order): each state's children, each slot's state, each node's place in the order. Per state
 * rather than per slot, and without the result's per-slot witness arrays: at 1M nodes that was 57 MB of
 * ArrayBuffers (a full collection of the snapshot's heap for every 64 MB), now about 10 MB, with the slot index
 * borrowed from the harvest's (`releaseTree` gives it back).
 */
interface WitnessTree {
  graph: CompactGraph;
  /** Per slot `node * 3 + level - 1`: its state's index, -1 when not kept (the graph's shared slot index). */
  stateOf: Int32Array;
  /** Per state: `node * 4 + level`. */
  states: Int32Array;
  childStart: Int32Array;
  children: Int32Array;
  orderIndex: Int32Array;
  /** scoreWithout's per-state marks, all zero between calls. */
  inSubtree: Uint8Array;
}
/** The witness tree respondPlan holds for the radius its contain actions are measured against (built once for all). */
const heldTrees = new WeakMap<ReachResult, WitnessTree>();

function witnessTree(graph: CompactGraph, result: ReachResult): WitnessTree {
  const kept = witnessStates(result);
  let states: Int32Array;
  let parents: Int32Array;
  let held: Uint8Array;
  if (kept) ({ states, parents, held } = kept);
  else {
    // A result that is not reach()'s own: its states from the per-slot arrays, in the radius order.
    const slots: number[] = [];
    for (const v of result.order) for (let slot = v * 3; slot < v * 3 + 3; slot++) if (result.hops[slot]! >= 0) slots.push(slot);
    states = Int32Array.from(slots, (slot) => ((slot / 3) | 0) * 4 + (slot % 3) + 1);
    parents = Int32Array.from(slots, (slot) => result.parentEdge[slot]!);
    held = Uint8Array.from(slots, (slot) => result.parentLevel[slot]!);
  }
  const count = states.length;
  const stateOf = borrowSlotIndex(graph);
  indexStates(stateOf, states);
  const parentOf = (q: number): number => {
    const e = parents[q]!;
    return e < 0 ? -1 : stateOf[graph.edgeSrc[e]! * 3 + held[q]! - 1]!;
  };
  const orderIndex = new Int32Array(graph.nodeCount).fill(-1);
  result.order.forEach((v, i) => { orderIndex[v] = i; });
  // Children lists by counting: childStart[p] counts p's children, then ends p's list; filled from the last state
  // back, so each list is in state order and childStart[p] ends at its start.
  const childStart = new Int32Array(count + 1);
  for (let q = 0; q < count; q++) {
    const parent = parentOf(q);
    if (parent >= 0) childStart[parent]!++;
  }
  for (let q = 1; q <= count; q++) childStart[q]! += childStart[q - 1]!;
  const children = new Int32Array(childStart[count]!);
  for (let q = count - 1; q >= 0; q--) {
    const parent = parentOf(q);
    if (parent >= 0) children[--childStart[parent]!] = q;
  }
  return { graph, stateOf, states, childStart, children, orderIndex, inSubtree: new Uint8Array(count) };
}

/** Gives the tree's slot index back, all -1 again. */
function releaseTree(tree: WitnessTree): void {
  returnSlotIndex(tree.graph, tree.stateOf, tree.states);
}

const exposedWhere = (h: Harvest, ctx: Context): string => (ctx.kind(h.edge) === 'HOLDS' ? `in ${ctx.graph.nodes[h.via]!.name}'s store` : `in ${ctx.graph.nodes[h.via]!.name}`);

type StepPartial = Omit<RespondStep, 'step' | 'removes' | 'scoreAfter' | 'reachedAfter' | 'blocks' | 'mitigations'>;
type Push = (partial: StepPartial, nodes: readonly number[], edges: readonly string[], mitigations: CutMitigation[]) => void;

/** One cut of the revocation plan as a responder step. */
function pushCut(ctx: Context, cut: Cut, push: Push, sources: ReadonlySet<number>): void {
  const { graph } = ctx;
  if (cut.action === 'revoke' || cut.action === 'disable') {
    const v = graph.indexOf.get(cut.id)!;
    const node = graph.nodes[v]!;
    const wording = cut.action === 'revoke' ? { action: 'revoke-credential' as const, title: `Revoke ${node.name}`, where: rotateAction(node).where } : disableWording(ctx, v);
    push({ phase: 'cut', action: wording.action, title: wording.title, target: nodeRef(graph, v), where: wording.where, who: whoCanAct(ctx, v), impact: impactOf(ctx, [v], sources), containment: true }, [v], [], cut.mitigations);
    return;
  }
  const edges = cut.edges ?? [];
  const first = edges[0]!;
  const spec = graph.schema.edgeKinds[first.kind];
  const delegation = cut.delegation === true;
  const action: EdgeAction = cut.action === 'remove-grant' ? 'narrow-grant' : delegation ? 'remove-delegation' : (spec?.action ?? 'narrow-grant');
  // Where the change is made: the group or role for a membership, the grant holder for a permission.
  const targetRef = first.kind === 'MEMBER_OF' || first.kind === 'HAS_ROLE' || first.kind === 'FEDERATES_TO' ? first.to : first.from;
  const v = graph.indexOf.get(targetRef.id)!;
  const what = cut.action === 'remove-grant' ? `grant ${cut.name}` : delegation ? cut.name : `${first.from.name} -${first.kind}-> ${first.to.name}`;
  const title = `${EDGE_ACTIONS[action]}: ${what}${edges.length > 1 ? ` (${plural(edges.length, 'edge')})` : ''}`;
  const ids = cut.action === 'remove-grant' ? [...new Set(edges.map((e) => e.edgeId))] : cut.mitigations.flatMap((m) => ('removeEdge' in m ? [m.removeEdge] : []));
  push({
    phase: 'cut', action, title, target: targetRef, where: `${targetRef.platform} admin console or API`, who: whoCanAct(ctx, v),
    impact: { cost: 'low', notes: [`removes ${first.from.name}'s ${first.kind} on ${first.to.name}${edges.length > 1 ? ' and its other edges' : ''}`], dependents: [] },
    containment: true, edges: edges.map((e) => ({ edgeId: e.edgeId, kind: e.kind, from: e.from, to: e.to })),
    ...(cut.action === 'remove-grant' ? { grant: cut.id } : {}),
  }, [], ids, cut.mitigations);
}

/** The overlay a list of steps stands for (what the UI applies as steps are ticked). */
export function overlayOfSteps(graph: CompactGraph, steps: readonly Pick<RespondStep, 'blocks'>[]): Required<ReachOverlay> {
  const blockedNodes = new Uint8Array(graph.nodeCount);
  const blockedEdges = new Uint8Array(graph.edgeCount);
  for (const step of steps) for (const id of step.blocks.nodes) { const v = graph.indexOf.get(id); if (v !== undefined) blockedNodes[v] = 1; }
  // Each removed edge id is resolved on its own (with a delegation's derived edges): no index of every edge id.
  for (const id of new Set(steps.flatMap((s) => s.blocks.edges))) for (const e of edgesForId(graph, id)) blockedEdges[e] = 1;
  return { blockedNodes, blockedEdges };
}

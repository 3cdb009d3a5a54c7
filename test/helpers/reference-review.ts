// The review gate's analysis as first written, kept as the oracle of engine/analysis/review.ts: the proposal merged
// through the full import path, and for every tagged node downstream of it two full exposure searches (before, after).
import { edgeId, type Fragment, type GraphEdge, type GraphNode } from '../../engine/format/native.ts';
import type { SourcedFragment } from '../../engine/format/validate.ts';
import { activeRules, evaluatePolicy, REVIEW_RULES, ruleSeverity, type Policy, type PolicySeverity } from '../../engine/policy.ts';
import { effectiveSensitivity, LEVEL_CODE, levelName, type Level } from '../../engine/schema/index.ts';
import { assembleGraph } from '../../engine/store/assemble.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { CROWN_JEWEL_TAG, describeRadius, nodeRef, type NodeRef, type PathStepView } from '../../engine/analysis/radius.ts';
import { exposureOf } from '../../engine/analysis/exposure.ts';
import { reach, toInstant, type ReachOptions } from '../../engine/analysis/reach.ts';
import { LEVEL_WEIGHT, scoreOrder } from '../../engine/analysis/score.ts';
import {
  REVIEW_SOURCE_KINDS, type AddedScope, type ExposureChange, type ExposureChangeKind, type ProposalLocation, type ProposedApp,
  type ProposedCredential, type ReviewFacts, type ReviewGain, type ReviewResult, type ReviewSubject, type SubjectSummary,
} from '../../engine/analysis/review.ts';

const OWNS = 'OWNS';

/** Who reaches one tagged node before and after the proposal. */
interface ExposureDelta {
  node: number;
  bestBefore: number;
  bestAfter: number;
  exposersBefore: number;
  exposersAfter: number;
  gains: ReviewGain[];
}

type ProposalInput = SourcedFragment | Fragment | readonly SourcedFragment[];

function asBatch(proposal: ProposalInput): SourcedFragment[] {
  if (Array.isArray(proposal)) return [...(proposal as readonly SourcedFragment[])];
  if ('fragment' in proposal) return [proposal as SourcedFragment];
  const fragment = proposal as Fragment;
  return [{
    fragment,
    provenance: { nodePaths: fragment.nodes.map((_, i) => `$.nodes[${i}]`), edgePaths: fragment.edges.map((_, i) => `$.edges[${i}]`) },
    redactions: 0,
  }];
}

function location(file: string | undefined, path: string | undefined, line: number | undefined, fallback: string): ProposalLocation {
  const where: ProposalLocation = { path: path ?? fallback };
  if (file !== undefined) where.file = file;
  if (line !== undefined) where.line = line;
  return where;
}

const edgeKey = (edge: Pick<GraphEdge, 'kind' | 'from' | 'to' | 'grant'>): string => edgeId({ kind: edge.kind, from: edge.from, to: edge.to, grant: edge.grant });

/** The edge of `graph` with the same kind, endpoints and grant, if any (scans the source's edges only). */
function findEdge(graph: CompactGraph, edge: GraphEdge): number | undefined {
  const from = graph.indexOf.get(edge.from);
  const to = graph.indexOf.get(edge.to);
  const kind = graph.edgeKindNames.indexOf(edge.kind);
  if (from === undefined || to === undefined || kind < 0) return undefined;
  for (let e = graph.fwdOffsets[from]!, end = graph.fwdOffsets[from + 1]!; e < end; e++) {
    if (graph.edgeDst[e] === to && graph.edgeKind[e] === kind && graph.edgeAttrs[e]?.grant === edge.grant) return e;
  }
  return undefined;
}

/**
 * Everything the policy needs about a proposal: the proposal merged into the existing graph (in memory,
 * never written), its apps and credentials, their reach before and after, and what tagged nodes they
 * (or existing integrations, through them) newly reach. Throws INVALID_INPUT when a proposal edge
 * refers to a node that is in neither the proposal nor the graph.
 */
export function referenceReviewFacts(existing: CompactGraph, proposal: ProposalInput, options: ReachOptions = {}): ReviewFacts {
  const batch = asBatch(proposal);
  const at = toInstant(options.at);
  const opts: ReachOptions = { ...options, at };
  const merged = assembleGraph(batch, existing).graph;
  const kindOf = (v: number): string => merged.nodes[v]!.kind;

  // Where each node and edge of the proposal is declared (first declaration wins).
  const declaredNodes = new Map<string, ProposalLocation>();
  const proposalEdges = new Map<string, { edge: GraphEdge; location: ProposalLocation }[]>();
  const files: string[] = [];
  for (const { fragment, provenance } of batch) {
    if (provenance.file !== undefined && !files.includes(provenance.file)) files.push(provenance.file);
    fragment.nodes.forEach((node, i) => {
      if (!declaredNodes.has(node.id)) declaredNodes.set(node.id, location(provenance.file, provenance.nodePaths[i], provenance.nodeLines?.[i], `$.nodes[${i}]`));
    });
    fragment.edges.forEach((edge, i) => {
      const key = edgeKey(edge);
      const list = proposalEdges.get(key) ?? [];
      list.push({ edge, location: location(provenance.file, provenance.edgePaths[i], provenance.edgeLines?.[i], `$.edges[${i}]`) });
      proposalEdges.set(key, list);
    });
  }
  const firstEdgeFrom = new Map<string, ProposalLocation>();
  for (const occurrences of proposalEdges.values()) {
    for (const { edge, location: where } of occurrences) {
      const known = firstEdgeFrom.get(edge.from);
      if (!known || compareLocations(where, known) < 0) firstEdgeFrom.set(edge.from, where);
    }
  }
  const locationOf = (id: string): ProposalLocation | undefined => declaredNodes.get(id) ?? firstEdgeFrom.get(id);
  const existingIndex = (v: number): number | undefined => existing.indexOf.get(merged.nodes[v]!.id);

  const newNodes: NodeRef[] = [];
  const changedNodes: NodeRef[] = [];
  for (const id of declaredNodes.keys()) (existing.indexOf.has(id) ? changedNodes : newNodes).push(nodeRef(merged, merged.indexOf.get(id)!));
  newNodes.sort(byId);
  changedNodes.sort(byId);
  let newEdges = 0;
  let changedEdges = 0;
  for (const [, occurrences] of proposalEdges) {
    if (findEdge(existing, occurrences[0]!.edge) === undefined) newEdges++;
    else changedEdges++;
  }

  // Subjects: the apps of the proposal (declared, or given a new edge), then credentials no app of it reaches.
  const candidates = new Set<number>();
  for (const id of declaredNodes.keys()) candidates.add(merged.indexOf.get(id)!);
  for (const occurrences of proposalEdges.values()) candidates.add(merged.indexOf.get(occurrences[0]!.edge.from)!);
  const ordered = [...candidates]
    .filter((v) => REVIEW_SOURCE_KINDS.includes(kindOf(v)))
    .sort((a, b) => REVIEW_SOURCE_KINDS.indexOf(kindOf(a)) - REVIEW_SOURCE_KINDS.indexOf(kindOf(b)) || merged.nodes[a]!.id.localeCompare(merged.nodes[b]!.id));
  const subjects: ReviewSubject[] = [];
  for (const v of ordered) {
    const isApp = kindOf(v) === REVIEW_SOURCE_KINDS[0];
    if (!isApp && subjects.some((s) => s.after.level[v]! > 0)) continue;
    const after = reach(merged, [v], opts);
    const old = existingIndex(v);
    const before = old === undefined ? undefined : reach(existing, [old], opts);
    const subject: ReviewSubject = {
      index: v, ref: nodeRef(merged, v), isNew: old === undefined,
      score: scoreOrder(merged, after.level, after.order, [v]),
      scoreBefore: before ? scoreOrder(existing, before.level, before.order, [old!]) : null,
      after,
    };
    if (before) subject.before = before;
    const where = locationOf(subject.ref.id);
    if (where) subject.location = where;
    subjects.push(subject);
  }
  const subjectSet = new Set(subjects.map((s) => s.index));

  const proposalEdgeById = new Map<string, ProposalLocation>();
  for (const [key, occurrences] of proposalEdges) {
    proposalEdgeById.set(key, occurrences[0]!.location);
    for (const { edge, location: where } of occurrences) if (edge.id !== undefined && !proposalEdgeById.has(edge.id)) proposalEdgeById.set(edge.id, where);
  }
  // The proposal element to look at for a path: its last edge from the proposal (the grant to remove),
  // else the last node of the path the proposal declares.
  const locatePath = (path: readonly PathStepView[], source: string): ProposalLocation | undefined => {
    for (let i = path.length - 1; i >= 0; i--) {
      const step = path[i]!;
      const viaEdge = proposalEdgeById.get(step.edgeId) ?? proposalEdgeById.get(edgeKey({ kind: step.kind, from: step.from.id, to: step.to.id, grant: step.grant }));
      if (viaEdge) return viaEdge;
    }
    for (let i = path.length - 1; i >= 0; i--) {
      const declared = declaredNodes.get(path[i]!.to.id);
      if (declared) return declared;
    }
    return declaredNodes.get(source);
  };

  // Reach can only change downstream of a node that is new, whose usability window changed, or that
  // starts a traversable edge of the proposal (governance edges such as OWNS change nothing). For each
  // tagged node there, compare who reaches it before and after (exposureOf: reverse searches confined
  // to the node's ancestors).
  const touched = new Set<number>();
  for (const id of declaredNodes.keys()) {
    const v = merged.indexOf.get(id)!;
    const old = existing.indexOf.get(id);
    if (old === undefined || existing.activeFrom[old] !== merged.activeFrom[v] || existing.activeUntil[old] !== merged.activeUntil[v]) touched.add(v);
  }
  for (const occurrences of proposalEdges.values()) {
    const { edge } = occurrences[0]!;
    if (merged.schema.edgeKinds[edge.kind]?.traversable) touched.add(merged.indexOf.get(edge.from)!);
  }
  const downstream = reach(merged, [...touched].sort((a, b) => a - b), { ...opts, sourceLevel: 'admin' });
  const proposalElement = (id: string): boolean => declaredNodes.has(id) || firstEdgeFrom.has(id);
  const deltas: ExposureDelta[] = [];
  for (const v of [...downstream.order].sort((a, b) => merged.nodes[a]!.id.localeCompare(merged.nodes[b]!.id))) {
    if ((merged.nodes[v]!.tags?.length ?? 0) === 0) continue;
    const old = existingIndex(v);
    const before = old === undefined ? undefined : exposureOf(existing, old, { ...opts, kinds: REVIEW_SOURCE_KINDS });
    const after = exposureOf(merged, v, { ...opts, kinds: REVIEW_SOURCE_KINDS });
    const levelBefore = new Map((before?.exposed ?? []).map((entry) => [entry.id, LEVEL_CODE[entry.level]]));
    const gains: ReviewGain[] = [];
    for (const entry of after.exposed) {
      const level = LEVEL_CODE[entry.level];
      const was = levelBefore.get(entry.id) ?? 0;
      if (level <= was) continue;
      const by = merged.indexOf.get(entry.id)!;
      const gain: ReviewGain = { node: v, by, byProposal: proposalElement(entry.id), bySubject: subjectSet.has(by), level, before: was, hops: entry.hops, path: entry.path };
      const where = locatePath(entry.path, entry.id);
      if (where) gain.location = where;
      gains.push(gain);
    }
    if (gains.length === 0) continue;
    gains.sort(compareGains(merged));
    const best = (entries: readonly { level: Level }[]): number => entries.reduce((m, entry) => Math.max(m, LEVEL_CODE[entry.level]), 0);
    deltas.push({ node: v, bestBefore: best(before?.exposed ?? []), bestAfter: best(after.exposed), exposersBefore: before?.exposedCount ?? 0, exposersAfter: after.exposedCount, gains });
  }
  const gains = deltas.flatMap((delta) => delta.gains);

  // Apps of the proposal, with their owners.
  const apps: ProposedApp[] = [];
  for (const v of ordered) {
    if (kindOf(v) !== REVIEW_SOURCE_KINDS[0]) continue;
    const node = merged.nodes[v]!;
    const ownerIds = new Set<string>(node.ownerIds ?? []);
    for (let i = merged.revOffsets[v]!, end = merged.revOffsets[v + 1]!; i < end; i++) {
      const e = merged.revEdges[i]!;
      if (merged.edgeKindNames[merged.edgeKind[e]!] === OWNS) ownerIds.add(merged.nodes[merged.edgeSrc[e]!]!.id);
    }
    const owners: string[] = [];
    const disabledOwners: string[] = [];
    for (const id of [...ownerIds].sort()) {
      const owner = merged.indexOf.get(id);
      if (owner !== undefined && merged.nodes[owner]!.enabled === false) disabledOwners.push(merged.nodes[owner]!.name);
      else owners.push(id);
    }
    const app: ProposedApp = { index: v, node, isNew: !existing.indexOf.has(node.id), owners, disabledOwners };
    const where = locationOf(node.id);
    if (where) app.location = where;
    apps.push(app);
  }

  const credentials: ProposedCredential[] = [];
  for (const [id, where] of declaredNodes) {
    const v = merged.indexOf.get(id)!;
    if (kindOf(v) !== REVIEW_SOURCE_KINDS[1]) continue;
    credentials.push({ index: v, node: merged.nodes[v]!, isNew: !existing.indexOf.has(id), location: where });
  }
  credentials.sort((a, b) => a.node.id.localeCompare(b.node.id));

  // Scopes the proposal adds: edges first (the grant itself), then credential nodes; one per carrier and scope.
  const addedScopes: AddedScope[] = [];
  const seenScope = new Set<string>();
  const addScope = (scope: string, carrier: GraphNode, extra: Omit<AddedScope, 'scope' | 'carrierId' | 'carrierName'>): void => {
    const key = `${carrier.id}\u0000${scope}`;
    if (seenScope.has(key)) return;
    seenScope.add(key);
    addedScopes.push({ scope, carrierId: carrier.id, carrierName: carrier.name, ...extra });
  };
  for (const [key, occurrences] of proposalEdges) {
    const old = findEdge(existing, occurrences[0]!.edge);
    const had = new Set(old === undefined ? [] : existing.edgeAttrs[old]?.scopes ?? []);
    for (const { edge, location: where } of occurrences) {
      const carrier = merged.nodes[merged.indexOf.get(edge.from)!]!;
      const target = merged.nodes[merged.indexOf.get(edge.to)!]!;
      for (const scope of edge.scopes ?? []) {
        if (!had.has(scope)) addScope(scope, carrier, { edgeId: edge.id ?? key, edgeKind: edge.kind, targetName: target.name, location: where });
      }
    }
  }
  for (const credential of credentials) {
    const old = existing.indexOf.get(credential.node.id);
    const had = new Set(old === undefined ? [] : existing.nodes[old]!.scopes ?? []);
    for (const scope of credential.node.scopes ?? []) {
      if (!had.has(scope)) addScope(scope, credential.node, credential.location ? { location: credential.location } : {});
    }
  }
  addedScopes.sort((a, b) => compareLocations(a.location, b.location) || a.carrierId.localeCompare(b.carrierId) || a.scope.localeCompare(b.scope));

  return {
    existing, merged, at, apps, credentials, subjects, gains, addedScopes,
    exposureChanges: exposureChanges(merged, deltas),
    newNodes, changedNodes, newEdges, changedEdges, files,
  };
}

const CHANGE_RANK: Record<ExposureChangeKind, number> = { 'newly-exposed': 0, raised: 1, widened: 2 };

/** Gains on one node: highest level first, then proposal elements, then fewest hops, then id. */
function compareGains(merged: CompactGraph) {
  return (a: ReviewGain, b: ReviewGain): number =>
    b.level - a.level || Number(b.bySubject) - Number(a.bySubject) || Number(b.byProposal) - Number(a.byProposal)
    || a.hops - b.hops || merged.nodes[a.by]!.id.localeCompare(merged.nodes[b.by]!.id);
}

/** One entry per tagged resource or platform (graded kinds) that gains an exposer, most sensitive first. */
function exposureChanges(merged: CompactGraph, deltas: readonly ExposureDelta[]): ExposureChange[] {
  const changes: ExposureChange[] = [];
  for (const delta of deltas) {
    const node = merged.nodes[delta.node]!;
    if (!merged.schema.nodeKinds[node.kind]?.graded) continue;
    const first = delta.gains[0]!;
    const level = delta.gains.reduce((m, gain) => Math.max(m, gain.level), 0);
    const change: ExposureChange = {
      resource: nodeRef(merged, delta.node),
      tags: node.tags ?? [],
      sensitivity: effectiveSensitivity(node),
      before: delta.bestBefore === 0 ? null : levelName(delta.bestBefore),
      after: levelName(delta.bestAfter),
      level: levelName(level),
      change: delta.bestBefore === 0 ? 'newly-exposed' : level > delta.bestBefore ? 'raised' : 'widened',
      exposersBefore: delta.exposersBefore,
      exposersAfter: delta.exposersAfter,
      newExposers: delta.gains.map((gain) => ({
        ...nodeRef(merged, gain.by), level: levelName(gain.level), before: gain.before === 0 ? null : levelName(gain.before), byProposal: gain.byProposal, hops: gain.hops,
      })),
      by: nodeRef(merged, first.by),
      byProposal: first.byProposal,
      hops: first.hops,
      path: first.path,
    };
    if (first.location) change.location = first.location;
    changes.push(change);
  }
  const points = (c: ExposureChange): number => c.sensitivity * LEVEL_WEIGHT[LEVEL_CODE[c.level]];
  return changes.sort((a, b) => points(b) - points(a) || CHANGE_RANK[a.change] - CHANGE_RANK[b.change] || a.resource.id.localeCompare(b.resource.id));
}

/**
 * Reviews a proposal against a policy: the authority it adds (its apps' blast radius in the merged
 * graph), how the exposure of tagged resources changes, and every violation. `passed` is false when a
 * violation has severity error.
 */
export function referenceReview(existing: CompactGraph, proposal: ProposalInput, policy: Policy, options: ReachOptions = {}): ReviewResult {
  const facts = referenceReviewFacts(existing, proposal, options);
  const violations = evaluatePolicy(facts, policy);
  const counts: Record<PolicySeverity, number> = { error: 0, warning: 0, note: 0 };
  for (const violation of violations) counts[violation.severity]++;
  const active = new Set(activeRules(policy));
  const combinedSources = facts.subjects.map((s) => s.index);
  const combinedOptions: ReachOptions = { ...options, at: facts.at };
  const addedAuthority = describeRadius(reach(facts.merged, combinedSources, combinedOptions), combinedOptions);
  return {
    passed: counts.error === 0,
    at: new Date(facts.at).toISOString(),
    proposal: { files: facts.files, newNodes: facts.newNodes, changedNodes: facts.changedNodes, newEdges: facts.newEdges, changedEdges: facts.changedEdges },
    rules: REVIEW_RULES.map((info) => ({ rule: info.name, ruleId: info.id, active: active.has(info.name), severity: ruleSeverity(policy, info.name) })),
    counts,
    violations,
    subjects: facts.subjects.map((subject) => {
      const radius = subject.after;
      let crownJewels = 0;
      for (const v of radius.order) if (v !== subject.index && facts.merged.nodes[v]!.tags?.includes(CROWN_JEWEL_TAG)) crownJewels++;
      const summary: SubjectSummary = {
        ...subject.ref, isNew: subject.isNew, score: round(subject.score), scoreBefore: subject.scoreBefore === null ? null : round(subject.scoreBefore),
        reached: radius.order.filter((v) => v !== subject.index).length, crownJewels,
      };
      if (subject.location) summary.location = subject.location;
      return summary;
    }),
    addedAuthority,
    exposureChanges: facts.exposureChanges,
  };
}

const round = (n: number): number => Math.round(n * 100) / 100;
const byId = (a: NodeRef, b: NodeRef): number => a.id.localeCompare(b.id);

function compareLocations(a: ProposalLocation | undefined, b: ProposalLocation | undefined): number {
  return (a?.file ?? '').localeCompare(b?.file ?? '') || (a?.line ?? 0) - (b?.line ?? 0) || (a?.path ?? '').localeCompare(b?.path ?? '', 'en', { numeric: true });
}

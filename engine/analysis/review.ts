// The review gate's analysis: a proposal (new or changed nodes and edges) merged in memory into the graph,
// the authority it adds, how the exposure of tagged resources changes, and the policy verdict.
import { edgeId, type Fragment, type GraphEdge, type GraphNode } from '../format/native.ts';
import type { SourcedFragment } from '../format/validate.ts';
import { activeRules, evaluatePolicy, REVIEW_RULES, ruleSeverity, type Policy, type PolicyRuleName, type PolicySeverity, type Violation } from '../policy.ts';
import { effectiveSensitivity, LEVEL_CODE, levelName, type Level } from '../schema/index.ts';
import { assembleGraph } from '../store/assemble.ts';
import { patchGraph } from '../store/patch.ts';
import { edgeIdAt, type CompactGraph } from '../store/compact.ts';
import { describeRadius, idRanks, nodeRef, stepView, type BlastRadius, type NodeRef, type PathStepView } from './radius.ts';
import { exposureOf } from './exposure.ts';
import { exposerCounts } from './closure.ts';
import { nodeColumns } from './columns.ts';
import { compileReachRules, reach, toInstant, witnessPath, type PathStep, type ReachOptions, type ReachResult } from './reach.ts';
import { WORK } from './work.ts';
import { LEVEL_WEIGHT, scoreOrder } from './score.ts';

/** Where a proposal element is declared: file, JSON path and line when the format knows it. */
export interface ProposalLocation {
  file?: string;
  path: string;
  line?: number;
}

/** Kinds whose compromise a review measures: the integration and the credentials it holds. */
export const REVIEW_SOURCE_KINDS: readonly string[] = ['App', 'Credential'];
/** The governance edge that names an owner. */
const OWNS = 'OWNS';

/** An app or credential of the proposal whose own blast radius is checked. */
export interface ReviewSubject {
  /** Index in the merged graph. */
  index: number;
  ref: NodeRef;
  isNew: boolean;
  score: number;
  /** Score in the existing graph, or null when the subject is new. */
  scoreBefore: number | null;
  location?: ProposalLocation;
  after: ReachResult;
  before?: ReachResult;
}

/** An app or credential that reaches a tagged node at a higher level than before the proposal. */
export interface ReviewGain {
  /** The tagged node (index in the merged graph). */
  node: number;
  /** The app or credential that gains (index in the merged graph). */
  by: number;
  /** `by` is an element of the proposal (declared in it, or given a new edge). */
  byProposal: boolean;
  /** `by` is one of the review's subjects (its own rules apply to it). */
  bySubject: boolean;
  level: number;
  /** Level `by` held on the node before the proposal (0 = none, or `by` is new). */
  before: number;
  hops: number;
  path: PathStepView[];
  location?: ProposalLocation;
}

/** Who reaches one tagged node before and after the proposal. */
interface ExposureDelta {
  node: number;
  /** Best level any app or credential held before (0 = none). */
  bestBefore: number;
  bestAfter: number;
  exposersBefore: number;
  exposersAfter: number;
  gains: ReviewGain[];
}

export interface ProposedApp {
  index: number;
  node: GraphNode;
  isNew: boolean;
  /** Ids of enabled owners (OWNS edges and ownerIds). */
  owners: string[];
  /** Names or ids of owners that are disabled identities. */
  disabledOwners: string[];
  location?: ProposalLocation;
}

export interface ProposedCredential {
  index: number;
  node: GraphNode;
  isNew: boolean;
  location?: ProposalLocation;
}

/** A scope the proposal adds: on one of its edges or credentials, and not already there before. */
export interface AddedScope {
  scope: string;
  /** Node that carries the scope: the edge's source, or the credential. */
  carrierId: string;
  carrierName: string;
  edgeId?: string;
  edgeKind?: string;
  targetName?: string;
  location?: ProposalLocation;
}

/** What the policy is evaluated on. */
export interface ReviewFacts {
  existing: CompactGraph;
  merged: CompactGraph;
  at: number;
  apps: ProposedApp[];
  credentials: ProposedCredential[];
  subjects: ReviewSubject[];
  gains: ReviewGain[];
  addedScopes: AddedScope[];
  exposureChanges: ExposureChange[];
  newNodes: NodeRef[];
  changedNodes: NodeRef[];
  newEdges: number;
  changedEdges: number;
  files: string[];
}

export type ExposureChangeKind = 'newly-exposed' | 'raised' | 'widened';

/** An app or credential that reaches the resource higher than before. */
export interface NewExposer extends NodeRef {
  level: Level;
  /** Level it held before (null: none, or it is new). */
  before: Level | null;
  byProposal: boolean;
  hops: number;
}

/**
 * How the exposure of one tagged resource or platform changes: the set of apps and credentials that
 * reach it, before (existing graph) and after (merged graph). `newly-exposed`: none reached it before;
 * `raised`: the best level rises; `widened`: more integrations reach it, at a level already reached.
 */
export interface ExposureChange {
  resource: NodeRef;
  tags: string[];
  sensitivity: number;
  /** Best level any app or credential held on it before (null: none reached it). */
  before: Level | null;
  /** Best level any app or credential holds after. */
  after: Level;
  /** Highest level gained through the proposal. */
  level: Level;
  change: ExposureChangeKind;
  exposersBefore: number;
  exposersAfter: number;
  newExposers: NewExposer[];
  /** The first new exposer (proposal elements first) and its path. */
  by: NodeRef;
  byProposal: boolean;
  hops: number;
  path: PathStepView[];
  location?: ProposalLocation;
}

export interface SubjectSummary extends NodeRef {
  isNew: boolean;
  score: number;
  scoreBefore: number | null;
  reached: number;
  crownJewels: number;
  location?: ProposalLocation;
}

export interface AppliedPolicyRule {
  rule: PolicyRuleName;
  ruleId: string;
  active: boolean;
  severity: PolicySeverity;
}

export interface ReviewResult {
  /** No violation of error severity. */
  passed: boolean;
  at: string;
  proposal: { files: string[]; newNodes: NodeRef[]; changedNodes: NodeRef[]; newEdges: number; changedEdges: number };
  rules: AppliedPolicyRule[];
  counts: Record<PolicySeverity, number>;
  violations: Violation[];
  subjects: SubjectSummary[];
  /** Blast radius of the proposal's apps (and credentials no app of it holds) together, in the merged graph. */
  addedAuthority: BlastRadius;
  exposureChanges: ExposureChange[];
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
export function reviewFacts(existing: CompactGraph, proposal: ProposalInput, options: ReachOptions = {}): ReviewFacts {
  const batch = asBatch(proposal);
  const at = toInstant(options.at);
  const opts: ReachOptions = { ...options, at };
  // The proposal patched into the graph's columns (the cost follows the proposal), or the full import path when
  // the patch cannot (reference stubs, scoped delegations): both give the graph an import would write.
  const patched = patchGraph(existing, batch);
  const merged = 'graph' in patched ? patched.graph : assembleGraph(batch, existing).graph;
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
  const proposalElement = (id: string): boolean => declaredNodes.has(id) || firstEdgeFrom.has(id);
  const known = new Map(subjects.map((subject) => [subject.index, subject.before ? { after: subject.after, before: subject.before } : { after: subject.after }]));
  // The proposal element to look at for a witness path: its last edge from the proposal (the grant to remove), else
  // the last node of the path the proposal declares. Read off the path's steps (edges and nodes looked up once each).
  const edgeLocations = new Map<number, ProposalLocation | null>();
  const edgeLocation = (e: number): ProposalLocation | null => {
    let where = edgeLocations.get(e);
    if (where === undefined) {
      const attrs = merged.edgeAttrs[e];
      where = proposalEdgeById.get(edgeIdAt(merged, e))
        ?? proposalEdgeById.get(edgeKey({ kind: merged.edgeKindNames[merged.edgeKind[e]!]!, from: merged.nodes[merged.edgeSrc[e]!]!.id, to: merged.nodes[merged.edgeDst[e]!]!.id, grant: attrs?.grant }))
        ?? null;
      edgeLocations.set(e, where);
    }
    return where;
  };
  const locateSteps = (steps: readonly PathStep[], source: number): ProposalLocation | undefined => {
    for (let i = steps.length - 1; i >= 0; i--) {
      const where = edgeLocation(steps[i]!.edge);
      if (where) return where;
    }
    for (let i = steps.length - 1; i >= 0; i--) {
      const declared = declaredNodes.get(merged.nodes[steps[i]!.to]!.id);
      if (declared) return declared;
    }
    return declaredNodes.get(merged.nodes[source]!.id);
  };
  const deltas = exposureDeltas({ existing, merged, patched: 'graph' in patched, opts, batch, subjectSet, known, proposalElement, locateSteps });
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

/** What the gains of one source share: the graph, its forward reach (when kept) and how to locate a path. */
interface GainSource {
  graph: CompactGraph;
  /** The source's reach in the merged graph; undefined when each gain keeps its own steps. */
  result: ReachResult | undefined;
  locate: (steps: readonly PathStep[], source: number) => ProposalLocation | undefined;
}

/**
 * A gain whose witness path and proposal location are made on first read: a proposal reaching a large enterprise
 * gains on a hundred thousand tagged nodes, and only the few a report shows need them. `path` and `location` are
 * own enumerable getters shared by every gain (objects stay in V8's fast mode), so a gain reads and compares like
 * a plain record.
 */
class Gain {
  declare node: number;
  declare by: number;
  declare byProposal: boolean;
  declare bySubject: boolean;
  declare level: number;
  declare before: number;
  declare hops: number;
  declare path: PathStepView[];
  declare location?: ProposalLocation;
  readonly #source: GainSource;
  /** The witness steps, when the source's reach is not kept. */
  readonly #steps: readonly PathStep[] | undefined;
  #location: ProposalLocation | null | undefined;

  constructor(source: GainSource, steps: readonly PathStep[] | undefined, fields: Omit<ReviewGain, 'path' | 'location'>) {
    this.node = fields.node;
    this.by = fields.by;
    this.byProposal = fields.byProposal;
    this.bySubject = fields.bySubject;
    this.level = fields.level;
    this.before = fields.before;
    this.hops = fields.hops;
    Object.defineProperty(this, 'path', GAIN_PATH);
    Object.defineProperty(this, 'location', GAIN_LOCATION);
    this.#source = source;
    this.#steps = steps;
  }

  static stepsOf(gain: Gain): readonly PathStep[] {
    return gain.#steps ?? witnessPath(gain.#source.result!, gain.node, gain.level);
  }

  static pathOf(gain: Gain): PathStepView[] {
    return Gain.stepsOf(gain).map((step) => stepView(gain.#source.graph, step));
  }

  static originOf(gain: Gain): { graph: CompactGraph; steps: readonly PathStep[] } {
    return { graph: gain.#source.graph, steps: Gain.stepsOf(gain) };
  }

  static locationOf(gain: Gain): ProposalLocation | undefined {
    if (gain.#location === undefined) gain.#location = gain.#source.locate(Gain.stepsOf(gain), gain.by) ?? null;
    return gain.#location ?? undefined;
  }
}

const GAIN_PATH: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: Gain): PathStepView[] {
    return Gain.pathOf(this);
  },
};

const GAIN_LOCATION: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: Gain): ProposalLocation | undefined {
    return Gain.locationOf(this);
  },
};

/** Up to this many affected sources keep their forward reach for the witness paths of their gains. */
const KEPT_REACHES = 16;

interface DeltaInput {
  existing: CompactGraph;
  merged: CompactGraph;
  /** The merged graph is the existing one patched: old nodes keep their indices and only proposal edges differ. */
  patched: boolean;
  opts: ReachOptions;
  batch: readonly SourcedFragment[];
  subjectSet: ReadonlySet<number>;
  /** Reaches already computed for subjects (merged index -> after, before). */
  known: ReadonlyMap<number, { after: ReachResult; before?: ReachResult }>;
  proposalElement: (id: string) => boolean;
  /** The proposal element a witness path goes through. */
  locateSteps: (steps: readonly PathStep[], source: number) => ProposalLocation | undefined;
}

/**
 * Who gains on which tagged node, and how the exposure of each such node changes. A source's reach can only change
 * when it reaches (in either graph) a node that changed: a new node, a node whose usability window changed, or the
 * source of a traversable edge that is new or different. Those few sources are reached forwards before and after;
 * every other source reaches exactly what it reached before, so its part of the best level and of the exposer count
 * comes from one multi-source reach and from the shared-closure counts (closure.ts), not from a search per node.
 * Equal to comparing two full exposure searches per tagged node (test/helpers/reference-review.ts, property-tested).
 */
function exposureDeltas(input: DeltaInput): ExposureDelta[] {
  const { existing, merged, patched, opts, batch, subjectSet, known, proposalElement, locateSteps } = input;
  const n = existing.nodeCount;
  const n2 = merged.nodeCount;
  // Index maps between the graphs: the identity on old nodes when patched, by id otherwise.
  let toMerged: Int32Array;
  let toExisting: Int32Array;
  if (patched) {
    toMerged = new Int32Array(n);
    for (let i = 0; i < n; i++) toMerged[i] = i;
    toExisting = new Int32Array(n2).fill(-1);
    toExisting.set(toMerged);
  } else {
    toMerged = new Int32Array(n).fill(-1);
    toExisting = new Int32Array(n2).fill(-1);
    for (let i = 0; i < n; i++) {
      const j = merged.indexOf.get(existing.nodes[i]!.id);
      if (j !== undefined) { toMerged[i] = j; toExisting[j] = i; }
    }
  }

  // The changed nodes (merged indices).
  const changed = new Uint8Array(n2);
  for (let j = 0; j < n2; j++) if (toExisting[j] === -1) changed[j] = 1;
  for (let i = 0; i < n; i++) {
    const j = toMerged[i]!;
    if (j >= 0 && (existing.activeFrom[i] !== merged.activeFrom[j] || existing.activeUntil[i] !== merged.activeUntil[j])) changed[j] = 1;
  }
  if (patched) {
    // Only the proposal's own edges are new or changed in a patched graph.
    for (const { fragment } of batch) {
      for (const edge of fragment.edges) if (merged.schema.edgeKinds[edge.kind]?.traversable) changed[merged.indexOf.get(edge.from)!] = 1;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const j = toMerged[i]!;
      if (j < 0 || changed[j] === 1) continue;
      if (traversableEdges(existing, i, (v) => toMerged[v]!) !== traversableEdges(merged, j, (v) => v)) changed[j] = 1;
    }
  }

  // The sources whose reach may change: apps and credentials with a path (any level, any instant) to a changed node.
  // Read off each graph's kind column (a node object read per node, three passes over a million, cost more).
  const sourceKindsOf = (graph: CompactGraph): Uint8Array => Uint8Array.from(graph.nodeKindNames, (kind) => (REVIEW_SOURCE_KINDS.includes(kind) ? 1 : 0));
  const mergedSourceKinds = sourceKindsOf(merged);
  const existingSourceKinds = sourceKindsOf(existing);
  const isSource = (graph: CompactGraph, v: number): boolean =>
    (graph === merged ? mergedSourceKinds : graph === existing ? existingSourceKinds : sourceKindsOf(graph))[graph.nodeKind[v]!] === 1;
  const inMerged = ancestors(merged, changed);
  const changedBefore = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (toMerged[i]! >= 0 && changed[toMerged[i]!] === 1) changedBefore[i] = 1;
  const inExisting = ancestors(existing, changedBefore);
  const affected = new Uint8Array(n2);
  for (let j = 0; j < n2; j++) if (inMerged[j] === 1 && isSource(merged, j)) affected[j] = 1;
  for (let i = 0; i < n; i++) if (inExisting[i] === 1 && toMerged[i]! >= 0 && isSource(existing, i)) affected[toMerged[i]!] = 1;

  // Forward reaches of the affected sources, before and after: the gains, and their share of best levels and counts.
  const tagged = (v: number): boolean => (merged.nodes[v]!.tags?.length ?? 0) > 0;
  const gainsOf = new Map<number, ReviewGain[]>();
  const reachedAfter = new Int32Array(n2);
  const reachedBefore = new Int32Array(n2);
  const bestAfterAffected = new Uint8Array(n2);
  const bestBeforeAffected = new Uint8Array(n2);
  let affectedCount = 0;
  for (let s = 0; s < n2; s++) affectedCount += affected[s]!;
  const keepReaches = affectedCount <= KEPT_REACHES;
  for (let s = 0; s < n2; s++) {
    if (affected[s] === 0) continue;
    const old = toExisting[s]!;
    const cached = known.get(s);
    const after = cached?.after ?? reach(merged, [s], opts);
    const before = old < 0 ? undefined : cached?.before ?? reach(existing, [old], opts);
    // A few sources keep their reach for the paths asked later; many give each gain its steps now (a kept reach
    // holds its witness arrays, 28 MB at a million nodes).
    const gainSource: GainSource = { graph: merged, result: keepReaches ? after : undefined, locate: locateSteps };
    const levelBefore = (v: number): number => {
      const i = toExisting[v]!;
      return before === undefined || i < 0 ? 0 : before.level[i]!;
    };
    for (const v of after.order) {
      if (v === s || !tagged(v)) continue;
      const level = after.level[v]!;
      reachedAfter[v]!++;
      if (level > bestAfterAffected[v]!) bestAfterAffected[v] = level;
      const was = levelBefore(v);
      if (level <= was) continue;
      const gain = new Gain(gainSource, keepReaches ? undefined : witnessPath(after, v, level), {
        node: v, by: s, byProposal: proposalElement(merged.nodes[s]!.id), bySubject: subjectSet.has(s), level, before: was, hops: after.hops[v * 3 + level - 1]!,
      });
      const list = gainsOf.get(v);
      if (list) list.push(gain); else gainsOf.set(v, [gain]);
    }
    if (before) {
      for (const i of before.order) {
        const v = toMerged[i]!;
        if (i === old || v < 0 || !tagged(v)) continue;
        reachedBefore[v]!++;
        if (before.level[i]! > bestBeforeAffected[v]!) bestBeforeAffected[v] = before.level[i]!;
      }
    }
  }

  // Tagged nodes with a gain, by id; the graded ones get best levels and exposer counts.
  const targets = [...gainsOf.keys()];
  const rank = idRanks(targets.map((v) => merged.nodes[v]!.id));
  const byRank = targets.map((_, k) => k).sort((a, b) => rank[a]! - rank[b]!).map((k) => targets[k]!);
  targets.splice(0, targets.length, ...byRank);
  const graded = targets.filter((v) => merged.schema.nodeKinds[merged.nodes[v]!.kind]?.graded);
  // Every other source reaches in the merged graph exactly what it reached before (it has no path to a change), so
  // its share is computed there: the existing graph needs no traversal state of its own unless a source existed.
  const unaffected: number[] = [];
  for (let j = 0; j < n2; j++) if (affected[j] === 0 && toExisting[j]! >= 0 && isSource(merged, j)) unaffected.push(j);
  // Best level any unaffected source holds: one search from all of them at once.
  const bestOthers = graded.length > 0 ? bestLevels(merged, unaffected, opts) : new Uint8Array(n2);
  const oldTargets = graded.filter((v) => toExisting[v]! >= 0);
  const counted = exposerCounts(merged, opts, unaffected, oldTargets);
  const countOthers = new Map<number, number>();
  oldTargets.forEach((v, k) => {
    if (counted) { countOthers.set(v, counted[k]!); return; }
    // With a depth limit: the exposure search itself, less the affected sources it counts.
    const exposure = exposureOf(existing, toExisting[v]!, { ...opts, kinds: REVIEW_SOURCE_KINDS, top: 0 });
    countOthers.set(v, exposure.exposedCount - reachedBefore[v]!);
  });

  const deltas: ExposureDelta[] = [];
  for (const v of targets) {
    const gains = gainsOf.get(v)!;
    gains.sort(compareGains(merged));
    const i = toExisting[v]!;
    const isGraded = merged.schema.nodeKinds[merged.nodes[v]!.kind]?.graded === true;
    if (isGraded && i >= 0 && isSource(existing, i)) {
      // A graded source kind (a custom schema): its own level is in the multi-source reach; ask the exposure search.
      const before = exposureOf(existing, i, { ...opts, kinds: REVIEW_SOURCE_KINDS });
      const after = exposureOf(merged, v, { ...opts, kinds: REVIEW_SOURCE_KINDS });
      const best = (entries: readonly { level: Level }[]): number => entries.reduce((m, entry) => Math.max(m, LEVEL_CODE[entry.level]), 0);
      deltas.push({ node: v, bestBefore: best(before.exposed), bestAfter: best(after.exposed), exposersBefore: before.exposedCount, exposersAfter: after.exposedCount, gains });
      continue;
    }
    const other = i < 0 ? 0 : bestOthers[v]!;
    const count = i < 0 ? 0 : countOthers.get(v) ?? 0;
    deltas.push({
      node: v,
      bestBefore: Math.max(other, bestBeforeAffected[v]!),
      bestAfter: Math.max(other, bestAfterAffected[v]!),
      exposersBefore: count + reachedBefore[v]!,
      exposersAfter: count + reachedAfter[v]!,
      gains,
    });
  }
  return deltas;
}

/** Node u's traversable out-edges as one comparable string (target through `map`, kind, conditions). */
function traversableEdges(graph: CompactGraph, u: number, map: (v: number) => number): string {
  const parts: string[] = [];
  for (let e = graph.fwdOffsets[u]!, end = graph.fwdOffsets[u + 1]!; e < end; e++) {
    const kind = graph.edgeKind[e]!;
    if (graph.kindTraversable[kind] === 0) continue;
    parts.push(`${map(graph.edgeDst[e]!)}/${kind}/${(graph.edgeAttrs[e]?.conditions ?? []).join(',')}`);
  }
  return parts.sort().join(' ');
}

/**
 * The best level `sources` together hold on each node: `reach(graph, sources, options).level`, without what a reach
 * keeps besides (witness states, traversal order, dormant nodes: at 1M nodes 444,107 sources reach 814,978 nodes and
 * find 131,510 dormant ones). With a depth limit, the reach itself (hops count).
 */
export function bestLevels(graph: CompactGraph, sources: readonly number[], options: ReachOptions): Uint8Array {
  if (options.maxDepth !== undefined) return reach(graph, sources, options).level;
  const { at, grants, blockedEdges, blockedNodes } = compileReachRules(graph, options);
  const { fwdOffsets, edgeDst, edgeKind, activeFrom, activeUntil } = graph;
  const n = graph.nodeCount;
  const usable = (v: number): boolean => activeFrom[v]! <= at && at < activeUntil[v]! && (blockedNodes === undefined || blockedNodes[v] === 0);
  const level = new Uint8Array(n);
  // States `node * 4 + level`; a node's level rises at most three times.
  const queue = new Int32Array(3 * n + 1);
  let tail = 0;
  const start = LEVEL_CODE[options.sourceLevel ?? 'admin'];
  for (const s of sources) {
    if (level[s]! >= start || !usable(s)) continue;
    level[s] = start;
    queue[tail++] = s * 4 + start;
  }
  for (let head = 0; head < tail; head++) {
    const state = queue[head]!;
    const u = state >>> 2;
    const held = state & 3;
    WORK.edges += fwdOffsets[u + 1]! - fwdOffsets[u]!;
    for (let e = fwdOffsets[u]!, end = fwdOffsets[u + 1]!; e < end; e++) {
      const grant = grants[(edgeKind[e]! << 2) | held]!;
      if (grant === 0 || (blockedEdges !== undefined && blockedEdges[e] === 1)) continue;
      const v = edgeDst[e]!;
      if (level[v]! >= grant || !usable(v)) continue;
      level[v] = grant;
      queue[tail++] = v * 4 + grant;
    }
  }
  return level;
}

/** Nodes with a path of traversable edges to a marked node (marked ones included), whatever the levels and instant. */
function ancestors(graph: CompactGraph, marked: Uint8Array): Uint8Array {
  const seen = marked.slice();
  const queue: number[] = [];
  for (let v = 0; v < graph.nodeCount; v++) if (seen[v] === 1) queue.push(v);
  const { revOffsets, revEdges, edgeSrc, edgeKind, kindTraversable } = graph;
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    for (let r = revOffsets[v]!, end = revOffsets[v + 1]!; r < end; r++) {
      const e = revEdges[r]!;
      if (kindTraversable[edgeKind[e]!] === 0) continue;
      const u = edgeSrc[e]!;
      if (seen[u] === 0) { seen[u] = 1; queue.push(u); }
    }
  }
  return seen;
}

const CHANGE_RANK: Record<ExposureChangeKind, number> = { 'newly-exposed': 0, raised: 1, widened: 2 };

/** Gains on one node: highest level first, then proposal elements, then fewest hops, then id. */
function compareGains(merged: CompactGraph) {
  return (a: ReviewGain, b: ReviewGain): number =>
    b.level - a.level || Number(b.bySubject) - Number(a.bySubject) || Number(b.byProposal) - Number(a.byProposal)
    || a.hops - b.hops || merged.nodes[a.by]!.id.localeCompare(merged.nodes[b.by]!.id);
}

/**
 * An exposure change whose new exposers, witness path and location are made when read (a report shows a few of many
 * thousand changes). `newExposers`, `path` and `location` are own enumerable getters shared by every change, in the
 * record's field order, and the gains behind them private: the objects stay in V8's fast mode (an object literal
 * given accessors and symbol keys afterwards became a dictionary, tens of megabytes at a million nodes).
 */
class Change {
  declare resource: NodeRef;
  declare tags: string[];
  declare sensitivity: number;
  declare before: Level | null;
  declare after: Level;
  declare level: Level;
  declare change: ExposureChangeKind;
  declare exposersBefore: number;
  declare exposersAfter: number;
  declare newExposers: NewExposer[];
  declare by: NodeRef;
  declare byProposal: boolean;
  declare hops: number;
  declare path: PathStepView[];
  declare location?: ProposalLocation;
  readonly #graph: CompactGraph;
  readonly #first: ReviewGain;
  /** Per gain: by, level, before, byProposal (1/0), hops. Not the gains: those of sources after the first keep their reach alive. */
  readonly #exposers: Int32Array;

  constructor(graph: CompactGraph, fields: Omit<ExposureChange, 'newExposers' | 'by' | 'byProposal' | 'hops' | 'path' | 'location'>, gains: readonly ReviewGain[]) {
    const first = gains[0]!;
    this.resource = fields.resource;
    this.tags = fields.tags;
    this.sensitivity = fields.sensitivity;
    this.before = fields.before;
    this.after = fields.after;
    this.level = fields.level;
    this.change = fields.change;
    this.exposersBefore = fields.exposersBefore;
    this.exposersAfter = fields.exposersAfter;
    Object.defineProperty(this, 'newExposers', CHANGE_EXPOSERS);
    this.by = nodeRef(graph, first.by);
    this.byProposal = first.byProposal;
    this.hops = first.hops;
    Object.defineProperty(this, 'path', CHANGE_PATH);
    Object.defineProperty(this, 'location', CHANGE_LOCATION);
    this.#graph = graph;
    this.#first = first;
    const exposers = new Int32Array(gains.length * 5);
    gains.forEach((gain, i) => exposers.set([gain.by, gain.level, gain.before, gain.byProposal ? 1 : 0, gain.hops], i * 5));
    this.#exposers = exposers;
  }

  static firstGain(change: object): ReviewGain | undefined {
    return #first in change ? (change as Change).#first : undefined;
  }

  static exposersOf(change: Change): NewExposer[] {
    const graph = change.#graph;
    const x = change.#exposers;
    const list: NewExposer[] = [];
    for (let i = 0; i < x.length; i += 5) {
      const node = graph.nodes[x[i]!]!;
      list.push({
        id: node.id, name: node.name, kind: node.kind, platform: node.platform, tenant: node.tenant,
        level: levelName(x[i + 1]!), before: x[i + 2] === 0 ? null : levelName(x[i + 2]!), byProposal: x[i + 3] === 1, hops: x[i + 4]!,
      });
    }
    return list;
  }
}

const CHANGE_EXPOSERS: PropertyDescriptor = { enumerable: true, configurable: true, get(this: Change) { return Change.exposersOf(this); } };
const CHANGE_PATH: PropertyDescriptor = { enumerable: true, configurable: true, get(this: Change) { return Change.firstGain(this)!.path; } };
const CHANGE_LOCATION: PropertyDescriptor = { enumerable: true, configurable: true, get(this: Change) { return Change.firstGain(this)!.location; } };

/** The witness steps behind an exposure change's `path` (indices in the merged graph), or undefined for a change built elsewhere. */
export function exposureChangeSteps(change: ExposureChange): { graph: CompactGraph; steps: readonly PathStep[] } | undefined {
  const first = Change.firstGain(change);
  return first instanceof Gain ? Gain.originOf(first) : undefined;
}

/** One entry per tagged resource or platform (graded kinds) that gains an exposer, most sensitive first. */
function exposureChanges(merged: CompactGraph, deltas: readonly ExposureDelta[]): ExposureChange[] {
  const changes: ExposureChange[] = [];
  // Deltas come in id order (localeCompare's): a change's position breaks ties in the sort below as its id would.
  const position = new Map<ExposureChange, number>();
  for (const delta of deltas) {
    const node = merged.nodes[delta.node]!;
    if (!merged.schema.nodeKinds[node.kind]?.graded) continue;
    const level = delta.gains.reduce((m, gain) => Math.max(m, gain.level), 0);
    const change: ExposureChange = new Change(merged, {
      resource: nodeRef(merged, delta.node),
      tags: node.tags ?? [],
      sensitivity: effectiveSensitivity(node),
      before: delta.bestBefore === 0 ? null : levelName(delta.bestBefore),
      after: levelName(delta.bestAfter),
      level: levelName(level),
      change: delta.bestBefore === 0 ? 'newly-exposed' : level > delta.bestBefore ? 'raised' : 'widened',
      exposersBefore: delta.exposersBefore,
      exposersAfter: delta.exposersAfter,
    }, delta.gains);
    position.set(change, changes.length);
    changes.push(change);
  }
  const points = (c: ExposureChange): number => c.sensitivity * LEVEL_WEIGHT[LEVEL_CODE[c.level]];
  return changes.sort((a, b) => points(b) - points(a) || CHANGE_RANK[a.change] - CHANGE_RANK[b.change] || position.get(a)! - position.get(b)!);
}

/** What the report made of a review reads, so that the analysis builds no more. */
export interface ReviewReportNeeds {
  /**
   * false: `addedAuthority.reached` is left empty (every other field of it is as usual). The text, markdown and
   * SARIF reports read only its summaries: at a million nodes the full list is 341,181 entries, sorted.
   */
  authorityReached?: boolean;
}

/**
 * Reviews a proposal against a policy: the authority it adds (its apps' blast radius in the merged
 * graph), how the exposure of tagged resources changes, and every violation. `passed` is false when a
 * violation has severity error.
 */
export function review(existing: CompactGraph, proposal: ProposalInput, policy: Policy, options: ReachOptions = {}, report: ReviewReportNeeds = {}): ReviewResult {
  const facts = reviewFacts(existing, proposal, options);
  const violations = evaluatePolicy(facts, policy);
  const counts: Record<PolicySeverity, number> = { error: 0, warning: 0, note: 0 };
  for (const violation of violations) counts[violation.severity]++;
  const active = new Set(activeRules(policy));
  const combinedSources = facts.subjects.map((s) => s.index);
  const combinedOptions: ReachOptions = { ...options, at: facts.at };
  // One subject: its own reach in the merged graph is the combined one (same options); at scale a full reach saved.
  const combined = facts.subjects.length === 1 ? facts.subjects[0]!.after : reach(facts.merged, combinedSources, combinedOptions);
  const addedAuthority = describeRadius(combined, combinedOptions, report.authorityReached === false ? { offset: 0, limit: 0 } : undefined);
  return {
    passed: counts.error === 0,
    at: new Date(facts.at).toISOString(),
    proposal: { files: facts.files, newNodes: facts.newNodes, changedNodes: facts.changedNodes, newEdges: facts.newEdges, changedEdges: facts.changedEdges },
    rules: REVIEW_RULES.map((info) => ({ rule: info.name, ruleId: info.id, active: active.has(info.name), severity: ruleSeverity(policy, info.name) })),
    counts,
    violations,
    subjects: facts.subjects.map((subject) => {
      const radius = subject.after;
      // The crown-jewel column describeRadius built for the merged graph just above, not a node object per reached node.
      const { crownJewel } = nodeColumns(facts.merged);
      let crownJewels = 0;
      let reached = 0;
      for (const v of radius.order) {
        if (v === subject.index) continue;
        reached++;
        crownJewels += crownJewel[v]!;
      }
      const summary: SubjectSummary = {
        ...subject.ref, isNew: subject.isNew, score: round(subject.score), scoreBefore: subject.scoreBefore === null ? null : round(subject.scoreBefore),
        reached, crownJewels,
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

// The web API's answers: each calls the same engine functions as the CLI and shapes the result to the wire
// schemas (engine/api/schemas.ts), capping lists that grow with the graph. No analysis happens here.
import {
  LIST_CAP, RADIUS_PAGE, type AnalysisOptions, type ExposureRequest, type MetaResponse, type NodeDetailsResponse, type PlanRequest,
  type RadiusRequest, type RadiusResponse, type RespondRequest, type RouteRequest, type RouteResponse, type WhatIfRequest, type EdgeDetailsResponse,
} from '../../engine/api/schemas.ts';
import { exposureOf, type Exposure } from '../../engine/analysis/exposure.ts';
import { findingsReport, type Finding } from '../../engine/analysis/findings.ts';
import { compileMitigations, type Mitigation } from '../../engine/analysis/mitigations.ts';
import { lateralPathsOf } from '../../engine/analysis/paths.ts';
import { revocationPlan, type RevocationPlan } from '../../engine/analysis/plan.ts';
import { respondPlan, type ResponsePlan } from '../../engine/analysis/respond.ts';
import { CROWN_JEWEL_TAG, describeRadius, nodeIdRanks, nodeRef, stepView, type BlastRadius, type RadiusEntry } from '../../engine/analysis/radius.ts';
import { rankNodes } from '../../engine/analysis/rank.ts';
import { hopsAtLeast, reach, toInstant, witnessPath, type ReachOptions } from '../../engine/analysis/reach.ts';
import { whatIf, type WhatIfResult } from '../../engine/analysis/whatif.ts';
import { effectiveSensitivity, levelName } from '../../engine/schema/index.ts';
import { edgeIdAt, type CompactGraph } from '../../engine/store/compact.ts';
import { resolveNode } from '../../engine/store/lookup.ts';
import { BlastmapError } from '../../engine/errors.ts';
import { compromiseWindow } from '../../engine/analysis/respond.ts';
import { evidenceForReach, type Evidence, type EvidenceReport } from '../../engine/evidence/report.ts';
import { respondWithEvidence } from '../../engine/evidence/respond.ts';
import type { EvidenceRequest } from '../../engine/api/schemas.ts';

/** Lateral bridges and targets per bridge a radius answer lists (the counts stay exact). */
const BRIDGES = 20;
const TARGETS_PER_BRIDGE = 10;
const NEIGHBOURS = 100;

/** The CLI's ReachOptions from the API's option fields. */
export function reachOptionsOf(request: AnalysisOptions): ReachOptions {
  const options: ReachOptions = {};
  if (request.at !== undefined) options.at = new Date(toInstant(request.at));
  if (request.maxDepth !== undefined) options.maxDepth = request.maxDepth;
  if (request.edgeKinds) options.edgeKinds = request.edgeKinds;
  if (request.excludeEdgeKinds) options.excludeEdgeKinds = request.excludeEdgeKinds;
  if (request.enforce) options.enforceConditions = request.enforce;
  return options;
}

export const resolveSources = (graph: CompactGraph, references: readonly string[]): number[] => references.map((reference) => resolveNode(graph, reference));

/** An entry as the radius answer lists it; `path` is the entry's witness path when the caller has built it already. */
function entryView(entry: RadiusEntry, path: RadiusEntry['path'] = entry.path) {
  const { id, name, kind, platform, tenant, level, hops, points, crownJewel, lateral, controls } = entry;
  const last = path.at(-1);
  return { id, name, kind, platform, tenant, level, hops, points, crownJewel, lateral, via: last?.edgeId ?? null, parent: last?.from.id ?? null, controls };
}

/** The blast radius of `sources`, with the mitigations applied when there are any, and what they changed. */
export function radiusResponse(graph: CompactGraph, request: RadiusRequest): RadiusResponse {
  const sources = resolveSources(graph, request.sources);
  const baseline = reachOptionsOf(request);
  const mitigations = (request.mitigations ?? []) as Mitigation[];
  const compiled = mitigations.length > 0 ? compileMitigations(graph, mitigations) : undefined;
  const options: ReachOptions = compiled ? { ...baseline, overlay: compiled.overlay } : baseline;
  const offset = request.offset ?? 0;
  const limit = request.limit ?? request.reachedLimit ?? RADIUS_PAGE;
  const result = reach(graph, sources, options);
  // One page of entries is built; the summaries are counted over the whole radius all the same.
  const radius: BlastRadius = describeRadius(result, options, { offset, limit });
  const lateral = lateralPathsOf(result, { ...options, targetsPerBridge: TARGETS_PER_BRIDGE });
  let change: RadiusResponse['whatIf'] = null;
  if (compiled) {
    const diff = whatIf(graph, sources, compiled, baseline);
    change = {
      scoreBefore: diff.scoreBefore, scoreAfter: diff.scoreAfter,
      reachedBefore: diff.before.reachedCount, reachedAfter: diff.after.reachedCount,
      removed: diff.removed.map((entry) => entry.id), mitigations: diff.mitigations,
    };
  }
  return {
    sources: radius.sources,
    at: radius.at,
    maxDepth: radius.maxDepth,
    score: radius.score,
    scoreParts: radius.scoreParts,
    reachedCount: radius.reachedCount,
    // Each crown jewel's witness path built once (reading `path` builds it), for the view and the answer.
    crownJewels: radius.crownJewels.map((entry) => { const path = entry.path; return { ...entryView(entry, path), path }; }),
    platforms: radius.platforms,
    byKind: radius.byKind,
    reached: radius.reached.map((entry) => entryView(entry)),
    page: { offset, limit, nextOffset: limit > 0 && offset + limit < radius.reachedCount ? offset + limit : null },
    controls: radius.controls,
    dormant: radius.dormant.slice(0, LIST_CAP).map(({ id, name, kind, platform, tenant, why, level, hops }) => ({ id, name, kind, platform, tenant, why, level, hops })),
    lateral: {
      lateralScore: lateral.lateralScore,
      lateralCount: lateral.lateralCount,
      bridgeCount: lateral.bridges.length,
      bridges: lateral.bridges.slice(0, BRIDGES).map(({ onward: _onward, targets, ...bridge }) => ({ ...bridge, targets: targets.slice(0, TARGETS_PER_BRIDGE) })),
    },
    whatIf: change,
  };
}

/** The plan from the radius the request's mitigations leave (none: the whole radius), so the UI can re-plan after a cut. */
export function planResponse(graph: CompactGraph, request: PlanRequest): RevocationPlan {
  const sources = resolveSources(graph, request.sources);
  const mitigations = (request.mitigations ?? []) as Mitigation[];
  const overlay = mitigations.length > 0 ? compileMitigations(graph, mitigations).overlay : undefined;
  const plan = revocationPlan(graph, sources, { ...reachOptionsOf(request), ...(overlay ? { overlay } : {}), steps: request.steps ?? 5 });
  return { ...plan, steps: plan.steps.map((step) => ({ ...step, lost: step.lost.slice(0, LIST_CAP), lowered: step.lowered.slice(0, LIST_CAP) })) };
}

/** The containment plan; with evidence, ranked and annotated by what the logs show (engine/evidence/respond.ts). */
export function respondResponse(graph: CompactGraph, request: RespondRequest, evidence?: Evidence): ResponsePlan {
  const options = { ...reachOptionsOf(request), ...(request.since !== undefined ? { since: request.since } : {}), ...(request.steps !== undefined ? { cutSteps: request.steps } : {}) };
  const sources = resolveSources(graph, request.sources);
  const plan = evidence ? respondWithEvidence(graph, sources, options, evidence) : respondPlan(graph, sources, options);
  const capped = plan.evidence ? { evidence: capEvidence(plan.evidence) } : {};
  return { ...plan, residue: plan.residue.slice(0, LIST_CAP), ...capped };
}

const capEvidence = (report: EvidenceReport): EvidenceReport =>
  ({ ...report, nodes: report.nodes.slice(0, LIST_CAP), edges: report.edges.slice(0, LIST_CAP), actions: report.actions.slice(0, LIST_CAP), hints: report.hints.slice(0, LIST_CAP) });

export function whatIfResponse(graph: CompactGraph, request: WhatIfRequest): WhatIfResult {
  const result = whatIf(graph, resolveSources(graph, request.sources), request.mitigations as Mitigation[], reachOptionsOf(request));
  return { ...result, removed: result.removed.slice(0, LIST_CAP), lowered: result.lowered.slice(0, LIST_CAP) };
}

export function exposureResponse(graph: CompactGraph, request: ExposureRequest): Exposure {
  const options = { ...reachOptionsOf(request), top: request.top ?? 50, ...(request.kinds ? { kinds: request.kinds } : {}) };
  return exposureOf(graph, resolveNode(graph, request.target), options);
}

/** Per-graph caches of what does not depend on the request (the ranking) or only on the instant (findings). */
interface GraphCaches {
  riskiest?: MetaResponse['riskiest'];
  findings: Map<string, { until: number; byNode: Map<string, Finding[]> }>;
}
const caches = new WeakMap<CompactGraph, GraphCaches>();
function cachesOf(graph: CompactGraph): GraphCaches {
  let entry = caches.get(graph);
  if (!entry) {
    entry = { findings: new Map() };
    caches.set(graph, entry);
  }
  return entry;
}

const countBy = (values: Iterable<string>) => {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([name, count]) => ({ name, count }));
};

/** Ranks the riskiest connectors ahead of the first request for them (`blastmap serve` calls it once listening). */
export function warmCaches(graph: CompactGraph): void {
  riskiestOf(graph);
  // Every radius answer orders its nodes by id: ranked once for the graph, not per answer.
  nodeIdRanks(graph);
}

function riskiestOf(graph: CompactGraph): MetaResponse['riskiest'] {
  const cache = cachesOf(graph);
  cache.riskiest ??= rankNodes(graph, { kinds: ['App'], top: 5 }).map(({ id, name, kind, platform, score, reached, crownJewels }) => ({ id, name, kind, platform, score, reached, crownJewels }));
  return cache.riskiest;
}

export function metaResponse(graph: CompactGraph, budget: number, version: string): MetaResponse {
  const riskiest = riskiestOf(graph);
  const edgeCounts = new Uint32Array(graph.edgeKindNames.length);
  for (let e = 0; e < graph.edgeCount; e++) edgeCounts[graph.edgeKind[e]!]!++;
  return {
    version,
    nodeCount: graph.nodeCount,
    edgeCount: graph.edgeCount,
    budget,
    platforms: countBy(graph.nodes.map((node) => node.platform)),
    kinds: countBy(graph.nodes.map((node) => node.kind)),
    edgeKinds: graph.edgeKindNames.map((name, code) => ({ name, count: edgeCounts[code]!, traversable: graph.kindTraversable[code] === 1 })).filter((kind) => kind.count > 0),
    riskiest,
    now: new Date().toISOString(),
  };
}

/** Findings of the whole graph at an instant, by the node ids they concern; "now" is reused for a minute. */
function findingsByNode(graph: CompactGraph, at: string | undefined): Map<string, Finding[]> {
  const cache = cachesOf(graph).findings;
  const key = at ?? 'now';
  const cached = cache.get(key);
  if (cached && cached.until > Date.now()) return cached.byNode;
  const byNode = new Map<string, Finding[]>();
  const add = (id: string, finding: Finding) => {
    const list = byNode.get(id);
    if (!list) byNode.set(id, [finding]);
    else if (!list.includes(finding)) list.push(finding);
  };
  for (const finding of findingsReport(graph, at !== undefined ? { at } : {}).findings) {
    add(finding.nodeId, finding);
    for (const related of finding.evidence.related) add(related.id, finding);
  }
  if (cache.size > 8) cache.clear();
  cache.set(key, { until: at === undefined ? Date.now() + 60_000 : Infinity, byNode });
  return byNode;
}

export function nodeDetailsResponse(graph: CompactGraph, reference: string, at: string | undefined): NodeDetailsResponse {
  const v = resolveNode(graph, reference);
  const node = graph.nodes[v]!;
  const instant = toInstant(at);
  const owners = new Map<string, ReturnType<typeof nodeRef>>();
  const neighbours: NodeDetailsResponse['neighbours'] = [];
  const ownsCode = graph.edgeKindNames.indexOf('OWNS');
  for (let i = graph.revOffsets[v]!, end = graph.revOffsets[v + 1]!; i < end; i++) {
    const e = graph.revEdges[i]!;
    const from = graph.edgeSrc[e]!;
    if (graph.edgeKind[e] === ownsCode) owners.set(graph.nodes[from]!.id, nodeRef(graph, from));
    if (neighbours.length < NEIGHBOURS) neighbours.push(neighbour(graph, e, 'in', from));
  }
  for (const ownerId of node.ownerIds ?? []) {
    const owner = graph.indexOf.get(ownerId);
    if (owner !== undefined) owners.set(ownerId, nodeRef(graph, owner));
  }
  for (let e = graph.fwdOffsets[v]!, end = graph.fwdOffsets[v + 1]!; e < end && neighbours.length < NEIGHBOURS * 2; e++) {
    neighbours.push(neighbour(graph, e, 'out', graph.edgeDst[e]!));
  }
  return {
    node: JSON.parse(JSON.stringify(node)) as NodeDetailsResponse['node'],
    ref: nodeRef(graph, v),
    crownJewel: node.tags?.includes(CROWN_JEWEL_TAG) ?? false,
    sensitivity: effectiveSensitivity(node),
    usable: graph.activeFrom[v]! <= instant && instant < graph.activeUntil[v]!,
    owners: [...owners.values()],
    neighbours,
    inCount: graph.revOffsets[v + 1]! - graph.revOffsets[v]!,
    outCount: graph.fwdOffsets[v + 1]! - graph.fwdOffsets[v]!,
    findings: (findingsByNode(graph, at).get(node.id) ?? []).map((finding) => ({ ...finding, references: { owaspNhi: [...finding.references.owaspNhi], nistCsf: [...finding.references.nistCsf] } })),
    at: new Date(instant).toISOString(),
  };
}

function neighbour(graph: CompactGraph, e: number, direction: 'in' | 'out', other: number): NodeDetailsResponse['neighbours'][number] {
  const scopes = graph.edgeAttrs[e]?.scopes;
  return {
    edgeId: edgeIdAt(graph, e),
    kind: graph.edgeKindNames[graph.edgeKind[e]!]!,
    direction,
    node: nodeRef(graph, other),
    ...(scopes ? { scopes } : {}),
  };
}

/** A→B: the witness path of `to` in the radius of `from` alone (the fewest hops at the best level), or none. */
export function routeResponse(graph: CompactGraph, request: RouteRequest): RouteResponse {
  const from = resolveNode(graph, request.from);
  const to = resolveNode(graph, request.to);
  const options = reachOptionsOf(request);
  const mitigations = (request.mitigations ?? []) as Mitigation[];
  if (mitigations.length > 0) options.overlay = compileMitigations(graph, mitigations).overlay;
  const result = reach(graph, [from], options);
  const code = result.level[to]!;
  const reached = code > 0 && from !== to;
  return {
    from: nodeRef(graph, from),
    to: nodeRef(graph, to),
    at: new Date(result.at).toISOString(),
    level: reached ? levelName(code) : null,
    hops: reached ? hopsAtLeast(result, to, code) : null,
    path: reached ? witnessPath(result, to, code).map((step) => stepView(graph, step)) : [],
  };
}

/** One edge, found among the out-edges of its source by its engine id (what view edges and paths carry). */
export function edgeDetailsResponse(graph: CompactGraph, sourceReference: string, edgeId: string): EdgeDetailsResponse {
  const from = resolveNode(graph, sourceReference);
  for (let e = graph.fwdOffsets[from]!, end = graph.fwdOffsets[from + 1]!; e < end; e++) {
    if (edgeIdAt(graph, e) !== edgeId) continue;
    const code = graph.edgeKind[e]!;
    const attrs = graph.edgeAttrs[e];
    return {
      edgeId, kind: graph.edgeKindNames[code]!, traversable: graph.kindTraversable[code] === 1,
      from: nodeRef(graph, from), to: nodeRef(graph, graph.edgeDst[e]!),
      ...(attrs?.scopes ? { scopes: attrs.scopes } : {}), ...(attrs?.reason ? { reason: attrs.reason } : {}), ...(attrs?.grant ? { grant: attrs.grant } : {}),
      ...(attrs?.conditions ? { conditions: attrs.conditions } : {}), ...(attrs?.derivedFrom ? { derivedFrom: attrs.derivedFrom } : {}),
    };
  }
  throw new BlastmapError('UNKNOWN_NODE', `no edge ${edgeId} leaves ${graph.nodes[from]!.id}`);
}

/** What the logs show of the radius of `sources` (docs/evidence.md), in the window from `since` to `at`; long lists capped. */
export function evidenceResponse(graph: CompactGraph, evidence: Evidence, request: EvidenceRequest): EvidenceReport {
  const sources = resolveSources(graph, request.sources);
  const options = reachOptionsOf(request);
  const window = compromiseWindow(graph, sources, { ...(options.at !== undefined ? { at: options.at } : {}), ...(request.since !== undefined ? { since: request.since } : {}) });
  const { report } = evidenceForReach(evidence, reach(graph, sources, { ...options, at: window.at }), { from: window.since, to: window.at });
  return capEvidence(report);
}

// blastmap's library API (`blastmap`, `blastmap/engine`): a deliberate surface, each name documented in docs/library.md.
// The CLI, the server and the UI import the modules they need directly, so what is not listed here may change freely.

// ---- errors ----
export { BlastmapError, formatIssue, type ErrorCode, type InputIssue } from './errors.ts';

// ---- the graph model ----
export {
  CREDENTIAL_TYPES, DEFAULT_SCHEMA, defineSchema, EDGE_KINDS, IDENTITY_SUBTYPES, LEVELS, levelName, NODE_KINDS, TAG_SENSITIVITY,
  type BuiltinEdgeKind, type BuiltinNodeKind, type EdgeKindSpec, type Level, type NodeKindSpec, type Schema,
} from './schema/index.ts';
export { edgeId, nativeJsonSchema, nodeId, type EdgeInput, type Fragment, type GraphEdge, type GraphNode, type NodeInput } from './format/native.ts';
export type { Provenance, Result, SourcedFragment } from './format/validate.ts';

// ---- graphs: the compiled graph, snapshots, lookups, other graph libraries ----
export { emptyGraph, toFragment, type CompactGraph } from './store/compact.ts';
export { decodeSnapshot, encodeSnapshot, SNAPSHOT_VERSION } from './store/snapshot.ts';
export { closestNodes, resolveNode } from './store/lookup.ts';
export { toGraphology, type ToGraphologyOptions } from './store/graphology.ts';
export type { ImportReport } from './store/assemble.ts';
export { generateFragment, type EnterpriseOptions } from './generate/enterprise.ts';

// ---- analyses ----
export { reach, type ReachOptions, type ReachResult } from './analysis/reach.ts';
export {
  blastRadius, CROWN_JEWEL_TAG,
  type BlastRadius, type ControlSummary, type DormantEntry, type NodeRef, type PathStepView, type PlatformSummary, type RadiusEntry,
} from './analysis/radius.ts';
export { lateralPaths, shortestPaths, type LateralPaths, type ShortestPaths, type ShortestPathsOptions } from './analysis/paths.ts';
export {
  chokePoints, planWithChokePoints, revocationPlan,
  type ChokePoint, type ChokePointOptions, type ChokePoints, type Cut, type PlanOptions, type PlanStep, type RevocationPlan,
} from './analysis/plan.ts';
export { respondPlan, type RespondOptions, type RespondStep, type ResponsePlan } from './analysis/respond.ts';
export { parseMitigations, type Mitigation } from './analysis/mitigations.ts';
export { whatIf, type WhatIfResult } from './analysis/whatif.ts';
export { exposureOf, type Exposure, type ExposureEntry, type ExposureOptions } from './analysis/exposure.ts';
export { rankGraph, type RankEntry, type Ranking, type RankOptions } from './analysis/rank.ts';
export { FINDING_RULES, type FindingRule, type FindingSeverity } from './analysis/findings-catalog.ts';
export { findingsReport, type Finding, type FindingOptions, type FindingsReport } from './analysis/findings.ts';
export { parsePolicy, type Policy, type Violation } from './policy.ts';
export { review, type ReviewResult } from './analysis/review.ts';
export { parseExpected, replayIncident, type Expected, type IncidentReplay } from './analysis/replay.ts';
export { diffGraphs, evaluateFailOn, parseFailOn, type DiffOptions, type FailOnTerm, type GraphDiff } from './analysis/diff.ts';
export { readPlanJson, verifyPlan, type CheckablePlan, type Verification, type VerifyOptions } from './analysis/verify.ts';

// ---- evidence: activity logs over a radius (docs/evidence.md) ----
export { createStore, decodeStore, encodeStore, EVIDENCE_VERSION, type ObservationStore } from './evidence/store.ts';
export { resolveStore, type Resolution, type UnresolvedRef } from './evidence/resolve.ts';
export { evidenceForReach, resolveEvidence, type Evidence, type EvidenceReport } from './evidence/report.ts';
export { respondWithEvidence } from './evidence/respond.ts';
export type { EvidenceWindow, EvidenceStatus } from './evidence/overlay.ts';
export type { AnomalyHint } from './evidence/anomaly.ts';
export type { NodeRef as LogNodeRef, Observation, ObservationCategory, ObservationOutcome } from './evidence/types.ts';

// ---- reports (what the CLI prints) and exports (what `blastmap export` writes) ----
export * from './report/index.ts';
export { nativeJsonText, ndjsonText, toNativeJson, toNdjson, type NativeDocument } from './export/native.ts';
export { openGraphText, toOpenGraph, type OpenGraphDocument } from './export/opengraph.ts';
export { toGexf, toGraphml } from './export/graph-formats.ts';
export type { ExportOptions } from './export/select.ts';

// ---- secrets ----
export { findSecret, redactText, SECRET_RULESET } from './secrets.ts';

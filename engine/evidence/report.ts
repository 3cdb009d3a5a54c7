// Evidence as a report-ready value: the overlay's observed and contradicted nodes and edges, the observed actions
// of the window, the anomaly hints, and what did not resolve. Shared by radius, paths and respond, CLI and server.
import { nodeRef, type NodeRef } from '../analysis/radius.ts';
import type { ReachResult } from '../analysis/reach.ts';
import { edgeIdAt, type CompactGraph } from '../store/compact.ts';
import { anomalyHints, type AnomalyHint } from './anomaly.ts';
import { evidenceOverlay, observedActions, scanWindow, reachSelection, unionSelection, type EvidenceFacts, type EvidenceOverlay, type EvidenceStatus, type EvidenceWindow, type ObservedAction } from './overlay.ts';
import { resolveStore, type Resolution, type UnresolvedRef } from './resolve.ts';
import type { ObservationStore } from './store.ts';

export interface NodeEvidence extends NodeRef, EvidenceFacts {}

export interface EdgeEvidence extends EvidenceFacts {
  edgeId: string;
  kind: string;
  from: string;
  to: string;
}

export interface EvidenceReport {
  window: { from: string | null; to: string };
  totals: EvidenceOverlay['totals'];
  /** Observed and contradicted nodes (every other node of the radius is possible), observed first, then by id. */
  nodes: NodeEvidence[];
  edges: EdgeEvidence[];
  /** The window's suspect successes by actors of the radius, persistence first. */
  actions: ObservedAction[];
  hints: AnomalyHint[];
  /** Refs no node matched, or several did: counted, never guessed (the first 20, most events first). */
  unresolved: { refs: number; events: number; top: UnresolvedRef[] };
}

/** A store resolved once against a graph, ready for several analyses. */
export interface Evidence {
  store: ObservationStore;
  resolution: Resolution;
}

export function resolveEvidence(graph: CompactGraph, store: ObservationStore): Evidence {
  return { store, resolution: resolveStore(graph, store) };
}

/** Reads the overlay, actions and hints for a selection of nodes and edges. */
export function evidenceForSelection(graph: CompactGraph, evidence: Evidence, window: EvidenceWindow, selection: { nodes: Uint8Array; edges: Uint8Array }): { overlay: EvidenceOverlay; report: EvidenceReport } {
  const { store, resolution } = evidence;
  // One pass over the window's events serves the overlay, the actions and the hints.
  const scan = scanWindow(graph, store, resolution, window, selection.nodes);
  const overlay = evidenceOverlay(graph, store, resolution, window, selection.nodes, selection.edges, scan);
  const rank = (s: EvidenceStatus): number => (s === 'observed' ? 0 : 1);
  const nodes = [...overlay.nodeFacts.entries()]
    .map(([v, facts]): NodeEvidence => ({ ...nodeRef(graph, v), ...facts }))
    .sort((a, b) => rank(a.status) - rank(b.status) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const edges = [...overlay.edgeFacts.entries()]
    .map(([e, facts]): EdgeEvidence => ({ edgeId: edgeIdAt(graph, e), kind: graph.edgeKindNames[graph.edgeKind[e]!]!, from: graph.nodes[graph.edgeSrc[e]!]!.id, to: graph.nodes[graph.edgeDst[e]!]!.id, ...facts }))
    .sort((a, b) => rank(a.status) - rank(b.status) || (a.edgeId < b.edgeId ? -1 : a.edgeId > b.edgeId ? 1 : 0));
  const unresolvedEvents = resolution.unresolved.reduce((sum, u) => sum + u.events, 0);
  return {
    overlay,
    report: {
      window: overlay.window, totals: overlay.totals, nodes, edges,
      actions: observedActions(graph, store, resolution, window, selection.nodes, scan),
      hints: anomalyHints(graph, store, resolution, window, selection.nodes, scan),
      unresolved: { refs: resolution.unresolved.length, events: unresolvedEvents, top: resolution.unresolved.slice(0, 20) },
    },
  };
}

/** Evidence over one traversal (radius, paths). */
export function evidenceForReach(evidence: Evidence, result: ReachResult, window: EvidenceWindow): { overlay: EvidenceOverlay; report: EvidenceReport } {
  return evidenceForSelection(result.graph, evidence, window, reachSelection(result));
}

/** Evidence over several traversals at once (respond: from the sources and from every harvested credential). */
export function evidenceForReaches(evidence: Evidence, results: readonly ReachResult[], window: EvidenceWindow): { overlay: EvidenceOverlay; report: EvidenceReport } {
  return evidenceForSelection(results[0]!.graph, evidence, window, unionSelection(results));
}

/** What the logs say about one respond step's target: its status, and for a hunt step the observed actions in its tenant. */
export interface StepEvidence {
  status: EvidenceStatus;
  reason?: EvidenceFacts['reason'];
  count?: number;
  first?: string;
  last?: string;
  sources?: string[];
  ips?: string[];
  /** Hunt steps: the window's observed actions by actors in the step's tenant, persistence first. */
  actions?: ObservedAction[];
}

// `respond` with evidence: the containment plan with credentials and tenants the logs show in use ranked first in
// the rotate and hunt phases, each step carrying what the logs say about its target, and the window's observed
// actions (reads, exports, creations: the persistence the hunt phase looks for) in the plan.
import { compromiseWindow, respondPlan, type RespondOptions, type ResponsePlan } from '../analysis/respond.ts';
import { reach } from '../analysis/reach.ts';
import type { CompactGraph } from '../store/compact.ts';
import { scanWindow, type EvidenceWindow } from './overlay.ts';
import type { EvidenceFacts } from './overlay.ts';
import { evidenceForReach, type Evidence, type StepEvidence } from './report.ts';

/** The nodes every suspect event of the window touches, whoever its actor: what the ranking puts first. */
export function observedNodes(graph: CompactGraph, evidence: Evidence, window: EvidenceWindow): Uint8Array {
  const everyone = new Uint8Array(graph.nodeCount).fill(1);
  const scan = scanWindow(graph, evidence.store, evidence.resolution, window, everyone);
  const observed = new Uint8Array(graph.nodeCount);
  scan.events.forEach((_, k) => {
    if (!scan.suspect[k]) return;
    for (const v of scan.touched[k]!) observed[v] = 1;
  });
  return observed;
}

export function respondWithEvidence(graph: CompactGraph, sources: readonly number[], options: RespondOptions, evidence: Evidence): ResponsePlan {
  const { since, at } = compromiseWindow(graph, sources, options);
  const window: EvidenceWindow = { from: since, to: at };
  const plan = respondPlan(graph, sources, { ...options, observedFirst: observedNodes(graph, evidence, window) });
  // The radius the plan works on: from the sources and from every harvested credential, at the end of the window.
  const starts = [...new Set([...sources, ...plan.harvested.map((h) => graph.indexOf.get(h.id)!)])];
  const { since: _since, cutSteps: _cutSteps, observedFirst: _observed, ...reachOptions } = options;
  const { overlay, report } = evidenceForReach(evidence, reach(graph, starts, { ...reachOptions, at }), window);
  const tenantOf = (id: string): string | undefined => {
    const v = graph.indexOf.get(id);
    return v === undefined ? undefined : `${graph.nodes[v]!.platform}:${graph.nodes[v]!.tenant}`;
  };
  const authenticatesAs = graph.edgeKindNames.indexOf('AUTHENTICATES_AS');
  // What the logs say of a step: of its target, else of the credentials it revokes and the identities they sign in
  // as (a vendor kill's target is the vendor's app, while the logs name its token's user: Salesforce's ApiEvent).
  const stepFacts = (step: (typeof plan.steps)[number]): EvidenceFacts | undefined => {
    const v = graph.indexOf.get(step.target.id);
    const own = v === undefined ? undefined : overlay.nodeFacts.get(v);
    if (own) return own;
    const named: number[] = [];
    for (const mitigation of step.mitigations ?? []) {
      if (!('revoke' in mitigation)) continue;
      const c = graph.indexOf.get(mitigation.revoke);
      if (c === undefined) continue;
      named.push(c);
      for (let e = graph.fwdOffsets[c]!; e < graph.fwdOffsets[c + 1]!; e++) if (graph.edgeKind[e] === authenticatesAs) named.push(graph.edgeDst[e]!);
    }
    const found = [...new Set(named)].map((n) => overlay.nodeFacts.get(n)).filter((f): f is EvidenceFacts => f !== undefined);
    const observed = found.filter((f) => f.status === 'observed');
    const pick = observed.length > 0 ? observed : found;
    if (pick.length === 0) return undefined;
    if (pick.length === 1) return pick[0];
    const union = (lists: string[][]): string[] => [...new Set(lists.flat())].sort();
    return {
      status: pick[0]!.status, ...(observed.length === 0 && pick[0]!.reason ? { reason: pick[0]!.reason } : {}),
      count: pick.reduce((sum, f) => sum + f.count, 0), first: pick.map((f) => f.first).sort()[0]!, last: pick.map((f) => f.last).sort().at(-1)!,
      sources: union(pick.map((f) => f.sources)), actors: union(pick.map((f) => f.actors)), actions: union(pick.map((f) => f.actions)), ips: union(pick.map((f) => f.ips)),
    };
  };
  for (const step of plan.steps) {
    const facts = stepFacts(step);
    const stepEvidence: StepEvidence = facts
      ? { status: facts.status, ...(facts.reason ? { reason: facts.reason } : {}), count: facts.count, first: facts.first, last: facts.last, sources: facts.sources, ips: facts.ips }
      : { status: 'possible' };
    if (step.phase === 'hunt') {
      const tenant = `${step.target.platform}:${step.target.tenant}`;
      const actions = report.actions.filter((a) => tenantOf(a.actor) === tenant || (a.target !== undefined && tenantOf(a.target) === tenant));
      if (actions.length > 0) {
        stepEvidence.actions = actions;
        if (stepEvidence.status === 'possible') stepEvidence.status = 'observed';
      }
    }
    step.evidence = stepEvidence;
  }
  plan.evidence = report;
  plan.assumptions.push(`Evidence: ${report.totals.eventsInWindow} logged events in the window, ${report.totals.eventsCounted} by actors in the radius; a node is observed when a successful event from an origin its actor had not used before the window touches it, contradicted when only failed, blocked or known-origin events do (docs/evidence.md).`);
  return plan;
}

// The Respond view's state as pure functions: a containment plan and the mitigations and done-marks the user
// has ticked become the steps by phase, the live radius request (sources and mitigations) and what stays lit.
import { mitigationKey, toggleMitigations } from './url-state.ts';
import { RESPOND_PHASES, type Mitigation, type RespondPhase, type RespondResponse, type RespondStepView } from './wire.ts';

export const PHASE_TITLES: Record<RespondPhase, string> = {
  contain: 'Contain: revoke or disable what was compromised',
  rotate: 'Rotate: credentials the attacker already read',
  cut: 'Cut: paths that remain',
  hunt: 'Hunt: persistence where admin was reached',
  cleanup: 'Clean up: hygiene, not containment',
};

/** Phases whose steps change nothing the attacker can reach: ticking one only marks it done. */
const NO_MITIGATION: ReadonlySet<RespondPhase> = new Set(['hunt']);

export interface StepView {
  /** Stable across recomputations of the same plan: phase, action and target. */
  key: string;
  step: RespondStepView;
  /** What ticking the step applies to the live radius (empty: it is only marked done). */
  mitigations: Mitigation[];
  ticked: boolean;
}

export interface RespondState {
  phases: { phase: RespondPhase; title: string; steps: StepView[] }[];
  /** The radius sources: the compromised nodes, plus every harvested credential not yet rotated. */
  sources: string[];
  /** Mitigations of the ticked steps, in the user's order (what the radius request carries). */
  mitigations: Mitigation[];
  /** Harvested credentials still live (not revoked by a ticked step): lit on the graph. */
  harvestedLive: Set<string>;
  ticked: number;
  total: number;
}

/** Whether a target names an edge (a cut of one grant, membership or trust) rather than a node. */
const isEdgeTarget = (target: RespondStepView['target']): boolean => /^[A-Z][A-Z0-9_]*$/.test(target.kind) || target.id.split('|').length >= 3;

/**
 * The what-if mitigations that model a step: the ones the engine states, or else the obvious one for its
 * target (a credential is revoked, which is what rotation does to the stolen value; a principal or app is
 * disabled; an edge is removed). Hunting changes nothing reachable.
 */
export function stepMitigations(step: RespondStepView): Mitigation[] {
  if (step.mitigations && step.mitigations.length > 0) return step.mitigations as Mitigation[];
  if (NO_MITIGATION.has(step.phase)) return [];
  const { target } = step;
  const description = `${step.action} ${target.name}`;
  if (isEdgeTarget(target)) return [{ removeEdge: target.id, description }];
  if (target.kind === 'Credential') return [{ revoke: target.id, description }];
  return [{ disable: target.id, description }];
}

export function stepKeys(steps: readonly RespondStepView[]): string[] {
  const seen = new Map<string, number>();
  return steps.map((step) => {
    const base = JSON.stringify([step.phase, step.action, step.target.id]);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}#${count}`;
  });
}

const hasAll = (current: readonly Mitigation[], items: readonly Mitigation[]): boolean => {
  const have = new Set(current.map(mitigationKey));
  return items.every((item) => have.has(mitigationKey(item)));
};

/**
 * The view of a plan given the applied mitigations and the steps marked done. A step with mitigations is
 * ticked when all of them are applied (so undoing one in the radius panel unticks it); one without is
 * ticked when marked done.
 */
export function respondState(plan: Pick<RespondResponse, 'harvested' | 'steps'>, sources: readonly string[], mitigations: readonly Mitigation[], done: readonly string[]): RespondState {
  const keys = stepKeys(plan.steps);
  const doneSet = new Set(done);
  const views: StepView[] = plan.steps.map((step, i) => {
    const items = stepMitigations(step);
    return { key: keys[i]!, step, mitigations: items, ticked: items.length > 0 ? hasAll(mitigations, items) : doneSet.has(keys[i]!) };
  });
  const phases = RESPOND_PHASES.map((phase) => ({ phase, title: PHASE_TITLES[phase], steps: views.filter((view) => view.step.phase === phase) }))
    .filter((group) => group.steps.length > 0);
  const revoked = new Set(mitigations.flatMap((item) => ('revoke' in item ? [item.revoke] : 'disable' in item ? [item.disable] : [])));
  const harvestedLive = new Set(plan.harvested.map((h) => h.id).filter((id) => !revoked.has(id)));
  return {
    phases,
    sources: [...new Set([...sources, ...harvestedLive])],
    mitigations: [...mitigations],
    harvestedLive,
    ticked: views.filter((view) => view.ticked).length,
    total: views.length,
  };
}

/** Ticks or unticks one step: its mitigations toggle together, a step without any toggles its done-mark. */
export function toggleStep(plan: Pick<RespondResponse, 'steps'>, key: string, mitigations: readonly Mitigation[], done: readonly string[]): { mitigations: Mitigation[]; done: string[] } {
  const index = stepKeys(plan.steps).indexOf(key);
  const step = plan.steps[index];
  if (!step) return { mitigations: [...mitigations], done: [...done] };
  const items = stepMitigations(step);
  if (items.length === 0) return { mitigations: [...mitigations], done: done.includes(key) ? done.filter((k) => k !== key) : [...done, key] };
  return { mitigations: toggleMitigations(mitigations, items), done: [...done] };
}

/** A `who`, `removes` or `impact` value as one line of text, whatever shape the engine gives it. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(describeValue).filter(Boolean).join(', ');
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.name === 'string') return record.name;
    return Object.entries(record).filter(([, v]) => v !== undefined && v !== null && typeof v !== 'object').map(([k, v]) => `${k} ${String(v)}`).join(', ');
  }
  return '';
}

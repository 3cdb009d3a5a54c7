// The Respond view's state as pure functions: a containment plan and the mitigations and done-marks the user
// has ticked become the steps by phase, the live radius request (sources and mitigations) and what stays lit.
import { mitigationKey, toggleMitigations } from './url-state.ts';
import { RESPOND_PHASES, type Mitigation, type RespondPhase, type RespondResponse } from './wire.ts';

export type RespondStepView = RespondResponse['steps'][number];

export const PHASE_TITLES: Record<RespondPhase, string> = {
  contain: 'Contain: revoke or disable what was compromised',
  rotate: 'Rotate: credentials the attacker already read',
  cut: 'Cut: paths that remain',
  hunt: 'Hunt: persistence where admin was reached',
  cleanup: 'Clean up: hygiene, not containment',
};

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
  /** The radius sources: the compromised nodes, plus every harvested credential still live. */
  sources: string[];
  /** Harvested credentials still usable (valid now, not taken out by a ticked step): lit on the graph. */
  harvestedLive: Set<string>;
  ticked: number;
  total: number;
}

/**
 * The what-if mitigations that model a step: what it blocks (the overlay the engine measured the step with),
 * as the engine's own mitigations where it gives them (a credential revoked) and `disable` or `removeEdge` for
 * the rest (a vendor kill also blocks the vendor's app). Hunting and cleanup block nothing.
 */
export function stepMitigations(step: RespondStepView): Mitigation[] {
  const description = step.title.slice(0, 1000);
  const items: Mitigation[] = step.mitigations.map((item) => ({ ...item }));
  const covered = new Set(items.flatMap((item) => ('revoke' in item ? [item.revoke] : 'disable' in item ? [item.disable] : 'removeEdge' in item ? [item.removeEdge] : [])));
  for (const id of step.blocks.nodes) if (!covered.has(id)) items.push({ disable: id });
  for (const id of step.blocks.edges) if (!covered.has(id)) items.push({ removeEdge: id });
  if (items[0]) items[0] = { ...items[0], description };
  return items;
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
  const blocked = new Set(mitigations.flatMap((item) => ('revoke' in item ? [item.revoke] : 'disable' in item ? [item.disable] : [])));
  const harvestedLive = new Set(plan.harvested.filter((h) => h.validNow && !blocked.has(h.id)).map((h) => h.id));
  return {
    phases,
    sources: [...new Set([...sources, ...harvestedLive])],
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

/** Who can take a step, as a line: `Name (how)`, with a warning on anyone the attacker reached. */
export function whoText(who: RespondStepView['who']): string {
  return who.map((entry) => `${entry.name} (${entry.how})${entry.compromised ? ' ⚠ reached by the attacker: do not rely on this account' : ''}`).join('; ');
}

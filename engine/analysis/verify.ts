// Verified revocation: a plan (`blastmap plan -f json`) or a containment plan (`blastmap respond -f json`) checked
// against a fresh import taken after the work: each step done, still live, or not visible in the graph; and the
// radius now against the one the plan predicted. Pure; `blastmap verify` reads the files.
import { z } from 'zod';
import type { InputIssue } from '../errors.ts';
import { fromZodIssues } from '../format/validate.ts';
import type { CompactGraph } from '../store/compact.ts';
import { edgeIndexById } from './mitigations.ts';
import { nodeRef, type NodeRef } from './radius.ts';
import { reach, toInstant, type ReachOptions } from './reach.ts';
import { respondPlan } from './respond.ts';
import { scoreLevels } from './score.ts';

const nodeRefSchema = z.object({ id: z.string(), name: z.string(), kind: z.string(), platform: z.string(), tenant: z.string() });
const mitigationSchema = z.union([z.object({ revoke: z.string() }), z.object({ disable: z.string() }), z.object({ removeEdge: z.string() })]);
const totals = { sources: z.array(nodeRefSchema).min(1), at: z.string(), initialScore: z.number(), finalScore: z.number() };
/** What verify reads of `blastmap plan -f json` (`{ chokePoints, plan }`, or the plan alone). */
const planSchema = z.object({
  ...totals,
  maxDepth: z.number().nullable().optional(),
  steps: z.array(z.object({ step: z.number(), scoreAfter: z.number(), cut: z.object({ action: z.string(), id: z.string(), name: z.string(), mitigations: z.array(mitigationSchema) }) })),
});
/** What verify reads of `blastmap respond -f json`. */
const respondSchema = z.object({
  ...totals,
  since: z.string().nullable(),
  steps: z.array(z.object({
    step: z.number(), phase: z.string(), action: z.string(), title: z.string(), target: nodeRefSchema, scoreAfter: z.number(), containment: z.boolean(),
    mitigations: z.array(mitigationSchema), blocks: z.object({ nodes: z.array(z.string()), edges: z.array(z.string()) }),
  })),
});

type Mitigation = z.infer<typeof mitigationSchema>;

/** A plan or containment plan reduced to what can be checked. */
export interface CheckablePlan {
  kind: 'plan' | 'respond';
  sources: NodeRef[];
  /** The instant the plan was made for. */
  at: string;
  initialScore: number;
  finalScore: number;
  since?: string;
  maxDepth?: number;
  steps: { step: number; title: string; phase?: string; predictedScoreAfter: number; mitigations: Mitigation[]; checkable: boolean }[];
}

/** Reads the JSON of `blastmap plan -f json` or `blastmap respond -f json`; every problem with its JSON path. */
export function readPlanJson(value: unknown, file?: string): { ok: true; plan: CheckablePlan } | { ok: false; issues: InputIssue[] } {
  const record = value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  const isRespond = record !== undefined && 'harvested' in record;
  if (record && 'plan' in record) {
    const parsed = planSchema.safeParse(record.plan);
    if (!parsed.success) return { ok: false, issues: fromZodIssues(parsed.error.issues, record.plan, file, ['plan']) };
    return { ok: true, plan: fromPlan(parsed.data) };
  }
  if (isRespond) {
    const parsed = respondSchema.safeParse(record);
    if (!parsed.success) return { ok: false, issues: fromZodIssues(parsed.error.issues, record, file) };
    const data = parsed.data;
    return {
      ok: true,
      plan: {
        kind: 'respond', sources: data.sources, at: data.at, initialScore: data.initialScore, finalScore: data.finalScore,
        ...(data.since !== null ? { since: data.since } : {}),
        steps: data.steps.map((step) => ({
          step: step.step, title: step.title, phase: step.phase, predictedScoreAfter: step.scoreAfter,
          // A step with no mitigation of its own (an app disabled, a secret deleted) is checked by what it blocks.
          mitigations: step.mitigations.length > 0 ? step.mitigations : [...step.blocks.nodes.map((id) => ({ disable: id })), ...step.blocks.edges.map((id) => ({ removeEdge: id }))],
          // Hunting and cleaning up leave nothing a graph shows.
          checkable: step.containment && (step.mitigations.length > 0 || step.blocks.nodes.length + step.blocks.edges.length > 0),
        })),
      },
    };
  }
  const parsed = planSchema.safeParse(value);
  if (parsed.success) return { ok: true, plan: fromPlan(parsed.data) };
  return {
    ok: false,
    issues: [{ file, path: '$', message: 'not a plan', expected: 'the JSON of `blastmap plan -f json` (with `plan.steps`) or of `blastmap respond -f json` (with `steps` and `harvested`)', found: record ? `an object with ${Object.keys(record).slice(0, 5).join(', ') || 'no fields'}` : typeof value }],
  };
}

function fromPlan(data: z.infer<typeof planSchema>): CheckablePlan {
  return {
    kind: 'plan', sources: data.sources, at: data.at, initialScore: data.initialScore, finalScore: data.finalScore,
    ...(typeof data.maxDepth === 'number' ? { maxDepth: data.maxDepth } : {}),
    steps: data.steps.map((step) => ({ step: step.step, title: `${step.cut.action} ${step.cut.name}`, predictedScoreAfter: step.scoreAfter, mitigations: step.cut.mitigations, checkable: true })),
  };
}

export type CheckStatus = 'done' | 'still-live' | 'cannot-tell';

/** One thing a step takes away, as the new graph shows it. */
export interface MitigationCheck {
  action: 'revoke' | 'disable' | 'removeEdge';
  id: string;
  /** The node (revoke, disable) or the edge's source (removeEdge), when the new graph has it. */
  node?: NodeRef;
  status: CheckStatus;
  /** Why, in words: `revoked at …`, `absent from the new import`, `still usable; last used …`. */
  evidence: string;
}

export interface StepCheck {
  step: number;
  title: string;
  phase?: string;
  status: CheckStatus;
  checks: MitigationCheck[];
  predictedScoreAfter: number;
}

export interface RadiusCheck {
  /** The plan's radius before its first step, and after its last (predicted). */
  before: number;
  predicted: number;
  /** The radius in the new graph at the verification instant. */
  now: number;
  /** as-predicted: now <= predicted; partly: smaller than before but above the prediction; not-shrunk. */
  verdict: 'as-predicted' | 'partly' | 'not-shrunk';
  /** Sources of the plan missing from the new graph (they reach nothing there). */
  missingSources: NodeRef[];
}

export interface Verification {
  kind: 'plan' | 'respond';
  sources: NodeRef[];
  plannedAt: string;
  at: string;
  steps: StepCheck[];
  counts: Record<CheckStatus, number>;
  radius: RadiusCheck;
}

const day = (ms: number): string => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');

/** Whether any node of the id's `<platform>:<tenant>:` namespace is in the graph: else the import does not cover it. */
function coversTenant(graph: CompactGraph, tenants: ReadonlySet<string>, id: string): boolean {
  const parts = id.split(':');
  return parts.length >= 3 && tenants.has(`${parts[0]}:${parts[1]}`);
}

function nodeCheck(graph: CompactGraph, tenants: ReadonlySet<string>, action: 'revoke' | 'disable', id: string, at: number, plannedAt: number): MitigationCheck {
  const v = graph.indexOf.get(id);
  if (v === undefined) {
    return coversTenant(graph, tenants, id)
      ? { action, id, status: 'done', evidence: 'absent from the new import (deleted)' }
      : { action, id, status: 'cannot-tell', evidence: 'the new import has nothing from this platform and tenant' };
  }
  const node = graph.nodes[v]!;
  const ref = nodeRef(graph, v);
  if (node.enabled === false) return { action, id, node: ref, status: 'done', evidence: 'disabled' };
  if (graph.activeUntil[v]! <= at) {
    const why = node.revoked === true ? `revoked${node.revokedAt ? ` at ${day(Date.parse(node.revokedAt))}` : ''}` : node.expiresAt ? `expired at ${day(Date.parse(node.expiresAt))}` : 'not usable';
    return { action, id, node: ref, status: 'done', evidence: why };
  }
  if (graph.activeFrom[v]! > at) return { action, id, node: ref, status: 'done', evidence: 'not valid yet at this instant' };
  const notes = ['still usable'];
  if (node.revoked === true && node.revokedAt) notes.push(`revocation only takes effect at ${day(Date.parse(node.revokedAt))}`);
  const lastUsed = node.lastUsedAt !== undefined ? Date.parse(node.lastUsedAt) : NaN;
  if (!Number.isNaN(lastUsed)) notes.push(`last used ${day(lastUsed)}${lastUsed > plannedAt ? ' (after the plan)' : ''}`);
  const reauthorized = node.properties?.reauthorizedAfterRevokeAt;
  if (typeof reauthorized === 'string') notes.push(`revoked at ${day(Date.parse(reauthorized))}, then authorised again`);
  return { action, id, node: ref, status: 'still-live', evidence: notes.join('; ') };
}

function edgeCheck(graph: CompactGraph, tenants: ReadonlySet<string>, byId: ReadonlyMap<string, number[]>, id: string, at: number): MitigationCheck {
  const edges = byId.get(id) ?? [];
  const [from] = id.split('|');
  if (edges.length === 0) {
    return coversTenant(graph, tenants, from ?? '')
      ? { action: 'removeEdge', id, status: 'done', evidence: 'absent from the new import' }
      : { action: 'removeEdge', id, status: 'cannot-tell', evidence: 'the new import has nothing from the platform and tenant of its source' };
  }
  const usable = (v: number): boolean => graph.activeFrom[v]! <= at && at < graph.activeUntil[v]!;
  const live = edges.filter((e) => usable(graph.edgeSrc[e]!) && usable(graph.edgeDst[e]!));
  const ref = nodeRef(graph, graph.edgeSrc[edges[0]!]!);
  if (live.length === 0) return { action: 'removeEdge', id, node: ref, status: 'done', evidence: 'still in the graph, but an end of it is revoked, expired or disabled' };
  return { action: 'removeEdge', id, node: ref, status: 'still-live', evidence: 'still in the graph, both ends usable' };
}

/** Worst first: one mitigation still live makes the step still live; all done makes it done. */
function stepStatus(checks: readonly MitigationCheck[], checkable: boolean): CheckStatus {
  if (!checkable || checks.length === 0) return 'cannot-tell';
  if (checks.some((check) => check.status === 'still-live')) return 'still-live';
  return checks.every((check) => check.status === 'done') ? 'done' : 'cannot-tell';
}

export interface VerifyOptions extends Omit<ReachOptions, 'overlay' | 'sourceLevel' | 'maxDepth'> {}

/** Checks every step of `plan` against `graph` (an import taken after the work) at `options.at` (default now). */
export function verifyPlan(graph: CompactGraph, plan: CheckablePlan, options: VerifyOptions = {}): Verification {
  const at = toInstant(options.at);
  const plannedAt = Date.parse(plan.at);
  const tenants = new Set<string>();
  for (const node of graph.nodes) tenants.add(`${node.platform}:${node.tenant.toLowerCase()}`);
  // Ids namespace platform and tenant in lower case; a node's own tenant field may not be.
  for (const node of graph.nodes) {
    const parts = node.id.split(':');
    if (parts.length >= 3) tenants.add(`${parts[0]}:${parts[1]}`);
  }
  let edgesById: Map<string, number[]> | undefined;
  const steps: StepCheck[] = plan.steps.map((step) => {
    const checks = step.checkable ? step.mitigations.map((mitigation): MitigationCheck => {
      if ('revoke' in mitigation) return nodeCheck(graph, tenants, 'revoke', mitigation.revoke, at, plannedAt);
      if ('disable' in mitigation) return nodeCheck(graph, tenants, 'disable', mitigation.disable, at, plannedAt);
      edgesById ??= edgeIndexById(graph);
      return edgeCheck(graph, tenants, edgesById, mitigation.removeEdge, at);
    }) : [];
    return { step: step.step, title: step.title, ...(step.phase ? { phase: step.phase } : {}), status: stepStatus(checks, step.checkable), checks, predictedScoreAfter: step.predictedScoreAfter };
  });
  const counts: Record<CheckStatus, number> = { 'done': 0, 'still-live': 0, 'cannot-tell': 0 };
  for (const step of steps) counts[step.status]++;

  const present = plan.sources.map((source) => graph.indexOf.get(source.id));
  const missingSources = plan.sources.filter((_, i) => present[i] === undefined);
  const indices = present.filter((v): v is number => v !== undefined);
  const reachOptions: ReachOptions = { ...options, at, ...(plan.maxDepth !== undefined ? { maxDepth: plan.maxDepth } : {}) };
  let now = 0;
  if (indices.length > 0) {
    // The same radius the plan measured: from the sources alone (plan), or with every harvested credential (respond).
    now = plan.kind === 'respond'
      ? respondPlan(graph, indices, { ...options, at, ...(plan.since ? { since: plan.since } : {}), cutSteps: 0 }).initialScore
      : scoreLevels(graph, reach(graph, indices, reachOptions).level, indices);
  }
  const round = (n: number): number => Math.round(n * 100) / 100;
  now = round(now);
  const verdict: RadiusCheck['verdict'] = now <= plan.finalScore + 1e-9 ? 'as-predicted' : now < plan.initialScore ? 'partly' : 'not-shrunk';
  return {
    kind: plan.kind, sources: plan.sources, plannedAt: plan.at, at: new Date(at).toISOString(), steps, counts,
    radius: { before: plan.initialScore, predicted: plan.finalScore, now, verdict, missingSources },
  };
}

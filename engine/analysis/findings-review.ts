// The review-cadence rule (BM-GOV-REVIEW-OVERDUE): an app or credential that must be reviewed every so often
// (`reviewEvery` in the native format) and whose last review is older than that. Kept apart from findings.ts,
// which registers it in one line.
import type { GraphNode } from '../format/native.ts';
import type { CompactGraph } from '../store/compact.ts';
import type { FindingRule, FindingSeverity } from './findings-catalog.ts';
import type { FindingEvidence, RuleHit } from './findings.ts';

/** What the rule needs of the findings engine's context (findings.ts's FindingContext has it). */
export interface ReviewContext {
  readonly at: number;
  readonly graph: CompactGraph;
  node(v: number): GraphNode;
  finding(rule: FindingRule, v: number, severity: FindingSeverity, evidence: () => FindingEvidence): RuleHit;
}

const DAY = 86_400_000;

/**
 * When a review that was last done at `from` is due again: calendar months and years (P6M from 31 August is the
 * last day of February), days and weeks exactly. Undefined for a cadence the schema would not accept.
 */
export function reviewDue(from: number, cadence: string): number | undefined {
  const match = /^P([1-9][0-9]*)([DWMY])$/.exec(cadence);
  if (!match) return undefined;
  const n = Number(match[1]);
  const unit = match[2]!;
  if (unit === 'D') return from + n * DAY;
  if (unit === 'W') return from + n * 7 * DAY;
  const date = new Date(from);
  const months = unit === 'M' ? n : n * 12;
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target.getTime();
}

const dayText = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

interface EdgeReview { reviewEvery: string; reviewedAt?: string | undefined; approvedAt?: string | undefined; scopes: readonly string[] }
const edgeReviewIndexes = new WeakMap<CompactGraph, Map<number, EdgeReview[]>>();

/** Review cadences set on grant edges, by the node they belong to (the edge's grant, else its source). One pass, once per graph. */
function edgeReviews(graph: CompactGraph): Map<number, EdgeReview[]> {
  let index = edgeReviewIndexes.get(graph);
  if (index) return index;
  index = new Map();
  for (let e = 0; e < graph.edgeCount; e++) {
    const attrs = graph.edgeAttrs[e];
    if (attrs?.reviewEvery === undefined || attrs.derivedFrom !== undefined) continue;
    const owner = (attrs.grant !== undefined ? graph.indexOf.get(attrs.grant) : undefined) ?? graph.edgeSrc[e]!;
    const list = index.get(owner) ?? [];
    list.push({ reviewEvery: attrs.reviewEvery, reviewedAt: attrs.reviewedAt, approvedAt: attrs.approvedAt, scopes: attrs.scopes ?? [] });
    index.set(owner, list);
  }
  edgeReviewIndexes.set(graph, index);
  return index;
}

/** BM-GOV-REVIEW-OVERDUE on one node; the findings engine only asks about nodes usable at its instant. */
export function reviewOverdue(ctx: ReviewContext, v: number, rule: FindingRule): RuleHit | undefined {
  const node = ctx.node(v);
  if (node.kind !== 'App' && node.kind !== 'Credential') return undefined;
  if (node.reviewEvery === undefined) return grantEdgeReviewOverdue(ctx, v, rule);
  // The last time someone looked at it: a review, else the approval, else its creation.
  const basis = node.reviewedAt !== undefined ? 'reviewedAt' : node.approvedAt !== undefined ? 'approvedAt' : node.createdAt !== undefined ? 'createdAt' : undefined;
  const dates: Record<string, string> = {};
  for (const field of ['reviewedAt', 'approvedAt', 'createdAt'] as const) if (node[field] !== undefined) dates[field] = node[field]!;
  if (basis === undefined) {
    return ctx.finding(rule, v, rule.severity, () => ({ summary: `Must be reviewed every ${node.reviewEvery}, and no review, approval or creation date is known.`, dates, related: [] }));
  }
  const last = Date.parse(node[basis]!);
  const due = reviewDue(last, node.reviewEvery);
  if (due === undefined || Number.isNaN(last) || due > ctx.at) return undefined;
  const late = Math.floor((ctx.at - due) / DAY);
  const what = basis === 'reviewedAt' ? 'last reviewed' : basis === 'approvedAt' ? 'approved' : 'created, never reviewed,';
  dates.reviewDue = new Date(due).toISOString();
  return ctx.finding(rule, v, rule.severity, () => ({
    summary: `Must be reviewed every ${node.reviewEvery}; ${what} on ${dayText(last)}, so due on ${dayText(due)} (${late} day${late === 1 ? '' : 's'} ago).`,
    dates,
    related: [],
  }));
}

/**
 * A grant whose own node has no cadence but whose edges do (a cadence per scope or role assignment): the edge
 * most overdue names the finding. The last review of an edge is its reviewedAt, else approvedAt, else the node's createdAt.
 */
function grantEdgeReviewOverdue(ctx: ReviewContext, v: number, rule: FindingRule): RuleHit | undefined {
  const reviews = edgeReviews(ctx.graph).get(v);
  if (!reviews) return undefined;
  const node = ctx.node(v);
  let worst: { review: EdgeReview; last: number; due: number; basis: string } | undefined;
  for (const review of reviews) {
    const basis = review.reviewedAt !== undefined ? 'reviewedAt' : review.approvedAt !== undefined ? 'approvedAt' : node.createdAt !== undefined ? 'createdAt' : undefined;
    const text = basis === 'reviewedAt' ? review.reviewedAt : basis === 'approvedAt' ? review.approvedAt : node.createdAt;
    if (basis === undefined || text === undefined) continue;
    const last = Date.parse(text);
    const due = reviewDue(last, review.reviewEvery);
    if (due === undefined || Number.isNaN(last) || due > ctx.at) continue;
    if (!worst || due < worst.due) worst = { review, last, due, basis };
  }
  if (!worst) return undefined;
  const late = Math.floor((ctx.at - worst.due) / DAY);
  const what = worst.basis === 'reviewedAt' ? 'last reviewed' : worst.basis === 'approvedAt' ? 'approved' : 'created, never reviewed,';
  const scopes = worst.review.scopes.length > 0 ? ` (${worst.review.scopes.join(', ')})` : '';
  const found = worst;
  return ctx.finding(rule, v, rule.severity, () => ({
    summary: `A grant${scopes} must be reviewed every ${found.review.reviewEvery}; ${what} on ${dayText(found.last)}, so due on ${dayText(found.due)} (${late} day${late === 1 ? '' : 's'} ago).`,
    dates: { [found.basis]: new Date(found.last).toISOString(), reviewDue: new Date(found.due).toISOString() },
    related: [],
    ...(found.review.scopes.length > 0 ? { scopes: [...found.review.scopes] } : {}),
  }));
}

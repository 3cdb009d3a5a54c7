// The review-cadence rule (BM-GOV-REVIEW-OVERDUE): an app or credential that must be reviewed every so often
// (`reviewEvery` in the native format) and whose last review is older than that. Kept apart from findings.ts,
// which registers it in one line.
import type { GraphNode } from '../format/native.ts';
import type { FindingRule, FindingSeverity } from './findings-catalog.ts';
import type { FindingEvidence, RuleHit } from './findings.ts';

/** What the rule needs of the findings engine's context (findings.ts's FindingContext has it). */
export interface ReviewContext {
  readonly at: number;
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

/** BM-GOV-REVIEW-OVERDUE on one node; the findings engine only asks about nodes usable at its instant. */
export function reviewOverdue(ctx: ReviewContext, v: number, rule: FindingRule): RuleHit | undefined {
  const node = ctx.node(v);
  if ((node.kind !== 'App' && node.kind !== 'Credential') || node.reviewEvery === undefined) return undefined;
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

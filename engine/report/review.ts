// The review verdict for people: a terminal report and a markdown pull-request comment (verdict, violations,
// the authority the proposal adds, and the tagged resources whose exposure changes). Pure.
import type { ExposureChange, ProposalLocation, ReviewResult } from '../analysis/review.ts';
import type { PolicySeverity } from '../policy.ts';
import { md } from './brief.ts';
import { levelLabel, pathText, plural, PLAIN, shortDate, type TextStyle } from './style.ts';

export interface ReviewReportOptions {
  style?: TextStyle;
  /** Policy file, named in the verdict line. */
  policyFile?: string;
  /** Exposure changes listed before "... and N more" (default 20; Infinity for all). */
  limit?: number;
  /** Text: violations of one rule listed before "... and N more" (default 20; Infinity for all). */
  violationLimit?: number;
}

const round = (n: number): number => Math.round(n * 100) / 100;

export function locationText(where: ProposalLocation | undefined): string {
  if (!where) return '';
  return `${where.file ?? '(proposal)'}${where.line !== undefined ? `:${where.line}` : ''} ${where.path}`;
}

function countsText(result: ReviewResult): string {
  const parts: string[] = [];
  for (const severity of ['error', 'warning', 'note'] as const) if (result.counts[severity] > 0) parts.push(plural(result.counts[severity], severity));
  return parts.length > 0 ? parts.join(', ') : 'no violations';
}

function proposalText(result: ReviewResult): string {
  const p = result.proposal;
  return `${p.files.join(', ') || '(proposal)'}: ${plural(p.newNodes.length, 'new node')}, ${plural(p.changedNodes.length, 'changed node')}, ` +
    `${plural(p.newEdges, 'new edge')}, ${plural(p.changedEdges, 'changed edge')}`;
}

function exposersText(change: ExposureChange, shown = 2): string {
  const names = change.newExposers.slice(0, shown).map((x) => `${x.name} (${x.level})`);
  const more = change.newExposers.length - shown;
  return `${names.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

const CHANGE_LABEL: Record<ExposureChange['change'], string> = { 'newly-exposed': 'NEW', raised: 'RAISED', widened: 'WIDENED' };

function severityLabel(severity: PolicySeverity, s: TextStyle): string {
  const text = severity.toUpperCase().padEnd(7);
  return severity === 'error' ? s.red(text) : severity === 'warning' ? s.yellow(text) : s.cyan(text);
}

export function renderReviewText(result: ReviewResult, options: ReviewReportOptions = {}): string {
  const s = options.style ?? PLAIN;
  const limit = options.limit ?? 20;
  const lines: string[] = [];
  const verdict = result.passed ? s.green(s.bold('REVIEW PASSED')) : s.red(s.bold('REVIEW FAILED'));
  lines.push(`${verdict}: ${countsText(result)}${options.policyFile ? ` ${s.dim(`(policy ${options.policyFile})`)}` : ''}`);
  lines.push(`proposal ${proposalText(result)}`);
  lines.push(`as of ${shortDate(result.at)}`);
  const active = result.rules.filter((rule) => rule.active);
  lines.push(s.dim(`rules checked: ${active.length > 0 ? active.map((rule) => rule.rule).join(', ') : 'none (the policy sets no rule)'}`));

  if (result.violations.length > 0) {
    lines.push('', s.bold('VIOLATIONS'));
    // A proposal that reaches a large enterprise can break one reach rule thousands of times: the first few of each
    // rule, then how many more (json and sarif list every one).
    const perRule = options.violationLimit ?? 20;
    const shown = new Map<string, number>();
    const hidden = new Map<string, number>();
    for (const v of result.violations) {
      const count = shown.get(v.ruleId) ?? 0;
      if (count >= perRule) { hidden.set(v.ruleId, (hidden.get(v.ruleId) ?? 0) + 1); continue; }
      shown.set(v.ruleId, count + 1);
      lines.push(`  ${severityLabel(v.severity, s)} ${s.dim(v.ruleId)}  ${v.message}`);
      if (v.location) lines.push(`          ${s.dim(`at ${locationText(v.location)}`)}`);
      if (v.path && v.path.length > 0) lines.push(`          ${s.dim('path:')} ${pathText(v.path, s)}`);
    }
    for (const [ruleId, count] of hidden) lines.push(s.dim(`  ... and ${plural(count, `more ${ruleId} violation`)} (--format json or sarif lists every one)`));
  }

  lines.push('', s.bold('AUTHORITY ADDED'));
  if (result.subjects.length === 0) lines.push('  The proposal adds no app or credential: no new source of authority.');
  for (const subject of result.subjects) {
    const before = subject.scoreBefore !== null ? `, was ${subject.scoreBefore}` : '';
    lines.push(`  ${s.bold(subject.name)} ${s.dim(`(${subject.kind} on ${subject.platform}, ${subject.isNew ? 'new' : 'changed'})`)}: ` +
      `score ${s.bold(String(subject.score))}${before}, reaches ${plural(subject.reached, 'node')}` +
      `${subject.crownJewels > 0 ? `, ${s.red(plural(subject.crownJewels, 'crown jewel'))}` : ''}`);
  }
  const radius = result.addedAuthority;
  if (result.subjects.length > 1) {
    lines.push(`  together: score ${round(radius.score)}, ${plural(radius.reachedCount, 'node')} on ${plural(radius.platforms.length, 'platform')}, ${plural(radius.crownJewels.length, 'crown jewel')}`);
  }
  for (const platform of radius.platforms.slice(0, 8)) {
    lines.push(s.dim(`    ${platform.platform}: ${plural(platform.reached, 'node')}, ${platform.admin} admin, ${platform.write} write, ${platform.read} read, score ${round(platform.score)}`));
  }
  if (radius.platforms.length > 8) lines.push(s.dim(`    ... and ${radius.platforms.length - 8} more platforms (--format json)`));

  lines.push('', s.bold('EXPOSURE OF TAGGED RESOURCES'));
  if (result.exposureChanges.length === 0) lines.push('  No tagged resource or platform becomes more exposed.');
  for (const change of result.exposureChanges.slice(0, limit)) {
    lines.push(`  ${CHANGE_LABEL[change.change].padEnd(8)} ${levelLabel(change.level, s)} ${s.bold(change.resource.name)} ` +
      s.dim(`[${change.tags.join(', ')}] ${change.resource.kind} on ${change.resource.platform}`));
    lines.push(`           before: ${change.before ?? 'none'} (${plural(change.exposersBefore, 'app or credential', 'apps or credentials')}), ` +
      `after: ${change.after} (${change.exposersAfter}); newly reached by ${exposersText(change)}`);
    lines.push(`           ${pathText(change.path, s)}`);
  }
  if (result.exposureChanges.length > limit) lines.push(s.dim(`  ... and ${result.exposureChanges.length - limit} more (--format json)`));
  return `${lines.join('\n')}\n`;
}

const bold = (n: number, word: string): string => plural(n, word).replace(/^(\d+)/, '**$1**');

/** A pull-request comment: every name from the graph or the proposal is escaped. */
export function renderReviewMarkdown(result: ReviewResult, options: ReviewReportOptions = {}): string {
  const limit = options.limit ?? Infinity;
  const lines: string[] = [];
  lines.push(`## blastmap review: ${result.passed ? '✅ passed' : '❌ failed'} (${countsText(result)})`, '');
  lines.push(`Proposal ${md(proposalText(result))}${options.policyFile ? `, policy ${md(options.policyFile)}` : ''}; as of ${result.at}.`, '');

  if (result.violations.length > 0) {
    lines.push('### Violations', '', '| severity | rule | element | finding | where |', '|---|---|---|---|---|');
    for (const v of result.violations) {
      lines.push(`| ${v.severity} | ${v.ruleId} | ${md(v.nodeName)} | ${md(v.message)} | ${md(locationText(v.location))} |`);
    }
    lines.push('');
  }

  lines.push('### Authority added', '');
  if (result.subjects.length === 0) lines.push('The proposal adds no app or credential.', '');
  else {
    lines.push('| app or credential | platform | status | score | score before | reaches | crown jewels |', '|---|---|---|---:|---:|---:|---:|');
    for (const subject of result.subjects) {
      lines.push(`| ${md(subject.name)} | ${md(subject.platform)} | ${subject.isNew ? 'new' : 'changed'} | ${subject.score} | ${subject.scoreBefore ?? '–'} | ${subject.reached} | ${subject.crownJewels} |`);
    }
    const radius = result.addedAuthority;
    lines.push('', `${result.subjects.length > 1 ? 'Together' : 'In all'}: score **${round(radius.score)}**, ${bold(radius.reachedCount, 'node')} on ` +
      `${bold(radius.platforms.length, 'platform')}, ${bold(radius.crownJewels.length, 'crown jewel')} ` +
      `(data ${round(radius.scoreParts.data)}, principals ${round(radius.scoreParts.principals)}; see docs/scoring.md).`, '');
  }

  lines.push('### Exposure of tagged resources', '');
  if (result.exposureChanges.length === 0) lines.push('No tagged resource or platform becomes more exposed.');
  else {
    lines.push('| change | resource | tags | before | after | newly reached by | path |', '|---|---|---|---|---|---|---|');
    for (const change of result.exposureChanges.slice(0, limit)) {
      const path = change.path.map((step, i) => `${i === 0 ? `${md(step.from.name)} ` : ''}→ ${step.kind} → ${md(step.to.name)}`).join(' ');
      lines.push(`| ${change.change} | **${md(change.resource.name)}** (${md(change.resource.platform)}) | ${md(change.tags.join(', '))} | ` +
        `${change.before ?? 'none'} (${change.exposersBefore}) | **${change.after}** (${change.exposersAfter}) | ${md(exposersText(change))} | ${path} |`);
    }
    if (result.exposureChanges.length > limit) lines.push('', `... and ${result.exposureChanges.length - limit} more.`);
  }
  return `${lines.join('\n')}\n`;
}

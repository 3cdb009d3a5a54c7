// Text, Markdown and HTML rendering of a verified revocation: each planned step done, still live or not visible in
// the new import, with the evidence, and the radius now against the plan's prediction. Pure.
import type { CheckStatus, Verification } from '../analysis/verify.ts';
import { md } from './brief.ts';
import { escapeHtml, htmlDocument } from './html.ts';
import { plural, PLAIN, shortDate, type TextStyle } from './style.ts';

export interface VerifyRenderOptions {
  style?: TextStyle;
  /** What the new graph is called (its path). */
  graphLabel?: string;
}

export const STATUS_LABEL: Record<CheckStatus, string> = { 'done': 'DONE', 'still-live': 'STILL LIVE', 'cannot-tell': 'CANNOT TELL' };
const VERDICT: Record<Verification['radius']['verdict'], string> = {
  'as-predicted': 'shrank as predicted',
  'partly': 'shrank, but less than predicted',
  'not-shrunk': 'did not shrink',
};
const round = (n: number): number => Math.round(n * 100) / 100;
const what = (v: Verification): string => `${v.kind === 'respond' ? 'containment plan' : 'revocation plan'} for ${v.sources.map((s) => s.name).join(', ')}`;

/** `Radius: 50 before the plan, 0 predicted after it, 10 now: shrank, but less than predicted.` */
export function radiusLine(v: Verification): string {
  const missing = v.radius.missingSources.length > 0 ? ` (${plural(v.radius.missingSources.length, 'source')} no longer in the graph)` : '';
  return `Radius: ${round(v.radius.before)} before the plan, ${round(v.radius.predicted)} predicted after it, ${round(v.radius.now)} now: ${VERDICT[v.radius.verdict]}${missing}.`;
}

export const countsLine = (v: Verification): string =>
  `${plural(v.steps.length, 'step')}: ${v.counts.done} done, ${v.counts['still-live']} still live, ${v.counts['cannot-tell']} cannot tell.`;

export function renderVerifyText(v: Verification, options: VerifyRenderOptions = {}): string {
  const s = options.style ?? PLAIN;
  const color = (status: CheckStatus, text: string): string => (status === 'done' ? s.green(text) : status === 'still-live' ? s.red(text) : s.yellow(text));
  const lines: string[] = [];
  lines.push(s.bold(`VERIFY: ${what(v)}${options.graphLabel ? ` against ${options.graphLabel}` : ''}`));
  lines.push(`planned as of ${shortDate(v.plannedAt)}, checked as of ${shortDate(v.at)}`);
  lines.push('', s.bold(countsLine(v)), radiusLine(v), '');
  for (const step of v.steps) {
    lines.push(`${color(step.status, STATUS_LABEL[step.status].padEnd(11))} ${step.step}. ${step.phase ? s.dim(`[${step.phase}] `) : ''}${step.title}`);
    if (step.checks.length === 0) lines.push(s.dim(`${' '.repeat(15)}nothing a graph shows (hunting, cleaning up): check it by hand`));
    // A step with one check says it on its own line; several list each, the live ones first.
    const ordered = [...step.checks].sort((a, b) => (a.status === b.status ? 0 : a.status === 'still-live' ? -1 : b.status === 'still-live' ? 1 : 0));
    for (const check of ordered) lines.push(`${' '.repeat(15)}${color(check.status, check.status === 'done' ? '✓' : check.status === 'still-live' ? '✗' : '?')} ${check.node?.name ?? check.id}: ${check.evidence}`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderVerifyMarkdown(v: Verification, options: VerifyRenderOptions = {}): string {
  const lines: string[] = [];
  lines.push(`# Verify: ${md(what(v))}`, '');
  lines.push(`Planned as of ${v.plannedAt}, checked as of ${v.at}${options.graphLabel ? ` against ${md(options.graphLabel)}` : ''}.`, '');
  lines.push(`**${countsLine(v)}** ${radiusLine(v)}`, '');
  lines.push('| step | status | action | evidence |', '|---:|---|---|---|');
  for (const step of v.steps) {
    const evidence = step.checks.length === 0 ? 'nothing a graph shows: check it by hand' : step.checks.map((c) => `${c.status === 'done' ? '✓' : c.status === 'still-live' ? '✗' : '?'} ${c.node?.name ?? c.id}: ${c.evidence}`).join('<br>');
    lines.push(`| ${step.step} | ${STATUS_LABEL[step.status].toLowerCase()} | ${md(step.title)} | ${md(evidence).replace(/\\<br\\>/g, '<br>')} |`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderVerifyHtml(v: Verification, options: VerifyRenderOptions = {}): string {
  const out: string[] = [];
  out.push(`<h1>Verify: ${escapeHtml(what(v))}</h1>`);
  out.push(`<p class="meta">Planned as of ${escapeHtml(shortDate(v.plannedAt))}, checked as of ${escapeHtml(shortDate(v.at))}${options.graphLabel ? ` against ${escapeHtml(options.graphLabel)}` : ''}.</p>`);
  out.push('<div class="summary">');
  out.push(`<div class="card"><b>${v.counts.done}</b>done</div>`);
  out.push(`<div class="card"><b${v.counts['still-live'] > 0 ? ' class="sev-high"' : ''}>${v.counts['still-live']}</b>still live</div>`);
  out.push(`<div class="card"><b>${v.counts['cannot-tell']}</b>cannot tell</div>`);
  out.push(`<div class="card"><b>${round(v.radius.now)}</b>score now (predicted ${round(v.radius.predicted)})</div>`);
  out.push('</div>');
  out.push(`<p>${escapeHtml(radiusLine(v))}</p>`);
  out.push('<table><thead><tr><th class="num">step</th><th>status</th><th>action</th><th>evidence</th></tr></thead><tbody>');
  for (const step of v.steps) {
    const cls = step.status === 'still-live' ? 'sev-high' : step.status === 'cannot-tell' ? 'sev-medium' : '';
    const evidence = step.checks.length === 0 ? 'nothing a graph shows: check it by hand' : step.checks.map((c) => `${escapeHtml(c.node?.name ?? c.id)}: ${escapeHtml(c.evidence)}`).join('<br>');
    out.push(`<tr><td class="num">${step.step}</td><td class="${cls}">${escapeHtml(STATUS_LABEL[step.status].toLowerCase())}</td><td>${escapeHtml(step.title)}</td><td>${evidence}</td></tr>`);
  }
  out.push('</tbody></table>');
  return htmlDocument(`blastmap: verify ${what(v)}`, out.join('\n'));
}

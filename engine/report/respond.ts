// Text, markdown and HTML rendering of the containment plan (`blastmap respond`): the window and its assumptions,
// what was harvested, then each phase's steps with who can act and what it costs. Pure; names are escaped.
import type { NodeRef } from '../analysis/radius.ts';
import { RESPOND_PHASES, type RespondPhase, type RespondStep, type ResponsePlan } from '../analysis/respond.ts';
import { md } from './brief.ts';
import { escapeHtml, htmlDocument, svgPath } from './html.ts';
import { PLAIN, pathText, plural, shortDate, type TextStyle } from './style.ts';

/** Markdown and HTML list this many residue nodes; the rest are counted by platform. */
const RESIDUE_SHOWN = 50;
function residueRest(residue: readonly { platform: string }[], shown = RESIDUE_SHOWN): string {
  const counts = new Map<string, number>();
  for (const r of residue.slice(shown)) counts.set(r.platform, (counts.get(r.platform) ?? 0) + 1);
  const parts = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([platform, n]) => `${n.toLocaleString('en-US')} on ${platform}`);
  return `and ${(residue.length - shown).toLocaleString('en-US')} more: ${parts.join(', ')}`;
}

const round = (n: number): number => Math.round(n * 100) / 100;

/** Names come from the graph (attacker-controlled): no terminal control sequences reach the screen. */
// eslint-disable-next-line no-control-regex
const plain = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

export const PHASE_TITLES: Record<RespondPhase, string> = {
  contain: 'CONTAIN: revoke or disable the source (a vendor: every credential it holds, one action per tenant)',
  rotate: 'ROTATE: every harvested credential still valid (the attacker has a copy)',
  cut: 'CUT: the paths still live',
  hunt: 'HUNT: persistence where the attacker held admin',
  cleanup: 'CLEANUP: hygiene, not containment',
};

const sourcesText = (plan: ResponsePlan): string => plan.sources.map((s) => `${plain(s.name)} (${s.kind} on ${plain(s.platform)})`).join(', ');

const windowText = (plan: ResponsePlan): string =>
  plan.since ? `window ${shortDate(plan.since)} to ${shortDate(plan.at)}` : `window start unknown (assume all) to ${shortDate(plan.at)}`;

const where = (node: NodeRef): string => `${node.kind} on ${plain(node.platform)}`;

function stepText(step: RespondStep, s: TextStyle): string[] {
  const lines: string[] = [];
  const removes = step.containment ? s.dim(` removes ${round(step.removes)} (left ${round(step.scoreAfter)})`) : '';
  lines.push(`  ${s.bold(`${step.step}.`)} ${plain(step.title)}${removes}`);
  lines.push(`     ${s.dim('target')} ${plain(step.target.name)} ${s.dim(`(${where(step.target)}, ${plain(step.target.id)})`)}`);
  if (step.credentials && step.credentials.length > 0) lines.push(`     ${s.dim('revokes')} ${step.credentials.map((c) => plain(c.name)).join('; ')}`);
  if (step.liveThrough) lines.push(`     ${s.yellow(`live through its refresh token ${plain(step.liveThrough.name)}`)}`);
  lines.push(`     ${s.dim('where')} ${plain(step.where)}`);
  if (step.who.length > 0) lines.push(`     ${s.dim('who')} ${step.who.map((w) => `${plain(w.name)}${w.compromised ? s.red(' (reached by the attacker)') : ''}`).join(', ')}`);
  else lines.push(`     ${s.dim('who')} ${step.phase === 'contain' || step.phase === 'rotate' ? 'no admin of this tenant is in the graph' : 'not in the graph'}`);
  const cost = step.impact.cost === 'high' ? s.red('high cost') : step.impact.cost === 'medium' ? s.yellow('medium cost') : s.dim('low cost');
  lines.push(`     ${s.dim('impact')} ${cost}${step.impact.notes.length > 0 ? `: ${step.impact.notes.map(plain).join('; ')}` : ''}`);
  if (step.lookFor) {
    lines.push(`     ${s.dim('look for')} ${step.lookFor.map(plain).join('; ')}`);
    if (step.objects && step.objects.length > 0) lines.push(`     ${s.dim('admin held on')} ${step.objects.map((o) => plain(o.name)).join(', ')}`);
  }
  return lines;
}

export function renderRespondText(plan: ResponsePlan, options: { style?: TextStyle } = {}): string {
  const s = options.style ?? PLAIN;
  const lines: string[] = [];
  lines.push(s.bold(`CONTAINMENT PLAN for ${sourcesText(plan)}`), `assume breach, ${windowText(plan)}`, '');
  lines.push(`Live radius from the source and every harvested credential: score ${round(plan.initialScore)}, ${plural(plan.initialReached, 'node')}` +
    `${plan.crownJewelsBefore.length > 0 ? `, ${s.red(plural(plan.crownJewelsBefore.length, 'crown jewel'))}` : ''}. After every step: score ${round(plan.finalScore)}, ${plural(plan.finalReached, 'node')}.`);
  if (plan.vendors.length > 0) lines.push(`Vendor${plan.vendors.length === 1 ? '' : 's'} in play: ${plan.vendors.map(plain).join(', ')}`.replace(/([^.])$/, '$1.'));
  lines.push('', s.bold('ASSUMPTIONS'), ...plan.assumptions.map((a) => `  - ${plain(a)}`));
  lines.push('', s.bold(`HARVESTED: ${plural(plan.harvested.length, 'credential')} the attacker is assumed to hold a copy of`));
  if (plan.harvested.length === 0) lines.push('  none');
  for (const h of plan.harvested) {
    const state = h.remediation === 'rotate' ? s.red('rotate') : h.remediation === 'contain' ? 'revoked by the contain phase' : h.remediation === 'vendor' ? s.yellow("the vendor's own: the vendor must rotate it") : s.dim('no longer valid');
    lines.push(`  - ${s.bold(plain(h.name))} ${s.dim(`(${where(h)})`)}: ${plain(h.via)}; ${state}${h.liveThrough ? s.yellow(`; live through its refresh token ${plain(h.liveThrough.name)}`) : ''}`);
    lines.push(`      ${pathText(h.path.map((step) => ({ ...step, from: { ...step.from, name: plain(step.from.name) }, to: { ...step.to, name: plain(step.to.name) } })), s)}`);
  }
  for (const phase of RESPOND_PHASES) {
    const steps = plan.steps.filter((step) => step.phase === phase);
    lines.push('', s.bold(PHASE_TITLES[phase]));
    if (steps.length === 0) lines.push(s.dim('  nothing to do'));
    for (const step of steps) lines.push(...stepText(step, s));
  }
  if (plan.residue.length > 0) {
    lines.push('', s.bold(`STILL REACHABLE after every step (${plan.residue.length})`));
    for (const r of plan.residue.slice(0, 20)) lines.push(`  - ${plain(r.name)} ${s.dim(`(${where(r)}, ${r.level})`)}: ${plain(r.why)}`);
    if (plan.residue.length > 20) lines.push(s.dim(`  ... ${residueRest(plan.residue, 20)} (--format json)`));
  } else lines.push('', 'Nothing is reachable from the source or any harvested credential after these steps.');
  return `${lines.join('\n')}\n`;
}

export function renderRespondMarkdown(plan: ResponsePlan): string {
  const lines: string[] = [];
  lines.push(`# Containment plan: ${md(plan.sources.map((s) => s.name).join(', '))}`, '');
  lines.push(`Assume breach, ${md(windowText(plan))}. Live radius from the source and every harvested credential: score ${round(plan.initialScore)} ` +
    `(${plural(plan.initialReached, 'node')}, ${plural(plan.crownJewelsBefore.length, 'crown jewel')}); after every step: ${round(plan.finalScore)} (${plural(plan.finalReached, 'node')}).`);
  if (plan.vendors.length > 0) lines.push('', `Vendors in play: ${plan.vendors.map(md).join(', ')}`.replace(/([^.])$/, '$1.'));
  lines.push('', '## Assumptions', '', ...plan.assumptions.map((a) => `- ${md(a)}`));
  lines.push('', '## Harvested credentials', '');
  if (plan.harvested.length === 0) lines.push('None.');
  else {
    lines.push('| credential | platform | where it was read | now |', '|---|---|---|---|');
    for (const h of plan.harvested) {
      const now = h.remediation === 'rotate' ? '**rotate**' : h.remediation === 'contain' ? 'revoked by contain' : h.remediation === 'vendor' ? 'the vendor must rotate it' : 'no longer valid';
      lines.push(`| ${md(h.name)} | ${md(h.platform)} | ${md(h.via)} | ${now}${h.liveThrough ? `, live through ${md(h.liveThrough.name)}` : ''} |`);
    }
  }
  for (const phase of RESPOND_PHASES) {
    const steps = plan.steps.filter((step) => step.phase === phase);
    lines.push('', `## ${md(PHASE_TITLES[phase].replace(/^([A-Z])([A-Z]+):/, (_all, first: string, rest: string) => `${first}${rest.toLowerCase()}:`))}`, '');
    if (steps.length === 0) { lines.push('Nothing to do.'); continue; }
    lines.push('| # | action | target | where | who | removes | impact |', '|---:|---|---|---|---|---:|---|');
    for (const step of steps) {
      const extra = step.lookFor ? `<br>look for: ${step.lookFor.map(md).join('; ')}` : step.credentials ? `<br>revokes: ${step.credentials.map((c) => md(c.name)).join('; ')}` : '';
      lines.push(`| ${step.step} | ${md(step.title)}${extra} | ${md(step.target.name)} (${md(step.target.kind)} on ${md(step.target.platform)}) | ${md(step.where)} | ${step.who.map((w) => md(w.name)).join(', ') || '-'} | ${step.containment ? round(step.removes) : '-'} | ${step.impact.cost}${step.impact.notes.length > 0 ? `: ${step.impact.notes.map(md).join('; ')}` : ''} |`);
    }
  }
  if (plan.residue.length > 0) {
    lines.push('', `## Still reachable after every step (${plan.residue.length})`, '', ...plan.residue.slice(0, RESIDUE_SHOWN).map((r) => `- ${md(r.name)} (${md(r.kind)} on ${md(r.platform)}, ${r.level}): ${md(r.why)}`));
    if (plan.residue.length > RESIDUE_SHOWN) lines.push(`- ${residueRest(plan.residue)}; \`--format json\` lists every node`);
  }
  return `${lines.join('\n')}\n`;
}

const costClass = (cost: string): string => (cost === 'high' ? 'sev-high' : cost === 'medium' ? 'sev-medium' : 'muted');

export function renderRespondHtml(plan: ResponsePlan): string {
  const e = escapeHtml;
  const parts: string[] = [];
  parts.push(`<h1>Containment plan: ${e(plan.sources.map((s) => s.name).join(', '))}</h1>`);
  parts.push(`<p class="meta">Assume breach, ${e(windowText(plan))}.</p>`);
  parts.push('<div class="summary">',
    `<div class="card"><b>${round(plan.initialScore)}</b>live score before</div>`,
    `<div class="card"><b>${round(plan.finalScore)}</b>after every step</div>`,
    `<div class="card"><b>${plan.harvested.length}</b>harvested credentials</div>`,
    `<div class="card"><b>${plan.steps.filter((s) => s.containment).length}</b>containment steps</div>`,
    '</div>');
  parts.push('<h2>Assumptions</h2><ul>', ...plan.assumptions.map((a) => `<li>${e(a)}</li>`), '</ul>');
  parts.push('<h2>Harvested credentials</h2>');
  if (plan.harvested.length === 0) parts.push('<p>None.</p>');
  for (const h of plan.harvested) {
    const now = h.remediation === 'rotate' ? '<b class="sev-high">rotate</b>' : h.remediation === 'contain' ? 'revoked by the contain phase' : h.remediation === 'vendor' ? 'the vendor must rotate it' : 'no longer valid';
    parts.push(`<div class="path"><b>${e(h.name)}</b> <span class="muted">(${e(h.kind)} on ${e(h.platform)})</span>: ${e(h.via)}; ${now}${h.liveThrough ? `; live through its refresh token ${e(h.liveThrough.name)}` : ''}`);
    parts.push(svgPath(h.path), '</div>');
  }
  for (const phase of RESPOND_PHASES) {
    const steps = plan.steps.filter((step) => step.phase === phase);
    parts.push(`<h2>${e(PHASE_TITLES[phase])}</h2>`);
    if (steps.length === 0) { parts.push('<p class="muted">Nothing to do.</p>'); continue; }
    parts.push('<table><tr><th class="num">#</th><th>action</th><th>target</th><th>where</th><th>who</th><th class="num">removes</th><th>impact</th></tr>');
    for (const step of steps) {
      const extra = step.lookFor ? `<br><span class="muted">look for:</span> ${step.lookFor.map(e).join('; ')}` : step.credentials ? `<br><span class="muted">revokes:</span> ${step.credentials.map((c) => e(c.name)).join('; ')}` : '';
      parts.push(`<tr><td class="num">${step.step}</td><td>${e(step.title)}${extra}</td><td>${e(step.target.name)}<br><code>${e(step.target.id)}</code></td><td>${e(step.where)}</td>` +
        `<td>${step.who.map((w) => `${e(w.name)}${w.compromised ? ' <span class="sev-high">(reached)</span>' : ''}`).join('<br>') || '-'}</td>` +
        `<td class="num">${step.containment ? round(step.removes) : '-'}</td><td><span class="${costClass(step.impact.cost)}">${step.impact.cost}</span>${step.impact.notes.length > 0 ? `: ${step.impact.notes.map(e).join('; ')}` : ''}</td></tr>`);
    }
    parts.push('</table>');
  }
  if (plan.residue.length > 0) {
    parts.push(`<h2>Still reachable after every step (${plan.residue.length})</h2><ul>`, ...plan.residue.slice(0, RESIDUE_SHOWN).map((r) => `<li>${e(r.name)} <span class="muted">(${e(r.kind)} on ${e(r.platform)}, ${r.level})</span>: ${e(r.why)}</li>`));
    if (plan.residue.length > RESIDUE_SHOWN) parts.push(`<li class="muted">${e(residueRest(plan.residue))}</li>`);
    parts.push('</ul>');
  }
  return htmlDocument(`Containment plan: ${plan.sources.map((s) => s.name).join(', ')}`, parts.join('\n'));
}

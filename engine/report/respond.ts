// Text, markdown and HTML rendering of the containment plan (`blastmap respond`): the window and its assumptions,
// what was harvested, then each phase's steps with who can act and what it costs. Pure; names are escaped.
import { evidenceHtmlSection, renderEvidenceMarkdown, renderEvidenceText, stepEvidenceText } from './evidence.ts';
import type { NodeRef } from '../analysis/radius.ts';
import { RESPOND_PHASES, type RespondPhase, type RespondStep, type ResponsePlan } from '../analysis/respond.ts';
import { count, md } from './brief.ts';
import { escapeHtml, htmlDocument, svgPath } from './html.ts';
import { pathFromViewTable, witnessChunks, WitnessTableBuilder, type WitnessViewStep } from './witness.ts';
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

/** Report options: `all` lists every harvested credential and step one by one (the JSON always has them all). */
export interface RespondReportOptions {
  all?: boolean;
}

/**
 * A section longer than this (harvested credentials, a phase's steps) is shown as its first SHOWN entries, then
 * the rest grouped by the tenant they are on: an enterprise compromise harvests and rotates thousands of
 * credentials, and a responder reads "rotate 8,412 more credentials on tenant X", not 8,412 paragraphs.
 */
const GROUP_FROM = 20;
const SHOWN = 10;
/** Tenant groups listed; the rest are counted on one line. */
const GROUPS_SHOWN = 12;
/** Names listed inside one step (a vendor kill's credentials, a hunt's objects) before "and N more". */
const NAMES_SHOWN = 10;

interface TenantGroup<T> {
  platform: string;
  tenant: string;
  entries: T[];
}

/** The entries listed one by one, then the rest grouped by tenant (most entries first), then what no group line shows. */
interface Brief<T> {
  shown: readonly T[];
  groups: TenantGroup<T>[];
  /** Groups beyond GROUPS_SHOWN: how many, and how many entries they hold. */
  moreGroups: number;
  moreEntries: number;
}

export function briefOf<T extends { platform: string; tenant: string }>(entries: readonly T[], all = false): Brief<T> {
  if (all || entries.length <= GROUP_FROM) return { shown: entries, groups: [], moreGroups: 0, moreEntries: 0 };
  const byTenant = new Map<string, TenantGroup<T>>();
  for (const entry of entries.slice(SHOWN)) {
    const key = `${entry.platform}\u0000${entry.tenant}`;
    let group = byTenant.get(key);
    if (!group) byTenant.set(key, (group = { platform: entry.platform, tenant: entry.tenant, entries: [] }));
    group.entries.push(entry);
  }
  const groups = [...byTenant.values()].sort((a, b) => b.entries.length - a.entries.length || a.platform.localeCompare(b.platform) || a.tenant.localeCompare(b.tenant));
  const rest = groups.slice(GROUPS_SHOWN);
  return { shown: entries.slice(0, SHOWN), groups: groups.slice(0, GROUPS_SHOWN), moreGroups: rest.length, moreEntries: rest.reduce((n, g) => n + g.entries.length, 0) };
}

/** `a; b; c and 7 more`: the first names of a long list. */
function someNames(names: readonly string[], all: boolean, escape: (text: string) => string, separator = '; '): string {
  const shown = all ? names : names.slice(0, NAMES_SHOWN);
  return `${shown.map(escape).join(separator)}${names.length > shown.length ? ` and ${count(names.length - shown.length)} more` : ''}`;
}

/** What a group of a phase's steps asks for, in words: `rotate 8,412 more credentials`. */
function groupAction(phase: RespondPhase, n: number): string {
  switch (phase) {
    case 'rotate': return `rotate ${count(n)} more credential${n === 1 ? '' : 's'}`;
    case 'cleanup': return `delete ${count(n)} more pasted secret${n === 1 ? '' : 's'} from records`;
    case 'hunt': return `hunt in ${count(n)} more tenant${n === 1 ? '' : 's'}`;
    default: return `${count(n)} more step${n === 1 ? '' : 's'}`;
  }
}

/** `2,000 to rotate, 345 revoked by contain`: each value's count, most common first. */
function countsText(values: readonly string[], escape: (text: string) => string = (text) => text): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([value, n]) => `${count(n)} ${escape(value)}`).join(', ');
}

/** `Vault 12 (6), Case 3 (2) and 40 more places`: where most of a group's credentials were read. */
function topPlaces(names: readonly string[], escape: (text: string) => string): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const head = sorted.slice(0, 3).map(([name, n]) => `${escape(name)} (${count(n)})`).join(', ');
  return sorted.length > 3 ? `${head} and ${count(sorted.length - 3)} more place${sorted.length === 4 ? '' : 's'}` : head;
}

/** The first three names of a group, then `...`. */
const firstNames = (names: readonly string[], escape: (text: string) => string): string => `${names.slice(0, 3).map(escape).join(', ')}${names.length > 3 ? ', ...' : ''}`;

/** One line about a group of steps on one tenant: what, how much it removes, the first targets, who can act. */
function stepGroupText(phase: RespondPhase, group: TenantGroup<RespondStep>, escape: (text: string) => string): string {
  const steps = group.entries;
  const removes = steps.reduce((sum, step) => sum + step.removes, 0);
  const who = steps[0]!.who.map((w) => `${escape(w.name)}${w.compromised ? ' (reached by the attacker)' : ''}`);
  const actions = new Set(steps.map((step) => step.action));
  return `${groupAction(phase, steps.length)} on ${escape(group.platform)} ${escape(group.tenant)}` +
    `${actions.size > 1 ? ` (${countsText(steps.map((step) => step.action))})` : ''}` +
    `${steps[0]!.containment ? `, removing ${count(round(removes))} in all` : ''}: ${firstNames(steps.map((step) => step.target.name), escape)}` +
    `${who.length > 0 ? `; who: ${who.join(', ')}` : ''}`;
}

/** The line after the tenant groups: how many more tenants, holding how many entries. */
const moreGroupsText = (brief: Brief<unknown>, noun: string): string =>
  `and ${count(brief.moreEntries)} more ${noun}${brief.moreEntries === 1 ? '' : 's'} on ${count(brief.moreGroups)} more tenant${brief.moreGroups === 1 ? '' : 's'}`;

const REMEDIATION_WORDS: Record<string, string> = { rotate: 'to rotate', contain: 'revoked by contain', vendor: 'for the vendor to rotate', none: 'no longer valid' };

/** One line about a tenant's harvested credentials beyond those listed: how many, what happens to them, where they were read. */
function harvestGroupText(group: TenantGroup<ResponsePlan['harvested'][number]>, escape: (text: string) => string): string {
  return `${count(group.entries.length)} more on ${escape(group.platform)} ${escape(group.tenant)} (${countsText(group.entries.map((h) => REMEDIATION_WORDS[h.remediation]!))}), ` +
    `read in ${topPlaces(group.entries.map((h) => h.viaNode.name), escape)}`;
}

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

function stepText(step: RespondStep, s: TextStyle, all: boolean): string[] {
  const lines: string[] = [];
  const removes = step.containment ? s.dim(` removes ${round(step.removes)} (left ${round(step.scoreAfter)})`) : '';
  lines.push(`  ${s.bold(`${step.step}.`)} ${plain(step.title)}${removes}`);
  lines.push(`     ${s.dim('target')} ${plain(step.target.name)} ${s.dim(`(${where(step.target)}, ${plain(step.target.id)})`)}`);
  if (step.credentials && step.credentials.length > 0) lines.push(`     ${s.dim('revokes')} ${someNames(step.credentials.map((c) => c.name), all, plain)}`);
  if (step.liveThrough) lines.push(`     ${s.yellow(`live through its refresh token ${plain(step.liveThrough.name)}`)}`);
  lines.push(`     ${s.dim('where')} ${plain(step.where)}`);
  if (step.who.length > 0) lines.push(`     ${s.dim('who')} ${step.who.map((w) => `${plain(w.name)}${w.compromised ? s.red(' (reached by the attacker)') : ''}`).join(', ')}`);
  else lines.push(`     ${s.dim('who')} ${step.phase === 'contain' || step.phase === 'rotate' ? 'no admin of this tenant is in the graph' : 'not in the graph'}`);
  const cost = step.impact.cost === 'high' ? s.red('high cost') : step.impact.cost === 'medium' ? s.yellow('medium cost') : s.dim('low cost');
  lines.push(`     ${s.dim('impact')} ${cost}${step.impact.notes.length > 0 ? `: ${step.impact.notes.map(plain).join('; ')}` : ''}`);
  const evidence = stepEvidenceText(step.evidence);
  if (evidence) lines.push(`     ${s.dim('evidence')} ${step.evidence?.status === 'observed' ? s.red(plain(evidence)) : plain(evidence)}`);
  if (step.lookFor) {
    lines.push(`     ${s.dim('look for')} ${step.lookFor.map(plain).join('; ')}`);
    if (step.objects && step.objects.length > 0) lines.push(`     ${s.dim('admin held on')} ${someNames(step.objects.map((o) => o.name), all, plain, ', ')}`);
  }
  return lines;
}

export function renderRespondText(plan: ResponsePlan, options: { style?: TextStyle } & RespondReportOptions = {}): string {
  const s = options.style ?? PLAIN;
  const all = options.all === true;
  const lines: string[] = [];
  lines.push(s.bold(`CONTAINMENT PLAN for ${sourcesText(plan)}`), `assume breach, ${windowText(plan)}`, '');
  lines.push(`Live radius from the source and every harvested credential: score ${round(plan.initialScore)}, ${plural(plan.initialReached, 'node')}` +
    `${plan.crownJewelsBefore.length > 0 ? `, ${s.red(plural(plan.crownJewelsBefore.length, 'crown jewel'))}` : ''}. After every step: score ${round(plan.finalScore)}, ${plural(plan.finalReached, 'node')}.`);
  if (plan.vendors.length > 0) lines.push(`Vendor${plan.vendors.length === 1 ? '' : 's'} in play: ${plan.vendors.map(plain).join(', ')}`.replace(/([^.])$/, '$1.'));
  lines.push('', s.bold('ASSUMPTIONS'), ...plan.assumptions.map((a) => `  - ${plain(a)}`));
  lines.push('', s.bold(`HARVESTED: ${plural(plan.harvested.length, 'credential')} the attacker is assumed to hold a copy of`));
  if (plan.harvested.length === 0) lines.push('  none');
  const harvested = briefOf(plan.harvested, all);
  if (harvested.groups.length > 0) lines.push(`  ${countsText(plan.harvested.map((h) => REMEDIATION_WORDS[h.remediation]!))}; the first ${SHOWN}, then by tenant (--all or --format json lists every one):`);
  for (const h of harvested.shown) {
    const state = h.remediation === 'rotate' ? s.red('rotate') : h.remediation === 'contain' ? 'revoked by the contain phase' : h.remediation === 'vendor' ? s.yellow("the vendor's own: the vendor must rotate it") : s.dim('no longer valid');
    lines.push(`  - ${s.bold(plain(h.name))} ${s.dim(`(${where(h)})`)}: ${plain(h.via)}; ${state}${h.liveThrough ? s.yellow(`; live through its refresh token ${plain(h.liveThrough.name)}`) : ''}`);
    lines.push(`      ${pathText(h.path.map((step) => ({ ...step, from: { ...step.from, name: plain(step.from.name) }, to: { ...step.to, name: plain(step.to.name) } })), s)}`);
  }
  for (const group of harvested.groups) lines.push(`  + ${harvestGroupText(group, plain)}`);
  if (harvested.moreGroups > 0) lines.push(s.dim(`  ${moreGroupsText(harvested, 'credential')}`));
  for (const phase of RESPOND_PHASES) {
    const steps = plan.steps.filter((step) => step.phase === phase);
    lines.push('', s.bold(PHASE_TITLES[phase]));
    if (steps.length === 0) lines.push(s.dim('  nothing to do'));
    const brief = briefOf(steps.map((step) => ({ step, platform: step.target.platform, tenant: step.target.tenant })), all);
    if (brief.groups.length > 0) lines.push(s.dim(`  ${count(steps.length)} steps: the first ${SHOWN} in full, then the rest by tenant (--all or --format json lists every one)`));
    for (const { step } of brief.shown) lines.push(...stepText(step, s, all));
    for (const group of brief.groups) lines.push(`  + ${stepGroupText(phase, { ...group, entries: group.entries.map((e) => e.step) }, plain)}`);
    if (brief.moreGroups > 0) lines.push(s.dim(`  ${moreGroupsText(brief, 'step')}`));
  }
  if (plan.residue.length > 0) {
    lines.push('', s.bold(`STILL REACHABLE after every step (${plan.residue.length})`));
    for (const r of plan.residue.slice(0, 20)) lines.push(`  - ${plain(r.name)} ${s.dim(`(${where(r)}, ${r.level})`)}: ${plain(r.why)}`);
    if (plan.residue.length > 20) lines.push(s.dim(`  ... ${residueRest(plan.residue, 20)} (--format json)`));
  } else lines.push('', 'Nothing is reachable from the source or any harvested credential after these steps.');
  if (plan.evidence) lines.push('', ...renderEvidenceText(plan.evidence, { style: s }));
  return `${lines.join('\n')}\n`;
}

export function renderRespondMarkdown(plan: ResponsePlan, options: RespondReportOptions = {}): string {
  const all = options.all === true;
  const lines: string[] = [];
  lines.push(`# Containment plan: ${md(plan.sources.map((s) => s.name).join(', '))}`, '');
  lines.push(`Assume breach, ${md(windowText(plan))}. Live radius from the source and every harvested credential: score ${round(plan.initialScore)} ` +
    `(${plural(plan.initialReached, 'node')}, ${plural(plan.crownJewelsBefore.length, 'crown jewel')}); after every step: ${round(plan.finalScore)} (${plural(plan.finalReached, 'node')}).`);
  if (plan.vendors.length > 0) lines.push('', `Vendors in play: ${plan.vendors.map(md).join(', ')}`.replace(/([^.])$/, '$1.'));
  lines.push('', '## Assumptions', '', ...plan.assumptions.map((a) => `- ${md(a)}`));
  lines.push('', '## Harvested credentials', '');
  if (plan.harvested.length === 0) lines.push('None.');
  else {
    const harvested = briefOf(plan.harvested, all);
    if (harvested.groups.length > 0) lines.push(`${countsText(plan.harvested.map((h) => REMEDIATION_WORDS[h.remediation]!))}. The first ${SHOWN}, then the rest by tenant (\`--all\` or \`--format json\` lists every one):`, '');
    lines.push('| credential | platform | where it was read | now |', '|---|---|---|---|');
    for (const h of harvested.shown) {
      const now = h.remediation === 'rotate' ? '**rotate**' : h.remediation === 'contain' ? 'revoked by contain' : h.remediation === 'vendor' ? 'the vendor must rotate it' : 'no longer valid';
      lines.push(`| ${md(h.name)} | ${md(h.platform)} | ${md(h.via)} | ${now}${h.liveThrough ? `, live through ${md(h.liveThrough.name)}` : ''} |`);
    }
    if (harvested.groups.length > 0) lines.push('', ...harvested.groups.map((group) => `- ${harvestGroupText(group, md)}`));
    if (harvested.moreGroups > 0) lines.push(`- ${moreGroupsText(harvested, 'credential')}`);
  }
  for (const phase of RESPOND_PHASES) {
    const steps = plan.steps.filter((step) => step.phase === phase);
    lines.push('', `## ${md(PHASE_TITLES[phase].replace(/^([A-Z])([A-Z]+):/, (_all, first: string, rest: string) => `${first}${rest.toLowerCase()}:`))}`, '');
    if (steps.length === 0) { lines.push('Nothing to do.'); continue; }
    const brief = briefOf(steps.map((step) => ({ step, platform: step.target.platform, tenant: step.target.tenant })), all);
    if (brief.groups.length > 0) lines.push(`${count(steps.length)} steps: the first ${SHOWN} in full, then the rest by tenant (\`--all\` or \`--format json\` lists every one).`, '');
    lines.push('| # | action | target | where | who | removes | impact |', '|---:|---|---|---|---|---:|---|');
    for (const { step } of brief.shown) {
      const evidence = stepEvidenceText(step.evidence);
      const extra = (step.lookFor ? `<br>look for: ${step.lookFor.map(md).join('; ')}` : step.credentials ? `<br>revokes: ${someNames(step.credentials.map((c) => c.name), all, md)}` : '') + (evidence ? `<br>evidence: **${md(evidence)}**` : '');
      lines.push(`| ${step.step} | ${md(step.title)}${extra} | ${md(step.target.name)} (${md(step.target.kind)} on ${md(step.target.platform)}) | ${md(step.where)} | ${step.who.map((w) => md(w.name)).join(', ') || '-'} | ${step.containment ? round(step.removes) : '-'} | ${step.impact.cost}${step.impact.notes.length > 0 ? `: ${step.impact.notes.map(md).join('; ')}` : ''} |`);
    }
    if (brief.groups.length > 0) lines.push('', ...brief.groups.map((group) => `- ${stepGroupText(phase, { ...group, entries: group.entries.map((entry) => entry.step) }, md)}`));
    if (brief.moreGroups > 0) lines.push(`- ${moreGroupsText(brief, 'step')}`);
  }
  if (plan.residue.length > 0) {
    lines.push('', `## Still reachable after every step (${plan.residue.length})`, '', ...plan.residue.slice(0, RESIDUE_SHOWN).map((r) => `- ${md(r.name)} (${md(r.kind)} on ${md(r.platform)}, ${r.level}): ${md(r.why)}`));
    if (plan.residue.length > RESIDUE_SHOWN) lines.push(`- ${residueRest(plan.residue)}; \`--format json\` lists every node`);
  }
  if (plan.evidence) lines.push('', ...renderEvidenceMarkdown(plan.evidence));
  return `${lines.join('\n')}\n`;
}

const costClass = (cost: string): string => (cost === 'high' ? 'sev-high' : cost === 'medium' ? 'sev-medium' : 'muted');

export function renderRespondHtml(plan: ResponsePlan, options: RespondReportOptions = {}): string {
  const all = options.all === true;
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
  const harvested = briefOf(plan.harvested, all);
  if (harvested.groups.length > 0) parts.push(`<p>${e(countsText(plan.harvested.map((h) => REMEDIATION_WORDS[h.remediation]!)))}. The first ${SHOWN}, then the rest by tenant (<code>--all</code> or <code>--format json</code> lists every one).</p>`);
  for (const h of harvested.shown) {
    const now = h.remediation === 'rotate' ? '<b class="sev-high">rotate</b>' : h.remediation === 'contain' ? 'revoked by the contain phase' : h.remediation === 'vendor' ? 'the vendor must rotate it' : 'no longer valid';
    parts.push(`<div class="path"><b>${e(h.name)}</b> <span class="muted">(${e(h.kind)} on ${e(h.platform)})</span>: ${e(h.via)}; ${now}${h.liveThrough ? `; live through its refresh token ${e(h.liveThrough.name)}` : ''}`);
    parts.push(svgPath(h.path), '</div>');
  }
  if (harvested.groups.length > 0) {
    parts.push('<ul>', ...harvested.groups.map((group) => `<li>${harvestGroupText(group, e)}</li>`));
    if (harvested.moreGroups > 0) parts.push(`<li class="muted">${e(moreGroupsText(harvested, 'credential'))}</li>`);
    parts.push('</ul>');
  }
  for (const phase of RESPOND_PHASES) {
    const steps = plan.steps.filter((step) => step.phase === phase);
    parts.push(`<h2>${e(PHASE_TITLES[phase])}</h2>`);
    if (steps.length === 0) { parts.push('<p class="muted">Nothing to do.</p>'); continue; }
    const brief = briefOf(steps.map((step) => ({ step, platform: step.target.platform, tenant: step.target.tenant })), all);
    if (brief.groups.length > 0) parts.push(`<p class="muted">${count(steps.length)} steps: the first ${SHOWN} in full, then the rest by tenant (<code>--all</code> or <code>--format json</code> lists every one).</p>`);
    parts.push('<table><tr><th class="num">#</th><th>action</th><th>target</th><th>where</th><th>who</th><th class="num">removes</th><th>impact</th></tr>');
    for (const { step } of brief.shown) {
      const evidence = stepEvidenceText(step.evidence);
      const extra = (step.lookFor ? `<br><span class="muted">look for:</span> ${step.lookFor.map(e).join('; ')}` : step.credentials ? `<br><span class="muted">revokes:</span> ${someNames(step.credentials.map((c) => c.name), all, e)}` : '')
        + (evidence ? `<br><span class="muted">evidence:</span> <b class="${step.evidence?.status === 'observed' ? 'sev-high' : 'muted'}">${e(evidence)}</b>` : '')
        + (step.evidence?.actions ? `<ul>${step.evidence.actions.slice(0, 10).map((a) => `<li>${e(`${a.category} ${a.action} by ${a.actorName}${a.target ? ` on ${a.target}` : ''}, ${a.count}x from ${a.first.slice(0, 16)}Z`)}</li>`).join('')}</ul>` : '');
      parts.push(`<tr><td class="num">${step.step}</td><td>${e(step.title)}${extra}</td><td>${e(step.target.name)}<br><code>${e(step.target.id)}</code></td><td>${e(step.where)}</td>` +
        `<td>${step.who.map((w) => `${e(w.name)}${w.compromised ? ' <span class="sev-high">(reached)</span>' : ''}`).join('<br>') || '-'}</td>` +
        `<td class="num">${step.containment ? round(step.removes) : '-'}</td><td><span class="${costClass(step.impact.cost)}">${step.impact.cost}</span>${step.impact.notes.length > 0 ? `: ${step.impact.notes.map(e).join('; ')}` : ''}</td></tr>`);
    }
    parts.push('</table>');
    if (brief.groups.length > 0) {
      parts.push('<ul>', ...brief.groups.map((group) => `<li>${stepGroupText(phase, { ...group, entries: group.entries.map((entry) => entry.step) }, e)}</li>`));
      if (brief.moreGroups > 0) parts.push(`<li class="muted">${e(moreGroupsText(brief, 'step'))}</li>`);
      parts.push('</ul>');
    }
  }
  if (plan.residue.length > 0) {
    parts.push(`<h2>Still reachable after every step (${plan.residue.length})</h2><ul>`, ...plan.residue.slice(0, RESIDUE_SHOWN).map((r) => `<li>${e(r.name)} <span class="muted">(${e(r.kind)} on ${e(r.platform)}, ${r.level})</span>: ${e(r.why)}</li>`));
    if (plan.residue.length > RESIDUE_SHOWN) parts.push(`<li class="muted">${e(residueRest(plan.residue))}</li>`);
    parts.push('</ul>');
  }
  if (plan.evidence) parts.push(evidenceHtmlSection(plan.evidence));
  return htmlDocument(`Containment plan: ${plan.sources.map((s) => s.name).join(', ')}`, parts.join('\n'));
}

/** A harvested credential as the JSON writes it: `witness` (an index into the shared table) instead of its `path`. */
export type HarvestedRecord = Omit<ResponsePlan['harvested'][number], 'path'> & { witness: number };

/** Members written one element per line: the lists that grow with the graph. */
const LINE_ARRAYS: ReadonlySet<string> = new Set(['harvested', 'steps', 'residue', 'crownJewelsBefore', 'crownJewelsAfter']);

/**
 * The plan as one JSON document (`--format json`), written in pieces (never one string): every member of the plan
 * in its order, compact, with the long lists one element per line, and the harvested credentials' paths in a
 * shared `witness` table (each step once, with its parent's index, written just before `harvested`): at a million
 * nodes 11,000 harvested paths of 13 steps each, written inline, were 97 MB of the 155 MB document. A harvested
 * credential's `path` is the table followed from its `witness` (pathFromViewTable).
 */
export function* respondJsonChunks(plan: ResponsePlan): Generator<string> {
  const table = new WitnessTableBuilder();
  const harvested = plan.harvested.map(({ path, ...entry }): HarvestedRecord => ({ ...entry, witness: table.add(path) }));
  const record = plan as unknown as Record<string, unknown>;
  let first = true;
  const separator = () => { const text = first ? '{' : ',\n'; first = false; return text; };
  for (const key of Object.keys(record)) {
    const value = key === 'harvested' ? harvested : record[key];
    if (value === undefined) continue;
    if (key === 'harvested') {
      yield separator();
      yield* witnessChunks(table.steps);
    }
    yield separator();
    if (LINE_ARRAYS.has(key) && Array.isArray(value)) {
      yield `${JSON.stringify(key)}: [\n`;
      for (let i = 0; i < value.length; i++) yield `${JSON.stringify(value[i])}${i + 1 < value.length ? ',' : ''}\n`;
      yield ']';
    } else yield `${JSON.stringify(key)}:${JSON.stringify(value)}`;
  }
  yield '}\n';
}

/** The plan back from its JSON document (what a script reading `--format json` does): each harvested credential's `path` rebuilt from the table. */
export function respondPlanFromJson(document: { witness: WitnessViewStep[]; harvested: HarvestedRecord[] } & Omit<ResponsePlan, 'harvested'>): ResponsePlan {
  const { witness, harvested, ...plan } = document;
  const keys = Object.keys(document);
  const rebuilt = { ...plan, harvested: harvested.map(({ witness: last, ...entry }) => ({ ...entry, path: pathFromViewTable(witness, last) })) };
  // In the plan's own member order (the document adds `witness` before `harvested`).
  return Object.fromEntries(keys.filter((key) => key !== 'witness').map((key) => [key, rebuilt[key as keyof typeof rebuilt]])) as unknown as ResponsePlan;
}

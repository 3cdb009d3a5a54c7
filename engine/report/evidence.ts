// Evidence in the reports: what the logs show of a radius (observed, contradicted), the window's actions, the
// anomaly hints, and what did not resolve; as text, markdown and an HTML section with a timeline of the window.
import type { EvidenceReport, StepEvidence } from '../evidence/report.ts';
import type { ObservedAction } from '../evidence/overlay.ts';
import { md } from './brief.ts';
import { escapeHtml } from './html.ts';
import { PLAIN, type TextStyle } from './style.ts';

// eslint-disable-next-line no-control-regex
const plain = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const minute = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')}Z`;

/** Status words, not colour alone: OBSERVED, CONTRADICTED, possible. */
export const STATUS_WORD = { observed: 'OBSERVED', contradicted: 'CONTRADICTED', possible: 'possible' } as const;
const REASON_WORDS = { blocked: 'every attempt failed or was blocked', 'known-origin': "only from its owner's known IPs and user agents", mixed: 'only failed attempts and known origins' } as const;
const HINT_WORDS = { 'no-history': 'used with no history before the window', 'new-ip-range': 'new IP range', 'new-user-agent': 'new user agent', 'new-family': 'new API family', 'bulk-read': 'bulk read' } as const;

export const windowWords = (report: Pick<EvidenceReport, 'window'>): string =>
  `${report.window.from ? minute(report.window.from) : 'the start of the logs'} to ${minute(report.window.to)}`;

function actionText(a: ObservedAction): string {
  return `${a.category} ${a.action}${a.outcome === 'success' ? '' : ` (${a.outcome.toUpperCase()})`} (${a.family}) by ${a.actorName}${a.target ? ` on ${a.target}` : ''}, ${plural(a.count, 'time')} ${minute(a.first)}${a.last !== a.first ? ` to ${minute(a.last)}` : ''}` +
    `${a.records !== undefined ? `, ${a.records} records` : ''}${a.ips.length > 0 ? ` from ${a.ips.join(', ')}` : ''}`;
}

/** One line about a respond step's evidence, or undefined when nothing touched its target. */
export function stepEvidenceText(evidence: StepEvidence | undefined): string | undefined {
  if (!evidence || evidence.status === 'possible') return undefined;
  const facts = evidence.count !== undefined ? ` ${plural(evidence.count, 'event')} ${minute(evidence.first!)}${evidence.last !== evidence.first ? ` to ${minute(evidence.last!)}` : ''}${evidence.ips && evidence.ips.length > 0 ? ` from ${evidence.ips.join(', ')}` : ''}${evidence.sources ? ` (${evidence.sources.join(', ')})` : ''}` : '';
  const reason = evidence.reason ? `: ${REASON_WORDS[evidence.reason]}` : '';
  const actions = evidence.actions ? `; ${plural(evidence.actions.length, 'observed action')} in this tenant${evidence.actions.some((a) => a.category === 'persistence') ? ', persistence among them' : ''}` : '';
  return `${STATUS_WORD[evidence.status]}${facts}${reason}${actions}`;
}

export function renderEvidenceText(report: EvidenceReport, options: { style?: TextStyle; shown?: number } = {}): string[] {
  const s = options.style ?? PLAIN;
  const shown = options.shown ?? 20;
  const t = report.totals;
  const lines = [
    s.bold(`EVIDENCE: the logs from ${windowWords(report)}`),
    `  ${plural(t.eventsInWindow, 'event')} in the window, ${t.eventsCounted} by actors in the radius; nodes: ${t.nodes.observed} observed, ${t.nodes.contradicted} contradicted, ${t.nodes.possible} possible; edges: ${t.edges.observed} observed, ${t.edges.contradicted} contradicted, ${t.edges.possible} possible`,
  ];
  const observed = report.nodes.filter((n) => n.status === 'observed');
  const contradicted = report.nodes.filter((n) => n.status === 'contradicted');
  if (observed.length > 0) {
    lines.push(`  ${s.red('OBSERVED')} (used by the attacker, by the logs):`);
    for (const n of observed.slice(0, shown)) lines.push(`    + ${plain(n.name)} ${s.dim(`(${n.kind} on ${plain(n.platform)})`)}: ${plural(n.count, 'event')} ${minute(n.first)}${n.last !== n.first ? ` to ${minute(n.last)}` : ''}${n.ips.length > 0 ? ` from ${n.ips.map(plain).join(', ')}` : ''}; ${n.actions.map(plain).join(', ')} (${n.sources.join(', ')})`);
    if (observed.length > shown) lines.push(s.dim(`    ... ${observed.length - shown} more (--format json)`));
  }
  if (contradicted.length > 0) {
    lines.push(`  CONTRADICTED (the logs speak against use by the attacker):`);
    for (const n of contradicted.slice(0, shown)) lines.push(`    - ${plain(n.name)} ${s.dim(`(${n.kind} on ${plain(n.platform)})`)}: ${REASON_WORDS[n.reason!]} (${plural(n.count, 'event')})`);
  }
  if (report.actions.length > 0) {
    lines.push(`  ACTIONS in the window (persistence first):`);
    for (const a of report.actions.slice(0, shown)) lines.push(`    ${a.category === 'persistence' ? s.red('!') : '*'} ${plain(actionText(a))}`);
    if (report.actions.length > shown) lines.push(s.dim(`    ... ${report.actions.length - shown} more (--format json)`));
  }
  if (report.hints.length > 0) {
    lines.push(`  WHERE TO LOOK FIRST (use outside each credential's own history):`);
    for (const h of report.hints.slice(0, shown)) lines.push(`    > ${plain(h.name)}: ${HINT_WORDS[h.kind]} ${h.values.map(plain).join(', ')} (${plural(h.events, 'event')} from ${minute(h.first)}${h.eventIds.length > 0 ? `; event ids ${h.eventIds.map(plain).join(', ')}` : ''})`);
  }
  if (report.unresolved.refs > 0) lines.push(s.dim(`  ${`${report.unresolved.refs} ${report.unresolved.refs === 1 ? 'actor or target' : 'actors or targets'}`} in the logs (${plural(report.unresolved.events, 'event')}) match no node of the graph, or several: not guessed (--format json lists them)`));
  return lines;
}

export function renderEvidenceMarkdown(report: EvidenceReport, shown = 20): string[] {
  const t = report.totals;
  const lines = ['## Evidence', '', `The logs from ${windowWords(report)}: ${plural(t.eventsInWindow, 'event')}, ${t.eventsCounted} by actors in the radius. Nodes: ${t.nodes.observed} observed, ${t.nodes.contradicted} contradicted, ${t.nodes.possible} possible; edges: ${t.edges.observed} observed.`, ''];
  if (report.nodes.length > 0) {
    lines.push('| status | node | events | first | last | from | actions |', '|---|---|---:|---|---|---|---|');
    for (const n of report.nodes.slice(0, shown)) lines.push(`| **${STATUS_WORD[n.status]}**${n.reason ? ` (${REASON_WORDS[n.reason]})` : ''} | ${md(n.name)} (${md(n.kind)} on ${md(n.platform)}) | ${n.count} | ${minute(n.first)} | ${minute(n.last)} | ${n.ips.map(md).join(', ') || '-'} | ${n.actions.map(md).join(', ')} |`);
    lines.push('');
  }
  if (report.actions.length > 0) lines.push('### Actions in the window', '', ...report.actions.slice(0, shown).map((a) => `- ${a.category === 'persistence' ? '**persistence** ' : ''}${md(actionText(a))}`), '');
  if (report.hints.length > 0) lines.push('### Where to look first', '', ...report.hints.slice(0, shown).map((h) => `- ${md(h.name)}: ${HINT_WORDS[h.kind]} ${h.values.map(md).join(', ')} (${plural(h.events, 'event')} from ${minute(h.first)})`), '');
  if (report.unresolved.refs > 0) lines.push(`${`${report.unresolved.refs} ${report.unresolved.refs === 1 ? 'actor or target' : 'actors or targets'}`} in the logs (${plural(report.unresolved.events, 'event')}) match no node, or several: not guessed.`, '');
  return lines;
}

const CATEGORY_MARK: Record<string, string> = { persistence: '◆', bulk: '▲', admin: '■', write: '●', read: '○', auth: '◇', other: '·' };

/** A timeline of the window as inline SVG: one mark per observed action at its first time, its category named in text beside it (not by colour alone). */
export function evidenceTimelineSvg(report: EvidenceReport, shown = 30): string {
  const actions = [...report.actions].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0)).slice(0, shown);
  if (actions.length === 0) return '';
  const from = report.window.from ? Date.parse(report.window.from) : Date.parse(actions[0]!.first);
  const to = Math.max(Date.parse(report.window.to), from + 1);
  const width = 900;
  const left = 20;
  const axis = width - 2 * left;
  const row = 18;
  const height = 40 + actions.length * row;
  const x = (iso: string): number => left + (axis * (Date.parse(iso) - from)) / (to - from);
  const e = escapeHtml;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="timeline of the window" font-size="11" font-family="system-ui, sans-serif">`,
    `<line x1="${left}" y1="20" x2="${left + axis}" y2="20" stroke="#6b7280"/>`,
    `<text x="${left}" y="12">${e(report.window.from ? minute(report.window.from) : minute(actions[0]!.first))}</text>`,
    `<text x="${left + axis}" y="12" text-anchor="end">${e(minute(report.window.to))}</text>`];
  actions.forEach((a, i) => {
    const y = 36 + i * row;
    const x1 = Math.max(left, Math.min(left + axis, x(a.first)));
    const x2 = Math.max(x1, Math.min(left + axis, x(a.last)));
    const stroke = a.category === 'persistence' ? '#b91c1c' : a.category === 'bulk' ? '#b45309' : '#0e7490';
    parts.push(`<line x1="${x1.toFixed(1)}" y1="${y}" x2="${Math.max(x2, x1 + 2).toFixed(1)}" y2="${y}" stroke="${stroke}" stroke-width="6" stroke-dasharray="${a.category === 'persistence' ? 'none' : '3 2'}"/>`);
    const label = `${CATEGORY_MARK[a.category] ?? '·'} ${a.category} ${a.action} by ${a.actorName}${a.target ? ` on ${a.target}` : ''} ×${a.count}`;
    const anchor = x1 > left + axis / 2 ? 'end' : 'start';
    parts.push(`<text x="${(anchor === 'end' ? x1 - 6 : x2 + 6).toFixed(1)}" y="${y + 4}" text-anchor="${anchor}">${e(label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

export function evidenceHtmlSection(report: EvidenceReport, shown = 50): string {
  const e = escapeHtml;
  const t = report.totals;
  const parts = ['<h2>Evidence: what the logs show</h2>',
    `<p class="meta">The logs from ${e(windowWords(report))}: ${plural(t.eventsInWindow, 'event')}, ${t.eventsCounted} by actors in the radius. Nodes: <b>${t.nodes.observed} observed</b>, ${t.nodes.contradicted} contradicted, ${t.nodes.possible} possible; edges: ${t.edges.observed} observed.</p>`];
  const timeline = evidenceTimelineSvg(report);
  if (timeline) parts.push('<h3>Timeline of the window</h3>', `<div class="path">${timeline}</div>`);
  if (report.nodes.length > 0) {
    parts.push('<table><tr><th>status</th><th>node</th><th class="num">events</th><th>first</th><th>last</th><th>from</th><th>actions</th></tr>');
    for (const n of report.nodes.slice(0, shown)) {
      parts.push(`<tr><td><b class="${n.status === 'observed' ? 'sev-high' : 'muted'}">${STATUS_WORD[n.status]}</b>${n.reason ? `<br><span class="muted">${e(REASON_WORDS[n.reason])}</span>` : ''}</td><td>${e(n.name)}<br><code>${e(n.id)}</code></td><td class="num">${n.count}</td><td>${e(minute(n.first))}</td><td>${e(minute(n.last))}</td><td>${n.ips.map(e).join('<br>') || '-'}</td><td>${n.actions.map(e).join(', ')}</td></tr>`);
    }
    parts.push('</table>');
  }
  if (report.actions.length > 0) parts.push('<h3>Actions in the window (persistence first)</h3><ul>', ...report.actions.slice(0, shown).map((a) => `<li>${a.category === 'persistence' ? '<b class="sev-high">persistence</b> ' : ''}${e(actionText(a))}</li>`), '</ul>');
  if (report.hints.length > 0) parts.push('<h3>Where to look first</h3><ul>', ...report.hints.slice(0, shown).map((h) => `<li>${e(h.name)}: ${e(HINT_WORDS[h.kind])} ${h.values.map(e).join(', ')} <span class="muted">(${plural(h.events, 'event')} from ${e(minute(h.first))})</span></li>`), '</ul>');
  if (report.unresolved.refs > 0) parts.push(`<p class="muted">${`${report.unresolved.refs} ${report.unresolved.refs === 1 ? 'actor or target' : 'actors or targets'}`} in the logs (${plural(report.unresolved.events, 'event')}) match no node of the graph, or several: not guessed.</p>`);
  return parts.join('\n');
}

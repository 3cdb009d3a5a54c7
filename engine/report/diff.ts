// Text, Markdown and HTML rendering of a graph diff: what a reviewer of "what changed since last week" reads
// first (scope expansion, new paths to crown jewels, score changes), then every added and removed object. Pure.
import type { EdgeView, GraphDiff, NodeChange, ScopeExpansion, ScoreChange } from '../analysis/diff.ts';
import type { Finding } from '../analysis/findings.ts';
import type { NodeRef } from '../analysis/radius.ts';
import { md } from './brief.ts';
import { escapeHtml, htmlDocument, levelCell, svgPath } from './html.ts';
import { levelLabel, pathText, plural, PLAIN, shortDate, type TextStyle } from './style.ts';

/** The approval a scope expansion stood on, in one phrase: re-approved, or approved once and not since. */
export function approvalNote(expansion: ScopeExpansion): string | undefined {
  const approval = expansion.approval;
  if (!approval) return undefined;
  const when = approval.approvedAt !== undefined ? ` on ${approval.approvedAt.slice(0, 10)}` : '';
  const who = approval.approvedBy !== undefined ? ` by ${approval.approver?.name ?? approval.approvedBy}` : '';
  const what = approval.on === 'holder' ? 'app approved' : 'approved';
  return approval.reapproved ? `${what} again${when}${who}` : `${what}${when}${who}; not approved again since`;
}

export interface DiffRenderOptions {
  style?: TextStyle;
  /** What the two graphs are called (their paths), for the headline. */
  oldLabel?: string;
  newLabel?: string;
  /** Entries listed per section before "... and N more" (default 25; Infinity for all). */
  limit?: number;
  /** The --fail-on terms that matched, to say why the command fails. */
  failedOn?: string[];
}

const round = (n: number): number => Math.round(n * 100) / 100;
const signed = (n: number): string => `${n > 0 ? '+' : ''}${round(n)}`;
const where = (ref: NodeRef): string => `${ref.kind} on ${ref.platform}`;
const scopesText = (scopes: readonly string[] | undefined): string => (scopes && scopes.length > 0 ? ` [${scopes.join(' ')}]` : '');
const edgeText = (edge: EdgeView): string => `${edge.from.name} -${edge.kind}${scopesText(edge.scopes)}-> ${edge.to.name}`;
const score = (value: number | null): string => (value === null ? '(absent)' : String(round(value)));

/** One line of counts: the headline a scheduled job's log shows. */
export function diffSummary(diff: GraphDiff): string {
  const pair = (added: number, removed: number, word: string, many?: string): string | undefined =>
    added + removed === 0 ? undefined : `${plural(added, word, many)} added${removed > 0 ? `, ${removed} removed` : ''}`;
  const parts = [
    pair(diff.apps.added.length, diff.apps.removed.length, 'app'),
    pair(diff.credentials.added.length, diff.credentials.removed.length, 'credential'),
    pair(diff.grants.added.length, diff.grants.removed.length, 'grant'),
    pair(diff.memberships.added.length, diff.memberships.removed.length, 'membership'),
    pair(diff.trusts.added.length, diff.trusts.removed.length, 'trust'),
    diff.scopeExpansions.length > 0 ? plural(diff.scopeExpansions.length, 'scope expansion') : undefined,
    diff.crownJewelPaths.length > 0 ? plural(diff.crownJewelPaths.length, 'new path to a crown jewel', 'new paths to crown jewels') : undefined,
    diff.scores.length > 0 ? plural(diff.scores.length, 'App score changed', 'App scores changed') : undefined,
    diff.findings.added.length + diff.findings.resolved.length > 0 ? `${plural(diff.findings.added.length, 'new finding')}, ${diff.findings.resolved.length} resolved` : undefined,
  ].filter((part): part is string => part !== undefined);
  const changes = diff.nodes.changed.length + diff.edges.changed.length;
  if (changes > 0) parts.push(`${plural(changes, 'object')} changed in place`);
  return parts.length === 0 ? 'No change.' : `${parts.join('; ')}.`;
}

function listed<T>(lines: string[], items: readonly T[], limit: number, line: (item: T) => string, s: TextStyle): void {
  for (const item of items.slice(0, limit)) lines.push(line(item));
  if (items.length > limit) lines.push(s.dim(`  ... and ${items.length - limit} more (--all, or --format json)`));
}

const headline = (options: DiffRenderOptions): string => `${options.oldLabel ?? 'old'} -> ${options.newLabel ?? 'new'}`;

export function renderDiffText(diff: GraphDiff, options: DiffRenderOptions = {}): string {
  const s = options.style ?? PLAIN;
  const limit = options.limit ?? 25;
  const lines: string[] = [];
  lines.push(s.bold(`DIFF: ${headline(options)}`));
  lines.push(`as of ${shortDate(diff.at)}; ${diff.old.nodes} -> ${diff.new.nodes} nodes, ${diff.old.edges} -> ${diff.new.edges} edges (derived edges aside)`);
  lines.push('', diffSummary(diff));

  if (diff.scopeExpansions.length > 0) {
    lines.push('', s.bold(s.red('SCOPE EXPANSION')));
    listed(lines, diff.scopeExpansions, limit, (expansion) => {
      const head = `  ${s.bold(expansion.grant?.name ?? expansion.subject)} ${s.dim(`(${expansion.grant ? where(expansion.grant) : 'edge'}; held by ${expansion.holder.name})`)}`;
      const parts = [head];
      if (expansion.scopesAdded.length > 0) parts.push(`      scopes + ${expansion.scopesAdded.join(' ')}${s.dim(`  (was: ${expansion.scopesBefore.join(' ') || 'none'})`)}`);
      for (const level of expansion.levels) parts.push(`      ${level.target.name}: ${level.before ? levelLabel(level.before, s).trim() : 'no direct access'} -> ${levelLabel(level.after, s).trim()}`);
      const approval = approvalNote(expansion);
      if (approval) parts.push(`      ${expansion.approval?.reapproved ? approval : s.yellow(approval)}`);
      return parts.join('\n');
    }, s);
  }
  if (diff.crownJewelPaths.length > 0) {
    lines.push('', s.bold(s.red('NEW PATHS TO CROWN JEWELS')));
    listed(lines, diff.crownJewelPaths, limit, (entry) =>
      `  ${levelLabel(entry.level, s)} ${s.bold(entry.crownJewel.name)} ${s.dim(`(${where(entry.crownJewel)})`)} from ${entry.app.name}${entry.appExisted ? '' : s.yellow(' (new app)')}\n        ${pathText(entry.path, s)}`, s);
  }
  if (diff.scores.length > 0) {
    lines.push('', s.bold('RADIUS SCORES (Apps whose score changed)'));
    listed(lines, diff.scores, limit, (entry: ScoreChange) => {
      const line = `  ${score(entry.before).padStart(8)} -> ${score(entry.after).padEnd(8)} ${signed(entry.delta).padStart(8)}  ${entry.app.name} ${s.dim(`(${where(entry.app)})`)}`;
      return entry.delta > 0 ? s.red(line) : s.green(line);
    }, s);
  }
  if (diff.findings.added.length + diff.findings.resolved.length > 0) {
    lines.push('', s.bold('FINDINGS'));
    const finding = (sign: string) => (f: Finding): string => `  ${sign} ${f.severity.toUpperCase().padEnd(8)} ${f.title}: ${s.bold(f.nodeName)} ${s.dim(`(${f.kind} on ${f.platform}; ${f.ruleId})`)}`;
    listed(lines, diff.findings.added, limit, finding(s.red('+')), s);
    listed(lines, diff.findings.resolved, limit, finding(s.green('-')), s);
  }
  const section = <T>(title: string, pair: { added: T[]; removed: T[] }, line: (item: T) => string): void => {
    if (pair.added.length + pair.removed.length === 0) return;
    lines.push('', s.bold(title));
    listed(lines, pair.added, limit, (item) => `  ${s.red('+')} ${line(item)}`, s);
    listed(lines, pair.removed, limit, (item) => `  ${s.green('-')} ${line(item)}`, s);
  };
  section('APPS', diff.apps, (app) => `${s.bold(app.name)} ${s.dim(`(${where(app)}${app.thirdParty ? ', third party' : ''}${app.vendor ? `, ${app.vendor}` : ''})`)}`);
  section('CREDENTIALS', diff.credentials, (credential) => `${s.bold(credential.name)} ${s.dim(`(${credential.type ?? 'credential'} on ${credential.platform})`)}`);
  section('GRANTS', diff.grants, edgeText);
  section('MEMBERSHIPS AND ROLES', diff.memberships, edgeText);
  section('TRUSTS', diff.trusts, edgeText);
  section('OTHER EDGES', diff.otherEdges, edgeText);
  section('OTHER NODES', diff.otherNodes, (ref) => `${ref.name} ${s.dim(`(${where(ref)})`)}`);
  if (diff.nodes.changed.length + diff.edges.changed.length > 0) {
    lines.push('', s.bold('CHANGED IN PLACE'));
    listed(lines, diff.nodes.changed, limit, (change: NodeChange) => `  ~ ${s.bold(change.node.name)} ${s.dim(`(${where(change.node)})`)}: ${fieldChanges(change)}`, s);
    listed(lines, diff.edges.changed, limit, (change) => `  ~ ${edgeText(change.edge)}: ${fieldChanges(change)}`, s);
  }
  if (options.failedOn && options.failedOn.length > 0) lines.push('', s.red(`--fail-on matched: ${options.failedOn.join(', ')}`));
  return `${lines.join('\n')}\n`;
}

/**
 * `revoked: (unset) -> true, scopes: +drive, properties.authorizations: 1 -> 2`: lists of words by what was added
 * and removed, objects (properties) by the keys that changed, long values clipped.
 */
export function fieldChanges(change: { fields: readonly string[]; before: object; after: object }): string {
  const show = (value: unknown): string => {
    if (value === undefined) return '(unset)';
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  };
  const isList = (value: unknown): value is unknown[] => Array.isArray(value);
  const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  const describe = (name: string, was: unknown, now: unknown): string[] => {
    if ((isList(was) || was === undefined) && (isList(now) || now === undefined) && (was !== undefined || now !== undefined)) {
      const before = new Set((was ?? []).map((item) => show(item)));
      const after = new Set((now ?? []).map((item) => show(item)));
      const added = [...after].filter((item) => !before.has(item)).map((item) => `+${item}`);
      const removed = [...before].filter((item) => !after.has(item)).map((item) => `-${item}`);
      if (added.length + removed.length > 0) return [`${name}: ${[...added, ...removed].join(' ')}`];
    }
    if ((isRecord(was) || was === undefined) && (isRecord(now) || now === undefined) && (was !== undefined || now !== undefined)) {
      const keys = [...new Set([...Object.keys(was ?? {}), ...Object.keys(now ?? {})])].sort();
      return keys.filter((key) => JSON.stringify(was?.[key]) !== JSON.stringify(now?.[key])).flatMap((key) => describe(`${name}.${key}`, was?.[key], now?.[key]));
    }
    return [`${name}: ${show(was)} -> ${show(now)}`];
  };
  const before = change.before as unknown as Record<string, unknown>;
  const after = change.after as unknown as Record<string, unknown>;
  return change.fields.flatMap((field) => describe(field, before[field], after[field])).join(', ');
}

export function renderDiffMarkdown(diff: GraphDiff, options: DiffRenderOptions = {}): string {
  const limit = options.limit ?? 100;
  const lines: string[] = [];
  lines.push(`# What changed: ${md(options.oldLabel ?? 'old')} → ${md(options.newLabel ?? 'new')}`, '');
  lines.push(`As of ${diff.at}. ${diff.old.nodes} → ${diff.new.nodes} nodes, ${diff.old.edges} → ${diff.new.edges} edges (derived edges aside).`, '');
  lines.push(md(diffSummary(diff)), '');
  const cap = <T>(items: readonly T[]): T[] => items.slice(0, limit);
  const more = (items: readonly unknown[]): void => { if (items.length > limit) lines.push(`\n… and ${items.length - limit} more (--format json).`); };
  if (diff.scopeExpansions.length > 0) {
    lines.push('## Scope expansion', '', '| grant | held by | scopes added | levels raised | approval |', '|---|---|---|---|---|');
    for (const e of cap(diff.scopeExpansions)) {
      lines.push(`| ${md(e.grant?.name ?? e.subject)} | ${md(e.holder.name)} | ${md(e.scopesAdded.join(' ') || '—')} | ${md(e.levels.map((l) => `${l.target.name}: ${l.before ?? 'none'} → ${l.after}`).join('; ') || '—')} | ${md(approvalNote(e) ?? '—')} |`);
    }
    more(diff.scopeExpansions);
    lines.push('');
  }
  if (diff.crownJewelPaths.length > 0) {
    lines.push('## New paths to crown jewels', '');
    for (const entry of cap(diff.crownJewelPaths)) {
      lines.push(`- **${md(entry.crownJewel.name)}** (${entry.level}) from ${md(entry.app.name)}${entry.appExisted ? '' : ' (new app)'}: ${md(pathText(entry.path))}`);
    }
    more(diff.crownJewelPaths);
    lines.push('');
  }
  if (diff.scores.length > 0) {
    lines.push('## Radius scores', '', '| app | platform | before | after | change |', '|---|---|---:|---:|---:|');
    for (const entry of cap(diff.scores)) lines.push(`| ${md(entry.app.name)} | ${md(entry.app.platform)} | ${score(entry.before)} | ${score(entry.after)} | ${signed(entry.delta)} |`);
    more(diff.scores);
    lines.push('');
  }
  if (diff.findings.added.length + diff.findings.resolved.length > 0) {
    lines.push('## Findings', '', '| | severity | finding | node | rule |', '|---|---|---|---|---|');
    for (const [sign, list] of [['new', diff.findings.added], ['resolved', diff.findings.resolved]] as const) {
      for (const f of cap(list)) lines.push(`| ${sign} | ${f.severity} | ${md(f.title)} | ${md(f.nodeName)} (${md(f.kind)} on ${md(f.platform)}) | \`${f.ruleId}\` |`);
    }
    lines.push('');
  }
  const section = <T>(title: string, pair: { added: T[]; removed: T[] }, cell: (item: T) => string): void => {
    if (pair.added.length + pair.removed.length === 0) return;
    lines.push(`## ${title}`, '');
    for (const item of cap(pair.added)) lines.push(`- added: ${cell(item)}`);
    for (const item of cap(pair.removed)) lines.push(`- removed: ${cell(item)}`);
    more(pair.added.length > pair.removed.length ? pair.added : pair.removed);
    lines.push('');
  };
  const edgeCell = (edge: EdgeView): string => md(edgeText(edge));
  section('Apps', diff.apps, (app) => `**${md(app.name)}** (${md(where(app))}${app.thirdParty ? ', third party' : ''})`);
  section('Credentials', diff.credentials, (c) => `**${md(c.name)}** (${md(c.type ?? 'credential')} on ${md(c.platform)})`);
  section('Grants', diff.grants, edgeCell);
  section('Memberships and roles', diff.memberships, edgeCell);
  section('Trusts', diff.trusts, edgeCell);
  section('Other edges', diff.otherEdges, edgeCell);
  section('Other nodes', diff.otherNodes, (ref) => `${md(ref.name)} (${md(where(ref))})`);
  if (diff.nodes.changed.length + diff.edges.changed.length > 0) {
    lines.push('## Changed in place', '');
    for (const change of cap(diff.nodes.changed)) lines.push(`- **${md(change.node.name)}** (${md(where(change.node))}): ${md(fieldChanges(change))}`);
    for (const change of cap(diff.edges.changed)) lines.push(`- ${edgeCell(change.edge)}: ${md(fieldChanges(change))}`);
    lines.push('');
  }
  if (options.failedOn && options.failedOn.length > 0) lines.push(`**--fail-on matched:** ${md(options.failedOn.join(', '))}`, '');
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

export function renderDiffHtml(diff: GraphDiff, options: DiffRenderOptions = {}): string {
  const out: string[] = [];
  out.push(`<h1>What changed: ${escapeHtml(options.oldLabel ?? 'old')} → ${escapeHtml(options.newLabel ?? 'new')}</h1>`);
  out.push(`<p class="meta">As of ${escapeHtml(shortDate(diff.at))}; ${diff.old.nodes} → ${diff.new.nodes} nodes, ${diff.old.edges} → ${diff.new.edges} edges (derived edges aside).</p>`);
  out.push('<div class="summary">');
  const card = (count: number, label: string, alarm = false): void => { out.push(`<div class="card"><b${alarm && count > 0 ? ' class="sev-high"' : ''}>${count}</b>${escapeHtml(label)}</div>`); };
  card(diff.scopeExpansions.length, 'scope expansions', true);
  card(diff.crownJewelPaths.length, 'new crown-jewel paths', true);
  card(diff.apps.added.length, 'apps added');
  card(diff.credentials.added.length, 'credentials added');
  card(diff.grants.added.length, 'grants added');
  card(diff.findings.added.length, 'new findings', true);
  card(diff.findings.resolved.length, 'resolved findings');
  out.push('</div>');
  if (options.failedOn && options.failedOn.length > 0) out.push(`<p class="sev-high">--fail-on matched: ${escapeHtml(options.failedOn.join(', '))}</p>`);
  if (diff.scopeExpansions.length > 0) {
    out.push('<h2>Scope expansion</h2><table><thead><tr><th>grant</th><th>held by</th><th>scopes added</th><th>levels raised</th><th>approval</th></tr></thead><tbody>');
    for (const e of diff.scopeExpansions) {
      out.push(`<tr><td>${escapeHtml(e.grant?.name ?? e.subject)}<br><code>${escapeHtml(e.subject)}</code></td><td>${escapeHtml(e.holder.name)}</td><td>${escapeHtml(e.scopesAdded.join(' ') || '—')}</td>` +
        `<td>${e.levels.map((l) => `${escapeHtml(l.target.name)}: ${l.before ? levelCell(l.before) : 'none'} → ${levelCell(l.after)}`).join('<br>') || '—'}</td><td>${escapeHtml(approvalNote(e) ?? '—')}</td></tr>`);
    }
    out.push('</tbody></table>');
  }
  if (diff.crownJewelPaths.length > 0) {
    out.push('<h2>New paths to crown jewels</h2>');
    for (const entry of diff.crownJewelPaths) {
      out.push(`<p>${levelCell(entry.level)} <b>${escapeHtml(entry.crownJewel.name)}</b> from ${escapeHtml(entry.app.name)}${entry.appExisted ? '' : ' <span class="tag">new app</span>'}</p>`);
      out.push(svgPath(entry.path));
    }
  }
  if (diff.scores.length > 0) {
    out.push('<h2>Radius scores</h2><table><thead><tr><th>app</th><th>platform</th><th class="num">before</th><th class="num">after</th><th class="num">change</th></tr></thead><tbody>');
    for (const entry of diff.scores) out.push(`<tr><td>${escapeHtml(entry.app.name)}</td><td>${escapeHtml(entry.app.platform)}</td><td class="num">${score(entry.before)}</td><td class="num">${score(entry.after)}</td><td class="num${entry.delta > 0 ? ' sev-high' : ''}">${signed(entry.delta)}</td></tr>`);
    out.push('</tbody></table>');
  }
  if (diff.findings.added.length + diff.findings.resolved.length > 0) {
    out.push('<h2>Findings</h2><table><thead><tr><th></th><th>severity</th><th>finding</th><th>node</th><th>evidence</th></tr></thead><tbody>');
    for (const [sign, list] of [['new', diff.findings.added], ['resolved', diff.findings.resolved]] as const) {
      for (const f of list) out.push(`<tr><td>${sign}</td><td class="sev-${escapeHtml(f.severity)}">${escapeHtml(f.severity)}</td><td>${escapeHtml(f.title)}<br><code>${escapeHtml(f.ruleId)}</code></td><td>${escapeHtml(f.nodeName)}<br><span class="muted">${escapeHtml(`${f.kind} on ${f.platform}`)}</span></td><td>${escapeHtml(f.evidence.summary)}</td></tr>`);
    }
    out.push('</tbody></table>');
  }
  const section = <T>(title: string, pair: { added: T[]; removed: T[] }, cell: (item: T) => string): void => {
    if (pair.added.length + pair.removed.length === 0) return;
    out.push(`<h2>${escapeHtml(title)}</h2><table><thead><tr><th></th><th>what</th></tr></thead><tbody>`);
    for (const item of pair.added) out.push(`<tr><td>added</td><td>${cell(item)}</td></tr>`);
    for (const item of pair.removed) out.push(`<tr><td>removed</td><td>${cell(item)}</td></tr>`);
    out.push('</tbody></table>');
  };
  const nodeCell = (ref: NodeRef): string => `${escapeHtml(ref.name)} <span class="muted">${escapeHtml(where(ref))}</span><br><code>${escapeHtml(ref.id)}</code>`;
  const edgeCell = (edge: EdgeView): string => `${escapeHtml(edgeText(edge))}<br><code>${escapeHtml(edge.edgeId)}</code>`;
  section('Apps', diff.apps, nodeCell);
  section('Credentials', diff.credentials, nodeCell);
  section('Grants', diff.grants, edgeCell);
  section('Memberships and roles', diff.memberships, edgeCell);
  section('Trusts', diff.trusts, edgeCell);
  section('Other edges', diff.otherEdges, edgeCell);
  section('Other nodes', diff.otherNodes, nodeCell);
  if (diff.nodes.changed.length + diff.edges.changed.length > 0) {
    out.push('<h2>Changed in place</h2><table><thead><tr><th>what</th><th>changes</th></tr></thead><tbody>');
    for (const change of diff.nodes.changed) out.push(`<tr><td>${nodeCell(change.node)}</td><td>${escapeHtml(fieldChanges(change))}</td></tr>`);
    for (const change of diff.edges.changed) out.push(`<tr><td>${edgeCell(change.edge)}</td><td>${escapeHtml(fieldChanges(change))}</td></tr>`);
    out.push('</tbody></table>');
  }
  return htmlDocument(`blastmap: what changed, ${headline(options)}`, out.join('\n'));
}

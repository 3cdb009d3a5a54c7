// The blast-radius brief: a note to an incident commander, readable at any size. Crown jewels first, grouped
// by platform with the bridges they hang under and the top few with their full chain, then everything else
// by platform (kinds, bridges, top entries), then dormant finds; "and N more" instead of a line per node.
import { renderEvidenceMarkdown, renderEvidenceText } from './evidence.ts';
import type { BlastRadius, DormantEntry, NodeRef, RadiusEntry } from '../analysis/radius.ts';
import { credentialChain, levelLabel, pathText, plural, PLAIN, shortDate, type TextStyle } from './style.ts';

export interface BriefOptions {
  style?: TextStyle;
  /** Every crown jewel and reached node, one entry each (`--all`); otherwise the top entries of each group. */
  all?: boolean;
  /** Reached nodes listed per platform before "... and N more" (default 12). */
  perPlatform?: number;
  /** Crown jewels listed with their path per platform before "... and N more" (default 3). */
  crownJewelsPerPlatform?: number;
}

/** Up to this many crown jewels in all are listed one by one even without --all: a small radius reads as before. */
export const ALL_CROWN_JEWELS_UP_TO = 10;

/** `2,174`: counts a reader takes in at a glance. */
export const count = (n: number): string => n.toLocaleString('en-US');

/** Entries grouped by a key, groups in first-seen order (entries keep their order inside a group). */
export function groupBy<T>(entries: readonly T[], key: (entry: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const entry of entries) {
    const k = key(entry);
    const group = groups.get(k);
    if (group) group.push(entry);
    else groups.set(k, [entry]);
  }
  return groups;
}

/** `Resource 300, Identity 12 and 3 more kinds`: the most common values first, names escaped by `escape`. */
export function topCounts(values: readonly string[], shown: number, noun: string, escape: (text: string) => string = (text) => text, separator = ' '): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return topOfCounts(counts, shown, noun, escape, separator);
}

/** topCounts over values already counted. */
function topOfCounts(counts: ReadonlyMap<string, number>, shown: number, noun: string, escape: (text: string) => string = (text) => text, separator = ' '): string {
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const head = sorted.slice(0, shown).map(([value, n]) => `${escape(value)}${separator}${count(n)}`).join(', ');
  return sorted.length > shown ? `${head} and ${count(sorted.length - shown)} more ${sorted.length - shown === 1 ? noun : `${noun}s`}` : head;
}

/** The bridges (nodes on another platform the witness paths enter from) of these entries, most used first; '' when none. */
function bridgesText(entries: readonly RadiusEntry[], escape?: (text: string) => string): string {
  // Entries share their bridge's NodeRef (describeRadius): count those, then name each once.
  const byRef = new Map<NodeRef, number>();
  for (const entry of entries) if (entry.enteredFrom) byRef.set(entry.enteredFrom, (byRef.get(entry.enteredFrom) ?? 0) + 1);
  if (byRef.size === 0) return '';
  const counts = new Map<string, number>();
  for (const [bridge, n] of byRef) {
    const label = `${bridge.name} (${bridge.platform})`;
    counts.set(label, (counts.get(label) ?? 0) + n);
  }
  return topOfCounts(counts, 3, 'bridge', escape, ' for ');
}

export function levelCounts(entries: readonly RadiusEntry[]): string {
  const n = { admin: 0, write: 0, read: 0 };
  for (const entry of entries) n[entry.level]++;
  return `${count(n.admin)} admin, ${count(n.write)} write, ${count(n.read)} read`;
}

/** Crown jewels by platform, in the radius's order of importance: the platform of the most valuable one first. */
function crownJewelGroups(radius: BlastRadius): [string, RadiusEntry[]][] {
  return [...groupBy(radius.crownJewels, (entry) => entry.platform)];
}

function sourcesLine(radius: BlastRadius): string {
  return radius.sources.map((s) => `${s.name} (${s.kind} on ${s.platform})`).join(', ') || '(no usable source)';
}

/** `unenforced: ip-allowlist, mfa`: the controls the entry's witness path passes through (names are escaped by the caller). */
const controlsNote = (controls: readonly string[]): string => (controls.length > 0 ? `unenforced: ${controls.join(', ')}` : '');

function chainNote(entry: RadiusEntry | DormantEntry): string {
  const chain = credentialChain(entry.path.filter((step) => step.to.id !== entry.id));
  return chain.length > 0 ? `via ${chain.join(' -> ')}` : entry.path.length > 0 ? `via ${entry.path[entry.path.length - 1]!.kind}` : '';
}

export function renderRadiusText(radius: BlastRadius, options: BriefOptions = {}): string {
  const s = options.style ?? PLAIN;
  const limit = options.all === true ? Infinity : options.perPlatform ?? 12;
  const lines: string[] = [];
  lines.push(s.bold(`BLAST RADIUS: ${sourcesLine(radius)}`));
  lines.push(`as of ${shortDate(radius.at)}${radius.maxDepth !== null ? `, at most ${plural(radius.maxDepth, 'hop')}` : ''}`);
  lines.push('');
  if (radius.reachedCount === 0) {
    lines.push(radius.sources.length === 0
      ? 'The source cannot be used at this instant (revoked, expired or disabled): nothing is reachable through it.'
      : 'Nothing beyond the source itself is reachable.');
  } else {
    const platformCount = radius.platforms.length;
    lines.push(`An attacker holding this reaches ${s.bold(plural(radius.reachedCount, 'node'))} on ${plural(platformCount, 'platform')}` +
      `${radius.crownJewels.length > 0 ? `, including ${s.red(s.bold(plural(radius.crownJewels.length, 'crown jewel')))}` : ''}.`);
    lines.push(`Score ${s.bold(String(round(radius.score)))} (data ${round(radius.scoreParts.data)} + ${round(radius.scoreParts.principals)} for controlled principals and credentials; see docs/scoring.md).`);
  }

  if (radius.crownJewels.length > 0) {
    const groups = crownJewelGroups(radius);
    const listAll = options.all === true || radius.crownJewels.length <= ALL_CROWN_JEWELS_UP_TO;
    const perGroup = listAll ? Infinity : options.crownJewelsPerPlatform ?? 3;
    lines.push('', s.bold(`CROWN JEWELS REACHED: ${count(radius.crownJewels.length)} on ${plural(groups.length, 'platform')} (${levelCounts(radius.crownJewels)})`));
    for (const [platform, entries] of groups) {
      const tenants = [...new Set(entries.map((entry) => entry.tenant))];
      const grouped = entries.length > perGroup;
      lines.push(`  ${s.bold(platform)} ${s.dim(`(${tenants.join(', ')})`)}: ${count(entries.length)} ${entries.length === 1 ? 'crown jewel' : 'crown jewels'}, ${levelCounts(entries)}` +
        `${grouped ? `; ${topCounts(entries.map((entry) => entry.kind), 4, 'kind')}` : ''}`);
      const bridges = grouped ? bridgesText(entries) : '';
      if (bridges) lines.push(`    ${s.dim('entered from:')} ${bridges}`);
      for (const entry of entries.slice(0, perGroup)) {
        const path = entry.path;
        lines.push(`    ${levelLabel(entry.level, s)} ${s.bold(entry.name)}  ${s.dim(`${entry.kind} on ${entry.platform} (${entry.tenant}), ${plural(entry.hops, 'hop')}`)}`);
        lines.push(`          ${pathText(path, s)}`);
        const chain = credentialChain(path);
        if (chain.length > 0) lines.push(`          ${s.dim('credentials on this path:')} ${chain.join(' -> ')}`);
        if (entry.controls.length > 0) lines.push(`          ${s.dim('unenforced controls on this path:')} ${s.yellow(entry.controls.join(', '))}`);
      }
      if (entries.length > perGroup) lines.push(s.dim(`    ... and ${count(entries.length - perGroup)} more crown jewels on ${platform} (--all, or --format json)`));
    }
  }

  if (radius.platforms.length > 0) {
    lines.push('', s.bold('BY PLATFORM'));
    const byPlatform = groupBy(radius.reached, (entry) => entry.platform);
    for (const platform of radius.platforms) {
      const all = byPlatform.get(platform.platform) ?? [];
      const entries = all.filter((entry) => !entry.crownJewel);
      lines.push(`  ${s.bold(platform.platform)} ${s.dim(`(${platform.tenants.join(', ')})`)}: ${plural(platform.reached, 'node')}, ` +
        `${platform.admin} admin, ${platform.write} write, ${platform.read} read, score ${round(platform.score)}`);
      if (all.length > limit) {
        lines.push(`    ${s.dim('kinds:')} ${topCounts(all.map((entry) => entry.kind), 5, 'kind')}`);
        const bridges = bridgesText(all);
        if (bridges) lines.push(`    ${s.dim('entered from:')} ${bridges}`);
      }
      for (const entry of entries.slice(0, limit)) {
        const controls = controlsNote(entry.controls);
        lines.push(`    ${levelLabel(entry.level, s)} ${entry.name} ${s.dim(`(${entry.kind}, ${plural(entry.hops, 'hop')})`)} ${s.dim(chainNote(entry))}${controls ? ` ${s.yellow(`[${controls}]`)}` : ''}`);
        if (entry.liveThrough) lines.push(`        ${s.dim('expired, but live through its refresh token')} ${entry.liveThrough.name} ${s.dim('(MINTS): revoke that one')}`);
      }
      if (entries.length > limit) lines.push(s.dim(`    ... and ${count(entries.length - limit)} more (--all, or --format json)`));
    }
  }

  if (radius.controls.length > 0) {
    lines.push('', s.bold('UNENFORCED CONTROLS: the radius above assumes they do not hold'));
    for (const summary of radius.controls) {
      lines.push(`  ${s.yellow(summary.control)} on the path to ${plural(summary.reached, 'node')}` +
        `${summary.crownJewels > 0 ? ` (${plural(summary.crownJewels, 'crown jewel')})` : ''}; if it is enforced: --enforce ${summary.control}`);
    }
  }

  if (radius.dormant.length > 0) {
    lines.push('', s.bold('DORMANT: found by the attacker but not usable at this instant'));
    for (const entry of radius.dormant.slice(0, limit)) {
      lines.push(`  ${entry.why.padEnd(13)} ${entry.name} ${s.dim(`(${entry.kind} on ${entry.platform}, ${plural(entry.hops, 'hop')}) ${chainNote(entry)}`)}`);
    }
    if (radius.dormant.length > limit) lines.push(s.dim(`  ... and ${count(radius.dormant.length - limit)} more`));
    if (radius.dormant.some((entry) => entry.why === 'expired')) {
      lines.push(s.dim('  Expired credentials are only as dead as the platform enforces: confirm they are rejected, then delete them.'));
    }
  }
  if (radius.evidence) lines.push('', ...renderEvidenceText(radius.evidence, { style: s }));
  return `${lines.join('\n')}\n`;
}

const round = (n: number): number => Math.round(n * 100) / 100;

/** Escapes text from the graph (attacker-controlled) so it renders literally in markdown. */
export const md = (text: string): string => inertLinks(text.replace(/[\\`*_{}[\]<>|#~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' '));

const ZERO_WIDTH_SPACE = '\u200B';

/**
 * GitHub links some plain text by itself, escaped or not: URLs (`https://…`, `www.…`), e-mail addresses, `@user` and
 * `@org/team` mentions (which notify), `#123` references. A zero-width space after the character that starts each
 * pattern breaks it while the text reads the same. Used by the markdown and SARIF outputs on every name they quote.
 */
export function inertLinks(text: string): string {
  return text
    .replace(/@(?=[A-Za-z0-9])/g, `@${ZERO_WIDTH_SPACE}`)
    .replace(/:(?=\/\/)/g, `:${ZERO_WIDTH_SPACE}`)
    .replace(/\b(www|mailto|xmpp)([.:])/gi, `$1${ZERO_WIDTH_SPACE}$2`)
    .replace(/#(?=\d)/g, `#${ZERO_WIDTH_SPACE}`);
}

/** Rows of the markdown "Reached" and "Dormant" tables without --all. */
const MARKDOWN_ROWS = 50;

export function renderRadiusMarkdown(radius: BlastRadius, options: { all?: boolean; perPlatform?: number } = {}): string {
  const rows = options.all === true ? Infinity : options.perPlatform ?? MARKDOWN_ROWS;
  const lines: string[] = [];
  lines.push(`# Blast radius: ${md(sourcesLine(radius))}`, '');
  lines.push(`As of ${radius.at}. Reached **${radius.reachedCount}** nodes on **${radius.platforms.length}** platforms; ` +
    `**${radius.crownJewels.length}** crown jewels. Score **${round(radius.score)}** (data ${round(radius.scoreParts.data)}, principals ${round(radius.scoreParts.principals)}).`, '');
  if (radius.crownJewels.length > 0) {
    const listAll = options.all === true || radius.crownJewels.length <= ALL_CROWN_JEWELS_UP_TO;
    const perGroup = listAll ? Infinity : 3;
    lines.push('## Crown jewels reached', '');
    for (const [platform, entries] of crownJewelGroups(radius)) {
      if (!listAll) {
        const bridges = bridgesText(entries, md);
        lines.push(`### ${md(platform)}: ${count(entries.length)} crown jewels (${levelCounts(entries)})`, '');
        lines.push(`Kinds: ${topCounts(entries.map((entry) => entry.kind), 4, 'kind', md)}.${bridges ? ` Entered from: ${bridges}.` : ''}`, '');
      }
      for (const entry of entries.slice(0, perGroup)) {
        lines.push(`- **${md(entry.name)}** (${md(entry.kind)} on ${md(entry.platform)}): **${entry.level}** in ${plural(entry.hops, 'hop')}`);
        lines.push(`  - path: ${entry.path.map((step, i) => `${i === 0 ? `${md(step.from.name)} ` : ''}→ \`${step.kind}\` → ${md(step.to.name)}`).join(' ')}`);
        if (entry.controls.length > 0) lines.push(`  - unenforced controls on this path: ${md(entry.controls.join(', '))}`);
      }
      if (entries.length > perGroup) lines.push(`- … and ${count(entries.length - perGroup)} more (\`--all\`, or \`--format json\`)`);
      lines.push('');
    }
  }
  lines.push('## By platform', '');
  lines.push('| platform | tenants | reached | admin | write | read | score |', '|---|---|---:|---:|---:|---:|---:|');
  for (const p of radius.platforms) lines.push(`| ${md(p.platform)} | ${md(p.tenants.join(', '))} | ${p.reached} | ${p.admin} | ${p.write} | ${p.read} | ${round(p.score)} |`);
  lines.push('', '## Reached', '', '| level | node | kind | platform | hops | credentials on the path | unenforced controls |', '|---|---|---|---|---:|---|---|');
  for (const entry of radius.reached.slice(0, rows)) {
    lines.push(`| ${entry.level} | ${md(entry.name)} | ${entry.kind} | ${md(entry.platform)} | ${entry.hops} | ${md(credentialChain(entry.path).join(' → '))} | ${md(entry.controls.join(', '))} |`);
  }
  if (radius.reached.length > rows) lines.push('', `… and ${count(radius.reached.length - rows)} more reached nodes (\`--all\`, or \`--format json\`).`);
  if (radius.controls.length > 0) {
    lines.push('', '## Unenforced controls', '', 'The radius assumes these controls do not hold; each is on the witness path to these nodes.', '', '| control | nodes | crown jewels |', '|---|---:|---:|');
    for (const summary of radius.controls) lines.push(`| ${md(summary.control)} | ${summary.reached} | ${summary.crownJewels} |`);
  }
  if (radius.dormant.length > 0) {
    lines.push('', '## Dormant (reached but unusable at this instant)', '', '| why | node | kind | platform | hops |', '|---|---|---|---|---:|');
    for (const entry of radius.dormant.slice(0, rows)) lines.push(`| ${entry.why} | ${md(entry.name)} | ${entry.kind} | ${md(entry.platform)} | ${entry.hops} |`);
    if (radius.dormant.length > rows) lines.push('', `… and ${count(radius.dormant.length - rows)} more dormant nodes (\`--all\`, or \`--format json\`).`);
  }
  if (radius.evidence) lines.push('', ...renderEvidenceMarkdown(radius.evidence));
  return `${lines.join('\n')}\n`;
}

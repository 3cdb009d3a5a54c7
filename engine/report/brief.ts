// The blast-radius brief: a note to an incident commander. Crown jewels first with the full chain, then
// everything else by platform with its level and the credentials that lead there, then dormant finds.
import type { BlastRadius, DormantEntry, RadiusEntry } from '../analysis/radius.ts';
import { credentialChain, levelLabel, pathText, plural, PLAIN, shortDate, type TextStyle } from './style.ts';

export interface BriefOptions {
  style?: TextStyle;
  /** Entries listed per platform before "... and N more" (default 12; Infinity for all). */
  perPlatform?: number;
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
  const limit = options.perPlatform ?? 12;
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
    lines.push('', s.bold('CROWN JEWELS REACHED'));
    for (const entry of radius.crownJewels) {
      lines.push(`  ${levelLabel(entry.level, s)} ${s.bold(entry.name)}  ${s.dim(`${entry.kind} on ${entry.platform} (${entry.tenant}), ${plural(entry.hops, 'hop')}`)}`);
      lines.push(`        ${pathText(entry.path, s)}`);
      const chain = credentialChain(entry.path);
      if (chain.length > 0) lines.push(`        ${s.dim('credentials on this path:')} ${chain.join(' -> ')}`);
      if (entry.controls.length > 0) lines.push(`        ${s.dim('unenforced controls on this path:')} ${s.yellow(entry.controls.join(', '))}`);
    }
  }

  if (radius.platforms.length > 0) {
    lines.push('', s.bold('BY PLATFORM'));
    for (const platform of radius.platforms) {
      const entries = radius.reached.filter((e) => e.platform === platform.platform && !e.crownJewel);
      lines.push(`  ${s.bold(platform.platform)} ${s.dim(`(${platform.tenants.join(', ')})`)}: ${plural(platform.reached, 'node')}, ` +
        `${platform.admin} admin, ${platform.write} write, ${platform.read} read, score ${round(platform.score)}`);
      for (const entry of entries.slice(0, limit)) {
        const controls = controlsNote(entry.controls);
        lines.push(`    ${levelLabel(entry.level, s)} ${entry.name} ${s.dim(`(${entry.kind}, ${plural(entry.hops, 'hop')})`)} ${s.dim(chainNote(entry))}${controls ? ` ${s.yellow(`[${controls}]`)}` : ''}`);
        if (entry.liveThrough) lines.push(`        ${s.dim('expired, but live through its refresh token')} ${entry.liveThrough.name} ${s.dim('(MINTS): revoke that one')}`);
      }
      if (entries.length > limit) lines.push(s.dim(`    ... and ${entries.length - limit} more (--all, or --format json)`));
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
    if (radius.dormant.length > limit) lines.push(s.dim(`  ... and ${radius.dormant.length - limit} more`));
    if (radius.dormant.some((entry) => entry.why === 'expired')) {
      lines.push(s.dim('  Expired credentials are only as dead as the platform enforces: confirm they are rejected, then delete them.'));
    }
  }
  return `${lines.join('\n')}\n`;
}

const round = (n: number): number => Math.round(n * 100) / 100;

/** Escapes text from the graph (attacker-controlled) so it renders literally in markdown. */
export const md = (text: string): string => text.replace(/[\\`*_{}[\]<>|#~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');

export function renderRadiusMarkdown(radius: BlastRadius, options: { perPlatform?: number } = {}): string {
  const limit = options.perPlatform ?? Infinity;
  const lines: string[] = [];
  lines.push(`# Blast radius: ${md(sourcesLine(radius))}`, '');
  lines.push(`As of ${radius.at}. Reached **${radius.reachedCount}** nodes on **${radius.platforms.length}** platforms; ` +
    `**${radius.crownJewels.length}** crown jewels. Score **${round(radius.score)}** (data ${round(radius.scoreParts.data)}, principals ${round(radius.scoreParts.principals)}).`, '');
  if (radius.crownJewels.length > 0) {
    lines.push('## Crown jewels reached', '');
    for (const entry of radius.crownJewels) {
      lines.push(`- **${md(entry.name)}** (${md(entry.kind)} on ${md(entry.platform)}): **${entry.level}** in ${plural(entry.hops, 'hop')}`);
      lines.push(`  - path: ${entry.path.map((step, i) => `${i === 0 ? `${md(step.from.name)} ` : ''}→ \`${step.kind}\` → ${md(step.to.name)}`).join(' ')}`);
      if (entry.controls.length > 0) lines.push(`  - unenforced controls on this path: ${md(entry.controls.join(', '))}`);
    }
    lines.push('');
  }
  lines.push('## By platform', '');
  lines.push('| platform | tenants | reached | admin | write | read | score |', '|---|---|---:|---:|---:|---:|---:|');
  for (const p of radius.platforms) lines.push(`| ${md(p.platform)} | ${md(p.tenants.join(', '))} | ${p.reached} | ${p.admin} | ${p.write} | ${p.read} | ${round(p.score)} |`);
  lines.push('', '## Reached', '', '| level | node | kind | platform | hops | credentials on the path | unenforced controls |', '|---|---|---|---|---:|---|---|');
  for (const entry of radius.reached.slice(0, limit)) {
    lines.push(`| ${entry.level} | ${md(entry.name)} | ${entry.kind} | ${md(entry.platform)} | ${entry.hops} | ${md(credentialChain(entry.path).join(' → '))} | ${md(entry.controls.join(', '))} |`);
  }
  if (radius.controls.length > 0) {
    lines.push('', '## Unenforced controls', '', 'The radius assumes these controls do not hold; each is on the witness path to these nodes.', '', '| control | nodes | crown jewels |', '|---|---:|---:|');
    for (const summary of radius.controls) lines.push(`| ${md(summary.control)} | ${summary.reached} | ${summary.crownJewels} |`);
  }
  if (radius.dormant.length > 0) {
    lines.push('', '## Dormant (reached but unusable at this instant)', '', '| why | node | kind | platform | hops |', '|---|---|---|---|---:|');
    for (const entry of radius.dormant) lines.push(`| ${entry.why} | ${md(entry.name)} | ${entry.kind} | ${md(entry.platform)} | ${entry.hops} |`);
  }
  return `${lines.join('\n')}\n`;
}

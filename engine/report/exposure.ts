// Text and markdown rendering of an exposure result: every source that reaches a target, at which level,
// and the best path for each. Pure.
import type { Exposure } from '../analysis/exposure.ts';
import { md } from './brief.ts';
import { credentialChain, levelLabel, pathText, plural, PLAIN, shortDate, type TextStyle } from './style.ts';

export interface ExposureRenderOptions {
  style?: TextStyle;
}

const targetText = (exposure: Exposure): string =>
  `${exposure.target.name} (${exposure.target.kind} on ${exposure.target.platform}${exposure.target.crownJewel ? ', crown jewel' : ''})`;

function countsLine(exposure: Exposure): string {
  const { byLevel } = exposure;
  return `${plural(exposure.exposedCount, 'source')} of ${exposure.candidateCount} candidate ${exposure.kinds.join('/')} ` +
    `node${exposure.candidateCount === 1 ? '' : 's'} reach it: ${byLevel.admin} admin, ${byLevel.write} write, ${byLevel.read} read.`;
}

export function renderExposureText(exposure: Exposure, options: ExposureRenderOptions = {}): string {
  const s = options.style ?? PLAIN;
  const lines: string[] = [];
  lines.push(s.bold(`EXPOSURE: ${targetText(exposure)}`));
  lines.push(`as of ${shortDate(exposure.at)}${exposure.maxDepth !== null ? `, at most ${plural(exposure.maxDepth, 'hop')}` : ''}; sources considered: ${exposure.kinds.join(', ')}`);
  lines.push('');
  if (!exposure.targetUsable) {
    lines.push('The target cannot be used at this instant (revoked, expired, disabled or mitigated): nothing reaches it.');
    return `${lines.join('\n')}\n`;
  }
  lines.push(exposure.exposedCount === 0 ? `No ${exposure.kinds.join(' or ')} node reaches it.` : countsLine(exposure));
  for (const entry of exposure.exposed) {
    lines.push('');
    lines.push(`  ${levelLabel(entry.level, s)} ${s.bold(entry.name)}  ${s.dim(`${entry.kind} on ${entry.platform} (${entry.tenant}), ${plural(entry.hops, 'hop')}`)}`);
    lines.push(`        ${pathText(entry.path, s)}`);
    const chain = credentialChain(entry.path);
    if (chain.length > 0) lines.push(`        ${s.dim('credentials on this path:')} ${chain.join(' -> ')}`);
  }
  if (exposure.exposed.length < exposure.exposedCount) {
    lines.push('', s.dim(`... and ${exposure.exposedCount - exposure.exposed.length} more (raise --top, or --format json)`));
  }
  return `${lines.join('\n')}\n`;
}

export function renderExposureMarkdown(exposure: Exposure): string {
  const lines: string[] = [];
  lines.push(`# Exposure: ${md(targetText(exposure))}`, '');
  lines.push(`As of ${exposure.at}. Sources considered: ${exposure.kinds.map(md).join(', ')}.`, '');
  if (!exposure.targetUsable) {
    lines.push('The target cannot be used at this instant (revoked, expired, disabled or mitigated): nothing reaches it.');
    return `${lines.join('\n')}\n`;
  }
  lines.push(exposure.exposedCount === 0 ? `No ${exposure.kinds.map(md).join(' or ')} node reaches it.` : md(countsLine(exposure)), '');
  if (exposure.exposed.length > 0) {
    lines.push('| level | source | kind | platform | hops | path |', '|---|---|---|---|---:|---|');
    for (const entry of exposure.exposed) {
      const path = entry.path.map((step, i) => `${i === 0 ? `${md(step.from.name)} ` : ''}→ \`${step.kind}\` → ${md(step.to.name)}`).join(' ');
      lines.push(`| ${entry.level} | ${md(entry.name)} | ${md(entry.kind)} | ${md(entry.platform)} | ${entry.hops} | ${path} |`);
    }
  }
  if (exposure.exposed.length < exposure.exposedCount) lines.push('', `… and ${exposure.exposedCount - exposure.exposed.length} more.`);
  return `${lines.join('\n')}\n`;
}

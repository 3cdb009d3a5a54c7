// Text and markdown rendering of a what-if result: the mitigations, the score before and after, and what
// the attacker loses (crown jewels cut off, nodes no longer reached, levels lowered). Pure.
import type { WhatIfRemoved, WhatIfResult } from '../analysis/whatif.ts';
import { md } from './brief.ts';
import { levelLabel, plural, PLAIN, shortDate, type TextStyle } from './style.ts';
import { jsonOutChunks, type JsonOut } from './json-out.ts';
import { witnessParts, WitnessTableBuilder } from './witness.ts';

export interface WhatIfRenderOptions {
  style?: TextStyle;
  /** Entries listed per section before "... and N more" (default 20; Infinity for all). */
  limit?: number;
}

const round = (n: number): number => Math.round(n * 100) / 100;

function percent(before: number, after: number): string {
  if (before === 0) return '';
  return `, ${round(((after - before) / before) * 100)}%`;
}

/** `Score 412 -> 96 (-316, -76.7%)`. */
export function scoreLine(result: WhatIfResult): string {
  const delta = round(result.scoreDelta);
  return `Score ${round(result.scoreBefore)} -> ${round(result.scoreAfter)} (${delta > 0 ? '+' : ''}${delta}${percent(result.scoreBefore, result.scoreAfter)})`;
}

const sourcesText = (result: WhatIfResult): string =>
  result.sources.map((s) => `${s.name} (${s.kind} on ${s.platform})`).join(', ') || '(no source)';

export function renderWhatIfText(result: WhatIfResult, options: WhatIfRenderOptions = {}): string {
  const s = options.style ?? PLAIN;
  const limit = options.limit ?? 20;
  const lines: string[] = [];
  lines.push(s.bold(`WHAT-IF: ${sourcesText(result)}`));
  lines.push(`as of ${shortDate(result.at)}${result.maxDepth !== null ? `, at most ${plural(result.maxDepth, 'hop')}` : ''}`);
  lines.push('', s.bold('MITIGATIONS'));
  if (result.mitigations.length === 0) lines.push('  (none)');
  result.mitigations.forEach((m, i) => {
    const effect = m.action === 'removeScope' ? s.dim(` (${plural(m.edges.length, 'edge')} dropped, ${plural(m.narrowed?.length ?? 0, 'edge')} narrowed)`) : '';
    lines.push(`  ${i + 1}. ${m.description}${effect}`);
  });
  const sourceIds = new Set(result.sources.map((source) => source.id));
  if (result.mitigations.some((m) => m.nodes.some((node) => sourceIds.has(node.id)))) {
    lines.push(s.dim('  A source itself is revoked or disabled: nothing is reachable through it.'));
  }

  lines.push('');
  lines.push(`${s.bold(scoreLine(result))}. Reached ${result.before.reachedCount} -> ${result.after.reachedCount} nodes; ` +
    `crown jewels ${result.before.crownJewels.length} -> ${result.after.crownJewels.length}.`);
  if (result.removed.length === 0 && result.lowered.length === 0) {
    lines.push(s.yellow('These mitigations do not change what the attacker reaches: every node is still reached at the same level.'));
  }

  if (result.crownJewelsCut.length > 0) {
    lines.push('', s.bold(s.green(`CROWN JEWELS CUT OFF (${result.crownJewelsCut.length})`)));
    for (const entry of result.crownJewelsCut.slice(0, limit)) lines.push(`  ${levelLabel(entry.levelBefore, s)} ${s.bold(entry.name)} ${s.dim(`(${entry.kind} on ${entry.platform})`)}`);
    if (result.crownJewelsCut.length > limit) lines.push(s.dim(`  ... ${moreByPlatform(result.crownJewelsCut.slice(limit))} (--all or --format json)`));
  }
  if (result.after.crownJewels.length > 0) {
    lines.push('', s.bold(s.red(`CROWN JEWELS STILL REACHED (${result.after.crownJewels.length})`)));
    for (const entry of result.after.crownJewels.slice(0, limit)) lines.push(`  ${levelLabel(entry.level, s)} ${s.bold(entry.name)} ${s.dim(`(${entry.kind} on ${entry.platform})`)}`);
    if (result.after.crownJewels.length > limit) lines.push(s.dim(`  ... ${moreByPlatform(result.after.crownJewels.slice(limit))} (--all or --format json)`));
  }
  if (result.removed.length > 0) {
    lines.push('', s.bold(`NO LONGER REACHED (${result.removed.length})`));
    for (const entry of result.removed.slice(0, limit)) {
      lines.push(`  ${levelLabel(entry.levelBefore, s)} ${entry.name} ${s.dim(`(${entry.kind} on ${entry.platform}, -${round(entry.pointsBefore)})`)}`);
    }
    if (result.removed.length > limit) lines.push(s.dim(`  ... ${moreByPlatform(result.removed.slice(limit))} (--all or --format json)`));
  }
  if (result.lowered.length > 0) {
    lines.push('', s.bold(`LEVELS LOWERED (${result.lowered.length})`));
    for (const entry of result.lowered.slice(0, limit)) {
      lines.push(`  ${entry.levelBefore} -> ${entry.levelAfter.padEnd(5)} ${entry.name} ${s.dim(`(${entry.kind} on ${entry.platform}, -${round(entry.pointsBefore - entry.pointsAfter)})`)}`);
    }
    if (result.lowered.length > limit) lines.push(s.dim(`  ... ${moreByPlatform(result.lowered.slice(limit))} (--all or --format json)`));
  }
  if (result.unchangedCount > 0) lines.push('', s.dim(`${plural(result.unchangedCount, 'node')} still reached at the same level.`));
  return `${lines.join('\n')}\n`;
}

/** "and 2,164 more: 1,900 on aws, 264 on slack": what a cut-off list leaves out, by platform. */
function moreByPlatform(rest: readonly { platform: string }[]): string {
  const counts = new Map<string, number>();
  for (const entry of rest) counts.set(entry.platform, (counts.get(entry.platform) ?? 0) + 1);
  const parts = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([platform, n]) => `${n.toLocaleString('en-US')} on ${platform}`);
  return `and ${rest.length.toLocaleString('en-US')} more: ${parts.slice(0, 6).join(', ')}${parts.length > 6 ? `, ${parts.length - 6} other platforms` : ''}`;
}

/** Markdown lists at most `limit` nodes per section (default 50), then what the rest are by platform. */
export function renderWhatIfMarkdown(result: WhatIfResult, options: { limit?: number } = {}): string {
  const limit = options.limit ?? 50;
  const lines: string[] = [];
  lines.push(`# What-if: ${md(sourcesText(result))}`, '');
  lines.push(`As of ${result.at}. **${scoreLine(result)}**; reached ${result.before.reachedCount} → ${result.after.reachedCount} nodes; ` +
    `crown jewels ${result.before.crownJewels.length} → ${result.after.crownJewels.length}.`, '');
  lines.push('## Mitigations', '');
  if (result.mitigations.length === 0) lines.push('(none)');
  result.mitigations.forEach((m, i) => {
    const effect = m.action === 'removeScope' ? ` (${plural(m.edges.length, 'edge')} dropped, ${plural(m.narrowed?.length ?? 0, 'edge')} narrowed)` : '';
    lines.push(`${i + 1}. ${md(m.description)}${effect}`);
  });
  if (result.crownJewelsCut.length > 0) {
    lines.push('', '## Crown jewels cut off', '');
    for (const entry of result.crownJewelsCut.slice(0, limit)) lines.push(`- **${md(entry.name)}** (${md(entry.kind)} on ${md(entry.platform)}), was ${entry.levelBefore}`);
    if (result.crownJewelsCut.length > limit) lines.push(`- ${moreByPlatform(result.crownJewelsCut.slice(limit))}`);
  }
  if (result.after.crownJewels.length > 0) {
    lines.push('', '## Crown jewels still reached', '');
    for (const entry of result.after.crownJewels.slice(0, limit)) lines.push(`- **${md(entry.name)}** (${md(entry.kind)} on ${md(entry.platform)}): ${entry.level}`);
    if (result.after.crownJewels.length > limit) lines.push(`- ${moreByPlatform(result.after.crownJewels.slice(limit))}`);
  }
  if (result.removed.length > 0) {
    lines.push('', '## No longer reached', '', '| level before | node | kind | platform | points |', '|---|---|---|---|---:|');
    for (const entry of result.removed.slice(0, limit)) lines.push(`| ${entry.levelBefore} | ${md(entry.name)} | ${md(entry.kind)} | ${md(entry.platform)} | -${round(entry.pointsBefore)} |`);
    if (result.removed.length > limit) lines.push('', `${moreByPlatform(result.removed.slice(limit))} (\`--format json\` lists every node).`);
  }
  if (result.lowered.length > 0) {
    lines.push('', '## Levels lowered', '', '| before | after | node | kind | platform | points |', '|---|---|---|---|---|---:|');
    for (const entry of result.lowered.slice(0, limit)) {
      lines.push(`| ${entry.levelBefore} | ${entry.levelAfter} | ${md(entry.name)} | ${md(entry.kind)} | ${md(entry.platform)} | -${round(entry.pointsBefore - entry.pointsAfter)} |`);
    }
    if (result.lowered.length > limit) lines.push('', `${moreByPlatform(result.lowered.slice(limit))} (\`--format json\` lists every node).`);
  }
  lines.push('', `${plural(result.unchangedCount, 'node')} still reached at the same level.`);
  return `${lines.join('\n')}\n`;
}

/** A removed node as the JSON writes it: `witness` (an index into the shared table) instead of its `pathBefore`. */
export type WhatIfRemovedRecord = Omit<WhatIfRemoved, 'pathBefore'> & { witness: number };

/** Each element of `items` on its own line, as the body of a JSON array member `name`; yields after every 1,024th. */
function* arrayMember<T>(out: JsonOut, name: string, items: readonly T[], record: (item: T, i: number) => unknown): Generator<void> {
  out.str(name);
  out.ascii(': [\n');
  for (let i = 0; i < items.length; i++) {
    out.data(record(items[i]!, i));
    out.ascii(i + 1 < items.length ? ',\n' : '\n');
    if ((i & 1023) === 1023) yield;
  }
  out.byte(0x5d);
}

/**
 * The what-if as one JSON document, written into `out` (never one string): the summary fields, then `witness`,
 * the shared table of the removed nodes' witness paths (steps with parent pointers), `removed` (each with
 * `witness`, the index of its path's last step), `lowered`, `unchangedCount` and `crownJewelsCut`, one
 * array element per line. Every removed node's `pathBefore` is the table followed from its `witness`.
 */
export function* whatIfJsonParts(result: WhatIfResult, out: JsonOut): Generator<void> {
  const { removed, lowered, unchangedCount, crownJewelsCut, ...summary } = result;
  const table = new WitnessTableBuilder();
  const witness = Int32Array.from(removed, (entry) => table.addEntry(entry, () => entry.pathBefore));
  const head = JSON.stringify(summary);
  out.text(head.slice(0, -1));
  out.ascii(',\n');
  yield;
  yield* witnessParts(out, table);
  out.ascii(',\n');
  // Each removed node as its WhatIfRemovedRecord, written field by field (no record object).
  out.ascii('"removed": [\n');
  for (let i = 0; i < removed.length; i++) {
    const entry = removed[i]!;
    out.open();
    out.field('id', entry.id);
    out.field('name', entry.name);
    out.field('kind', entry.kind);
    out.field('platform', entry.platform);
    out.field('tenant', entry.tenant);
    out.field('levelBefore', entry.levelBefore);
    out.field('hopsBefore', entry.hopsBefore);
    out.field('pointsBefore', entry.pointsBefore);
    out.field('crownJewel', entry.crownJewel);
    out.field('witness', witness[i]!);
    out.close();
    out.ascii(i + 1 < removed.length ? ',\n' : '\n');
    if ((i & 1023) === 1023) yield;
  }
  out.byte(0x5d);
  out.ascii(',\n');
  yield* arrayMember(out, 'lowered', lowered, (entry) => entry);
  out.ascii(',\n"unchangedCount": ');
  out.value(unchangedCount);
  out.ascii(',\n');
  yield* arrayMember(out, 'crownJewelsCut', crownJewelsCut, (entry) => entry);
  out.ascii('}\n');
  yield;
}

/** whatIfJsonParts as pieces of text (whole lines). */
export function whatIfJsonChunks(result: WhatIfResult): Generator<string> {
  return jsonOutChunks((out) => whatIfJsonParts(result, out));
}

// Text and markdown rendering of attack paths (lateral movement, shortest paths to a target), choke points
// and the revocation plan, written as advice to an incident commander. Pure; the HTML report reuses it.
import { lateralTargetColumns, type LateralBridge, type LateralPaths, type LateralTarget, type LateralTargetColumns, type ShortestPaths } from '../analysis/paths.ts';
import { effectiveSensitivity, levelName } from '../schema/index.ts';
import type { ChokePoints, Cut, CutEffect, EdgeRef, RevocationPlan } from '../analysis/plan.ts';
import type { NodeRef, PathStepView } from '../analysis/radius.ts';
import { md } from './brief.ts';
import { credentialChain, levelLabel, plural, PLAIN, shortDate, type TextStyle } from './style.ts';
import { jsonOutChunks, type JsonOut } from './json-out.ts';
import { witnessParts, WitnessTableBuilder, writeRefFields } from './witness.ts';

export interface PathsRenderOptions {
  style?: TextStyle;
  /** Lateral paths: targets shown per bridge before "... and N more" (default 5; Infinity for all). */
  perBridge?: number;
}

export interface PlanRenderOptions {
  style?: TextStyle;
  /** Shown before the plan when given: the single cuts ranked on their own. */
  chokePoints?: ChokePoints;
}

const round = (n: number): number => Math.round(n * 100) / 100;

/** Names come from the graph (attacker-controlled): no terminal control sequences reach the screen. */
// eslint-disable-next-line no-control-regex
const plain = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

const sourcesLine = (sources: readonly NodeRef[]): string =>
  sources.map((s) => `${plain(s.name)} (${s.kind} on ${plain(s.platform)})`).join(', ') || '(no usable source)';

const where = (node: NodeRef): string => `${node.kind} on ${plain(node.platform)}`;

function scopesText(scopes: readonly string[] | undefined): string {
  if (!scopes || scopes.length === 0) return '';
  return ` [${scopes.slice(0, 3).map(plain).join(' ')}${scopes.length > 3 ? ' ...' : ''}]`;
}

/** `A -HOLDS-> B -CAN_READ [api]-> C`. */
function pathLine(path: readonly PathStepView[], s: TextStyle): string {
  if (path.length === 0) return '(the source itself)';
  const parts = [s.bold(plain(path[0]!.from.name))];
  for (const step of path) parts.push(s.dim(` -${step.kind}${scopesText(step.scopes)}-> `), plain(step.to.name));
  return parts.join('');
}

/** One step per line, with the level it gives, scopes, conditions and the reason the edge exists. */
function stepLines(path: readonly PathStepView[], s: TextStyle, indent: string): string[] {
  if (path.length === 0) return [`${indent}(the target is a source)`];
  const lines = [`${indent}${s.bold(plain(path[0]!.from.name))} ${s.dim(`(${where(path[0]!.from)})`)}`];
  for (const step of path) {
    const conditions = step.conditions && step.conditions.length > 0 ? s.yellow(` conditions: ${step.conditions.map(plain).join(', ')}`) : '';
    lines.push(`${indent}  ${s.dim(`-${step.kind}${scopesText(step.scopes)}->`)} ${levelLabel(step.level, s)} ${plain(step.to.name)} ${s.dim(`(${where(step.to)})`)}${conditions}`);
    if (step.reason) lines.push(`${indent}        ${s.dim(plain(step.reason))}`);
  }
  return lines;
}

function header(title: string, at: string, maxDepth: number | null, s: TextStyle): string[] {
  return [s.bold(title), `as of ${shortDate(at)}${maxDepth !== null ? `, at most ${plural(maxDepth, 'hop')}` : ''}`, ''];
}

function renderLateralText(result: LateralPaths, s: TextStyle, perBridge: number): string[] {
  const lines = header(`LATERAL MOVEMENT from ${sourcesLine(result.sources)}`, result.at, result.maxDepth, s);
  const home = result.sourcePlatforms.map(plain).join(', ');
  if (result.bridges.length === 0) {
    lines.push(result.sources.length === 0
      ? 'The source cannot be used at this instant: nothing is reachable through it.'
      : `Nothing is reached beyond ${home || 'the sources\' platforms'}: no lateral movement.`);
    return lines;
  }
  lines.push(`The attacker leaves ${home} over ${plural(result.bridges.length, 'bridge')} and reaches ` +
    `${s.bold(plural(result.lateralCount, 'node'))} on ${plural(result.platforms.length, 'other platform')}` +
    `${result.crownJewels > 0 ? `, including ${s.red(s.bold(plural(result.crownJewels, 'crown jewel')))}` : ''}: ` +
    `score ${round(result.lateralScore)} of the radius's ${round(result.score)}.`);
  lines.push(s.dim(`By platform: ${result.platforms.map((p) => `${plain(p.platform)} ${round(p.score)}${p.crownJewels > 0 ? ` (${plural(p.crownJewels, 'crown jewel')})` : ''}`).join(', ')}`));
  result.bridges.forEach((bridge, i) => {
    const b = bridge.bridge;
    lines.push('', `${s.bold(`${i + 1}.`)} ${s.bold(plain(b.from.name))} ${s.dim(`-${b.kind}${scopesText(b.scopes)}->`)} ${s.bold(plain(b.to.name))} ` +
      s.dim(`(${plain(b.from.platform)} -> ${plain(b.to.platform)})`));
    if (b.reason) lines.push(`   ${s.dim(plain(b.reason))}`);
    if (bridge.approach.length > 1) lines.push(`   ${s.dim('reached by')} ${pathLine(bridge.approach, s)}`);
    lines.push(`   beyond it: ${plural(bridge.reachedCount, 'node')} on ${bridge.platforms.map(plain).join(', ')}, score ${round(bridge.score)}` +
      `${bridge.crownJewels > 0 ? `, ${s.red(plural(bridge.crownJewels, 'crown jewel'))}` : ''}`);
    for (const crossing of bridge.onward.slice(0, perBridge)) {
      const c = crossing.step;
      lines.push(`   ${s.dim('then')} ${plain(c.from.name)} ${s.dim(`-${c.kind}${scopesText(c.scopes)}->`)} ${plain(c.to.name)} ${s.dim(`(${plain(c.from.platform)} -> ${plain(c.to.platform)})`)}: ` +
        `${plural(crossing.reachedCount, 'node')}, score ${round(crossing.score)}${crossing.crownJewels > 0 ? `, ${s.red(plural(crossing.crownJewels, 'crown jewel'))}` : ''}`);
    }
    const shown = bridge.targets.filter((t, k) => t.crownJewel || k < perBridge);
    for (const target of shown) {
      const jewel = target.crownJewel ? s.red(' crown jewel') : '';
      lines.push(`     ${levelLabel(target.level, s)} ${s.bold(plain(target.name))} ${s.dim(`(${where(target)}, ${plural(target.hops, 'hop')}, ${round(target.points)} pts)`)}${jewel}`);
      lines.push(`           ${pathLine(target.path, s)}`);
    }
    // Every node beyond the bridge is one of its targets, whether or not the analysis listed them all.
    if (bridge.reachedCount > shown.length) lines.push(s.dim(`     ... and ${bridge.reachedCount - shown.length} more (--all, or --format json)`));
  });
  return lines;
}

function renderShortestText(result: ShortestPaths, s: TextStyle): string[] {
  const target = `${plain(result.target.name)} (${where(result.target)})`;
  const lines = header(`SHORTEST PATHS from ${sourcesLine(result.sources)} to ${target}`, result.at, result.maxDepth, s);
  if (!result.reached) {
    if (result.dormant) {
      lines.push(`${target} is not reachable now: the attacker gets to it in ${plural(result.dormant.hops, 'hop')}, but it is revoked, expired, disabled or not yet valid at this instant.`);
      lines.push(...stepLines(result.dormant.path, s, '  '));
    } else lines.push(`${target} is not reachable from ${sourcesLine(result.sources)}${result.maxDepth !== null ? ` within ${plural(result.maxDepth, 'hop')}` : ''}.`);
    return lines;
  }
  lines.push(`${s.bold(plain(result.target.name))} is reached at ${levelLabel(result.level!, s).trim()} in ${plural(result.hops!, 'hop')} ` +
    `over ${plural(result.total, 'shortest path')}${result.truncated ? `; the first ${result.paths.length} are shown (--limit)` : ''}.`);
  result.paths.forEach((path, i) => {
    const chain = credentialChain(path);
    lines.push('', `${s.bold(`${i + 1}.`)}${i === 0 ? s.dim(' (the witness path the radius shows)') : ''}${chain.length > 0 ? s.dim(` credentials: ${chain.map(plain).join(' -> ')}`) : ''}`);
    lines.push(...stepLines(path, s, '   '));
  });
  return lines;
}

export function renderPathsText(result: LateralPaths | ShortestPaths, options: PathsRenderOptions = {}): string {
  const s = options.style ?? PLAIN;
  const lines = result.analysis === 'lateral-paths' ? renderLateralText(result, s, options.perBridge ?? 5) : renderShortestText(result, s);
  return `${lines.join('\n')}\n`;
}

/** Markdown path: `A → \`HOLDS\` → B → \`CAN_READ\` → C`. */
function pathMarkdown(path: readonly PathStepView[]): string {
  if (path.length === 0) return '(source)';
  return path.map((step, i) => `${i === 0 ? `${md(step.from.name)} ` : ''}→ \`${step.kind}\` → ${md(step.to.name)}`).join(' ');
}

function lateralMarkdown(result: LateralPaths): string[] {
  const lines = [`# Lateral movement: ${md(sourcesLine(result.sources))}`, ''];
  lines.push(`As of ${result.at}. Leaves ${md(result.sourcePlatforms.join(', '))} over **${result.bridges.length}** bridges; ` +
    `reaches **${result.lateralCount}** nodes on **${result.platforms.length}** other platforms, **${result.crownJewels}** crown jewels; ` +
    `score **${round(result.lateralScore)}** of the radius's ${round(result.score)}.`, '');
  if (result.platforms.length > 0) {
    lines.push('| platform | reached | score | crown jewels |', '|---|---:|---:|---:|');
    for (const p of result.platforms) lines.push(`| ${md(p.platform)} | ${p.reached} | ${round(p.score)} | ${p.crownJewels} |`);
    lines.push('');
  }
  result.bridges.forEach((bridge, i) => {
    const b = bridge.bridge;
    lines.push(`## ${i + 1}. ${md(b.from.name)} → \`${b.kind}\` → ${md(b.to.name)} (${md(b.from.platform)} → ${md(b.to.platform)})`, '');
    if (b.reason) lines.push(`${md(b.reason)}`, '');
    lines.push(`Reached by: ${pathMarkdown(bridge.approach)}. Beyond it: **${bridge.reachedCount}** nodes on ${md(bridge.platforms.join(', '))}, ` +
      `score **${round(bridge.score)}**, **${bridge.crownJewels}** crown jewels.`, '');
    if (bridge.onward.length > 0) {
      lines.push('Onward platform changes:', '');
      for (const crossing of bridge.onward) {
        const c = crossing.step;
        lines.push(`- ${md(c.from.name)} → \`${c.kind}\` → ${md(c.to.name)} (${md(c.from.platform)} → ${md(c.to.platform)}): ${crossing.reachedCount} nodes, score ${round(crossing.score)}, ${crossing.crownJewels} crown jewels`);
      }
      lines.push('');
    }
    lines.push('| level | node | kind | platform | hops | points | path |', '|---|---|---|---|---:|---:|---|');
    for (const t of bridge.targets.slice(0, MARKDOWN_TARGETS)) {
      lines.push(`| ${t.level} | ${t.crownJewel ? '**' : ''}${md(t.name)}${t.crownJewel ? '** (crown jewel)' : ''} | ${t.kind} | ${md(t.platform)} | ${t.hops} | ${round(t.points)} | ${pathMarkdown(t.path)} |`);
    }
    if (bridge.targets.length > MARKDOWN_TARGETS) lines.push('', `${jewelList(bridge.targets.slice(MARKDOWN_TARGETS), md, 0).replace(/^ and /, 'And ')} beyond this bridge (\`--format json\` lists every node).`);
    lines.push('');
  });
  return lines;
}

function stepsTable(path: readonly PathStepView[]): string[] {
  const lines = ['| # | from | edge | to | level | scopes | reason |', '|---:|---|---|---|---|---|---|'];
  path.forEach((step, i) => {
    lines.push(`| ${i + 1} | ${md(step.from.name)} | \`${step.kind}\` | ${md(step.to.name)} (${step.to.kind} on ${md(step.to.platform)}) | ${step.level} | ` +
      `${md((step.scopes ?? []).join(' '))} | ${md(step.reason ?? '')}${step.conditions?.length ? ` (conditions: ${md(step.conditions.join(', '))})` : ''} |`);
  });
  return lines;
}

function shortestMarkdown(result: ShortestPaths): string[] {
  const lines = [`# Shortest paths: ${md(sourcesLine(result.sources))} to ${md(result.target.name)}`, ''];
  if (!result.reached) {
    lines.push(`As of ${result.at}. **${md(result.target.name)}** is not reachable${result.dormant ? ': the attacker gets to it, but it is not usable at this instant.' : '.'}`, '');
    if (result.dormant) lines.push(...stepsTable(result.dormant.path), '');
    return lines;
  }
  lines.push(`As of ${result.at}. Reached at **${result.level}** in **${result.hops}** hops over **${result.total}** shortest paths` +
    `${result.truncated ? ` (first ${result.paths.length} shown)` : ''}.`, '');
  result.paths.forEach((path, i) => {
    lines.push(`## Path ${i + 1}${i === 0 ? ' (witness)' : ''}`, '', ...stepsTable(path), '');
  });
  return lines;
}

/** Markdown lists this many nodes beyond each bridge, crown jewels and the highest scores first. */
const MARKDOWN_TARGETS = 50;

export function renderPathsMarkdown(result: LateralPaths | ShortestPaths): string {
  return `${(result.analysis === 'lateral-paths' ? lateralMarkdown(result) : shortestMarkdown(result)).join('\n')}\n`;
}

function edgeText(edge: EdgeRef): string {
  return `${plain(edge.from.name)} -${edge.kind}${scopesText(edge.scopes)}-> ${plain(edge.to.name)}`;
}

/** The action in words: `Revoke SF token (refresh-token on salesforce)`. */
export function cutText(cut: Cut): string {
  switch (cut.action) {
    case 'revoke':
    case 'disable': {
      const node = cut.node!;
      const what = cut.action === 'revoke' ? node.type ?? node.kind : `${node.type ? `${node.type} ` : ''}${node.kind}`;
      return `${cut.action === 'revoke' ? 'Revoke' : 'Disable'} ${plain(node.name)} (${plain(what)} on ${plain(node.platform)})`;
    }
    case 'remove-grant': {
      const edges = cut.edges ?? [];
      const shown = edges.slice(0, 3).map((edge) => `${edge.kind} ${plain(edge.to.name)}`).join(', ');
      return `Withdraw the grant ${plain(cut.name)} (${plural(edges.length, 'edge')}: ${shown}${edges.length > 3 ? ', ...' : ''})`;
    }
    case 'remove-edge': {
      const edges = cut.edges ?? [];
      if (cut.delegation) return `Remove the delegation ${plain(cut.name)} (and the ${plural(edges.filter((edge) => edge.kind !== 'DELEGATED_AS').length, 'edge')} it allows)`;
      return `Remove ${edges[0] ? edgeText(edges[0]) : plain(cut.name)}${edges.length > 1 ? ` (${edges.length} parallel edges)` : ''}`;
    }
  }
}

function effectText(effect: CutEffect, total: number, first: boolean, s: TextStyle): string {
  const share = total > 0 ? ` (${Math.round((effect.removed / total) * 100)}%)` : '';
  const of = first ? `of ${round(total)}` : `of the remaining ${round(effect.scoreBefore)}`;
  const parts = [`removes ${s.bold(String(round(effect.removed)))} ${of} points${first ? share : ''}`];
  if (effect.lost.length > 0) {
    const jewels = effect.crownJewelsLost;
    parts.push(`cuts off ${plural(effect.lost.length, 'node')}` +
      (jewels.length > 0 ? ` including ${s.green(plural(jewels.length, 'crown jewel'))} (${jewels.slice(0, 3).map((j) => plain(j.name)).join(', ')}${jewels.length > 3 ? ', ...' : ''})` : ''));
  }
  if (effect.lowered.length > 0) parts.push(`lowers ${plural(effect.lowered.length, 'node')} to a weaker level`);
  return parts.join(', ');
}

export function renderChokePointsText(result: ChokePoints, options: { style?: TextStyle } = {}): string {
  const s = options.style ?? PLAIN;
  const lines = [s.bold('CHOKE POINTS: what most of the radius depends on (each cut measured alone)')];
  if (result.chokePoints.length === 0) lines.push('  (none: no single cut removes anything)');
  for (const point of result.chokePoints) {
    lines.push(`  ${String(point.rank).padStart(2)}. ${cutText(point.cut)}: ${effectText(point, result.score, true, s)}`);
    if (point.equivalent.length > 0) lines.push(`      ${s.dim(`same effect: ${point.equivalent.map(cutText).join('; ')}`)}`);
  }
  return `${lines.join('\n')}\n`;
}


/** Crown jewels in a sentence: up to 10 by name, the rest counted by platform ("and 2,174 more: 1,900 on aws, ..."). */
export function jewelList(jewels: readonly { name: string; platform: string }[], escape: (text: string) => string, shown = 10): string {
  const names = jewels.slice(0, shown).map((j) => escape(j.name)).join(', ');
  if (jewels.length <= shown) return names;
  const counts = new Map<string, number>();
  for (const j of jewels.slice(shown)) counts.set(j.platform, (counts.get(j.platform) ?? 0) + 1);
  const parts = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([platform, n]) => `${n.toLocaleString('en-US')} on ${escape(platform)}`);
  return `${names} and ${(jewels.length - shown).toLocaleString('en-US')} more (${parts.join(', ')})`;
}
export function renderPlanText(plan: RevocationPlan, options: PlanRenderOptions = {}): string {
  const s = options.style ?? PLAIN;
  const lines = header(`REVOCATION PLAN for ${sourcesLine(plan.sources)}`, plan.at, plan.maxDepth, s);
  if (plan.initialScore === 0) {
    lines.push(plan.sources.length === 0 || plan.initialReached === 0
      ? 'Nothing beyond the source is reachable (or the source cannot be used at this instant): there is nothing to cut.'
      : 'What is reachable scores nothing: there is nothing to cut.');
    return `${lines.join('\n')}\n`;
  }
  lines.push(`Radius score ${s.bold(String(round(plan.initialScore)))}: ${plural(plan.initialReached, 'node')}` +
    `${plan.crownJewelsBefore.length > 0 ? `, ${s.red(plural(plan.crownJewelsBefore.length, 'crown jewel'))}` : ''}. ` +
    'Each step is the single cut that removes the most of what is left after the steps before it.');
  if (options.chokePoints) lines.push('', renderChokePointsText(options.chokePoints, { style: s }).trimEnd());
  lines.push('', s.bold('PLAN'));
  if (plan.steps.length === 0) lines.push('  (no cut planned)');
  for (const step of plan.steps) {
    lines.push(`  ${step.step}. ${s.bold(cutText(step.cut))}: ${effectText(step, plan.initialScore, step.step === 1, s)}.`);
    if (step.cut.edges?.length === 1 && step.cut.edges[0]!.reason) lines.push(`     ${s.dim(plain(step.cut.edges[0]!.reason))}`);
    if (step.alternatives.length > 0) lines.push(`     ${s.dim(`equally effective: ${step.alternatives.map((alt) => cutText(alt)).join('; ')}`)}`);
  }
  lines.push('');
  const cuts = plural(plan.steps.length, 'cut');
  const jewels = plan.crownJewelsAfter.length > 0
    ? s.red(`${plural(plan.crownJewelsAfter.length, 'crown jewel')} still reachable: ${jewelList(plan.crownJewelsAfter, plain)}`)
    : plan.crownJewelsBefore.length > 0 ? s.green('no crown jewel reachable') : '';
  lines.push(`After ${cuts}: score ${s.bold(String(round(plan.finalScore)))} (was ${round(plan.initialScore)}), ${plural(plan.finalReached, 'node')} still reached${jewels ? `, ${jewels}` : ''}.`);
  if (plan.stoppedBecause === 'nothing-left') lines.push('Nothing beyond the source is reachable any more.');
  else if (plan.stoppedBecause === 'no-single-cut-helps') {
    lines.push(s.yellow('No single further cut removes anything: what is left is reached over several independent routes that must be cut together (try them with `blastmap whatif`).'));
  } else lines.push(s.dim(`Stopped after ${cuts} (--steps).`));
  return `${lines.join('\n')}\n`;
}

/** Markdown cut: the action with escaped names. */
export function cutMarkdown(cut: Cut): string {
  const edge = (e: EdgeRef) => `${md(e.from.name)} → \`${e.kind}\` → ${md(e.to.name)}`;
  switch (cut.action) {
    case 'revoke':
    case 'disable':
      return `${cut.action === 'revoke' ? 'Revoke' : 'Disable'} **${md(cut.node!.name)}** (${cut.node!.type ? `${md(cut.node!.type)}, ` : ''}${cut.node!.kind} on ${md(cut.node!.platform)})`;
    case 'remove-grant':
      return `Withdraw the grant **${md(cut.name)}** (${plural(cut.edges?.length ?? 0, 'edge')}: ${(cut.edges ?? []).slice(0, 3).map((e) => `\`${e.kind}\` → ${md(e.to.name)}`).join(', ')}${(cut.edges?.length ?? 0) > 3 ? ', …' : ''})`;
    case 'remove-edge':
      if (cut.delegation) return `Remove the delegation **${md(cut.name)}**`;
      return `Remove ${cut.edges?.[0] ? edge(cut.edges[0]) : md(cut.name)}`;
  }
}

const lostCell = (effect: CutEffect): string => `${effect.lost.length}${effect.lowered.length > 0 ? ` (${effect.lowered.length} lowered)` : ''}`;

function chokeMarkdown(result: ChokePoints): string[] {
  const lines = ['## Choke points', '', 'Each cut measured alone against the full radius.', ''];
  if (result.chokePoints.length === 0) return [...lines, 'No single cut removes anything.', ''];
  lines.push('| # | cut | removes | share | nodes cut off | crown jewels cut off | same effect |', '|---:|---|---:|---:|---:|---|---|');
  for (const p of result.chokePoints) {
    lines.push(`| ${p.rank} | ${cutMarkdown(p.cut)} | ${round(p.removed)} | ${Math.round(p.share * 100)}% | ${lostCell(p)} | ` +
      `${md(p.crownJewelsLost.map((j) => j.name).join(', '))} | ${p.equivalent.map(cutMarkdown).join('; ')} |`);
  }
  return [...lines, ''];
}

export function renderPlanMarkdown(plan: RevocationPlan, options: { chokePoints?: ChokePoints } = {}): string {
  const lines = [`# Revocation plan: ${md(sourcesLine(plan.sources))}`, ''];
  lines.push(`As of ${plan.at}. Radius score **${round(plan.initialScore)}** (${plan.initialReached} nodes, ${plan.crownJewelsBefore.length} crown jewels). ` +
    'Each step is the single cut that removes the most of what is left after the steps before it.', '');
  if (options.chokePoints) lines.push(...chokeMarkdown(options.chokePoints));
  lines.push('## Plan', '');
  if (plan.steps.length === 0) lines.push('There is nothing to cut.', '');
  else {
    lines.push('| step | cut | removes | score after | nodes cut off | crown jewels cut off | equally effective |', '|---:|---|---:|---:|---:|---|---|');
    for (const step of plan.steps) {
      lines.push(`| ${step.step} | ${cutMarkdown(step.cut)} | ${round(step.removed)} | ${round(step.scoreAfter)} | ${lostCell(step)} | ` +
        `${md(step.crownJewelsLost.map((j) => j.name).join(', '))} | ${step.alternatives.map(cutMarkdown).join('; ')} |`);
    }
    lines.push('');
  }
  const stop = plan.stoppedBecause === 'nothing-left' ? 'Nothing beyond the source is reachable any more.'
    : plan.stoppedBecause === 'no-single-cut-helps' ? 'No single further cut removes anything: what is left is reached over several independent routes.'
      : `Stopped after ${plural(plan.steps.length, 'step')}.`;
  lines.push(`After the plan: score **${round(plan.finalScore)}** (was ${round(plan.initialScore)}), ${plan.finalReached} nodes still reached; ` +
    `crown jewels still reachable: ${plan.crownJewelsAfter.length > 0 ? jewelList(plan.crownJewelsAfter, md) : 'none'}. ${stop}`);
  return `${lines.join('\n')}\n`;
}

/** A lateral target as the JSON writes it: `witness` (an index into the shared table) instead of its `path`. */
export type LateralTargetRecord = Omit<LateralTarget, 'path'> & { witness: number };

/**
 * Lateral paths as one JSON document, written into `out` (never one string): the summary fields and
 * `platforms`, then `witness`, the shared table of the targets' witness paths (steps with parent pointers),
 * then `bridges`, each with its `approach`, `onward` crossings and `targets` one per line, a target carrying
 * `witness`, the index of its path's last step, instead of the path. Shortest paths (`--to`, at most
 * `--limit` of them) are written whole, as before.
 */
export function* lateralPathsJsonParts(result: LateralPaths, out: JsonOut): Generator<void> {
  const { bridges, ...summary } = result;
  const table = new WitnessTableBuilder();
  // Bridges whose targets are still numbers (lateralPathsOf listing them all) are written from those numbers, with
  // no entry object per target; the others from their entries.
  const columns = bridges.map(lateralTargetColumns);
  // Only the index of each target's last step is kept between the two passes: the rest of its record (the
  // platforms along its path included) is rebuilt from the table while it is written.
  const witness = bridges.map((bridge, b) => {
    const own = columns[b];
    if (!own) return Int32Array.from(bridge.targets, (target) => table.addEntry(target, () => target.path));
    const { result: reached, nodes } = own;
    return Int32Array.from(nodes, (v) => table.addNode(reached, v, reached.level[v]!));
  });
  const head = JSON.stringify(summary);
  out.text(head.slice(0, -1));
  out.ascii(',\n');
  yield;
  yield* witnessParts(out, table);
  out.ascii(',\n"bridges": [\n');
  for (let b = 0; b < bridges.length; b++) {
    const bridge = bridges[b]!;
    const own = columns[b];
    // Every member but `targets`, in the bridge's key order (`targets` not read: that would build its entries).
    const rest: Record<string, unknown> = {};
    for (const key of Object.keys(bridge) as (keyof LateralBridge)[]) if (key !== 'targets') rest[key] = bridge[key];
    const bridgeHead = JSON.stringify(rest);
    out.text(bridgeHead.slice(0, -1));
    out.ascii(',\n"targets": [\n');
    const last = witness[b]!;
    if (own) {
      yield* targetColumnParts(out, own, last, table);
      out.ascii(b + 1 < bridges.length ? ']},\n' : ']}\n');
      yield;
      continue;
    }
    const targets = bridge.targets;
    for (let i = 0; i < targets.length; i++) {
      // The target as its LateralTargetRecord, written field by field (no record object).
      const target = targets[i]!;
      out.open();
      out.field('id', target.id);
      out.field('name', target.name);
      out.field('kind', target.kind);
      out.field('platform', target.platform);
      out.field('tenant', target.tenant);
      out.field('level', target.level);
      out.field('hops', target.hops);
      out.field('points', target.points);
      out.field('sensitivity', target.sensitivity);
      out.field('crownJewel', target.crownJewel);
      out.field('platforms', table.platforms(last[i]!));
      out.field('witness', last[i]!);
      out.close();
      out.ascii(i + 1 < targets.length ? ',\n' : '\n');
      if ((i & 1023) === 1023) yield;
    }
    out.ascii(b + 1 < bridges.length ? ']},\n' : ']}\n');
    yield;
  }
  out.ascii(']}\n');
  yield;
}

/** A bridge's targets written from their columns, each as its LateralTargetRecord (what the entries would write). */
function* targetColumnParts(out: JsonOut, columns: LateralTargetColumns, last: Int32Array, table: WitnessTableBuilder): Generator<void> {
  const { result, nodes, hops, points, crown } = columns;
  const { graph, level } = result;
  const count = nodes.length;
  for (let i = 0; i < count; i++) {
    const v = nodes[i]!;
    const node = graph.nodes[v]!;
    if (typeof node.id === 'string' && typeof node.name === 'string' && typeof node.kind === 'string' && typeof node.platform === 'string' && typeof node.tenant === 'string') {
      out.byte(0x7b);
      writeRefFields(out, node as NodeRef);
    } else {
      const { id, name, kind, platform, tenant } = node;
      out.open();
      out.field('id', id);
      out.field('name', name);
      out.field('kind', kind);
      out.field('platform', platform);
      out.field('tenant', tenant);
    }
    out.ascii(',"level":"');
    out.ascii(levelName(level[v]!));
    out.ascii('","hops":');
    out.int(hops[i]!);
    out.ascii(',"points":');
    out.num(points[i]!);
    out.ascii(',"sensitivity":');
    out.num(effectiveSensitivity(node));
    out.ascii(crown[i] === 1 ? ',"crownJewel":true,"platforms":' : ',"crownJewel":false,"platforms":');
    out.bytes(table.platformsJson(last[i]!));
    out.ascii(',"witness":');
    out.int(last[i]!);
    out.ascii(i + 1 < count ? '},\n' : '}\n');
    if ((i & 1023) === 1023) yield;
  }
}

/** lateralPathsJsonParts as pieces of text (whole lines). */
export function lateralPathsJsonChunks(result: LateralPaths): Generator<string> {
  return jsonOutChunks((out) => lateralPathsJsonParts(result, out));
}

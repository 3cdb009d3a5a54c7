// The report of an incident replay (`blastmap replay`), as text and Markdown: what the CLI prints, for a library user
// who replays an incident with replayIncident.
import type { CheckpointReplay, IncidentReplay, Verdict } from '../analysis/replay.ts';
import { md, renderRadiusMarkdown, renderRadiusText } from './brief.ts';
import { pathText, PLAIN, shortDate, type TextStyle } from './style.ts';

export interface ReplayRenderOptions {
  /** The environment the incident was rebuilt from: its size, and the exports and files it came from. */
  environment: { nodes: number; edges: number; inputs: readonly string[] };
  /** The full radius brief for the first checkpoint (default true); later checkpoints only give its size. */
  brief?: boolean;
  style?: TextStyle;
}

const mark = (verdict: Verdict, s: TextStyle): string => (verdict.pass ? s.green('PASS') : s.red(s.bold('FAIL')));

function verdictLines(verdicts: readonly Verdict[], s: TextStyle): string[] {
  const expectedWidth = Math.min(28, Math.max(...verdicts.map((v) => v.expected.length)));
  const lines: string[] = [];
  for (const v of verdicts) {
    const subject = v.subject === 'chain' || v.subject === 'first cut' ? (v.name ?? '') : `${v.name ?? v.subject} ${s.dim(`(${v.subject})`)}`;
    lines.push(`  ${mark(v, s)}  ${v.check.padEnd(12)} ${subject}`);
    lines.push(`        ${s.dim('expected')} ${v.expected.padEnd(expectedWidth)}  ${s.dim('found')} ${v.actual}`);
    if (v.why) lines.push(`        ${s.dim(`why: ${v.why}`)}`);
  }
  return lines;
}

function checkpointHeader(checkpoint: CheckpointReplay): string {
  const start = checkpoint.sources.map((source) => `${source.name} (${source.kind} on ${source.platform})`).join(', ');
  return `start: ${start}; at ${shortDate(checkpoint.at)}${checkpoint.enforce.length > 0 ? `; controls enforced: ${checkpoint.enforce.join(', ')}` : ''}`;
}

function radiusSummary(checkpoint: CheckpointReplay): string {
  const { radius } = checkpoint;
  const dormant = radius.dormant.length > 0 ? `; ${radius.dormant.length} found but unusable (${[...new Set(radius.dormant.map((d) => d.why))].join(', ')})` : '';
  return `radius: ${radius.reachedCount} node${radius.reachedCount === 1 ? '' : 's'} on ${radius.platforms.length} platform${radius.platforms.length === 1 ? '' : 's'}, score ${round(radius.score)}${dormant}`;
}

/**
 * `blastmap replay` as text: the incident, the environment it was rebuilt from, each checkpoint (the full brief for
 * the first one when `brief`), the attack chain, the first cut, the containment plan and every verdict.
 */
export function renderReplayText(replay: IncidentReplay, options: ReplayRenderOptions): string {
  const s = options.style ?? PLAIN;
  const brief = options.brief !== false;
  const loaded = options.environment;
  const lines: string[] = [];
  lines.push(s.bold(`INCIDENT REPLAY: ${replay.title}`) + s.dim(`  [${replay.incident}]`));
  if (replay.summary) lines.push(replay.summary);
  lines.push(s.dim(`environment: ${loaded.nodes} nodes and ${loaded.edges} edges from ${loaded.inputs.join(', ')}`));
  replay.checkpoints.forEach((checkpoint, index) => {
    lines.push('', s.bold(`== ${checkpoint.name} ==`), s.dim(checkpointHeader(checkpoint)));
    // The full brief for the incident itself; later checkpoints (after a revocation...) only need its size.
    if (brief && index === 0) lines.push('', renderRadiusText(checkpoint.radius, { style: s }).trimEnd());
    else lines.push(s.dim(radiusSummary(checkpoint)));
    if (checkpoint.chain?.path) {
      lines.push('', s.bold('ATTACK CHAIN (as the public record tells it)'), `  ${pathText(checkpoint.chain.path, s)}`);
    }
    const step = checkpoint.plan?.steps[0];
    if (step) lines.push('', s.bold('FIRST CUT'), `  ${step.cut.action} ${step.cut.name} ${s.dim(`(${step.cut.id})`)}: removes ${round(step.removed)} of ${round(step.scoreBefore)} points`);
    if (checkpoint.response) {
      const response = checkpoint.response;
      lines.push('', s.bold(`CONTAINMENT PLAN (blastmap respond): ${response.harvested.length} credential${response.harvested.length === 1 ? '' : 's'} harvested, score ${round(response.initialScore)} -> ${round(response.finalScore)}`));
      for (const plan of response.steps) lines.push(`  ${plan.step}. ${s.dim(`[${plan.phase}]`)} ${plan.title}${plan.containment ? s.dim(` (removes ${round(plan.removes)})`) : ''}`);
    }
    for (const note of checkpoint.notes) lines.push(s.dim(`note: ${note}`));
    lines.push('', s.bold('VERDICTS'), ...verdictLines(checkpoint.verdicts, s));
  });
  const total = replay.passed + replay.failed;
  lines.push('', replay.pass
    ? s.green(s.bold(`RESULT: all ${total} expectations hold.`))
    : s.red(s.bold(`RESULT: ${replay.failed} of ${total} expectations fail.`)));
  return `${lines.join('\n')}\n`;
}

const round = (n: number): number => Math.round(n * 100) / 100;
const cell = (text: string): string => md(text);

/** `blastmap replay` as Markdown: the same report, verdicts in a table. */
export function renderReplayMarkdown(replay: IncidentReplay, options: Omit<ReplayRenderOptions, 'style'>): string {
  const brief = options.brief !== false;
  const loaded = options.environment;
  const lines: string[] = [];
  lines.push(`# Incident replay: ${md(replay.title)}`, '');
  if (replay.summary) lines.push(md(replay.summary), '');
  lines.push(`Environment: ${loaded.nodes} nodes and ${loaded.edges} edges from ${loaded.inputs.map((input) => `\`${input.replace(/`/g, '')}\``).join(', ')}.`);
  replay.checkpoints.forEach((checkpoint, index) => {
    lines.push('', `## ${md(checkpoint.name)}`, '', md(checkpointHeader(checkpoint)));
    if (brief && index === 0) lines.push('', renderRadiusMarkdown(checkpoint.radius).trimEnd());
    else lines.push('', md(radiusSummary(checkpoint)));
    if (checkpoint.response) {
      lines.push('', `Containment plan (\`blastmap respond\`): ${checkpoint.response.steps.map((step) => `${step.step}. [${step.phase}] ${md(step.title)}`).join('; ')}.`);
    }
    lines.push('', '| result | check | subject | expected | found |', '|---|---|---|---|---|');
    for (const v of checkpoint.verdicts) {
      const subject = v.subject === 'chain' || v.subject === 'first cut' ? (v.name ?? v.subject) : `${v.name ?? v.subject} (${v.subject})`;
      lines.push(`| ${v.pass ? 'PASS' : '**FAIL**'} | ${v.check} | ${cell(subject)} | ${cell(v.expected)} | ${cell(v.actual)}${v.why ? `<br>why: ${cell(v.why)}` : ''} |`);
    }
  });
  const total = replay.passed + replay.failed;
  lines.push('', replay.pass ? `**Result: all ${total} expectations hold.**` : `**Result: ${replay.failed} of ${total} expectations fail.**`);
  return `${lines.join('\n')}\n`;
}


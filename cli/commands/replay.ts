// `blastmap replay <incident>`: rebuilds a public incident's environment from datasets/incidents/<name>/ (raw
// platform exports through their importers, plus native files), briefs the radius and checks it against expected.json.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { expectedReferenceIssues, parseExpected, replayIncident, type CheckpointReplay, type Expected, type IncidentReplay, type Verdict } from '../../engine/analysis/replay.ts';
import { BlastmapError } from '../../engine/errors.ts';
import { md, renderRadiusMarkdown, renderRadiusText } from '../../engine/report/brief.ts';
import { pathText, shortDate, type TextStyle } from '../../engine/report/style.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { EXIT, json, parseFormat, type Io, type OutputFormat } from '../context.ts';
import { EXPORTS_DIR, isWorkspace, loadWorkspace } from '../workspace.ts';
import { PACKAGE_ROOT } from '../package-root.ts';

export const INCIDENTS_DIR = join(PACKAGE_ROOT, 'datasets/incidents/');

/** What an incident folder holds once loaded: its graph (assembled in memory) and its expectations. */
export interface LoadedIncident {
  name: string;
  dir: string;
  graph: CompactGraph;
  expected: Expected;
  /** What the environment was built from: `<source>/<tenant>` exports, then `native/<file>`. */
  inputs: string[];
}

const isDir = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();

/** Incident folders (those holding an expected.json), sorted by name. */
export function listIncidentNames(root: string): string[] {
  if (!isDir(root)) throw new BlastmapError('IO', `${root}: no such folder of incidents`);
  return readdirSync(root).filter((name) => isDir(join(root, name)) && existsSync(join(root, name, 'expected.json'))).sort();
}

function incidentDir(root: string, name: string): string {
  const dir = join(root, name);
  if (/[\\/]/.test(name) || !isDir(dir) || !existsSync(join(dir, 'expected.json'))) {
    const known = isDir(root) ? listIncidentNames(root) : [];
    throw new BlastmapError('UNKNOWN_NODE', `no incident named ${JSON.stringify(name)} in ${root}`, { candidates: known });
  }
  return dir;
}

/**
 * Builds an incident's graph in memory: `environment/` is a workspace (cli/workspace.ts), so every
 * `environment/exports/<source>/<tenant>/` folder goes through the importer named `<source>`, then the
 * `environment/native/` files, last, so hand-written facts (a revocation date the export cannot show) win over
 * imported ones. Nothing is written; `--graph datasets/incidents/<name>/environment` loads the same graph.
 */
export function loadIncident(root: string, name: string): LoadedIncident {
  const dir = incidentDir(root, name);
  const envDir = join(dir, 'environment');
  if (!isWorkspace(envDir)) throw new BlastmapError('IO', `${name}/environment: expected exports/<source>/<tenant>/ folders or a native/ folder`);
  let workspace;
  try {
    workspace = loadWorkspace(envDir);
  } catch (error) {
    if (!(error instanceof BlastmapError)) throw error;
    const prefix = `${name}/environment`;
    throw new BlastmapError(error.code, error.message.replaceAll(envDir, prefix), {
      issues: error.issues.map((issue) => (issue.file && !issue.file.includes(prefix) ? { ...issue, file: `${prefix}/${issue.file}` } : issue)),
      candidates: error.candidates,
    });
  }
  const { graph } = workspace;
  const inputs = [...workspace.imports.map((i) => relative(EXPORTS_DIR, i.folder)), ...workspace.nativeFiles];

  const expectedFile = `${name}/expected.json`;
  const parsed = parseExpected(readFileSync(join(dir, 'expected.json'), 'utf8'), expectedFile);
  if (!parsed.ok) throw new BlastmapError('INVALID_INPUT', `${parsed.issues.length} problem${parsed.issues.length === 1 ? '' : 's'} in ${expectedFile}`, { issues: parsed.issues });
  const dangling = expectedReferenceIssues(graph, parsed.value, expectedFile);
  if (dangling.length > 0) throw new BlastmapError('INVALID_INPUT', `${expectedFile} names ${dangling.length} id${dangling.length === 1 ? '' : 's'} the incident graph does not have`, { issues: dangling });
  return { name, dir, graph, expected: parsed.value, inputs };
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

function renderText(loaded: LoadedIncident, replay: IncidentReplay, s: TextStyle, brief: boolean): string {
  const lines: string[] = [];
  lines.push(s.bold(`INCIDENT REPLAY: ${replay.title}`) + s.dim(`  [${replay.incident}]`));
  if (replay.summary) lines.push(replay.summary);
  lines.push(s.dim(`environment: ${loaded.graph.nodeCount} nodes and ${loaded.graph.edgeCount} edges from ${loaded.inputs.join(', ')}`));
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

function renderMarkdown(loaded: LoadedIncident, replay: IncidentReplay, brief: boolean): string {
  const lines: string[] = [];
  lines.push(`# Incident replay: ${md(replay.title)}`, '');
  if (replay.summary) lines.push(md(replay.summary), '');
  lines.push(`Environment: ${loaded.graph.nodeCount} nodes and ${loaded.graph.edgeCount} edges from ${loaded.inputs.map((input) => `\`${input.replace(/`/g, '')}\``).join(', ')}.`);
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

interface ReplayFlags { format?: string; all?: boolean; list?: boolean; brief?: boolean; dir?: string }

function listText(io: Io, root: string, format: OutputFormat): void {
  const rows = listIncidentNames(root).map((name) => {
    const parsed = parseExpected(readFileSync(join(root, name, 'expected.json'), 'utf8'), `${name}/expected.json`);
    return parsed.ok ? { name, title: parsed.value.title, at: parsed.value.at, summary: parsed.value.summary ?? null } : { name, title: '(expected.json does not validate)', at: null, summary: null };
  });
  if (format === 'json') { io.out(json(rows)); return; }
  if (format === 'markdown') {
    io.out(['| incident | title | at |', '|---|---|---|', ...rows.map((r) => `| \`${r.name}\` | ${md(r.title)} | ${r.at ? r.at.slice(0, 10) : ''} |`)].join('\n'));
    return;
  }
  const width = Math.max(0, ...rows.map((r) => r.name.length));
  for (const row of rows) io.out(`${row.name.padEnd(width)}  ${row.title}${row.at ? io.color.dim(`  (at ${row.at.slice(0, 10)})`) : ''}`);
}

export function registerReplay(program: Command, io: Io): void {
  program
    .command('replay')
    .description('replay a public incident (datasets/incidents/<name>): brief its blast radius and check it against what really happened (exit 1 if an expectation fails)')
    .argument('[name]', 'incident folder name (see --list)')
    .option('--all', 'replay every incident')
    .option('--list', 'list the incidents')
    .option('-f, --format <format>', 'text, json or markdown', 'text')
    .option('--brief', 'print the blast-radius brief (default with one incident)')
    .option('--no-brief', 'only the verdicts')
    .option('--dir <folder>', 'folder of incidents (default the bundled datasets/incidents)')
    .action((name: string | undefined, flags: ReplayFlags) => {
      const format = parseFormat(flags.format, ['text', 'json', 'markdown']);
      const root = resolve(flags.dir ?? INCIDENTS_DIR);
      if (flags.list) { listText(io, root, format); return; }
      if (flags.all && name !== undefined) throw new BlastmapError('INVALID_OPTION', 'give an incident name or --all, not both');
      if (!flags.all && name === undefined) throw new BlastmapError('INVALID_OPTION', `which incident? give a name (${listIncidentNames(root).join(', ')}), --all or --list`);
      const names = flags.all ? listIncidentNames(root) : [name!];
      const brief = flags.brief ?? !flags.all;
      const results: { loaded: LoadedIncident; replay: IncidentReplay }[] = [];
      for (const incident of names) {
        const loaded = loadIncident(root, incident);
        results.push({ loaded, replay: replayIncident(loaded.graph, loaded.expected, incident) });
      }
      const failed = results.filter((r) => !r.replay.pass);
      if (format === 'json') {
        io.out(json(flags.all
          ? { incidents: results.map((r) => r.replay), passed: results.length - failed.length, failed: failed.length, pass: failed.length === 0 }
          : results[0]!.replay));
      } else if (format === 'markdown') {
        io.out(results.map((r) => renderMarkdown(r.loaded, r.replay, brief)).join('\n'));
      } else {
        io.out(results.map((r) => renderText(r.loaded, r.replay, io.color, brief)).join('\n'));
        if (flags.all) {
          const width = Math.max(...results.map((r) => r.replay.incident.length));
          io.out(io.color.bold('SUMMARY'));
          for (const { replay } of results) {
            io.out(`  ${replay.pass ? io.color.green('PASS') : io.color.red(io.color.bold('FAIL'))}  ${replay.incident.padEnd(width)}  ${replay.passed}/${replay.passed + replay.failed} expectations  ${io.color.dim(replay.title)}`);
          }
        }
      }
      if (failed.length > 0) process.exitCode = EXIT.violation;
    });
}

// `blastmap diff <old> <new>`: what changed between two graphs of the same estate (two snapshots, two workspaces,
// two sets of native files): apps, credentials, grants, memberships, trusts, scope expansion, new paths to crown
// jewels, App scores and findings; --fail-on gates a scheduled job on it.
import type { Command } from 'commander';
import { diffGraphs, evaluateFailOn, FAIL_ON_TERMS, parseFailOn, type FailOnTerm } from '../../engine/analysis/diff.ts';
import { BlastmapError } from '../../engine/errors.ts';
import { renderDiffHtml, renderDiffMarkdown, renderDiffText } from '../../engine/report/diff.ts';
import { EXIT, inputName, json, parseCount, parseFormat, type Io } from '../context.ts';
import { loadGraph } from '../load-graph.ts';
import { addReachOptions, toReachOptions, type ReachFlags } from '../reach-options.ts';

interface DiffFlags extends ReachFlags { format?: string; failOn?: string; all?: boolean; staleDays?: string; rotationDays?: string; privilegedScore?: string }

export function registerDiff(program: Command, io: Io): void {
  const command = program
    .command('diff')
    .description('what changed between two graphs: apps, credentials, grants, memberships, trusts, scope expansion, new paths to crown jewels, App scores and findings')
    .argument('<old>', 'the earlier graph: a snapshot, a native file or folder, or a workspace folder')
    .argument('<new>', 'the later graph, in any of the same forms')
    .option('-f, --format <format>', 'text, json, markdown or html', 'text')
    .option('--fail-on <expression>', `exit 1 when the diff matches: terms separated by commas (or), each a name optionally compared (scope-expansion, score-increase>100, new-finding>=high); names: ${Object.keys(FAIL_ON_TERMS).join(', ')}`)
    .option('--all', 'list every entry of each section (text lists 25, Markdown 100)')
    .option('--stale-days <n>', 'findings compared: unused for more than n days is stale (default 90)')
    .option('--rotation-days <n>', 'findings compared: not rotated for more than n days is due (default 365)')
    .option('--privileged-score <n>', 'findings compared: score at or above which a node is privileged (default 25)');
  addReachOptions(command).action(async (oldPath: string, newPath: string, flags: DiffFlags) => {
    const format = parseFormat(flags.format, ['text', 'json', 'markdown', 'html']);
    let terms: FailOnTerm[] = [];
    if (flags.failOn !== undefined) {
      const parsed = parseFailOn(flags.failOn);
      if (!parsed.ok) throw new BlastmapError('INVALID_OPTION', parsed.message, { candidates: Object.keys(FAIL_ON_TERMS) });
      terms = parsed.terms;
    }
    const findings: Record<string, number> = {};
    for (const [key, flag, value] of [['staleDays', '--stale-days', flags.staleDays], ['rotationDays', '--rotation-days', flags.rotationDays], ['privilegedScore', '--privileged-score', flags.privilegedScore]] as const) {
      const n = parseCount(flag, value);
      if (n !== undefined) findings[key] = n;
    }
    const before = await loadGraph(oldPath);
    const after = await loadGraph(newPath);
    const diff = diffGraphs(before, after, { ...toReachOptions(flags), findings });
    const matched = evaluateFailOn(diff, terms).map((match) => match.term.text);
    const options = { oldLabel: inputName(oldPath), newLabel: inputName(newPath), ...(flags.all ? { limit: Infinity } : {}), ...(flags.failOn !== undefined ? { failedOn: matched } : {}) };
    if (format === 'json') io.out(json({ compared: { old: inputName(oldPath), new: inputName(newPath) }, ...diff, ...(flags.failOn !== undefined ? { failOn: { expression: flags.failOn, matched } } : {}) }));
    else if (format === 'markdown') io.out(renderDiffMarkdown(diff, options));
    else if (format === 'html') io.out(renderDiffHtml(diff, options));
    else io.out(renderDiffText(diff, { ...options, style: io.color }));
    if (matched.length > 0) {
      io.err(`diff matches --fail-on ${matched.join(', ')}: failing`);
      process.exitCode = EXIT.violation;
    }
  });
}

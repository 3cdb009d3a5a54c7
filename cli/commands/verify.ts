// `blastmap verify <plan-or-respond.json> --graph <fresh import>`: checks that the steps of a revocation or
// containment plan took effect in an import taken after the work, and that the radius shrank as predicted.
import type { Command } from 'commander';
import { readPlanJson, verifyPlan } from '../../engine/analysis/verify.ts';
import { BlastmapError } from '../../engine/errors.ts';
import { readYaml, withLines } from '../../engine/format/yaml.ts';
import { renderVerifyHtml, renderVerifyMarkdown, renderVerifyText } from '../../engine/report/verify.ts';
import { EXIT, graphPath, inputName, json, parseFormat, readInputText, type Io } from '../context.ts';
import { loadGraph } from '../load-graph.ts';
import { addReachOptions, toReachOptions, type ReachFlags } from '../reach-options.ts';

interface VerifyFlags extends ReachFlags { graph?: string; format?: string }

export function registerVerify(program: Command, io: Io): void {
  const command = program
    .command('verify')
    .description('verified revocation: check each step of a plan or containment plan (its JSON) against a fresh import; exit 1 when a step is still live')
    .argument('<plan>', 'the JSON output of `blastmap plan -f json` or `blastmap respond -f json` (- for standard input)')
    .option('-g, --graph <snapshot|file|folder>', 'the fresh import, taken after the work (default $BLASTMAP_GRAPH or .blastmap/graph.bmap)')
    .option('-f, --format <format>', 'text, json, markdown or html', 'text');
  addReachOptions(command).action(async (planFile: string, flags: VerifyFlags) => {
    const format = parseFormat(flags.format, ['text', 'json', 'markdown', 'html']);
    const options = toReachOptions(flags);
    if (options.maxDepth !== undefined) throw new BlastmapError('INVALID_OPTION', 'verify: --max-depth comes from the plan (its maxDepth), not the command line');
    const { maxDepth: _ignored, ...verifyOptions } = options;
    let text: string;
    try {
      text = readInputText(planFile);
    } catch (error) {
      throw new BlastmapError('IO', `cannot read ${inputName(planFile)}: ${(error as Error).message}`, { cause: error });
    }
    const file = inputName(planFile);
    const read = readYaml(text, { file, what: 'the JSON of `blastmap plan -f json` or `blastmap respond -f json`' });
    if (!read.ok) throw new BlastmapError('INVALID_INPUT', `${file} is not a plan`, { issues: read.issues });
    const parsed = readPlanJson(read.value, file);
    if (!parsed.ok) throw new BlastmapError('INVALID_INPUT', `${file} is not the output of blastmap plan or respond in JSON; nothing was checked`, { issues: withLines(parsed.issues, read.lineAt) });
    const graph = await loadGraph(flags.graph);
    const verification = verifyPlan(graph, parsed.plan, verifyOptions);
    const label = graphPath(flags.graph);
    if (format === 'json') io.out(json({ plan: file, graph: label, ...verification }));
    else if (format === 'markdown') io.out(renderVerifyMarkdown(verification, { graphLabel: label }));
    else if (format === 'html') io.out(renderVerifyHtml(verification, { graphLabel: label }));
    else io.out(renderVerifyText(verification, { style: io.color, graphLabel: label }));
    if (verification.counts['still-live'] > 0) {
      io.err(`${verification.counts['still-live']} step${verification.counts['still-live'] === 1 ? ' is' : 's are'} still live: failing`);
      process.exitCode = EXIT.violation;
    }
  });
}

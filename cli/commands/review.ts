// `blastmap review <proposal> --policy <file>` (or `--diff <old> <new>`): the review gate for a new or changed
// integration. Prints the authority it adds and every policy violation; exits 1 on an error-severity violation.
import type { Command } from 'commander';
import { review } from '../../engine/analysis/review.ts';
import { BlastmapError } from '../../engine/errors.ts';
import type { SourcedFragment } from '../../engine/format/validate.ts';
import { parsePolicy, type Policy } from '../../engine/policy.ts';
import { renderReviewMarkdown, renderReviewText } from '../../engine/report/review.ts';
import { reviewJsonParts } from '../../engine/report/review-json.ts';
import { reviewSarif } from '../../engine/report/sarif.ts';
import type { CompactGraph } from '../../engine/store/compact.ts';
import { EXIT, inputName, json, parseFormat, readInputText, reportError, writeChunks, writeJson, type Io } from '../context.ts';
import { loadGraph } from '../load-graph.ts';
import { readNativeFiles } from '../native-files.ts';
import { proposalFromDiffJson, proposalFromGraphs } from '../diff-proposal.ts';
import { VERSION } from '../package-root.ts';
import { addReachOptions, toReachOptions, type ReachFlags } from '../reach-options.ts';

interface ReviewFlags extends ReachFlags { graph?: string; policy: string; format?: string; diff?: string[] }

export function readPolicyFile(path: string): Policy {
  let text: string;
  try {
    text = readInputText(path);
  } catch (error) {
    throw new BlastmapError('IO', `cannot read the policy ${inputName(path)}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = parsePolicy(text, { file: inputName(path) });
  if (!parsed.ok) {
    throw new BlastmapError('INVALID_INPUT', `${parsed.issues.length} problem${parsed.issues.length === 1 ? '' : 's'} in the policy ${inputName(path)}`, { issues: parsed.issues });
  }
  return parsed.value;
}

/**
 * For review, a proposal or policy that cannot be read or is invalid is a usage error (exit 2), not the
 * generic input error (3): the gate was called wrongly, nothing was judged.
 */
function asUsageError(io: Io, error: unknown, what: string): void {
  if (error instanceof BlastmapError && (error.code === 'INVALID_INPUT' || error.code === 'IO')) {
    const reworded = error.code === 'INVALID_INPUT' && error.message.endsWith('nothing was imported')
      ? new BlastmapError('INVALID_INPUT', `${error.issues.length} problem${error.issues.length === 1 ? '' : 's'} in the ${what}; nothing was reviewed`, { issues: error.issues })
      : error;
    reportError(io, reworded);
    process.exitCode = EXIT.usage;
    return;
  }
  throw error;
}

export function registerReview(program: Command, io: Io): void {
  const command = program
    .command('review')
    .description('review gate for a new or changed integration: the authority it adds, checked against a policy (exit 1 on a violation)')
    .argument('[proposal]', 'native file (YAML, JSON or NDJSON), or a folder of them, with the proposed nodes and edges')
    .requiredOption('-p, --policy <file>', 'policy file, YAML or JSON (docs/policy.md)')
    .option('--diff <graphs...>', 'propose a diff instead: `--diff <old> <new>` (two graphs; reviewed against <old>) or `--diff <diff.json>` (`blastmap diff -f json` output; reviewed against --graph, else the diff\'s old graph)')
    .option('-g, --graph <snapshot|file|folder>', 'graph the proposal joins (default $BLASTMAP_GRAPH or .blastmap/graph.bmap)')
    .option('-f, --format <format>', 'text, json, markdown or sarif', 'text');
  addReachOptions(command).action(async (proposalPath: string | undefined, flags: ReviewFlags) => {
    const format = parseFormat(flags.format, ['text', 'json', 'markdown', 'sarif']);
    const options = toReachOptions(flags);
    if ((proposalPath === undefined) === (flags.diff === undefined)) {
      throw new BlastmapError('INVALID_OPTION', 'review takes a proposal or --diff, one of the two');
    }
    if (flags.diff !== undefined && (flags.diff.length > 2 || (flags.diff.length === 2 && flags.graph !== undefined))) {
      throw new BlastmapError('INVALID_OPTION', '--diff takes two graphs (<old> <new>, reviewed against <old>: no --graph) or one diff.json');
    }
    let policy: Policy;
    let proposal: SourcedFragment[];
    try {
      policy = readPolicyFile(flags.policy);
    } catch (error) {
      asUsageError(io, error, 'policy');
      return;
    }
    let graph: CompactGraph;
    if (flags.diff !== undefined) {
      const [first, second] = flags.diff as [string, string | undefined];
      if (second !== undefined) {
        graph = await loadGraph(first);
        proposal = [proposalFromGraphs(graph, await loadGraph(second), `diff ${first} ${second}`)];
      } else {
        let read: ReturnType<typeof proposalFromDiffJson>;
        try {
          let text: string;
          try {
            text = readInputText(first);
          } catch (error) {
            throw new BlastmapError('IO', `cannot read the diff ${inputName(first)}: ${(error as Error).message}`, { cause: error });
          }
          read = proposalFromDiffJson(text, inputName(first));
        } catch (error) {
          asUsageError(io, error, 'diff');
          return;
        }
        const base = flags.graph ?? read.oldGraph;
        if (base === undefined) throw new BlastmapError('INVALID_OPTION', `${inputName(first)} does not name its old graph: pass the graph it was taken from with --graph`);
        graph = await loadGraph(base);
        proposal = [read.proposal];
      }
    } else {
      try {
        proposal = readNativeFiles([proposalPath!]);
      } catch (error) {
        asUsageError(io, error, 'proposal');
        return;
      }
      graph = await loadGraph(flags.graph);
    }
    let result;
    try {
      // Only the JSON lists every node the added authority reaches; the other reports read its summaries.
      result = review(graph, proposal, policy, options, { authorityReached: format === 'json' });
    } catch (error) {
      // The graph loaded fine, so an input error here is the proposal's (an edge to an unknown node).
      asUsageError(io, error, 'proposal');
      return;
    }
    // JSON is written while walking the result: at scale the authority added and the exposure changes run to hundreds of MB.
    if (format === 'json') writeJson(io, (out) => reviewJsonParts(result, out));
    else if (format === 'sarif') io.out(json(reviewSarif(result, { toolVersion: VERSION, policyFile: flags.policy })));
    else if (format === 'markdown') io.out(renderReviewMarkdown(result, { policyFile: flags.policy }));
    else io.out(renderReviewText(result, { style: io.color, policyFile: flags.policy }));
    if (!result.passed) process.exitCode = EXIT.violation;
  });
}

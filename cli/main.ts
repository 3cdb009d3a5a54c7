// The `blastmap` command: parses arguments with commander and dispatches to one module per subcommand.
import { Command } from 'commander';
import { defaultIo, EXIT, reportError, STDIN, type Io } from './context.ts';
import { BlastmapError } from '../engine/errors.ts';
import { registerDemo } from './commands/demo.ts';
import { registerImport } from './commands/import.ts';
import { registerCollect } from './commands/collect.ts';
import { registerImportOpenGraph } from './commands/import-opengraph.ts';
import { registerExport } from './commands/export.ts';
import { registerRadius } from './commands/radius.ts';
import { registerSchema } from './commands/schema.ts';
import { registerPaths } from './commands/paths.ts';
import { registerPlan } from './commands/plan.ts';
import { registerRespond } from './commands/respond.ts';
import { registerWhatIf } from './commands/whatif.ts';
import { registerExposure } from './commands/exposure.ts';
import { registerRank } from './commands/rank.ts';
import { registerFindings } from './commands/findings.ts';
import { registerReview } from './commands/review.ts';
import { registerServe } from './commands/serve.ts';
import { registerNeo4j } from './commands/neo4j.ts';
import { redactText } from '../engine/secrets.ts';
import { attachStoreOptions } from './store-options.ts';
import { registerGenerate } from './commands/generate.ts';
import { registerReplay } from './commands/replay.ts';
import { registerCompletion } from './commands/completion.ts';
import { registerDiff } from './commands/diff.ts';
import { registerVerify } from './commands/verify.ts';
import { registerHistory } from './commands/history.ts';
import { VERSION } from './package-root.ts';

export { VERSION };

/** The argument parser's errors quote option values (`error: option '--format <f>' argument 'ghp_…' is invalid`). */
const inertArgumentError = (text: string): string => redactText(text).text;

export function buildProgram(io: Io): Command {
  const program = new Command('blastmap')
    .description('Blast radius of a compromised SaaS connector: what a stolen integration token reaches, how, and what to revoke first.')
    .version(VERSION)
    // Parsing errors are printed by reportError (usageMessage): commander's own text quotes what was typed.
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(inertArgumentError(text)), outputError: () => {} })
    .exitOverride();
  registerImport(program, io);
  registerImportOpenGraph(program, io);
  registerCollect(program, io);
  registerExport(program, io);
  registerRadius(program, io);
  registerDemo(program, io);
  registerSchema(program, io);
  registerPaths(program, io);
  registerPlan(program, io);
  registerRespond(program, io);
  registerWhatIf(program, io);
  registerExposure(program, io);
  registerRank(program, io);
  registerFindings(program, io);
  registerReview(program, io);
  registerServe(program, io);
  registerNeo4j(program, io);
  registerGenerate(program, io);
  registerReplay(program, io);
  registerDiff(program, io);
  registerHistory(program, io);
  registerVerify(program, io);
  registerCompletion(program, io);
  // Standard input is one stream: two inputs given as `-` (diff - -, whatif --mitigations - --graph -) would both get
  // the same bytes. Refused before anything is read (the program's hooks run before each command's own).
  program.hook('preAction', (_program, action) => {
    const values = [...action.args, ...Object.values(action.opts()).flat()];
    if (values.filter((value) => value === STDIN).length > 1) {
      throw new BlastmapError('INVALID_OPTION', 'standard input (`-`) can be read once: give it to one input only');
    }
  });
  // Last: gives every reading command registered above the --store option.
  attachStoreOptions(program);
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(inertArgumentError(text)), outputError: () => {} });
  return program;
}

/** Runs the CLI and returns the exit status (docs/cli.md lists them). */
export async function main(argv: readonly string[], baseIo: Io = defaultIo()): Promise<number> {
  const io: Io = { ...baseIo, jsonErrors: asksForJson(argv.slice(2)) };
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    return reportError(io, error);
  }
}

/** `--format json` (or `--format=json`, `-f json`, `-fjson`) anywhere before `--`: errors are then JSON too. */
export function asksForJson(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return false;
    if (arg === '--format=json' || arg === '-fjson') return true;
    if ((arg === '--format' || arg === '-f') && args[i + 1] === 'json') return true;
  }
  return false;
}

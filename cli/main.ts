// The `blastmap` command: parses arguments with commander and dispatches to one module per subcommand.
import { Command, Help } from 'commander';
import { defaultIo, EXIT, reportError, STDIN, type Io } from './context.ts';
import { BlastmapError } from '../engine/errors.ts';
import { redactText } from '../engine/secrets.ts';
import { attachStoreOptions } from './store-options.ts';
import { VERSION } from './package-root.ts';
import { COMMAND_MODULES, COMMAND_NAMES, type Register } from './command-modules.ts';
import { COMMAND_MANIFEST } from './command-manifest.ts';

export { VERSION };

/** The argument parser's errors quote option values (`error: option '--format <f>' argument 'ghp_…' is invalid`). */
const inertArgumentError = (text: string): string => redactText(text).text;

/**
 * The program with every command (`only` omitted), or with the modules of the commands in `only` loaded and every
 * other command a stub that carries only what `blastmap --help` says of it (cli/command-manifest.ts): a command
 * line loads the one module it runs. The help and the parser's errors (an unknown command and its suggestion) are
 * the same either way.
 */
export async function buildProgram(io: Io, only?: readonly string[]): Promise<Command> {
  const program = new Command('blastmap')
    .description('Blast radius of a compromised SaaS connector: what a stolen integration token reaches, how, and what to revoke first.')
    .version(VERSION)
    // Parsing errors are printed by reportError (usageMessage): commander's own text quotes what was typed.
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(inertArgumentError(text)), outputError: () => {} })
    .exitOverride();
  const loaded = new Map<string, readonly Register[]>();
  const described = (name: string) => COMMAND_MANIFEST.find((command) => command.name === name);
  // A command the manifest does not describe yet (before `npm run docs` writes it) is loaded, never left out.
  const names = only === undefined ? COMMAND_NAMES : COMMAND_NAMES.filter((name) => only.includes(name) || described(name) === undefined);
  await Promise.all(names.map(async (name) => loaded.set(name, await COMMAND_MODULES[name]!())));
  const stubs = new Map<Command, { term: string; description: string }>();
  for (const name of COMMAND_NAMES) {
    const registers = loaded.get(name);
    if (registers) {
      for (const register of registers) register(program, io);
      continue;
    }
    const entry = described(name)!;
    const stub = program.command(name).description(entry.description).allowUnknownOption().allowExcessArguments()
      .action(() => { throw new Error(`cli: the module of \`${name}\` was not loaded`); });
    stubs.set(stub, entry);
  }
  if (stubs.size > 0) {
    const standard = new Help();
    program.configureHelp({
      subcommandTerm: (command) => stubs.get(command)?.term ?? standard.subcommandTerm(command),
      subcommandDescription: (command) => stubs.get(command)?.description ?? standard.subcommandDescription(command),
    });
  }
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
  try {
    const named = commandOf(argv.slice(2));
    const program = await buildProgram(io, named !== undefined && COMMAND_NAMES.includes(named) ? [named] : []);
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    return reportError(io, error);
  }
}

/**
 * The command a command line runs: its first word that is not an option (the program's own options, --help and
 * --version, take no value), or the word after `help` (`blastmap help radius`).
 */
export function commandOf(args: readonly string[]): string | undefined {
  const words = args.filter((arg) => !arg.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
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

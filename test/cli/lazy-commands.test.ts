// A command line loads only the module of the command it runs (cli/command-modules.ts), and `blastmap --help` none:
// issue #17, item 4. What the user sees must not change: the help and every command's own help are checked equal to
// the program with every module loaded, and the manifest the help is written from equal to the commands' definitions.
// Which modules load is read from the sources' static imports, so the check does not depend on the machine's load.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Help, type Command } from 'commander';
import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { COMMAND_MANIFEST } from '../../cli/command-manifest.ts';
import { COMMAND_NAMES } from '../../cli/command-modules.ts';
import type { Io } from '../../cli/context.ts';
import { buildProgram, commandOf } from '../../cli/main.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** The repository files a module loads when it is evaluated: its static imports, transitively (not `import type`, not `import()`). */
function staticClosure(entry: string): string[] {
  const pattern = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;
  const seen = new Set<string>();
  const todo = [resolve(REPO, entry)];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) todo.push(resolve(dirname(file), match[1]!));
  }
  return [...seen].map((file) => relative(REPO, file).replaceAll('\\', '/'));
}

const heavy = (files: readonly string[]) => files.filter((file) => file.startsWith('importers/') || file === 'cli/workspace.ts' || file === 'cli/native-files.ts');

function capture(): { io: Io; text: () => string } {
  let text = '';
  const write = (t: string) => { text += t; };
  return { io: { out: write, err: write, color: pc.createColors(false), isTty: false }, text: () => text };
}

async function helpOf(only: readonly string[] | undefined, path: readonly string[]): Promise<string> {
  const { io } = capture();
  let command: Command = await buildProgram(io, only);
  for (const name of path) command = command.commands.find((sub) => sub.name() === name)!;
  return command.helpInformation();
}

describe('lazy command modules', () => {
  it('the CLI entry (all that `blastmap --help` loads) loads no command module, no graph loader and no schema', () => {
    const files = staticClosure('cli/main.ts');
    expect(files).toContain('cli/context.ts');
    expect(files.filter((file) => file.startsWith('cli/commands/'))).toEqual([]);
    expect(heavy(files)).toEqual([]);
    expect(files.filter((file) => file === 'cli/load-graph.ts' || file.startsWith('engine/store/') || file.startsWith('engine/schema/') || file.startsWith('engine/analysis/'))).toEqual([]);
  });

  it('a command that analyses a snapshot loads no importer, no workspace loader and no native-format parser', () => {
    for (const name of ['radius', 'plan', 'respond', 'whatif', 'paths', 'exposure', 'rank', 'findings', 'export', 'diff', 'verify', 'history', 'serve', 'neo4j']) {
      const module = `cli/commands/${name}.ts`;
      const files = staticClosure(module);
      expect(files, module).toContain(module);
      expect(heavy(files), module).toEqual([]);
    }
    // The scanner does see importers where a command needs them, so the checks above can fail.
    expect(heavy(staticClosure('cli/commands/import.ts')).length).toBeGreaterThan(50);
  });

  it('the manifest says what the commands themselves say, in the order they are registered', async () => {
    const { io } = capture();
    const program = await buildProgram(io);
    const help = new Help();
    expect(program.commands.map((command) => ({ name: command.name(), term: help.subcommandTerm(command), description: help.subcommandDescription(command) })), 'run `npm run docs`').toEqual(COMMAND_MANIFEST);
    expect(COMMAND_MANIFEST.map((entry) => entry.name)).toEqual(COMMAND_NAMES);
  });

  it('`blastmap --help` from the manifest is the help of the program with every module loaded', async () => {
    const full = await helpOf(undefined, []);
    expect(full).toContain('radius [options] <nodes...>');
    expect(await helpOf([], [])).toBe(full);
    // With one command loaded, the others stubbed: the same list.
    expect(await helpOf(['radius'], [])).toBe(full);
  });

  it('each command loaded alone has the same help, subcommands and options as in the full program', async () => {
    const { io } = capture();
    const full = await buildProgram(io);
    for (const name of COMMAND_NAMES) {
      const alone = await buildProgram(io, [name]);
      const a = alone.commands.find((command) => command.name() === name)!;
      const b = full.commands.find((command) => command.name() === name)!;
      expect(a.helpInformation(), name).toBe(b.helpInformation());
      expect(a.commands.map((sub) => sub.helpInformation()), name).toEqual(b.commands.map((sub) => sub.helpInformation()));
      // The other commands are stubs without options: their modules were not loaded.
      expect(alone.commands.filter((command) => command.name() !== name && command.options.length > 0).map((command) => command.name())).toEqual([]);
    }
  });

  it('finds the command a command line runs', () => {
    expect(commandOf(['radius', 'app', '-f', 'json'])).toBe('radius');
    expect(commandOf(['--help'])).toBeUndefined();
    expect(commandOf([])).toBeUndefined();
    expect(commandOf(['help', 'plan'])).toBe('plan');
    expect(commandOf(['help'])).toBeUndefined();
    expect(commandOf(['-h', 'import', 'okta', 'x'])).toBe('import');
  });
});

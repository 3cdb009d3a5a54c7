// Expands `<!-- example: blastmap ... -->` markers in docs/*.md and docs/cli/*.md: runs each command
// (in-process, from the repository root, no colour) and puts its real output in the fenced block below
// the marker. `--check` fails instead of writing when a page is out of date (the test suite runs it).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pc from 'picocolors';
import { Help } from 'commander';
import { buildProgram, main } from '../cli/main.ts';
import type { Io } from '../cli/context.ts';

const REPO = resolve(import.meta.dirname, '..');
const MARKER = /^<!-- example: (blastmap .+?) -->$/;
const MAX_LINES = 80;

/** Splits a command line on spaces, honouring double and single quotes. */
export function splitArgs(line: string): string[] {
  const args: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let match = pattern.exec(line); match; match = pattern.exec(line)) args.push(match[1] ?? match[2] ?? match[3]!);
  return args;
}

async function run(commandLine: string): Promise<string> {
  let text = '';
  const io: Io = { out: (t) => { text += t.endsWith('\n') ? t : `${t}\n`; }, err: (t) => { text += t.endsWith('\n') ? t : `${t}\n`; }, color: pc.createColors(false), isTty: false };
  const saved = process.exitCode;
  const code = await main(['node', ...splitArgs(commandLine)], io);
  process.exitCode = saved;
  const lines = text.replace(/\s+$/, '').split('\n');
  const shown = lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), `... (${lines.length - MAX_LINES} more lines)`] : lines;
  return `${shown.join('\n')}${code !== 0 ? `\n(exit status ${code})` : ''}`;
}

export async function renderPage(text: string): Promise<string> {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    out.push(line);
    const match = MARKER.exec(line.trim());
    if (!match) continue;
    // Drop the previously generated block, if any.
    if (lines[i + 1]?.startsWith('```')) {
      let j = i + 2;
      while (j < lines.length && !lines[j]!.startsWith('```')) j++;
      i = j;
    }
    const command = match[1]!;
    const fence = command.includes('--format json') || command.includes('-f json') ? '```json' : command.includes('--format markdown') ? '```markdown' : '```text';
    out.push(fence, `$ ${command}`, await run(command), '```');
  }
  return out.join('\n');
}

export function docPages(): string[] {
  const pages = readdirSync(join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(REPO, 'docs', f));
  const cliDir = join(REPO, 'docs/cli');
  if (existsSync(cliDir)) pages.push(...readdirSync(cliDir).filter((f) => f.endsWith('.md')).sort().map((f) => join(cliDir, f)));
  return pages;
}

const MANIFEST = join(REPO, 'cli/command-manifest.ts');

/**
 * cli/command-manifest.ts: what `blastmap --help` says of each command (its term and description), from the
 * commands' own definitions, so that the help needs none of their modules (cli/command-modules.ts).
 */
export async function manifestSource(): Promise<string> {
  const silent: Io = { out: () => {}, err: () => {}, color: pc.createColors(false), isTty: false };
  const program = await buildProgram(silent);
  const help = new Help();
  const entries = program.commands.map((command) => ({ name: command.name(), term: help.subcommandTerm(command), description: help.subcommandDescription(command) }));
  return `// Written by \`npm run docs\` (scripts/render-cli-docs.ts) from the commands' definitions: what \`blastmap --help\` says of
// each command, so that the help loads none of their modules (cli/command-modules.ts). Do not edit.
export const COMMAND_MANIFEST: readonly { name: string; term: string; description: string }[] = ${JSON.stringify(entries, null, 2)};
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  process.chdir(REPO);
  const stale: string[] = [];
  const manifest = await manifestSource();
  if (!existsSync(MANIFEST) || readFileSync(MANIFEST, 'utf8') !== manifest) {
    if (check) stale.push(MANIFEST);
    else { writeFileSync(MANIFEST, manifest); console.log(`updated ${MANIFEST}`); }
  }
  for (const page of docPages()) {
    const before = readFileSync(page, 'utf8');
    if (!before.includes('<!-- example:')) continue;
    const after = await renderPage(before);
    if (after === before) continue;
    if (check) stale.push(page);
    else { writeFileSync(page, after); console.log(`updated ${page}`); }
  }
  if (stale.length > 0) {
    console.error(`out of date (run npm run docs): ${stale.join(', ')}`);
    process.exitCode = 1;
  }
}

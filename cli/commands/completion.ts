// `blastmap completion bash|zsh|fish`: a shell completion script for every command, subcommand and option, written
// from the command definitions themselves so it never falls behind them.
import type { Command } from 'commander';
import { BlastmapError } from '../../engine/errors.ts';
import type { Io } from '../context.ts';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

interface Entry { name: string; description: string; options: string[]; subcommands: Entry[] }

function describe(command: Command): Entry {
  return {
    name: command.name(),
    description: command.description().split('\n')[0] ?? '',
    options: [...command.options.flatMap((option) => [option.long, option.short].filter((flag): flag is string => flag !== undefined)), '--help'],
    subcommands: command.commands.map(describe),
  };
}

/** Bash (and zsh through bashcompinit): the command, then its subcommand, then options or file names. */
function bashScript(commands: readonly Entry[]): string {
  const cases = commands.map((command) => {
    const sub = command.subcommands.length > 0
      ? `\n      if [ "$COMP_CWORD" -eq 2 ]; then COMPREPLY=($(compgen -W "${command.subcommands.map((s) => s.name).join(' ')}" -- "$cur")); return; fi\n      case "\${COMP_WORDS[2]}" in\n${command.subcommands.map((s) => `        ${s.name}) opts="${s.options.join(' ')}" ;;`).join('\n')}\n        *) opts="${command.options.join(' ')}" ;;\n      esac`
      : ` opts="${command.options.join(' ')}"`;
    return `    ${command.name})${sub} ;;`;
  }).join('\n');
  return `# blastmap completion for bash: add \`source <(blastmap completion bash)\` to ~/.bashrc
_blastmap() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" opts=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${commands.map((c) => c.name).join(' ')} --help --version" -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
}
complete -o filenames -F _blastmap blastmap
`;
}

function zshScript(commands: readonly Entry[]): string {
  return `# blastmap completion for zsh: add \`source <(blastmap completion zsh)\` to ~/.zshrc (after compinit)
autoload -U +X bashcompinit && bashcompinit
${bashScript(commands).split('\n').slice(1).join('\n')}`;
}

const fishQuote = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function fishScript(commands: readonly Entry[]): string {
  const lines = ['# blastmap completion for fish: `blastmap completion fish > ~/.config/fish/completions/blastmap.fish`', 'complete -c blastmap -f'];
  const names = commands.map((c) => c.name).join(' ');
  for (const command of commands) {
    lines.push(`complete -c blastmap -n "not __fish_seen_subcommand_from ${names}" -a ${command.name} -d ${fishQuote(command.description)}`);
    for (const sub of command.subcommands) {
      lines.push(`complete -c blastmap -n "__fish_seen_subcommand_from ${command.name}; and not __fish_seen_subcommand_from ${command.subcommands.map((s) => s.name).join(' ')}" -a ${sub.name} -d ${fishQuote(sub.description)}`);
      for (const flag of sub.options.filter((f) => f.startsWith('--'))) lines.push(`complete -c blastmap -n "__fish_seen_subcommand_from ${sub.name}" -l ${flag.slice(2)} -r -F`);
    }
    for (const flag of command.options.filter((f) => f.startsWith('--'))) lines.push(`complete -c blastmap -n "__fish_seen_subcommand_from ${command.name}" -l ${flag.slice(2)} -r -F`);
  }
  return `${lines.join('\n')}\n`;
}

export function completionScript(program: Command, shell: string): string {
  const commands = program.commands.map(describe);
  if (shell === 'bash') return bashScript(commands);
  if (shell === 'zsh') return zshScript(commands);
  if (shell === 'fish') return fishScript(commands);
  throw new BlastmapError('INVALID_OPTION', `completion: expected one of ${SHELLS.join(', ')}`, { candidates: [...SHELLS] });
}

export function registerCompletion(program: Command, io: Io): void {
  program
    .command('completion')
    .description('print a shell completion script: source <(blastmap completion bash), or zsh; fish: > ~/.config/fish/completions/blastmap.fish')
    .argument('<shell>', SHELLS.join(', '))
    .action(async (shell: string) => {
      // Every command's options: the program that runs this one loaded only this module (cli/command-modules.ts).
      const { buildProgram } = await import('../main.ts');
      io.out(completionScript(await buildProgram(io), shell).trimEnd());
    });
}

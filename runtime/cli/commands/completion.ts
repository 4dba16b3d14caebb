// `kpic completion bash|zsh|fish`: a completion script for the shell,
// written from the program itself, so every command and flag registered
// is completed and none that is not. Install: see docs/cli.md.

import type { Command } from 'commander';
import { Argument } from 'commander';
import { EXIT } from '../errors.ts';
import { outputOf } from '../output.ts';

const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

export function register(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish)')
    .addArgument(new Argument('<shell>', 'the shell').choices([...SHELLS]))
    .action((shell: Shell, _flags: unknown, cmd: Command) => {
      outputOf(cmd).out(completionScript(shell, cmd.parent!));
      process.exitCode = EXIT.ok;
    });
}

interface Described {
  readonly name: string;
  readonly description: string;
  readonly flags: readonly string[];
}

/** Commands and their long flags, from the program. */
function describe(program: Command): { global: string[]; commands: Described[] } {
  const longFlags = (cmd: Command) => cmd.options.map((o) => o.long).filter((f): f is string => f !== undefined);
  return {
    global: [...longFlags(program), '--help'],
    commands: program.commands.map((c) => ({
      name: c.name(),
      description: c.description(),
      flags: [...longFlags(c), '--help'],
    })),
  };
}

export function completionScript(shell: Shell, program: Command): string {
  const spec = describe(program);
  if (shell === 'bash') return bash(spec);
  if (shell === 'zsh') return `#compdef kpic\nautoload -U +X bashcompinit && bashcompinit\n${bash(spec)}`;
  return fish(spec);
}

function bash(spec: { global: string[]; commands: Described[] }): string {
  const cases = spec.commands.map((c) => `    ${c.name}) flags="${c.flags.join(' ')}" ;;`).join('\n');
  return `# kpic completion for bash: eval "$(kpic completion bash)" in ~/.bashrc
_kpic() {
  local cur cmd flags word
  cur="\${COMP_WORDS[COMP_CWORD]}"
  cmd=""
  for word in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case "$word" in -*) ;; *) cmd="$word"; break ;; esac
  done
  case "$cmd" in
${cases}
    *) flags="${spec.global.join(' ')}" ;;
  esac
  if [[ -z "$cmd" && "$cur" != -* ]]; then
    COMPREPLY=( $(compgen -W "${spec.commands.map((c) => c.name).join(' ')}" -- "$cur") )
  elif [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$flags" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -o filenames -F _kpic kpic
`;
}

function fish(spec: { global: string[]; commands: Described[] }): string {
  const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const lines = [
    '# kpic completion for fish: kpic completion fish > ~/.config/fish/completions/kpic.fish',
    'complete -c kpic -f',
  ];
  const names = spec.commands.map((c) => c.name).join(' ');
  for (const c of spec.commands)
    lines.push(
      `complete -c kpic -n "not __fish_seen_subcommand_from ${names}" -a ${c.name} -d ${quote(c.description)}`,
    );
  for (const flag of spec.global)
    lines.push(`complete -c kpic -n "not __fish_seen_subcommand_from ${names}" -l ${flag.slice(2)}`);
  for (const c of spec.commands) {
    for (const flag of c.flags)
      lines.push(`complete -c kpic -n "__fish_seen_subcommand_from ${c.name}" -l ${flag.slice(2)} -F`);
  }
  return `${lines.join('\n')}\n`;
}

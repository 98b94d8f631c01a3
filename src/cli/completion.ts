/**
 * `bookops completion bash|zsh|fish`: a shell completion script generated from the commander
 * program with every command of the one list loaded, so it completes exactly the commands,
 * options and choices bookops has (a command added to src/cli/commands.ts is in the next script
 * printed without an edit here). The scripts walk the words typed so far to find the command
 * they are in (skipping options and the values of options that take one), then offer its
 * subcommands, its options (and the global ones), an option's choices, or files for a free value.
 */
import { Command, type Option } from 'commander';
import { examples } from './define.js';
import { choice } from './parsers.js';

export type Shell = 'bash' | 'zsh' | 'fish';
export const SHELLS: Shell[] = ['bash', 'zsh', 'fish'];

interface CompletionOption {
  flags: string[];
  takesValue: boolean;
  /** The values a choice() parser accepts; none: any value (files are offered). */
  choices: string[];
  description: string;
}

interface CompletionNode {
  /** The command words from the program down to it: '' for the program itself, 'db url'. */
  path: string;
  subcommands: Array<{ name: string; description: string }>;
  /** Its own options, then (below the program) the global ones, then --help. */
  options: CompletionOption[];
  /** Choices of its first argument (`completion <shell>`). */
  argumentChoices: string[];
}

/** The parser's choices, when it is a choice() parser. */
function choicesOf(parse: unknown): string[] {
  return (parse as { choices?: string[] } | undefined)?.choices ?? [];
}

function optionOf(o: Option): CompletionOption {
  return {
    flags: [o.short, o.long].filter((f): f is string => Boolean(f)),
    takesValue: o.required || o.optional,
    choices: choicesOf(o.parseArg),
    description: o.description,
  };
}

const HELP: CompletionOption = { flags: ['-h', '--help'], takesValue: false, choices: [], description: 'display help for command' };

/** Every command of the tree, the program first. */
export function completionNodes(program: Command): CompletionNode[] {
  const globals = program.options.filter((o) => !o.hidden).map(optionOf);
  const walk = (cmd: Command, path: string): CompletionNode[] => {
    const own = path === '' ? globals : cmd.options.filter((o) => !o.hidden).map(optionOf);
    const node: CompletionNode = {
      path,
      subcommands: cmd.commands.map((c) => ({ name: c.name(), description: c.description() })),
      // The program's options hold below every command, except --version (the program's own).
      options: [...own, ...(path === '' ? [] : globals.filter((o) => !o.flags.includes('--version'))), HELP],
      argumentChoices: choicesOf(cmd.registeredArguments[0]?.parseArg),
    };
    return [node, ...cmd.commands.flatMap((c) => walk(c, path ? `${path} ${c.name()}` : c.name()))];
  };
  return walk(program, '');
}

export function completionScript(shell: Shell, program: Command): string {
  const nodes = completionNodes(program);
  return shell === 'fish' ? fishScript(nodes) : shScript(shell, nodes);
}

/** The `completion` command, for the program to register; `load` builds the program with every command. */
export function completionCommand(load: () => Promise<Command>): Command {
  return new Command('completion')
    .description('print a shell completion script (bash, zsh or fish) for every command and option')
    .argument('<shell>', SHELLS.join(', '), choice(...SHELLS))
    .addHelpText(
      'after',
      examples(
        'source <(bookops completion bash)      # in ~/.bashrc',
        'source <(bookops completion zsh)       # in ~/.zshrc, after compinit',
        'bookops completion fish > ~/.config/fish/completions/bookops.fish',
      ) + '\nThe scripts complete the command `bookops`: put it on the PATH (npm link, or a global install) to use them.\n',
    )
    .action(async (shell: Shell) => {
      process.stdout.write(completionScript(shell, await load()));
    });
}

const words = (list: string[]) => `'${list.join(' ')}'`;

/** The data functions bash and zsh share (case statements run the same in both), and each shell's own completer. */
function shScript(shell: 'bash' | 'zsh', nodes: CompletionNode[]): string {
  const valueCases: string[] = [];
  const seen = new Set<string>();
  // Options of a command first, then the global ones (valid below any command: the `*` pattern).
  for (const node of [...nodes.slice(1), nodes[0]]) {
    for (const o of node.options.filter((x) => x.takesValue)) {
      const pattern = o.flags.map((f) => (node.path === '' ? `*'|${f}'` : `'${node.path}|${f}'`)).join('|');
      if (seen.has(pattern)) continue;
      seen.add(pattern);
      valueCases.push(`    ${pattern}) echo ${words(o.choices)} ;;`);
    }
  }
  const data = [
    `_bookops_subcommands() {`,
    `  case "$1" in`,
    ...nodes.filter((n) => n.subcommands.length).map((n) => `    '${n.path}') echo ${words(n.subcommands.map((s) => s.name))} ;;`),
    `  esac`,
    `}`,
    `_bookops_arguments() {`,
    `  case "$1" in`,
    ...nodes.filter((n) => n.argumentChoices.length).map((n) => `    '${n.path}') echo ${words(n.argumentChoices)} ;;`),
    `  esac`,
    `}`,
    `_bookops_options() {`,
    `  case "$1" in`,
    ...nodes.map((n) => `    '${n.path}') echo ${words(n.options.flatMap((o) => o.flags.filter((f) => f.startsWith('--'))))} ;;`),
    `  esac`,
    `}`,
    `# Succeeds when option $2 of command $1 takes a value, and prints its choices (none: any value).`,
    `_bookops_values() {`,
    `  case "$1|$2" in`,
    ...valueCases,
    `    *) return 1 ;;`,
    `  esac`,
    `}`,
  ];
  const walk = (first: string, last: string) => [
    `  local cmdpath='' word values i`,
    `  for (( i = ${first}; i < ${last}; i++ )); do`,
    `    word="\${${shell === 'bash' ? 'COMP_WORDS' : 'words'}[i]}"`,
    `    case "$word" in`,
    `      --) break ;;`,
    `      -*=*) ;;`,
    `      -*) if _bookops_values "$cmdpath" "$word" >/dev/null; then (( i++ )); fi ;;`,
    `      *) if [[ " $(_bookops_subcommands "$cmdpath") " == *" $word "* ]]; then cmdpath="\${cmdpath:+$cmdpath }$word"; fi ;;`,
    `    esac`,
    `  done`,
  ];
  const completer =
    shell === 'bash'
      ? [
          `_bookops() {`,
          `  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"`,
          ...walk('1', 'COMP_CWORD'),
          `  COMPREPLY=()`,
          `  if (( COMP_CWORD > 1 )) && [[ "$prev" == -* ]] && values="$(_bookops_values "$cmdpath" "$prev")"; then`,
          `    if [[ -n "$values" ]]; then COMPREPLY=( $(compgen -W "$values" -- "$cur") ); else COMPREPLY=( $(compgen -f -- "$cur") ); fi`,
          `  elif [[ "$cur" == -* ]]; then`,
          `    COMPREPLY=( $(compgen -W "$(_bookops_options "$cmdpath")" -- "$cur") )`,
          `  else`,
          `    COMPREPLY=( $(compgen -W "$(_bookops_subcommands "$cmdpath") $(_bookops_arguments "$cmdpath")" -- "$cur") )`,
          `  fi`,
          `}`,
          `complete -F _bookops bookops`,
        ]
      : [
          `_bookops() {`,
          `  local cur="\${words[CURRENT]}" prev="\${words[CURRENT-1]}"`,
          ...walk('2', 'CURRENT'),
          `  if (( CURRENT > 2 )) && [[ "$prev" == -* ]] && values="$(_bookops_values "$cmdpath" "$prev")"; then`,
          `    if [[ -n "$values" ]]; then compadd -- \${=values}; else _files; fi`,
          `  elif [[ "$cur" == -* ]]; then`,
          `    compadd -- $(_bookops_options "$cmdpath")`,
          `  else`,
          `    compadd -- $(_bookops_subcommands "$cmdpath") $(_bookops_arguments "$cmdpath")`,
          `  fi`,
          `}`,
          `if (( $+functions[compdef] )); then compdef _bookops bookops; fi`,
        ];
  const header =
    shell === 'bash'
      ? ['# bash completion for bookops, generated by `bookops completion bash` from its commands.', '# Load it with: source <(bookops completion bash)']
      : ['#compdef bookops', '# zsh completion for bookops, generated by `bookops completion zsh` from its commands.', '# Load it with: source <(bookops completion zsh)   (after compinit)'];
  return [...header, ...data, ...completer, ''].join('\n');
}

/** fish quotes: inside '…' only \\ and \' are special. */
const fishQuote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function fishScript(nodes: CompletionNode[]): string {
  const lines = [
    '# fish completion for bookops, generated by `bookops completion fish` from its commands.',
    '# Install it with: bookops completion fish > ~/.config/fish/completions/bookops.fish',
    'function __bookops_subcommands',
    '    switch "$argv[1]"',
    ...nodes.filter((n) => n.subcommands.length).flatMap((n) => [`        case ${fishQuote(n.path)}`, `            printf '%s\\n' ${n.subcommands.map((s) => s.name).join(' ')}`]),
    '    end',
    'end',
    '# Succeeds when option $argv[2] of command $argv[1] takes a value.',
    'function __bookops_takes_value',
    '    switch "$argv[1]|$argv[2]"',
  ];
  const patterns = new Set<string>();
  for (const node of nodes) {
    for (const o of node.options.filter((x) => x.takesValue)) for (const f of o.flags) patterns.add(node.path === '' ? `'*|${f}'` : fishQuote(`${node.path}|${f}`));
  }
  lines.push(`        case ${[...patterns].join(' ')}`, '            return 0', '    end', '    return 1', 'end');
  lines.push(
    '# The command the words typed so far are in ("" for bookops itself, "db url").',
    'function __bookops_path',
    '    set -l typed (commandline -opc)',
    '    set -e typed[1]',
    '    set -l cmdpath',
    '    set -l skip 0',
    '    for word in $typed',
    '        if test $skip = 1',
    '            set skip 0',
    '            continue',
    '        end',
    '        switch $word',
    "            case '--'",
    '                break',
    "            case '-*=*'",
    "            case '-*'",
    '                if __bookops_takes_value "$cmdpath" $word',
    '                    set skip 1',
    '                end',
    "            case '*'",
    '                if contains -- $word (__bookops_subcommands "$cmdpath")',
    '                    set cmdpath (string join " " $cmdpath $word)',
    '                end',
    '        end',
    '    end',
    '    echo "$cmdpath"',
    'end',
    'function __bookops_at',
    '    test (__bookops_path) = "$argv[1]"',
    'end',
    'complete -c bookops -e',
    'complete -c bookops -f',
  );
  for (const node of nodes) {
    const at = `-n ${fishQuote(`__bookops_at '${node.path}'`)}`;
    for (const s of node.subcommands) lines.push(`complete -c bookops ${at} -a ${fishQuote(s.name)} -d ${fishQuote(s.description)}`);
    if (node.argumentChoices.length) lines.push(`complete -c bookops ${at} -a ${fishQuote(node.argumentChoices.join(' '))}`);
    // The program's options are global (--version aside): offered below every command, once, without a condition.
    const options = node.path === '' ? node.options : node.options.filter((o) => !nodes[0].options.includes(o) && o !== HELP);
    for (const o of options) {
      const names = o.flags.map((f) => (f.startsWith('--') ? `-l ${f.slice(2)}` : `-s ${f.slice(1)}`)).join(' ');
      const value = !o.takesValue ? '' : o.choices.length ? ` -x -a ${fishQuote(o.choices.join(' '))}` : ' -r -F';
      const global = node.path === '' && !o.flags.includes('--version');
      lines.push(`complete -c bookops ${global ? '' : `${at} `}${names}${value} -d ${fishQuote(o.description)}`);
    }
  }
  return [...lines, ''].join('\n');
}

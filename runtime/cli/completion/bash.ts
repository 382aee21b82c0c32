import type { CompletedOption, CompletionTree } from './tree';

/**
 * A bash completion function: the command is the first word that is neither an option nor an option's value;
 * then its options and the program's, its subcommands, or an option's choices or a path.
 */
export function bashCompletion(tree: CompletionTree): string {
  const all = [...tree.globals, ...tree.commands.flatMap((command) => command.options)];
  const flags = (options: readonly CompletedOption[]) => options.flatMap((option) => [option.long, option.short ?? []].flat()).join(' ');
  const valued = [...new Set(all.filter((option) => option.takesValue).flatMap((option) => [option.long, option.short ?? []].flat()))];
  const choices = [...new Map(all.filter((option) => option.choices).map((option) => [option.long, option.choices!.join(' ')])).entries()];
  const files = [...new Set(all.filter((option) => option.file).map((option) => option.long))];
  // The most specific path first: bash's case takes the first pattern that matches.
  const top = tree.commands.filter((command) => command.words.length === 1);
  return `# outpost completion for bash: source <(outpost completion bash), or save it in ~/.local/share/bash-completion/completions/outpost
_outpost_completion() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" path="" i word skip=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if [[ -n "$skip" ]]; then skip=""; continue; fi
    case "$word" in
      ${valued.join('|')}) skip=1 ;;
      -*) ;;
      *) path="\${path:+$path }$word" ;;
    esac
  done
  case "$prev" in
${choices.map(([long, values]) => `    ${long}) COMPREPLY=($(compgen -W "${values}" -- "$cur")); return ;;`).join('\n')}
    ${files.join('|')}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    ${valued.join('|')}) COMPREPLY=(); return ;;
  esac
  local words="${flags(tree.globals)}"
  case "$path" in
    "") [[ "$cur" == -* ]] || words="${top.map((command) => command.words[0]).join(' ')}" ;;
${[...tree.commands].sort((a, b) => b.words.length - a.words.length).map((command) => `    "${command.words.join(' ')}"*) words="$words ${flags(command.options)}${[...command.subcommands, ...command.argumentChoices].map((word) => ` ${word}`).join('')}" ;;`).join('\n')}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _outpost_completion outpost
`;
}

/** zsh runs the bash function through its bashcompinit layer, which ships with zsh. */
export function zshCompletion(tree: CompletionTree): string {
  return `#compdef outpost
# outpost completion for zsh: source <(outpost completion zsh) in ~/.zshrc (after compinit)
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(tree)}`;
}

import { singleQuoted, type CompletedOption, type CompletionTree } from './tree';

/** fish completions: commands while none is given, then each command's options and the program's. */
export function fishCompletion(tree: CompletionTree): string {
  const lines = ['# outpost completion for fish: outpost completion fish > ~/.config/fish/completions/outpost.fish', 'complete -c outpost -f'];
  for (const option of tree.globals) {
    lines.push(`complete -c outpost ${optionSpec(option)}`);
  }
  for (const command of tree.commands) {
    const [first, ...rest] = command.words;
    const condition = rest.length === 0
      ? '__fish_use_subcommand'
      : `__fish_seen_subcommand_from ${first}; and not __fish_seen_subcommand_from ${rest.join(' ')}`;
    lines.push(`complete -c outpost -n ${singleQuoted(condition)} -a ${command.words.at(-1)} -d ${singleQuoted(command.description)}`);
    if (command.argumentChoices.length > 0) {
      lines.push(`complete -c outpost -n ${singleQuoted(`__fish_seen_subcommand_from ${command.words.at(-1)}`)} -a ${singleQuoted(command.argumentChoices.join(' '))}`);
    }
    for (const option of command.options) {
      lines.push(`complete -c outpost -n ${singleQuoted(`__fish_seen_subcommand_from ${command.words.at(-1)}`)} ${optionSpec(option)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function optionSpec(option: CompletedOption): string {
  const parts = [`-l ${option.long.replace(/^--/, '')}`];
  if (option.short) {
    parts.push(`-s ${option.short.replace(/^-/, '')}`);
  }
  if (option.takesValue) {
    parts.push(option.file ? '-r -F' : '-r');
  }
  if (option.choices) {
    parts.push(`-a ${singleQuoted(option.choices.join(' '))}`);
  }
  parts.push(`-d ${singleQuoted(option.description)}`);
  return parts.join(' ');
}

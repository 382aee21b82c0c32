import type { Command } from 'commander';

/** An option as a shell completes it: its flags, whether a value follows, the values it accepts. */
export interface CompletedOption {
  readonly long: string;
  readonly short?: string;
  readonly description: string;
  readonly takesValue: boolean;
  readonly choices?: readonly string[];
  /** Its value is a path (`--trace FILE`, `--download DIR`). */
  readonly file: boolean;
}

/** A command as a shell completes it; `words` is its path below `outpost` (`['workspaces', 'rm']`). */
export interface CompletedCommand {
  readonly words: readonly string[];
  readonly description: string;
  readonly options: readonly CompletedOption[];
  readonly subcommands: readonly string[];
  /** The values its arguments accept (`completion <shell>`: bash, zsh, fish). */
  readonly argumentChoices: readonly string[];
}

export interface CompletionTree {
  readonly globals: readonly CompletedOption[];
  readonly commands: readonly CompletedCommand[];
}

const FILE_VALUE = /<(file|dir|path)>/i;

/** What to complete, read from the program itself, so that a new command or option completes with no edit here. */
export function completionTree(root: Command): CompletionTree {
  const commands: CompletedCommand[] = [];
  const visit = (command: Command, words: string[]) => {
    for (const sub of command.commands) {
      const path = [...words, sub.name()];
      commands.push({
        words: path,
        description: sub.description(),
        options: sub.options.map(completedOption),
        subcommands: sub.commands.map((c) => c.name()),
        argumentChoices: sub.registeredArguments.flatMap((argument) => argument.argChoices ?? []),
      });
      visit(sub, path);
    }
  };
  visit(root, []);
  return { globals: root.options.map(completedOption), commands };
}

function completedOption(option: Command['options'][number]): CompletedOption {
  return {
    long: option.long ?? option.flags,
    short: option.short,
    description: option.description,
    takesValue: option.required || option.optional,
    choices: option.argChoices,
    file: FILE_VALUE.test(option.flags),
  };
}

/** Quoted for a POSIX shell's single quotes. */
export function singleQuoted(text: string): string {
  return `'${text.replace(/'/g, '\'\\\'\'')}'`;
}

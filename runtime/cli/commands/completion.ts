import { Argument, Command } from 'commander';
import type { Cli } from '../cli';
import { bashCompletion, zshCompletion } from '../completion/bash';
import { fishCompletion } from '../completion/fish';
import { completionTree } from '../completion/tree';

const SHELLS = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion } as const;

/** `outpost completion bash|zsh|fish`: the shell's completion script for every command and option, on stdout. */
export function completionCommand(cli: Cli): Command {
  return new Command('completion')
    .description('Print a shell completion script (bash: source <(outpost completion bash))')
    .addArgument(new Argument('<shell>', 'the shell').choices(Object.keys(SHELLS)))
    .action(cli.action(async (shell: keyof typeof SHELLS, _options: object, command: Command) => {
      cli.io.stdout.write(SHELLS[shell](completionTree(command.parent!)));
    }));
}

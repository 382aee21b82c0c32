import * as path from 'path';
import type { AgentAdapter, AgentReport } from './types';
import { usageByModel } from './usage';

/**
 * Aider (`aider-chat==0.86.2`), one-shot with `--message`.
 *
 * Flags from Aider-AI/aider `aider/args.py`: `--message`, `--model`, `--yes-always`, `--no-auto-commits`
 * and `--no-dirty-commits` (the worker commits), `--no-gitignore` (else Aider edits .gitignore),
 * `--no-check-update`, `--no-show-release-notes`, `--no-show-model-warnings`, `--analytics-disable` (no
 * first-run analytics question), `--no-pretty` (plain output), and the history files moved to HOME so
 * they stay out of the commit. Its repo-map cache (`.aider.tags.cache.*`) still lands in the working
 * tree, hence the scratch pattern.
 *
 * Usage: Aider prints `Tokens: 12k sent, 2.3k cache write, 2.3k cache hit, 1.1k received.` after each
 * model call (`calculate_and_show_tokens_and_cost` in `aider/coders/base_coder.py`, numbers rounded by
 * `format_tokens` in `aider/utils.py`), so the sums are as exact as Aider's rounding. `sent` is taken as
 * the input and `cache hit` as the cached part, as Aider reports them.
 */
export const aider: AgentAdapter = {
  name: 'aider',
  executable: 'aider',
  scratchPatterns: ['.aider*'],
  invocation: ({ prompt, model, workdir, env }) => {
    const home = env.HOME ?? path.dirname(workdir);
    return {
      args: [
        `--message=${prompt}`,
        `--model=${model}`,
        '--yes-always',
        '--no-auto-commits',
        '--no-dirty-commits',
        '--no-gitignore',
        '--no-check-update',
        '--no-show-release-notes',
        '--no-show-model-warnings',
        '--analytics-disable',
        '--no-pretty',
        `--input-history-file=${path.join(home, '.aider.input.history')}`,
        `--chat-history-file=${path.join(home, '.aider.chat.history.md')}`,
      ],
      env: {},
    };
  },
  report({ stdout, requestedModel }): AgentReport {
    const reports = stdout.matchAll(/^Tokens: ([\d.]+k?) sent(?:, ([\d.]+k?) cache write)?(?:, ([\d.]+k?) cache hit)?, ([\d.]+k?) received\./gm);
    return {
      usage: usageByModel([...reports].map(([, sent, write, hit, received]) =>
        ({ model: requestedModel, input: tokens(sent), output: tokens(received), cached: tokens(hit), cacheWrite: tokens(write) }))),
      failure: null,
    };
  },
};

/** `format_tokens` output back to a number: `850`, `2.3k`, `12k`. */
function tokens(text: string | undefined): number {
  if (!text) {
    return 0;
  }
  return text.endsWith('k') ? Math.round(parseFloat(text) * 1000) : parseInt(text, 10);
}

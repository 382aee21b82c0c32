import { count, isRecord, jsonObjectLines } from './json-lines';
import type { AgentAdapter, AgentReport } from './types';

/**
 * Claude Code (`@anthropic-ai/claude-code@2.1.332`), print mode.
 *
 * Flags: `-p/--print` (a switch; the prompt is the positional argument), `--model`, `--output-format
 * stream-json`, `--verbose`, which stream-json needs in print mode, and `--dangerously-skip-permissions`
 * (docs.anthropic.com/en/docs/claude-code/cli-reference; the pairing with `--verbose` as in
 * harness.lol/docs/agents/claude). The prompt follows `--` so that one starting with a dash stays a prompt.
 *
 * Usage: the last line of the stream is `{"type":"result",...,"usage":{"input_tokens",
 * "cache_creation_input_tokens","cache_read_input_tokens","output_tokens",...}}` (the SDK's
 * SDKResultMessage; mirrored by the `claude-codes` crate's ResultMessage, docs.rs/claude-codes/2.1.285).
 * Anthropic's `input_tokens` excludes both cache counts, so they are added back for `input`.
 *
 * `IS_SANDBOX=1`: Claude Code refuses `--dangerously-skip-permissions` as root unless the process declares
 * itself sandboxed (anthropics/claude-code#3490; the guard in cli.js is quoted in h0x91b/dev-3.0#1575).
 * A single-use task container is that sandbox, whatever user the image runs as.
 */
export const claude: AgentAdapter = {
  name: 'claude',
  executable: 'claude',
  scratchPatterns: [],
  invocation: ({ prompt, model }) => ({
    args: ['-p', '--model', model, '--output-format', 'stream-json', '--verbose', '--dangerously-skip-permissions', '--', prompt],
    env: { IS_SANDBOX: '1' },
  }),
  report({ stdout, requestedModel }): AgentReport {
    const result = jsonObjectLines(stdout).filter((line) => line.type === 'result' && isRecord(line.usage)).pop();
    if (!result) {
      return { usage: null, failure: null };
    }
    const usage = result.usage as Record<string, unknown>;
    const cached = count(usage.cache_read_input_tokens);
    const cacheWrite = count(usage.cache_creation_input_tokens);
    return {
      usage: [{
        model: requestedModel, input: count(usage.input_tokens) + cacheWrite + cached, output: count(usage.output_tokens), cached, cacheWrite,
      }],
      failure: null,
    };
  },
};

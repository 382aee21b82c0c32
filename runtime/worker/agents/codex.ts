import { count, isRecord, jsonObjectLines } from './json-lines';
import { providerKeyAs } from './provider-key';
import type { AgentAdapter, AgentReport } from './types';
import { usageByModel } from './usage';

/**
 * OpenAI Codex CLI (`@openai/codex@0.171.0`), `codex exec`.
 *
 * Flags from openai/codex `codex-rs/exec/src/cli.rs` (`--json`, `--skip-git-repo-check`, the PROMPT
 * positional) and `codex-rs/utils/cli/src/shared_options.rs` (`--model/-m`, `--cd/-C`,
 * `--dangerously-bypass-approvals-and-sandbox`): the container is the sandbox, and Codex's own sandbox
 * needs kernel features Fargate does not grant. `--skip-git-repo-check` because an assignment without a
 * repository runs in a plain directory.
 *
 * Usage: JSONL `{"type":"turn.completed","usage":{"input_tokens","cached_input_tokens","output_tokens"}}`
 * (`ThreadEvent::TurnCompleted` in `codex-rs/exec/src/exec_events.rs`), summed over turns. OpenAI's
 * `input_tokens` already includes the cached ones.
 *
 * `codex exec` authenticates with `CODEX_API_KEY` (`CODEX_API_KEY_ENV_VAR` in codex-login; test
 * `exec_uses_codex_api_key_env_var`), so the injected OPENAI_API_KEY is passed on under that name.
 */
export const codex: AgentAdapter = {
  name: 'codex',
  executable: 'codex',
  scratchPatterns: [],
  invocation: ({ prompt, model, workdir, env }) => ({
    args: ['exec', '--json', '--model', model, '--dangerously-bypass-approvals-and-sandbox', '--skip-git-repo-check', '--cd', workdir, '--', prompt],
    env: providerKeyAs(env, 'OPENAI_API_KEY', 'CODEX_API_KEY'),
  }),
  report({ stdout, requestedModel }): AgentReport {
    return {
      usage: usageByModel(jsonObjectLines(stdout)
        .filter((line) => line.type === 'turn.completed' && isRecord(line.usage))
        .map((turn) => {
          const usage = turn.usage as Record<string, unknown>;
          const cached = count(usage.cached_input_tokens);
          return { model: requestedModel, input: count(usage.input_tokens), output: count(usage.output_tokens), cached, cacheWrite: 0 };
        })),
      failure: null,
    };
  },
};

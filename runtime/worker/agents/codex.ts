import { gatewayBase, throughGateway } from './gateway-route';
import { count, isRecord, jsonObjectLines } from './json-lines';
import type { AgentAdapter, AgentReport } from './types';
import type { ModelUsage } from '../../contracts/token-usage';

/**
 * OpenAI Codex CLI (`@openai/codex@0.171.0`), `codex exec`.
 *
 * Flags from `codex exec --help` (0.171.0): `--json`, `--model`, `--cd`, `--skip-git-repo-check` (an
 * assignment without a repository runs in a plain directory), and `--dangerously-bypass-approvals-and-sandbox`:
 * the container is the sandbox, and Codex's own (landlock/seccomp) needs kernel features Fargate does not grant.
 *
 * `codex exec` authenticates with `CODEX_API_KEY` (its binary's message without one: "run `codex login` or set
 * CODEX_API_KEY"): it gets the model gateway's placeholder, as does OPENAI_API_KEY. It no longer reads
 * OPENAI_BASE_URL (with it set, 0.171.0 still called api.openai.com); the gateway's `/openai/v1` becomes its
 * `openai_base_url` setting (openai/codex `docs/config.md`), the one override of the built-in provider's URL that
 * keeps the provider's own auth and retries. Its WebSocket handshake gets 426 from the gateway, and Codex falls back
 * to HTTPS at once.
 */
export const codex: AgentAdapter = {
  name: 'codex',
  executable: 'codex',
  scratchPatterns: [],
  invocation: ({ prompt, model, workdir, env }) => ({
    args: [
      'exec', '--json', '--model', model, '--dangerously-bypass-approvals-and-sandbox', '--skip-git-repo-check', '--cd', workdir,
      // The value is TOML: a JSON string is a TOML basic string.
      ...baseUrlSetting(gatewayBase(env, 'openai')),
      '--', prompt,
    ],
    env: throughGateway(env, 'openai', ['CODEX_API_KEY', 'OPENAI_API_KEY'], () => ({})),
  }),
  report({ stdout, requestedModel }): AgentReport {
    const events = jsonObjectLines(stdout);
    return { usage: threadUsage(events, servedModel(events) ?? requestedModel), failure: reportedFailure(events) };
  },
};

function baseUrlSetting(base: string | undefined): string[] {
  return base ? ['--config', `openai_base_url=${JSON.stringify(`${base}/v1`)}`] : [];
}

/**
 * `{"type":"turn.completed","usage":{"input_tokens","cached_input_tokens","cache_write_input_tokens",
 * "output_tokens","reasoning_output_tokens"}}` carries the thread's running total (measured against a
 * stand-in: one turn of two model calls reports the sum of both responses' usage), so the last one is the
 * run's usage; summing them would count earlier turns again. OpenAI's `input_tokens` already includes the
 * cached ones and `output_tokens` the reasoning ones. A failed turn (`turn.failed`) carries none.
 */
function threadUsage(events: Record<string, unknown>[], model: string): ModelUsage[] | null {
  const last = events.filter((event) => event.type === 'turn.completed' && isRecord(event.usage)).pop();
  if (!last) {
    return null;
  }
  const usage = last.usage as Record<string, unknown>;
  return [{
    model,
    input: count(usage.input_tokens),
    output: count(usage.output_tokens),
    cached: count(usage.cached_input_tokens),
    cacheWrite: count(usage.cache_write_input_tokens),
  }];
}

/**
 * Codex names the model served only when it differs from the one asked for: it compares the API's
 * `openai-model` response header with the request and reports an error item
 * `"model rerouted: <requested> -> <served> (<reason>)"`.
 */
function servedModel(events: Record<string, unknown>[]): string | undefined {
  let served: string | undefined;
  for (const event of events) {
    const item = event.item;
    if (event.type === 'item.completed' && isRecord(item) && item.type === 'error') {
      served = /^model rerouted: \S+ -> (\S+)/.exec(String(item.message))?.[1] ?? served;
    }
  }
  return served;
}

/** Codex's notice that it retries (`"Reconnecting... 2/5 (…)"`): the turn may still succeed. */
const RETRY_NOTICE = /^Reconnecting\.\.\./;

/**
 * The provider's reason, as Codex reported it: the `turn.failed` event's `error.message`, or a fatal
 * top-level `error` event (other than a retry notice) that no completed turn followed.
 */
function reportedFailure(events: Record<string, unknown>[]): string | null {
  let failure: string | null = null;
  for (const event of events) {
    if (event.type === 'turn.failed') {
      failure = isRecord(event.error) && typeof event.error.message === 'string' ? event.error.message : 'the turn failed';
    } else if (event.type === 'error' && typeof event.message === 'string' && !RETRY_NOTICE.test(event.message)) {
      failure = event.message;
    } else if (event.type === 'turn.completed') {
      failure = null;
    }
  }
  return failure;
}

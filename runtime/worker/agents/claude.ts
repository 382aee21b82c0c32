import { throughGateway } from './gateway-route';
import { count, isRecord, jsonObjectLines } from './json-lines';
import type { AgentAdapter, AgentReport } from './types';
import type { ModelUsage } from '../../contracts/token-usage';

/**
 * Claude Code (`@anthropic-ai/claude-code@2.1.332`), print mode.
 *
 * Flags: `-p/--print` (a switch; the prompt is the positional argument), `--model`, `--output-format
 * stream-json`, `--verbose`, which stream-json needs in print mode, and `--dangerously-skip-permissions`
 * (docs.anthropic.com/en/docs/claude-code/cli-reference; the pairing with `--verbose` as in
 * harness.lol/docs/agents/claude). The prompt follows `--` so that one starting with a dash stays a prompt.
 *
 * `IS_SANDBOX=1`: Claude Code refuses `--dangerously-skip-permissions` as root unless the process declares
 * itself sandboxed (anthropics/claude-code#3490; the guard in cli.js is quoted in h0x91b/dev-3.0#1575).
 * A single-use task container is that sandbox, whatever user the image runs as.
 *
 * `CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1`: no telemetry, error reporting, auto-update or other traffic a run
 * does not need (code.claude.com/docs/en/settings, "Environment variables"; `isEssentialTrafficOnly` in the CLI's
 * privacy level). The egress allow-list carries only the model API's host, which the worker's gateway calls, and
 * not Claude Code's feature-flag and telemetry hosts (statsig.anthropic.com, sentry.io).
 *
 * The model gateway: `ANTHROPIC_BASE_URL` is the base Claude Code sends `/v1/messages` to, and `ANTHROPIC_API_KEY`
 * what it sends as `x-api-key` (code.claude.com/docs/en/llm-gateway, "LiteLLM", unified endpoint): the gateway's
 * `/anthropic` and its placeholder. On Bedrock (CLAUDE_CODE_USE_BEDROCK), `ANTHROPIC_BEDROCK_BASE_URL` is the gateway's
 * `/bedrock` and `CLAUDE_CODE_SKIP_BEDROCK_AUTH=1` has Claude Code send its requests unsigned: the gateway signs
 * them with the task role (same page, "Amazon Bedrock").
 *
 * Usage: the last line of the stream is the `result` (the SDK's SDKResultMessage). Its `modelUsage` holds,
 * per model Claude Code requested (it may remap a retired id, `claude-opus-4-1`, to the current one, and
 * use other models for side tasks), `inputTokens`, `outputTokens`, `cacheReadInputTokens` and
 * `cacheCreationInputTokens`; its `usage` holds the same summed over models in the Messages API's names.
 * Both count input without the cache reads and writes (the API's `input_tokens`), so they are added back.
 * The id the API served (an alias resolves to a dated snapshot) is in each `assistant` line's
 * `message.model`, which modelUsage's keys do not show: see `servedModel`.
 *
 * Failure: a provider error ends the run with a result line `is_error: true`, `api_error_status` (the HTTP
 * status) and the API's message in `result`, e.g. `API Error: Request rejected (429) · <message>` (seen
 * from 2.1.332 against runtime/local/kit/providers/anthropic.ts).
 */
export const claude: AgentAdapter = {
  name: 'claude',
  executable: 'claude',
  scratchPatterns: [],
  invocation: ({ prompt, model, env }) => ({
    args: ['-p', '--model', model, '--output-format', 'stream-json', '--verbose', '--dangerously-skip-permissions', '--', prompt],
    env: {
      IS_SANDBOX: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      ...throughGateway(env, 'anthropic', ['ANTHROPIC_API_KEY'], (base) => ({ ANTHROPIC_BASE_URL: base })),
      ...throughGateway(env, 'bedrock', [], (base) => ({ ANTHROPIC_BEDROCK_BASE_URL: base, CLAUDE_CODE_SKIP_BEDROCK_AUTH: '1' })),
    },
  }),
  report({ stdout, requestedModel }): AgentReport {
    const lines = jsonObjectLines(stdout);
    const result = lines.filter((line) => line.type === 'result').pop();
    if (!result) {
      return { usage: null, failure: null };
    }
    const served = servedModels(lines);
    return { usage: usageOf(result, requestedModel, served), failure: failureOf(result) };
  },
};

function usageOf(result: Record<string, unknown>, requestedModel: string, served: readonly string[]): ModelUsage[] | null {
  if (isRecord(result.modelUsage)) {
    const models = Object.entries(result.modelUsage).filter((entry): entry is [string, Record<string, unknown>] => isRecord(entry[1]));
    return models.length === 0 ? null : models.map(([model, usage]) => modelUsage(servedModel(model, served, models.length === 1),
      usage.inputTokens, usage.outputTokens, usage.cacheReadInputTokens, usage.cacheCreationInputTokens));
  }
  if (isRecord(result.usage)) {
    const usage = result.usage;
    return [modelUsage(servedModel(requestedModel, served, true),
      usage.input_tokens, usage.output_tokens, usage.cache_read_input_tokens, usage.cache_creation_input_tokens)];
  }
  return null;
}

function modelUsage(model: string, input: unknown, output: unknown, cacheRead: unknown, cacheCreation: unknown): ModelUsage {
  const cached = count(cacheRead);
  const cacheWrite = count(cacheCreation);
  return { model, input: count(input) + cached + cacheWrite, output: count(output), cached, cacheWrite };
}

/** The ids the API reported serving, from the assistant messages; `<synthetic>` marks Claude Code's own. */
function servedModels(lines: readonly Record<string, unknown>[]): string[] {
  const models = lines
    .filter((line) => line.type === 'assistant' && isRecord(line.message))
    .map((line) => (line.message as Record<string, unknown>).model)
    .filter((model): model is string => typeof model === 'string' && model !== '<synthetic>');
  return [...new Set(models)];
}

/**
 * The served id for a requested one: the snapshot an alias resolved to (`claude-sonnet-4-5` →
 * `claude-sonnet-4-5-20250929`), or, when the run used one model and the API named one, that one.
 * Otherwise the requested id, which is then the best the output tells.
 */
function servedModel(requested: string, served: readonly string[], onlyModel: boolean): string {
  const snapshot = served.find((id) => id === requested || id.startsWith(`${requested}-`));
  if (snapshot) {
    return snapshot;
  }
  return onlyModel && served.length === 1 ? served[0] : requested;
}

function failureOf(result: Record<string, unknown>): string | null {
  if (result.is_error !== true) {
    return null;
  }
  const status = typeof result.api_error_status === 'number' ? ` (HTTP ${result.api_error_status})` : '';
  const errors = Array.isArray(result.errors) ? result.errors.filter((error) => typeof error === 'string') : [];
  const reason = typeof result.result === 'string' && result.result ? result.result : errors.join('; ') || String(result.subtype ?? 'error');
  return `Claude Code failed${status}: ${reason}`;
}

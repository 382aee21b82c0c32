import { throughGateway } from './gateway-route';
import { count, isRecord, jsonObjectLines } from './json-lines';
import type { AgentAdapter, AgentReport } from './types';
import { usageByModel } from './usage';
import type { ModelUsage } from '../../contracts/token-usage';

/** opencode's name for xAI among its providers: models are `xai/<model id>`. */
const PROVIDER = 'xai';
/** A fixed session title: without one, opencode asks the model for a title in a side request it reports no usage for. */
const SESSION_TITLE = 'Outpost dispatch';

/**
 * Grok through opencode (`opencode-ai@1.18.18`, sst/opencode) and its xAI provider: `opencode run`, one shot.
 *
 * Flags from `opencode run --help`: `--format json` (one JSON event per line), `--auto` (approve every
 * permission not explicitly denied: no prompts), `--model xai/<id>`, `--title` (skips the title request),
 * `--dir`, and the message after `--` (a prompt that starts with a dash stays a message).
 *
 * The model is declared under `provider.xai.models` in OPENCODE_CONFIG_CONTENT (merged over the image's
 * /etc/opencode/opencode.json): the image does not download models.dev's catalogue, and opencode refuses a
 * model it has no entry for ("Model not found: xai/…").
 *
 * The model gateway: the image's /etc/opencode/opencode.json sets the xAI provider's `baseURL` to `{env:XAI_BASE_URL}`
 * (opencode.ai/docs/config, "Variables"; containers/grok/opencode.json), here the gateway's `/xai/v1`, and the
 * provider reads its key from XAI_API_KEY (opencode.ai/docs/providers, xAI), here the placeholder.
 *
 * Usage: every `step_finish` event carries `part.tokens` = `{ input, output, reasoning, cache: { read, write } }`
 * where opencode has split the provider's figures: `input` excludes the cache reads and writes, `output`
 * excludes the reasoning tokens. They are added back here. The events do not name the model that served,
 * so usage is the requested model's.
 *
 * Failure: a provider error (after opencode's retries) is printed as `{"type":"error","error":{"name",
 * "data":{"message","statusCode",…}}}` and opencode exits 1; the message is xAI's `code: error`.
 */
export const grok: AgentAdapter = {
  name: 'grok',
  executable: 'opencode',
  scratchPatterns: [],
  invocation: ({ prompt, model, workdir, env }) => {
    const id = model.startsWith(`${PROVIDER}/`) ? model.slice(PROVIDER.length + 1) : model;
    return {
      args: ['run', '--format', 'json', '--auto', '--model', `${PROVIDER}/${id}`, '--title', SESSION_TITLE, '--dir', workdir, '--', prompt],
      env: {
        OPENCODE_CONFIG_CONTENT: JSON.stringify({ provider: { [PROVIDER]: { models: { [id]: {} } } } }),
        ...throughGateway(env, 'xai', ['XAI_API_KEY'], (base) => ({ XAI_BASE_URL: `${base}/v1` })),
      },
    };
  },
  report({ stdout, requestedModel }): AgentReport {
    const events = jsonObjectLines(stdout);
    const steps = events
      .filter((event) => event.type === 'step_finish' && isRecord(event.part) && isRecord(event.part.tokens))
      .map((event) => stepUsage((event.part as Record<string, unknown>).tokens as Record<string, unknown>, requestedModel));
    const failures = [...new Set(events.filter((event) => event.type === 'error').map(errorMessage))];
    return { usage: usageByModel(steps), failure: failures.length > 0 ? failures.join('; ') : null };
  },
};

function stepUsage(tokens: Record<string, unknown>, model: string): ModelUsage {
  const cache = isRecord(tokens.cache) ? tokens.cache : {};
  const cached = count(cache.read);
  const cacheWrite = count(cache.write);
  return {
    model,
    input: count(tokens.input) + cached + cacheWrite,
    output: count(tokens.output) + count(tokens.reasoning),
    cached,
    cacheWrite,
  };
}

/** `error.data.message` (with the HTTP status when there is one), else the error's name. */
function errorMessage(event: Record<string, unknown>): string {
  const error = isRecord(event.error) ? event.error : {};
  const data = isRecord(error.data) ? error.data : {};
  const message = typeof data.message === 'string' && data.message ? data.message : String(error.name ?? 'opencode reported an error');
  return typeof data.statusCode === 'number' ? `HTTP ${data.statusCode}: ${message}` : message;
}

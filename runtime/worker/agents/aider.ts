import * as path from 'path';
import { throughGateway } from './gateway-route';
import type { AgentAdapter, AgentReport } from './types';
import { usageByModel } from './usage';
import type { ModelUsage } from '../../contracts/token-usage';

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
 * Usage, exactly: `--no-stream`, because a streamed reply's "Tokens:" figures are Aider's own tokenizer
 * estimates without cache figures (aider.chat/docs/usage/caching.html); `--cache-prompts`, without which
 * Aider sets no cache breakpoints; and `--verbose`, under which `show_send_output` in
 * `aider/coders/base_coder.py` prints LiteLLM's whole response, `ModelResponse(id=…, created=…,
 * model='<served id>', …, usage=Usage(completion_tokens=…, prompt_tokens=…, …,
 * cache_creation_input_tokens=…, cache_read_input_tokens=…))`: the only exact figures Aider prints (the
 * "Tokens:" line rounds with `format_tokens`, and `--analytics-log` has no cache figures). LiteLLM's
 * Anthropic `calculate_usage` (litellm/llms/anthropic/chat/transformation.py) already folds cache reads
 * and writes into `prompt_tokens`, so `prompt_tokens` is the input as the contract counts it. The price:
 * `--verbose` also prints the prompts Aider sends.
 *
 * The model gateway: LiteLLM reads each provider's base and key from the environment (`litellm/main.py` and
 * `litellm/llms/xai/chat/transformation.py` in the pinned 1.x): ANTHROPIC_API_BASE (it appends `/v1/messages`),
 * OPENAI_API_BASE (`…/v1`), GEMINI_API_BASE (it appends `/models/{model}:{method}`:
 * `litellm/llms/vertex_ai/vertex_llm_base.py`, `_check_custom_proxy`) and XAI_API_BASE (`…/v1`). Each provider the
 * task holds a key for is pointed at the gateway, its key variable holding the placeholder.
 *
 * Failure: Aider prints a LiteLLM exception (`litellm.AuthenticationError: …`) and may still exit 0; it
 * retries throttling and server errors itself, doubling a delay until it passes 60 s.
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
        '--no-stream',
        '--cache-prompts',
        '--verbose',
        `--input-history-file=${path.join(home, '.aider.input.history')}`,
        `--chat-history-file=${path.join(home, '.aider.chat.history.md')}`,
      ],
      env: {
        ...throughGateway(env, 'anthropic', ['ANTHROPIC_API_KEY'], (base) => ({ ANTHROPIC_API_BASE: base })),
        ...throughGateway(env, 'openai', ['OPENAI_API_KEY'], (base) => ({ OPENAI_API_BASE: `${base}/v1` })),
        ...throughGateway(env, 'gemini', ['GEMINI_API_KEY'], (base) => ({ GEMINI_API_BASE: `${base}/v1beta` })),
        ...throughGateway(env, 'xai', ['XAI_API_KEY'], (base) => ({ XAI_API_BASE: `${base}/v1` })),
      },
    };
  },
  report({ stdout, requestedModel }): AgentReport {
    const responses = [...stdout.matchAll(new RegExp(RESPONSE.source, 'gm'))];
    const usage = responses.length > 0
      ? responses.map(([line, model]) => responseUsage(model || requestedModel, line))
      : [...stdout.matchAll(TOKENS_LINE)].map((match) => tokensLineUsage(requestedModel, match));
    return { usage: usageByModel(usage), failure: failureOf(stdout) };
  },
};

/** LiteLLM's response as `--verbose` prints it, on one line (`repr` escapes the reply's newlines). */
const RESPONSE = /^ModelResponse\(id='[^']*', created=\d+, model='([^']*)'.*$/;

/** One response's usage from its repr; the last `usage=Usage(` on the line, as the reply's text comes before it. */
function responseUsage(model: string, line: string): ModelUsage {
  const usage = line.slice(line.lastIndexOf('usage=Usage('));
  const field = (name: string) => Number(new RegExp(`[(, ]${name}=(\\d+)`).exec(usage)?.[1] ?? 0);
  return {
    model,
    input: field('prompt_tokens'),
    output: field('completion_tokens'),
    cached: field('cache_read_input_tokens'),
    cacheWrite: field('cache_creation_input_tokens'),
  };
}

/**
 * `Tokens: 9.8k sent, 2.3k cache write, 4.1k cache hit, 87 received.`: only when no response was printed
 * (output of a run without `--verbose`). Rounded, and `sent` counts the cache writes twice: LiteLLM's
 * prompt tokens already hold them and `calculate_and_show_tokens_and_cost` adds them again.
 */
const TOKENS_LINE = /^Tokens: ([\d.]+k?) sent(?:, ([\d.]+k?) cache write)?(?:, ([\d.]+k?) cache hit)?, ([\d.]+k?) received\./gm;

function tokensLineUsage(model: string, [, sent, write, hit, received]: RegExpMatchArray): ModelUsage {
  const cacheWrite = tokens(write);
  return { model, input: tokens(sent) - cacheWrite, output: tokens(received), cached: tokens(hit), cacheWrite };
}

/** `format_tokens` output back to a number: `850`, `2.3k`, `12k`. */
function tokens(text: string | undefined): number {
  if (!text) {
    return 0;
  }
  return text.endsWith('k') ? Math.round(parseFloat(text) * 1000) : parseInt(text, 10);
}

/**
 * The last LiteLLM exception Aider printed (`litellm.RateLimitError: AnthropicException - {…}`), when no
 * response came after it: an error Aider retried past is no failure. Aider's console wraps long lines at
 * the terminal's width and keeps the space it broke at, so the message's lines are joined as they are;
 * it ends at a blank line, Aider's own explanation ("The API provider …") or "Retrying in …".
 */
function failureOf(stdout: string): string | null {
  const lines = stdout.split('\n');
  const error = lines.map((line, index) => (/^litellm\.\w+: /.test(line) ? index : -1)).filter((index) => index >= 0).pop();
  if (error === undefined) {
    return null;
  }
  if (lines.slice(error).some((line) => RESPONSE.test(line))) {
    return null;
  }
  const message = [lines[error]];
  for (const line of lines.slice(error + 1)) {
    if (line.trim() === '' || /^(The API provider|Retrying in )/.test(line)) {
      break;
    }
    message.push(line);
  }
  return `Aider: ${message.join('').trim()}`;
}

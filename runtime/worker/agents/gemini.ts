import { throughGateway } from './gateway-route';
import { count, isRecord } from './json-lines';
import type { AgentAdapter, AgentReport } from './types';
import { usageByModel } from './usage';
import type { ModelUsage } from '../../contracts/token-usage';

/**
 * Gemini CLI (`@google/gemini-cli@0.61.0`), headless mode.
 *
 * Flags from google-gemini/gemini-cli `packages/cli/src/config/config.ts`: `--prompt/-p` (string),
 * `--model/-m`, `--yolo/-y` (auto-approve every tool), `--output-format/-o json`. The `--flag=value` form
 * keeps a prompt that starts with a dash from being parsed as a flag.
 *
 * `GEMINI_CLI_TRUST_WORKSPACE=true`: 0.61.0 trusts no folder by default, and headless in an untrusted one it
 * exits 55 (FatalUntrustedWorkspaceError, `packages/cli/src/utils/userStartupWarnings.ts`) and turns `--yolo`
 * back into the default approval mode (`loadCliConfig`). The checked-out repository is the task's own
 * workspace. The variable, unlike `--skip-trust` (which sets it only once the arguments are parsed, after the
 * settings were loaded), is read by `checkPathTrust` (`packages/core/src/utils/trust.ts`) from the start.
 *
 * `GEMINI_CLI_NO_RELAUNCH=true`: the CLI otherwise starts a second Node.js process only to raise its heap limit
 * to half the machine's memory (`packages/cli/index.ts`), loading its 16 MB bundle twice: a headless run
 * starts in about half the time without it (7 s instead of 12 s on a loaded 2-CPU machine).
 *
 * The model gateway: `GOOGLE_GEMINI_BASE_URL` is the base the CLI's @google/genai client calls (read in
 * `packages/core/src/core/contentGenerator.ts`, `createContentGeneratorConfig`), the gateway's `/gemini`;
 * GEMINI_API_KEY, which selects the gemini-api-key auth, holds the placeholder.
 */
export const gemini: AgentAdapter = {
  name: 'gemini',
  executable: 'gemini',
  scratchPatterns: [],
  invocation: ({ prompt, model, env }) => ({
    args: [`--prompt=${prompt}`, `--model=${model}`, '--yolo', '--output-format=json'],
    env: {
      GEMINI_CLI_TRUST_WORKSPACE: 'true',
      GEMINI_CLI_NO_RELAUNCH: 'true',
      ...throughGateway(env, 'gemini', ['GEMINI_API_KEY'], (base) => ({ GOOGLE_GEMINI_BASE_URL: base })),
    },
  }),
  report({ stdout, stderr }): AgentReport {
    const result = finalDocument(stdout);
    // A failed run's document (JsonFormatter.formatError, emitted as error feedback) goes to stderr.
    const error = result?.error ?? finalDocument(stderr)?.error;
    return { usage: modelUsage(result?.stats), failure: error === undefined ? null : failureReason(error) };
  },
};

/**
 * `stats.models`, keyed by the model the API reported serving (`modelVersion`, else the requested id:
 * LoggingContentGenerator._logApiResponse), figures summed over that model's calls by UiTelemetryService
 * .processApiResponse from each response's `usageMetadata`: `prompt` = promptTokenCount (cache reads
 * included: `input` is prompt − cached), `cached` = cachedContentTokenCount, `candidates` =
 * candidatesTokenCount, `thoughts` = thoughtsTokenCount, `tool` = toolUsePromptTokenCount. The Gemini API
 * counts `tool` (the results of its own tools, e.g. Search grounding) apart from the prompt and bills it as
 * input, and thinking tokens as output. Routing (`--model=auto`) adds the classifier's model as a second key.
 */
function modelUsage(stats: unknown): ModelUsage[] | null {
  if (!isRecord(stats) || !isRecord(stats.models)) {
    return null;
  }
  return usageByModel(Object.entries(stats.models).map(([model, figures]) => {
    const tokens = isRecord(figures) && isRecord(figures.tokens) ? figures.tokens : {};
    return {
      model,
      input: count(tokens.prompt) + count(tokens.tool),
      output: count(tokens.candidates) + count(tokens.thoughts),
      cached: count(tokens.cached),
      cacheWrite: 0,
    };
  }));
}

/**
 * The CLI's `{"type", "message", "code"}`: `code` is the HTTP status for an API error (and the process exits
 * with it, modulo 256), and `message` either the CLI's own words (quota errors, with the provider's message
 * first) or the API's error body verbatim, `{"error": {"code", "message", "status"}}`, which is unwrapped.
 */
function failureReason(error: unknown): string {
  if (!isRecord(error)) {
    return `Gemini CLI failed: ${JSON.stringify(error)}`;
  }
  const message = typeof error.message === 'string' ? error.message : JSON.stringify(error);
  const api = apiError(message);
  const code = typeof error.code === 'number' || typeof error.code === 'string' ? ` ${error.code}` : '';
  return api
    ? `Gemini API error ${api.code}${api.status ? ` ${api.status}` : ''}: ${api.message}`
    : `Gemini CLI error${code}: ${message}`;
}

function apiError(message: string): { code: unknown; status?: string; message: string } | undefined {
  try {
    const body: unknown = JSON.parse(message);
    const error = isRecord(body) ? body.error : undefined;
    if (isRecord(error) && typeof error.message === 'string') {
      return { code: error.code, status: typeof error.status === 'string' ? error.status : undefined, message: error.message };
    }
  } catch {
    // the CLI's own message
  }
  return undefined;
}

/**
 * The pretty-printed JSON document the CLI writes last: indented, so its nested objects never start a line;
 * tried from the last line-initial brace back, past other output (warnings, a retry's stack trace on stderr).
 */
function finalDocument(output: string): Record<string, unknown> | undefined {
  const starts = [...output.matchAll(/^\{/gm)].map((match) => match.index);
  const end = output.lastIndexOf('}');
  for (const start of starts.reverse()) {
    try {
      const value: unknown = JSON.parse(output.slice(start, end + 1));
      return isRecord(value) ? value : undefined;
    } catch {
      // a line that merely starts with a brace: try an earlier one
    }
  }
  return undefined;
}

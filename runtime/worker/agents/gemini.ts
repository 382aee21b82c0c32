import { count, isRecord } from './json-lines';
import type { AgentAdapter, AgentReport } from './types';
import { usageByModel } from './usage';

/**
 * Gemini CLI (`@google/gemini-cli@0.61.0`), headless mode.
 *
 * Flags from google-gemini/gemini-cli `packages/cli/src/config/config.ts`: `--prompt/-p` (string),
 * `--model/-m`, `--yolo/-y` (auto-approve every tool), `--output-format/-o json`. The `--flag=value` form
 * keeps a prompt that starts with a dash from being parsed as a flag.
 *
 * Usage: the single JSON document `{"response", "stats": {"models": {"<model>": {"tokens": {"input",
 * "prompt", "candidates", "total", "cached", "thoughts", "tool"}}}}}` (JsonFormatter and its tests,
 * `packages/core/src/output/json-formatter.test.ts`), summed over models since the CLI may route some
 * calls to a smaller one. `prompt` includes `cached`; thinking tokens (`thoughts`) are billed as output.
 */
export const gemini: AgentAdapter = {
  name: 'gemini',
  executable: 'gemini',
  scratchPatterns: [],
  invocation: ({ prompt, model }) => ({
    args: [`--prompt=${prompt}`, `--model=${model}`, '--yolo', '--output-format=json'],
    env: {},
  }),
  report({ stdout }): AgentReport {
    const stats = finalDocument(stdout)?.stats;
    if (!isRecord(stats) || !isRecord(stats.models)) {
      return { usage: null, failure: null };
    }
    return {
      usage: usageByModel(Object.entries(stats.models).map(([model, figures]) => {
        const tokens = isRecord(figures) && isRecord(figures.tokens) ? figures.tokens : {};
        const output = count(tokens.candidates) + count(tokens.thoughts);
        return { model, input: count(tokens.prompt), output, cached: count(tokens.cached), cacheWrite: 0 };
      })),
      failure: null,
    };
  },
};

/** The pretty-printed JSON document the CLI writes last; stdout may start with other lines. */
function finalDocument(stdout: string): Record<string, unknown> | undefined {
  const start = stdout.search(/^\{/m);
  const end = stdout.lastIndexOf('}');
  if (start < 0 || end < start) {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(stdout.slice(start, end + 1));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

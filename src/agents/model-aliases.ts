import MODEL_ALIAS_FILE from './model-aliases.json';

/**
 * What one agent's pinned CLI knows of models: the aliases it accepts and the model each resolves to, and the
 * model ids of its own catalog. Read from the installed package by scripts/bump-agent-clis.ts.
 */
export interface CliModelMap {
  /** The CLI package and the version these were read from (the catalog's pin). */
  readonly cli: string;
  readonly version: string;
  /** Where in the package (or, for Grok, at the provider) they were read. */
  readonly source: string;
  /** Alias → model id, e.g. `opus` → `claude-opus-5-5`. */
  readonly aliases: Readonly<Record<string, string>>;
  readonly models: readonly string[];
}

/** Each agent's map (src/agents/model-aliases.json), by agent kind (`claude`, `codex`, …). */
export const MODEL_ALIAS_MAP: Readonly<Record<string, CliModelMap>> = MODEL_ALIAS_FILE.agents;

/**
 * The model that runs when `agent`'s pinned CLI is given `model`: its alias target, or `model` itself when it
 * is no alias. Pure, so the ledger (runtime/) and synthesis (src/) both use it: e.g. the ledger prices
 * `resolveModelAlias('claude', 'opus')`, which is `claude-opus-5-5`, when Claude Code reports only `opus`.
 */
export function resolveModelAlias(agent: string, model: string): string {
  const map = MODEL_ALIAS_MAP[agent];
  if (!map) {
    throw new Error(`resolveModelAlias: agent "${agent}" is not one of ${Object.keys(MODEL_ALIAS_MAP).join(', ')}`);
  }
  return Object.hasOwn(map.aliases, model) ? map.aliases[model] : model;
}

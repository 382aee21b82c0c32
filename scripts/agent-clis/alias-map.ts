import * as fs from 'fs';
import * as path from 'path';
import { CliModels } from './cli-models';
import { LIST_PRICE_TABLE, normalizeModelId } from '../../runtime/core/ledger/pricing';
import { AGENT_CATALOG } from '../../src/agents/agent-catalog';
import { AgentKind, ModelTier } from '../../src/agents/agent-kind';
import { CliModelMap } from '../../src/agents/model-aliases';

export const ALIAS_MAP_FILE = path.join(__dirname, '..', '..', 'src', 'agents', 'model-aliases.json');

const COMMENT = 'Each agent CLI pin\'s model aliases and known models, read from the installed package by scripts/bump-agent-clis.ts (grok\'s from xAI\'s catalog, kept by hand). Do not edit by hand; src/agents/model-aliases.ts reads it.';

export function readAliasMap(): Record<string, CliModelMap> {
  return (JSON.parse(fs.readFileSync(ALIAS_MAP_FILE, 'utf8')) as { agents: Record<string, CliModelMap> }).agents;
}

export function aliasMapText(agents: Record<string, CliModelMap>): string {
  return `${JSON.stringify({ $comment: COMMENT, agents }, null, 2)}\n`;
}

export function cliModelMap(cli: string, version: string, models: CliModels): CliModelMap {
  return { cli, version, source: models.source, aliases: models.aliases, models: models.models };
}

/** Each tier's model in the catalog (src/agents/agent-catalog.ts), and what `map` resolves it to. */
function resolvedDefaults(agent: AgentKind, map: CliModelMap): Array<{ tier: ModelTier; model: string; target: string }> {
  return Object.values(ModelTier).map((tier) => {
    const model = AGENT_CATALOG[agent].models[tier];
    return { tier, model, target: Object.hasOwn(map.aliases, model) ? map.aliases[model] : model };
  });
}

const describe = ({ tier, model, target }: { tier: ModelTier; model: string; target: string }) => `${tier}: ${model}${target === model ? '' : ` → ${target}`}`;

/**
 * The catalog's tier models that `map` does not know: an alias it lacks, an alias whose target is not in its
 * models, or an id not in its models. Empty when every default resolves.
 */
export function unknownDefaults(agent: AgentKind, map: CliModelMap): string[] {
  return resolvedDefaults(agent, map).filter(({ target }) => !map.models.includes(target)).map(describe);
}

/** The catalog's tier models whose resolved model has no list price (runtime/core/ledger/pricing/prices.json). */
export function unpricedDefaults(agent: AgentKind, map: CliModelMap): string[] {
  return resolvedDefaults(agent, map).filter(({ target }) => !LIST_PRICE_TABLE.models[normalizeModelId(target)]).map(describe);
}

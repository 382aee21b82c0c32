import { AgentKind, ModelProvider, ModelTier } from './agent-kind';

/**
 * What Outpost knows about each agent's CLI and models. The Dockerfiles in `containers/` install these versions;
 * `npx projen bump:agents` moves both to the newest, and test/agent-cli-models.test.ts checks that each tier's
 * model is one the pinned CLI knows (src/agents/model-aliases.json).
 */
export interface AgentCatalogEntry {
  readonly displayName: string;
  /** The CLI package and the exact version the image installs. */
  readonly cli: string;
  readonly cliVersion: string;
  readonly provider: ModelProvider;
  /** Each tier's model: the CLI's own alias where it has one (it follows the CLI's pin), else an id of its catalog. */
  readonly models: Record<ModelTier, string>;
}

/** The tier an agent uses when neither a model nor a tier is given. */
export const DEFAULT_TIER = ModelTier.BALANCED;

export const AGENT_CATALOG: Record<AgentKind, AgentCatalogEntry> = {
  [AgentKind.CLAUDE]: {
    displayName: 'Claude Code',
    cli: '@anthropic-ai/claude-code',
    cliVersion: '2.1.332',
    provider: ModelProvider.ANTHROPIC,
    // Claude Code's aliases: the CLI resolves them to its current Opus, Sonnet and Haiku.
    models: { [ModelTier.FLAGSHIP]: 'opus', [ModelTier.BALANCED]: 'sonnet', [ModelTier.FAST]: 'haiku' },
  },
  [AgentKind.CODEX]: {
    displayName: 'OpenAI Codex CLI',
    cli: '@openai/codex',
    cliVersion: '0.171.0',
    provider: ModelProvider.OPENAI,
    // Codex has no aliases: ids of its models.json.
    models: { [ModelTier.FLAGSHIP]: 'gpt-6.2-astra', [ModelTier.BALANCED]: 'gpt-6.2-sol', [ModelTier.FAST]: 'gpt-6-luna' },
  },
  [AgentKind.GEMINI]: {
    displayName: 'Gemini CLI',
    cli: '@google/gemini-cli',
    cliVersion: '0.61.0',
    provider: ModelProvider.GOOGLE,
    // Gemini CLI's aliases, which it resolves for the pinned version (with an API key: Gemini 3.1 Pro, 3.8 Flash, 3.5 Flash-Lite).
    models: { [ModelTier.FLAGSHIP]: 'pro', [ModelTier.BALANCED]: 'flash', [ModelTier.FAST]: 'flash-lite' },
  },
  [AgentKind.AIDER]: {
    displayName: 'Aider',
    cli: 'aider-chat',
    cliVersion: '0.86.2',
    provider: ModelProvider.ANTHROPIC,
    // Aider's own aliases (aider/models.py MODEL_ALIASES): `opus` is claude-opus-4-6 and `haiku` claude-haiku-4-5,
    // the names its model settings (aider/resources/model-settings.yml) give prompt caching, so `--cache-prompts`
    // takes effect; `anthropic/claude-opus-4-6` has no settings entry and would run uncached. The LiteLLM that
    // aider-chat pins knows no Sonnet newer than the retired Sonnet 4.5 (Aider's `sonnet`), so the balanced tier
    // is Opus too, until a bump brings one.
    models: {
      [ModelTier.FLAGSHIP]: 'opus',
      [ModelTier.BALANCED]: 'opus',
      [ModelTier.FAST]: 'haiku',
    },
  },
  [AgentKind.GROK]: {
    displayName: 'Grok (opencode)',
    cli: 'opencode-ai',
    cliVersion: '1.18.18',
    provider: ModelProvider.XAI,
    // xAI's catalog (the CLI passes the id to xAI's API). Since xAI retired its fast models, Grok 4.3 is its cheapest.
    models: { [ModelTier.FLAGSHIP]: 'grok-4.7', [ModelTier.BALANCED]: 'grok-4.3', [ModelTier.FAST]: 'grok-4.3' },
  },
};

/** The environment variable each provider's API key reaches the agent in. */
export const API_KEY_ENV: Record<ModelProvider, string> = {
  [ModelProvider.ANTHROPIC]: 'ANTHROPIC_API_KEY',
  [ModelProvider.OPENAI]: 'OPENAI_API_KEY',
  [ModelProvider.GOOGLE]: 'GEMINI_API_KEY',
  [ModelProvider.XAI]: 'XAI_API_KEY',
};

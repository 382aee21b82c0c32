import { AgentKind, ModelProvider, ModelTier } from './agent-kind';

/** What Outpost knows about each agent's CLI and models. The Dockerfiles in `containers/` install these versions. */
export interface AgentCatalogEntry {
  readonly displayName: string;
  /** The CLI package and the exact version the image installs. */
  readonly cli: string;
  readonly cliVersion: string;
  readonly provider: ModelProvider;
  readonly models: Record<ModelTier, string>;
}

/** The tier an agent uses when neither a model nor a tier is given. */
export const DEFAULT_TIER = ModelTier.BALANCED;

const CLAUDE_MODELS: Record<ModelTier, string> = {
  [ModelTier.FLAGSHIP]: 'claude-opus-4-1',
  [ModelTier.BALANCED]: 'claude-sonnet-4-5',
  [ModelTier.FAST]: 'claude-haiku-4-5',
};

export const AGENT_CATALOG: Record<AgentKind, AgentCatalogEntry> = {
  [AgentKind.CLAUDE]: {
    displayName: 'Claude Code',
    cli: '@anthropic-ai/claude-code',
    cliVersion: '2.1.332',
    provider: ModelProvider.ANTHROPIC,
    models: CLAUDE_MODELS,
  },
  [AgentKind.CODEX]: {
    displayName: 'OpenAI Codex CLI',
    cli: '@openai/codex',
    cliVersion: '0.171.0',
    provider: ModelProvider.OPENAI,
    models: { [ModelTier.FLAGSHIP]: 'gpt-5', [ModelTier.BALANCED]: 'gpt-5-codex', [ModelTier.FAST]: 'gpt-5-mini' },
  },
  [AgentKind.GEMINI]: {
    displayName: 'Gemini CLI',
    cli: '@google/gemini-cli',
    cliVersion: '0.61.0',
    provider: ModelProvider.GOOGLE,
    models: { [ModelTier.FLAGSHIP]: 'gemini-2.5-pro', [ModelTier.BALANCED]: 'gemini-2.5-flash', [ModelTier.FAST]: 'gemini-2.5-flash-lite' },
  },
  [AgentKind.AIDER]: {
    displayName: 'Aider',
    cli: 'aider-chat',
    cliVersion: '0.86.2',
    provider: ModelProvider.ANTHROPIC,
    // Aider names models by LiteLLM's `<provider>/<model>`.
    models: {
      [ModelTier.FLAGSHIP]: `anthropic/${CLAUDE_MODELS[ModelTier.FLAGSHIP]}`,
      [ModelTier.BALANCED]: `anthropic/${CLAUDE_MODELS[ModelTier.BALANCED]}`,
      [ModelTier.FAST]: `anthropic/${CLAUDE_MODELS[ModelTier.FAST]}`,
    },
  },
  [AgentKind.GROK]: {
    displayName: 'Grok (opencode)',
    cli: 'opencode-ai',
    cliVersion: '1.18.18',
    provider: ModelProvider.XAI,
    models: { [ModelTier.FLAGSHIP]: 'grok-4', [ModelTier.BALANCED]: 'grok-code-fast-1', [ModelTier.FAST]: 'grok-3-mini' },
  },
};

/** The environment variable each provider's API key reaches the agent in. */
export const API_KEY_ENV: Record<ModelProvider, string> = {
  [ModelProvider.ANTHROPIC]: 'ANTHROPIC_API_KEY',
  [ModelProvider.OPENAI]: 'OPENAI_API_KEY',
  [ModelProvider.GOOGLE]: 'GEMINI_API_KEY',
  [ModelProvider.XAI]: 'XAI_API_KEY',
};

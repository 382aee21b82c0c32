/** The coding agents Outpost runs. */
export enum AgentKind {
  /** Anthropic's Claude Code. */
  CLAUDE = 'claude',
  /** OpenAI Codex CLI. */
  CODEX = 'codex',
  /** Google Gemini CLI. */
  GEMINI = 'gemini',
  /** Aider, with an Anthropic, OpenAI or Google model. */
  AIDER = 'aider',
  /** xAI's Grok models, run through opencode's xAI provider (docs/agents.md, "Grok"). */
  GROK = 'grok',
}

/** Model classes, from most capable to cheapest. Each agent maps a tier to one of its provider's models. */
export enum ModelTier {
  FLAGSHIP = 'flagship',
  BALANCED = 'balanced',
  FAST = 'fast',
}

/** Who serves an agent's model, and therefore which API key it needs. */
export enum ModelProvider {
  ANTHROPIC = 'anthropic',
  OPENAI = 'openai',
  GOOGLE = 'google',
  XAI = 'xai',
}

/** The coding agents a worker image can run; one image per agent, named by OUTPOST_AGENT. */
export const AGENT_NAMES = ['claude', 'codex', 'gemini', 'aider', 'grok'] as const;
export type AgentName = (typeof AGENT_NAMES)[number];

/**
 * Tokens one run consumed, normalised across CLIs: `input` counts every prompt token the model read,
 * cached ones included; `cached` is the part served from the provider's prompt cache; `output` counts
 * every generated token, reasoning included.
 */
export interface TokenUsage {
  readonly input: number;
  readonly output: number;
  readonly cached: number;
}

export interface AgentRequest {
  readonly prompt: string;
  readonly model: string;
  /** The checked-out repository (or empty workspace) the agent works in. */
  readonly workdir: string;
  /** The worker's own environment, to read provider keys from. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** How to start the CLI: its arguments, and the variables to add to its environment. */
export interface AgentInvocation {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

export interface AgentAdapter {
  readonly name: AgentName;
  /** The executable the image installs on PATH. */
  readonly executable: string;
  /** Files the CLI writes into the working tree for its own bookkeeping: kept out of the commit. */
  readonly scratchPatterns: readonly string[];
  invocation(request: AgentRequest): AgentInvocation;
  /** Token usage from the CLI's stdout, or null where the CLI does not report it. */
  parseUsage(stdout: string): TokenUsage | null;
}

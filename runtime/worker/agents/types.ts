/** The coding agents a worker image can run; one image per agent, named by OUTPOST_AGENT. */
export const AGENT_NAMES = ['claude', 'codex', 'gemini', 'aider', 'grok'] as const;
export type AgentName = (typeof AGENT_NAMES)[number];

/**
 * Tokens consumed, normalised across CLIs: `input` counts every prompt token the model read, cache reads and
 * cache writes included; `cached` is the part read from the provider's prompt cache; `cacheWrite` the part
 * written to it (Anthropic bills writes above the input price); `output` counts every generated token,
 * reasoning included.
 */
export interface TokenUsage {
  readonly input: number;
  readonly output: number;
  readonly cached: number;
  /** Absent in the results of workers older than per-model usage: read as 0. */
  readonly cacheWrite?: number;
}

/** What one model consumed in a run: `model` is the id the provider reported serving, not the alias asked for. */
export interface ModelUsage extends TokenUsage {
  readonly model: string;
  readonly cacheWrite: number;
}

/** What the CLI printed, for the adapter to read. */
export interface AgentOutput {
  /** The model the worker asked for: the one that ran, for a CLI that does not name the model it used. */
  readonly requestedModel: string;
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** What the adapter read from the CLI's output. */
export interface AgentReport {
  /** Usage per model actually used, in the order first seen; null when the CLI reported none. */
  readonly usage: ModelUsage[] | null;
  /**
   * Why the run failed when the CLI's output says so: the provider's reason (a bad key, throttling, a gone
   * model) as the CLI reported it, even where the CLI exits 0. Null when it reports no failure.
   */
  readonly failure: string | null;
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
  /** Usage per model and any failure the CLI reported, from its output. */
  report(output: AgentOutput): AgentReport;
}

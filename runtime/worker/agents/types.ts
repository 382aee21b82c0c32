import type { AgentName } from '../../contracts/agent-names';
import type { ModelUsage } from '../../contracts/token-usage';

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

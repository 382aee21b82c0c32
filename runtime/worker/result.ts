import type { RunStatus, FailureCode } from '../contracts/dispatch-result';

/** What happened to the agent process, when it got as far as starting. */
export interface AgentExit {
  readonly exitCode: number;
  readonly timedOut: boolean;
  /** The failure the CLI's output reported (the provider's reason), even with exit code 0. */
  readonly failure?: string | null;
}

/** The model gateway's figures when it stopped the run at its budget. */
export interface BudgetStop {
  readonly spentUsd: number;
  readonly limitUsd: number;
}

export interface OutcomeInput {
  /** SIGTERM arrived before the agent finished (or before it started). */
  readonly cancelled: boolean;
  /** The spend reached `budget.maxCostUsd` and the gateway stopped the agent: a failure, not a cancellation. */
  readonly budgetExceeded?: BudgetStop;
  readonly agent: AgentExit | undefined;
  /** What went wrong in the worker's own steps: workspace, clone, push, upload. */
  readonly platformErrors: readonly string[];
}

export interface Outcome {
  readonly status: RunStatus;
  /** The worker's exit code: the agent's own, or 1 for a platform failure, 124 and 143 as timeout(1) and SIGTERM. */
  readonly exitCode: number;
  readonly error: string | null;
  readonly failureCode?: FailureCode;
}

export const EXIT_TIMED_OUT = 124;
export const EXIT_CANCELLED = 143;

export function classifyOutcome(input: OutcomeInput): Outcome {
  const { status, exitCode, reason, failureCode } = verdict(input);
  const messages = [reason, ...input.platformErrors].filter((message): message is string => !!message);
  return { status, exitCode, error: messages.length > 0 ? messages.join('; ') : null, ...(failureCode && { failureCode }) };
}

/**
 * Cancellation wins over everything, then the budget (the agent's exit after it is the gateway's doing), then the
 * timeout, then the agent's own failure, then the worker's.
 */
function verdict({ cancelled, budgetExceeded, agent, platformErrors }: OutcomeInput): Omit<Outcome, 'error'> & { reason: string | null } {
  if (cancelled) {
    return { status: 'cancelled', exitCode: EXIT_CANCELLED, reason: 'cancelled: the task was stopped' };
  }
  if (budgetExceeded) {
    const { spentUsd, limitUsd } = budgetExceeded;
    return {
      status: 'failed',
      exitCode: 1,
      reason: `the run reached its budget: the model gateway metered $${spentUsd} against maxCostUsd $${limitUsd} and stopped the agent`,
      failureCode: 'BudgetExceeded',
    };
  }
  if (!agent) {
    return { status: 'failed', exitCode: 1, reason: platformErrors.length > 0 ? null : 'the agent did not run' };
  }
  if (agent.timedOut) {
    return { status: 'timed_out', exitCode: EXIT_TIMED_OUT, reason: 'the agent ran past timeoutSeconds' };
  }
  if (agent.exitCode !== 0) {
    const reported = agent.failure ? `: ${agent.failure}` : '';
    return { status: 'failed', exitCode: agent.exitCode, reason: `the agent exited with code ${agent.exitCode}${reported}` };
  }
  if (agent.failure) {
    // Some CLIs print the provider's error as an answer and exit 0: the run did not do its work.
    return { status: 'failed', exitCode: 1, reason: `the agent reported a failure: ${agent.failure}` };
  }
  return platformErrors.length > 0 ? { status: 'failed', exitCode: 1, reason: null } : { status: 'succeeded', exitCode: 0, reason: null };
}

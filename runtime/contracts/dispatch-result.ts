import type { AgentName } from './agent-names';
import type { ModelUsage, TokenUsage } from './token-usage';
import type { WorkspaceSize } from './workspace-size';

/** How the run ended, as result.json says it (the dispatch's own status is core/dispatch/states.ts `DispatchStatus`). */
export type RunStatus = 'succeeded' | 'failed' | 'timed_out' | 'cancelled';

/** The failures a result names by code (DispatchResult.failureCode). */
export const FAILURE_CODES = ['BudgetExceeded'] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

/** result.json: what the control plane records about the dispatch. */
export interface DispatchResult {
  readonly dispatchId: string;
  readonly agent: AgentName;
  readonly model: string;
  readonly status: RunStatus;
  readonly exitCode: number;
  /** The run's total over every model, or null when the CLI reported no usage. */
  readonly tokenUsage: TokenUsage | null;
  /**
   * Per model actually used (the ledger prices each at its own rates), or null when the CLI reported none.
   * This worker always writes it; it is absent from the results of older workers.
   */
  readonly modelUsage?: ModelUsage[] | null;
  readonly commit: string | null;
  readonly branch: string | null;
  readonly durationSeconds: number;
  readonly error: string | null;
  /**
   * A fixed name for a failure that callers match on: `BudgetExceeded` when the model gateway stopped the run
   * at its `budget.maxCostUsd`. Absent otherwise.
   */
  readonly failureCode?: FailureCode;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** A persistent workspace's size at the end of the run; absent for an ephemeral one, or when it could not be measured. */
  readonly workspaceSize?: WorkspaceSize;
}

import { agentStatusKey, type Dispatch, type DispatchCost, type DispatchResultSummary } from './dispatch';
import { canTransition, DispatchStatus, isFinal } from './states';

/** What a transition records besides the new status. Each field belongs to one kind of move (see below). */
export interface TransitionDetails {
  /** Why: published with the event and kept in the audit log (AWS's reason for a failed RunTask, who cancelled). */
  readonly reason?: string;
  /** Entering STARTING: the task that will run it. */
  readonly taskArn?: string;
  /** Entering STARTING: whether a warm worker took it. */
  readonly warm?: boolean;
  /** Entering STARTING: the model resolved from the agent's configuration, when the request named none. */
  readonly model?: string;
  /** Entering a final state: what the task and its result.json said. */
  readonly exitCode?: number;
  readonly error?: string;
  readonly result?: DispatchResultSummary;
  readonly cost?: DispatchCost;
}

/** The fields one transition sets. */
export type DispatchUpdate = Pick<Dispatch, 'status' | 'agentStatus' | 'version' | 'updatedAt'>
& Partial<Pick<Dispatch, 'startedAt' | 'finishedAt' | 'deadline' | 'taskArn' | 'warm' | 'model' | 'exitCode' | 'error' | 'result' | 'cost'>>;

/** A conditional write: set `update` only while the item still has the `expected` status and version. */
export interface TransitionPlan {
  readonly allowed: true;
  readonly update: DispatchUpdate;
  readonly expected: { readonly status: DispatchStatus; readonly version: number };
}

export interface TransitionRefusal {
  readonly allowed: false;
  readonly reason: string;
}

const START_DETAILS = ['taskArn', 'warm', 'model'] as const;
const FINISH_DETAILS = ['exitCode', 'error', 'result', 'cost'] as const;

/**
 * The write that moves `dispatch` to `to` at `at`, or why it may not: the move is not in the transition
 * table, or a detail does not belong to it (a task ARN after the start, an exit code before the end), which
 * would be a caller's bug rather than a late event.
 */
export function planTransition(
  dispatch: Dispatch,
  to: DispatchStatus,
  at: Date,
  details: TransitionDetails = {},
): TransitionPlan | TransitionRefusal {
  const from = dispatch.status;
  if (!canTransition(from, to)) {
    return { allowed: false, reason: `a dispatch cannot move from ${from} to ${to}` };
  }
  const misplaced = [
    ...(to === DispatchStatus.STARTING ? [] : START_DETAILS),
    ...(isFinal(to) ? [] : FINISH_DETAILS),
  ].filter((name) => details[name] !== undefined);
  if (misplaced.length > 0) {
    return { allowed: false, reason: `${misplaced.join(', ')} cannot be set entering ${to}` };
  }
  if (details.model !== undefined && dispatch.model !== undefined) {
    return { allowed: false, reason: 'model was named by the request and cannot be replaced' };
  }

  const time = at.toISOString();
  const recorded: Partial<DispatchUpdate> = Object.fromEntries([...START_DETAILS, ...FINISH_DETAILS]
    .filter((name) => details[name] !== undefined)
    .map((name) => [name, details[name]]));
  return {
    allowed: true,
    update: {
      ...recorded,
      status: to,
      agentStatus: agentStatusKey(dispatch.agent, to),
      version: dispatch.version + 1,
      updatedAt: time,
      ...(to === DispatchStatus.STARTING && {
        startedAt: time,
        deadline: new Date(at.getTime() + dispatch.timeoutSeconds * 1000).toISOString(),
      }),
      ...(isFinal(to) && { finishedAt: time }),
    },
    expected: { status: from, version: dispatch.version },
  };
}

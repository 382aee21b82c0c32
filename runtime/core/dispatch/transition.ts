import { agentStatusKey, type Dispatch, type DispatchCost, type DispatchResultSummary } from './dispatch';
import { canTransition, DispatchStatus, isFinal } from './states';
import type { TaskRun } from '../tasks/task-event';

/** What a transition records besides the new status. Each field belongs to one kind of move (see below). */
export interface TransitionDetails {
  /**
   * Why: kept on the item as `statusReason` until the next transition, so that the outbox publishes it with
   * the event and the audit record (AWS's reason for a failed RunTask, who cancelled).
   */
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
  readonly task?: TaskRun;
  readonly cost?: DispatchCost;
}

/** The fields one transition sets. */
export type DispatchUpdate = Pick<Dispatch, 'status' | 'agentStatus' | 'version' | 'updatedAt'>
& Partial<Pick<Dispatch, 'startedAt' | 'finishedAt' | 'deadline' | 'taskArn' | 'warm' | 'model' | 'exitCode' | 'error' | 'statusReason' | 'result' | 'task' | 'cost'>>;

/**
 * A conditional write: set `update` and remove `remove` only while the item still has the `expected` status
 * and version.
 */
export interface TransitionPlan {
  readonly allowed: true;
  readonly update: DispatchUpdate;
  /** Attributes of the previous transition that no longer hold: the reason, when this one has none. */
  readonly remove: readonly (keyof Dispatch)[];
  readonly expected: { readonly status: DispatchStatus; readonly version: number };
}

/** One move of a multi-step write. */
export interface TransitionStep {
  readonly to: DispatchStatus;
  readonly details?: TransitionDetails;
}

export interface TransitionRefusal {
  readonly allowed: false;
  readonly reason: string;
}

const START_DETAILS = ['taskArn', 'warm', 'model'] as const;
const FINISH_DETAILS = ['exitCode', 'error', 'result', 'task', 'cost'] as const;

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
  if (details.model !== undefined && dispatch.model !== undefined && details.model !== dispatch.model) {
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
      ...(details.reason !== undefined && { statusReason: details.reason }),
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
    remove: details.reason === undefined ? ['statusReason'] : [],
    expected: { status: from, version: dispatch.version },
  };
}

/**
 * Several moves in one write, each planned from where the one before it left the dispatch: a warm start
 * records STARTING and RUNNING together once the worker has accepted, so the dispatch never shows a
 * worker it does not have. The version advances once per move, and the outbox publishes each move
 * (`streamTransitions`).
 */
export function planTransitions(dispatch: Dispatch, steps: readonly TransitionStep[], at: Date): TransitionPlan | TransitionRefusal {
  if (steps.length === 0) {
    return { allowed: false, reason: 'a transition needs at least one step' };
  }
  let current = dispatch;
  let combined: TransitionPlan | undefined;
  for (const step of steps) {
    const plan = planTransition(current, step.to, at, step.details);
    if (!plan.allowed) {
      return plan;
    }
    current = { ...current, ...plan.update };
    const update: DispatchUpdate = { ...combined?.update, ...plan.update };
    const keptReason = update.statusReason !== undefined;
    combined = { ...plan, update, remove: keptReason ? [] : plan.remove };
  }
  return { ...combined!, expected: { status: dispatch.status, version: dispatch.version } };
}

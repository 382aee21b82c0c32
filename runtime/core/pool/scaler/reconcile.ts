import type { PoolTask } from './pool-task';
import type { PoolWorker } from '../pool-worker';

export interface ReconcileLimits {
  /** A worker not healthy this long after RunTask will not be (Fargate starts one in about a minute). */
  readonly startingLimitMs: number;
  /**
   * A task or item this young may be one half of a start still under way (RunTask has returned, the item is
   * not written yet) or not yet visible to the other read (ListTasks and the pool index are eventually
   * consistent): left for the next run.
   */
  readonly graceMs: number;
}

export const RECONCILE_LIMITS: ReconcileLimits = { startingLimitMs: 10 * 60_000, graceMs: 2 * 60_000 };

/** A STARTING worker whose task ECS reports healthy: the event that marks it idle was lost. */
export interface ReadyWorker {
  readonly worker: PoolWorker;
  readonly privateIp: string;
}

/** What the pool table and ECS disagree on, for one agent, and what is left of its pool. */
export interface Reconciliation {
  /** Pool tasks of the agent that no item knows: stop them. */
  readonly orphans: readonly PoolTask[];
  /** Items whose task no longer runs: remove them. */
  readonly vanished: readonly PoolWorker[];
  /** Workers starting for too long, or that ECS reports UNHEALTHY: stop them (the policy replaces them). */
  readonly unhealthy: readonly PoolWorker[];
  readonly ready: readonly ReadyWorker[];
  /** DRAINING workers whose task still runs (a stop that did not finish): stop them again. */
  readonly stillDraining: readonly PoolWorker[];
  /** The healthy idle and starting workers, as the policy will see them. */
  readonly idle: readonly PoolWorker[];
  readonly starting: readonly PoolWorker[];
}

/**
 * Compare an agent's pool items (every state) with the pool tasks ECS runs for it (desired RUNNING). Only the
 * pool's own states are acted on: a RESERVED or BUSY worker belongs to its dispatch, whose task events and the
 * sweeper resolve it.
 */
export function reconcile(
  items: readonly PoolWorker[],
  tasks: readonly PoolTask[],
  now: number,
  limits: ReconcileLimits = RECONCILE_LIMITS,
): Reconciliation {
  const running = new Map(tasks.map((task) => [task.taskId, task]));
  const known = new Set(items.map((item) => item.taskId));
  const young = (at: number | undefined) => withinGrace(at, now, limits);
  const vanished: PoolWorker[] = [];
  const unhealthy: PoolWorker[] = [];
  const ready: ReadyWorker[] = [];
  const stillDraining: PoolWorker[] = [];
  const idle: PoolWorker[] = [];
  const starting: PoolWorker[] = [];
  for (const item of items) {
    const task = running.get(item.taskId);
    const since = Date.parse(item.since);
    if (item.state === 'RESERVED' || item.state === 'BUSY') {
      continue;
    }
    if (!task) {
      if (!(item.state === 'STARTING' && young(since))) {
        vanished.push(item);
      }
    } else if (item.state === 'DRAINING') {
      stillDraining.push(item);
    } else if (task.healthStatus === 'UNHEALTHY' || (item.state === 'STARTING' && now - since > limits.startingLimitMs)) {
      unhealthy.push(item);
    } else if (item.state === 'IDLE') {
      idle.push(item);
    } else if (task.lastStatus === 'RUNNING' && task.healthStatus === 'HEALTHY' && task.privateIp) {
      ready.push({ worker: item, privateIp: task.privateIp });
    } else {
      starting.push(item);
    }
  }
  const orphans = tasks.filter((task) => !known.has(task.taskId) && !young(task.createdAt));
  return { orphans, vanished, unhealthy, ready, stillDraining, idle, starting };
}

/**
 * Pool tasks of no agent the platform runs (one removed from it, or a task without the agent tag): stop them,
 * once past the grace period.
 */
export function strayTasks(tasks: readonly PoolTask[], agents: readonly string[], now: number, limits = RECONCILE_LIMITS): PoolTask[] {
  return tasks.filter((task) => !(task.agent && agents.includes(task.agent)) && !withinGrace(task.createdAt, now, limits));
}

/** Whether `at` (epoch ms) is within the grace period; ECS always reports a task's createdAt, so one without counts as old. */
function withinGrace(at: number | undefined, now: number, limits: ReconcileLimits): boolean {
  return at !== undefined && now - at < limits.graceMs;
}

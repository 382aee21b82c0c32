import type { PoolConfig } from './config';

/** An idle worker as the pool table holds it. */
export interface IdleWorker {
  readonly taskId: string;
  /** When it became idle, epoch milliseconds: the pool item's `since` while its state is IDLE. */
  readonly idleSince: number;
}

/** One agent's pool, as the scaler reads it from the pool table (counts by state, and the idle workers). */
export interface PoolSnapshot {
  readonly idle: readonly IdleWorker[];
  /** Pool workers started and not yet healthy: STARTING items (a cold start's task is RESERVED, not STARTING). */
  readonly starting: number;
  /** The agent's dispatches waiting for a worker: QUEUED, or STARTING on a task started for them. */
  readonly waiting: number;
}

/** What the scaler knows of the agent's recent demand. */
export interface RecentDemand {
  /**
   * When each of the agent's dispatches was created over the policy's lookback, epoch milliseconds, oldest first.
   * It may also start with older ones (the simulator trims its list in batches rather than copy it for each
   * decision): count arrivals by time (arrivalsAfter), never by the list's length.
   */
  readonly arrivals: readonly number[];
  /** The agent's latest measured cold starts, RunTask to healthy, in seconds. */
  readonly coldStartSeconds: readonly number[];
}

/**
 * Why the policy runs: the scaler's minute (`tick`), or an event: an idle worker was claimed, a dispatch found
 * no idle worker (`missed`), a worker became idle, or a worker stopped.
 */
export type PolicyTrigger = 'tick' | 'claimed' | 'missed' | 'idle' | 'stopped';

/** What a policy keeps from one decision to the next, stored by the scaler beside the pool: numbers only. */
export type PolicyMemory = Readonly<Record<string, number>>;

export interface PolicyInput {
  /** Epoch milliseconds. */
  readonly now: number;
  readonly trigger: PolicyTrigger;
  readonly pool: PoolSnapshot;
  readonly demand: RecentDemand;
  readonly config: PoolConfig;
  /** The memory the previous decision returned; empty at first. */
  readonly memory: PolicyMemory;
}

export interface PoolDecision {
  /** Pool workers to start now. */
  readonly start: number;
  /** Idle workers to stop now, by task id. */
  readonly stop: readonly string[];
  /** The count of idle and starting workers the policy aims at, for logs and charts. */
  readonly target: number;
  readonly memory: PolicyMemory;
}

/**
 * A warm-pool policy: a pure function of the pool, recent demand, cold starts, configuration and clock. The
 * scaler and the simulator (bench/pool) run the same policies.
 */
export interface PoolPolicy {
  readonly name: string;
  /** How far back `RecentDemand.arrivals` must reach, in seconds. */
  readonly lookbackSeconds: number;
  decide(input: PolicyInput): PoolDecision;
}

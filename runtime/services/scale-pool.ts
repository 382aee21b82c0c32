import { startWorkers, stopTasks, stopWorkers, type StartOutcome } from './pool-workers';
import { reconcilePool } from './reconcile-pool';
import type { ScalerDeps } from './scaler-deps';
import type { Lease } from '../adapters/scaler-leases';
import type { PolicyMemory, PolicyTrigger } from '../core/pool/policy/policy';
import type { PoolWorker } from '../core/pool/pool-worker';
import { latestSamples, type ColdStart } from '../core/pool/scaler/cold-starts';
import { launchPace } from '../core/pool/scaler/launch-pace';
import type { AgentTrigger } from '../core/pool/scaler/pool-stream';
import type { PoolTask } from '../core/pool/scaler/pool-task';
import { summarizeDemand, type DemandSummary } from '../core/pool/scaler/recent-dispatches';
import { strayTasks } from '../core/pool/scaler/reconcile';

/** How long a run holds an agent's pool; a run that died holding it blocks the pool no longer than this. */
export const LEASE_MS = 2 * 60_000;
/** A run starts workers only this long after taking its lease, well inside it, so that no two runs start at once. */
export const LAUNCH_WINDOW_MS = 40_000;
/** The window the warm-start ratio is measured over. */
export const WARM_RATIO_WINDOW_MS = 15 * 60_000;
/** How long an event's run waits for a lease another run holds: runs take seconds. */
export const EVENT_LEASE_WAIT_MS = 20_000;
/** How often a waiting run asks again. */
const LEASE_RETRY_MS = 1_000;

/** What one run did to one agent's pool, for the log. */
export interface ScaleReport {
  readonly agent: string;
  readonly trigger: PolicyTrigger;
  readonly orphansStopped: number;
  readonly vanishedRemoved: number;
  readonly unhealthyStopped: number;
  /** The idle and starting workers the policy aims at (0 for a disabled pool). */
  readonly target: number;
  readonly started: number;
  readonly stopped: number;
  readonly failedStarts: number;
  readonly failure?: string;
}

/** Thrown when an event's run could not get its agent's lease in time: the stream then delivers the batch again. */
export class PoolBusy extends Error {
  constructor(agents: readonly string[]) {
    super(`another scaler run holds the pool of ${agents.join(', ')}`);
    this.name = 'PoolBusy';
  }
}

/**
 * One scaler run for one agent (docs/pool.md, "The scaler"): under the agent's lease, reconcile the pool table
 * with what ECS runs (replacing unhealthy workers), apply the policy or drain a disabled pool, and publish the
 * pool's metrics. Waits up to `waitForLeaseMs` for a lease another run holds; undefined if it is still held,
 * or if the agent has no pool.
 */
export async function scalePool(
  deps: ScalerDeps,
  agent: string,
  trigger: PolicyTrigger,
  measured: readonly ColdStart[] = [],
  waitForLeaseMs = 0,
): Promise<ScaleReport | undefined> {
  const pool = deps.pools[agent];
  const lease = pool && await acquire(deps, agent, waitForLeaseMs);
  if (!pool || !lease) {
    return undefined;
  }
  const coldStartSeconds = latestSamples(lease.coldStartSeconds, measured.map((coldStart) => coldStart.seconds));
  let memory = lease.memory;
  try {
    const now = deps.now().getTime();
    const seen = await reconcilePool(deps, agent, now);
    const dispatches = await deps.dispatches.of(agent, now - Math.max(deps.policy.lookbackSeconds * 1000, WARM_RATIO_WINDOW_MS));
    const demand = summarizeDemand(dispatches, now - deps.policy.lookbackSeconds * 1000);
    const applied = pool.enabled
      ? await applyPolicy(deps, { agent, trigger, now, idle: seen.idle, starting: seen.starting, live: seen.live, demand, coldStartSeconds, memory })
      : { target: 0, stopped: await stopWorkers(deps, [...seen.idle, ...seen.starting], 'the pool is disabled'), started: 0, failed: 0, memory };
    memory = applied.memory;
    const recent = summarizeDemand(dispatches, now - WARM_RATIO_WINDOW_MS);
    const started = recent.warmStarts + recent.coldStarts;
    deps.metrics.publish({
      agent,
      idle: seen.idle.length - applied.stopped,
      starting: seen.starting.length + applied.started,
      busy: seen.busy,
      queued: demand.queued,
      ...(started > 0 && { warmStartRatio: recent.warmStarts / started }),
      coldStarts: measured,
    });
    return {
      agent,
      trigger,
      orphansStopped: seen.orphansStopped,
      vanishedRemoved: seen.vanishedRemoved,
      unhealthyStopped: seen.unhealthyStopped,
      target: applied.target,
      started: applied.started,
      stopped: applied.stopped,
      failedStarts: applied.failed,
      ...(applied.failure !== undefined && { failure: applied.failure }),
    };
  } finally {
    await deps.leases.release(lease, { memory, coldStartSeconds });
  }
}

/** The minute's run: every agent's pool at once (the launch pace shares Fargate's rate among them), then stray tasks. */
export async function scaleAllPools(deps: ScalerDeps): Promise<Array<PromiseSettledResult<ScaleReport | undefined>>> {
  const runs = await Promise.allSettled(Object.keys(deps.pools).map((agent) => scalePool(deps, agent, 'tick')));
  const stray = strayTasks(await deps.tasks.running(), Object.keys(deps.pools), deps.now().getTime());
  await stopTasks(deps, stray, 'its agent has no pool on this platform');
  return runs;
}

/**
 * The runs a batch of pool-table changes calls for, one per agent, each waiting a while for its lease; throws
 * PoolBusy if a lease stayed held, so that the batch comes again (the runs that did happen are repeated then,
 * which only re-decides, and may count a cold start twice among the kept samples).
 */
export async function scaleForChanges(deps: ScalerDeps, triggers: readonly AgentTrigger[]): Promise<ScaleReport[]> {
  const runs = await Promise.all(triggers.map(async (run) => ({
    agent: run.agent,
    report: await scalePool(deps, run.agent, run.trigger, run.coldStarts, EVENT_LEASE_WAIT_MS),
  })));
  const busy = runs.filter((run) => !run.report && deps.pools[run.agent]).map((run) => run.agent);
  if (busy.length > 0) {
    throw new PoolBusy(busy);
  }
  return runs.flatMap((run) => (run.report ? [run.report] : []));
}

interface PolicyRun {
  readonly agent: string;
  readonly trigger: PolicyTrigger;
  readonly now: number;
  readonly idle: readonly PoolWorker[];
  readonly starting: readonly PoolWorker[];
  readonly live: readonly PoolTask[];
  readonly demand: DemandSummary;
  readonly coldStartSeconds: readonly number[];
  readonly memory: PolicyMemory;
}

/** Ask the policy, stop the idle workers it names, and start what it asks for within `maxWorkers` and the launch pace. */
async function applyPolicy(deps: ScalerDeps, run: PolicyRun): Promise<StartOutcome & { target: number; stopped: number; memory: PolicyMemory }> {
  const { config } = deps.pools[run.agent];
  const decision = deps.policy.decide({
    now: run.now,
    trigger: run.trigger,
    pool: {
      idle: run.idle.map((worker) => ({ taskId: worker.taskId, idleSince: Date.parse(worker.since) })),
      starting: run.starting.length,
      waiting: run.demand.waiting,
    },
    demand: { arrivals: run.demand.arrivals, coldStartSeconds: run.coldStartSeconds },
    config,
    memory: run.memory,
  });
  const toStop = new Set(decision.stop);
  const stopped = await stopWorkers(deps, run.idle.filter((worker) => toStop.has(worker.taskId)), 'idle, beyond what the pool needs');
  const held = run.idle.length - stopped + run.starting.length;
  const outcome = await startWorkers(deps, {
    agent: run.agent,
    count: Math.min(decision.start, Math.max(0, config.maxWorkers - held)),
    pace: launchPace(Object.values(deps.pools).filter((pool) => pool.enabled).length, LAUNCH_WINDOW_MS / 1000),
    spotShare: config.spotShare,
    live: run.live,
    until: run.now + LAUNCH_WINDOW_MS,
  });
  return { ...outcome, target: decision.target, stopped, memory: decision.memory };
}

/** The agent's lease, asking again every second for up to `waitMs` while another run holds it. */
async function acquire(deps: ScalerDeps, agent: string, waitMs: number): Promise<Lease | undefined> {
  const giveUpAt = deps.now().getTime() + waitMs;
  for (;;) {
    const now = deps.now().getTime();
    const lease = await deps.leases.acquire(agent, now, LEASE_MS);
    if (lease || now + LEASE_RETRY_MS > giveUpAt) {
      return lease;
    }
    await deps.sleep(LEASE_RETRY_MS);
  }
}

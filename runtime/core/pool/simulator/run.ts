import { DEFAULT_COLD_START, type ColdStartDistribution } from './cold-start';
import { FARGATE_LAUNCH_LIMITS, type CallRecord, type LaunchLimits } from './launch-limits';
import { DEFAULT_POOL_CONFIG, type PoolConfig } from '../policy/config';

export interface SimulationOptions {
  /** Seeds the cold-start draws and the backoff jitter: the same seed gives the same run. */
  readonly seed: number;
  readonly coldStart: ColdStartDistribution;
  /** From a worker being claimed (or, for a cold start, becoming healthy) to its run starting. */
  readonly handoffSeconds: number;
  /** The scaler's schedule: the policy runs this often, and on every event. */
  readonly tickSeconds: number;
  /** Simulated time before the first dispatch (for policies to fill their floor) and after the last. */
  readonly marginSeconds: number;
  readonly limits: LaunchLimits;
  /** Every agent's pool configuration. */
  readonly config: PoolConfig;
  /** How many of an agent's latest measured cold starts the policy is shown. */
  readonly coldStartSamples: number;
}

export const DEFAULT_SIMULATION: SimulationOptions = {
  seed: 1,
  coldStart: DEFAULT_COLD_START,
  // POST /dispatch to the worker's acceptance: tens of milliseconds of AWS calls (bench/handlers/WARM-PATH.md)
  // plus API Gateway, Lambda and the request itself.
  handoffSeconds: 0.5,
  tickSeconds: 60,
  marginSeconds: 3600,
  limits: FARGATE_LAUNCH_LIMITS,
  config: DEFAULT_POOL_CONFIG,
  coldStartSamples: 20,
};

/** How a dispatch of the trace fared. */
export interface DispatchOutcome {
  readonly at: number;
  readonly warm: boolean;
  /** From its creation to its run starting; undefined when no task could be started for it. */
  readonly waitSeconds: number | undefined;
  readonly durationSeconds: number;
}

/** A task that ran, as Fargate bills it. */
export interface TaskBill {
  /** RunTask accepted it: Fargate bills from about here (the image pull) to the task's stop. */
  readonly launchedAt: number;
  readonly stoppedAt: number;
  /** The part of its life spent running a dispatch. */
  readonly busySeconds: number;
}

/** The pool at one of the scaler's minutes, over all agents. */
export interface PoolSample {
  readonly at: number;
  readonly idle: number;
  readonly starting: number;
}

/** Everything one policy's run produced. */
export interface Run {
  readonly dispatches: readonly DispatchOutcome[];
  readonly tasks: readonly TaskBill[];
  readonly samples: readonly PoolSample[];
  readonly calls: readonly CallRecord[];
}

/**
 * What a run reports as it goes, so that nothing of it need be held: each dispatch as it starts its run (or
 * fails to), each task as it stops, each of the scaler's minutes, each RunTask call. A summary keeps counts
 * and sums (RunTotals); a chart or a test keeps everything (RunRecorder).
 */
export interface RunObserver {
  /** `index`: the dispatch's place in the trace. */
  dispatch(outcome: DispatchOutcome, index: number): void;
  task(bill: TaskBill): void;
  sample?(sample: PoolSample): void;
  call(record: CallRecord): void;
}

/** Keeps every outcome, bill, sample and call: a {@link Run}, for charts and tests on small traces. */
export class RunRecorder implements RunObserver {
  private readonly dispatches: DispatchOutcome[] = [];
  private readonly tasks: TaskBill[] = [];
  private readonly samples: PoolSample[] = [];
  private readonly calls: CallRecord[] = [];

  public dispatch(outcome: DispatchOutcome, index: number): void {
    this.dispatches[index] = outcome;
  }

  public task(bill: TaskBill): void {
    this.tasks.push(bill);
  }

  public sample(sample: PoolSample): void {
    this.samples.push(sample);
  }

  public call(record: CallRecord): void {
    this.calls.push(record);
  }

  public run(): Run {
    return { dispatches: this.dispatches, tasks: this.tasks, samples: this.samples, calls: this.calls };
  }
}

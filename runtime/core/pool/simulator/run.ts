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

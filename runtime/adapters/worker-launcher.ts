import { randomUUID } from 'crypto';
import { ECSClient, RunTaskCommand, StopTaskCommand, type RunTaskCommandInput } from '@aws-sdk/client-ecs';
import type { WorkerTokenCipher } from './worker-token-cipher';
import { retry, type RetryOptions } from '../core/backoff';
import type { Architecture } from '../core/ledger/pricing';
import { capacityPlan, nextStep, type FargateCapacityProvider } from '../core/pool/capacity-plan';
import { classifyLaunchFailure, type LaunchFailure } from '../core/pool/launch-failure';
import { workerStartedBy } from '../core/pool/started-by';
import { WORKER_CLUSTER_VARIABLE, WORKER_TOKEN_CIPHERTEXT_VARIABLE } from '../core/pool/worker-token';
import { taskIdOf } from '../core/tasks/task-id';

export interface WorkerLauncherConfig {
  readonly cluster: string;
  /** The task definition of each agent, by agent name. */
  readonly taskDefinitionArns: Readonly<Record<string, string>>;
  /** Private subnets: workers never get a public address. */
  readonly subnets: readonly string[];
  readonly securityGroups: readonly string[];
  /** Start on Fargate Spot first, for agents whose architecture Spot runs (`architectures`). */
  readonly spotEnabled: boolean;
  /**
   * Each agent's task definition's CPU architecture, by agent name: Fargate Spot runs only `x86_64` tasks. An
   * agent missing here is taken as `arm64`, the agent task definitions' default, and never asks Spot.
   */
  readonly architectures?: Readonly<Record<string, Architecture>>;
  /** The container that runs the worker, whose environment receives the token's ciphertext. */
  readonly containerName: string;
}

/** How often and how long to retry; tests inject `sleep` and `random`. */
export type LaunchTiming = Pick<RetryOptions, 'attempts' | 'sleep' | 'random'>;

export interface LaunchRequest {
  readonly agent: string;
  /** The dispatch a cold start is for; absent for a warm-pool worker. */
  readonly dispatchId?: string;
  /** Instead of the agent's own: a persistent workspace's, which mounts it. */
  readonly taskDefinitionArn?: string;
}

export interface LaunchedWorker {
  readonly taskArn: string;
  readonly taskId: string;
  readonly capacityProvider: FargateCapacityProvider;
  /** The worker's token as KMS ciphertext, for the pool item: the hand-off decrypts it. */
  readonly tokenCiphertext: string;
}

export interface LaunchManyResult {
  readonly launched: readonly LaunchedWorker[];
  readonly failed: readonly LaunchError[];
}

/** RunTask started no task, after every retry it was worth. */
export class LaunchError extends Error {
  constructor(public readonly reason: string, public readonly calls: number) {
    super(`RunTask failed after ${calls} call(s): ${reason}`);
    this.name = 'LaunchError';
  }
}

/** One try that ended without a task; carries the classification to `retry` and back. */
class FailedTry extends Error {
  constructor(public readonly failure: LaunchFailure) {
    super(failure.reason);
  }
}

/**
 * Each task gets its own token, and RunTask applies one set of overrides to every task of a call, so
 * workers are started one per call; this many calls at once stay well inside RunTask's burst rate.
 */
const LAUNCHES_IN_FLIGHT = 10;

/** Starts and stops worker tasks (docs/control-plane.md, "Starting a worker"). */
export class WorkerLauncher {
  constructor(
    private readonly ecs: ECSClient,
    private readonly config: WorkerLauncherConfig,
    private readonly tokens: WorkerTokenCipher,
    private readonly timing: LaunchTiming = {},
  ) {}

  /**
   * One task, with a new token that ECS sees only as ciphertext: Spot (where enabled and able to run the agent's architecture), then on-demand where Spot has no
   * room, with backoff on throttling and server errors.
   */
  public async launch(request: LaunchRequest): Promise<LaunchedWorker> {
    const taskDefinition = request.taskDefinitionArn ?? this.taskDefinitionOf(request.agent);
    const plan = capacityPlan(this.config.spotEnabled, this.architectureOf(request.agent));
    const { ciphertext } = await this.tokens.seal();
    let step = 0;
    let calls = 0;
    // Names the one task this launch means to start, so that ECS ignores a retry of a call whose answer was
    // lost to a server error but which did start it. Renewed whenever ECS answered that it started nothing.
    let clientToken = randomUUID();
    const tryPlan = async (): Promise<LaunchedWorker> => {
      for (;;) {
        calls++;
        const capacityProvider = plan[step];
        const input = this.runTaskInput(request, taskDefinition, capacityProvider, ciphertext);
        const outcome = await this.runTask({ ...input, clientToken }, capacityProvider);
        if (!('kind' in outcome)) {
          return { ...outcome, tokenCiphertext: ciphertext };
        }
        if (outcome.kind !== 'server') {
          clientToken = randomUUID();
        }
        if (!outcome.retryable) {
          throw new FailedTry(outcome);
        }
        const next = nextStep(step, outcome.kind, plan.length);
        step = next.step;
        if (next.backOff) {
          throw new FailedTry(outcome);
        }
      }
    };
    try {
      return await retry(tryPlan, { ...this.timing, isRetryable: (error) => error instanceof FailedTry && error.failure.retryable });
    } catch (error) {
      throw error instanceof FailedTry ? new LaunchError(error.failure.reason, calls) : error;
    }
  }

  /** `count` warm-pool workers of one agent, each with a new token; a failed launch does not stop the others. */
  public async launchMany(agent: string, count: number): Promise<LaunchManyResult> {
    // An unknown agent is a configuration error, to be raised once rather than as `count` failures.
    this.taskDefinitionOf(agent);
    const launched: LaunchedWorker[] = [];
    const failed: LaunchError[] = [];
    for (let start = 0; start < count; start += LAUNCHES_IN_FLIGHT) {
      const wave = Array.from({ length: Math.min(LAUNCHES_IN_FLIGHT, count - start) }, () => this.launch({ agent }));
      for (const result of await Promise.allSettled(wave)) {
        if (result.status === 'fulfilled') {
          launched.push(result.value);
        } else if (result.reason instanceof LaunchError) {
          failed.push(result.reason);
        } else {
          throw result.reason;
        }
      }
    }
    return { launched, failed };
  }

  /** Stop a task. Idempotent: a task that has stopped already, or that ECS no longer knows, is stopped. */
  public async stop(taskArn: string, reason: string): Promise<void> {
    try {
      // ECS refuses a reason over 255 characters; the whole reason is on the dispatch.
      await this.ecs.send(new StopTaskCommand({ cluster: this.config.cluster, task: taskArn, reason: reason.slice(0, 255) }));
    } catch (error) {
      if (!isTaskNotFound(error)) {
        throw error;
      }
    }
  }

  private async runTask(input: RunTaskCommandInput, capacityProvider: FargateCapacityProvider): Promise<Omit<LaunchedWorker, 'tokenCiphertext'> | LaunchFailure> {
    try {
      const response = await this.ecs.send(new RunTaskCommand(input));
      const taskArn = response.tasks?.[0]?.taskArn;
      if (!taskArn) {
        return classifyLaunchFailure({ failures: response.failures ?? [] });
      }
      return { taskArn, taskId: taskIdOf(taskArn), capacityProvider };
    } catch (error) {
      return classifyLaunchFailure({ error });
    }
  }

  private runTaskInput(
    request: LaunchRequest, taskDefinition: string, capacityProvider: FargateCapacityProvider, tokenCiphertext: string,
  ): RunTaskCommandInput {
    return {
      cluster: this.config.cluster,
      taskDefinition,
      count: 1,
      capacityProviderStrategy: [{ capacityProvider, weight: 1 }],
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: [...this.config.subnets],
          securityGroups: [...this.config.securityGroups],
          assignPublicIp: 'DISABLED',
        },
      },
      startedBy: workerStartedBy(request.dispatchId),
      enableExecuteCommand: false,
      propagateTags: 'TASK_DEFINITION',
      tags: [
        { key: 'outpost:agent', value: request.agent },
        ...(request.dispatchId ? [{ key: 'outpost:dispatch-id', value: request.dispatchId }] : []),
      ],
      overrides: {
        containerOverrides: [{
          name: this.config.containerName,
          environment: [
            { name: WORKER_TOKEN_CIPHERTEXT_VARIABLE, value: tokenCiphertext },
            { name: WORKER_CLUSTER_VARIABLE, value: this.config.cluster },
          ],
        }],
      },
    };
  }

  private architectureOf(agent: string): Architecture {
    const architectures = this.config.architectures ?? {};
    return Object.hasOwn(architectures, agent) ? architectures[agent] : 'arm64';
  }

  private taskDefinitionOf(agent: string): string {
    // Own keys only: `constructor` is not an agent.
    const arn = Object.hasOwn(this.config.taskDefinitionArns, agent) ? this.config.taskDefinitionArns[agent] : undefined;
    if (!arn) {
      throw new Error(`No task definition for agent "${agent}"`);
    }
    return arn;
  }
}

/** StopTask on a task ECS has forgotten (stopped long enough ago) answers "The referenced task was not found". */
function isTaskNotFound(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  return name === 'InvalidParameterException' && typeof message === 'string' && /task was not found/i.test(message);
}

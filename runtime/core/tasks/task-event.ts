import * as z from 'zod/mini';
import { privateIpOf } from './task-address';
import { taskIdOf } from './task-id';
import { dispatchIdFromStartedBy } from '../pool/started-by';

/**
 * The parts of an ECS "Task State Change" event the control plane acts on. The event carries no health status
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html: DescribeTasks has it), so
 * the hand-off confirms that a RUNNING task's worker answers before it pushes (runtime/services/task-ready.ts).
 */
export interface TaskState {
  readonly taskArn: string;
  readonly taskId: string;
  readonly lastStatus: string;
  readonly desiredStatus: string;
  /** `outpost/<dispatchId>` for a cold start, `outpost/pool` for a warm-pool worker (core/pool/started-by.ts). */
  readonly startedBy?: string;
  readonly privateIp?: string;
  readonly stopCode?: string;
  readonly stoppedReason?: string;
  /** The agent container's exit code, once stopped. */
  readonly exitCode?: number;
  /** What the task ran on and for how long, once stopped: what the ledger prices (docs/costs.md). */
  readonly run?: TaskRun;
}

/** A stopped task's size, capacity and billed times, as ECS reported them; recorded on its dispatch as `task`. */
export interface TaskRun {
  /** Fargate bills from the start of the image pull. */
  readonly pullStartedAt?: string;
  readonly startedAt?: string;
  readonly stoppedAt: string;
  /** CPU units (1024 = 1 vCPU). */
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly ephemeralStorageGiB?: number;
  /** `FARGATE` or `FARGATE_SPOT`. */
  readonly capacityProvider?: string;
  /** `x86_64` or `arm64` (ECS's `ecs.cpu-architecture` attribute). */
  readonly architecture?: string;
}

const Container = z.object({ name: z.string(), exitCode: z.optional(z.number()) });
const Attachment = z.object({
  type: z.optional(z.string()),
  details: z.optional(z.array(z.object({ name: z.string(), value: z.optional(z.string()) }))),
});
const TaskStateChange = z.object({
  'detail-type': z.literal('ECS Task State Change'),
  'source': z.literal('aws.ecs'),
  'detail': z.object({
    taskArn: z.string(),
    lastStatus: z.string(),
    desiredStatus: z.string(),
    startedBy: z.optional(z.string()),
    stopCode: z.optional(z.string()),
    stoppedReason: z.optional(z.string()),
    containers: z.optional(z.array(Container)),
    attachments: z.optional(z.array(Attachment)),
    cpu: z.optional(z.string()),
    memory: z.optional(z.string()),
    pullStartedAt: z.optional(z.string()),
    startedAt: z.optional(z.string()),
    stoppedAt: z.optional(z.string()),
    capacityProviderName: z.optional(z.string()),
    ephemeralStorage: z.optional(z.object({ sizeInGiB: z.optional(z.number()) })),
    attributes: z.optional(z.array(z.object({ name: z.string(), value: z.optional(z.string()) }))),
  }),
});

/** The container the agent task definitions name (src/agents/agent-task-definition.ts). */
const AGENT_CONTAINER = 'agent';

/** Parse an EventBridge event; anything that is not an ECS task state change is `undefined`. */
export function parseTaskStateChange(event: unknown): TaskState | undefined {
  const parsed = z.safeParse(TaskStateChange, event);
  if (!parsed.success) {
    return undefined;
  }
  const detail = parsed.data.detail;
  return {
    taskArn: detail.taskArn,
    taskId: taskIdOf(detail.taskArn),
    lastStatus: detail.lastStatus,
    desiredStatus: detail.desiredStatus,
    startedBy: detail.startedBy,
    privateIp: privateIpOf(detail.attachments),
    stopCode: detail.stopCode,
    stoppedReason: detail.stoppedReason,
    exitCode: detail.containers?.find((container) => container.name === AGENT_CONTAINER)?.exitCode,
    run: taskRun(detail),
  };
}

type Detail = z.infer<typeof TaskStateChange>['detail'];

/** Only a stopped task's event has every time; optional fields are left out, as DynamoDB requires. */
function taskRun(detail: Detail): TaskRun | undefined {
  const cpu = Number(detail.cpu);
  const memoryMiB = Number(detail.memory);
  if (detail.lastStatus !== 'STOPPED' || !detail.stoppedAt || !(cpu > 0) || !(memoryMiB > 0)) {
    return undefined;
  }
  const architecture = detail.attributes?.find((attribute) => attribute.name === 'ecs.cpu-architecture')?.value;
  return {
    ...(detail.pullStartedAt && { pullStartedAt: detail.pullStartedAt }),
    ...(detail.startedAt && { startedAt: detail.startedAt }),
    stoppedAt: detail.stoppedAt,
    cpu,
    memoryMiB,
    ...(detail.ephemeralStorage?.sizeInGiB !== undefined && { ephemeralStorageGiB: detail.ephemeralStorage.sizeInGiB }),
    ...(detail.capacityProviderName && { capacityProvider: detail.capacityProviderName }),
    ...(architecture && { architecture }),
  };
}

/** The dispatch a cold-started task was launched for. */
export function dispatchIdOf(task: TaskState): string | undefined {
  return dispatchIdFromStartedBy(task.startedBy);
}

/**
 * Running and meant to keep running: its containers have started, so its worker is listening or about to be
 * (the hand-off waits for it to answer). A task ECS is stopping (desired STOPPED, as a Fargate Spot
 * termination notice is) is not ready.
 */
export function isReady(task: TaskState): boolean {
  return task.lastStatus === 'RUNNING' && task.desiredStatus === 'RUNNING';
}

export function isStopped(task: TaskState): boolean {
  return task.lastStatus === 'STOPPED';
}

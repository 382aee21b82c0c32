import * as z from 'zod/mini';
import { dispatchIdFromStartedBy } from '../pool/started-by';

/** The parts of an ECS "Task State Change" event the control plane acts on. */
export interface TaskState {
  readonly taskArn: string;
  readonly taskId: string;
  readonly lastStatus: string;
  readonly desiredStatus: string;
  /** HEALTHY once the worker's container health check passes. */
  readonly healthStatus?: string;
  /** `outpost/<dispatchId>` for a cold start, `outpost/pool` for a warm-pool worker (core/pool/started-by.ts). */
  readonly startedBy?: string;
  readonly privateIp?: string;
  readonly stopCode?: string;
  readonly stoppedReason?: string;
  /** The agent container's exit code, once stopped. */
  readonly exitCode?: number;
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
    healthStatus: z.optional(z.string()),
    startedBy: z.optional(z.string()),
    stopCode: z.optional(z.string()),
    stoppedReason: z.optional(z.string()),
    containers: z.optional(z.array(Container)),
    attachments: z.optional(z.array(Attachment)),
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
  const eni = detail.attachments?.find((attachment) => attachment.type === 'ElasticNetworkInterface');
  return {
    taskArn: detail.taskArn,
    taskId: detail.taskArn.split('/').pop() ?? detail.taskArn,
    lastStatus: detail.lastStatus,
    desiredStatus: detail.desiredStatus,
    healthStatus: detail.healthStatus,
    startedBy: detail.startedBy,
    privateIp: eni?.details?.find((entry) => entry.name === 'privateIPv4Address')?.value,
    stopCode: detail.stopCode,
    stoppedReason: detail.stoppedReason,
    exitCode: detail.containers?.find((container) => container.name === AGENT_CONTAINER)?.exitCode,
  };
}

/** The dispatch a cold-started task was launched for. */
export function dispatchIdOf(task: TaskState): string | undefined {
  return dispatchIdFromStartedBy(task.startedBy);
}

/** Running and passing its health check: ready for an assignment. */
export function isReady(task: TaskState): boolean {
  return task.lastStatus === 'RUNNING' && task.healthStatus === 'HEALTHY' && task.desiredStatus === 'RUNNING';
}

export function isStopped(task: TaskState): boolean {
  return task.lastStatus === 'STOPPED';
}

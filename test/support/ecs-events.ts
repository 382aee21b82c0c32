import * as fs from 'fs';
import * as path from 'path';

/**
 * ECS "Task State Change" events as EventBridge delivers them, built from AWS's documented example
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html, kept verbatim in
 * fixtures/ecs-task-state-change.json) with only the fields a test is about changed. Its shape is what AWS
 * sends, not DescribeTasks': ISO timestamps, the network interface as an attachment of type `eni`, and no
 * `healthStatus` (the page: task health is not provided in task state change events).
 */
export interface DocumentedEvent {
  readonly 'version': string;
  readonly 'id': string;
  readonly 'detail-type': string;
  readonly 'source': string;
  readonly 'account': string;
  readonly 'time': string;
  readonly 'region': string;
  readonly 'resources': string[];
  readonly 'detail': Record<string, unknown>;
}

const FIXTURE = path.join(__dirname, 'fixtures', 'ecs-task-state-change.json');

/** The documented example, a fresh copy each call; `source` is the page it comes from. */
export function documentedTaskStateChange(): { source: string; example: DocumentedEvent } {
  return JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
}

/** The documented example's task, cluster and address: the defaults of taskEvent. */
export const DOCUMENTED_TASK_ARN = documentedTaskStateChange().example.detail.taskArn as string;
export const DOCUMENTED_CLUSTER_ARN = documentedTaskStateChange().example.detail.clusterArn as string;
type Attachments = Array<{ details: Array<{ name: string; value: string }> }>;
export const DOCUMENTED_PRIVATE_IP = (documentedTaskStateChange().example.detail.attachments as Attachments)[0]
  .details.find((entry) => entry.name === 'privateIPv4Address')!.value;

export interface TaskEventOptions {
  /** The task: also its `resources` entry and its containers' `taskArn`. @default the documented one */
  readonly taskArn?: string;
  /** @default the cluster named in `taskArn` (`…:task/<cluster>/<id>`) */
  readonly clusterArn?: string;
  /** The `eni` attachment's `privateIPv4Address` and the containers' `privateIpv4Address`. @default the documented one */
  readonly privateIp?: string;
}

/**
 * The documented event with `detail`'s fields replaced (lastStatus, desiredStatus, startedBy, group, stopCode,
 * containers, …: the Task object's fields, which the event's detail resembles) and the task, cluster and address
 * set. A `healthStatus` is refused: ECS does not send it, and a test that relied on it would pass against events
 * that never come.
 */
export function taskEvent(detail: Record<string, unknown> = {}, options: TaskEventOptions = {}): DocumentedEvent {
  if ('healthStatus' in detail) {
    throw new Error('ECS task state change events carry no healthStatus (see the page in fixtures/ecs-task-state-change.json); leave it out');
  }
  const event = documentedTaskStateChange().example;
  const taskArn = options.taskArn ?? DOCUMENTED_TASK_ARN;
  const documented = event.detail;
  const privateIp = options.privateIp ?? DOCUMENTED_PRIVATE_IP;
  const containers = (documented.containers as Array<Record<string, unknown>>).map((container) => ({
    ...container,
    taskArn,
    networkInterfaces: (container.networkInterfaces as Array<Record<string, unknown>>).map((eni) => ({ ...eni, privateIpv4Address: privateIp })),
  }));
  const attachments = (documented.attachments as Attachments).map((attachment) => ({
    ...attachment,
    details: attachment.details.map((entry) => entry.name === 'privateIPv4Address' ? { ...entry, value: privateIp } : entry),
  }));
  return {
    ...event,
    resources: [taskArn],
    detail: {
      ...documented,
      attachments,
      containers,
      taskArn,
      clusterArn: options.clusterArn ?? (options.taskArn ? clusterOf(taskArn) : documented.clusterArn),
      ...detail,
    },
  };
}

/** ECS reporting a task RUNNING (and meant to keep running), started by `startedBy`: what the hand-off acts on. */
export function runningTaskEvent(startedBy: string, options: TaskEventOptions = {}): DocumentedEvent {
  return taskEvent({ lastStatus: 'RUNNING', desiredStatus: 'RUNNING', startedBy }, options);
}

/**
 * ECS's two-minute warning of a Fargate Spot interruption: still RUNNING, desired STOPPED. The fields the
 * snippet in https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html
 * ("Handling Fargate Spot termination notices") shows, over the documented event.
 */
export function spotTerminationNotice(options: TaskEventOptions = {}): DocumentedEvent {
  return taskEvent({ desiredStatus: 'STOPPED', lastStatus: 'RUNNING', stoppedReason: 'Your Spot Task was interrupted.', stopCode: 'TerminationNotice' }, options);
}

/**
 * The STOPPED event that follows a Spot termination notice once the stop timeout has passed or the container
 * has exited: the stop code and reason of the snippet in AWS's knowledge-center article "How do I handle Spot
 * termination notices in AWS Fargate Spot tasks?"
 * (https://repost.aws/knowledge-center/fargate-spot-termination-notice; `SpotInterruption` is one of the Task
 * object's documented `stopCode` values), with the stopped task's fields of the Task object (ECS API reference:
 * `stoppedAt`, the container's `exitCode`, `capacityProviderName`) over the documented event. `exitCode` is the
 * agent container's; the event's container is renamed `agent`, as the agent task definitions name it.
 */
export function spotInterruptedStop(exitCode: number, options: TaskEventOptions & { startedBy?: string } = {}): DocumentedEvent {
  const notice = spotTerminationNotice(options);
  const stoppedAt = '2020-01-23T17:59:58.103Z';
  return taskEvent({
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    stopCode: 'SpotInterruption',
    stoppedReason: notice.detail.stoppedReason,
    stoppingAt: '2020-01-23T17:58:58.103Z',
    executionStoppedAt: stoppedAt,
    stoppedAt,
    capacityProviderName: 'FARGATE_SPOT',
    containers: (notice.detail.containers as Array<Record<string, unknown>>)
      .map((container) => ({ ...container, name: 'agent', lastStatus: 'STOPPED', exitCode })),
    ...(options.startedBy && { startedBy: options.startedBy }),
  }, options);
}

/** `arn:aws:ecs:<region>:<account>:task/<cluster>/<id>` → `arn:aws:ecs:<region>:<account>:cluster/<cluster>`. */
function clusterOf(taskArn: string): string {
  const match = /^(arn:[^:]+:ecs:[^:]*:[^:]*):task\/([^/]+)\/[^/]+$/.exec(taskArn);
  if (!match) {
    throw new Error(`taskArn ${taskArn} names no cluster (arn:aws:ecs:<region>:<account>:task/<cluster>/<id>); pass clusterArn`);
  }
  return `${match[1]}:cluster/${match[2]}`;
}

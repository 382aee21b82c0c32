import { randomUUID } from 'crypto';
import type { Task, TaskDefinition } from '@aws-sdk/client-ecs';

/** Where a local task listens: the loopback address Outpost Local gave it, in place of its ENI's. */
export interface LocalTaskNetwork {
  readonly privateIp: string;
  readonly subnetId: string;
}

/** What the task's container did, once it has stopped. */
export interface LocalTaskStop {
  readonly stopCode: 'EssentialContainerExited' | 'UserInitiated' | 'TaskFailedToStart' | 'SpotInterruption';
  readonly stoppedReason: string;
  readonly exitCode?: number;
  readonly stoppedAt: Date;
}

/**
 * When the task went through its stages on this machine. moto's tasks carry no times, and a time left out would
 * read as the event's own: a warm worker's STOPPED event would say it was pulled as it stopped, and bill nothing.
 */
export interface LocalTaskTimes {
  /** When RunTask made it (moto's, or when Outpost Local first saw it). */
  readonly createdAt: Date;
  /** The launch: the container's start (Fargate's image pull and start). */
  pullStartedAt?: Date;
  pullStoppedAt?: Date;
  /** When it was reported RUNNING. */
  startedAt?: Date;
}

/**
 * An "ECS Task State Change" event as EventBridge delivers it, with the fields and shapes of AWS's documented
 * example (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html): ISO timestamps,
 * the network interface as an attachment of type `eni` with `privateIPv4Address` among its details, the
 * containers' `networkInterfaces`, and no `healthStatus` (the page: task health is not provided in task state
 * change events). The values are the task's as moto's DescribeTasks gives them (its size and architecture its
 * definition's, which moto's task lacks), with its address the local one.
 */
export function taskStateChangeEvent(
  task: Task, definition: TaskDefinition | undefined, lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED', network: LocalTaskNetwork, version: number, stop?: LocalTaskStop,
  times: LocalTaskTimes = { createdAt: task.createdAt ?? new Date(), startedAt: task.startedAt },
): { source: string; detailType: string; detail: Record<string, unknown>; resources: string[]; time: Date } {
  const now = new Date();
  const iso = (date: Date | undefined) => (date ?? now).toISOString();
  const created = times.createdAt;
  const attachmentId = task.attachments?.[0]?.id ?? randomUUID();
  const detail: Record<string, unknown> = {
    attachments: [{
      id: attachmentId,
      type: 'eni',
      status: lastStatus === 'STOPPED' ? 'DELETED' : 'ATTACHED',
      details: [
        { name: 'subnetId', value: network.subnetId },
        { name: 'networkInterfaceId', value: `eni-${attachmentId.replace(/-/g, '').slice(0, 17)}` },
        { name: 'macAddress', value: '0a:00:00:00:00:01' },
        { name: 'privateIPv4Address', value: network.privateIp },
      ],
    }],
    availabilityZone: task.availabilityZone ?? 'us-east-1a',
    clusterArn: task.clusterArn,
    containers: (task.containers ?? []).map((container) => ({
      containerArn: container.containerArn,
      lastStatus,
      name: container.name,
      image: container.image,
      runtimeId: container.runtimeId ?? attachmentId.replace(/-/g, ''),
      taskArn: task.taskArn,
      networkInterfaces: [{ attachmentId, privateIpv4Address: network.privateIp }],
      cpu: container.cpu ?? '0',
      ...(stop?.exitCode !== undefined ? { exitCode: stop.exitCode } : {}),
    })),
    createdAt: iso(created),
    launchType: 'FARGATE',
    capacityProviderName: task.capacityProviderName,
    // A Fargate task's size is its definition's (RunTask overrides aside), as ECS reports it in every event.
    cpu: task.overrides?.cpu ?? task.cpu ?? definition?.cpu,
    memory: task.overrides?.memory ?? task.memory ?? definition?.memory,
    attributes: [{ name: 'ecs.cpu-architecture', value: definition?.runtimePlatform?.cpuArchitecture === 'ARM64' ? 'arm64' : 'x86_64' }],
    ephemeralStorage: { sizeInGiB: task.overrides?.ephemeralStorage?.sizeInGiB ?? definition?.ephemeralStorage?.sizeInGiB ?? 20 },
    desiredStatus: lastStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING',
    group: task.group,
    lastStatus,
    overrides: task.overrides ?? { containerOverrides: [] },
    connectivity: 'CONNECTED',
    connectivityAt: iso(created),
    ...(lastStatus !== 'PENDING' ? {
      pullStartedAt: iso(times.pullStartedAt ?? created),
      pullStoppedAt: iso(times.pullStoppedAt ?? times.pullStartedAt ?? created),
      startedAt: iso(times.startedAt ?? times.pullStoppedAt ?? created),
    } : {}),
    startedBy: task.startedBy,
    updatedAt: iso(now),
    taskArn: task.taskArn,
    taskDefinitionArn: task.taskDefinitionArn,
    version,
    platformVersion: '1.4.0',
    ...(stop ? {
      stopCode: stop.stopCode,
      stoppedReason: stop.stoppedReason,
      stoppingAt: iso(stop.stoppedAt),
      executionStoppedAt: iso(stop.stoppedAt),
      stoppedAt: iso(stop.stoppedAt),
    } : {}),
  };
  return { source: 'aws.ecs', detailType: 'ECS Task State Change', detail: JSON.parse(JSON.stringify(detail)), resources: [task.taskArn!], time: now };
}

import { taskStateChangeEvent } from '../../runtime/local/ecs/task-state-event';
import { documentedTaskStateChange } from '../support/ecs-events';

const task = {
  taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/cluster/abc',
  clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/cluster',
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/claude:1',
  startedBy: 'outpost-pool',
  group: 'family:claude',
  createdAt: new Date('2026-01-01T00:00:00Z'),
  containers: [{ containerArn: 'arn:aws:ecs:us-east-1:123456789012:container/c', name: 'agent', image: 'repo:tag' }],
};
const definition = { cpu: '1024', memory: '4096', runtimePlatform: { cpuArchitecture: 'ARM64' as const }, ephemeralStorage: { sizeInGiB: 40 } };
const network = { privateIp: '127.1.0.3', subnetId: 'subnet-1' };

describe('the ECS task state change events Outpost Local puts on the bus', () => {
  test('carry every field of AWS\'s documented example, and no task health', () => {
    const documented = documentedTaskStateChange().example.detail;
    const { detail } = taskStateChangeEvent(task, definition, 'RUNNING', network, 2);
    expect(Object.keys(documented).filter((key) => !(key in detail))).toEqual([]);
    expect(detail).not.toHaveProperty('healthStatus');
    const attachment = (detail.attachments as any[])[0];
    expect(attachment.type).toBe('eni');
    expect(attachment.details).toContainEqual({ name: 'privateIPv4Address', value: '127.1.0.3' });
  });

  test('a stopped task reports its size and architecture from its definition, its stop code and its container\'s exit code', () => {
    const stoppedAt = new Date('2026-01-01T00:01:00Z');
    const { detail } = taskStateChangeEvent(task, definition, 'STOPPED', network, 3,
      { stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', exitCode: 137, stoppedAt });
    expect(detail).toMatchObject({
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      cpu: '1024',
      memory: '4096',
      stopCode: 'EssentialContainerExited',
      stoppedAt: '2026-01-01T00:01:00.000Z',
      ephemeralStorage: { sizeInGiB: 40 },
      attributes: [{ name: 'ecs.cpu-architecture', value: 'arm64' }],
    });
    expect((detail.containers as any[])[0].exitCode).toBe(137);
  });

  test('a stopped task reports when it was created, pulled and started, not when the event was made', () => {
    const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second));
    const { detail } = taskStateChangeEvent({ ...task, createdAt: undefined }, definition, 'STOPPED', network, 3,
      { stopCode: 'UserInitiated', stoppedReason: 'stopped', exitCode: 143, stoppedAt: at(50) },
      { createdAt: at(1), pullStartedAt: at(2), pullStoppedAt: at(7), startedAt: at(8) });
    expect(detail).toMatchObject({
      createdAt: at(1).toISOString(),
      pullStartedAt: at(2).toISOString(),
      pullStoppedAt: at(7).toISOString(),
      startedAt: at(8).toISOString(),
      stoppedAt: at(50).toISOString(),
    });
  });
});

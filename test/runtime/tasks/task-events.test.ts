import { runOutcome } from '../../../runtime/core/tasks/run-outcome';
import { privateIpOf } from '../../../runtime/core/tasks/task-address';
import { dispatchIdOf, isReady, isStopped, parseTaskStateChange } from '../../../runtime/core/tasks/task-event';
import { DOCUMENTED_TASK_ARN, documentedTaskStateChange, runningTaskEvent, spotTerminationNotice, taskEvent } from '../../support/ecs-events';

describe('parseTaskStateChange', () => {
  test('AWS\'s documented RUNNING event, as it is: ready, with the address of its eni attachment', () => {
    const task = parseTaskStateChange(documentedTaskStateChange().example)!;
    expect(task).toMatchObject({ taskId: 'c13b4cb40f1f4fe4a2971f76ae5a47ad', lastStatus: 'RUNNING', desiredStatus: 'RUNNING', privateIp: '10.0.0.139' });
    expect(isReady(task)).toBe(true);
  });

  test('a cold-started worker\'s task names its dispatch', () => {
    const task = parseTaskStateChange(runningTaskEvent('outpost/01JD3V4N6Q8W2X5Y7Z9A1B3C4D', { privateIp: '10.80.3.17' }))!;
    expect(task).toMatchObject({ privateIp: '10.80.3.17' });
    expect(dispatchIdOf(task)).toBe('01JD3V4N6Q8W2X5Y7Z9A1B3C4D');
  });

  test('a task ECS is stopping is not ready, even while it still runs (a Fargate Spot termination notice)', () => {
    expect(isReady(parseTaskStateChange(spotTerminationNotice())!)).toBe(false);
    expect(isReady(parseTaskStateChange(taskEvent({ lastStatus: 'PENDING' }))!)).toBe(false);
  });

  test('a pool worker has no dispatch', () => {
    expect(dispatchIdOf(parseTaskStateChange(taskEvent({ lastStatus: 'PROVISIONING', desiredStatus: 'RUNNING', startedBy: 'outpost/pool' }))!)).toBeUndefined();
  });

  test('a stopped task carries the agent container\'s exit code and ECS\'s reason', () => {
    const task = parseTaskStateChange(taskEvent({
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      containers: [{ name: 'agent', exitCode: 3, lastStatus: 'STOPPED' }],
    }))!;
    expect(isStopped(task)).toBe(true);
    expect(task.exitCode).toBe(3);
  });

  test('a stopped task carries what the ledger prices: its size, capacity, architecture and billed times', () => {
    const times = { pullStartedAt: '2026-11-24T13:00:05.000Z', startedAt: '2026-11-24T13:00:40.000Z', stoppedAt: '2026-11-24T14:00:00.000Z' };
    const stopped = parseTaskStateChange(taskEvent({
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      cpu: '2048',
      memory: '8192',
      capacityProviderName: 'FARGATE_SPOT',
      ephemeralStorage: { sizeInGiB: 40 },
      attributes: [{ name: 'ecs.cpu-architecture', value: 'arm64' }],
      ...times,
    }))!;
    expect(stopped.run).toEqual({ ...times, cpu: 2048, memoryMiB: 8192, ephemeralStorageGiB: 40, capacityProvider: 'FARGATE_SPOT', architecture: 'arm64' });
    // Only a stopped task's event has every time; a running one records nothing.
    expect(parseTaskStateChange(taskEvent({ lastStatus: 'RUNNING', desiredStatus: 'RUNNING', cpu: '2048', memory: '8192', startedAt: times.startedAt }))!.run).toBeUndefined();
  });

  test('other events are not task state changes', () => {
    expect(parseTaskStateChange({ 'detail-type': 'ECS Container Instance State Change', 'source': 'aws.ecs', 'detail': {} })).toBeUndefined();
    expect(parseTaskStateChange({ 'detail-type': 'ECS Task State Change', 'source': 'custom.spoof', 'detail': { taskArn: DOCUMENTED_TASK_ARN, lastStatus: 'STOPPED', desiredStatus: 'STOPPED' } })).toBeUndefined();
    expect(parseTaskStateChange(null)).toBeUndefined();
  });
});

describe('privateIpOf', () => {
  const attachment = (type: string) => [{ type, details: [{ name: 'networkInterfaceId', value: 'eni-1' }, { name: 'privateIPv4Address', value: '10.0.1.7' }] }];

  test('reads the network interface in both of ECS\'s spellings: eni (events), ElasticNetworkInterface (DescribeTasks)', () => {
    expect(privateIpOf(attachment('eni'))).toBe('10.0.1.7');
    expect(privateIpOf(attachment('ElasticNetworkInterface'))).toBe('10.0.1.7');
  });

  test('another attachment, or none, has no address', () => {
    expect(privateIpOf(attachment('Service Connect'))).toBeUndefined();
    expect(privateIpOf(undefined)).toBeUndefined();
  });
});

describe('runOutcome', () => {
  const stopped = (detail: Record<string, unknown>) => parseTaskStateChange(taskEvent({ lastStatus: 'STOPPED', desiredStatus: 'STOPPED', ...detail }))!;

  test.each([
    [{ status: 'succeeded', exitCode: 0, error: null }, { status: 'COMPLETED', exitCode: 0 }],
    [{ status: 'failed', exitCode: 2, error: 'tests still fail' }, { status: 'FAILED', exitCode: 2, error: 'tests still fail', reason: 'tests still fail' }],
    [{ status: 'failed', exitCode: 1, error: null }, { status: 'FAILED', exitCode: 1, error: 'the run ended as failed', reason: 'the run ended as failed' }],
    [{ status: 'timed_out', exitCode: 124, error: null }, { status: 'TIMED_OUT', exitCode: 124, error: 'the run ended as timed_out', reason: 'the run ended as timed_out' }],
    [{ status: 'cancelled', exitCode: 143, error: null }, { status: 'CANCELLED', exitCode: 143, error: 'the run ended as cancelled', reason: 'the run ended as cancelled' }],
  ] as const)('the worker\'s result %j decides', (result, outcome) => {
    expect(runOutcome(stopped({ stopCode: 'EssentialContainerExited' }), result)).toEqual(outcome);
  });

  test('without a result, the run failed, with ECS\'s reason', () => {
    expect(runOutcome(stopped({ stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.' }), null))
      .toMatchObject({ status: 'FAILED', error: expect.stringContaining('Fargate Spot reclaimed the task') });
    expect(runOutcome(stopped({ stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)' }), null))
      .toMatchObject({ status: 'FAILED', error: expect.stringContaining('CannotPullContainerError') });
    expect(runOutcome(stopped({ stopCode: 'EssentialContainerExited', containers: [{ name: 'agent', exitCode: 0 }] }), null))
      .toMatchObject({ status: 'FAILED', exitCode: 0, error: expect.stringContaining('without reporting a result') });
  });
});

import { AccessDeniedException, ClientException, ECSServiceException, InvalidParameterException, ServerException } from '@aws-sdk/client-ecs';
import { capacityPlan, nextStep } from '../../../runtime/core/pool/capacity-plan';
import { classifyLaunchFailure, type FailedLaunch, type LaunchFailureKind } from '../../../runtime/core/pool/launch-failure';
import { agentState, PoolWorkerSchema } from '../../../runtime/core/pool/pool-worker';
import { workerStartedBy } from '../../../runtime/core/pool/started-by';
import { newWorkerToken } from '../../../runtime/core/pool/worker-token';

/** An error as the SDK throws one for an exception ECS does not model (throttling comes this way). */
function unmodelled(name: string, httpStatusCode: number, message: string) {
  return new ECSServiceException({ name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode }, message });
}
const metadata = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const NO_CAPACITY = 'Capacity is unavailable at this time. Please try again later or in a different availability zone';

describe('classifyLaunchFailure', () => {
  const table: Array<[string, FailedLaunch, LaunchFailureKind, string]> = [
    ['ThrottlingException', { error: unmodelled('ThrottlingException', 400, 'Rate exceeded') }, 'throttling', 'ThrottlingException: Rate exceeded'],
    ['TooManyRequestsException', { error: unmodelled('TooManyRequestsException', 400, 'Too many requests') }, 'throttling', 'TooManyRequestsException: Too many requests'],
    ['any HTTP 429', { error: unmodelled('SlowDown', 429, 'slow down') }, 'throttling', 'SlowDown: slow down'],
    ['ServerException', { error: new ServerException({ message: 'Service unavailable', ...metadata(500) }) }, 'server', 'ServerException: Service unavailable'],
    ['any 5xx', { error: unmodelled('InternalFailure', 503, '') }, 'server', 'InternalFailure'],
    ['RESOURCE:MEMORY', { failures: [{ arn: 'arn:aws:ecs:us-east-1:1:container-instance/x', reason: 'RESOURCE:MEMORY' }] }, 'capacity', 'RESOURCE:MEMORY'],
    ['RESOURCE:ENI', { failures: [{ reason: 'RESOURCE:ENI' }] }, 'capacity', 'RESOURCE:ENI'],
    ['Fargate with no room', { failures: [{ reason: NO_CAPACITY }] }, 'capacity', NO_CAPACITY],
    ['a failure with detail', { failures: [{ reason: 'RESOURCE:CPU', detail: 'in us-east-1a' }] }, 'capacity', 'RESOURCE:CPU (in us-east-1a)'],
    ['a Spot capacity error', { error: unmodelled('SpotCapacityNotAvailable', 400, 'No Spot capacity') }, 'capacity', 'SpotCapacityNotAvailable: No Spot capacity'],
    ['a Spot capacity failure', { failures: [{ reason: 'Fargate Spot capacity is not available' }] }, 'capacity', 'Fargate Spot capacity is not available'],
    ['AccessDeniedException', {
      error: new AccessDeniedException({ message: 'User: arn:aws:sts::1:assumed-role/x is not authorized to perform: ecs:RunTask', ...metadata(400) }),
    }, 'rejected', 'AccessDeniedException: User: arn:aws:sts::1:assumed-role/x is not authorized to perform: ecs:RunTask'],
    ['InvalidParameterException about a capacity provider', {
      error: new InvalidParameterException({ message: 'The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster.', ...metadata(400) }),
    }, 'rejected', 'InvalidParameterException: The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster.'],
    ['ClientException', { error: new ClientException({ message: 'Capacity is unavailable for this platform version', ...metadata(400) }) }, 'rejected', 'ClientException: Capacity is unavailable for this platform version'],
    ['a failure that is not about capacity', { failures: [{ reason: 'MISSING' }] }, 'rejected', 'MISSING'],
    ['no task and no failure', { failures: [] }, 'rejected', 'RunTask started no task and gave no reason'],
    ['a thrown non-error', { error: 'boom' }, 'rejected', 'Error'],
  ];

  test.each(table)('%s', (_name, failed, kind, reason) => {
    expect(classifyLaunchFailure(failed)).toEqual({ kind, retryable: kind !== 'rejected', reason });
  });
});

describe('capacity plan', () => {
  test('Spot first, then on-demand, when Spot is enabled for an x86_64 task; on-demand only otherwise', () => {
    expect(capacityPlan(true, 'x86_64')).toEqual(['FARGATE_SPOT', 'FARGATE']);
    expect(capacityPlan(false, 'x86_64')).toEqual(['FARGATE']);
  });

  test('never Spot for an arm64 task, which Fargate Spot does not run, enabled or not', () => {
    expect(capacityPlan(true, 'arm64')).toEqual(['FARGATE']);
    expect(capacityPlan(false, 'arm64')).toEqual(['FARGATE']);
  });

  test('no capacity on Spot moves on to on-demand at once', () => {
    expect(nextStep(0, 'capacity', 2)).toEqual({ step: 1, backOff: false });
  });

  test('no capacity on the last provider backs off and starts again from the first', () => {
    expect(nextStep(1, 'capacity', 2)).toEqual({ step: 0, backOff: true });
    expect(nextStep(0, 'capacity', 1)).toEqual({ step: 0, backOff: true });
  });

  test('throttling and server errors back off on the same provider', () => {
    for (const step of [0, 1]) {
      expect(nextStep(step, 'throttling', 2)).toEqual({ step, backOff: true });
      expect(nextStep(step, 'server', 2)).toEqual({ step, backOff: true });
    }
  });
});

describe('pool worker', () => {
  test('agentState joins agent and state as the index partition', () => {
    expect(agentState('codex', 'IDLE')).toBe('codex#IDLE');
  });

  test('a stored item with an unknown state is refused', () => {
    const item = { taskId: 't', taskArn: 'arn', agent: 'claude', state: 'IDLE', agentState: 'claude#IDLE', since: '2026-01-01T00:00:00.000Z', tokenCiphertext: 'x' };
    expect(PoolWorkerSchema.parse(item)).toEqual(item);
    expect(() => PoolWorkerSchema.parse({ ...item, state: 'SLEEPING' })).toThrow();
  });

  test('startedBy names the dispatch, or the pool, in characters ECS accepts', () => {
    expect(workerStartedBy('01JD3V4N6Q8W2X5Y7Z9A1B3C4D')).toBe('outpost/01JD3V4N6Q8W2X5Y7Z9A1B3C4D');
    expect(workerStartedBy()).toBe('outpost/pool');
    expect(workerStartedBy('01JD3V4N6Q8W2X5Y7Z9A1B3C4D')).toMatch(/^[A-Za-z0-9_/-]{1,128}$/);
  });

  test('worker tokens are 32 random bytes in base64url, new every time', () => {
    const tokens = Array.from({ length: 100 }, newWorkerToken);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
    expect(new Set(tokens).size).toBe(100);
  });
});

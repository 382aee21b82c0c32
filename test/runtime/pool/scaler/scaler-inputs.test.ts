import { decodeTime, ulid } from 'ulid';
import { DispatchStatus } from '../../../../runtime/core/dispatch/states';
import { DEFAULT_POOL_CONFIG } from '../../../../runtime/core/pool/policy/config';
import { loadPools } from '../../../../runtime/core/pool/scaler/pool-settings';
import { summarizeDemand, type RecentDispatch } from '../../../../runtime/core/pool/scaler/recent-dispatches';
import { firstIdAt } from '../../../../runtime/core/pool/scaler/recent-window';
import { scalerEventOf } from '../../../../runtime/core/pool/scaler/scaler-event';
import { customResourceRequest } from '../../../support/custom-resource-events';

const NOW = Date.parse('2026-11-24T14:00:00.000Z');

describe('loadPools (OUTPOST_POOLS)', () => {
  test('the fields set, and the policy core\'s defaults for the rest', () => {
    const pools = loadPools(JSON.stringify({
      claude: { enabled: true, minIdle: 2, schedules: [{ cron: '* 8-17 * * MON-FRI', timeZone: 'Europe/Berlin', minIdle: 4 }] },
      codex: { enabled: false },
    }));
    expect(pools.claude).toEqual({ enabled: true, config: { ...DEFAULT_POOL_CONFIG, minIdle: 2, schedules: [{ cron: '* 8-17 * * MON-FRI', timeZone: 'Europe/Berlin', minIdle: 4 }] } });
    expect(pools.codex).toEqual({ enabled: false, config: DEFAULT_POOL_CONFIG });
  });

  test('an invalid pool is a deployment bug: it throws naming the agent and the field', () => {
    expect(() => loadPools(JSON.stringify({ claude: { enabled: true, minIdle: -1 } }))).toThrow(/the claude pool: `minIdle`/);
    expect(() => loadPools(JSON.stringify({ claude: { minIdle: 1 } }))).toThrow();
  });
});

describe('scalerEventOf', () => {
  test('the schedule\'s event is the minute\'s run', () => {
    expect(scalerEventOf({ 'source': 'aws.events', 'detail-type': 'Scheduled Event', 'detail': {} })).toEqual({ kind: 'tick' });
  });

  test('a batch of the pool table\'s stream', () => {
    const records = [{ eventSource: 'aws:dynamodb', eventName: 'REMOVE', dynamodb: {} }];
    expect(scalerEventOf({ Records: records })).toEqual({ kind: 'stream', records });
  });

  test('CloudFormation\'s custom resource request', () => {
    for (const type of ['Create', 'Update', 'Delete'] as const) {
      const request = customResourceRequest(type, { responseUrl: 'https://example.com/r' });
      expect(scalerEventOf(request)).toEqual({ kind: 'custom-resource', request: expect.objectContaining({ RequestType: type, ResponseURL: 'https://example.com/r' }) });
    }
  });

  test.each([
    ['another EventBridge event', { 'source': 'aws.ecs', 'detail-type': 'ECS Task State Change' }],
    ['an SQS batch', { Records: [{ eventSource: 'aws:sqs' }] }],
    ['a custom resource request of an unknown type', { RequestType: 'Refresh', ResponseURL: 'u', StackId: 's', RequestId: 'r', LogicalResourceId: 'l' }],
    ['nothing', undefined],
  ])('%s is none of them', (_name, event) => {
    expect(scalerEventOf(event)).toBeUndefined();
  });
});

describe('firstIdAt: the least dispatch id of a moment', () => {
  test('sorts at or before every ULID of that millisecond and after every earlier one', () => {
    const bound = firstIdAt(NOW);
    expect(decodeTime(bound)).toBe(NOW);
    expect(ulid(NOW) >= bound).toBe(true);
    expect(ulid(NOW - 1) < bound).toBe(true);
  });
});

describe('summarizeDemand', () => {
  const at = (minutesAgo: number) => ulid(NOW - minutesAgo * 60_000);
  const dispatch = (minutesAgo: number, status: DispatchStatus, warm?: boolean, persistent = false): RecentDispatch =>
    ({ id: at(minutesAgo), status, ...(warm !== undefined && { warm }), persistent });

  test('arrivals in the window, oldest first; warm and cold starts among them; queued and waiting whatever their age', () => {
    const summary = summarizeDemand([
      dispatch(2, DispatchStatus.RUNNING, true),
      dispatch(5, DispatchStatus.COMPLETED, false),
      dispatch(1, DispatchStatus.QUEUED),
      dispatch(3, DispatchStatus.STARTING, false),
      dispatch(4, DispatchStatus.STARTING, true),
      dispatch(90, DispatchStatus.QUEUED),
      dispatch(80, DispatchStatus.COMPLETED, true),
      dispatch(1, DispatchStatus.RUNNING, false, true),
    ], NOW - 60 * 60_000);
    expect(summary.arrivals).toEqual([5, 4, 3, 2, 1].map((minutes) => NOW - minutes * 60_000));
    expect(summary).toMatchObject({ warmStarts: 2, coldStarts: 2, queued: 2, waiting: 3 });
  });
});

import { agentState, type PoolWorker, type PoolWorkerState } from '../../../../runtime/core/pool/pool-worker';
import type { PoolTask } from '../../../../runtime/core/pool/scaler/pool-task';
import { reconcile, RECONCILE_LIMITS, strayTasks } from '../../../../runtime/core/pool/scaler/reconcile';

const NOW = Date.parse('2026-11-24T14:00:00.000Z');
const minutesAgo = (minutes: number) => NOW - minutes * 60_000;

function item(taskId: string, state: PoolWorkerState, sinceMinutesAgo = 5): PoolWorker {
  return { taskId, taskArn: `arn:aws:ecs:us-east-1:1:task/outpost/${taskId}`, agent: 'claude', state, agentState: agentState('claude', state), since: new Date(minutesAgo(sinceMinutesAgo)).toISOString(), tokenCiphertext: 't' };
}

function task(taskId: string, fields: Partial<PoolTask> = {}): PoolTask {
  return { taskArn: `arn:aws:ecs:us-east-1:1:task/outpost/${taskId}`, taskId, agent: 'claude', lastStatus: 'RUNNING', desiredStatus: 'RUNNING', createdAt: minutesAgo(30), ...fields };
}

const ids = (workers: ReadonlyArray<{ taskId: string }>) => workers.map((worker) => worker.taskId);

describe('reconcile: the pool table against what ECS runs', () => {
  test('in agreement: idle and starting workers are left as the policy\'s pool; claimed and busy ones are the dispatch\'s', () => {
    const items = [item('idle', 'IDLE'), item('starting', 'STARTING', 1), item('reserved', 'RESERVED'), item('busy', 'BUSY')];
    const tasks = items.map((worker) => task(worker.taskId, { healthStatus: worker.state === 'STARTING' ? 'UNKNOWN' : 'HEALTHY' }));
    const found = reconcile(items, tasks, NOW);
    expect(ids(found.idle)).toEqual(['idle']);
    expect(ids(found.starting)).toEqual(['starting']);
    for (const list of [found.orphans, found.vanished, found.unhealthy, found.ready, found.stillDraining]) {
      expect(list).toEqual([]);
    }
  });

  test('a pool task no item names is an orphan, once past the grace period', () => {
    const found = reconcile([], [task('old', { createdAt: minutesAgo(3) }), task('new', { createdAt: minutesAgo(1) }), task('undated', { createdAt: undefined })], NOW);
    expect(ids(found.orphans)).toEqual(['old', 'undated']);
  });

  test('a task whose item is claimed or busy is no orphan', () => {
    expect(reconcile([item('busy', 'BUSY')], [task('busy')], NOW).orphans).toEqual([]);
  });

  test('an idle, draining or (past the grace period) starting item whose task is gone has vanished; a dispatch\'s worker is not the pool\'s to remove', () => {
    const items = [item('idle', 'IDLE'), item('draining', 'DRAINING'), item('starting-old', 'STARTING', 3), item('starting-new', 'STARTING', 1), item('reserved', 'RESERVED'), item('busy', 'BUSY')];
    const found = reconcile(items, [], NOW);
    expect(ids(found.vanished)).toEqual(['idle', 'draining', 'starting-old']);
    expect(ids(found.starting)).toEqual([]);
  });

  test('a worker starting longer than the limit, or any ECS reports UNHEALTHY, is unhealthy', () => {
    const limit = RECONCILE_LIMITS.startingLimitMs / 60_000;
    const items = [item('slow', 'STARTING', limit + 1), item('in-time', 'STARTING', limit - 1), item('sick-idle', 'IDLE'), item('sick-starting', 'STARTING', 1)];
    const tasks = [task('slow'), task('in-time'), task('sick-idle', { healthStatus: 'UNHEALTHY' }), task('sick-starting', { healthStatus: 'UNHEALTHY' })];
    const found = reconcile(items, tasks, NOW);
    expect(ids(found.unhealthy)).toEqual(['slow', 'sick-idle', 'sick-starting']);
    expect(ids(found.starting)).toEqual(['in-time']);
    expect(found.idle).toEqual([]);
  });

  test('a starting worker ECS reports running and healthy is ready: its event was lost', () => {
    const found = reconcile([item('healthy', 'STARTING', 2)], [task('healthy', { healthStatus: 'HEALTHY', privateIp: '10.0.1.7' })], NOW);
    expect(found.ready).toEqual([{ worker: expect.objectContaining({ taskId: 'healthy' }), privateIp: '10.0.1.7' }]);
    expect(found.starting).toEqual([]);
  });

  test('without its address a healthy worker is still starting', () => {
    expect(ids(reconcile([item('no-ip', 'STARTING', 2)], [task('no-ip', { healthStatus: 'HEALTHY' })], NOW).starting)).toEqual(['no-ip']);
  });

  test('a draining worker whose task still runs is stopped again', () => {
    expect(ids(reconcile([item('draining', 'DRAINING')], [task('draining')], NOW).stillDraining)).toEqual(['draining']);
  });
});

describe('strayTasks', () => {
  test('pool tasks of an agent without a pool, or without the agent tag, past the grace period', () => {
    const tasks = [task('mine'), task('removed-agent', { agent: 'grok' }), task('untagged', { agent: undefined }), task('young-stray', { agent: 'grok', createdAt: minutesAgo(1) })];
    expect(ids(strayTasks(tasks, ['claude', 'codex'], NOW))).toEqual(['removed-agent', 'untagged']);
  });
});

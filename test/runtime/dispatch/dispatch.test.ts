import { createHash } from 'crypto';
import { ALICE, BOB, queued, request } from './support/dispatches';
import { idempotencyItemId, isDispatchId, newDispatch, toPublicView, type Dispatch } from '../../../runtime/core/dispatch/dispatch';
import { eventEntry, transitionAuditRecord, type DispatchTransitionEvent } from '../../../runtime/core/dispatch/events';
import { DISPATCH_STATUSES, DispatchStatus, FINAL_STATES } from '../../../runtime/core/dispatch/states';
import { planTransition, planTransitions } from '../../../runtime/core/dispatch/transition';

const NOW = new Date('2026-01-02T03:04:05.000Z');
const LATER = new Date('2026-01-02T03:10:00.000Z');
const ID = '01JD3V4N6Q8W2X5Y7Z9A1B3C4D';
const { QUEUED, STARTING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMED_OUT } = DispatchStatus;

/** A dispatch in `status`, as if it had got there through its transitions. */
function inStatus(status: DispatchStatus, version = 3): Dispatch {
  return { ...queued(), status, agentStatus: `claude#${status}`, version };
}

describe('newDispatch', () => {
  test('is QUEUED at version 0, with the request\'s fields and no start time or deadline yet', () => {
    const dispatch = newDispatch(request({ modelTier: 'fast', idempotencyKey: 'k-1', repository: { url: 'https://github.com/o/r' } }), ALICE, NOW, ID);
    expect(dispatch).toEqual({
      id: ID,
      requester: ALICE,
      agent: 'claude',
      modelTier: 'fast',
      prompt: 'fix the flaky test in parser.ts',
      repository: { url: 'https://github.com/o/r', baseBranch: 'main' },
      workspace: { kind: 'ephemeral' },
      timeoutSeconds: 3600,
      status: 'QUEUED',
      agentStatus: 'claude#QUEUED',
      version: 0,
      createdAt: '2026-01-02T03:04:05.000Z',
      updatedAt: '2026-01-02T03:04:05.000Z',
      idempotencyKey: 'k-1',
    });
  });

  test('holds no undefined values, which DynamoDB would refuse', () => {
    const dispatch = newDispatch(request(), ALICE, NOW, ID);
    expect(Object.entries(dispatch).filter(([, value]) => value === undefined)).toEqual([]);
    expect(Object.keys(dispatch)).not.toEqual(expect.arrayContaining(['model', 'modelTier', 'repository', 'idempotencyKey', 'deadline', 'startedAt']));
  });
});

describe('idempotencyItemId', () => {
  test('is idem# and the sha256 of requester, newline, key', () => {
    const expected = createHash('sha256').update(`${ALICE}\nkey-1`).digest('hex');
    expect(idempotencyItemId(ALICE, 'key-1')).toBe(`idem#${expected}`);
  });

  test('differs by requester, and cannot be forged by moving characters between requester and key', () => {
    expect(idempotencyItemId(ALICE, 'k')).not.toBe(idempotencyItemId(BOB, 'k'));
    expect(idempotencyItemId('ab', 'c')).not.toBe(idempotencyItemId('a', 'bc'));
  });

  test('can never be mistaken for a dispatch id', () => {
    expect(isDispatchId(idempotencyItemId(ALICE, 'k'))).toBe(false);
    expect(isDispatchId(ID)).toBe(true);
    expect(isDispatchId(ID.toLowerCase())).toBe(false);
  });
});

describe('toPublicView', () => {
  test('shows state, timings and outcome, and the start of the prompt only', () => {
    const dispatch: Dispatch = {
      ...queued({ prompt: `${'a'.repeat(199)}😀 and the rest of a long prompt`, model: 'gpt-5' }),
      status: COMPLETED,
      agentStatus: 'claude#COMPLETED',
      version: 3,
      startedAt: NOW.toISOString(),
      deadline: LATER.toISOString(),
      finishedAt: LATER.toISOString(),
      taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/outpost/abc',
      warm: true,
      exitCode: 0,
      result: { commit: 'abc', branch: 'outpost/x', tokenUsage: { input: 10, output: 5, cached: 0 }, durationSeconds: 12 },
      cost: { estimatedUsd: 0.42, computeUsd: 0.02, storageUsd: 0, llmUsd: 0.4, priceVersion: '2025-11-01' },
    };
    const view = JSON.parse(JSON.stringify(toPublicView(dispatch)));
    expect(view).toEqual({
      id: dispatch.id,
      status: 'COMPLETED',
      agent: 'claude',
      model: 'gpt-5',
      promptPreview: `${'a'.repeat(199)}😀`,
      createdAt: dispatch.createdAt,
      updatedAt: dispatch.updatedAt,
      startedAt: NOW.toISOString(),
      deadline: LATER.toISOString(),
      finishedAt: LATER.toISOString(),
      warm: true,
      exitCode: 0,
      result: dispatch.result,
      cost: { estimatedUsd: 0.42, computeUsd: 0.02, storageUsd: 0, llmUsd: 0.4, priceVersion: '2025-11-01' },
    });
  });

  test('never shows the requester, the task ARN, the idempotency key or the whole prompt', () => {
    const dispatch = { ...queued({ idempotencyKey: 'secret-ish', prompt: 'p'.repeat(500) }), taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/x' };
    const body = JSON.stringify(toPublicView(dispatch));
    for (const hidden of [ALICE, 'arn:aws:ecs', 'secret-ish', 'p'.repeat(201)]) {
      expect(body).not.toContain(hidden);
    }
  });
});

describe('planTransition', () => {
  test('entering STARTING sets the start, the deadline timeoutSeconds later, and the start details', () => {
    const dispatch = { ...queued({ timeoutSeconds: 900 }), version: 0 };
    const plan = planTransition(dispatch, STARTING, LATER, { taskArn: 'arn:task', warm: false, model: 'claude-sonnet-4-5', reason: 'cold start' });
    expect(plan).toEqual({
      allowed: true,
      update: {
        status: 'STARTING',
        agentStatus: 'claude#STARTING',
        version: 1,
        updatedAt: '2026-01-02T03:10:00.000Z',
        startedAt: '2026-01-02T03:10:00.000Z',
        deadline: '2026-01-02T03:25:00.000Z',
        taskArn: 'arn:task',
        warm: false,
        model: 'claude-sonnet-4-5',
        statusReason: 'cold start',
      },
      remove: [],
      expected: { status: 'QUEUED', version: 0 },
    });
  });

  test('RUNNING sets only the status fields', () => {
    expect(planTransition(inStatus(STARTING, 1), RUNNING, LATER)).toEqual({
      allowed: true,
      update: { status: 'RUNNING', agentStatus: 'claude#RUNNING', version: 2, updatedAt: LATER.toISOString() },
      remove: ['statusReason'],
      expected: { status: 'STARTING', version: 1 },
    });
  });

  test.each([COMPLETED, FAILED, TIMED_OUT, CANCELLED])('entering %s sets finishedAt and the outcome', (to) => {
    const plan = planTransition(inStatus(RUNNING, 2), to, LATER, { exitCode: 124, error: 'ran too long', cost: { estimatedUsd: 1, computeUsd: 1, storageUsd: 0, llmUsd: 0, priceVersion: '2025-11-01' } });
    expect(plan).toMatchObject({
      allowed: true,
      update: { status: to, version: 3, finishedAt: LATER.toISOString(), exitCode: 124, error: 'ran too long', cost: { estimatedUsd: 1, computeUsd: 1, storageUsd: 0, llmUsd: 0, priceVersion: '2025-11-01' } },
      expected: { status: 'RUNNING', version: 2 },
    });
  });

  test.each([...FINAL_STATES].flatMap((from) => DISPATCH_STATUSES.map((to) => [from, to] as const)))('%s → %s is refused: final states never change', (from, to) => {
    expect(planTransition(inStatus(from), to, LATER)).toEqual({ allowed: false, reason: `a dispatch cannot move from ${from} to ${to}` });
  });

  test.each([
    [RUNNING, COMPLETED, { taskArn: 'arn:task' }, 'taskArn cannot be set entering COMPLETED'],
    [STARTING, RUNNING, { exitCode: 0 }, 'exitCode cannot be set entering RUNNING'],
    [QUEUED, STARTING, { result: { commit: null, branch: null, tokenUsage: null, durationSeconds: 1 } }, 'result cannot be set entering STARTING'],
    [STARTING, RUNNING, { warm: true, error: 'x' }, 'warm, error cannot be set entering RUNNING'],
  ] as const)('%s → %s with %j is refused as a misplaced detail', (from, to, details, reason) => {
    expect(planTransition(inStatus(from), to, LATER, details)).toEqual({ allowed: false, reason });
  });

  test('a model named by the request is never replaced on start, though it may be restated', () => {
    const dispatch = queued({ model: 'gpt-5' });
    expect(planTransition(dispatch, STARTING, LATER, { model: 'gpt-5-mini' })).toEqual({ allowed: false, reason: 'model was named by the request and cannot be replaced' });
    expect(planTransition(dispatch, STARTING, LATER, { model: 'gpt-5' })).toMatchObject({ allowed: true, update: { model: 'gpt-5' } });
  });
});

describe('planTransitions', () => {
  test('a warm start moves QUEUED → STARTING → RUNNING in one write: each step planned, the version up by two', () => {
    const dispatch = { ...queued({ timeoutSeconds: 600 }), version: 0, statusReason: 'an earlier reason' };
    const plan = planTransitions(dispatch, [{ to: STARTING, details: { taskArn: 'arn:task', warm: true, model: 'm' } }, { to: RUNNING }], LATER);
    expect(plan).toEqual({
      allowed: true,
      update: {
        status: 'RUNNING',
        agentStatus: 'claude#RUNNING',
        version: 2,
        updatedAt: LATER.toISOString(),
        startedAt: LATER.toISOString(),
        deadline: '2026-01-02T03:20:00.000Z',
        taskArn: 'arn:task',
        warm: true,
        model: 'm',
      },
      remove: ['statusReason'],
      expected: { status: 'QUEUED', version: 0 },
    });
  });

  test('a step that is not allowed from where the one before left the dispatch refuses the whole write', () => {
    expect(planTransitions(inStatus(QUEUED, 0), [{ to: STARTING }, { to: COMPLETED }], LATER))
      .toEqual({ allowed: false, reason: 'a dispatch cannot move from STARTING to COMPLETED' });
    expect(planTransitions(inStatus(QUEUED, 0), [{ to: RUNNING }], LATER)).toMatchObject({ allowed: false });
    expect(planTransitions(inStatus(QUEUED, 0), [], LATER)).toMatchObject({ allowed: false });
  });

  test('a reason on any step is kept', () => {
    const plan = planTransitions(inStatus(QUEUED, 0), [{ to: STARTING, details: { reason: 'why' } }, { to: RUNNING }], LATER);
    expect(plan).toMatchObject({ allowed: true, update: { statusReason: 'why' }, remove: [] });
  });
});

describe('events', () => {
  const dispatch = inStatus(RUNNING);
  const transition = (to: DispatchStatus, reason: string): DispatchTransitionEvent =>
    ({ dispatchId: dispatch.id, agent: dispatch.agent, requester: dispatch.requester, from: RUNNING, to, at: LATER.toISOString(), reason });

  test('the EventBridge entry carries the transition as its detail', () => {
    const event = transition(TIMED_OUT, 'the deadline passed');
    expect(eventEntry(event)).toEqual({ Source: 'outpost.dispatch', DetailType: 'Dispatch State Change', Detail: expect.any(String), Time: LATER });
    expect(JSON.parse(eventEntry(event).Detail)).toEqual({
      dispatchId: dispatch.id, agent: 'claude', requester: ALICE, from: 'RUNNING', to: 'TIMED_OUT', at: LATER.toISOString(), reason: 'the deadline passed',
    });
  });

  test('the audit record is keyed by the dispatch and keeps the rest of the event as its detail', () => {
    expect(transitionAuditRecord(transition(CANCELLED, 'cancelled by alice'))).toEqual({
      entity: `dispatch#${dispatch.id}`,
      at: LATER.toISOString(),
      type: 'Dispatch State Change',
      detail: { agent: 'claude', requester: ALICE, from: 'RUNNING', to: 'CANCELLED', reason: 'cancelled by alice' },
    });
  });
});

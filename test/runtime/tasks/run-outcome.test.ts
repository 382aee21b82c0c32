import { BUDGET_EXCEEDED, runOutcome, SPOT_INTERRUPTED, STOPPED_BY_AWS } from '../../../runtime/core/tasks/run-outcome';
import { parseTaskStateChange } from '../../../runtime/core/tasks/task-event';
import { spotInterruptedStop, taskEvent } from '../../support/ecs-events';

/** What the real worker uploads when it gets SIGTERM (test/conformance/spot.conformance.test.ts shows it does). */
const CANCELLED_BY_SIGTERM = { status: 'cancelled', exitCode: 143, error: null } as const;

describe('runOutcome on a Fargate Spot interruption', () => {
  const reclaimed = parseTaskStateChange(spotInterruptedStop(143))!;

  test('the worker\'s cancelled result does not make it a cancel: FAILED, with the Spot reason and the result\'s exit code', () => {
    expect(runOutcome(reclaimed, CANCELLED_BY_SIGTERM)).toEqual({
      status: 'FAILED',
      exitCode: 143,
      error: 'Fargate Spot reclaimed the task (Your Spot Task was interrupted.); the worker reported cancelled (exit code 143)',
      reason: SPOT_INTERRUPTED,
    });
  });

  test('a run that finished before Spot took the task back keeps its own account: its work was pushed', () => {
    expect(runOutcome(reclaimed, { status: 'succeeded', exitCode: 0, error: null })).toEqual({ status: 'COMPLETED', exitCode: 0 });
    expect(runOutcome(reclaimed, { status: 'failed', exitCode: 1, error: 'git push failed' })).toEqual({
      status: 'FAILED', exitCode: 1, error: 'git push failed', reason: 'git push failed',
    });
  });

  test('without a result: FAILED with the container\'s exit code', () => {
    expect(runOutcome(parseTaskStateChange(spotInterruptedStop(137))!, null)).toEqual({
      status: 'FAILED',
      exitCode: 137,
      error: 'Fargate Spot reclaimed the task (Your Spot Task was interrupted.); the worker reported no result',
      reason: SPOT_INTERRUPTED,
    });
  });
});

describe('runOutcome when AWS stops the task for its own infrastructure', () => {
  test.each([
    ['TerminationNotice', 'AWS retired the task (Fargate task maintenance)'],
    ['InfrastructureHealth', 'AWS stopped the task for an infrastructure problem'],
  ])('%s: the worker\'s cancelled result is no cancel: FAILED, saying AWS stopped it', (stopCode, what) => {
    const stopped = parseTaskStateChange(taskEvent({ lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode, stoppedReason: 'Task is being retired' }))!;
    expect(runOutcome(stopped, CANCELLED_BY_SIGTERM)).toEqual({
      status: 'FAILED', exitCode: 143, error: `${what} (Task is being retired); the worker reported cancelled (exit code 143)`, reason: STOPPED_BY_AWS,
    });
  });
});

describe('runOutcome on a StopTask (a user\'s cancel that reached the task first)', () => {
  test('the same cancelled result is still CANCELLED, with no Spot reason', () => {
    const stopped = parseTaskStateChange(taskEvent({ lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'UserInitiated', stoppedReason: 'outpost: cancelled by alice' }))!;
    const outcome = runOutcome(stopped, CANCELLED_BY_SIGTERM);
    expect(outcome).toEqual({ status: 'CANCELLED', exitCode: 143, error: 'the run ended as cancelled', reason: 'the run ended as cancelled' });
    expect(outcome.reason).not.toBe(SPOT_INTERRUPTED);
  });
});

describe('runOutcome of a run its budget stopped', () => {
  const stopped = parseTaskStateChange(taskEvent({ lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited', containers: [{ name: 'agent', exitCode: 1 }] }))!;

  test('FAILED with the fixed reason BudgetExceeded; the worker\'s words stay the error', () => {
    const result = { status: 'failed', exitCode: 1, error: 'the run reached its budget of 2 USD (2.04 USD spent)', failureCode: 'BudgetExceeded' } as const;
    expect(runOutcome(stopped, result)).toEqual({
      status: 'FAILED', exitCode: 1, error: 'the run reached its budget of 2 USD (2.04 USD spent)', reason: BUDGET_EXCEEDED,
    });
    expect(BUDGET_EXCEEDED).toBe('BudgetExceeded');
  });

  test('a code on a run that did not fail gives no reason (a result names codes only for failures)', () => {
    expect(runOutcome(stopped, { status: 'succeeded', exitCode: 0, error: null, failureCode: 'BudgetExceeded' })).toEqual({ status: 'COMPLETED', exitCode: 0 });
  });
});

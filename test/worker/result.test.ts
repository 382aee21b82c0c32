import { classifyOutcome } from '../../runtime/worker/result';

describe('classifyOutcome', () => {
  const ok = { exitCode: 0, timedOut: false };

  test('succeeded (0) when the agent exits 0 and every step worked', () => {
    expect(classifyOutcome({ cancelled: false, agent: ok, platformErrors: [] })).toEqual({ status: 'succeeded', exitCode: 0, error: null });
  });

  test("failed with the agent's own exit code", () => {
    expect(classifyOutcome({ cancelled: false, agent: { exitCode: 2, timedOut: false }, platformErrors: [] }))
      .toEqual({ status: 'failed', exitCode: 2, error: 'the agent exited with code 2' });
  });

  test('failed (1) for a platform failure, with what failed', () => {
    expect(classifyOutcome({ cancelled: false, agent: ok, platformErrors: ['git push exited with 128: denied'] }))
      .toEqual({ status: 'failed', exitCode: 1, error: 'git push exited with 128: denied' });
    expect(classifyOutcome({ cancelled: false, agent: undefined, platformErrors: ['git clone exited with 128'] }))
      .toEqual({ status: 'failed', exitCode: 1, error: 'git clone exited with 128' });
  });

  test('timed_out (124) when the agent ran past its timeout, whatever it exited with', () => {
    expect(classifyOutcome({ cancelled: false, agent: { exitCode: 143, timedOut: true }, platformErrors: ['upload failed'] }))
      .toEqual({ status: 'timed_out', exitCode: 124, error: 'the agent ran past timeoutSeconds; upload failed' });
  });

  test('cancelled (143) wins over everything else', () => {
    expect(classifyOutcome({ cancelled: true, agent: { exitCode: 143, timedOut: false }, platformErrors: [] }))
      .toMatchObject({ status: 'cancelled', exitCode: 143 });
    expect(classifyOutcome({ cancelled: true, agent: undefined, platformErrors: ['push failed'] }))
      .toEqual({ status: 'cancelled', exitCode: 143, error: 'cancelled: the task was stopped; push failed' });
  });

  test('failed (1) with BudgetExceeded when the gateway stopped the agent at its budget, naming the spend and the limit', () => {
    const stopped = { exitCode: 143, timedOut: false };
    const budgetExceeded = { spentUsd: 0.004344, limitUsd: 0.004 };
    expect(classifyOutcome({ cancelled: false, budgetExceeded, agent: stopped, platformErrors: [] })).toEqual({
      status: 'failed',
      exitCode: 1,
      error: 'the run reached its budget: the model gateway metered $0.004344 against maxCostUsd $0.004 and stopped the agent',
      failureCode: 'BudgetExceeded',
    });
    // A push that failed after the stop is reported too; a SIGTERM (a real cancellation) still wins.
    expect(classifyOutcome({ cancelled: false, budgetExceeded: { spentUsd: 2, limitUsd: 1 }, agent: stopped, platformErrors: ['push failed'] }))
      .toMatchObject({ status: 'failed', failureCode: 'BudgetExceeded', error: expect.stringMatching(/stopped the agent; push failed$/) });
    expect(classifyOutcome({ cancelled: true, budgetExceeded: { spentUsd: 2, limitUsd: 1 }, agent: stopped, platformErrors: [] }))
      .toEqual({ status: 'cancelled', exitCode: 143, error: 'cancelled: the task was stopped' });
  });
});

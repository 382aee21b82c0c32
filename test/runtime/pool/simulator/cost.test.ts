import { DEFAULT_WAIT_VALUE_USD_PER_HOUR } from '../../../../runtime/core/pool/policy/wait-value';
import { fixedPool } from '../../../../runtime/core/pool/simulator/baselines/fixed-pool';
import { FAILED_START_WAIT_SECONDS, withCost } from '../../../../runtime/core/pool/simulator/cost';
import { DEFAULT_PRICING, taskHourPrice } from '../../../../runtime/core/pool/simulator/pricing';
import { DEFAULT_SIMULATION, type Run } from '../../../../runtime/core/pool/simulator/run';
import { simulatePolicy } from '../../../../runtime/core/pool/simulator/simulator';
import { summarize } from '../../../../runtime/core/pool/simulator/summary';

const T = Date.parse('2026-03-02T10:00:00Z');
const CONSTANT = { ...DEFAULT_SIMULATION, coldStart: { kind: 'constant', seconds: 60 } } as const;

describe('what a policy\'s choice costs', () => {
  test('waits are summed in hours; a failed start counts as the documented 10 minutes', () => {
    const run: Run = {
      dispatches: [
        { at: 0, warm: true, waitSeconds: 0.5, durationSeconds: 60 },
        { at: 0, warm: false, waitSeconds: 70, durationSeconds: 60 },
        { at: 0, warm: false, waitSeconds: undefined, durationSeconds: 60 },
      ],
      tasks: [],
      samples: [],
      calls: [],
    };
    expect(FAILED_START_WAIT_SECONDS).toBe(600);
    expect(summarize(run, DEFAULT_PRICING).waitHours).toBeCloseTo((0.5 + 70 + 600) / 3600, 12);
  });

  test('by hand: two dispatches an hour apart with no pool wait 60.5 s each; with one worker standing, 0.5 s each', () => {
    const trace = [{ at: T, agent: 'claude', durationSeconds: 600 }, { at: T + 3_600_000, agent: 'claude', durationSeconds: 600 }];
    const price = taskHourPrice(DEFAULT_PRICING);

    const none = simulatePolicy(trace, fixedPool(0, 'none'), CONSTANT);
    const noPool = withCost(summarize(none, DEFAULT_PRICING), 60);
    // Each task bills its 60 s cold start, the 0.5 s hand-off and its 600 s run.
    expect(noPool.fargateUsd).toBeCloseTo((2 * 660.5 / 3600) * price, 12);
    expect(noPool.fargateUsd).toBe(noPool.costUsd);
    expect(noPool.waitHours).toBeCloseTo(121 / 3600, 12);
    expect(noPool.waitValueUsdPerHour).toBe(60);
    expect(noPool.totalCostUsd).toBeCloseTo(noPool.fargateUsd + 60 * 121 / 3600, 12);

    const one = simulatePolicy(trace, fixedPool(1), CONSTANT);
    const pool = withCost(summarize(one, DEFAULT_PRICING), 60);
    expect(pool.waitHours).toBeCloseTo(1 / 3600, 12);
    // The worker stands from an hour before the first dispatch to an hour after the last: about 3 idle hours at
    // about $0.047 ($0.14) more in Fargate, against two minutes of waiting saved, worth $2.00 at $60 an hour.
    expect(pool.fargateUsd).toBeGreaterThan(noPool.fargateUsd);
    expect(pool.totalCostUsd).toBeLessThan(noPool.totalCostUsd);
    // At $1 an hour the two minutes are worth 3.4 cents, and the idle worker is not.
    const cheapWaits = withCost(summarize(one, DEFAULT_PRICING), 1);
    expect(cheapWaits.totalCostUsd).toBeGreaterThan(withCost(summarize(none, DEFAULT_PRICING), 1).totalCostUsd);
  });

  test('the default wait value is the policy\'s documented $60 an hour', () => {
    expect(DEFAULT_WAIT_VALUE_USD_PER_HOUR).toBe(60);
  });
});

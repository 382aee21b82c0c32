import { DEFAULT_PRICING, fargatePricing, taskHourPrice } from '../../../../runtime/core/pool/simulator/pricing';
import type { Run } from '../../../../runtime/core/pool/simulator/run';
import { percentile, summarize } from '../../../../runtime/core/pool/simulator/summary';

const HOUR = 3_600_000;

describe('summarize', () => {
  const run: Run = {
    dispatches: [
      { at: 0, warm: true, waitSeconds: 0.5, durationSeconds: 1800 },
      { at: 0, warm: false, waitSeconds: 70, durationSeconds: 1800 },
      { at: 0, warm: false, waitSeconds: undefined, durationSeconds: 600 },
    ],
    tasks: [
      { launchedAt: 0, stoppedAt: HOUR, busySeconds: 1800 },
      { launchedAt: 0, stoppedAt: HOUR, busySeconds: 1800 },
      // A pool worker stopped 30 s after its launch is billed Fargate's minimum minute.
      { launchedAt: 0, stoppedAt: 30_000, busySeconds: 0 },
    ],
    samples: [],
    calls: [],
  };

  test('idle is billed time not spent running; cost is billed time at the task price; failed starts count as not warm', () => {
    const summary = summarize(run, DEFAULT_PRICING);
    expect(summary.busyWorkerHours).toBe(1);
    expect(summary.idleWorkerHours).toBeCloseTo(1 + 60 / 3600, 12);
    expect(summary.costUsd).toBeCloseTo((2 + 60 / 3600) * taskHourPrice(DEFAULT_PRICING), 12);
    expect(summary.warmRatio).toBeCloseTo(1 / 3, 12);
    expect(summary).toMatchObject({ dispatches: 3, failedStarts: 1, tasksStarted: 3, waitP50Seconds: 0.5, waitP99Seconds: 70 });
  });

  test('Fargate arm64 in us-east-1, 1 vCPU and 4 GB: the ledger\'s on-demand list price, and no Spot price, as Spot runs no arm64 tasks', () => {
    expect(taskHourPrice(DEFAULT_PRICING)).toBeCloseTo(0.03238 + 4 * 0.00356, 12);
    expect(DEFAULT_PRICING.spot).toBeUndefined();
    expect(() => taskHourPrice({ ...DEFAULT_PRICING, spotShare: 0.5 })).toThrow('Fargate Spot does not run arm64 tasks');
    expect(() => fargatePricing('arm64', 0.5)).not.toThrow();
  });

  test('x86_64 prices Spot at the ledger\'s estimate, 70% off x86_64 on demand, blended by the share', () => {
    const onDemand = 0.04048 + 4 * 0.004445;
    expect(taskHourPrice(fargatePricing('x86_64'))).toBeCloseTo(onDemand, 12);
    expect(taskHourPrice(fargatePricing('x86_64', 1))).toBeCloseTo(0.3 * onDemand, 12);
    expect(taskHourPrice(fargatePricing('x86_64', 0.5))).toBeCloseTo(0.65 * onDemand, 12);
  });
});

describe('percentile', () => {
  test('nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.95)).toBe(95);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBe(0);
  });
});

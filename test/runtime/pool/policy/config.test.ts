import { DEFAULT_POOL_CONFIG, DEFAULT_WORKER_USD_PER_HOUR, poolConfig, poolConfigProblems, workerUsdPerHour } from '../../../../runtime/core/pool/policy/config';
import { fargatePricing, taskHourPrice } from '../../../../runtime/core/pool/simulator/pricing';

describe('poolConfig', () => {
  test('fills in the documented defaults', () => {
    expect(poolConfig()).toEqual({
      minIdle: 0,
      maxWorkers: 100,
      idleTimeoutSeconds: 900,
      schedules: [],
      spotShare: 0,
      waitValueUsdPerHour: 60,
      workerUsdPerHour: DEFAULT_WORKER_USD_PER_HOUR,
      assumedColdStartSeconds: 60,
    });
    expect(poolConfig({ minIdle: 2 })).toEqual({ ...DEFAULT_POOL_CONFIG, minIdle: 2 });
  });

  test.each([
    [{ maxWorkers: 0 }, '`maxWorkers` must be a whole number from 1 to 1000, got 0.'],
    [{ maxWorkers: 2.5 }, '`maxWorkers` must be a whole number from 1 to 1000, got 2.5.'],
    [{ minIdle: 101 }, '`minIdle` must be a whole number from 0 to 100, got 101.'],
    [{ waitValueUsdPerHour: -1 }, '`waitValueUsdPerHour` must be from 0 to 10000, got -1.'],
    [{ idleTimeoutSeconds: 10 }, '`idleTimeoutSeconds` must be from 60 to 86400, got 10.'],
    [{ spotShare: 1.5 }, '`spotShare` must be from 0 to 1, got 1.5.'],
    [{ targetWarmRatio: 1 }, '`targetWarmRatio` must be from 0.5 to 0.999, got 1.'],
    [{ assumedColdStartSeconds: NaN }, '`assumedColdStartSeconds` must be from 1 to 3600, got NaN.'],
    [{ schedules: [{ cron: '* 9-17 * *', timeZone: 'UTC', minIdle: 2 }] }, '`schedules[0].cron`: cron "* 9-17 * *" must have 5 fields'],
    [{ schedules: [{ cron: '* 9-17 * * *', timeZone: 'Mars/Olympus', minIdle: 2 }] }, '`schedules[0].timeZone` must be an IANA time zone'],
    [{ schedules: [{ cron: '* 9-17 * * *', timeZone: 'UTC', minIdle: 400 }] }, '`schedules[0].minIdle` must be a whole number from 0 to 100, got 400.'],
  ])('rejects %j naming the field', (fields, message) => {
    expect(() => poolConfig(fields)).toThrow(message);
  });

  test('an idle worker is priced from its size, architecture, Spot share and Region at the ledger\'s list prices', () => {
    expect(DEFAULT_WORKER_USD_PER_HOUR).toBeCloseTo(taskHourPrice(fargatePricing('arm64')), 6);
    const x86 = { vcpu: 2, memoryGb: 8, architecture: 'x86_64' as const, spotShare: 0 };
    expect(workerUsdPerHour(x86)).toBeCloseTo(2 * taskHourPrice(fargatePricing('x86_64')), 6);
    expect(workerUsdPerHour({ ...x86, spotShare: 1 })).toBeCloseTo(0.3 * workerUsdPerHour(x86), 6);
    expect(workerUsdPerHour(x86, 'eu-central-1')).toBeGreaterThan(workerUsdPerHour(x86));
    expect(workerUsdPerHour(x86, 'xx-nowhere-1')).toBe(workerUsdPerHour(x86));
  });

  test('lists every problem at once', () => {
    expect(poolConfigProblems({ ...DEFAULT_POOL_CONFIG, maxWorkers: 0, spotShare: -1 })).toHaveLength(2);
  });
});

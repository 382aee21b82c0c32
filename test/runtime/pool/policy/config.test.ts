import { DEFAULT_POOL_CONFIG, poolConfig, poolConfigProblems } from '../../../../runtime/core/pool/policy/config';

describe('poolConfig', () => {
  test('fills in the documented defaults', () => {
    expect(poolConfig()).toEqual({
      minIdle: 0,
      maxWorkers: 20,
      idleTimeoutSeconds: 900,
      schedules: [],
      spotShare: 0,
      targetWarmRatio: 0.95,
      assumedColdStartSeconds: 60,
    });
    expect(poolConfig({ minIdle: 2 })).toEqual({ ...DEFAULT_POOL_CONFIG, minIdle: 2 });
  });

  test.each([
    [{ maxWorkers: 0 }, '`maxWorkers` must be a whole number from 1 to 1000, got 0.'],
    [{ maxWorkers: 2.5 }, '`maxWorkers` must be a whole number from 1 to 1000, got 2.5.'],
    [{ minIdle: 21 }, '`minIdle` must be a whole number from 0 to 20, got 21.'],
    [{ idleTimeoutSeconds: 10 }, '`idleTimeoutSeconds` must be from 60 to 86400, got 10.'],
    [{ spotShare: 1.5 }, '`spotShare` must be from 0 to 1, got 1.5.'],
    [{ targetWarmRatio: 1 }, '`targetWarmRatio` must be from 0.5 to 0.999, got 1.'],
    [{ assumedColdStartSeconds: NaN }, '`assumedColdStartSeconds` must be from 1 to 3600, got NaN.'],
    [{ schedules: [{ cron: '* 9-17 * *', timeZone: 'UTC', minIdle: 2 }] }, '`schedules[0].cron`: cron "* 9-17 * *" must have 5 fields'],
    [{ schedules: [{ cron: '* 9-17 * * *', timeZone: 'Mars/Olympus', minIdle: 2 }] }, '`schedules[0].timeZone` must be an IANA time zone'],
    [{ schedules: [{ cron: '* 9-17 * * *', timeZone: 'UTC', minIdle: 40 }] }, '`schedules[0].minIdle` must be a whole number from 0 to 20, got 40.'],
  ])('rejects %j naming the field', (fields, message) => {
    expect(() => poolConfig(fields)).toThrow(message);
  });

  test('lists every problem at once', () => {
    expect(poolConfigProblems({ ...DEFAULT_POOL_CONFIG, maxWorkers: 0, spotShare: -1 })).toHaveLength(2);
  });
});

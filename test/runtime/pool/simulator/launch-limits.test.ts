import * as fc from 'fast-check';
import { FARGATE_LAUNCH_LIMITS, LaunchLimiter } from '../../../../runtime/core/pool/simulator/launch-limits';

const T0 = Date.parse('2026-03-02T10:00:00Z');

describe('LaunchLimiter', () => {
  test('20 RunTask calls a second; the 21st in the same second is refused without counting', () => {
    const limiter = new LaunchLimiter();
    const outcomes = Array.from({ length: 21 }, (_, index) => limiter.call(T0 + index * 10, 1));
    expect(outcomes.filter((outcome) => outcome === 'launched')).toHaveLength(20);
    expect(limiter.calls[20]).toMatchObject({ outcome: 'throttled', accepted: false });
    expect(limiter.call(T0 + 1000, 1)).toBe('launched');
  });

  test('the task bucket: 100 at once, then 20 a second', () => {
    const limiter = new LaunchLimiter();
    for (let call = 0; call < 10; call++) {
      expect(limiter.call(T0, 10)).toBe('launched');
    }
    expect(limiter.call(T0 + 100, 10)).toBe('throttled');
    expect(limiter.calls[10]).toMatchObject({ accepted: true });
    expect(limiter.call(T0 + 500, 10)).toBe('launched');
    // 100 ms refill 2 tasks: enough for 2, not for 5.
    expect(limiter.call(T0 + 600, 5)).toBe('throttled');
    expect(limiter.call(T0 + 600, 2)).toBe('launched');
  });

  test('at most 10 tasks a call, and calls in time order', () => {
    const limiter = new LaunchLimiter();
    expect(() => limiter.call(T0, 11)).toThrow('a RunTask call starts 1 to 10 tasks, not 11');
    limiter.call(T0, 1);
    expect(() => limiter.call(T0 - 1, 1)).toThrow('in time order');
  });

  test('whatever the calls, no second has more than 20 accepted calls and the bucket never goes negative', () => {
    const calls = fc.array(fc.record({ gapMs: fc.integer({ min: 0, max: 400 }), tasks: fc.integer({ min: 1, max: 10 }) }), { maxLength: 400 });
    fc.assert(fc.property(calls, (plan) => {
      const limiter = new LaunchLimiter();
      let now = T0;
      for (const { gapMs, tasks } of plan) {
        now += gapMs;
        limiter.call(now, tasks);
      }
      const perSecond = new Map<number, number>();
      for (const call of limiter.calls.filter((record) => record.accepted)) {
        const second = Math.floor(call.at / 1000);
        perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
      }
      return [...perSecond.values()].every((count) => count <= FARGATE_LAUNCH_LIMITS.callsPerSecond)
        && limiter.calls.every((call) => call.tokens >= 0 && call.tokens <= FARGATE_LAUNCH_LIMITS.bucketSize);
    }));
  });
});

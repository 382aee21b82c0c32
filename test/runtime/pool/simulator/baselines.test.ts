import { fixedPool } from '../../../../runtime/core/pool/simulator/baselines/fixed-pool';
import { originalRule } from '../../../../runtime/core/pool/simulator/baselines/original-rule';
import { idleWorkers, input, MINUTE, NOW } from '../policy/inputs';

describe('the original rule (baseline)', () => {
  test('starts with a pool of one and tops it up on the minute only', () => {
    expect(originalRule.decide(input({}))).toEqual({ start: 1, stop: [], target: 1, memory: { size: 1 } });
    // A claim between minutes: nothing until the next minute.
    expect(originalRule.decide(input({ trigger: 'claimed', memory: { size: 2 } }))).toEqual({ start: 0, stop: [], target: 2, memory: { size: 2 } });
    expect(originalRule.decide(input({ memory: { size: 2 }, pool: { idle: idleWorkers(1) } })).start).toBe(1);
  });

  test('grows by one when more than twice its size wait, then not again for five minutes', () => {
    const grown = originalRule.decide(input({ memory: { size: 2 }, pool: { idle: idleWorkers(2), waiting: 5 } }));
    expect(grown).toEqual({ start: 1, stop: [], target: 3, memory: { size: 3, scaledAt: NOW } });
    const soon = originalRule.decide(input({ now: NOW + 4 * MINUTE, memory: grown.memory, pool: { idle: idleWorkers(3), waiting: 9 } }));
    expect(soon.target).toBe(3);
    const later = originalRule.decide(input({ now: NOW + 5 * MINUTE, memory: grown.memory, pool: { idle: idleWorkers(3), waiting: 9 } }));
    expect(later.target).toBe(4);
    // Exactly twice its size does not grow it.
    expect(originalRule.decide(input({ memory: { size: 2 }, pool: { idle: idleWorkers(2), waiting: 4 } })).target).toBe(2);
  });

  test('shrinks by one, stopping the longest idle, when more than half has idled 10 minutes; never below 1 or above 10', () => {
    const pool = { idle: [...idleWorkers(2, 15), { taskId: 'new', idleSince: NOW - MINUTE }] };
    expect(originalRule.decide(input({ memory: { size: 3 }, pool }))).toEqual({ start: 0, stop: ['w1'], target: 2, memory: { size: 2, scaledAt: NOW } });
    // One of two idle 10 minutes is not more than half.
    expect(originalRule.decide(input({ memory: { size: 2 }, pool: { idle: [...idleWorkers(1, 15), { taskId: 'new', idleSince: NOW }] } })).stop).toEqual([]);
    expect(originalRule.decide(input({ memory: { size: 1 }, pool: { idle: idleWorkers(1, 60) } })).stop).toEqual([]);
    expect(originalRule.decide(input({ memory: { size: 10 }, pool: { idle: idleWorkers(10), waiting: 100 } })).target).toBe(10);
  });
});

describe('fixed pool', () => {
  test('keeps its size idle or starting, replacing a claim at once, and never stops a worker', () => {
    const pool = fixedPool(3);
    expect(pool.decide(input({ trigger: 'claimed', pool: { idle: idleWorkers(1), starting: 1 } }))).toEqual({ start: 1, stop: [], target: 3, memory: {} });
    expect(pool.decide(input({ pool: { idle: idleWorkers(5, 60) } }))).toEqual({ start: 0, stop: [], target: 3, memory: {} });
    expect(fixedPool(0, 'none').decide(input({ arrivals: [NOW - 1000] })).start).toBe(0);
  });
});

import { FARGATE_LAUNCH_LIMITS } from '../../../../runtime/core/pool/launch-limits';
import { launchPace, launchWaves, SCALER_SHARE } from '../../../../runtime/core/pool/scaler/launch-pace';
import { spotStarts } from '../../../../runtime/core/pool/scaler/spot-share';

describe('launchPace: the scalers together stay within their share of Fargate\'s launch rate', () => {
  test.each([1, 2, 3, 5])('%i pool(s) starting at once: at most half of RunTask\'s 20 calls and the bucket\'s 20 tasks a second', (agents) => {
    const pace = launchPace(agents, 40);
    const perSecondAllAgents = pace.perWave * agents;
    expect(perSecondAllAgents).toBeLessThanOrEqual(SCALER_SHARE * FARGATE_LAUNCH_LIMITS.callsPerSecond);
    expect(perSecondAllAgents).toBeLessThanOrEqual(SCALER_SHARE * FARGATE_LAUNCH_LIMITS.refillPerSecond);
    expect(pace.perRun).toBe(pace.perWave * 40);
  });

  test('one pool: 10 a second, 400 in a 40-second run; five pools: 2 a second each', () => {
    expect(launchPace(1, 40)).toEqual({ perWave: 10, perRun: 400 });
    expect(launchPace(5, 40)).toEqual({ perWave: 2, perRun: 80 });
  });

  test('never less than one worker a wave, however many pools', () => {
    expect(launchPace(50, 10)).toEqual({ perWave: 1, perRun: 10 });
  });

  test('a smaller share or tighter limits slow it down', () => {
    expect(launchPace(1, 10, 0.25)).toEqual({ perWave: 5, perRun: 50 });
    expect(launchPace(1, 10, 0.5, { ...FARGATE_LAUNCH_LIMITS, refillPerSecond: 4 })).toEqual({ perWave: 2, perRun: 20 });
  });
});

describe('launchWaves', () => {
  const pace = { perWave: 4, perRun: 10 };

  test('full waves, then the rest', () => {
    expect(launchWaves(9, pace)).toEqual([4, 4, 1]);
  });

  test('no more than the run may start: the next run starts the rest', () => {
    expect(launchWaves(25, pace)).toEqual([4, 4, 2]);
  });

  test('nothing for nothing, or a negative or fractional ask', () => {
    expect(launchWaves(0, pace)).toEqual([]);
    expect(launchWaves(-3, pace)).toEqual([]);
    expect(launchWaves(2.7, pace)).toEqual([2]);
  });
});

describe('spotStarts: the pool\'s Spot share', () => {
  test('no Spot share: none on Spot', () => {
    expect(spotStarts(5, 3, 0, 0)).toBe(0);
  });

  test('all on Spot', () => {
    expect(spotStarts(4, 2, 2, 1)).toBe(4);
  });

  test('half: counting the live workers, so one start at a time still alternates', () => {
    expect(spotStarts(1, 0, 0, 0.5)).toBe(1);
    expect(spotStarts(1, 1, 1, 0.5)).toBe(0);
    expect(spotStarts(1, 2, 1, 0.5)).toBe(1);
  });

  test('workers lost to Spot interruptions are made up first, within the starts', () => {
    expect(spotStarts(2, 4, 0, 0.5)).toBe(2);
    expect(spotStarts(2, 4, 4, 0.5)).toBe(0);
  });
});

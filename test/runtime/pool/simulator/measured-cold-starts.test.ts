import { drawColdStart, DEFAULT_COLD_START } from '../../../../runtime/core/pool/simulator/cold-start';
import { coldStartModels, parseMeasuredColdStarts, samplesOfStatistics } from '../../../../runtime/core/pool/simulator/measured-cold-starts';
import { seededStream } from '../../../../runtime/core/pool/simulator/random';
import { recommendPoolSettings } from '../../../../runtime/core/pool/simulator/recommend';
import type { TraceDispatch } from '../../../../runtime/core/pool/simulator/trace';

const T = Date.parse('2026-03-02T09:00:00Z');
/** Claude and codex alike: a dispatch every 10 minutes for two hours, each run 5 minutes. */
const TRACE: TraceDispatch[] = ['claude', 'codex'].flatMap((agent) =>
  Array.from({ length: 12 }, (_, i) => ({ at: T + i * 600_000, agent, durationSeconds: 300 })));

describe('the empirical cold-start model: draws from measured samples', () => {
  test('only the samples are drawn, each of them in time, and the same seed draws the same sequence', () => {
    const model = { kind: 'empirical', samples: [30, 45, 120] } as const;
    const draws = (seed: number) => Array.from({ length: 200 }, ((random) => () => drawColdStart(model, random))(seededStream(seed, 'cold-start')));
    const first = draws(1);
    expect(new Set(first)).toEqual(new Set([30, 45, 120]));
    expect(draws(1)).toEqual(first);
    expect(draws(2)).not.toEqual(first);
  });

  test('an agent with samples gets them; one without, the assumed distribution, and says so', () => {
    const models = coldStartModels(['claude', 'codex'], { claude: [70, 50], other: [1] }, DEFAULT_COLD_START);
    // Sorted: the same samples in another order simulate the same.
    expect(models.get('claude')).toEqual({ model: { kind: 'empirical', samples: [50, 70] }, origin: { measured: true, samples: 2 } });
    expect(models.get('codex')).toEqual({ model: DEFAULT_COLD_START, origin: { measured: false } });
    expect(coldStartModels(['claude'], { claude: [] }, DEFAULT_COLD_START).get('claude')?.origin).toEqual({ measured: false });
  });
});

describe('parseMeasuredColdStarts: the file form, { "<agent>": [seconds...] }', () => {
  test('read as given', () => {
    expect(parseMeasuredColdStarts({ claude: [52.5, 61], codex: [] }, 'f.json')).toEqual({ claude: [52.5, 61], codex: [] });
  });

  test.each([
    [[1, 2], 'f.json: expected an object of each agent\'s cold starts in seconds, e.g. { "claude": [52.1, 61.0] }'],
    [{ claude: 60 }, 'f.json: "claude" must be a list of cold starts in seconds'],
    [{ claude: [60, '61'] }, 'f.json: "claude"[1] is "61", not a positive number of seconds'],
    [{ claude: [0] }, 'f.json: "claude"[0] is 0, not a positive number of seconds'],
  ])('%j is refused, naming what is wrong', (json, message) => {
    expect(() => parseMeasuredColdStarts(json, 'f.json')).toThrow(message);
  });
});

describe('samplesOfStatistics: the cold starts behind CloudWatch\'s per-minute statistics', () => {
  test('one value is itself, two are the minimum and maximum, more keep the minute\'s sum', () => {
    expect(samplesOfStatistics([
      { SampleCount: 1, Sum: 61, Minimum: 61, Maximum: 61 },
      { SampleCount: 2, Sum: 100, Minimum: 40, Maximum: 60 },
      { SampleCount: 4, Sum: 200, Minimum: 30, Maximum: 90 },
      { SampleCount: 0, Sum: 0, Minimum: 0, Maximum: 0 },
    ])).toEqual([61, 40, 60, 30, 40, 40, 90]);
  });
});

describe('recommendPoolSettings with measured cold starts', () => {
  test('a measured agent simulates its own cold starts; the other falls back to the assumed model; the same seed, the same result', () => {
    const slow = Array.from({ length: 10 }, (_, i) => 200 + i);
    const recommended = recommendPoolSettings(TRACE, { coldStarts: { claude: slow } });
    expect(recommended.map((agent) => [agent.agent, agent.coldStart])).toEqual([['claude', { measured: true, samples: 10 }], ['codex', { measured: false }]]);
    // Without a pool every dispatch waits its cold start: claude's are the slow samples, codex's the assumed 45–90 s.
    const noPoolWaits = recommended.map((agent) => agent.noPool.waitP95Seconds);
    expect(noPoolWaits[0]).toBeGreaterThanOrEqual(200);
    expect(noPoolWaits[0]).toBeLessThanOrEqual(209.5);
    expect(noPoolWaits[1]).toBeLessThanOrEqual(90.5);
    expect(recommendPoolSettings(TRACE, { coldStarts: { claude: slow } })).toEqual(recommended);
  });
});

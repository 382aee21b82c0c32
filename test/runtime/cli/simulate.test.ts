import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { outpost } from './outpost-bin';
import { formatTrace, type TraceDispatch } from '../../../runtime/core/pool/simulator/trace';

const START = Date.parse('2026-03-02T09:00:00Z');

/** Claude every 4 minutes for three hours, runs of 5 to 9 minutes; codex four times. */
const TRACE: TraceDispatch[] = [
  ...Array.from({ length: 45 }, (_, i) => ({ at: START + i * 240_000, agent: 'claude', durationSeconds: 300 + (i % 5) * 60 })),
  ...Array.from({ length: 4 }, (_, i) => ({ at: START + i * 2_700_000, agent: 'codex', durationSeconds: 120 })),
];

/** A pipeline's 150 jobs at once, every hour for ten hours: more than the largest `maxWorkers` tried (100) holds. */
const BURSTS: TraceDispatch[] = Array.from({ length: 10 }, (_hour, hour) =>
  Array.from({ length: 150 }, (_job, i) => ({ at: START + hour * 3_600_000 + i * 200, agent: 'ci', durationSeconds: 300 }))).flat();

/** The same dispatches as `outpost list --all --json` prints them, newest first, plus one that never started. */
function listExport(): unknown {
  const items = TRACE.map((dispatch, i) => {
    const startedAt = dispatch.at + 30_000;
    return {
      id: `01JD${String(i).padStart(22, '0')}`,
      status: 'COMPLETED',
      agent: dispatch.agent,
      promptPreview: 'fix it',
      createdAt: new Date(dispatch.at).toISOString(),
      updatedAt: new Date(startedAt + dispatch.durationSeconds * 1000).toISOString(),
      startedAt: new Date(startedAt).toISOString(),
      // Half give the worker's own duration, half only the times: both are read.
      ...(i % 2 === 0
        ? { result: { durationSeconds: dispatch.durationSeconds, commit: null, branch: null, tokenUsage: null } }
        : { finishedAt: new Date(startedAt + dispatch.durationSeconds * 1000).toISOString() }),
    };
  });
  const cancelled = { id: '01JDZZZZZZZZZZZZZZZZZZZZZZ', status: 'CANCELLED', agent: 'claude', promptPreview: 'x', createdAt: new Date(START).toISOString(), updatedAt: new Date(START).toISOString() };
  return { items: [cancelled, ...items.reverse()], cursor: null };
}

describe('outpost simulate: pool settings recommended from a trace or a dispatch history', () => {
  let dir: string;
  let csv: string;
  let history: string;
  let bursts: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-simulate-'));
    csv = path.join(dir, 'trace.csv');
    history = path.join(dir, 'history.json');
    fs.writeFileSync(csv, formatTrace(TRACE));
    fs.writeFileSync(history, JSON.stringify(listExport(), null, 2));
    bursts = path.join(dir, 'bursts.csv');
    fs.writeFileSync(bursts, formatTrace(BURSTS));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a CSV trace: per agent, the setting tried with the lowest total cost at the wait value, with the numbers behind it', async () => {
    const { code, stdout } = await outpost(['simulate', '--trace', csv, '--json'], {});
    expect(code).toBe(0);
    const { waitValueUsdPerHour, targetWarmRatio, agents } = JSON.parse(stdout);
    expect(waitValueUsdPerHour).toBe(60);
    expect(targetWarmRatio).toBeNull();
    expect(agents.map((agent: { agent: string }) => agent.agent)).toEqual(['claude', 'codex']);
    const claude = agents[0];
    expect(claude).toMatchObject({
      outcome: 'recommended',
      dispatches: 45,
      tried: 27,
      reachesTarget: true,
      settings: { minIdle: expect.any(Number), maxWorkers: expect.any(Number), idleTimeoutSeconds: expect.any(Number) },
      noPool: { warmRatio: 0, waitValueUsdPerHour: 60 },
      cap: { holdsBack: false },
    });
    // Warm starts cost idle workers, and save waits worth more at $60 an hour.
    expect(claude.result.fargateUsd).toBeGreaterThan(claude.noPool.fargateUsd);
    expect(claude.result.totalCostUsd).toBeLessThan(claude.noPool.totalCostUsd);
    expect(claude.result.totalCostUsd).toBeCloseTo(claude.result.fargateUsd + 60 * claude.result.waitHours, 9);

    const human = await outpost(['simulate', '--trace', csv], {});
    expect(human.stdout).toMatch(/^claude: 45 dispatches$/m);
    expect(human.stdout).toMatch(/recommended: minIdle \d+, maxWorkers \d+, idleTimeout \d+ min: the lowest total cost of 27 settings tried, waits at \$60\.00 an hour/);
    expect(human.stdout).toMatch(/Fargate \$\d+\.\d\d \+ \d+\.\d\d h of waiting at \$60\.00 = \$\d+\.\d\d/);
    expect(human.stdout).toMatch(/Agent\.claude\(\{ warmPool: \{ minIdle: \d+, maxWorkers: \d+, idleTimeout: Duration\.minutes\(\d+\) \} \}\)/);
  });

  test('--wait-value prices the waits: at $0 an hour the cheapest bill wins, no standing worker', async () => {
    const { code, stdout } = await outpost(['simulate', '--trace', csv, '--json', '--wait-value', '0'], {});
    expect(code).toBe(0);
    const [claude] = JSON.parse(stdout).agents;
    expect(claude.settings.minIdle).toBe(0);
    expect(claude.result.totalCostUsd).toBe(claude.result.fargateUsd);
    expect(await outpost(['simulate', '--trace', csv, '--wait-value', 'lots'], {})).toMatchObject({ code: 2, stderr: expect.stringContaining('expected USD an hour, 0 or more, got "lots"') });
  });

  test('--target is a floor under the lowest total cost', async () => {
    const { code, stdout } = await outpost(['simulate', '--trace', csv, '--json', '--target', '0.99', '--wait-value', '0'], {});
    expect(code).toBe(0);
    const { targetWarmRatio, agents: [claude] } = JSON.parse(stdout);
    expect(targetWarmRatio).toBe(0.99);
    // Without the floor, at $0 an hour, no standing worker (the test above); with it, the cheapest that is 99% warm.
    expect(claude.reachesTarget).toBe(true);
    expect(claude.result.warmRatio).toBeGreaterThanOrEqual(0.99);
    expect(claude.settings.minIdle).toBeGreaterThan(0);
  });

  test('a maxWorkers that holds the pool back is flagged: the target sat at the cap, and a higher cap costs less', async () => {
    const { code, stdout, stderr } = await outpost(['simulate', '--trace', bursts, '--json'], {});
    expect(code).toBe(0);
    const [ci] = JSON.parse(stdout).agents;
    expect(ci.settings.maxWorkers).toBe(100);
    expect(ci.cap).toMatchObject({ maxWorkers: 100, raisedMaxWorkers: 200, holdsBack: true });
    expect(ci.cap.atCapShare).toBeGreaterThan(0.1);
    expect(ci.cap.raisedTotalCostUsd).toBeLessThan(0.99 * ci.result.totalCostUsd);
    expect(stderr).toMatch(/warning: ci: maxWorkers 100 holds the pool back: the policy's target was at it [\d.]+% of the minutes, and maxWorkers 200 lowers the total cost from \$[\d.]+ to \$[\d.]+/);
    expect((await outpost(['simulate', '--trace', bursts], {})).stdout).toMatch(/^ {2}cap: ci: maxWorkers 100 holds the pool back: .*; set maxWorkers higher$/m);
  });

  test('the JSON of `outpost list --all --json` gives the same recommendation as the same dispatches in CSV', async () => {
    const fromCsv = JSON.parse((await outpost(['simulate', '--trace', csv, '--json'], {})).stdout);
    const fromHistory = await outpost(['simulate', '--trace', history, '--json'], {});
    expect(fromHistory.code).toBe(0);
    expect(JSON.parse(fromHistory.stdout)).toEqual(fromCsv);
    expect(fromHistory.stderr).toContain('1 dispatches without a run time (never started, or still running) left out');
  });

  test('a trace that does not parse names its line; whatever is wrong with the file, or a missing --trace, is a usage error (2)', async () => {
    fs.writeFileSync(path.join(dir, 'bad.csv'), 'timestamp,agent,duration_seconds\n2026-03-02T09:00:00,claude,60\n');
    expect(await outpost(['simulate', '--trace', path.join(dir, 'bad.csv')], {})).toMatchObject({
      code: 2, stderr: expect.stringContaining('bad.csv line 2: timestamp "2026-03-02T09:00:00" is not an ISO-8601 time with a zone'),
    });
    fs.writeFileSync(path.join(dir, 'cut.json'), '{"items": [');
    expect(await outpost(['simulate', '--trace', path.join(dir, 'cut.json')], {})).toMatchObject({ code: 2, stderr: expect.stringContaining('cut.json is not valid JSON') });
    fs.writeFileSync(path.join(dir, 'other.json'), '{"dispatches": []}');
    expect(await outpost(['simulate', '--trace', path.join(dir, 'other.json')], {})).toMatchObject({
      code: 2, stderr: expect.stringContaining('expected the output of `outpost list --all --json`'),
    });
    fs.writeFileSync(path.join(dir, 'item.json'), JSON.stringify({ items: [{ createdAt: 'yesterday', agent: 'claude' }] }));
    expect(await outpost(['simulate', '--trace', path.join(dir, 'item.json')], {})).toMatchObject({ code: 2, stderr: expect.stringContaining('item.json item 0: createdAt') });
    expect(await outpost(['simulate', '--trace', path.join(dir, 'missing.csv')], {})).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read') });
    expect(await outpost(['simulate'], {})).toMatchObject({ code: 2, stderr: expect.stringContaining("required option '--trace <file>' not specified") });
    expect(await outpost(['simulate', '--trace', csv, '--target', '2'], {})).toMatchObject({ code: 2 });
  });

  test('an agent with fewer dispatches than the threshold gets nothing recommended, and says why; JSON marks the outcome', async () => {
    const { code, stdout, stderr } = await outpost(['simulate', '--trace', csv, '--json'], {});
    expect(code).toBe(0);
    expect(stderr).toContain('warning: codex has only 4 dispatches, fewer than 30: an arrival rate estimated from so few is off by about ±50% (1/√n)');
    expect(stderr).not.toContain('warning: claude');
    expect(stderr).not.toContain('the history is too small');
    const { minSample, agents } = JSON.parse(stdout);
    expect(minSample).toBe(30);
    expect(agents.map((agent: { agent: string; outcome: string }) => [agent.agent, agent.outcome])).toEqual([['claude', 'recommended'], ['codex', 'too-small']]);
    expect(agents[1]).not.toHaveProperty('settings');
    expect(agents[1].reason).toMatch(/^only 4 dispatches, fewer than 30/);
    const human = (await outpost(['simulate', '--trace', csv], {})).stdout;
    expect(human).toMatch(/^codex: 4 dispatches\n.*\n {2}nothing recommended: only 4 dispatches, fewer than 30/m);
    expect(human).not.toContain('Agent.codex');
  });

  test('a history where every agent is too small says so: nothing to recommend', async () => {
    const small = path.join(dir, 'small.csv');
    fs.writeFileSync(small, formatTrace(TRACE.filter((dispatch) => dispatch.agent === 'codex')));
    const { code, stdout, stderr } = await outpost(['simulate', '--trace', small, '--json'], {});
    expect(code).toBe(0);
    expect(stderr).toContain('the history is too small to recommend anything: every agent has fewer than 30 dispatches');
    expect(JSON.parse(stdout).agents.map((agent: { outcome: string }) => agent.outcome)).toEqual(['too-small']);
  });
});

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

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-simulate-'));
    csv = path.join(dir, 'trace.csv');
    history = path.join(dir, 'history.json');
    fs.writeFileSync(csv, formatTrace(TRACE));
    fs.writeFileSync(history, JSON.stringify(listExport(), null, 2));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a CSV trace: per agent, the cheapest setting tried that starts 95% warm, with the numbers behind it', async () => {
    const { code, stdout } = await outpost(['simulate', '--trace', csv, '--json'], {});
    expect(code).toBe(0);
    const { targetWarmRatio, agents } = JSON.parse(stdout);
    expect(targetWarmRatio).toBe(0.95);
    expect(agents.map((agent: { agent: string }) => agent.agent)).toEqual(['claude', 'codex']);
    const claude = agents[0];
    expect(claude).toMatchObject({
      dispatches: 45,
      tried: 27,
      reachesTarget: true,
      settings: { minIdle: expect.any(Number), maxWorkers: expect.any(Number), idleTimeoutSeconds: expect.any(Number) },
      noPool: { warmRatio: 0 },
    });
    expect(claude.result.warmRatio).toBeGreaterThanOrEqual(0.95);
    // Warm starts cost idle workers: the pool's bill is above no pool's.
    expect(claude.result.costUsd).toBeGreaterThan(claude.noPool.costUsd);

    const human = await outpost(['simulate', '--trace', csv], {});
    expect(human.stdout).toMatch(/^claude: 45 dispatches$/m);
    expect(human.stdout).toMatch(/recommended: minIdle \d+, maxWorkers \d+, idleTimeout \d+ min: the cheapest of 27 settings tried that starts at least 95\.0% warm/);
    expect(human.stdout).toMatch(/Agent\.claude\(\{ warmPool: \{ minIdle: \d+, maxWorkers: \d+, idleTimeout: Duration\.minutes\(\d+\) \} \}\)/);
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

  test('an agent with fewer dispatches than the threshold is warned about, with the threshold and why; JSON flags it', async () => {
    const { code, stdout, stderr } = await outpost(['simulate', '--trace', csv, '--json'], {});
    expect(code).toBe(0);
    expect(stderr).toContain('warning: codex has only 4 dispatches, fewer than 30: an arrival rate estimated from so few is off by about ±50% (1/√n)');
    expect(stderr).not.toContain('warning: claude');
    const { minSample, agents } = JSON.parse(stdout);
    expect(minSample).toBe(30);
    expect(agents.map((agent: { agent: string; sampleTooSmall: boolean }) => [agent.agent, agent.sampleTooSmall])).toEqual([['claude', false], ['codex', true]]);
  });
});

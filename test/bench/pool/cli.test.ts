import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseTrace } from '../../../runtime/core/pool/simulator/trace';

const ROOT = path.join(__dirname, '..', '..', '..');

/** `npm run --silent simulate -- …`, exactly as the README shows it (--silent keeps npm's banner off stdout). */
function simulate(...args: string[]) {
  const result = spawnSync('npm', ['run', '--silent', 'simulate', '--', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run simulate', () => {
  let folder: string;
  beforeAll(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'simulate-'));
  });
  afterAll(() => {
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test('--json prints one JSON object: every policy with the seven documented numbers and what the choice costs', () => {
    const trace = path.join(folder, 'small.csv');
    const rows = Array.from({ length: 40 }, (_, index) => `2026-03-02T09:${String(index).padStart(2, '0')}:00Z,claude,${300 + index}`);
    fs.writeFileSync(trace, ['timestamp,agent,duration_seconds', ...rows].join('\n'));
    const { status, stdout } = simulate('--trace', trace, '--seed', '3', '--json');
    expect(status).toBe(0);
    const output = JSON.parse(stdout);
    expect(Object.keys(output)).toEqual(['policies']);
    expect(Object.keys(output.policies)).toEqual(['none', 'fixed', 'original-rule', 'default', 'oracle']);
    for (const result of Object.values<Record<string, unknown>>(output.policies)) {
      expect(Object.keys(result)).toEqual([
        'warmRatio', 'waitP50Seconds', 'waitP95Seconds', 'waitP99Seconds', 'idleWorkerHours', 'busyWorkerHours', 'costUsd',
        'waitHours', 'fargateUsd', 'waitValueUsdPerHour', 'totalCostUsd',
      ]);
      expect(Object.values(result).every((value) => typeof value === 'number' && Number.isFinite(value))).toBe(true);
    }
    expect(output.policies.none.warmRatio).toBe(0);
    expect(output.policies.oracle.warmRatio).toBe(1);
    expect(output.policies.none.busyWorkerHours).toBeCloseTo(rows.reduce((sum, _, index) => sum + 300 + index, 0) / 3600, 9);
    const none = output.policies.none;
    expect(none.waitValueUsdPerHour).toBe(60);
    expect(none.fargateUsd).toBe(none.costUsd);
    expect(none.totalCostUsd).toBeCloseTo(none.fargateUsd + 60 * none.waitHours, 9);
    // Every dispatch of no pool waits for its cold start (45 s at least) and the hand-off.
    expect(none.waitHours).toBeGreaterThanOrEqual((40 * 45.5) / 3600);
  });

  test('--wait-value prices the waits; the table gains the wait hours and the total', () => {
    const trace = path.join(folder, 'value.csv');
    const rows = Array.from({ length: 10 }, (_, index) => `2026-03-02T09:${String(index * 5).padStart(2, '0')}:00Z,claude,300`);
    fs.writeFileSync(trace, ['timestamp,agent,duration_seconds', ...rows].join('\n'));
    const at = (value: string) => JSON.parse(simulate('--trace', trace, '--seed', '1', '--json', '--wait-value', value).stdout).policies.none;
    const [free, dear] = [at('0'), at('100')];
    expect(free.totalCostUsd).toBe(free.fargateUsd);
    expect(dear.waitValueUsdPerHour).toBe(100);
    expect(dear.totalCostUsd).toBeCloseTo(dear.fargateUsd + 100 * dear.waitHours, 9);
    const table = simulate('--trace', trace, '--seed', '1', '--wait-value', '100');
    expect(table.stdout).toContain('waits at $100 an hour');
    expect(table.stdout).toMatch(/wait h\s+total \$/);
    const refused = simulate('--trace', trace, '--wait-value=-5');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('--wait-value must be USD an hour, 0 or more, got -5');
  });

  test('a malformed trace fails with its file and line, and no output', () => {
    const trace = path.join(folder, 'bad.csv');
    fs.writeFileSync(trace, 'timestamp,agent,duration_seconds\n2026-03-02T09:00:00Z,claude,300\n2026-03-02T09:01:00Z,claude,soon\n');
    const { status, stdout, stderr } = simulate('--trace', trace, '--json');
    expect(status).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain(`simulate: ${trace} line 3: duration_seconds "soon" must be a positive number of seconds`);
  });

  test('--spot-share prices Spot only on x86_64: refused for arm64 (the default), cheaper with --architecture x86_64', () => {
    const trace = path.join(folder, 'spot.csv');
    const rows = Array.from({ length: 20 }, (_, index) => `2026-03-02T09:${String(index).padStart(2, '0')}:00Z,claude,600`);
    fs.writeFileSync(trace, ['timestamp,agent,duration_seconds', ...rows].join('\n'));
    const refused = simulate('--trace', trace, '--spot-share', '0.5', '--json');
    expect(refused.status).not.toBe(0);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('--spot-share 0.5 needs --architecture x86_64: Fargate Spot does not run arm64 tasks');
    const cost = (...args: string[]) => JSON.parse(simulate('--trace', trace, '--seed', '1', '--json', '--architecture', 'x86_64', ...args).stdout).policies.none.costUsd;
    // The same billed hours at 0.65 of the x86_64 on-demand price: half of them at 30% of it.
    expect(cost('--spot-share', '0.5')).toBeCloseTo(0.65 * cost(), 9);
  });

  test('determinism: the same seed gives byte-identical JSON', () => {
    const trace = path.join(folder, 'twice.csv');
    expect(simulate('--generate', 'enterprise', '--engineers', '3', '--out', trace, '--seed', '4').status).toBe(0);
    const first = simulate('--trace', trace, '--seed', '5', '--json');
    expect(first.status).toBe(0);
    expect(simulate('--trace', trace, '--seed', '5', '--json').stdout).toBe(first.stdout);
    expect(simulate('--trace', trace, '--seed', '6', '--json').stdout).not.toBe(first.stdout);
  });

  test('--generate enterprise needs --engineers; --engineers is for enterprise only', () => {
    const out = path.join(folder, 'never.csv');
    expect(simulate('--generate', 'enterprise', '--out', out).stderr).toContain('--generate enterprise needs --engineers N');
    expect(simulate('--generate', 'steady', '--engineers', '5', '--out', out).stderr).toContain('--engineers and --weeks apply only to --generate enterprise');
    expect(fs.existsSync(out)).toBe(false);
  });

  test('--sweep --json carries every family\'s best, the overall best and the default beside them', () => {
    const trace = path.join(folder, 'sweep.csv');
    const rows = Array.from({ length: 30 }, (_, index) => `2026-03-02T09:${String(index * 2).padStart(2, '0')}:00Z,claude,300`);
    fs.writeFileSync(trace, ['timestamp,agent,duration_seconds', ...rows].join('\n'));
    const { status, stdout } = simulate('--trace', trace, '--seed', '1', '--json', '--sweep');
    expect(status).toBe(0);
    const { policies, sweep } = JSON.parse(stdout);
    expect(Object.keys(sweep)).toEqual(['waitValueUsdPerHour', 'families', 'best', 'default']);
    expect(Object.keys(sweep.families)).toEqual(['fixed', 'original-rule', 'busiest', 'hour-of-week']);
    for (const family of Object.values<{ tried: number; best: { totalCostUsd: number; result: { totalCostUsd: number } } }>(sweep.families)) {
      expect(family.tried).toBeGreaterThan(0);
      expect(family.best.result.totalCostUsd).toBeGreaterThanOrEqual(sweep.best.result.totalCostUsd);
    }
    expect(sweep.default).toEqual(policies.default);
    // One dispatch every 2 minutes for an hour: a standing worker pays many times over at $60 an hour.
    expect(sweep.families.fixed.best.settings.minIdle).toBeGreaterThan(0);
    const table = simulate('--trace', trace, '--seed', '1', '--sweep');
    expect(table.stdout).toMatch(/^best static setting in hindsight: .+, total \$\d+\.\d\d; the default policy: \$\d+\.\d\d, [\d.]+% (above|below) it$/m);
  });

  test('--generate writes a trace that parses', () => {
    const out = path.join(folder, 'traces', 'steady.csv');
    const { status, stdout } = simulate('--generate', 'steady', '--out', out, '--seed', '2');
    expect(status).toBe(0);
    const trace = parseTrace(fs.readFileSync(out, 'utf8'));
    expect(stdout.trim()).toBe(`wrote ${trace.length} dispatches to ${out}`);
  });
});

import * as fs from 'fs';
import * as path from 'path';
import { generateTrace, TRACE_KINDS } from '../../../bench/pool/generators';
import { dayLevel } from '../../../bench/pool/generators/workday';
import { formatTrace } from '../../../runtime/core/pool/simulator/trace';

const TRACES = path.join(__dirname, '..', '..', '..', 'bench', 'pool', 'traces');

describe('trace generators', () => {
  test.each(TRACE_KINDS)('%s: the same seed gives the same trace, another seed another', (kind) => {
    expect(generateTrace(kind, 5)).toEqual(generateTrace(kind, 5));
    expect(generateTrace(kind, 6)).not.toEqual(generateTrace(kind, 5));
  });

  test.each(TRACE_KINDS)('the committed %s trace is what `--generate` makes with seed 1', (kind) => {
    expect(fs.readFileSync(path.join(TRACES, `${kind}.csv`), 'utf8')).toBe(formatTrace(generateTrace(kind, 1)));
  });

  test('workday: busy mornings and afternoons, a lunch dip, quiet nights; 2 to 20 minute runs', () => {
    expect(dayLevel(10)).toBe(1);
    expect(dayLevel(12.75)).toBe(0.4);
    expect(dayLevel(3)).toBe(0.02);
    const trace = generateTrace('workday', 1);
    const byHour = new Array<number>(24).fill(0);
    trace.forEach((dispatch) => byHour[new Date(dispatch.at).getUTCHours()]++);
    expect(byHour[12]).toBeLessThan(0.7 * byHour[10]);
    expect(byHour[3]).toBeLessThan(0.1 * byHour[10]);
    expect(trace.length / 5).toBeGreaterThan(200);
    expect(trace.length / 5).toBeLessThan(290);
    expect(trace.every((dispatch) => dispatch.durationSeconds >= 120 && dispatch.durationSeconds <= 1200)).toBe(true);
  });

  test('bursty: CI spikes of many dispatches within two minutes, and a nightly batch', () => {
    const trace = generateTrace('bursty', 1);
    const perMinute = new Map<number, number>();
    trace.forEach((dispatch) => perMinute.set(Math.floor(dispatch.at / 60_000), (perMinute.get(Math.floor(dispatch.at / 60_000)) ?? 0) + 1));
    expect(Math.max(...perMinute.values())).toBeGreaterThanOrEqual(10);
    const atTwo = trace.filter((dispatch) => new Date(dispatch.at).getUTCHours() === 2).length;
    expect(atTwo).toBeGreaterThanOrEqual(5 * 30);
  });

  test('steady: about 30 an hour around the clock', () => {
    const trace = generateTrace('steady', 1);
    expect(trace.length).toBeGreaterThan(24 * 30 * 0.85);
    expect(trace.length).toBeLessThan(24 * 30 * 1.15);
  });
});

import * as fs from 'fs';
import * as path from 'path';
import { generateTrace, streamTrace, TRACE_KINDS } from '../../../bench/pool/generators';
import { ENTERPRISE_DEFAULTS, enterpriseTrace } from '../../../bench/pool/generators/enterprise';
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

describe('long trace generators', () => {
  const inOrder = (trace: ReadonlyArray<{ at: number }>) => trace.every((dispatch, index) => index === 0 || dispatch.at >= trace[index - 1].at);

  test('workday-x50: workday.csv 50 times, each copy shifted by at most ±30 minutes, in time order: 66,400 dispatches', () => {
    const base = generateTrace('workday', 1);
    const copies = [...streamTrace('workday-x50', { seed: 1 })];
    expect(copies).toHaveLength(66_400);
    expect(inOrder(copies)).toBe(true);
    expect(copies[0].at).toBeGreaterThanOrEqual(base[0].at - 1_800_000);
    expect(copies[copies.length - 1].at).toBeLessThanOrEqual(base[base.length - 1].at + 1_800_000);
    const durations = (trace: typeof base) => trace.map((dispatch) => dispatch.durationSeconds).sort((a, b) => a - b);
    expect(durations(copies)).toEqual(durations(Array.from({ length: 50 }, () => base).flat()));
    expect([...streamTrace('workday-x50', { seed: 2 })]).not.toEqual(copies);
  });

  const week = [...enterpriseTrace({ ...ENTERPRISE_DEFAULTS, seed: 1, engineers: 200 })];

  test('enterprise: the same seed gives the same trace; in time order; about 25 dispatches an engineer a working day', () => {
    expect([...enterpriseTrace({ ...ENTERPRISE_DEFAULTS, seed: 1, engineers: 200 })]).toEqual(week);
    expect(inOrder(week)).toBe(true);
    // 7 million a year for 1,000 engineers (issue 18): 134,000 a week, 26.9 an engineer a working day.
    expect(week.length / (200 * 5)).toBeGreaterThan(20);
    expect(week.length / (200 * 5)).toBeLessThan(32);
  });

  test('enterprise: the agent mix, quiet weekends, offices around the clock and CI fan-outs', () => {
    const share = (agent: string) => week.filter((dispatch) => dispatch.agent === agent).length / week.length;
    expect(share('claude')).toBeGreaterThan(0.3);
    expect(share('grok')).toBeGreaterThan(0.05);
    const day = (index: number) => week.filter((dispatch) => Math.floor((dispatch.at - ENTERPRISE_DEFAULTS.start) / 86_400_000) === index).length;
    // Sunday in UTC is still Monday morning in Singapore by its end: quiet, not empty.
    expect(day(6)).toBeLessThan(0.2 * day(2));
    const byHour = new Array<number>(24).fill(0);
    week.forEach((dispatch) => byHour[new Date(dispatch.at).getUTCHours()]++);
    expect(Math.min(...byHour)).toBeGreaterThan(0.05 * Math.max(...byHour));
    const perMinute = new Map<string, number>();
    week.forEach((dispatch) => perMinute.set(`${dispatch.agent}@${Math.floor(dispatch.at / 60_000)}`, (perMinute.get(`${dispatch.agent}@${Math.floor(dispatch.at / 60_000)}`) ?? 0) + 1));
    expect(Math.max(...perMinute.values())).toBeGreaterThanOrEqual(10);
  });

  test('enterprise streams: a year of 1,000 engineers gives its first dispatches without generating the rest', () => {
    const year = enterpriseTrace({ ...ENTERPRISE_DEFAULTS, seed: 1, engineers: 1000, weeks: 52 });
    const started = Date.now();
    const first = Array.from({ length: 10 }, () => year.next().value);
    expect(first.every((dispatch) => dispatch && dispatch.at < ENTERPRISE_DEFAULTS.start + 86_400_000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

import type { Comparison, PolicyName } from '../../runtime/core/pool/simulator/compare';
import { percentile } from '../../runtime/core/pool/simulator/summary';
import type { TraceDispatch } from '../../runtime/core/pool/simulator/trace';

const WIDTH = 1000;
const PANEL_HEIGHT = 170;
const GAP = 50;
const LEFT = 60;
const RIGHT = 20;
const TOP = 40;
const PLOT_WIDTH = WIDTH - LEFT - RIGHT;

const COLOURS: Record<PolicyName, string> = {
  'none': '#9e9e9e',
  'fixed': '#1f77b4',
  'original-rule': '#d62728',
  'default': '#2ca02c',
  'oracle': '#9467bd',
};

/** Policies whose pool is drawn: none keeps no pool and the oracle has no standing one. */
const POOL_LINES: readonly PolicyName[] = ['fixed', 'original-rule', 'default'];
const WAIT_LINES: readonly PolicyName[] = ['none', 'fixed', 'original-rule', 'default'];

interface Panel {
  readonly title: string;
  readonly top: number;
  readonly max: number;
}

/**
 * An SVG of one comparison over time, in buckets of an hour (15 minutes for a trace of a day and a half or
 * less): dispatches per bucket, each policy's mean pool (idle and starting workers), and the p95 wait of the
 * dispatches arriving in the bucket (the line breaks where none arrived).
 */
export function comparisonChart(trace: readonly TraceDispatch[], comparison: Comparison, title: string): string {
  const from = trace[0].at;
  const to = trace[trace.length - 1].at;
  const bucketMs = to - from <= 36 * 3_600_000 ? 15 * 60_000 : 60 * 60_000;
  const start = Math.floor(from / bucketMs) * bucketMs;
  const buckets = Math.floor((to - start) / bucketMs) + 1;
  const bucketOf = (at: number) => Math.floor((at - start) / bucketMs);
  const x = (bucket: number) => LEFT + ((bucket + 0.5) / buckets) * PLOT_WIDTH;

  const demand = new Array<number>(buckets).fill(0);
  trace.forEach((dispatch) => demand[bucketOf(dispatch.at)]++);
  const pools = POOL_LINES.map((name) => meanPool(comparison, name, buckets, bucketOf));
  const waits = WAIT_LINES.map((name) => p95Waits(comparison, name, buckets, bucketOf));

  const panels: Panel[] = [
    { title: `dispatches per ${bucketMs / 60_000} min`, top: TOP, max: niceMax(Math.max(...demand)) },
    { title: 'pool: idle + starting workers (mean)', top: TOP + PANEL_HEIGHT + GAP, max: niceMax(Math.max(1, ...pools.flat())) },
    { title: 'wait p95, seconds', top: TOP + 2 * (PANEL_HEIGHT + GAP), max: niceMax(Math.max(1, ...waits.flat().map((wait) => wait ?? 0))) },
  ];
  const y = (panel: Panel, value: number) => panel.top + PANEL_HEIGHT - (value / panel.max) * PANEL_HEIGHT;
  const barWidth = Math.max(1, PLOT_WIDTH / buckets - 1);

  const parts = [
    `<text x="${LEFT}" y="20" font-size="15" font-weight="bold">${escapeText(title)}</text>`,
    legend(),
    ...panels.map((panel) => axes(panel, start, bucketMs, buckets)),
    ...demand.map((count, bucket) => `<rect x="${(x(bucket) - barWidth / 2).toFixed(1)}" y="${y(panels[0], count).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(PANEL_HEIGHT + panels[0].top - y(panels[0], count)).toFixed(1)}" fill="#7f7f7f"/>`),
    ...pools.map((series, index) => line(series, COLOURS[POOL_LINES[index]], x, (value) => y(panels[1], value))),
    ...waits.map((series, index) => line(series, COLOURS[WAIT_LINES[index]], x, (value) => y(panels[2], value))),
  ];
  const height = TOP + 3 * PANEL_HEIGHT + 2 * GAP + 40;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}

function meanPool(comparison: Comparison, name: PolicyName, buckets: number, bucketOf: (at: number) => number): number[] {
  const sums = new Array<number>(buckets).fill(0);
  const counts = new Array<number>(buckets).fill(0);
  for (const sample of comparison.runs[name].samples) {
    const bucket = bucketOf(sample.at);
    if (bucket >= 0 && bucket < buckets) {
      sums[bucket] += sample.idle + sample.starting;
      counts[bucket]++;
    }
  }
  return sums.map((sum, bucket) => (counts[bucket] ? sum / counts[bucket] : 0));
}

/** The p95 wait of each bucket's dispatches; undefined where none arrived, so the line breaks there. */
function p95Waits(comparison: Comparison, name: PolicyName, buckets: number, bucketOf: (at: number) => number): Array<number | undefined> {
  const waits = Array.from({ length: buckets }, () => [] as number[]);
  for (const dispatch of comparison.runs[name].dispatches) {
    if (dispatch.waitSeconds !== undefined) {
      waits[bucketOf(dispatch.at)].push(dispatch.waitSeconds);
    }
  }
  return waits.map((bucket) => (bucket.length ? percentile(bucket.sort((a, b) => a - b), 0.95) : undefined));
}

/** One polyline per run of defined values. */
function line(series: ReadonlyArray<number | undefined>, colour: string, x: (bucket: number) => number, y: (value: number) => number): string {
  const runs: string[][] = [[]];
  series.forEach((value, bucket) => {
    if (value === undefined) {
      runs.push([]);
    } else {
      runs[runs.length - 1].push(`${x(bucket).toFixed(1)},${y(value).toFixed(1)}`);
    }
  });
  return runs
    .filter((points) => points.length > 0)
    .map((points) => `<polyline points="${points.join(' ')}" fill="none" stroke="${colour}" stroke-width="1.5"/>`)
    .join('\n');
}

function axes(panel: Panel, start: number, bucketMs: number, buckets: number): string {
  const bottom = panel.top + PANEL_HEIGHT;
  const marks = [`<text x="${LEFT}" y="${panel.top - 8}" font-weight="bold">${escapeText(panel.title)}</text>`];
  for (const fraction of [0, 0.5, 1]) {
    const level = panel.top + PANEL_HEIGHT * (1 - fraction);
    marks.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${level}" y2="${level}" stroke="#e0e0e0"/>`);
    marks.push(`<text x="${LEFT - 6}" y="${level + 4}" text-anchor="end">${formatNumber(panel.max * fraction)}</text>`);
  }
  const dayMs = 86_400_000;
  const span = buckets * bucketMs;
  for (let day = Math.ceil(start / dayMs) * dayMs; day <= start + span; day += dayMs) {
    const at = LEFT + ((day - start) / span) * PLOT_WIDTH;
    marks.push(`<line x1="${at.toFixed(1)}" x2="${at.toFixed(1)}" y1="${panel.top}" y2="${bottom}" stroke="#c0c0c0" stroke-dasharray="3,3"/>`);
    marks.push(`<text x="${at.toFixed(1)}" y="${bottom + 14}" text-anchor="middle">${new Date(day).toISOString().slice(0, 10)}</text>`);
  }
  marks.push(`<line x1="${LEFT}" x2="${LEFT}" y1="${panel.top}" y2="${bottom}" stroke="black"/>`);
  return marks.join('\n');
}

function legend(): string {
  return (Object.entries(COLOURS) as Array<[PolicyName, string]>)
    .filter(([name]) => name !== 'oracle')
    .map(([name, colour], index) => {
      const at = WIDTH - RIGHT - 470 + index * 120;
      return `<line x1="${at}" x2="${at + 18}" y1="16" y2="16" stroke="${colour}" stroke-width="3"/><text x="${at + 22}" y="20">${escapeText(name)}</text>`;
    })
    .join('\n');
}

/** The axis top: 1, 2 or 5 times a power of ten, at or above `value`. */
function niceMax(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= value) ?? value;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

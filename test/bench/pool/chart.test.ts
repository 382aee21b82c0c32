import { comparisonChart } from '../../../bench/pool/chart';
import { generateTrace } from '../../../bench/pool/generators';
import { comparePolicies } from '../../../runtime/core/pool/simulator/compare';

describe('comparisonChart', () => {
  test('an SVG with demand bars, pool lines and wait lines, all numbers finite', () => {
    const trace = generateTrace('steady', 2).slice(0, 200);
    const svg = comparisonChart(trace, comparePolicies(trace), 'steady <sample> & co');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('steady &lt;sample&gt; &amp; co');
    // The pool lines are whole; the wait lines break at buckets no dispatch arrived in.
    expect(svg.match(/<polyline [^>]*stroke="#2ca02c"/g)!.length).toBeGreaterThanOrEqual(2);
    expect(svg.match(/<polyline [^>]*stroke="#1f77b4"/g)!.length).toBeGreaterThanOrEqual(2);
    expect(svg.match(/<polyline [^>]*stroke="#9e9e9e"/g)!.length).toBeGreaterThanOrEqual(1);
    expect(svg.match(/<rect /g)!.length).toBeGreaterThan(10);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });
});

describe('comparisonChart with gaps', () => {
  test('a wait line breaks over hours without dispatches rather than drawing a zero wait', () => {
    const at = Date.parse('2026-03-02T08:00:00Z');
    const trace = [{ at, agent: 'claude', durationSeconds: 300 }, { at: at + 5 * 3_600_000, agent: 'claude', durationSeconds: 300 }];
    const svg = comparisonChart(trace, comparePolicies(trace), 'two dispatches');
    // `none` draws no pool line: its two grey polylines are the waits of the two buckets that had a dispatch.
    const grey = svg.match(/<polyline points="([^"]*)"[^>]*stroke="#9e9e9e"/g)!;
    expect(grey).toHaveLength(2);
    expect(grey.every((polyline) => !/ \d/.test(polyline.split('"')[1]))).toBe(true);
  });
});

import { comparisonChart } from '../../../bench/pool/chart';
import { comparePolicies } from '../../../bench/pool/compare';
import { generateTrace } from '../../../bench/pool/generators';

describe('comparisonChart', () => {
  test('an SVG with demand bars, a pool line per pooling policy and a wait line per policy, all numbers finite', () => {
    const trace = generateTrace('steady', 2).slice(0, 200);
    const svg = comparisonChart(trace, comparePolicies(trace), 'steady <sample> & co');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('steady &lt;sample&gt; &amp; co');
    expect(svg.match(/<polyline /g)).toHaveLength(3 + 4);
    expect(svg.match(/<rect /g)!.length).toBeGreaterThan(10);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });
});

import type { PolicyName } from '../../runtime/core/pool/simulator/compare';
import type { PolicySummary } from '../../runtime/core/pool/simulator/summary';

const COLUMNS: ReadonlyArray<readonly [heading: string, cell: (summary: PolicySummary) => string]> = [
  ['warm', (s) => `${(s.warmRatio * 100).toFixed(1)}%`],
  ['wait p50 s', (s) => s.waitP50Seconds.toFixed(1)],
  ['wait p95 s', (s) => s.waitP95Seconds.toFixed(1)],
  ['wait p99 s', (s) => s.waitP99Seconds.toFixed(1)],
  ['idle worker-h', (s) => s.idleWorkerHours.toFixed(1)],
  ['busy worker-h', (s) => s.busyWorkerHours.toFixed(1)],
  ['cost $', (s) => s.costUsd.toFixed(2)],
  ['tasks', (s) => String(s.tasksStarted)],
  ['failed starts', (s) => String(s.failedStarts)],
];

function rows(policies: Record<PolicyName, PolicySummary>): string[][] {
  return Object.entries(policies).map(([name, summary]) => [name, ...COLUMNS.map(([, cell]) => cell(summary))]);
}

const HEADINGS = ['policy', ...COLUMNS.map(([heading]) => heading)];

export function markdownTable(policies: Record<PolicyName, PolicySummary>): string {
  const lines = [HEADINGS, HEADINGS.map(() => '---'), ...rows(policies)];
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export function textTable(policies: Record<PolicyName, PolicySummary>): string {
  const lines = [HEADINGS, ...rows(policies)];
  const widths = HEADINGS.map((_, column) => Math.max(...lines.map((cells) => cells[column].length)));
  return lines.map((cells) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')).join('\n');
}

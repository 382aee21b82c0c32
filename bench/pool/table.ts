import type { CostedResult } from '../../runtime/core/pool/simulator/cost';
import type { PolicySummary } from '../../runtime/core/pool/simulator/summary';

/** A policy's summary with what it costs, as the tables print it. */
export type CostedSummary = PolicySummary & CostedResult;

const COLUMNS: ReadonlyArray<readonly [heading: string, cell: (summary: CostedSummary) => string]> = [
  ['warm', (s) => `${(s.warmRatio * 100).toFixed(1)}%`],
  ['wait p50 s', (s) => s.waitP50Seconds.toFixed(1)],
  ['wait p95 s', (s) => s.waitP95Seconds.toFixed(1)],
  ['wait p99 s', (s) => s.waitP99Seconds.toFixed(1)],
  ['idle worker-h', (s) => s.idleWorkerHours.toFixed(1)],
  ['busy worker-h', (s) => s.busyWorkerHours.toFixed(1)],
  ['cost $', (s) => s.costUsd.toFixed(2)],
  ['wait h', (s) => s.waitHours.toFixed(2)],
  ['total $', (s) => s.totalCostUsd.toFixed(2)],
  ['tasks', (s) => String(s.tasksStarted)],
  ['failed starts', (s) => String(s.failedStarts)],
];

function rows(policies: Record<string, CostedSummary>): string[][] {
  return Object.entries(policies).map(([name, summary]) => [name, ...COLUMNS.map(([, cell]) => cell(summary))]);
}

const HEADINGS = ['policy', ...COLUMNS.map(([heading]) => heading)];

export function markdownTable(policies: Record<string, CostedSummary>): string {
  return markdownRows([HEADINGS, HEADINGS.map(() => '---'), ...rows(policies)]);
}

export function textTable(policies: Record<string, CostedSummary>): string {
  return alignedRows([HEADINGS, ...rows(policies)]);
}

/** Rows of cells as a Markdown table, the first row its heading. */
export function markdownRows(lines: readonly (readonly string[])[]): string {
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Rows of cells in columns: the first left-aligned, the rest right-aligned. */
export function alignedRows(lines: readonly (readonly string[])[]): string {
  const widths = lines[0].map((_, column) => Math.max(...lines.map((cells) => cells[column].length)));
  return lines.map((cells) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')).join('\n');
}

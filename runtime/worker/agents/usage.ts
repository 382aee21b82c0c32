import type { TokenUsage } from './types';

/** The total of several reports (turns, models, model calls), or null when the CLI reported none. */
export function sumUsage(reports: readonly TokenUsage[]): TokenUsage | null {
  if (reports.length === 0) {
    return null;
  }
  return reports.reduce((total, report) => ({
    input: total.input + report.input,
    output: total.output + report.output,
    cached: total.cached + report.cached,
  }));
}

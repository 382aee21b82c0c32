import type { ModelUsage, TokenUsage } from '../../contracts/token-usage';

/** The total of several reports (turns, models, model calls), or null when the CLI reported none. */
export function sumUsage(reports: readonly TokenUsage[]): Required<TokenUsage> | null {
  if (reports.length === 0) {
    return null;
  }
  return reports.reduce<Required<TokenUsage>>((total, report) => ({
    input: total.input + report.input,
    output: total.output + report.output,
    cached: total.cached + report.cached,
    cacheWrite: total.cacheWrite + (report.cacheWrite ?? 0),
  }), { input: 0, output: 0, cached: 0, cacheWrite: 0 });
}

/** Reports merged per model, in the order each model was first seen; null when there are none. */
export function usageByModel(reports: readonly ModelUsage[]): ModelUsage[] | null {
  if (reports.length === 0) {
    return null;
  }
  const models = new Map<string, ModelUsage>();
  for (const report of reports) {
    const total = sumUsage([models.get(report.model), report].filter((usage): usage is ModelUsage => usage !== undefined))!;
    models.set(report.model, { model: report.model, ...total });
  }
  return [...models.values()];
}

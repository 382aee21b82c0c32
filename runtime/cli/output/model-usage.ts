import type { DispatchView } from '../../core/dispatch/dispatch';

const COUNT = new Intl.NumberFormat('en-US');

/**
 * A line for each model that ran: its tokens (cache reads and writes are part of the input) and, once the ledger
 * has priced the run, what they cost. A result from a worker before per-model usage has only the run's total,
 * shown as the model the dispatch asked for, as the ledger prices it.
 */
export function modelUsageLines(view: DispatchView): string[] {
  const result = view.result;
  const usages = result?.modelUsage
    ?? (result?.tokenUsage ? [{ model: view.model ?? 'the requested model', ...result.tokenUsage }] : []);
  const priced = view.cost?.models ?? [];
  return usages.map((usage, index) => {
    const caching = [
      usage.cached > 0 && `${COUNT.format(usage.cached)} cached`,
      (usage.cacheWrite ?? 0) > 0 && `${COUNT.format(usage.cacheWrite ?? 0)} written to cache`,
    ].filter(Boolean);
    const input = `${COUNT.format(usage.input)} in${caching.length > 0 ? ` (${caching.join(', ')})` : ''}`;
    // The ledger lists the models in the result's order, named as the result names them.
    const cost = priced[index]?.model === usage.model ? `, ~$${priced[index].usd.toFixed(4)}` : '';
    return `${usage.model}: ${input}, ${COUNT.format(usage.output)} out${cost}`;
  });
}

import type { DispatchView } from '../../core/dispatch/dispatch';
import { BUDGET_EXCEEDED } from '../../core/tasks/run-outcome';

/** Dollars as people write them: `$2.50`, `$0.125`, `$40`. */
export function formatUsd(usd: number): string {
  return Number.isInteger(usd) ? `$${usd}` : `$${usd.toFixed(Math.max(2, Math.min(6, decimals(usd))))}`;
}

function decimals(value: number): number {
  return value.toString().split('.')[1]?.length ?? 0;
}

/** The dispatch's `statusReason`, with what a budget stop means in words. */
export function reasonText(view: DispatchView): string | undefined {
  if (view.statusReason === BUDGET_EXCEEDED) {
    const limit = view.maxCostUsd === undefined ? 'its budget' : `its budget of ${formatUsd(view.maxCostUsd)}`;
    return `${BUDGET_EXCEEDED}: the run's models reached ${limit}; the work done so far was pushed`;
  }
  return view.statusReason;
}

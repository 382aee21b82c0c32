import { Token } from 'aws-cdk-lib';
import { DispatchBudgetOptions } from './dispatch-budget';
import { requireProp } from '../core/validation';

/** The most any budget may be, as `POST /dispatch` bounds `maxCostUsd` (runtime/core/dispatch/request.ts). */
const MAX_COST_USD = 100_000;

/** The budget settings as OUTPOST_CONFIG carries them (runtime/core/dispatch/budget.ts), after checking them at synth. */
export function budgetConfig(owner: string, options: DispatchBudgetOptions): DispatchBudgetOptions | undefined {
  const { defaultMaxCostUsd, maxCostUsdLimit } = options;
  const known = (value: number | undefined): value is number => value !== undefined && !Token.isUnresolved(value);
  for (const [prop, value] of [['defaultMaxCostUsd', defaultMaxCostUsd], ['maxCostUsdLimit', maxCostUsdLimit]] as const) {
    if (known(value)) {
      requireProp(Number.isFinite(value) && value > 0 && value <= MAX_COST_USD, owner, prop, `must be more than 0 and at most ${MAX_COST_USD} USD, got ${value}`,
        'Give the limit in US dollars, e.g. 5, or leave it out for none.');
    }
  }
  if (known(defaultMaxCostUsd) && known(maxCostUsdLimit)) {
    requireProp(defaultMaxCostUsd <= maxCostUsdLimit, owner, 'defaultMaxCostUsd', `is ${defaultMaxCostUsd} USD, above \`maxCostUsdLimit\` (${maxCostUsdLimit} USD), which no dispatch may exceed`,
      'Lower `defaultMaxCostUsd` to at most `maxCostUsdLimit`, or raise the limit.');
  }
  if (defaultMaxCostUsd === undefined && maxCostUsdLimit === undefined) {
    return undefined;
  }
  return { ...(defaultMaxCostUsd !== undefined && { defaultMaxCostUsd }), ...(maxCostUsdLimit !== undefined && { maxCostUsdLimit }) };
}

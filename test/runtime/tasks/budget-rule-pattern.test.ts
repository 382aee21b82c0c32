import { deliveredTransition, documentedPattern } from './delivered-transition';
import { BUDGET_EXCEEDED, SPOT_INTERRUPTED } from '../../../runtime/core/tasks/run-outcome';
import { matchEventPatterns } from '../../support/event-pattern-matcher';

/** The rule docs/costs.md gives for runs stopped by their budget. */
const DOCUMENTED_PATTERN = documentedPattern('costs.md', 'Match runs stopped by their budget');

test('the documented rule matches a budget-stopped run\'s event, and neither a Spot reclaim, another failure nor a success', () => {
  expect(matchEventPatterns([
    { pattern: DOCUMENTED_PATTERN, event: deliveredTransition('FAILED', BUDGET_EXCEEDED) },
    { pattern: DOCUMENTED_PATTERN, event: deliveredTransition('FAILED', SPOT_INTERRUPTED) },
    { pattern: DOCUMENTED_PATTERN, event: deliveredTransition('FAILED', 'git push failed') },
    { pattern: DOCUMENTED_PATTERN, event: deliveredTransition('COMPLETED', BUDGET_EXCEEDED) },
  ])).toEqual([true, false, false, false]);
});

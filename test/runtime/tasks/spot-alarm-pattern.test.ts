import { deliveredTransition as delivered, documentedPattern } from './delivered-transition';
import { SPOT_INTERRUPTED } from '../../../runtime/core/tasks/run-outcome';
import { matchEventPatterns } from '../../support/event-pattern-matcher';

/** The rule docs/pool.md gives operators for reclaimed runs. */
const DOCUMENTED_PATTERN = documentedPattern('pool.md', 'Alarm on reclaimed runs');

test('the documented rule matches a reclaimed run\'s event, and neither a cancel nor another failure', () => {
  expect(matchEventPatterns([
    { pattern: DOCUMENTED_PATTERN, event: delivered('FAILED', SPOT_INTERRUPTED) },
    { pattern: DOCUMENTED_PATTERN, event: delivered('CANCELLED', 'cancelled by arn:aws:sts::123456789012:assumed-role/Dev/alice') },
    { pattern: DOCUMENTED_PATTERN, event: delivered('FAILED', 'git push failed') },
  ])).toEqual([true, false, false]);
});

import * as fs from 'fs';
import * as path from 'path';
import { eventEntry, type DispatchTransitionEvent } from '../../../runtime/core/dispatch/events';
import { streamTransitions } from '../../../runtime/core/outbox/stream-transition';
import { SPOT_INTERRUPTED } from '../../../runtime/core/tasks/run-outcome';
import { matchEventPatterns } from '../../support/event-pattern-matcher';
import { ALICE } from '../dispatch/support/dispatches';
import { streamRecord } from '../outbox/stream-records';

/** The rule docs/pool.md gives operators for reclaimed runs: the first JSON block after "Alarm on reclaimed runs". */
const DOCUMENTED_PATTERN = (() => {
  const docs = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'pool.md'), 'utf8');
  const block = /Alarm on reclaimed runs[^]*?```json\n([^]*?)```/.exec(docs);
  if (!block) {
    throw new Error('docs/pool.md no longer gives the rule for reclaimed runs after "Alarm on reclaimed runs"');
  }
  return JSON.parse(block[1]);
})();

/** The event EventBridge delivers for a RUNNING dispatch's change to `to` with `statusReason`, as the outbox publishes it. */
function delivered(to: string, statusReason: string): unknown {
  const before = { id: '01JD3V4N6Q8W2X5Y7Z9A1B3C4D', agent: 'claude', requester: ALICE, status: 'RUNNING', createdAt: '2026-12-07T10:00:00.000Z' };
  const after = { ...before, status: to, statusReason, updatedAt: '2026-12-07T10:20:00.000Z' };
  const [transition] = streamTransitions(streamRecord('MODIFY', before, after));
  const entry = eventEntry(transition as DispatchTransitionEvent);
  // The envelope EventBridge puts around a PutEvents entry (its "Amazon EventBridge events" reference).
  return {
    'version': '0',
    'id': '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': entry.DetailType,
    'source': entry.Source,
    'account': '123456789012',
    'time': entry.Time.toISOString(),
    'region': 'us-east-1',
    'resources': [],
    'detail': JSON.parse(entry.Detail),
  };
}

test('the documented rule matches a reclaimed run\'s event, and neither a cancel nor another failure', () => {
  expect(matchEventPatterns([
    { pattern: DOCUMENTED_PATTERN, event: delivered('FAILED', SPOT_INTERRUPTED) },
    { pattern: DOCUMENTED_PATTERN, event: delivered('CANCELLED', 'cancelled by arn:aws:sts::123456789012:assumed-role/Dev/alice') },
    { pattern: DOCUMENTED_PATTERN, event: delivered('FAILED', 'git push failed') },
  ])).toEqual([true, false, false]);
});

import * as fs from 'fs';
import * as path from 'path';
import { eventEntry, type DispatchTransitionEvent } from '../../../runtime/core/dispatch/events';
import { streamTransitions } from '../../../runtime/core/outbox/stream-transition';
import { ALICE } from '../dispatch/support/dispatches';
import { streamChangeOf } from '../outbox/stream-records';

/** The event EventBridge delivers for a RUNNING dispatch's change to `to` with `statusReason`, as the outbox publishes it. */
export function deliveredTransition(to: string, statusReason: string): unknown {
  const before = { id: '01JD3V4N6Q8W2X5Y7Z9A1B3C4D', agent: 'claude', requester: ALICE, status: 'RUNNING', createdAt: '2026-12-07T10:00:00.000Z' };
  const after = { ...before, status: to, statusReason, updatedAt: '2026-12-07T10:20:00.000Z' };
  const [transition] = streamTransitions(streamChangeOf('MODIFY', before, after));
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

/** The first JSON block after `heading` in docs/`file`: a rule the docs give operators. */
export function documentedPattern(file: string, heading: string): unknown {
  const docs = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', file), 'utf8');
  const escaped = heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const block = new RegExp(`${escaped}[^]*?\`\`\`json\\n([^]*?)\`\`\``).exec(docs);
  if (!block) {
    throw new Error(`docs/${file} no longer gives a rule (a json block) after "${heading}"`);
  }
  return JSON.parse(block[1]);
}

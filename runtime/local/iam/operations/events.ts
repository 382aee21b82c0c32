import { arnOf, UnknownOperation, type ArnContext } from './operation';
import type { Authorization } from '../policy/policy-document';

/** Amazon EventBridge (AWS JSON 1.1, `AWSEvents.PutEvents`): each entry on its bus, with `events:source` and `events:detail-type`. */
export function eventsAuthorizations(operation: string, input: Record<string, any>, context: ArnContext): Authorization[] {
  if (operation !== 'PutEvents') {
    throw new UnknownOperation('json-1.1', `events:${operation}`);
  }
  return (input.Entries as Array<Record<string, string>> ?? []).map((entry) => ({
    action: 'events:PutEvents',
    resource: arnOf(context, 'events', 'event-bus/', entry.EventBusName ?? 'default'),
    context: { 'events:source': entry.Source ?? '', 'events:detail-type': entry.DetailType ?? '' },
  }));
}

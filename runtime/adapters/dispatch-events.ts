import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { eventEntry, type DispatchTransitionEvent, type EventEntry } from '../core/dispatch/events';

/** PutEvents accepted the request but not the entry (throttled, or refused by the bus). */
export class EventPublishError extends Error {
  public readonly name = 'EventPublishError';

  constructor(public readonly code: string, message: string) {
    super(`PutEvents refused the event: ${code}: ${message}`);
  }
}

/** Publishes dispatch state changes (and the platform's other events) on the platform's event bus. */
export class DispatchEvents {
  constructor(private readonly client: EventBridgeClient, private readonly busName: string) {}

  public async publish(event: DispatchTransitionEvent): Promise<void> {
    return this.publishEntry(eventEntry(event));
  }

  public async publishEntry(item: EventEntry): Promise<void> {
    const response = await this.client.send(new PutEventsCommand({ Entries: [{ ...item, EventBusName: this.busName }] }));
    // PutEvents answers 200 even when an entry failed: the failure is only in the entry.
    if ((response.FailedEntryCount ?? 0) > 0) {
      const failed = response.Entries?.find((entry) => entry.ErrorCode !== undefined);
      throw new EventPublishError(failed?.ErrorCode ?? 'Unknown', failed?.ErrorMessage ?? 'no reason given');
    }
  }
}

import type { DispatchStatus } from './states';
import type { AgentName } from '../../contracts/agent-names';

export const DISPATCH_EVENT_SOURCE = 'outpost.dispatch';
export const DISPATCH_STATE_CHANGE = 'Dispatch State Change';

/** The detail of a `Dispatch State Change` event: enough to route on (agent, requester, to) without a read. */
export interface DispatchTransitionEvent {
  readonly dispatchId: string;
  readonly agent: AgentName;
  readonly requester: string;
  readonly from: DispatchStatus;
  readonly to: DispatchStatus;
  /** ISO-8601 time of the transition, the same as the dispatch's `updatedAt`. */
  readonly at: string;
  readonly reason?: string;
}

/** A PutEvents entry without its bus, which the adapter adds. Shaped like the SDK's so core imports no AWS code. */
export interface EventEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly Time: Date;
}

/** An audit record as its writer gives it; the audit log adds `eventId` (a ULID) and `expiresAt`. */
export interface AuditRecord {
  /** What it is about: `dispatch#<id>`, `workspace#<name>`… (the audit table's partition key). */
  readonly entity: string;
  readonly at: string;
  readonly type: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

export function eventEntry(event: DispatchTransitionEvent): EventEntry {
  return { Source: DISPATCH_EVENT_SOURCE, DetailType: DISPATCH_STATE_CHANGE, Detail: JSON.stringify(event), Time: new Date(event.at) };
}

export function transitionAuditRecord(event: DispatchTransitionEvent): AuditRecord {
  const { dispatchId, at, ...detail } = event;
  return { entity: `dispatch#${dispatchId}`, at, type: DISPATCH_STATE_CHANGE, detail };
}

import type { DynamoDBRecord } from 'aws-lambda';
import type { AuditLog } from '../adapters/audit-log';
import type { DispatchEvents } from '../adapters/dispatch-events';
import { streamChange } from '../adapters/stream-change';
import type { WorkspaceRepository } from '../adapters/workspace-repository';
import { transitionAuditRecord, type DispatchTransitionEvent } from '../core/dispatch/events';
import type { MetricPoint } from '../core/metrics/metric-point';
import { dispatchMetrics } from '../core/outbox/dispatch-metrics';
import { streamDispatchId, streamTransitions } from '../core/outbox/stream-transition';
import { releasedWithoutTask } from '../core/workspaces/release';

export interface OutboxDeps {
  readonly events: Pick<DispatchEvents, 'publish'>;
  readonly audit: Pick<AuditLog, 'append'>;
  /** Undefined on a platform without persistent workspaces. */
  readonly workspaces?: Pick<WorkspaceRepository, 'release'>;
  /** Publishes metric points (embedded metric format), each line carrying the dispatch's id. */
  readonly publishMetrics: (points: readonly MetricPoint[], dispatchId: string | undefined) => void;
  /** Told of each transition once it is published and audited, for the log. */
  readonly moved: (transition: DispatchTransitionEvent) => void;
}

/**
 * One record of the dispatches table's stream through the outbox: a persistent dispatch that ended without a
 * task gives back its workspace; every status change is published on the platform bus, appended to the audit
 * table, then counted. Throws on the first failure, so the stream retries the record.
 */
export async function relayTransitions(deps: OutboxDeps, record: DynamoDBRecord): Promise<void> {
  const change = streamChange(record);
  // First: a failure retries the record, and a release repeated is a no-op, a publication is not.
  const release = deps.workspaces && releasedWithoutTask(change);
  if (release) {
    await deps.workspaces!.release(release.requester, release.name, release.dispatchId);
  }
  for (const transition of streamTransitions(change)) {
    const detail = transition as DispatchTransitionEvent;
    await deps.events.publish(detail);
    await deps.audit.append(transitionAuditRecord(detail));
    deps.moved(detail);
  }
  // Counted once the record is through: a record retried after a failure is not counted twice.
  deps.publishMetrics(dispatchMetrics(change), streamDispatchId(change));
}

/** The dispatch a record of the dispatches table's stream is about, for the log's correlation id. */
export function recordDispatchId(record: DynamoDBRecord): string | undefined {
  return streamDispatchId(streamChange(record));
}

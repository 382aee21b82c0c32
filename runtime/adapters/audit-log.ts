import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import type { AuditRecord } from '../core/dispatch/events';

/**
 * The append-only `audit` table. Writers hold PutItem only (`PlatformTables.grantAuditAppend`), and every
 * put is conditional on a fresh key, so history is never overwritten.
 */
export class AuditLog {
  /** Monotonic: two records of one entity in the same millisecond still read back in the order written. */
  private readonly nextEventId = monotonicFactory();

  constructor(private readonly documentClient: DynamoDBDocumentClient, private readonly tableName: string) {}

  /** Appends `record`, expiring a year after it happened; resolves to its `eventId`. */
  public async append(record: AuditRecord): Promise<string> {
    const at = new Date(record.at);
    const eventId = this.nextEventId(at.getTime());
    const expires = new Date(at);
    expires.setUTCFullYear(expires.getUTCFullYear() + 1);
    await this.documentClient.send(new PutCommand({
      TableName: this.tableName,
      Item: { ...record, eventId, expiresAt: Math.floor(expires.getTime() / 1000) },
      ConditionExpression: 'attribute_not_exists(eventId)',
    }));
    return eventId;
  }
}

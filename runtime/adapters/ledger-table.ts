import { QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { cancellationReasons, type UpdateWrite } from './dynamodb-transactions';
import type { DispatchCostEvent } from '../core/ledger/event';
import { ledgerKeys, monthsBetween, sumsOf, type TotalsItem } from '../core/ledger/totals';

/**
 * The ledger table (docs/data-model.md): running totals per day, agent and requester, and a marker per dispatch
 * counted. Each dispatch is counted in one transaction with its marker, so a redelivered event counts nothing.
 */
export class LedgerTable {
  constructor(private readonly client: DynamoDBDocumentClient, private readonly tableName: string) {}

  /** Adds the dispatch's cost to its day's totals; false when it was counted before (its marker exists). */
  public async count(event: DispatchCostEvent, day: string, at: Date): Promise<boolean> {
    const item = { day, agent: event.agent, requester: event.requester };
    const sums = sumsOf(event);
    const add = (key: Record<string, string>): UpdateWrite => ({
      Update: {
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'SET #day = :day, #agent = :agent, #requester = :requester ADD dispatches :dispatches, usd :usd, computeUsd :computeUsd, storageUsd :storageUsd, llmUsd :llmUsd',
        ExpressionAttributeNames: { '#day': 'day', '#agent': 'agent', '#requester': 'requester' },
        ExpressionAttributeValues: {
          ':day': day,
          ':agent': event.agent,
          ':requester': event.requester,
          ':dispatches': sums.dispatches,
          ':usd': sums.usd,
          ':computeUsd': sums.computeUsd,
          ':storageUsd': sums.storageUsd,
          ':llmUsd': sums.llmUsd,
        },
      },
    });
    try {
      await this.client.send(new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...ledgerKeys.marker(event.dispatchId),
                ...item,
                totalUsd: event.totalUsd,
                priceVersion: event.priceVersion,
                countedAt: at.toISOString(),
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          add(ledgerKeys.byRequester(item)),
          add(ledgerKeys.byMonth(item)),
        ],
      }));
      return true;
    } catch (error) {
      if (cancellationReasons(error)[0] === 'ConditionalCheckFailed') {
        return false;
      }
      throw error;
    }
  }

  /** The totals items of the days `from` to `to`: the requester's own, or everyone's without one. */
  public async totals(from: string, to: string, requester?: string): Promise<TotalsItem[]> {
    const partitions = requester === undefined
      ? monthsBetween(from, to).map(ledgerKeys.monthPartition)
      : [ledgerKeys.requesterPartition(requester)];
    const pages = await Promise.all(partitions.map((partition) => this.query(partition, from, to)));
    return pages.flat();
  }

  private async query(partition: string, from: string, to: string): Promise<TotalsItem[]> {
    const range = ledgerKeys.dayRange(from, to);
    const items: TotalsItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.client.send(new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': partition, ':from': range.from, ':to': range.to },
        ExclusiveStartKey: startKey,
      }));
      items.push(...Items.map(totalsItem));
      startKey = LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}

function totalsItem(item: Record<string, unknown>): TotalsItem {
  return {
    day: String(item.day),
    agent: String(item.agent),
    requester: String(item.requester),
    dispatches: Number(item.dispatches ?? 0),
    usd: Number(item.usd ?? 0),
    computeUsd: Number(item.computeUsd ?? 0),
    storageUsd: Number(item.storageUsd ?? 0),
    llmUsd: Number(item.llmUsd ?? 0),
  };
}

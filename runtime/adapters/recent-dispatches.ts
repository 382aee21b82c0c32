import { paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { agentStatusKey } from '../core/dispatch/dispatch';
import { DISPATCH_STATUSES, DispatchStatus } from '../core/dispatch/states';
import type { RecentDispatch } from '../core/pool/scaler/recent-dispatches';
import { firstIdAt } from '../core/pool/scaler/recent-window';

/** Waiting dispatches are read whatever their age: the sweeper resolves them within minutes. */
const WAITING: ReadonlySet<DispatchStatus> = new Set([DispatchStatus.QUEUED, DispatchStatus.STARTING]);

/** An agent's recent dispatches, read from the `byAgentStatus` index one status at a time. */
export class RecentDispatches {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly indexName: string,
  ) {}

  /** The agent's dispatches created since `from` (epoch ms), and every one still waiting to start. */
  public async of(agent: string, from: number): Promise<RecentDispatch[]> {
    const statuses = await Promise.all(DISPATCH_STATUSES.map((status) => this.inStatus(agent, status, WAITING.has(status) ? undefined : from)));
    return statuses.flat();
  }

  private async inStatus(agent: string, status: DispatchStatus, from: number | undefined): Promise<RecentDispatch[]> {
    const dispatches: RecentDispatch[] = [];
    const pages = paginateQuery({ client: this.client }, {
      TableName: this.tableName,
      IndexName: this.indexName,
      KeyConditionExpression: from === undefined ? 'agentStatus = :agentStatus' : 'agentStatus = :agentStatus AND id >= :from',
      ExpressionAttributeValues: { ':agentStatus': agentStatusKey(agent, status), ...(from !== undefined && { ':from': firstIdAt(from) }) },
      ProjectionExpression: 'id, warm, workspace.kind',
    });
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        dispatches.push({ id: String(item.id), status, warm: item.warm as boolean | undefined, persistent: item.workspace?.kind === 'persistent' });
      }
    }
    return dispatches;
  }
}

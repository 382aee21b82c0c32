import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { errorName, type UpdateWrite } from './dynamodb-transactions';
import { claimOrder } from '../core/pool/claim-order';
import { agentState, POOL_WORKER_STATES, PoolWorkerSchema, type NewPoolWorker, type PoolWorker, type PoolWorkerState } from '../core/pool/pool-worker';

/**
 * Idle workers read per query while claiming. Most claims take the first; a small page keeps those cheap,
 * and under contention the claimer pages on instead of re-reading what other claimers already took.
 */
const CLAIM_PAGE_SIZE = 10;

/** What a state change writes besides the state itself. */
interface Change {
  readonly privateIp?: string;
  readonly dispatchId?: string;
  /** Back to the pool: the worker no longer serves a dispatch. */
  readonly clearDispatch?: boolean;
  /** The change applies only while this dispatch holds the worker, so a stale caller cannot undo another's claim. */
  readonly heldBy?: string;
}

/**
 * The `pool` table (docs/control-plane.md, "Items"). Every state change is one conditional write on
 * `agentState`, so concurrent callers cannot both win: the loser gets `null`.
 */
export class PoolRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly indexName: string = 'byAgentState',
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A task RunTask just started. Fails if the task is registered already rather than reset its state. */
  public async register(worker: NewPoolWorker): Promise<PoolWorker> {
    return this.put({ ...worker, state: 'STARTING', agentState: agentState(worker.agent, 'STARTING'), since: this.now().toISOString() });
  }

  /**
   * A task started for one dispatch (a cold start): reserved for it from the start, so that it never looks
   * idle to another dispatch, and `markBusy` applies once it takes the assignment.
   */
  public async registerReserved(worker: NewPoolWorker, dispatchId: string): Promise<PoolWorker> {
    return this.put({ ...worker, dispatchId, state: 'RESERVED', agentState: agentState(worker.agent, 'RESERVED'), since: this.now().toISOString() });
  }

  /** A worker by its task id; undefined for a task that is not (or no longer) the platform's. */
  public async get(taskId: string): Promise<PoolWorker | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { taskId }, ConsistentRead: true }));
    return Item ? PoolWorkerSchema.parse(Item) : undefined;
  }

  /** The worker is healthy and reachable at `privateIp`. */
  public async markIdle(taskId: string, privateIp: string): Promise<PoolWorker | null> {
    return this.transition(taskId, 'STARTING', 'IDLE', { privateIp });
  }

  /**
   * Reserve the agent's longest-idle worker for a dispatch. The index is eventually consistent and other
   * claimers race for the same workers, so each candidate is taken only if it is still idle; `null` when
   * none is.
   */
  public async claimIdle(agent: string, dispatchId: string): Promise<PoolWorker | null> {
    for await (const candidate of this.idleCandidates(agent)) {
      const claimed = await this.update(candidate.taskId, agent, 'IDLE', 'RESERVED', { dispatchId });
      if (claimed) {
        return claimed;
      }
    }
    return null;
  }

  /**
   * The agent's idle workers as the index lists them, a page at a time as the caller goes on, each page in
   * `claimOrder` (the longest idle first). Possibly stale: take one only with `reserveWrite`'s condition (or
   * `claimIdle`).
   */
  public async *idleCandidates(agent: string): AsyncGenerator<PoolWorker> {
    const pages = this.pages({
      TableName: this.tableName,
      IndexName: this.indexName,
      KeyConditionExpression: 'agentState = :idle',
      ExpressionAttributeValues: { ':idle': agentState(agent, 'IDLE') },
      Limit: CLAIM_PAGE_SIZE,
    });
    for await (const page of pages) {
      yield* claimOrder((page.Items ?? []).map((item) => PoolWorkerSchema.parse(item)));
    }
  }

  /** IDLE → RESERVED for `dispatchId`, as a transaction item: the claim, written with the dispatch it serves. */
  public reserveWrite(worker: PoolWorker, dispatchId: string): UpdateWrite {
    return this.stateWrite(worker.taskId, worker.agent, 'IDLE', 'RESERVED', { dispatchId });
  }

  /** RESERVED → BUSY while `dispatchId` holds the worker, as a transaction item: written with the dispatch's start. */
  public busyWrite(worker: PoolWorker, dispatchId: string): UpdateWrite {
    return this.stateWrite(worker.taskId, worker.agent, 'RESERVED', 'BUSY', { heldBy: dispatchId });
  }

  /**
   * Take a worker out of the pool before stopping it, so that no dispatch claims it meanwhile: an idle or
   * starting one the scaler stops, or a reserved one a hand-off gave up on, which the scaler's next run stops.
   * `null` if it is no longer in the state it was read in (a dispatch claimed it first, its task stopped).
   */
  public async markDraining(worker: PoolWorker): Promise<PoolWorker | null> {
    return this.update(worker.taskId, worker.agent, worker.state, 'DRAINING', {});
  }

  /** The hand-off to the worker failed: it is idle again, for another dispatch. */
  public async release(taskId: string, dispatchId: string): Promise<PoolWorker | null> {
    return this.transition(taskId, 'RESERVED', 'IDLE', { clearDispatch: true, heldBy: dispatchId });
  }

  /** The worker accepted the dispatch's assignment. */
  public async markBusy(taskId: string, dispatchId: string): Promise<PoolWorker | null> {
    return this.transition(taskId, 'RESERVED', 'BUSY', { heldBy: dispatchId });
  }

  /** The task stopped. Idempotent. */
  public async remove(taskId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { taskId } }));
  }

  /** Every worker of the agent, in every state, as the index lists them (possibly a moment stale). */
  public async workersOf(agent: string): Promise<PoolWorker[]> {
    const states = await Promise.all(POOL_WORKER_STATES.map(async (state) => {
      const workers: PoolWorker[] = [];
      for await (const page of this.pages(this.stateQuery(agent, state))) {
        workers.push(...(page.Items ?? []).map((item) => PoolWorkerSchema.parse(item)));
      }
      return workers;
    }));
    return states.flat();
  }

  /** How many of the agent's workers are in each state, for sizing the warm pool. */
  public async countByState(agent: string): Promise<Record<PoolWorkerState, number>> {
    const counts = await Promise.all(POOL_WORKER_STATES.map(async (state) => {
      let count = 0;
      for await (const page of this.pages({ ...this.stateQuery(agent, state), Select: 'COUNT' })) {
        count += page.Count ?? 0;
      }
      return [state, count] as const;
    }));
    return Object.fromEntries(counts) as Record<PoolWorkerState, number>;
  }

  private stateQuery(agent: string, state: PoolWorkerState): QueryCommandInput {
    return {
      TableName: this.tableName,
      IndexName: this.indexName,
      KeyConditionExpression: 'agentState = :agentState',
      ExpressionAttributeValues: { ':agentState': agentState(agent, state) },
    };
  }

  private async put(item: PoolWorker): Promise<PoolWorker> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(taskId)' }));
    return item;
  }

  /** A query's pages, oldest `since` first, fetched only as the caller reads on. */
  private async *pages(input: QueryCommandInput): AsyncGenerator<QueryCommandOutput> {
    let exclusiveStartKey: QueryCommandInput['ExclusiveStartKey'];
    do {
      const page = await this.client.send(new QueryCommand({ ...input, ScanIndexForward: true, ExclusiveStartKey: exclusiveStartKey }));
      yield page;
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey);
  }

  private async transition(taskId: string, from: PoolWorkerState, to: PoolWorkerState, change: Change): Promise<PoolWorker | null> {
    // `agentState` names the agent, which the caller does not pass: read it, then let the write's
    // condition catch any change made in between.
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { taskId }, ConsistentRead: true }));
    if (!Item || Item.state !== from) {
      return null;
    }
    return this.update(taskId, String(Item.agent), from, to, change);
  }

  private async update(taskId: string, agent: string, from: PoolWorkerState, to: PoolWorkerState, change: Change): Promise<PoolWorker | null> {
    try {
      const { Attributes } = await this.client.send(new UpdateCommand({ ...this.stateWrite(taskId, agent, from, to, change).Update, ReturnValues: 'ALL_NEW' }));
      return PoolWorkerSchema.parse(Attributes);
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') {
        return null;
      }
      throw error;
    }
  }

  private stateWrite(taskId: string, agent: string, from: PoolWorkerState, to: PoolWorkerState, change: Change): UpdateWrite {
    const set = ['#state = :to', 'agentState = :toAgentState', 'since = :since'];
    const values: Record<string, string> = { ':from': agentState(agent, from), ':to': to, ':toAgentState': agentState(agent, to), ':since': this.now().toISOString() };
    for (const attribute of ['privateIp', 'dispatchId'] as const) {
      if (change[attribute] !== undefined) {
        set.push(`${attribute} = :${attribute}`);
        values[`:${attribute}`] = change[attribute];
      }
    }
    let condition = 'agentState = :from';
    if (change.heldBy !== undefined) {
      condition += ' AND dispatchId = :heldBy';
      values[':heldBy'] = change.heldBy;
    }
    return {
      Update: {
        TableName: this.tableName,
        Key: { taskId },
        ConditionExpression: condition,
        UpdateExpression: `SET ${set.join(', ')}${change.clearDispatch ? ' REMOVE dispatchId' : ''}`,
        // `state` is a reserved word in DynamoDB expressions.
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: values,
      },
    };
  }
}

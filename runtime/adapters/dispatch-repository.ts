import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { cancellationReasons, errorName, type PutWrite, type UpdateWrite } from './dynamodb-transactions';
import { COLD_START_REQUESTED, WORKSPACE_READY } from '../core/dispatch/cold-start-request';
import { agentStatusKey, isDispatchId, type Dispatch, type DispatchCost } from '../core/dispatch/dispatch';
import { DispatchStatus } from '../core/dispatch/states';
import { planTransition, planTransitions, type TransitionDetails, type TransitionPlan, type TransitionStep } from '../core/dispatch/transition';
import type { TaskRun } from '../core/tasks/task-event';

/** The indexes this repository queries, named by the construct (`PlatformIndex`) through the environment. */
export interface DispatchIndexNames {
  /** `requester` → `id` (PlatformIndex.DISPATCHES_BY_REQUESTER). */
  readonly byRequester: string;
  /** `agentStatus` → `id` (PlatformIndex.DISPATCHES_BY_AGENT_STATUS). */
  readonly byAgentStatus: string;
}

export type CreateOutcome =
  | { readonly created: true; readonly dispatch: Dispatch }
  /** The requester used this idempotency key before: the dispatch it created then. */
  | { readonly created: false; readonly dispatch: Dispatch };

/** `createWith`'s outcome: as `create`'s, or nothing written because the other write's condition failed. */
export type CreateWithOutcome = CreateOutcome | { readonly created: false; readonly otherWriteRefused: true };

export type TransitionOutcome =
  | { readonly applied: true; readonly dispatch: Dispatch }
  /** The move is not allowed from `current`, or another writer moved the dispatch first. */
  | { readonly applied: false; readonly current: Dispatch; readonly reason: string };

export interface ListOptions {
  /** 1 to 100, validated by the caller (runtime/core/dispatch/read-request.ts). @default 25 */
  readonly limit?: number;
  /** `cursor` of the previous page. */
  readonly cursor?: string;
}

export interface DispatchPage {
  /** Newest first. */
  readonly items: readonly Dispatch[];
  /** Absent on the last page. */
  readonly cursor?: string;
}

/** A page, or the fact that the cursor is not one this repository returned for this requester: the caller answers it. */
export type ListOutcome = { readonly ok: true; readonly page: DispatchPage } | { readonly ok: false; readonly invalidCursor: true };

/** Two creates racing on one idempotency key can both be cancelled as a conflict; a retry sees the winner. */
const CREATE_ATTEMPTS = 3;
const DEFAULT_LIMIT = 25;
const MAX_CURSOR_LENGTH = 1024;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The `dispatches` table. Every status change is a conditional write on the status and version read
 * before it (docs/control-plane.md), so concurrent writers cannot both apply.
 *
 * The document client must be the plain one (`DynamoDBDocumentClient.from(client)`): items are written as
 * core builds them, which never holds undefined values.
 */
export class DispatchRepository {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly indexNames: DispatchIndexNames,
  ) {}

  /**
   * Writes a new dispatch, and with `idempotencyItemId` (`idempotencyItemId(requester, key)`) the item that
   * binds the key to it, in one transaction: a repeat of the key finds that item and gets the first dispatch.
   */
  public async create(dispatch: Dispatch, idempotencyItemId?: string): Promise<CreateOutcome> {
    if (idempotencyItemId === undefined) {
      await this.documentClient.send(new PutCommand(this.creationWrites(dispatch)[0].Put));
      return { created: true, dispatch };
    }
    return await this.createInTransaction(dispatch, idempotencyItemId) as CreateOutcome;
  }

  /**
   * Creates `dispatch` (as `create` does) in one transaction with `other`, a conditional write on another
   * item: both are written, or neither. A warm start creates the dispatch with its claim on a worker.
   */
  public async createWith(dispatch: Dispatch, idempotencyItemId: string | undefined, other: UpdateWrite): Promise<CreateWithOutcome> {
    return this.createInTransaction(dispatch, idempotencyItemId, other);
  }

  private async createInTransaction(dispatch: Dispatch, idempotencyItemId: string | undefined, other?: UpdateWrite): Promise<CreateWithOutcome> {
    const [putDispatch, putKey] = this.creationWrites(dispatch, idempotencyItemId);
    const items = [putDispatch, ...(putKey ? [putKey] : []), ...(other ? [other] : [])];
    for (let attempt = 1; ; attempt++) {
      try {
        await this.documentClient.send(new TransactWriteCommand({ TransactItems: items }));
        return { created: true, dispatch };
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (putKey && reasons[items.indexOf(putKey)] === 'ConditionalCheckFailed') {
          return { created: false, dispatch: await this.getByIdempotencyItem(idempotencyItemId!) };
        }
        const otherReason = other && reasons[items.indexOf(other)];
        if (otherReason && otherReason !== 'None') {
          // Taken by another writer, or in the middle of being taken: either way not this caller's.
          return { created: false, otherWriteRefused: true };
        }
        if (!reasons.includes('TransactionConflict') || attempt === CREATE_ATTEMPTS) {
          throw error;
        }
      }
    }
  }

  /**
   * The transaction items that create `dispatch`, and with `idempotencyItemId` the item binding the key to
   * it (`idempotencyItemId(requester, key)`): a repeat of the key finds that item and gets the first dispatch.
   * For `create`, and for writers that create a dispatch together with another write.
   */
  public creationWrites(dispatch: Dispatch, idempotencyItemId?: string): [PutWrite, PutWrite?] {
    const putDispatch = { Put: { TableName: this.tableName, Item: dispatch, ConditionExpression: 'attribute_not_exists(id)' } };
    if (idempotencyItemId === undefined) {
      return [putDispatch];
    }
    // No `requester` or `agentStatus` on this item, so that it never shows in either index.
    const putKey = {
      Put: {
        TableName: this.tableName,
        Item: { id: idempotencyItemId, dispatchId: dispatch.id, createdAt: dispatch.createdAt },
        ConditionExpression: 'attribute_not_exists(id)',
      },
    };
    return [putDispatch, putKey];
  }

  /** A dispatch by id; undefined when there is none, or when `id` is not a dispatch id at all. */
  public async get(id: string): Promise<Dispatch | undefined> {
    if (!isDispatchId(id)) {
      return undefined;
    }
    // Strongly consistent: a caller reads its dispatch right after creating it, and a lost race re-reads.
    const { Item } = await this.documentClient.send(new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }));
    return Item as Dispatch | undefined;
  }

  /**
   * A requester's dispatches, newest first, a page at a time. A cursor this repository did not return for this
   * requester is reported as such; what to answer is the caller's (a 400 from runtime/services/read-dispatch.ts).
   */
  public async listByRequester(requester: string, options: ListOptions = {}): Promise<ListOutcome> {
    const limit = options.limit ?? DEFAULT_LIMIT;
    const startKey = options.cursor === undefined ? undefined : decodeCursor(options.cursor, requester);
    if (startKey === null) {
      return { ok: false, invalidCursor: true };
    }
    const { Items = [], LastEvaluatedKey } = await this.documentClient.send(new QueryCommand({
      TableName: this.tableName,
      IndexName: this.indexNames.byRequester,
      KeyConditionExpression: 'requester = :requester',
      ExpressionAttributeValues: { ':requester': requester },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: startKey,
    }));
    const cursor = LastEvaluatedKey && encodeCursor(LastEvaluatedKey);
    return { ok: true, page: { items: Items as Dispatch[], ...(cursor !== undefined && { cursor }) } };
  }

  /**
   * Every dispatch of `agent` in `status`, oldest first, for the sweeper and fleet health. Read from an
   * index, so a dispatch that has just moved may still be listed: act on it with a conditional transition.
   */
  public async listByAgentStatus(agent: string, status: DispatchStatus): Promise<Dispatch[]> {
    const dispatches: Dispatch[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.documentClient.send(new QueryCommand({
        TableName: this.tableName,
        IndexName: this.indexNames.byAgentStatus,
        KeyConditionExpression: 'agentStatus = :agentStatus',
        ExpressionAttributeValues: { ':agentStatus': agentStatusKey(agent, status) },
        ExclusiveStartKey: startKey,
      }));
      dispatches.push(...Items as Dispatch[]);
      startKey = LastEvaluatedKey;
    } while (startKey);
    return dispatches;
  }

  /**
   * Moves `dispatch` (as the caller read it) to `to`: applied only if the item still has the status and
   * version the caller saw. When it does not, the answer carries the dispatch as it now is.
   */
  public async transition(dispatch: Dispatch, to: DispatchStatus, at: Date, details: TransitionDetails = {}): Promise<TransitionOutcome> {
    const plan = planTransition(dispatch, to, at, details);
    if (!plan.allowed) {
      return { applied: false, current: dispatch, reason: plan.reason };
    }
    try {
      const { Attributes } = await this.documentClient.send(new UpdateCommand({ ...this.transitionWrite(dispatch.id, plan).Update, ReturnValues: 'ALL_NEW' }));
      return { applied: true, dispatch: Attributes as Dispatch };
    } catch (error) {
      if (errorName(error) !== 'ConditionalCheckFailedException') {
        throw error;
      }
    }
    return this.refused(dispatch);
  }

  /**
   * Makes `steps` in one write together with `other`, a conditional write on another item, in one
   * transaction: all of it applies, or none. A warm start moves the dispatch to STARTING and RUNNING and
   * its worker to BUSY at once. Not applied when either write's condition fails; the answer then carries
   * the dispatch as it now is (unchanged when only `other` failed).
   */
  public async transitionWith(dispatch: Dispatch, steps: readonly TransitionStep[], at: Date, other: UpdateWrite): Promise<TransitionOutcome> {
    const plan = planTransitions(dispatch, steps, at);
    if (!plan.allowed) {
      return { applied: false, current: dispatch, reason: plan.reason };
    }
    try {
      await this.documentClient.send(new TransactWriteCommand({ TransactItems: [this.transitionWrite(dispatch.id, plan), other] }));
      const removed = new Set<string>(plan.remove);
      const kept = Object.entries(dispatch).filter(([name]) => !removed.has(name));
      return { applied: true, dispatch: { ...Object.fromEntries(kept), ...plan.update } as Dispatch };
    } catch (error) {
      if (!cancellationReasons(error).some((reason) => reason === 'ConditionalCheckFailed' || reason === 'TransactionConflict')) {
        throw error;
      }
    }
    return this.refused(dispatch);
  }

  private async refused(dispatch: Dispatch): Promise<TransitionOutcome> {
    const current = await this.get(dispatch.id);
    if (!current) {
      throw new Error(`dispatch ${dispatch.id} does not exist`);
    }
    const unchanged = current.version === dispatch.version;
    const reason = unchanged ? 'the other write of the transaction was refused' : `another writer moved it first: it is ${current.status} (version ${current.version})`;
    return { applied: false, current, reason };
  }

  /** The conditional update that applies `plan` to dispatch `id`, as a transaction item. */
  public transitionWrite(id: string, plan: TransitionPlan): UpdateWrite {
    const fields = Object.entries(plan.update);
    const set = `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}`;
    const remove = plan.remove.length > 0 ? ` REMOVE ${plan.remove.map((_, i) => `#r${i}`).join(', ')}` : '';
    return {
      Update: {
        TableName: this.tableName,
        Key: { id },
        UpdateExpression: set + remove,
        ConditionExpression: '#status = :expectedStatus AND #version = :expectedVersion',
        ExpressionAttributeNames: {
          ...Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name])),
          ...Object.fromEntries(plan.remove.map((name, i) => [`#r${i}`, name])),
          '#status': 'status',
          '#version': 'version',
        },
        ExpressionAttributeValues: {
          ...Object.fromEntries(fields.map(([, value], i) => [`:f${i}`, value])),
          ':expectedStatus': plan.expected.status,
          ':expectedVersion': plan.expected.version,
        },
      },
    };
  }

  /**
   * Hands a QUEUED dispatch that no warm worker took to the starter (`coldStartRequestedAt`, which the table's
   * stream carries to it): once, and only while it is QUEUED. Answers the dispatch as it now is: with the
   * request, or, when it was no longer QUEUED (cancelled meanwhile), without.
   */
  public async requestColdStart(dispatch: Dispatch, at: Date): Promise<Dispatch> {
    const written = await this.setOnce(dispatch.id, COLD_START_REQUESTED, at.toISOString(), { whileQueued: true });
    if (written) {
      return written;
    }
    const current = await this.get(dispatch.id);
    if (!current) {
      throw new Error(`dispatch ${dispatch.id} does not exist`);
    }
    return current;
  }

  /**
   * Marks a QUEUED dispatch's persistent workspace ready (its access point made), which the table's stream
   * carries to the starter: once. A dispatch no longer QUEUED, or already marked, is left as it is.
   */
  public async markWorkspaceReady(id: string, at: Date): Promise<void> {
    await this.setOnce(id, WORKSPACE_READY, at.toISOString(), { whileQueued: true });
  }

  /**
   * Records what a stopped task ran on a dispatch that ended before the task stopped (cancelled, timed out):
   * once, and never on a dispatch that does not exist. The status is unchanged, so the outbox publishes nothing.
   */
  public async recordTask(id: string, run: TaskRun): Promise<void> {
    await this.setOnce(id, 'task', run, { whileQueued: false });
  }

  /**
   * Sets `field` on dispatch `id` if it has none yet and the dispatch exists (and, `whileQueued`, is QUEUED):
   * the item as written, or undefined when nothing was, the condition being false. The status and version stay,
   * so this is no transition.
   */
  private async setOnce(
    id: string,
    field: string,
    value: unknown,
    { whileQueued }: { readonly whileQueued: boolean },
  ): Promise<Dispatch | undefined> {
    try {
      const { Attributes } = await this.documentClient.send(new UpdateCommand({
        TableName: this.tableName,
        Key: { id },
        UpdateExpression: 'SET #field = :value',
        ConditionExpression: `${whileQueued ? '#status = :queued' : 'attribute_exists(id)'} AND attribute_not_exists(#field)`,
        ExpressionAttributeNames: { '#field': field, ...(whileQueued && { '#status': 'status' }) },
        ExpressionAttributeValues: { ':value': value, ...(whileQueued && { ':queued': DispatchStatus.QUEUED }) },
        ReturnValues: 'ALL_NEW',
      }));
      return Attributes as Dispatch;
    } catch (error) {
      if (errorName(error) !== 'ConditionalCheckFailedException') {
        throw error;
      }
      return undefined;
    }
  }

  /** Sets the ledger's cost on a finished dispatch (repeated by a redelivered event: the same value again). */
  public async recordCost(id: string, cost: DispatchCost): Promise<void> {
    await this.documentClient.send(new UpdateCommand({
      TableName: this.tableName,
      Key: { id },
      UpdateExpression: 'SET #cost = :cost',
      ConditionExpression: 'attribute_exists(id)',
      ExpressionAttributeNames: { '#cost': 'cost' },
      ExpressionAttributeValues: { ':cost': cost },
    }));
  }

  /** The dispatch an idempotency item binds its key to. */
  public async getByIdempotencyItem(itemId: string): Promise<Dispatch> {
    const { Item } = await this.documentClient.send(new GetCommand({ TableName: this.tableName, Key: { id: itemId }, ConsistentRead: true }));
    const dispatch = typeof Item?.dispatchId === 'string' ? await this.get(Item.dispatchId) : undefined;
    if (!dispatch) {
      // Both items are written in one transaction and dispatches are never deleted: this is corruption.
      throw new Error(`idempotency item ${itemId} names no dispatch`);
    }
    return dispatch;
  }
}

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ id: key.id, requester: key.requester })).toString('base64url');
}

/**
 * The start key a cursor stands for, or null when it is not a cursor this API issued to this requester:
 * it goes back to DynamoDB, so nothing but a dispatch id of the requester's own passes.
 */
function decodeCursor(cursor: string, requester: string): Record<string, string> | null {
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) {
    return null;
  }
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) {
    return null;
  }
  const { id, requester: owner, ...rest } = key as Record<string, unknown>;
  const valid = Object.keys(rest).length === 0 && typeof id === 'string' && isDispatchId(id) && owner === requester;
  return valid ? { id, requester } : null;
}

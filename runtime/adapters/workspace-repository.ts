import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AccessPoint } from './workspace-access-points';
import { rootDirectory, uidFromCounter, type Workspace, type WorkspaceTaskDefinition } from '../core/workspaces/workspace';

/**
 * A user's POSIX ids live in their own item, beside their workspaces: `#` starts no workspace name, so it
 * never collides with one, and it sorts before every name (which starts with a letter or digit).
 */
const POSIX_ITEM = '#posix';
/** The last uid handed out. `#` starts no requester (an IAM ARN or `jwt:…`). */
const UID_COUNTER = { requester: '#uid-counter', name: '#uid-counter' };
/** The smallest workspace name; a key condition from it leaves out the POSIX item. */
const FIRST_NAME = '0';

export interface Acquisition {
  readonly requester: string;
  readonly name: string;
  readonly dispatchId: string;
  /** The dispatch's idempotency item, if its request had a key. */
  readonly idempotencyItemId?: string;
  /** The owner's uid, and a generation for a workspace created by this acquisition. */
  readonly uid: number;
  readonly generation: string;
}

/**
 * The `workspaces` table (docs/data-model.md): key `requester` + `name`. Taking a workspace for a dispatch
 * and giving it back are conditional writes on `inUseBy`, so two dispatches never hold one workspace.
 */
export class WorkspaceRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * The requester's uid, allocated on their first call: the counter's next value, kept with a conditional
   * put. Two first calls at once both draw from the counter; the one whose put loses reads the winner's
   * uid, and its own is never used (uids are not reused).
   */
  public async uidOf(requester: string): Promise<number> {
    const known = await this.findUid(requester);
    if (known !== undefined) {
      return known;
    }
    const { Attributes } = await this.client.send(new UpdateCommand({
      TableName: this.tableName,
      Key: UID_COUNTER,
      UpdateExpression: 'ADD #last :one',
      ExpressionAttributeNames: { '#last': 'last' },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }));
    const uid = uidFromCounter(Number(Attributes!.last));
    try {
      await this.client.send(new PutCommand({
        TableName: this.tableName,
        Item: { requester, name: POSIX_ITEM, uid, gid: uid, createdAt: this.now().toISOString() },
        ConditionExpression: 'attribute_not_exists(requester)',
      }));
      return uid;
    } catch (error) {
      if (!isConditionFailure(error)) {
        throw error;
      }
    }
    return (await this.findUid(requester))!;
  }

  /** The requester's uid if they have one. */
  public async findUid(requester: string): Promise<number | undefined> {
    const key = { requester, name: POSIX_ITEM };
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return Item ? Number(Item.uid) : undefined;
  }

  public async get(requester: string, name: string): Promise<Workspace | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { requester, name }, ConsistentRead: true }));
    return Item as Workspace | undefined;
  }

  /** Every workspace of the requester, by name. */
  public async list(requester: string): Promise<Workspace[]> {
    const workspaces: Workspace[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.client.send(new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'requester = :requester AND #name >= :first',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: { ':requester': requester, ':first': FIRST_NAME },
        ExclusiveStartKey: startKey,
      }));
      workspaces.push(...Items as Workspace[]);
      startKey = LastEvaluatedKey;
    } while (startKey);
    return workspaces;
  }

  /**
   * Takes the workspace for a dispatch, creating it on first use, in one write: only while no dispatch holds
   * it (or `staleHolder` still does, a lock found stale) and it is not being deleted. Resolves to the
   * workspace as it now is, or null when it is taken or being deleted.
   */
  public async acquire(acquisition: Acquisition, staleHolder?: string): Promise<Workspace | null> {
    const { requester, name, uid, generation, idempotencyItemId } = acquisition;
    const now = this.now().toISOString();
    return this.conditionalUpdate({
      Key: { requester, name },
      UpdateExpression: [
        'SET inUseBy = :dispatch, inUseSince = :now, lastUsedAt = :now',
        'generation = if_not_exists(generation, :generation), uid = if_not_exists(uid, :uid), gid = if_not_exists(gid, :uid)',
        'rootDirectory = if_not_exists(rootDirectory, :root), createdAt = if_not_exists(createdAt, :now)',
        `taskDefinitions = if_not_exists(taskDefinitions, :none)${idempotencyItemId ? ', inUseKey = :key' : ' REMOVE inUseKey'}`,
      ].join(', '),
      ConditionExpression: `attribute_not_exists(deleting) AND ${staleHolder ? 'inUseBy = :stale' : 'attribute_not_exists(inUseBy)'}`,
      ExpressionAttributeValues: {
        ':dispatch': acquisition.dispatchId,
        ':now': now,
        ':generation': generation,
        ':uid': uid,
        ':root': rootDirectory(uid, name, generation),
        ':none': {},
        ...(idempotencyItemId && { ':key': idempotencyItemId }),
        ...(staleHolder && { ':stale': staleHolder }),
      },
    });
  }

  /**
   * Asks the workspace provisioner for the workspace's access point, for the dispatch holding it: a new request
   * time each call, so a request that failed for good can be made again. `null` if the dispatch no longer
   * holds the workspace.
   */
  public async requestAccessPoint(workspace: Workspace, dispatchId: string, at: Date): Promise<Workspace | null> {
    return this.conditionalUpdate({
      Key: { requester: workspace.requester, name: workspace.name },
      UpdateExpression: 'SET accessPointRequestedAt = :at',
      ConditionExpression: 'inUseBy = :dispatch',
      ExpressionAttributeValues: { ':at': at.toISOString(), ':dispatch': dispatchId },
    });
  }

  /** Records the workspace's access point; only its holder does, so the condition is that it still holds it. */
  public async setAccessPoint(workspace: Workspace, dispatchId: string, accessPoint: AccessPoint): Promise<Workspace | null> {
    return this.conditionalUpdate({
      Key: { requester: workspace.requester, name: workspace.name },
      UpdateExpression: 'SET accessPointId = :id, accessPointArn = :arn',
      ConditionExpression: 'inUseBy = :dispatch',
      ExpressionAttributeValues: { ':id': accessPoint.id, ':arn': accessPoint.arn, ':dispatch': dispatchId },
    });
  }

  /** Records the task definition the workspace's runs of `agent` use. */
  public async setTaskDefinition(
    workspace: Workspace, dispatchId: string, agent: string, taskDefinition: WorkspaceTaskDefinition,
  ): Promise<Workspace | null> {
    return this.conditionalUpdate({
      Key: { requester: workspace.requester, name: workspace.name },
      UpdateExpression: 'SET taskDefinitions.#agent = :taskDefinition',
      ConditionExpression: 'inUseBy = :dispatch',
      ExpressionAttributeNames: { '#agent': agent },
      ExpressionAttributeValues: { ':taskDefinition': taskDefinition, ':dispatch': dispatchId },
    });
  }

  /** Gives the workspace back, if `dispatchId` still holds it; false when it did not (released already). */
  public async release(requester: string, name: string, dispatchId: string): Promise<boolean> {
    const released = await this.conditionalUpdate({
      Key: { requester, name },
      UpdateExpression: 'SET lastUsedAt = :now REMOVE inUseBy, inUseSince, inUseKey',
      ConditionExpression: 'inUseBy = :dispatch',
      ExpressionAttributeValues: { ':now': this.now().toISOString(), ':dispatch': dispatchId },
    });
    return released !== null;
  }

  /**
   * Starts deleting the workspace: from now on no dispatch takes it. Only while no dispatch holds it (or
   * `staleHolder` still does); a deletion already begun may begin again. Null when it is held, or gone.
   */
  public async markDeleting(requester: string, name: string, staleHolder?: string): Promise<Workspace | null> {
    return this.conditionalUpdate({
      Key: { requester, name },
      UpdateExpression: 'SET deleting = if_not_exists(deleting, :now) REMOVE inUseBy, inUseSince, inUseKey',
      ConditionExpression: `attribute_exists(requester) AND ${staleHolder ? 'inUseBy = :stale' : 'attribute_not_exists(inUseBy)'}`,
      ExpressionAttributeValues: { ':now': this.now().toISOString(), ...(staleHolder && { ':stale': staleHolder }) },
    });
  }

  /**
   * Removes the item of a workspace whose deletion has begun: this one (its directory names its generation),
   * not a later workspace of the same name. One already gone counts as removed.
   */
  public async remove(workspace: Workspace): Promise<void> {
    try {
      await this.client.send(new DeleteCommand({
        TableName: this.tableName,
        Key: { requester: workspace.requester, name: workspace.name },
        ConditionExpression: 'attribute_exists(deleting) AND rootDirectory = :root',
        ExpressionAttributeValues: { ':root': workspace.rootDirectory },
      }));
    } catch (error) {
      if (!isConditionFailure(error)) {
        throw error;
      }
    }
  }

  private async conditionalUpdate(input: Omit<UpdateCommandInput, 'TableName' | 'ReturnValues'>): Promise<Workspace | null> {
    try {
      const { Attributes } = await this.client.send(new UpdateCommand({ ...input, TableName: this.tableName, ReturnValues: 'ALL_NEW' }));
      return Attributes as Workspace;
    } catch (error) {
      if (isConditionFailure(error)) {
        return null;
      }
      throw error;
    }
  }
}

/** Read structurally: an SDK error need not be an instance of this realm's classes. */
function isConditionFailure(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException';
}

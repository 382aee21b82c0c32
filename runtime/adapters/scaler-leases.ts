import { randomUUID } from 'crypto';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { errorName } from './dynamodb-transactions';
import type { PolicyMemory } from '../core/pool/policy/policy';

/** What the scaler keeps per agent between runs. */
export interface ScalerState {
  /** What the policy's last decision asked to keep. */
  readonly memory: PolicyMemory;
  /** The agent's latest measured cold starts, seconds, oldest first. */
  readonly coldStartSeconds: readonly number[];
}

/** A run's hold on one agent's pool: until `until` (epoch ms), no other run acts on it. */
export interface Lease extends ScalerState {
  readonly agent: string;
  readonly owner: string;
  readonly until: number;
}

/** The item holding an agent's lease and state, in the pool table: a `#` starts no ECS task id. */
export function scalerItemKey(agent: string): string {
  return `scaler#${agent}`;
}

/**
 * One lease per agent, so that two scaler runs (the minute's and an event's, or two events') never act on one
 * pool at once: both would see the same shortfall and start it twice. Acquired by a conditional write that
 * succeeds only when no unexpired lease is held; the item also keeps the policy's memory and the cold starts.
 */
export class ScalerLeases {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The agent's lease for `durationMs` from `now` (epoch ms), with its state; undefined while another run holds it. */
  public async acquire(agent: string, now: number, durationMs: number): Promise<Lease | undefined> {
    const owner = randomUUID();
    try {
      const { Attributes = {} } = await this.client.send(new UpdateCommand({
        TableName: this.tableName,
        Key: { taskId: scalerItemKey(agent) },
        UpdateExpression: 'SET leaseOwner = :owner, leaseUntil = :until',
        ConditionExpression: 'attribute_not_exists(leaseUntil) OR leaseUntil < :now',
        ExpressionAttributeValues: { ':owner': owner, ':until': now + durationMs, ':now': now },
        ReturnValues: 'ALL_NEW',
      }));
      return {
        agent,
        owner,
        until: now + durationMs,
        memory: (Attributes.memory ?? {}) as PolicyMemory,
        coldStartSeconds: (Attributes.coldStartSeconds ?? []) as number[],
      };
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') {
        return undefined;
      }
      throw error;
    }
  }

  /**
   * Give the lease back with the state to keep. If it expired and another run took it meanwhile, that run's
   * state stands: false.
   */
  public async release(lease: Lease, state: ScalerState): Promise<boolean> {
    try {
      await this.client.send(new UpdateCommand({
        TableName: this.tableName,
        Key: { taskId: scalerItemKey(lease.agent) },
        UpdateExpression: 'SET memory = :memory, coldStartSeconds = :samples REMOVE leaseOwner, leaseUntil',
        ConditionExpression: 'leaseOwner = :owner',
        ExpressionAttributeValues: { ':memory': state.memory, ':samples': state.coldStartSeconds, ':owner': lease.owner },
      }));
      return true;
    } catch (error) {
      if (errorName(error) === 'ConditionalCheckFailedException') {
        return false;
      }
      throw error;
    }
  }
}

import { randomBytes } from 'crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { motoWorkerTokenCipher } from './moto-kms';
import { DispatchRepository } from '../../runtime/adapters/dispatch-repository';
import { PoolRepository } from '../../runtime/adapters/pool-repository';
import type { PlatformConfig } from '../../runtime/core/config';
import type { Dispatch } from '../../runtime/core/dispatch/dispatch';
import type { DispatchStatus } from '../../runtime/core/dispatch/states';

/** A dispatch on its task, as the hand-off leaves them in moto: the pool item holds the task's sealed token. */
export interface DispatchOnTask {
  readonly dispatch: Dispatch;
  /** The worker's token, in clear: what the task's worker would present. */
  readonly token: string;
  /** Its KMS ciphertext, as the RunTask override gives it to the worker. */
  readonly tokenCiphertext: string;
  readonly taskId: string;
}

/**
 * Records a QUEUED `dispatch` in the platform's tables (moto) and gives it a task: a pool item reserved for it
 * and BUSY with a new token sealed under the platform key, the dispatch STARTING on that task, then moved on
 * to each of `statuses` in turn (RUNNING, say, then CANCELLED) at `at`.
 */
export async function dispatchOnTask(config: PlatformConfig, dispatch: Dispatch, statuses: readonly DispatchStatus[] = ['RUNNING'], at = new Date()): Promise<DispatchOnTask> {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const dispatches = new DispatchRepository(documents, config.tables.dispatches, config.tables.indexes);
  const pool = new PoolRepository(documents, config.tables.pool);
  const taskId = randomBytes(16).toString('hex');
  const taskArn = `arn:aws:ecs:us-east-1:123456789012:task/${config.cluster}/${taskId}`;
  const { token, ciphertext } = await motoWorkerTokenCipher(config.workerTokenKey, config.cluster).seal();
  await pool.registerReserved({ taskId, taskArn, agent: dispatch.agent, tokenCiphertext: ciphertext }, dispatch.id);
  await dispatches.create(dispatch);
  let current = await moved(dispatches, dispatch, 'STARTING', new Date(), { taskArn });
  if (statuses.length > 0) {
    await pool.markBusy(taskId, dispatch.id);
  }
  for (const status of statuses) {
    current = await moved(dispatches, current, status, status === 'RUNNING' ? new Date() : at);
  }
  return { dispatch: current, token, tokenCiphertext: ciphertext, taskId };
}

async function moved(dispatches: DispatchRepository, dispatch: Dispatch, to: DispatchStatus, at: Date, details = {}): Promise<Dispatch> {
  const outcome = await dispatches.transition(dispatch, to, at, details);
  if (!outcome.applied) {
    throw new Error(`fixture: ${dispatch.status} → ${to} was refused`);
  }
  return outcome.dispatch;
}

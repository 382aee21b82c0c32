import * as z from 'zod/mini';

/**
 * A warm worker's life: STARTING (RunTask returned) → IDLE (healthy, waiting) → RESERVED (claimed by a
 * dispatch, hand-off under way) → BUSY (the worker accepted the assignment); DRAINING while it is being
 * stopped. A failed hand-off returns RESERVED → IDLE.
 */
export const POOL_WORKER_STATES = ['STARTING', 'IDLE', 'RESERVED', 'BUSY', 'DRAINING'] as const;
export type PoolWorkerState = (typeof POOL_WORKER_STATES)[number];

/** A `pool` item (docs/control-plane.md, "Items"), checked whenever one is read back. */
export const PoolWorkerSchema = z.object({
  taskId: z.string(),
  taskArn: z.string(),
  agent: z.string(),
  state: z.enum(POOL_WORKER_STATES),
  /** `<agent>#<state>`: the `byAgentState` index's partition, so one query finds an agent's idle workers. */
  agentState: z.string(),
  /** ISO-8601 time the worker entered its state: the index's sort key, so the longest idle comes first. */
  since: z.string(),
  /** The per-task secret the control plane presents to this worker, as KMS ciphertext (base64): never in clear. */
  tokenCiphertext: z.string(),
  dispatchId: z.optional(z.string()),
  privateIp: z.optional(z.string()),
  /** The capacity provider RunTask launched it on (FARGATE, FARGATE_SPOT), so its cold start is published per provider. */
  capacityProvider: z.optional(z.string()),
});
export type PoolWorker = z.infer<typeof PoolWorkerSchema>;

/** What is known of a worker when RunTask returns. */
export type NewPoolWorker = Pick<PoolWorker, 'taskId' | 'taskArn' | 'agent' | 'tokenCiphertext' | 'capacityProvider'>;

export function agentState(agent: string, state: PoolWorkerState): string {
  return `${agent}#${state}`;
}

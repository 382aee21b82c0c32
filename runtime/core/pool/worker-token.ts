import { randomBytes } from 'crypto';

/** A per-task worker token: 256 random bits, base64url so that it fits a header and an env var as is. */
export function newWorkerToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The RunTask override that carries the token's KMS ciphertext (base64) to the worker: never the token itself. */
export const WORKER_TOKEN_CIPHERTEXT_VARIABLE = 'OUTPOST_WORKER_TOKEN_CIPHERTEXT';

/** The override that names the cluster the token was sealed for: part of its encryption context. */
export const WORKER_CLUSTER_VARIABLE = 'OUTPOST_CLUSTER';

/** What the token's encryption context says it is for; the task role may decrypt only under this purpose. */
export const WORKER_TOKEN_PURPOSE = 'outpost-worker-token';

/**
 * The encryption context the token is sealed under: KMS decrypts it only when given the same context, and IAM
 * conditions the worker's and hand-off's kms:Decrypt on it, so the key decrypts nothing else for them.
 */
export function workerTokenContext(cluster: string): Record<string, string> {
  return { purpose: WORKER_TOKEN_PURPOSE, cluster };
}

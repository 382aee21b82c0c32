// Bundled into the worker by esbuild, never a consumer dependency.
import { z } from 'zod';
import { messageOf } from './error-message';
import type { GitCredential } from './git-security';
import type { Logger } from './logger';
import type { Redactor } from './redactor';
import { taskCredentials } from './task-credentials';
import { LambdaInvoker } from '../adapters/lambda-invoke';
import type { Assignment } from '../contracts/assignment';
import type { UploadTarget } from '../contracts/upload-target';
import { WORKER_CREDENTIALS_FUNCTION_VARIABLE, type RenewedCredentials } from '../core/handoff/worker-credentials';

/** The credentials the push and the uploads go ahead with. */
export interface PublishingCredentials {
  readonly upload: UploadTarget;
  readonly git?: GitCredential;
}

/** Asks the control plane for fresh credentials for the dispatch; throws when it gives none. */
export interface CredentialRenewal {
  renew(dispatchId: string): Promise<RenewedCredentials>;
}

/**
 * One Invoke, cold start and a GitHub token mint included, well within the 120 s a cancelled task has to push
 * and upload after SIGTERM.
 */
const RENEWAL_TIMEOUT_MS = 20_000;

/** No control characters: a credential goes to git's credential helper line by line. */
const PRINTABLE = /^[^\u0000-\u001f\u007f]+$/;
const RenewedCredentialsSchema = z.object({
  upload: z.object({ url: z.url({ protocol: /^https?$/ }), fields: z.record(z.string(), z.string()), keyPrefix: z.string() }),
  git: z.object({ username: z.string().regex(PRINTABLE), token: z.string().regex(PRINTABLE) }).optional(),
});

/**
 * The worker-credentials function the task definition names (OUTPOST_CREDENTIALS_FUNCTION), invoked with the
 * task role and the worker's assignment token as proof; undefined where none is named (an older platform,
 * a test without one): the run then keeps its assignment's credentials.
 */
export function credentialRenewal(env: Readonly<Record<string, string | undefined>>, token: string): CredentialRenewal | undefined {
  const functionName = env[WORKER_CREDENTIALS_FUNCTION_VARIABLE];
  if (!functionName) {
    return undefined;
  }
  return {
    renew: async (dispatchId) => {
      // Made when asked, so that a task without a Region fails the renewal (and falls back), not the run.
      const lambda = new LambdaInvoker({ credentials: taskCredentials(env) });
      return renewedCredentials(await lambda.invoke(functionName, { dispatchId, token }, AbortSignal.timeout(RENEWAL_TIMEOUT_MS)));
    },
  };
}

/** The function's answer: the credentials, or its refusal (status, code, field and reason) as the error. */
function renewedCredentials(answer: unknown): RenewedCredentials {
  const { statusCode, credentials, error } = answer as {
    statusCode?: unknown; credentials?: unknown; error?: { code?: unknown; field?: unknown; message?: unknown };
  };
  if (statusCode !== 200) {
    const field = typeof error?.field === 'string' ? `, ${error.field}` : '';
    throw new Error(`refused (${String(statusCode)} ${String(error?.code)}${field}): ${String(error?.message)}`);
  }
  const parsed = RenewedCredentialsSchema.safeParse(credentials);
  if (!parsed.success) {
    throw new Error(`answered credentials of an unexpected shape (${parsed.error.issues[0].path.join('.')})`);
  }
  return parsed.data;
}

/** The git credential of the assignment's repository, given only to that repository's host. */
export function gitCredential(assignment: Assignment, credential = assignment.repository?.credential): GitCredential | undefined {
  const repository = assignment.repository;
  if (!repository || !credential) {
    return undefined;
  }
  const host = URL.canParse(repository.url) ? new URL(repository.url).host : '';
  return { username: credential.username, token: credential.token, host };
}

/**
 * The credentials for the push and the uploads, asked for just before them: a run may have outlived its
 * assignment's (a GitHub App token lives an hour; a presigned POST no longer than the role session that signed
 * it). A renewal that fails leaves the run with its assignment's, and says why: the run must not fail because
 * the renewal did, and its own credentials may well still be good.
 */
export async function publishingCredentials(
  assignment: Assignment, renewal: CredentialRenewal | undefined, logger: Logger, redactor: Redactor,
): Promise<PublishingCredentials> {
  const own: PublishingCredentials = { upload: assignment.upload, git: gitCredential(assignment) };
  if (!renewal) {
    logger.warn('credentials', `${WORKER_CREDENTIALS_FUNCTION_VARIABLE} is not set: the push and uploads use the assignment's credentials`);
    return own;
  }
  const started = Date.now();
  try {
    const renewed = await renewal.renew(assignment.dispatchId);
    redactor.add(renewed.git?.token);
    if (renewed.upload.keyPrefix !== assignment.upload.keyPrefix) {
      throw new Error(`answered an upload policy for ${renewed.upload.keyPrefix}, not ${assignment.upload.keyPrefix}`);
    }
    logger.info('credentials', 'renewed', { durationMs: Date.now() - started, git: renewed.git !== undefined });
    return { upload: renewed.upload, git: gitCredential(assignment, renewed.git) ?? own.git };
  } catch (error) {
    logger.warn('credentials', 'not renewed: the push and uploads use the assignment\'s credentials', { durationMs: Date.now() - started, error: messageOf(error) });
    return own;
  }
}

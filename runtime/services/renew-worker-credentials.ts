import { repositoryCredential } from './git-credential';
import type { LifecycleDeps } from './lifecycle-deps';
import {
  parseWorkerCredentialsRequest, refusalAnswer, RENEWED_UPLOAD_SECONDS, sameSecret, statusRefusal, taskRefusal, wrongTokenRefusal,
  type WorkerCredentialsAnswer, type WorkerCredentialsRefusal,
} from '../core/handoff/worker-credentials';
import { taskIdOf } from '../core/tasks/task-id';

/** What the service tells its handler to log: the dispatch, and a refusal's code and reason. Never a token. */
export interface RenewalLog {
  refused(dispatchId: string | undefined, refusal: WorkerCredentialsRefusal): void;
  renewed(dispatchId: string, details: { readonly git: boolean }): void;
}

/**
 * A worker asks for a fresh git credential and upload policy just before it pushes and uploads, so that no
 * run outlives the credentials its assignment carried (docs/security.md, "Credentials that outlast the run").
 * It proves itself with its assignment token: the one sealed for the task the dispatch runs on, whose
 * ciphertext the pool keeps. Only then, and only while the run may still save its work, is anything minted:
 * the git credential as the hand-off mints it (the repository allow-list checked again) and a presigned POST
 * for the dispatch's prefix, as the hand-off presigns it but for minutes.
 */
export async function renewWorkerCredentials(deps: LifecycleDeps, event: unknown, log: RenewalLog): Promise<WorkerCredentialsAnswer> {
  const request = parseWorkerCredentialsRequest(event);
  if ('status' in request) {
    return refuse(log, undefined, request);
  }
  const { dispatchId } = request;
  const dispatch = await deps.dispatches.get(dispatchId);
  const worker = dispatch?.taskArn ? await deps.pool.get(taskIdOf(dispatch.taskArn)) : undefined;
  const noTask = taskRefusal(dispatchId, dispatch, worker);
  if (noTask) {
    return refuse(log, dispatchId, noTask);
  }
  if (!sameSecret(request.token, await deps.workerTokens.open(worker!.tokenCiphertext))) {
    return refuse(log, dispatchId, wrongTokenRefusal(dispatchId));
  }
  const over = statusRefusal(dispatch!, deps.now());
  if (over) {
    return refuse(log, dispatchId, over);
  }
  const credential = await repositoryCredential(deps, dispatch!);
  if ('outcome' in credential) {
    const { outcome } = credential;
    const transient = outcome.kind === 'retry';
    return refuse(log, dispatchId, {
      status: transient ? 503 : 403,
      code: transient ? 'GitCredentialUnavailable' : 'GitCredentialRefused',
      message: 'reason' in outcome ? outcome.reason : 'no git credential',
    });
  }
  const upload = await deps.artifacts.presignUpload(dispatchId, { expiresSeconds: RENEWED_UPLOAD_SECONDS });
  const git = credential.credential && { username: credential.credential.username ?? 'x-access-token', token: credential.credential.token };
  log.renewed(dispatchId, { git: git !== undefined });
  return { statusCode: 200, credentials: { upload, ...(git && { git }) } };
}

function refuse(log: RenewalLog, dispatchId: string | undefined, refusal: WorkerCredentialsRefusal): WorkerCredentialsAnswer {
  log.refused(dispatchId, refusal);
  return refusalAnswer(refusal);
}

import { isDispatchId } from '../../core/artifacts/artifact-prefix';
import type { WorkerCredentialsAnswer } from '../../core/handoff/worker-credentials';
import { artifactStore } from '../../lambda/artifacts';
import { forDispatch } from '../../lambda/correlation';
import { withGitCredentials } from '../../lambda/git-credentials';
import { JsonLogger } from '../../lambda/json-log';
import { lifecycleDeps } from '../../lambda/lifecycle';
import { workerTokenCipher } from '../../lambda/worker-tokens';
import { renewWorkerCredentials, type RenewalLog } from '../../services/renew-worker-credentials';

const logger = new JsonLogger('outpost-worker-credentials');

/** Refusals are logged with their code and reason, renewals with what was renewed: never the token presented or minted. */
const log: RenewalLog = {
  refused: (dispatchId, refusal) => logger.warn('credentials refused', { dispatchId: dispatchId ?? null, status: refusal.status, code: refusal.code, field: refusal.field ?? null, reason: refusal.message }),
  renewed: (dispatchId, { git }) => logger.info('credentials renewed', { dispatchId, upload: true, git }),
};

/**
 * A worker's request for a fresh git credential and upload policy, just before it pushes and uploads; invoked
 * directly (lambda:InvokeFunction, granted to the agents' task roles only) with `{ dispatchId, token }`.
 */
export async function handler(event: unknown): Promise<WorkerCredentialsAnswer> {
  const deps = withGitCredentials(lifecycleDeps({ artifacts: artifactStore, workerTokens: workerTokenCipher }));
  const dispatchId = (event as { dispatchId?: unknown } | null)?.dispatchId;
  return forDispatch(logger, typeof dispatchId === 'string' && isDispatchId(dispatchId) ? dispatchId : undefined,
    () => renewWorkerCredentials(deps, event, log));
}

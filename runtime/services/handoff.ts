import { repositoryCredential } from './git-credential';
import type { LifecycleDeps } from './lifecycle-deps';
import type { Dispatch } from '../core/dispatch/dispatch';
import { buildAssignment } from '../core/handoff/assignment';
import { assignmentBudget } from '../core/handoff/budget';
import type { PushOutcome } from '../core/handoff/push-outcome';
import type { PoolWorker } from '../core/pool/pool-worker';

/** The upload window: the whole run, plus time to upload after a timeout or cancel. */
const UPLOAD_GRACE_SECONDS = 3_600;

/** The model a dispatch runs with: the one it named, else its tier's, else the agent's default. */
export function resolveModel(dispatch: Dispatch, deps: LifecycleDeps): string {
  const agent = deps.config.agents[dispatch.agent];
  return dispatch.model ?? (dispatch.modelTier && agent.models[dispatch.modelTier]) ?? agent.defaultModel;
}

/** The budget of a dispatch with a limit, priced as the ledger will price it. */
function budgetOf(deps: LifecycleDeps, dispatch: Dispatch & { readonly model: string }) {
  if (dispatch.maxCostUsd === undefined) {
    return undefined;
  }
  if (!deps.modelPrices) {
    throw new Error('this handler is bundled without the model prices: pass modelPrices: handoffModelPrices to lifecycleDeps');
  }
  return assignmentBudget(dispatch, deps.modelPrices, deps.config.agents[dispatch.agent].models);
}

/** Push a dispatch's assignment to a worker that is reachable (it has an address), with its token, decrypted. */
export async function pushAssignment(deps: LifecycleDeps, dispatch: Dispatch, worker: PoolWorker): Promise<PushOutcome> {
  if (!worker.privateIp) {
    return { kind: 'retry', reason: `worker ${worker.taskId} has no address yet` };
  }
  const credential = await repositoryCredential(deps, dispatch);
  if ('outcome' in credential) {
    return credential.outcome;
  }
  const upload = await deps.artifacts.presignUpload(dispatch.id, { expiresSeconds: dispatch.timeoutSeconds + UPLOAD_GRACE_SECONDS });
  const model = resolveModel(dispatch, deps);
  const assignment = buildAssignment({ ...dispatch, model }, upload, credential.credential, budgetOf(deps, { ...dispatch, model }));
  const token = await deps.workerTokens.open(worker.tokenCiphertext);
  return deps.workers.push({ privateIp: worker.privateIp, port: deps.config.workerPort, token }, assignment);
}

import type { DrainReport } from './drain-pools';
import { drainPools } from './drain-pools';
import { scaleAllPools, scaleForChanges, type ScaleReport } from './scale-pool';
import type { ScalerDeps } from './scaler-deps';
import type { CustomResourceOutcome } from '../adapters/custom-resource-response';
import { streamChange } from '../adapters/stream-change';
import { streamTriggers } from '../core/pool/scaler/pool-stream';
import type { CustomResourceRequest, ScalerEvent } from '../core/pool/scaler/scaler-event';

/** The drain's answer to CloudFormation (runtime/adapters/custom-resource-response.ts), and its deadline. */
export interface DrainAnswerDeps {
  readonly respond: (request: CustomResourceRequest, outcome: CustomResourceOutcome) => Promise<void>;
  /** When (epoch ms) the drain stops, to leave time to answer before the function times out. */
  readonly until: () => number;
}

/** The physical id of the drain resource: there is one per platform. */
const DRAIN_RESOURCE_ID = 'outpost-pool-drain';

export type ScalerRun =
  /** Every agent's pool, each settled on its own. */
  | { readonly kind: 'tick'; readonly runs: Array<PromiseSettledResult<ScaleReport | undefined>> }
  /** The pools the table's changes touched. */
  | { readonly kind: 'stream'; readonly reports: readonly ScaleReport[] }
  /** CloudFormation was answered: SUCCESS (with what Delete drained) or FAILED with the drain's error. */
  | { readonly kind: 'custom-resource'; readonly drained?: DrainReport; readonly error?: unknown }
  | { readonly kind: 'ignored' };

/**
 * The warm pools' scaler (docs/pool.md): every minute for every agent (`scaleAllPools`), on changes to the pool
 * table for the agents they touch (`scaleForChanges`), and, as a CloudFormation custom resource, to drain every
 * pool when the stack is deleted (`drainPools`): Create and Update do nothing; CloudFormation always gets an answer.
 */
export async function runScaler(deps: ScalerDeps, drain: DrainAnswerDeps, event: ScalerEvent | undefined): Promise<ScalerRun> {
  switch (event?.kind) {
    case 'tick':
      return { kind: 'tick', runs: await scaleAllPools(deps) };
    case 'stream':
      return { kind: 'stream', reports: await scaleForChanges(deps, streamTriggers(event.records.map(streamChange))) };
    case 'custom-resource':
      return answerDrain(deps, drain, event.request);
    default:
      return { kind: 'ignored' };
  }
}

async function answerDrain(deps: ScalerDeps, drain: DrainAnswerDeps, request: CustomResourceRequest): Promise<ScalerRun> {
  const physicalResourceId = request.PhysicalResourceId ?? DRAIN_RESOURCE_ID;
  try {
    const drained = request.RequestType === 'Delete' ? await drainPools(deps, drain.until()) : undefined;
    await drain.respond(request, { status: 'SUCCESS', physicalResourceId });
    return { kind: 'custom-resource', drained };
  } catch (error) {
    await drain.respond(request, { status: 'FAILED', physicalResourceId, reason: `Draining the warm pools failed: ${(error as Error).message}` });
    return { kind: 'custom-resource', error };
  }
}

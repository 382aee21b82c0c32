import type { Context } from 'aws-lambda';
import { respondToCloudFormation } from '../../adapters/custom-resource-response';
import { streamChange } from '../../adapters/stream-change';
import { streamTriggers } from '../../core/pool/scaler/pool-stream';
import { scalerEventOf, type CustomResourceRequest } from '../../core/pool/scaler/scaler-event';
import { JsonLogger } from '../../lambda/json-log';
import { scalerDeps } from '../../lambda/scaler';
import { drainPools } from '../../services/drain-pools';
import { scaleAllPools, scaleForChanges } from '../../services/scale-pool';

const logger = new JsonLogger('outpost-pool-scaler');

/** The physical id of the drain resource: there is one per platform. */
const DRAIN_RESOURCE_ID = 'outpost-pool-drain';
/** The drain answers CloudFormation this long before the function would time out. */
const ANSWER_MARGIN_MS = 15_000;

/**
 * The warm pools' scaler (docs/pool.md): every minute for every agent, on changes to the pool table for the
 * agents they touch, and, as a CloudFormation custom resource, to drain every pool when the stack is deleted.
 */
export async function handler(event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<void> {
  const scalerEvent = scalerEventOf(event);
  const deps = scalerDeps();
  switch (scalerEvent?.kind) {
    case 'tick': {
      const runs = await scaleAllPools(deps);
      for (const run of runs) {
        if (run.status === 'fulfilled') {
          logger.info(run.value ? 'scaled' : 'skipped: another run holds the pool', { ...run.value });
        } else {
          logger.error('a pool run failed', { error: run.reason });
        }
      }
      const failed = runs.filter((run) => run.status === 'rejected');
      if (failed.length > 0) {
        throw new AggregateError(failed.map((run) => (run as PromiseRejectedResult).reason), `${failed.length} pool run(s) failed`);
      }
      return;
    }
    case 'stream':
      for (const report of await scaleForChanges(deps, streamTriggers(scalerEvent.records.map(streamChange)))) {
        logger.info('scaled', { ...report });
      }
      return;
    case 'custom-resource':
      return answer(scalerEvent.request, context);
    default:
      logger.warn('ignored an event that is neither the schedule, the pool table\'s stream nor CloudFormation');
  }
}

/** Create and Update do nothing; Delete drains every pool. CloudFormation always gets an answer. */
async function answer(request: CustomResourceRequest, context: Pick<Context, 'getRemainingTimeInMillis'> | undefined): Promise<void> {
  const physicalResourceId = request.PhysicalResourceId ?? DRAIN_RESOURCE_ID;
  try {
    if (request.RequestType === 'Delete') {
      const until = Date.now() + (context?.getRemainingTimeInMillis() ?? 0) - ANSWER_MARGIN_MS;
      const report = await drainPools(scalerDeps(), until);
      logger.info('drained the pools', { ...report });
    }
    await respondToCloudFormation(request, { status: 'SUCCESS', physicalResourceId });
  } catch (error) {
    logger.error('the drain failed', { error });
    await respondToCloudFormation(request, { status: 'FAILED', physicalResourceId, reason: `Draining the warm pools failed: ${(error as Error).message}` });
  }
}

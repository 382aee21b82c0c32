import { stuckDispatchMetrics } from '../../core/metrics/stuck-dispatches';
import { JsonLogger } from '../../lambda/json-log';
import { workerLauncher } from '../../lambda/launcher';
import { lifecycleDeps } from '../../lambda/lifecycle';
import { metricsPublisher } from '../../lambda/metrics';
import { sweep } from '../../services/sweep';

const SERVICE = 'outpost-sweeper';
const logger = new JsonLogger(SERVICE);
const publishMetrics = metricsPublisher(SERVICE);

/** Every minute: stop runs past their deadline and resolve stuck dispatches; count the stuck ones per agent. */
export async function handler(): Promise<void> {
  const deps = lifecycleDeps({ launcher: workerLauncher });
  const swept = await sweep(deps);
  for (const { dispatchId, ...outcome } of swept) {
    logger.setCorrelationId(dispatchId);
    logger.info('swept', outcome);
  }
  logger.resetKeys();
  publishMetrics(stuckDispatchMetrics(Object.keys(deps.config.agents), swept));
}

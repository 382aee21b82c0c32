import { Logger } from '@aws-lambda-powertools/logger';
import { lifecycleDeps } from '../../lambda/lifecycle';
import { sweep } from '../../services/sweep';

const logger = new Logger({ serviceName: 'outpost-sweeper' });

/** Every minute: stop runs past their deadline and resolve stuck dispatches. */
export async function handler(): Promise<void> {
  const report = await sweep(lifecycleDeps());
  if (report.timedOut + report.failed > 0) {
    logger.info('swept', { ...report });
  }
}

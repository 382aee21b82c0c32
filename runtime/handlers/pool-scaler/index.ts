import type { Context } from 'aws-lambda';
import { scalerEventOf } from '../../core/pool/scaler/scaler-event';
import { JsonLogger } from '../../lambda/json-log';
import { drainAnswerDeps, scalerDeps } from '../../lambda/scaler';
import { runScaler } from '../../services/run-scaler';

const logger = new JsonLogger('outpost-pool-scaler');

/**
 * The warm pools' scaler (docs/pool.md, services/run-scaler.ts): every minute for every agent, on changes to
 * the pool table for the agents they touch, and, as a CloudFormation custom resource, to drain every pool when
 * the stack is deleted.
 */
export async function handler(event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<void> {
  const run = await runScaler(scalerDeps(), drainAnswerDeps(() => context?.getRemainingTimeInMillis() ?? 0), scalerEventOf(event));
  switch (run.kind) {
    case 'tick': {
      for (const settled of run.runs) {
        if (settled.status === 'fulfilled') {
          logger.info(settled.value ? 'scaled' : 'skipped: another run holds the pool', { ...settled.value });
        } else {
          logger.error('a pool run failed', { error: settled.reason });
        }
      }
      const failed = run.runs.filter((settled) => settled.status === 'rejected');
      if (failed.length > 0) {
        throw new AggregateError(failed.map((settled) => (settled as PromiseRejectedResult).reason), `${failed.length} pool run(s) failed`);
      }
      return;
    }
    case 'stream':
      run.reports.forEach((report) => logger.info('scaled', { ...report }));
      return;
    case 'custom-resource':
      if (run.error !== undefined) {
        logger.error('the drain failed', { error: run.error });
      } else if (run.drained) {
        logger.info('drained the pools', { ...run.drained });
      }
      return;
    case 'ignored':
      logger.warn('ignored an event that is neither the schedule, the pool table\'s stream nor CloudFormation');
  }
}

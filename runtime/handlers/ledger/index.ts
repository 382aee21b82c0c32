import { transitionOfEvent } from '../../core/ledger/transition-event';
import { JsonLogger } from '../../lambda/json-log';
import { ledgerDeps } from '../../lambda/ledger';
import { recordDispatchCost } from '../../services/dispatch-cost';

const logger = new JsonLogger('outpost-ledger');

/** `Dispatch State Change` events to a final state, from the platform bus (asynchronous; retried on error). */
export async function handler(event: unknown): Promise<void> {
  logger.resetKeys();
  const transition = transitionOfEvent(event);
  if (!transition) {
    logger.warn('ignored an event that is not a dispatch state change');
    return;
  }
  logger.setCorrelationId(transition.dispatchId);
  logger.appendKeys({ dispatchId: transition.dispatchId, agent: transition.agent, to: transition.to });
  try {
    const outcome = await recordDispatchCost(ledgerDeps(), transition);
    if (outcome.kind === 'ignored') {
      logger.info('not priced', { reason: outcome.reason });
    } else {
      logger.info(outcome.counted ? 'priced and counted' : 'priced again: counted before', {
        totalUsd: outcome.event.totalUsd, priceVersion: outcome.event.priceVersion, basis: outcome.event.compute.basis,
      });
    }
  } finally {
    logger.resetKeys();
  }
}

import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { publishCostMetric } from '../../adapters/cost-metric';
import { DispatchEvents } from '../../adapters/dispatch-events';
import { DispatchRepository } from '../../adapters/dispatch-repository';
import { LedgerTable } from '../../adapters/ledger-table';
import { loadConfig } from '../../core/config';
import { DISPATCH_EVENT_SOURCE, DISPATCH_STATE_CHANGE, type DispatchTransitionEvent } from '../../core/dispatch/events';
import { requireEnv } from '../../core/environment';
import { loadLedgerConfig } from '../../core/ledger/config';
import { applyOverrides, LIST_PRICE_TABLE } from '../../core/ledger/pricing';
import { recordDispatchCost, type LedgerDeps } from '../../services/dispatch-cost';

const logger = new Logger({ serviceName: 'outpost-ledger' });
const config = loadConfig();
const ledgerConfig = loadLedgerConfig();
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const pricing = applyOverrides(LIST_PRICE_TABLE, ledgerConfig.pricing);

const deps: LedgerDeps = {
  dispatches: new DispatchRepository(documents, config.tables.dispatches, config.tables.indexes),
  ledger: new LedgerTable(documents, ledgerConfig.table),
  events: new DispatchEvents(new EventBridgeClient({}), config.eventBus),
  pricing,
  region: requireEnv('AWS_REGION'),
  agentSize: (agent) => {
    const size = ledgerConfig.agents[agent];
    return size && { ...size, models: config.agents[agent]?.models ?? {} };
  },
  counted: (event) => publishCostMetric(event.agent, event.totalUsd, new Date()),
  now: () => new Date(),
};

const TransitionEvent = z.object({
  'source': z.enum([DISPATCH_EVENT_SOURCE]),
  'detail-type': z.enum([DISPATCH_STATE_CHANGE]),
  'detail': z.object({ dispatchId: z.string(), agent: z.string(), requester: z.string(), from: z.string(), to: z.string(), at: z.string() }),
});

/** `Dispatch State Change` events to a final state, from the platform bus (asynchronous; retried on error). */
export async function handler(event: unknown): Promise<void> {
  const parsed = z.safeParse(TransitionEvent, event);
  if (!parsed.success) {
    logger.warn('ignored an event that is not a dispatch state change');
    return;
  }
  const transition = parsed.data.detail as DispatchTransitionEvent;
  logger.setCorrelationId(transition.dispatchId);
  logger.appendKeys({ dispatchId: transition.dispatchId, agent: transition.agent, to: transition.to });
  try {
    const outcome = await recordDispatchCost(deps, transition);
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

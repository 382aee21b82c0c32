import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { publishCostMetric } from '../adapters/cost-metric';
import { DispatchEvents } from '../adapters/dispatch-events';
import { DispatchRepository } from '../adapters/dispatch-repository';
import { LedgerTable } from '../adapters/ledger-table';
import { loadConfig } from '../core/config';
import { requireEnv } from '../core/environment';
import { loadLedgerConfig } from '../core/ledger/config';
import { applyOverrides, LIST_PRICE_TABLE } from '../core/ledger/pricing';
import type { LedgerDeps } from '../services/dispatch-cost';

let deps: LedgerDeps | undefined;

/** The ledger function's tables, bus, prices and sizes, created once per execution environment. */
export function ledgerDeps(): LedgerDeps {
  deps ??= createDeps();
  return deps;
}

function createDeps(): LedgerDeps {
  const config = loadConfig();
  const ledgerConfig = loadLedgerConfig();
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  return {
    dispatches: new DispatchRepository(documents, config.tables.dispatches, config.tables.indexes),
    ledger: new LedgerTable(documents, ledgerConfig.table),
    events: new DispatchEvents(new EventBridgeClient({}), config.eventBus),
    pricing: applyOverrides(LIST_PRICE_TABLE, ledgerConfig.pricing),
    region: requireEnv('AWS_REGION'),
    agentSize: (agent) => {
      const size = ledgerConfig.agents[agent];
      return size && { ...size, models: config.agents[agent]?.models ?? {} };
    },
    counted: (event) => publishCostMetric(event.agent, event.totalUsd, new Date()),
    now: () => new Date(),
  };
}

import { resolveModelAlias } from '../../src/agents/model-aliases';
import type { DispatchEvents } from '../adapters/dispatch-events';
import type { DispatchRepository } from '../adapters/dispatch-repository';
import type { LedgerTable } from '../adapters/ledger-table';
import type { DispatchTransitionEvent } from '../core/dispatch/events';
import { isFinal } from '../core/dispatch/states';
import { costSummary, dispatchCost, type AgentSize } from '../core/ledger/cost';
import { costEventEntry, type DispatchCostEvent } from '../core/ledger/event';
import type { PricingTable } from '../core/ledger/pricing';
import { bookingDay } from '../core/ledger/totals';

/** What pricing a dispatch touches; the ledger handler builds it from its clients and configuration. */
export interface LedgerDeps {
  readonly dispatches: DispatchRepository;
  readonly ledger: LedgerTable;
  readonly events: DispatchEvents;
  readonly pricing: PricingTable;
  readonly region: string;
  readonly agentSize: (agent: string) => AgentSize | undefined;
  /** Called once per dispatch counted (never for a redelivery): the `DispatchCostUsd` metric. */
  readonly counted: (event: DispatchCostEvent) => void;
  readonly now: () => Date;
}

/**
 * How long after a dispatch ended the ledger waits for its task's report: a cancelled or timed-out run's task
 * stops within its stop timeout (2 minutes), and its STOPPED event is recorded on the dispatch. Lambda retries a
 * failed event after 1 and 3 minutes, so the last try prices the run by the dispatch's own times if need be.
 */
export const TASK_REPORT_WAIT_MS = 150_000;

/** Thrown to have the event delivered again: the task has not reported its stop yet. */
export class TaskNotStopped extends Error {
  public readonly name = 'TaskNotStopped';
}

export type CostOutcome =
  | { readonly kind: 'ignored'; readonly reason: string }
  | { readonly kind: 'priced'; readonly counted: boolean; readonly event: DispatchCostEvent };

/**
 * Prices a dispatch that reached a final state (docs/costs.md): computes its cost, checks the event against its
 * schema (nothing is written or published otherwise), adds it to the totals once, writes it onto the dispatch,
 * and publishes `DispatchCost`. Each step may repeat on a redelivery without counting twice.
 */
export async function recordDispatchCost(deps: LedgerDeps, transition: DispatchTransitionEvent): Promise<CostOutcome> {
  if (!isFinal(transition.to)) {
    return { kind: 'ignored', reason: `${transition.to} is not a final state` };
  }
  const dispatch = await deps.dispatches.get(transition.dispatchId);
  const agent = deps.agentSize(transition.agent);
  if (!dispatch || !agent) {
    return { kind: 'ignored', reason: dispatch ? `the agent ${transition.agent} is not configured` : 'no such dispatch' };
  }
  const now = deps.now();
  const waited = now.getTime() - Date.parse(dispatch.finishedAt ?? transition.at);
  if (dispatch.taskArn && !dispatch.task && waited < TASK_REPORT_WAIT_MS) {
    throw new TaskNotStopped(`the task of dispatch ${dispatch.id} has not reported its stop yet`);
  }
  // A CLI that names the model only by its alias (`sonnet`) ran what its pin maps the alias to: price that.
  const event = dispatchCost({ dispatch, agent, pricing: deps.pricing, region: deps.region, resolveAlias: resolveModelAlias });
  const entry = costEventEntry(event, now);
  const counted = await deps.ledger.count(event, bookingDay(event, now), now);
  if (counted) {
    deps.counted(event);
  }
  await deps.dispatches.recordCost(dispatch.id, costSummary(event));
  await deps.events.publishEntry(entry);
  return { kind: 'priced', counted, event };
}

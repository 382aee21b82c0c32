import type { DispatchCostEvent } from './event';
import { figure, sum } from './figures';
import { ARCHITECTURES, regionPrices, type Architecture, type Capacity, type PricingTable } from './pricing';
import { llmUsd as llmSum, tokenCost, type ModelAliasResolver } from './token-cost';
import type { Dispatch, DispatchCost } from '../dispatch/dispatch';
import type { ModelTier } from '../dispatch/request';

/** An agent's configured task, for a run whose task reported nothing (it never stopped, or never started). */
export interface AgentSize {
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly ephemeralStorageGiB: number;
  /** The model of each tier: a model without a price of its own is priced by its tier. */
  readonly models: Readonly<Partial<Record<ModelTier, string>>>;
}

export interface CostInput {
  readonly dispatch: Dispatch;
  readonly agent: AgentSize;
  readonly pricing: PricingTable;
  readonly region: string;
  /**
   * The agent's CLI's alias map, for a model reported (or asked for) only by an alias. Without it, a model is
   * priced by the name it was given.
   */
  readonly resolveAlias?: ModelAliasResolver;
}

/** Fargate bills at least a minute per task, by the second. */
const MINIMUM_BILLED_SECONDS = 60;
const SECONDS_PER_HOUR = 3600;
/** AWS prices a GB-month as 730 hours. */
const SECONDS_PER_MONTH = 730 * SECONDS_PER_HOUR;
const MIB_PER_GB = 1024;
/** AWS bills storage by the binary gigabyte. */
const BYTES_PER_GB = 1024 ** 3;
const CPU_UNITS_PER_VCPU = 1024;
/** The platform's task definitions run on Graviton (src/agents/agent-task-definition.ts). */
const DEFAULT_ARCHITECTURE: Architecture = 'arm64';

/**
 * What `dispatch` cost (docs/costs.md): compute over its billed seconds at the Region's price for the task's
 * architecture and capacity, ephemeral storage above the free amount, the persistent workspace's storage for
 * the same time, and the tokens of each model that ran at that model's price. Every figure is rounded to a
 * millionth of a dollar, and the sums are sums of the rounded figures, so that they add up as shown.
 */
export function dispatchCost(input: CostInput): DispatchCostEvent {
  const { dispatch, agent, pricing, region } = input;
  const prices = regionPrices(pricing, region);
  const window = billedWindow(dispatch);
  const hours = window.seconds / SECONDS_PER_HOUR;
  const cpu = dispatch.task?.cpu ?? agent.cpu;
  const memoryMiB = dispatch.task?.memoryMiB ?? agent.memoryMiB;
  const ephemeralGiB = dispatch.task?.ephemeralStorageGiB ?? agent.ephemeralStorageGiB;
  const architecture = architectureOf(dispatch.task?.architecture);
  const capacity: Capacity = dispatch.task?.capacityProvider === 'FARGATE_SPOT' ? 'spot' : 'onDemand';
  const rates = prices[architecture][capacity];

  const vcpu = figure((cpu / CPU_UNITS_PER_VCPU) * hours, 'vCPU-hour', rates.vcpuHour);
  const memory = figure((memoryMiB / MIB_PER_GB) * hours, 'GB-hour', rates.gbHour);
  const ephemeral = figure(Math.max(0, ephemeralGiB - pricing.ephemeralFreeGb) * hours, 'GB-hour', prices.ephemeralGbHour);
  // The worker measures a persistent workspace at the end of the run (runtime/worker/workspace-size.ts).
  const workspaceSize = dispatch.workspace.kind === 'persistent' ? dispatch.result?.workspaceSize : undefined;
  const workspaceGb = (workspaceSize?.bytes ?? 0) / BYTES_PER_GB;
  const workspace = figure(workspaceGb * (window.seconds / SECONDS_PER_MONTH), 'GB-month', prices.efsGbMonth);

  const llm = tokenCost({ dispatch, tiers: agent.models, pricing, resolveAlias: input.resolveAlias ?? unaliased });

  const computeUsd = sum(vcpu.usd, memory.usd);
  const storageUsd = sum(ephemeral.usd, workspace.usd);
  const llmUsd = llmSum(llm);
  return {
    dispatchId: dispatch.id,
    agent: dispatch.agent,
    requester: dispatch.requester,
    status: dispatch.status,
    ...(dispatch.finishedAt !== undefined && { finishedAt: dispatch.finishedAt }),
    currency: 'USD',
    priceVersion: pricing.version,
    region,
    compute: { basis: window.basis, capacity, architecture, billedSeconds: window.seconds, vcpu, memory },
    storage: { ephemeral, workspace, ...(workspaceSize && { workspaceSize }) },
    llm,
    computeUsd,
    storageUsd,
    llmUsd,
    totalUsd: sum(computeUsd, storageUsd, llmUsd),
  };
}

/** What the dispatch item keeps of the event (`GET /dispatch/{id}` shows it). */
export function costSummary(event: DispatchCostEvent): DispatchCost {
  const { totalUsd, computeUsd, storageUsd, llmUsd, priceVersion, llm } = event;
  const models = llm.models.map(({ model, usd }) => ({ model, usd }));
  return { estimatedUsd: totalUsd, computeUsd, storageUsd, llmUsd, priceVersion, ...(models.length > 0 && { models }) };
}

/**
 * The seconds to bill: from the image pull (Fargate's own start) to the task's stop, as ECS reported them
 * (`task`); a warm worker's from the hand-off, as its idle time before it is the pool's. Without a report, the
 * dispatch's own start and end (`dispatch`). Never negative; a task that ran is billed at least a minute.
 */
function billedWindow(dispatch: Dispatch): { basis: 'task' | 'dispatch'; seconds: number } {
  const task = dispatch.task;
  const taskStart = task?.pullStartedAt ?? task?.startedAt;
  if (task && taskStart) {
    const start = dispatch.warm && dispatch.startedAt ? later(taskStart, dispatch.startedAt) : taskStart;
    const seconds = secondsBetween(start, task.stoppedAt);
    return { basis: 'task', seconds: dispatch.warm ? seconds : Math.max(MINIMUM_BILLED_SECONDS, seconds) };
  }
  if (!dispatch.startedAt || !dispatch.finishedAt) {
    return { basis: 'dispatch', seconds: 0 };
  }
  const seconds = secondsBetween(dispatch.startedAt, dispatch.finishedAt);
  return { basis: 'dispatch', seconds: dispatch.warm ? seconds : Math.max(MINIMUM_BILLED_SECONDS, seconds) };
}

function secondsBetween(from: string, to: string): number {
  return Math.max(0, Math.ceil((Date.parse(to) - Date.parse(from)) / 1000));
}

function later(a: string, b: string): string {
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

function architectureOf(reported: string | undefined): Architecture {
  return ARCHITECTURES.find((architecture) => architecture === reported) ?? DEFAULT_ARCHITECTURE;
}

function unaliased(_agent: string, model: string): string {
  return model;
}

import { createHash } from 'node:crypto';
import type { DispatchRequest, ModelTier } from './request';
import { DispatchStatus } from './states';
import type { AgentName } from '../../contracts/agent-names';
import type { DispatchResult } from '../../contracts/dispatch-result';
import type { TaskRun } from '../tasks/task-event';

/** A canonical ULID: dispatch ids are ULIDs, so they sort by creation time. */
const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const PROMPT_PREVIEW_LENGTH = 200;

export type Workspace = DispatchRequest['workspace'];
export type RepositoryRef = NonNullable<DispatchRequest['repository']>;

/** What the item keeps of the worker's result.json: what the run produced. How it ended is the status. */
export type DispatchResultSummary = Pick<DispatchResult, 'commit' | 'branch' | 'tokenUsage' | 'durationSeconds' | 'workspaceSize'>
  & Partial<Pick<DispatchResult, 'modelUsage'>>;

/**
 * What a dispatch cost, estimated by the ledger from its task's run time and the tokens it used (docs/costs.md);
 * the `DispatchCost` event has every figure with its quantity and unit price.
 */
export interface DispatchCost {
  /** The whole: compute, storage and tokens. */
  readonly estimatedUsd: number;
  readonly computeUsd: number;
  readonly storageUsd: number;
  readonly llmUsd: number;
  /** The pricing table's version (`2025-11-01`, or `2025-11-01+<label>` with the platform's overrides). */
  readonly priceVersion: string;
  /** `llmUsd` by model that ran, as the result names them (the event's `llm.models`); absent when no tokens were reported. */
  readonly models?: ReadonlyArray<{ readonly model: string; readonly usd: number }>;
}

/** One item of the `dispatches` table (docs/control-plane.md, "Items"). */
export interface Dispatch {
  readonly id: string;
  /** The caller who created it (`Caller.id`): only they, and admins, can read or cancel it. */
  readonly requester: string;
  readonly agent: AgentName;
  /** The model the request named; otherwise the one resolved from the agent's configuration when it was recorded. */
  readonly model?: string;
  /** The tier the request named, if any: resolved to a model on start. */
  readonly modelTier?: ModelTier;
  readonly prompt: string;
  readonly repository?: RepositoryRef;
  readonly workspace: Workspace;
  readonly timeoutSeconds: number;
  /**
   * The run's spending limit in USD: the request's, else the platform's default (docs/costs.md, "Budgets").
   * Absent: the run is metered but not limited.
   */
  readonly maxCostUsd?: number;
  readonly status: DispatchStatus;
  /** `<agent>#<status>`, the `byAgentStatus` index's partition key: rewritten with every transition. */
  readonly agentStatus: string;
  /** Incremented by every transition, and part of its write condition, so no transition applies twice. */
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** startedAt + timeoutSeconds: past it, the sweeper stops the task. */
  readonly deadline?: string;
  readonly taskArn?: string;
  /** Whether a warm worker from the pool took it (rather than a task started for it). */
  readonly warm?: boolean;
  readonly exitCode?: number;
  readonly error?: string;
  /** Why the last transition happened, when it had a reason (who cancelled, AWS's reason for a failed start). */
  readonly statusReason?: string;
  readonly result?: DispatchResultSummary;
  /** What its task ran on and for how long, recorded when the task stopped: what the ledger prices. */
  readonly task?: TaskRun;
  readonly cost?: DispatchCost;
  readonly idempotencyKey?: string;
  /**
   * When no warm worker took it, the time it was handed to the starter, which starts a task for it from the
   * table's stream (docs/control-plane.md, "Starting a run"). Set once, on a QUEUED dispatch.
   */
  readonly coldStartRequestedAt?: string;
  /**
   * When the workspace provisioner made the access point the dispatch's persistent workspace lacked: the stream
   * brings the dispatch back to the starter. Set once, on a QUEUED dispatch.
   */
  readonly workspaceReadyAt?: string;
}

/** What `GET /dispatch/{id}` shows: no internal ARNs or keys, and only the start of the prompt. */
export interface DispatchView {
  readonly id: string;
  readonly status: DispatchStatus;
  readonly agent: AgentName;
  readonly model?: string;
  readonly modelTier?: ModelTier;
  readonly promptPreview: string;
  /** The run's spending limit in USD, when it has one. */
  readonly maxCostUsd?: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly deadline?: string;
  readonly warm?: boolean;
  readonly exitCode?: number;
  readonly error?: string;
  readonly statusReason?: string;
  readonly result?: DispatchResultSummary;
  readonly cost?: DispatchCost;
}

/** Takes any agent name: the sweeper walks the agents of the deployed configuration, whose keys are strings. */
export function agentStatusKey(agent: string, status: DispatchStatus): string {
  return `${agent}#${status}`;
}

/** Whether `id` can name a dispatch; the table also holds idempotency items, whose ids must never be served. */
export function isDispatchId(id: string): boolean {
  return ULID.test(id);
}

/**
 * A new, QUEUED dispatch. Optional fields are left out rather than set to undefined, as DynamoDB requires.
 * `maxCostUsd` is the limit it runs under (`dispatchBudget`): the request's, or the platform's default.
 */
export function newDispatch(
  request: DispatchRequest, requester: string, now: Date, id: string, maxCostUsd: number | undefined = request.maxCostUsd,
): Dispatch {
  const at = now.toISOString();
  return {
    id,
    requester,
    agent: request.agent,
    ...(request.model !== undefined && { model: request.model }),
    ...(request.modelTier !== undefined && { modelTier: request.modelTier }),
    prompt: request.prompt,
    ...(request.repository !== undefined && { repository: request.repository }),
    workspace: request.workspace,
    timeoutSeconds: request.timeoutSeconds,
    ...(maxCostUsd !== undefined && { maxCostUsd }),
    status: DispatchStatus.QUEUED,
    agentStatus: agentStatusKey(request.agent, DispatchStatus.QUEUED),
    version: 0,
    createdAt: at,
    updatedAt: at,
    ...(request.idempotencyKey !== undefined && { idempotencyKey: request.idempotencyKey }),
  };
}

/**
 * The id of the item that binds a requester's idempotency key to its dispatch. Hashed so that neither the
 * key nor the requester shows in the id; the newline (which a key cannot hold) keeps `a`+`bc` apart from `ab`+`c`.
 */
export function idempotencyItemId(requester: string, key: string): string {
  return `idem#${createHash('sha256').update(`${requester}\n${key}`).digest('hex')}`;
}

export function toPublicView(dispatch: Dispatch): DispatchView {
  return {
    id: dispatch.id,
    status: dispatch.status,
    agent: dispatch.agent,
    model: dispatch.model,
    modelTier: dispatch.modelTier,
    promptPreview: promptPreview(dispatch.prompt),
    maxCostUsd: dispatch.maxCostUsd,
    createdAt: dispatch.createdAt,
    updatedAt: dispatch.updatedAt,
    startedAt: dispatch.startedAt,
    finishedAt: dispatch.finishedAt,
    deadline: dispatch.deadline,
    warm: dispatch.warm,
    exitCode: dispatch.exitCode,
    error: dispatch.error,
    statusReason: dispatch.statusReason,
    result: dispatch.result,
    cost: dispatch.cost,
  };
}

/** The first characters of the prompt, counted in code points so that no surrogate pair is cut in half. */
function promptPreview(prompt: string): string {
  return Array.from(prompt.slice(0, 2 * PROMPT_PREVIEW_LENGTH)).slice(0, PROMPT_PREVIEW_LENGTH).join('');
}

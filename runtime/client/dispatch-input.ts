import type { AgentName } from '../contracts/agent-names';
import type { DispatchRequestInput, ModelTier } from '../core/dispatch/request';

// Written out rather than imported from the parser (`parseDispatchRequest`, runtime/core/dispatch/request.ts):
// its type is zod's, and the client's published declarations name no other package. `InputMatchesParser`
// below keeps the two the same.
/** The body of `POST /dispatch`. */
export interface DispatchInput {
  readonly agent: AgentName;
  /** A model id; or name a tier (`modelTier`), or neither for the agent's default. */
  readonly model?: string;
  readonly modelTier?: ModelTier;
  /** Up to 100,000 characters. */
  readonly prompt: string;
  /** The repository to work on; without one the agent starts in an empty directory. */
  readonly repository?: {
    /** An https URL without credentials, or `git@host:org/repo.git`. */
    readonly url: string;
    /** @default "main" */
    readonly baseBranch?: string;
  };
  /** @default { kind: "ephemeral" } */
  readonly workspace?: { readonly kind: 'ephemeral' } | { readonly kind: 'persistent'; readonly name: string };
  /** From 60 to 86,400. @default 3600 */
  readonly timeoutSeconds?: number;
  /**
   * The same key from the same caller returns the dispatch it first created instead of starting another.
   * @default - a random key per call, so that the client's own retries never start a run twice
   */
  readonly idempotencyKey?: string;
  /**
   * The run's spending limit on models, in USD (more than 0, at most 100,000): the worker's model gateway stops
   * the run when it is reached, and the dispatch ends FAILED with `statusReason` `BudgetExceeded`.
   * @default - the platform's `defaultMaxCostUsd`, or no limit
   */
  readonly maxCostUsd?: number;
}

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

/** Does not compile when `DispatchInput` and what the parser accepts differ in any field, its type or its optionality. */
export type InputMatchesParser = Assert<Same<DispatchInput, DispatchRequestInput>>;

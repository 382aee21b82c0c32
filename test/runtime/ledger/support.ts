import type { Dispatch } from '../../../runtime/core/dispatch/dispatch';
import type { AgentSize } from '../../../runtime/core/ledger/cost';
import { LIST_PRICE_TABLE, type PricingTable } from '../../../runtime/core/ledger/pricing';
import { queued } from '../dispatch/support/dispatches';

export const CLAUDE_SIZE: AgentSize = {
  cpu: 1024,
  memoryMiB: 4096,
  ephemeralStorageGiB: 40,
  models: { flagship: 'claude-opus-5-5', balanced: 'claude-sonnet-5-5', fast: 'claude-haiku-5-5' },
};

export const GEMINI_SIZE: AgentSize = {
  ...CLAUDE_SIZE,
  models: { flagship: 'gemini-2.5-pro', balanced: 'gemini-2.5-flash', fast: 'gemini-2.5-flash-lite' },
};

/**
 * The shipped table's Fargate prices with model prices of the tests' own, so that per-model pricing is tested
 * whatever the shipped table says. They have the shape of the providers' list prices: Anthropic bills a cache
 * read at 0.1× input and a (5-minute) cache write at 1.25×; Google lists no separate cache-write price.
 */
export const PER_MODEL_PRICING: PricingTable = {
  ...LIST_PRICE_TABLE,
  version: 'test-per-model',
  referenceModel: 'claude-opus-4-1',
  models: {
    'claude-opus-4-1': { input: 15, output: 75, cachedInput: 1.5, cacheWrite: 18.75 },
    'claude-opus-4-6': { input: 5, output: 25, cachedInput: 0.5, cacheWrite: 6.25 },
    'claude-haiku-4-5': { input: 1, output: 5, cachedInput: 0.1, cacheWrite: 1.25 },
    'gemini-2.5-pro': { input: 1.25, output: 10, cachedInput: 0.125 },
    'gemini-2.5-flash': { input: 0.3, output: 2.5, cachedInput: 0.03 },
  },
};

/**
 * A dispatch that finished after running an hour on a cold task of 1 vCPU, 4 GiB and 40 GiB, on-demand arm64,
 * having read a million tokens (a quarter of them cached) and written 100,000, with Claude Sonnet 4.5.
 */
export function finished(overrides: Partial<Dispatch> = {}): Dispatch {
  return {
    ...queued(),
    status: 'COMPLETED',
    agentStatus: 'claude#COMPLETED',
    version: 3,
    model: 'claude-sonnet-4-5',
    startedAt: '2026-01-02T03:04:00.000Z',
    finishedAt: '2026-01-02T04:04:00.000Z',
    taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/outpost/0f1e',
    task: {
      pullStartedAt: '2026-01-02T03:04:00.000Z',
      startedAt: '2026-01-02T03:04:30.000Z',
      stoppedAt: '2026-01-02T04:04:00.000Z',
      cpu: 1024,
      memoryMiB: 4096,
      ephemeralStorageGiB: 40,
      capacityProvider: 'FARGATE',
      architecture: 'arm64',
    },
    result: { commit: 'abc', branch: 'outpost/x', tokenUsage: { input: 1_000_000, cached: 250_000, output: 100_000 }, durationSeconds: 3590 },
    ...overrides,
  };
}

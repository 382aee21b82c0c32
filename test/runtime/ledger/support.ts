import type { Dispatch } from '../../../runtime/core/dispatch/dispatch';
import type { AgentSize } from '../../../runtime/core/ledger/cost';
import { queued } from '../dispatch/support/dispatches';

export const CLAUDE_SIZE: AgentSize = {
  cpu: 1024,
  memoryMiB: 4096,
  ephemeralStorageGiB: 40,
  models: { flagship: 'claude-opus-5-5', balanced: 'claude-sonnet-5-5', fast: 'claude-haiku-5-5' },
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

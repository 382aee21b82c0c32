import { measuredColdStart, type ColdStart } from './cold-starts';
import type { StreamChange } from '../../stream-change';
import type { PolicyTrigger } from '../policy/policy';

/** The scaler run one agent's pool changes call for. */
export interface AgentTrigger {
  readonly agent: string;
  readonly trigger: PolicyTrigger;
  /** Cold starts measured by workers that became idle. */
  readonly coldStarts: readonly ColdStart[];
}

/** When several changes of one agent come in one batch, the run is for the most pressing. */
const URGENCY: readonly PolicyTrigger[] = ['missed', 'claimed', 'stopped', 'idle'];

/**
 * What one pool-table stream record means to the scaler (the event source's filters pass only these):
 * - a cold start registered a RESERVED worker (INSERT): a dispatch found no idle worker, `missed`;
 * - IDLE → RESERVED: a dispatch `claimed` a worker;
 * - STARTING or RESERVED → IDLE: a worker became `idle` (after STARTING, its cold start is measured);
 * - a STARTING or IDLE worker's item was removed (its task stopped): `stopped`.
 * The scaler's own items (`scaler#<agent>`) have no state, and so mean nothing.
 */
export function poolChange(change: StreamChange): { agent: string; trigger: PolicyTrigger; coldStart?: ColdStart } | undefined {
  const { oldImage: before, newImage: after } = change;
  const agent = String((after ?? before)?.agent ?? '');
  if (!agent) {
    return undefined;
  }
  switch (change.eventName) {
    case 'INSERT':
      return after?.state === 'RESERVED' ? { agent, trigger: 'missed' } : undefined;
    case 'MODIFY':
      if (before?.state === 'IDLE' && after?.state === 'RESERVED') {
        return { agent, trigger: 'claimed' };
      }
      if (after?.state === 'IDLE' && (before?.state === 'STARTING' || before?.state === 'RESERVED')) {
        const coldStart = before?.state === 'STARTING' ? measuredColdStart(before, after) : undefined;
        return { agent, trigger: 'idle', ...(coldStart && { coldStart }) };
      }
      return undefined;
    case 'REMOVE':
      return before?.state === 'STARTING' || before?.state === 'IDLE' ? { agent, trigger: 'stopped' } : undefined;
    default:
      return undefined;
  }
}

/** One run per agent a batch of stream records touches, for its most pressing change, with the cold starts measured. */
export function streamTriggers(changes: readonly StreamChange[]): AgentTrigger[] {
  const byAgent = new Map<string, { trigger: PolicyTrigger; coldStarts: ColdStart[] }>();
  for (const change of changes) {
    const pool = poolChange(change);
    if (!pool) {
      continue;
    }
    const current = byAgent.get(pool.agent) ?? { trigger: pool.trigger, coldStarts: [] };
    if (URGENCY.indexOf(pool.trigger) < URGENCY.indexOf(current.trigger)) {
      current.trigger = pool.trigger;
    }
    if (pool.coldStart) {
      current.coldStarts.push(pool.coldStart);
    }
    byAgent.set(pool.agent, current);
  }
  return [...byAgent].map(([agent, run]) => ({ agent, ...run }));
}

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { coldStartSeconds } from './cold-starts';
import type { PolicyTrigger } from '../policy/policy';

/** The scaler run one agent's pool changes call for. */
export interface AgentTrigger {
  readonly agent: string;
  readonly trigger: PolicyTrigger;
  /** Cold starts measured by workers that became idle, in seconds. */
  readonly coldStartSeconds: readonly number[];
}

/** When several changes of one agent come in one batch, the run is for the most pressing. */
const URGENCY: readonly PolicyTrigger[] = ['missed', 'claimed', 'stopped', 'idle'];

type Image = Record<string, unknown>;

const imageOf = (image: unknown): Image | undefined => (image ? unmarshall(image as Record<string, AttributeValue>) : undefined);

/**
 * What one pool-table stream record means to the scaler (the event source's filters pass only these):
 * - a cold start registered a RESERVED worker (INSERT): a dispatch found no idle worker, `missed`;
 * - IDLE → RESERVED: a dispatch `claimed` a worker;
 * - STARTING or RESERVED → IDLE: a worker became `idle` (after STARTING, its cold start is measured);
 * - a STARTING or IDLE worker's item was removed (its task stopped): `stopped`.
 * The scaler's own items (`scaler#<agent>`) have no state, and so mean nothing.
 */
export function poolChange(record: DynamoDBRecord): { agent: string; trigger: PolicyTrigger; coldStartSeconds?: number } | undefined {
  const before = imageOf(record.dynamodb?.OldImage);
  const after = imageOf(record.dynamodb?.NewImage);
  const agent = String((after ?? before)?.agent ?? '');
  if (!agent) {
    return undefined;
  }
  switch (record.eventName) {
    case 'INSERT':
      return after?.state === 'RESERVED' ? { agent, trigger: 'missed' } : undefined;
    case 'MODIFY':
      if (before?.state === 'IDLE' && after?.state === 'RESERVED') {
        return { agent, trigger: 'claimed' };
      }
      if (after?.state === 'IDLE' && (before?.state === 'STARTING' || before?.state === 'RESERVED')) {
        const seconds = before?.state === 'STARTING' ? coldStartSeconds(before.since, after.since) : undefined;
        return { agent, trigger: 'idle', ...(seconds !== undefined && { coldStartSeconds: seconds }) };
      }
      return undefined;
    case 'REMOVE':
      return before?.state === 'STARTING' || before?.state === 'IDLE' ? { agent, trigger: 'stopped' } : undefined;
    default:
      return undefined;
  }
}

/** One run per agent a batch of stream records touches, for its most pressing change, with the cold starts measured. */
export function streamTriggers(records: readonly DynamoDBRecord[]): AgentTrigger[] {
  const byAgent = new Map<string, { trigger: PolicyTrigger; coldStartSeconds: number[] }>();
  for (const record of records) {
    const change = poolChange(record);
    if (!change) {
      continue;
    }
    const current = byAgent.get(change.agent) ?? { trigger: change.trigger, coldStartSeconds: [] };
    if (URGENCY.indexOf(change.trigger) < URGENCY.indexOf(current.trigger)) {
      current.trigger = change.trigger;
    }
    if (change.coldStartSeconds !== undefined) {
      current.coldStartSeconds.push(change.coldStartSeconds);
    }
    byAgent.set(change.agent, current);
  }
  return [...byAgent].map(([agent, run]) => ({ agent, ...run }));
}

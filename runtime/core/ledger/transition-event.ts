import * as z from 'zod/mini';
import { DISPATCH_EVENT_SOURCE, DISPATCH_STATE_CHANGE, type DispatchTransitionEvent } from '../dispatch/events';

const TransitionEvent = z.object({
  'source': z.enum([DISPATCH_EVENT_SOURCE]),
  'detail-type': z.enum([DISPATCH_STATE_CHANGE]),
  'detail': z.object({ dispatchId: z.string(), agent: z.string(), requester: z.string(), from: z.string(), to: z.string(), at: z.string() }),
});

/** The transition a `Dispatch State Change` event from the platform bus carries; undefined for any other event. */
export function transitionOfEvent(event: unknown): DispatchTransitionEvent | undefined {
  const parsed = z.safeParse(TransitionEvent, event);
  return parsed.success ? parsed.data.detail as DispatchTransitionEvent : undefined;
}

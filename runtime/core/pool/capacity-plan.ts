import type { LaunchFailureKind } from './launch-failure';
import type { Architecture } from '../ledger/pricing';

export type FargateCapacityProvider = 'FARGATE_SPOT' | 'FARGATE';

/**
 * Whether Fargate Spot runs tasks of this CPU architecture. It does not run ARM64 ones: "Linux tasks with the
 * ARM64 architecture don't support the Fargate Spot capacity provider. Fargate Spot only supports Linux tasks
 * with the X86_64 architecture." (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html)
 */
export function spotRuns(architecture: Architecture): boolean {
  return architecture === 'x86_64';
}

/**
 * The capacity providers a launch tries, in order, each as a one-provider strategy: Fargate Spot first
 * where enabled and able to run the task's architecture (cheaper, but it may have no room), then on-demand.
 */
export function capacityPlan(spotEnabled: boolean, architecture: Architecture): readonly FargateCapacityProvider[] {
  return spotEnabled && spotRuns(architecture) ? ['FARGATE_SPOT', 'FARGATE'] : ['FARGATE'];
}

export interface NextStep {
  /** The index in the plan to try next. */
  readonly step: number;
  /** Whether to wait (backoff) before trying it. */
  readonly backOff: boolean;
}

/**
 * Where a launch goes after a retryable failure on `plan[step]`. No capacity: the next provider at once,
 * since waiting would not give this one room; after the last, back off and start again from the first,
 * which may have room by then. Throttling or a server error: back off and try the same provider again.
 */
export function nextStep(step: number, kind: LaunchFailureKind, planLength: number): NextStep {
  if (kind !== 'capacity') {
    return { step, backOff: true };
  }
  return step + 1 < planLength ? { step: step + 1, backOff: false } : { step: 0, backOff: true };
}

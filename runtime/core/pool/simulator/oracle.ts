import { drawColdStart } from './cold-start';
import { EventQueue } from './event-queue';
import { attemptLaunch } from './launch-attempt';
import { LaunchLimiter } from './launch-limits';
import { seededStream } from './random';
import type { DispatchOutcome, Run, SimulationOptions, TaskBill } from './run';
import type { TraceDispatch } from './trace';

interface Planned {
  readonly index: number;
  readonly coldStartSeconds: number;
}

/**
 * The lower bound no real policy reaches: it knows every dispatch and every cold start in advance, and starts
 * each dispatch's worker exactly one cold start before the dispatch arrives, so the worker is never idle and
 * the dispatch never waits for it. Its launches go through the same RunTask limits; one they delay is late,
 * and its dispatch waits for it. Every dispatch needs a task that starts, so the oracle's non-busy hours (its
 * workers' cold starts) are the least any policy can pay.
 */
export function simulateOracle(trace: readonly TraceDispatch[], options: SimulationOptions): Run {
  const limiter = new LaunchLimiter(options.limits);
  const coldStarts = seededStream(options.seed, 'cold-start');
  const jitter = seededStream(options.seed, 'jitter');
  const queue = new EventQueue<{ readonly plan: Planned; readonly attempt: number }>();
  trace
    .map((dispatch, index) => ({ index, coldStartSeconds: drawColdStart(options.coldStart, coldStarts), at: dispatch.at }))
    .map((plan) => ({ ...plan, launchAt: plan.at - plan.coldStartSeconds * 1000 }))
    .sort((a, b) => a.launchAt - b.launchAt || a.index - b.index)
    .forEach((plan) => queue.push(plan.launchAt, { plan, attempt: 0 }));
  const dispatches: DispatchOutcome[] = [];
  const tasks: TaskBill[] = [];
  for (let next = queue.pop(); next; next = queue.pop()) {
    const { plan, attempt } = next.event;
    const dispatch = trace[plan.index];
    const result = attemptLaunch(limiter, next.at, attempt, jitter);
    if (result.outcome === 'retry') {
      queue.push(result.at, { plan, attempt: attempt + 1 });
    } else if (result.outcome === 'failed') {
      dispatches[plan.index] = { at: dispatch.at, warm: false, waitSeconds: undefined, durationSeconds: dispatch.durationSeconds };
    } else {
      const readyAt = next.at + plan.coldStartSeconds * 1000;
      const runsAt = Math.max(readyAt, dispatch.at) + options.handoffSeconds * 1000;
      dispatches[plan.index] = {
        at: dispatch.at,
        warm: readyAt <= dispatch.at,
        waitSeconds: (runsAt - dispatch.at) / 1000,
        durationSeconds: dispatch.durationSeconds,
      };
      tasks.push({ launchedAt: next.at, stoppedAt: runsAt + dispatch.durationSeconds * 1000, busySeconds: dispatch.durationSeconds });
    }
  }
  return { dispatches, tasks, samples: [], calls: limiter.calls };
}

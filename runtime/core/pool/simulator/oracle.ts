import { drawColdStart, longestColdStartSeconds } from './cold-start';
import { EventQueue } from './event-queue';
import { attemptLaunch } from './launch-attempt';
import { LaunchLimiter } from './launch-limits';
import { seededStream } from './random';
import { RunRecorder, type Run, type RunObserver, type SimulationOptions } from './run';
import { inTimeOrder, traceSource, type TraceDispatch, type TraceSource } from './trace';

interface Planned {
  readonly index: number;
  readonly dispatch: TraceDispatch;
  readonly coldStartSeconds: number;
}

interface Attempt {
  readonly plan: Planned;
  readonly attempt: number;
}

/**
 * The lower bound no real policy reaches: it knows every dispatch and every cold start in advance, and starts
 * each dispatch's worker exactly one cold start before the dispatch arrives, so the worker is never idle and
 * the dispatch never waits for it. Its launches go through the same RunTask limits; one they delay is late,
 * and its dispatch waits for it. Every dispatch needs a task that starts, so the oracle's non-busy hours (its
 * workers' cold starts) are the least any policy can pay.
 *
 * Keeps every outcome, each at its dispatch's place in `trace`; {@link streamOracle} keeps none.
 */
export function simulateOracle(trace: readonly TraceDispatch[], options: SimulationOptions): Run {
  const recorder = new RunRecorder();
  const order = inTimeOrder(trace);
  streamOracle(traceSource(trace), options, {
    dispatch: (outcome, index) => recorder.dispatch(outcome, order[index]),
    task: (bill) => recorder.task(bill),
    call: (record) => recorder.call(record),
  });
  return recorder.run();
}

/**
 * The oracle over a trace in time order, read as it goes: a dispatch is read once no launch before its
 * earliest possible one (its time less the longest cold start) remains, so only the launches of the next
 * longest cold start are held. Launches go in time order (the earlier dispatch first at the same time), a
 * throttled one's retry after every first launch of its time.
 */
export function streamOracle(trace: TraceSource, options: SimulationOptions, observer: RunObserver): void {
  const limiter = new LaunchLimiter(options.limits, (record) => observer.call(record));
  const coldStarts = seededStream(options.seed, 'cold-start');
  const jitter = seededStream(options.seed, 'jitter');
  const readAheadMs = longestColdStartSeconds(options.coldStart) * 1000;
  const plans = new EventQueue<Planned>();
  const retries = new EventQueue<Attempt>();
  const dispatches = trace[Symbol.iterator]();
  let next = dispatches.next();
  let index = 0;
  let lastAt = -Infinity;
  for (;;) {
    const planAt = plans.peekAt();
    const soonest = Math.min(planAt, retries.peekAt());
    if (!next.done && next.value.at - readAheadMs <= soonest) {
      const dispatch = next.value;
      if (dispatch.at < lastAt) {
        throw new Error(`the trace must be in time order: dispatch ${index + 1} (${new Date(dispatch.at).toISOString()}) comes before the one ahead of it; sort it by time`);
      }
      lastAt = dispatch.at;
      const coldStartSeconds = drawColdStart(options.coldStart, coldStarts);
      plans.push(dispatch.at - coldStartSeconds * 1000, { index: index++, dispatch, coldStartSeconds });
      next = dispatches.next();
      continue;
    }
    if (soonest === Infinity) {
      return;
    }
    const { plan, attempt } = planAt <= soonest ? { plan: plans.take(), attempt: 0 } : retries.take();
    const { dispatch } = plan;
    const result = attemptLaunch(limiter, soonest, attempt, jitter);
    if (result.outcome === 'retry') {
      retries.push(result.at, { plan, attempt: attempt + 1 });
    } else if (result.outcome === 'failed') {
      observer.dispatch({ at: dispatch.at, warm: false, waitSeconds: undefined, durationSeconds: dispatch.durationSeconds }, plan.index);
    } else {
      const readyAt = soonest + plan.coldStartSeconds * 1000;
      const runsAt = Math.max(readyAt, dispatch.at) + options.handoffSeconds * 1000;
      observer.dispatch({
        at: dispatch.at,
        warm: readyAt <= dispatch.at,
        waitSeconds: (runsAt - dispatch.at) / 1000,
        durationSeconds: dispatch.durationSeconds,
      }, plan.index);
      observer.task({ launchedAt: soonest, stoppedAt: runsAt + dispatch.durationSeconds * 1000, busySeconds: dispatch.durationSeconds });
    }
  }
}

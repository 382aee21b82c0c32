import { arrivalRate, arrivalsAfter, meanColdStartSeconds } from './demand';
import { idleWorkersToStop } from './idle-stops';
import type { PolicyInput, PoolDecision, PoolPolicy } from './policy';
import { scheduledMinIdle } from './schedule';
import { steadyDemandFloor } from './steady-floor';
import { warmStartGains } from './warm-start-gains';
import { expectedGains, firstWorkerUsesAhead, foldHour, HOUR_MS, rhythmFromMemory, rhythmToMemory, type Rhythm } from './week-rhythm';
import { poissonGains, workersWorthHolding, type ValueRule } from './worker-value';

/** The recent rate: over the last hour, the span of a working session (a burst is met by the cold-start window). */
const RECENT_RATE_WINDOW_SECONDS = 60 * 60;
/** With a floor from `targetWarmRatio`, a standing worker must still be expected to start a dispatch warm every two hours it idles. */
const MAX_IDLE_HOURS_PER_WARM_START = 2;
/** Hours folded into the rhythm late (the scaler missed their end) are folded while their arrivals are still in the lookback. */
const LATE_HOURS_FOLDED = 1;
/** The furthest the first worker's use is looked for: a week. */
const HOURS_AHEAD = 168;

/**
 * The default warm-pool policy (docs/pool.md, "The default policy"): it holds a worker when the warm starts
 * it is expected to give are worth more, at the wait value, than its idling costs.
 *
 *   expected warm starts of the k-th worker = the higher of
 *     - what the agent's week says for this hour and the next (learned hour by hour from its real arrivals,
 *       clusters included: a pipeline's fan-out that recurs is held for, one seen once fades), and
 *     - what its recent rate says (Poisson at the last hour's rate);
 *   worth = the k-th worker's warm starts an hour × the cold start it saves × the wait value
 *   target = min(maxWorkers, max(workers worth it, dispatches within the last cold start (a burst is answered on the event that shows it), minIdle,
 *            scheduled minIdle, the targetWarmRatio floor if set))
 *   start = target − (idle + starting), when positive
 *   stop  = idle workers beyond maxWorkers at once; beyond the target once idle for idleTimeout
 *
 * It is the same on the scaler's minute and on any event, so a claimed worker is replaced by the claim's
 * own evaluation; its memory is the learned week, which changes once an hour.
 */
export const defaultPolicy: PoolPolicy = {
  name: 'default',
  // The hour before this one, and the cold start before that hour (whose claims still hold workers).
  lookbackSeconds: (LATE_HOURS_FOLDED + 1) * 3600 + 3600,
  decide({ now, pool, demand, config, memory }: PolicyInput): PoolDecision {
    const coldStartSeconds = meanColdStartSeconds(demand.coldStartSeconds, config.assumedColdStartSeconds);
    const { maxWorkers } = config;
    const remembered = rhythmFromMemory(memory, now);
    const rhythm = learn(remembered, demand.arrivals, now, coldStartSeconds * 1000, maxWorkers);
    const perHour = 3600 * arrivalRate(demand.arrivals, now, RECENT_RATE_WINDOW_SECONDS);
    // Workers started now are ready one cold start later and idle up to idleTimeout: the next hour counts once it is near.
    const ahead = now + coldStartSeconds * 1000 + 60_000;
    const nextHourNear = Math.floor(ahead / HOUR_MS) > Math.floor(now / HOUR_MS);
    const estimates = [
      expectedGains(rhythm, now),
      poissonGains(perHour, coldStartSeconds, maxWorkers),
      ...nextHourNear ? [expectedGains(rhythm, ahead)] : [],
    ];
    const { waitValueUsdPerHour, workerUsdPerHour } = config;
    const worth = Math.max(
      workersWorthHolding(estimates, { waitValueUsdPerHour, workerUsdPerHour, savedSeconds: coldStartSeconds }),
      firstWorkerWorthKeeping(rhythm, now, { waitValueUsdPerHour, workerUsdPerHour, savedSeconds: coldStartSeconds }) ? 1 : 0,
    );
    const burst = arrivalsAfter(demand.arrivals, now - coldStartSeconds * 1000);
    const { targetWarmRatio } = config;
    const ratioFloor = targetWarmRatio === undefined
      ? 0
      : steadyDemandFloor(perHour / 3600, coldStartSeconds, {
        targetWarmRatio,
        maxIdleHoursPerWarmStart: MAX_IDLE_HOURS_PER_WARM_START,
        cap: maxWorkers,
      });
    const target = Math.min(maxWorkers, Math.max(worth, burst, config.minIdle, scheduledMinIdle(config.schedules, now), ratioFloor));
    return {
      start: Math.max(0, target - pool.idle.length - pool.starting),
      stop: idleWorkersToStop(pool, now, { keep: target, cap: maxWorkers, idleForMs: config.idleTimeoutSeconds * 1000 }),
      target,
      memory: rhythm === remembered && memory.next !== undefined ? memory : rhythmToMemory(rhythm, memory),
    };
  },
};

/**
 * Whether the first worker is worth keeping through a quiet spell: stopped, it is not there for the next
 * dispatch, whenever that comes, unless the week foresees it. Kept, it idles until that dispatch: worth it
 * when the week expects at least one dispatch within the hours of idling a saved wait pays for (at $60 an hour
 * and 65 s cold starts, 23 hours) and before an hour that expects a dispatch of its own. Further workers
 * serve clusters, which the hour's own gains judge.
 */
function firstWorkerWorthKeeping(rhythm: Rhythm, now: number, rule: ValueRule): boolean {
  const warmStartUsd = (rule.savedSeconds / 3600) * rule.waitValueUsdPerHour;
  const breakEvenHours = Math.min(HOURS_AHEAD, warmStartUsd / rule.workerUsdPerHour);
  return breakEvenHours >= 1 && firstWorkerUsesAhead(rhythm, now, breakEvenHours) >= 1;
}

/** The rhythm with every finished hour folded in whose arrivals the lookback still holds. */
function learn(rhythm: Rhythm, arrivals: readonly number[], now: number, coldStartMs: number, maxWorkers: number): Rhythm {
  const current = Math.floor(now / HOUR_MS);
  let learned = rhythm;
  for (let hour = Math.max(rhythm.next, current - LATE_HOURS_FOLDED); hour < current; hour++) {
    const from = hour * HOUR_MS;
    const to = from + HOUR_MS;
    const dispatches = arrivalsAfter(arrivals, from) - arrivalsAfter(arrivals, to);
    learned = foldHour(learned, hour, warmStartGains(arrivals, from, to, coldStartMs, maxWorkers), dispatches);
  }
  return learned;
}

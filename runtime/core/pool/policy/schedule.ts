import { cronMatches, parseCron, type CronExpression } from './cron';
import { localMinute } from './local-time';

/**
 * A window in which the pool keeps at least `minIdle` idle workers, e.g. working hours:
 * `{ cron: '* 8-17 * * MON-FRI', timeZone: 'Europe/Berlin', minIdle: 3 }`. The cron expression names the
 * minutes the window covers (every minute from 08:00 to 17:59 on weekdays, there), not the moments it
 * starts, so a window needs no separate end.
 */
export interface ScheduledFloor {
  readonly cron: string;
  /** An IANA time zone; daylight-saving time moves the window with the local clock. */
  readonly timeZone: string;
  readonly minIdle: number;
}

/** Parsed once per configuration rather than on every evaluation. */
const parsed = new Map<string, CronExpression>();

function cronOf(expression: string): CronExpression {
  let cron = parsed.get(expression);
  if (!cron) {
    cron = parseCron(expression);
    parsed.set(expression, cron);
  }
  return cron;
}

/** The highest floor among the schedules whose window covers `now`; 0 when none does. */
export function scheduledMinIdle(schedules: readonly ScheduledFloor[], now: number): number {
  let floor = 0;
  for (const schedule of schedules) {
    if (schedule.minIdle > floor && cronMatches(cronOf(schedule.cron), localMinute(now, schedule.timeZone))) {
      floor = schedule.minIdle;
    }
  }
  return floor;
}

import { cronMatches, parseCron, type LocalMinute } from '../../../../runtime/core/pool/policy/cron';
import { localMinute } from '../../../../runtime/core/pool/policy/local-time';
import { scheduledMinIdle } from '../../../../runtime/core/pool/policy/schedule';

const at = (fields: Partial<LocalMinute>): LocalMinute => ({ minute: 0, hour: 0, dayOfMonth: 1, month: 1, dayOfWeek: 0, ...fields });

describe('parseCron and cronMatches', () => {
  test('ranges, lists, steps and names', () => {
    const cron = parseCron('*/15 8-17,20 * JAN-MAR mon-fri');
    expect([...cron.minutes]).toEqual([0, 15, 30, 45]);
    expect([...cron.hours]).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 20]);
    expect([...cron.months]).toEqual([1, 2, 3]);
    expect([...cron.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
    expect(cronMatches(cron, at({ minute: 45, hour: 20, month: 3, dayOfWeek: 5 }))).toBe(true);
    expect(cronMatches(cron, at({ minute: 46, hour: 20, month: 3, dayOfWeek: 5 }))).toBe(false);
    expect(cronMatches(cron, at({ minute: 45, hour: 18, month: 3, dayOfWeek: 5 }))).toBe(false);
    expect(cronMatches(cron, at({ minute: 45, hour: 20, month: 4, dayOfWeek: 5 }))).toBe(false);
    expect(cronMatches(cron, at({ minute: 45, hour: 20, month: 3, dayOfWeek: 6 }))).toBe(false);
  });

  test('day of week 7 is Sunday, like 0', () => {
    expect(cronMatches(parseCron('* * * * 7'), at({ dayOfWeek: 0 }))).toBe(true);
    expect(cronMatches(parseCron('* * * * 5-7'), at({ dayOfWeek: 0 }))).toBe(true);
    expect(cronMatches(parseCron('* * * * 5-7'), at({ dayOfWeek: 4 }))).toBe(false);
  });

  test('when both day fields are restricted, either one matching is enough (Vixie cron)', () => {
    const cron = parseCron('* * 1 * MON');
    expect(cronMatches(cron, at({ dayOfMonth: 1, dayOfWeek: 3 }))).toBe(true);
    expect(cronMatches(cron, at({ dayOfMonth: 9, dayOfWeek: 1 }))).toBe(true);
    expect(cronMatches(cron, at({ dayOfMonth: 9, dayOfWeek: 3 }))).toBe(false);
    // Only one restricted: both must match.
    expect(cronMatches(parseCron('* * 1 * *'), at({ dayOfMonth: 9 }))).toBe(false);
  });

  test.each([
    ['* * * *', 'must have 5 fields'],
    ['60 * * * *', '"60" in the minute field must be 0 to 59'],
    ['* 24 * * *', '"24" in the hour field must be 0 to 23'],
    ['* * 0 * *', '"0" in the day of month field must be 1 to 31'],
    ['* * * FOO *', '"FOO" in the month field must be 1 to 12 or a name'],
    ['* * * * 1-2-3', 'is not a value or a range'],
    ['* 17-8 * * *', 'runs backwards'],
    ['*/0 * * * *', 'step "0" in the minute field'],
  ])('rejects %s', (expression, message) => {
    expect(() => parseCron(expression)).toThrow(message);
  });
});

describe('local time and schedules', () => {
  test('the local minute follows daylight-saving time', () => {
    // Berlin moves from UTC+1 to UTC+2 on 29 March 2026 at 01:00 UTC.
    expect(localMinute(Date.parse('2026-03-29T00:30:00Z'), 'Europe/Berlin')).toEqual({ minute: 30, hour: 1, dayOfMonth: 29, month: 3, dayOfWeek: 0 });
    expect(localMinute(Date.parse('2026-03-29T01:30:00Z'), 'Europe/Berlin')).toEqual({ minute: 30, hour: 3, dayOfMonth: 29, month: 3, dayOfWeek: 0 });
  });

  test('a schedule raises the floor only in its local window; the highest applies', () => {
    const schedules = [
      { cron: '* 9-17 * * MON-FRI', timeZone: 'Europe/Berlin', minIdle: 3 },
      { cron: '* 10-11 * * MON-FRI', timeZone: 'Europe/Berlin', minIdle: 5 },
    ];
    // Monday 2 March 2026; Berlin is UTC+1.
    expect(scheduledMinIdle(schedules, Date.parse('2026-03-02T07:59:00Z'))).toBe(0);
    expect(scheduledMinIdle(schedules, Date.parse('2026-03-02T08:00:00Z'))).toBe(3);
    expect(scheduledMinIdle(schedules, Date.parse('2026-03-02T09:30:00Z'))).toBe(5);
    expect(scheduledMinIdle(schedules, Date.parse('2026-03-02T16:59:00Z'))).toBe(3);
    expect(scheduledMinIdle(schedules, Date.parse('2026-03-02T17:00:00Z'))).toBe(0);
    // Saturday.
    expect(scheduledMinIdle(schedules, Date.parse('2026-03-07T10:00:00Z'))).toBe(0);
    expect(scheduledMinIdle([], Date.parse('2026-03-02T10:00:00Z'))).toBe(0);
  });
});

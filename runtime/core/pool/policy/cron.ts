/**
 * A five-field cron expression (minute hour day-of-month month day-of-week), matched against one minute of
 * local time. Fields take `*`, numbers, ranges `a-b`, steps `*\/n` and `a-b/n`, and comma lists; months and
 * days may be named (`JAN`, `MON-FRI`); day-of-week 0 and 7 are both Sunday. As in Vixie cron, when both
 * day fields are restricted a minute matches if either day field does.
 */
export interface CronExpression {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek: ReadonlySet<number>;
  readonly dayOfMonthRestricted: boolean;
  readonly dayOfWeekRestricted: boolean;
}

/** The wall-clock fields of one minute in some time zone; `dayOfWeek` 0 is Sunday. */
export interface LocalMinute {
  readonly minute: number;
  readonly hour: number;
  readonly dayOfMonth: number;
  readonly month: number;
  readonly dayOfWeek: number;
}

interface FieldRange {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly FieldRange[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  // 7 is accepted as Sunday and folded onto 0 below.
  { name: 'day of week', min: 0, max: 7, names: DAY_NAMES },
];

export function parseCron(expression: string): CronExpression {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== FIELDS.length) {
    throw new Error(`cron "${expression}" must have 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`);
  }
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = fields.map((field, index) => parseField(field, FIELDS[index], expression));
  const sundays = daysOfWeek.has(7) ? new Set([...daysOfWeek].filter((day) => day !== 7).concat(0)) : daysOfWeek;
  return {
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek: sundays,
    dayOfMonthRestricted: fields[2] !== '*',
    dayOfWeekRestricted: fields[4] !== '*',
  };
}

export function cronMatches(cron: CronExpression, at: LocalMinute): boolean {
  if (!cron.minutes.has(at.minute) || !cron.hours.has(at.hour) || !cron.months.has(at.month)) {
    return false;
  }
  const dayOfMonth = cron.daysOfMonth.has(at.dayOfMonth);
  const dayOfWeek = cron.daysOfWeek.has(at.dayOfWeek);
  if (cron.dayOfMonthRestricted && cron.dayOfWeekRestricted) {
    return dayOfMonth || dayOfWeek;
  }
  return dayOfMonth && dayOfWeek;
}

function parseField(field: string, range: FieldRange, expression: string): Set<number> {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const [span, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) {
      throw new Error(`cron "${expression}": step "${stepText}" in the ${range.name} field must be a whole number of at least 1`);
    }
    const [from, to] = span === '*' ? [range.min, range.max] : spanBounds(span, range, expression);
    for (let value = from; value <= to; value += step) {
      values.add(value);
    }
  }
  return values;
}

function spanBounds(span: string, range: FieldRange, expression: string): [number, number] {
  const ends = span.split('-');
  if (ends.length > 2) {
    throw new Error(`cron "${expression}": "${span}" in the ${range.name} field is not a value or a range a-b`);
  }
  const from = fieldValue(ends[0], range, expression);
  const to = ends.length === 2 ? fieldValue(ends[1], range, expression) : from;
  if (from > to) {
    throw new Error(`cron "${expression}": range "${span}" in the ${range.name} field runs backwards`);
  }
  return [from, to];
}

function fieldValue(text: string, range: FieldRange, expression: string): number {
  const named = range.names?.indexOf(text.toUpperCase()) ?? -1;
  // Month names count from 1, day names from 0 (Sunday).
  const value = named >= 0 ? named + range.min : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= range.min && value <= range.max)) {
    throw new Error(`cron "${expression}": "${text}" in the ${range.name} field must be ${range.min} to ${range.max}${range.names ? ' or a name' : ''}`);
  }
  return value;
}

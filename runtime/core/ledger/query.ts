import { GROUP_BYS, type GroupBy } from './totals';
import type { ApiError } from '../dispatch/api-error';

/** The longest range `GET /ledger` answers: a year, leap day included. */
export const MAX_RANGE_DAYS = 366;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const KNOWN = new Set(['from', 'to', 'groupBy']);

export interface LedgerQuery {
  readonly from: string;
  readonly to: string;
  readonly groupBy: GroupBy;
}

export type ParsedLedgerQuery = { readonly ok: true; readonly query: LedgerQuery } | { readonly ok: false; readonly error: ApiError };

/** `?from=YYYY-MM-DD&to=YYYY-MM-DD&groupBy=day|agent|requester` (groupBy defaults to day), or the first problem. */
export function parseLedgerQuery(params: Readonly<Record<string, string | undefined>>): ParsedLedgerQuery {
  const unknown = Object.keys(params).find((name) => !KNOWN.has(name));
  if (unknown !== undefined) {
    return invalid('UnknownParameter', unknown.slice(0, 64), `${JSON.stringify(unknown.slice(0, 64))} is not a parameter of GET /ledger: use from, to and groupBy.`);
  }
  for (const field of ['from', 'to'] as const) {
    const value = params[field];
    if (value === undefined) {
      return invalid('MissingParameter', field, `${field} is required: a UTC day, YYYY-MM-DD.`);
    }
    if (!isDay(value)) {
      return invalid('InvalidParameter', field, `${field} must be a UTC day, YYYY-MM-DD.`);
    }
  }
  const from = params.from!;
  const to = params.to!;
  if (from > to) {
    return invalid('InvalidParameter', 'to', 'to must not be before from.');
  }
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 + 1 > MAX_RANGE_DAYS) {
    return invalid('InvalidParameter', 'to', `from and to may be at most ${MAX_RANGE_DAYS} days apart, both included.`);
  }
  const groupBy = params.groupBy ?? 'day';
  if (!GROUP_BYS.includes(groupBy as GroupBy)) {
    return invalid('InvalidParameter', 'groupBy', `groupBy must be one of ${GROUP_BYS.join(', ')}.`);
  }
  return { ok: true, query: { from, to, groupBy: groupBy as GroupBy } };
}

/** A real calendar day (2025-02-30 is not). */
export function isDay(value: string): boolean {
  return DAY.test(value) && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString().slice(0, 10) === value;
}

function invalid(code: string, field: string, message: string): ParsedLedgerQuery {
  return { ok: false, error: { status: 400, code, field, message } };
}

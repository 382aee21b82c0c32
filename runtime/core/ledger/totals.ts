import type { DispatchCostEvent } from './event';

/** How `GET /ledger` groups the totals. */
export const GROUP_BYS = ['day', 'agent', 'requester'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

/** The sums a totals item keeps, and a group of the answer adds up. */
export interface Sums {
  readonly dispatches: number;
  readonly usd: number;
  readonly computeUsd: number;
  readonly storageUsd: number;
  readonly llmUsd: number;
}

/** One item of the ledger table's running totals: one day, one agent, one requester. */
export interface TotalsItem extends Sums {
  readonly day: string;
  readonly agent: string;
  readonly requester: string;
}

export interface LedgerGroup extends Sums {
  readonly key: string;
}

/** The `GET /ledger` answer (the CLI's `outpost cost` reads it: keep its shape). */
export interface LedgerReport {
  readonly from: string;
  readonly to: string;
  readonly groupBy: GroupBy;
  readonly currency: 'USD';
  readonly groups: readonly LedgerGroup[];
  readonly totalUsd: number;
}

/**
 * The ledger table's keys (docs/data-model.md). Each dispatch adds to two totals items, which hold the same
 * sums read two ways: by requester (a caller's own totals, one partition) and by month (everyone's, for
 * admins: a year is 13 partitions at most). Sort keys start with the day, so a date range is one key range.
 */
export const ledgerKeys = {
  /** Written once per dispatch, in the same transaction as the totals: a redelivered event adds nothing. */
  marker: (dispatchId: string) => ({ pk: `dispatch#${dispatchId}`, sk: 'cost' }),
  byRequester: (item: Pick<TotalsItem, 'day' | 'agent' | 'requester'>) => ({ pk: `requester#${item.requester}`, sk: `${item.day}#${item.agent}` }),
  byMonth: (item: Pick<TotalsItem, 'day' | 'agent' | 'requester'>) => ({ pk: `month#${item.day.slice(0, 7)}`, sk: `${item.day}#${item.agent}#${item.requester}` }),
  requesterPartition: (requester: string) => `requester#${requester}`,
  monthPartition: (month: string) => `month#${month}`,
  /** Sort keys from the first day to the last, inclusive: `~` sorts after `#` and every agent name. */
  dayRange: (from: string, to: string) => ({ from, to: `${to}~` }),
};

/** The UTC day a dispatch's cost is booked on: the day it finished. */
export function bookingDay(event: DispatchCostEvent, at: Date): string {
  return (event.finishedAt ?? at.toISOString()).slice(0, 10);
}

/** What one dispatch adds to its totals. */
export function sumsOf(event: DispatchCostEvent): Sums {
  return { dispatches: 1, usd: event.totalUsd, computeUsd: event.computeUsd, storageUsd: event.storageUsd, llmUsd: event.llmUsd };
}

/** The months `from` to `to` touch (`YYYY-MM`), in order. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  const cursor = new Date(`${from.slice(0, 7)}-01T00:00:00Z`);
  const last = to.slice(0, 7);
  while (cursor.toISOString().slice(0, 7) <= last) {
    months.push(cursor.toISOString().slice(0, 7));
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  return months;
}

/** The answer: totals items added up by `groupBy`, groups in key order, sums rounded to a millionth of a dollar. */
export function ledgerReport(from: string, to: string, groupBy: GroupBy, items: readonly TotalsItem[]): LedgerReport {
  const groups = new Map<string, Sums>();
  for (const item of items) {
    const key = item[groupBy];
    const sums = groups.get(key) ?? { dispatches: 0, usd: 0, computeUsd: 0, storageUsd: 0, llmUsd: 0 };
    groups.set(key, {
      dispatches: sums.dispatches + item.dispatches,
      usd: sums.usd + item.usd,
      computeUsd: sums.computeUsd + item.computeUsd,
      storageUsd: sums.storageUsd + item.storageUsd,
      llmUsd: sums.llmUsd + item.llmUsd,
    });
  }
  const sorted = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, sums]) => ({
    key,
    dispatches: sums.dispatches,
    usd: roundUsd(sums.usd),
    computeUsd: roundUsd(sums.computeUsd),
    storageUsd: roundUsd(sums.storageUsd),
    llmUsd: roundUsd(sums.llmUsd),
  }));
  return { from, to, groupBy, currency: 'USD', groups: sorted, totalUsd: roundUsd(sorted.reduce((total, group) => total + group.usd, 0)) };
}

function roundUsd(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

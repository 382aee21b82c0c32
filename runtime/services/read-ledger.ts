import type { LedgerTable } from '../adapters/ledger-table';
import type { Caller } from '../core/api/caller';
import type { LedgerQuery } from '../core/ledger/query';
import { ledgerReport, type LedgerReport } from '../core/ledger/totals';

/** `GET /ledger` (the caller's own totals) and `GET /admin/ledger` (everyone's, for an admin). */
export async function readLedger(ledger: Pick<LedgerTable, 'totals'>, caller: Caller, query: LedgerQuery): Promise<LedgerReport> {
  const { from, to, groupBy } = query;
  const items = await ledger.totals(from, to, caller.admin ? undefined : caller.id);
  return ledgerReport(from, to, groupBy, items);
}

import { parseLedgerQuery } from '../../../runtime/core/ledger/query';
import { ledgerKeys, ledgerReport, monthsBetween, type TotalsItem } from '../../../runtime/core/ledger/totals';

const item = (day: string, agent: string, requester: string, usd: number): TotalsItem =>
  ({ day, agent, requester, dispatches: 1, usd, computeUsd: usd / 2, storageUsd: 0, llmUsd: usd / 2 });

describe('GET /ledger parameters', () => {
  test('from, to and groupBy (day by default)', () => {
    expect(parseLedgerQuery({ from: '2026-01-01', to: '2026-01-31', groupBy: 'agent' })).toEqual({ ok: true, query: { from: '2026-01-01', to: '2026-01-31', groupBy: 'agent' } });
    expect(parseLedgerQuery({ from: '2026-01-01', to: '2026-01-01' })).toEqual({ ok: true, query: { from: '2026-01-01', to: '2026-01-01', groupBy: 'day' } });
    expect(parseLedgerQuery({ from: '2024-01-01', to: '2024-12-31' }).ok).toBe(true);
  });

  test.each([
    [{ to: '2026-01-31' }, 'MissingParameter', 'from'],
    [{ from: '2026-01-01' }, 'MissingParameter', 'to'],
    [{ from: '2026-1-1', to: '2026-01-31' }, 'InvalidParameter', 'from'],
    [{ from: '2026-02-30', to: '2026-03-01' }, 'InvalidParameter', 'from'],
    [{ from: '2026-01-01', to: 'tomorrow' }, 'InvalidParameter', 'to'],
    [{ from: '2026-02-01', to: '2026-01-31' }, 'InvalidParameter', 'to'],
    [{ from: '2025-01-01', to: '2026-01-02' }, 'InvalidParameter', 'to'],
    [{ from: '2026-01-01', to: '2026-01-31', groupBy: 'model' }, 'InvalidParameter', 'groupBy'],
    [{ from: '2026-01-01', to: '2026-01-31', requester: 'bob' }, 'UnknownParameter', 'requester'],
  ])('%j is a 400 naming the field', (params, code, field) => {
    const parsed = parseLedgerQuery(params);
    expect(parsed).toMatchObject({ ok: false, error: { status: 400, code, field } });
  });
});

describe('the ledger report', () => {
  const items = [
    item('2026-01-02', 'codex', 'bob', 0.1),
    item('2026-01-01', 'claude', 'alice', 1.000001),
    item('2026-01-02', 'claude', 'alice', 2),
    item('2026-01-02', 'claude', 'bob', 0.2),
  ];

  test('groups by day, agent or requester, in key order, with the total', () => {
    expect(ledgerReport('2026-01-01', '2026-01-02', 'day', items)).toEqual({
      from: '2026-01-01',
      to: '2026-01-02',
      groupBy: 'day',
      currency: 'USD',
      groups: [
        { key: '2026-01-01', dispatches: 1, usd: 1.000001, computeUsd: 0.5, storageUsd: 0, llmUsd: 0.5 },
        { key: '2026-01-02', dispatches: 3, usd: 2.3, computeUsd: 1.15, storageUsd: 0, llmUsd: 1.15 },
      ],
      totalUsd: 3.300001,
    });
    expect(ledgerReport('2026-01-01', '2026-01-02', 'agent', items).groups.map((group) => [group.key, group.dispatches, group.usd])).toEqual([['claude', 3, 3.200001], ['codex', 1, 0.1]]);
    expect(ledgerReport('2026-01-01', '2026-01-02', 'requester', items).groups.map((group) => group.key)).toEqual(['alice', 'bob']);
    expect(ledgerReport('2026-01-01', '2026-01-02', 'day', [])).toMatchObject({ groups: [], totalUsd: 0 });
  });

  test('keys: a requester\'s partition and a month\'s, both sorted by day first', () => {
    const totals = { day: '2026-01-02', agent: 'claude', requester: 'jwt:https://issuer#bob' };
    expect(ledgerKeys.byRequester(totals)).toEqual({ pk: 'requester#jwt:https://issuer#bob', sk: '2026-01-02#claude' });
    expect(ledgerKeys.byMonth(totals)).toEqual({ pk: 'month#2026-01', sk: '2026-01-02#claude#jwt:https://issuer#bob' });
    const range = ledgerKeys.dayRange('2026-01-01', '2026-01-02');
    expect(ledgerKeys.byMonth(totals).sk > range.from && ledgerKeys.byMonth(totals).sk < range.to).toBe(true);
    expect(monthsBetween('2025-12-31', '2026-02-01')).toEqual(['2025-12', '2026-01', '2026-02']);
  });
});

import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CLAUDE_SIZE, finished } from './support';
import { LedgerTable } from '../../../runtime/adapters/ledger-table';
import { OutpostAdminClient, OutpostApiError, OutpostClient } from '../../../runtime/client';
import { dispatchCost } from '../../../runtime/core/ledger/cost';
import { LIST_PRICE_TABLE } from '../../../runtime/core/ledger/pricing';
import { startLocalApi, type LocalApi } from '../../support/local-api';
import { startMotoPlatform, type MotoPlatform } from '../../support/moto-platform';
import { outpost } from '../cli/outpost-bin';

const ALICE = 'arn:aws:sts::123456789012:assumed-role/Dev/alice';
const CAROL = 'arn:aws:sts::123456789012:assumed-role/Readers/carol';
const ADMIN = 'arn:aws:sts::123456789012:assumed-role/Admin/dana';
const LEDGER_TABLE = 'outpost-ledger';

/** `ledger()` of both clients against the real GET /ledger handler, behind the local API Gateway, on moto. */
describe('OutpostClient.ledger through the API (local API Gateway, real handler, moto)', () => {
  let platform: MotoPlatform;
  let api: LocalApi;
  const client = <T>(Client: new (options: any) => T, caller: string): T =>
    new Client({ endpoint: api.endpoint, region: api.region, credentials: api.credentials(caller), backoff: { baseMs: 1, capMs: 1 } });

  beforeAll(async () => {
    platform = await startMotoPlatform();
    await new DynamoDBClient({}).send(new CreateTableCommand({
      TableName: LEDGER_TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    }));
    const ledger = new LedgerTable(DynamoDBDocumentClient.from(new DynamoDBClient({})), LEDGER_TABLE);
    for (const [requester, day] of [[ALICE, '2026-03-01'], [ALICE, '2026-03-02'], [CAROL, '2026-03-02']]) {
      const event = dispatchCost({ dispatch: finished({ requester }), agent: CLAUDE_SIZE, pricing: LIST_PRICE_TABLE, region: 'us-east-1' });
      await ledger.count(event, day, new Date());
    }
    api = await startLocalApi({
      callers: { alice: { arn: ALICE, grant: 'grantDispatch' }, carol: { arn: CAROL, grant: 'grantRead' }, admin: { arn: ADMIN, grant: 'grantAdmin' } },
      environment: platform.apiEnvironment(LEDGER_TABLE),
    });
  });
  afterAll(async () => {
    await api?.stop();
    await platform?.stop();
  });

  test('a caller reads their own totals (grantRead is enough); an admin everyone\'s', async () => {
    const mine = await client(OutpostClient, 'alice').ledger({ from: '2026-03-01', to: '2026-03-31' });
    expect(mine).toEqual({
      from: '2026-03-01',
      to: '2026-03-31',
      groupBy: 'day',
      currency: 'USD',
      groups: [
        { key: '2026-03-01', dispatches: 1, usd: 3.87384, computeUsd: 0.04662, storageUsd: 0.00222, llmUsd: 3.825 },
        { key: '2026-03-02', dispatches: 1, usd: 3.87384, computeUsd: 0.04662, storageUsd: 0.00222, llmUsd: 3.825 },
      ],
      totalUsd: 7.74768,
    });
    expect((await client(OutpostClient, 'carol').ledger({ from: '2026-03-01', to: '2026-03-31', groupBy: 'requester' })).groups.map((group) => group.key)).toEqual([CAROL]);
    const everyone = await client(OutpostAdminClient, 'admin').ledger({ from: '2026-03-01', to: '2026-03-31', groupBy: 'requester' });
    expect(everyone.groups.map((group) => [group.key, group.dispatches])).toEqual([[ALICE, 2], [CAROL, 1]]);
  });

  test('bad parameters are a 400 naming the field; /admin/ledger is for admins only', async () => {
    const error = await client(OutpostClient, 'alice').ledger({ from: '2026-03-31', to: '2026-03-01' }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(OutpostApiError);
    expect(error).toMatchObject({ status: 400, code: 'InvalidParameter', field: 'to' });
    const forbidden = await client(OutpostAdminClient, 'alice').ledger({ from: '2026-03-01', to: '2026-03-31' }).catch((reason: unknown) => reason);
    expect(forbidden).toMatchObject({ status: 403 });
  });

  describe('outpost cost (the built bin)', () => {
    const cost = (caller: string, args: string[]) => outpost(['cost', ...args], api.userEnvironment(caller));

    test('a table of the caller\'s own totals, by day, with a total row', async () => {
      const result = await cost('alice', ['--from', '2026-03-01', '--to', '2026-03-31']);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout.trim().split('\n').map((line) => line.split(/\s{2,}/))).toEqual([
        ['DAY', 'DISPATCHES', 'COMPUTE', 'STORAGE', 'LLM', 'TOTAL'],
        ['2026-03-01', '1', '$0.0466', '$0.0022', '$3.8250', '$3.8738'],
        ['2026-03-02', '1', '$0.0466', '$0.0022', '$3.8250', '$3.8738'],
        ['total', '2', '$7.7477'],
      ]);
    });

    test('--everyone --group-by requester --json: every caller\'s, as the API answers it; not for a non-admin', async () => {
      const result = await cost('admin', ['--from', '2026-03-01', '--to', '2026-03-31', '--group-by', 'requester', '--everyone', '--json']);
      expect(result.code).toBe(0);
      const groups: Array<{ key: string; dispatches: number }> = JSON.parse(result.stdout).groups;
      expect(groups.map((group) => [group.key, group.dispatches])).toEqual([[ALICE, 2], [CAROL, 1]]);
      const refused = await cost('alice', ['--from', '2026-03-01', '--to', '2026-03-31', '--everyone']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('HTTP 403');
    });

    test('a bad day or grouping is a usage error (2); a range the API refuses is an API error (1) naming the field', async () => {
      const badDay = await cost('alice', ['--from', '2026-02-30']);
      expect(badDay).toMatchObject({ code: 2 });
      expect(badDay.stderr).toContain('expected a UTC day, YYYY-MM-DD, got "2026-02-30"');
      expect(await cost('alice', ['--group-by', 'team'])).toMatchObject({ code: 2 });
      const backwards = await cost('alice', ['--from', '2026-03-31', '--to', '2026-03-01']);
      expect(backwards.code).toBe(1);
      expect(backwards.stderr).toContain('field: to');
    });

    test('no --from: the 30 days up to --to', async () => {
      const result = await cost('alice', ['--to', '2026-03-30', '--json']);
      expect(JSON.parse(result.stdout)).toMatchObject({ from: '2026-03-01', to: '2026-03-30', totalUsd: 7.74768 });
    });
  });
});

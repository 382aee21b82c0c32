import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { checkTable } from '../../runtime/adapters/dynamodb-table-check';
import { healthStatusCode, summarizeHealth } from '../../runtime/core/health';
import { handler } from '../../runtime/handlers/health';
import { MotoServer, startMoto } from '../support/moto-server';

const execFileAsync = promisify(execFile);

describe('health core', () => {
  test('ok only when every check is healthy', () => {
    const ok = summarizeHealth('1.2.3', { a: { healthy: true, detail: 'ACTIVE' }, b: { healthy: true, detail: 'ACTIVE' } });
    expect(ok).toEqual({ status: 'ok', version: '1.2.3', checks: expect.any(Object) });
    expect(healthStatusCode(ok)).toBe(200);

    const degraded = summarizeHealth('1.2.3', { a: { healthy: true, detail: 'ACTIVE' }, b: { healthy: false, detail: 'ResourceNotFoundException' } });
    expect(degraded.status).toBe('unavailable');
    expect(healthStatusCode(degraded)).toBe(503);
  });
});

describe('health against DynamoDB (moto)', () => {
  const TABLE = 'outpost-dispatches';
  let moto: MotoServer;
  let client: DynamoDBClient;

  beforeAll(async () => {
    moto = await startMoto();
    client = new DynamoDBClient({});
  });
  afterAll(async () => {
    client.destroy();
    await moto.stop();
  });
  beforeEach(async () => {
    await moto.reset();
  });

  async function createTable(): Promise<void> {
    await client.send(new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }));
  }

  test('an active table is healthy', async () => {
    await createTable();
    expect(await checkTable(client, TABLE)).toEqual({ healthy: true, detail: 'ACTIVE' });
  });

  test('a missing table is unhealthy, reported by error name only', async () => {
    expect(await checkTable(client, TABLE)).toEqual({ healthy: false, detail: 'ResourceNotFoundException' });
  });

  type HealthResponse = { statusCode: number; body: string; headers: Record<string, string> };
  const handlerEnv = { DISPATCHES_TABLE_NAME: TABLE, OUTPOST_VERSION: '9.9.9' };

  /** The handler source, in this process. */
  async function invokeSource(): Promise<HealthResponse> {
    Object.assign(process.env, handlerEnv);
    return handler();
  }

  /** The bundled asset that ships in the package, in a fresh Node.js process as Lambda would load it. */
  async function invokeBundle(): Promise<HealthResponse> {
    const bundle = path.join(__dirname, '..', '..', 'assets', 'handlers', 'health', 'index.js');
    if (!fs.existsSync(bundle)) {
      throw new Error(`${bundle} is missing: run \`npx projen bundle:runtime\` first`);
    }
    const script = `require(${JSON.stringify(bundle)}).handler().then((r) => process.stdout.write(JSON.stringify(r)))`;
    const { stdout } = await execFileAsync(process.execPath, ['-e', script], { env: { ...process.env, ...handlerEnv } });
    return JSON.parse(stdout.slice(stdout.indexOf('{"statusCode"')));
  }

  describe.each([
    ['the handler source', invokeSource],
    ['the bundled asset', invokeBundle],
  ])('%s', (_name, invoke) => {
    test('answers 200 with the version when the platform can take dispatches', async () => {
      await createTable();
      const response = await invoke();
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/json');
      expect(JSON.parse(response.body)).toEqual({ status: 'ok', version: '9.9.9', checks: { dispatchesTable: { healthy: true, detail: 'ACTIVE' } } });
    });

    test('answers 503 when the dispatches table is gone', async () => {
      await createTable();
      await client.send(new DeleteTableCommand({ TableName: TABLE }));
      const response = await invoke();
      expect(response.statusCode).toBe(503);
      expect(JSON.parse(response.body).checks.dispatchesTable).toEqual({ healthy: false, detail: 'ResourceNotFoundException' });
    });
  });
});

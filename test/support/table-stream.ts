import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { type MotoServer, startMoto } from './moto-server';
import { TableStream } from '../../runtime/local/streams/table-stream';
import { createPlatformTables, type TableNames } from '../runtime/dispatch/support/platform-tables';

export { TableStream };

/** The stream of `tableName` in the moto that startMoto pointed the SDK at (AWS_ENDPOINT_URL). */
export async function motoTableStream(dynamodb: DynamoDBClient, tableName: string): Promise<TableStream> {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!endpoint) {
    throw new Error('AWS_ENDPOINT_URL is not set: read a table stream only from moto (startMoto sets it)');
  }
  return TableStream.of(dynamodb, tableName, endpoint);
}

/**
 * Makes each write in turn and answers, by its label, the one record it put on the table's stream, as Lambda
 * would pass it (a write that does not give exactly one record throws, naming it).
 */
export async function recordOfEachWrite(
  dynamodb: DynamoDBClient, tableName: string, writes: Record<string, () => Promise<unknown>>,
): Promise<Record<string, DynamoDBRecord>> {
  const stream = await motoTableStream(dynamodb, tableName);
  await stream.read();
  const records: Record<string, DynamoDBRecord> = {};
  for (const [label, write] of Object.entries(writes)) {
    await write();
    const written = await stream.read();
    if (written.length !== 1) {
      throw new Error(`${label}: the write put ${written.length} records on the stream of ${tableName}, not one`);
    }
    records[label] = written[0];
  }
  return records;
}

/**
 * For the describe block it is called in: moto, started before its tests and stopped after, with the platform's
 * tables (their streams on). Answers the name of `table`, once moto has started.
 */
export function motoTableForSuite(table: keyof TableNames): () => string {
  let moto: MotoServer | undefined;
  let name: string | undefined;
  beforeAll(async () => {
    moto = await startMoto();
    name = (await createPlatformTables(new DynamoDBClient({})))[table];
  }, 60_000);
  afterAll(async () => moto?.stop());
  return () => {
    if (name === undefined) {
      throw new Error(`the ${table} table is made in beforeAll: ask for its name inside a test`);
    }
    return name;
  };
}

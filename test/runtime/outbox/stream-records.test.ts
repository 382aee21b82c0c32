import * as fs from 'fs';
import * as path from 'path';
import { DeleteItemCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { streamRecord } from './stream-records';
import { MotoServer, startMoto } from '../../support/moto-server';
import { motoTableStream } from '../../support/table-stream';
import { createPlatformTables, type TableNames } from '../dispatch/support/platform-tables';

/** The Lambda developer guide's example event, and the page it is from. */
const DOCUMENTED: { source: string; example: { Records: Array<Record<string, any>> } } =
  JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'support', 'fixtures', 'dynamodb-stream-event.json'), 'utf8'));
const [DOCUMENTED_INSERT, DOCUMENTED_MODIFY] = DOCUMENTED.example.Records;

const typeOf = (value: unknown) => Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
const typesOf = (object: Record<string, unknown>) => Object.fromEntries(Object.entries(object).map(([key, value]) => [key, typeOf(value)]));
/** A record's fields and their JSON types, and those of its `dynamodb`: its shape, not its values. */
const shapeOf = (record: Record<string, any>) => ({ ...typesOf(record), dynamodb: typesOf(record.dynamodb) });

describe('DynamoDB stream records, as Lambda passes them', () => {
  let moto: MotoServer;
  let tables: TableNames;
  const dynamodb = () => new DynamoDBClient({});
  const id = { S: '01JDISPATCH0000000000000000' };

  beforeAll(async () => {
    moto = await startMoto();
    tables = await createPlatformTables(dynamodb());
  }, 60_000);
  afterAll(async () => moto.stop());

  test('the fixture is the documented example, with its source', () => {
    expect(DOCUMENTED.source).toBe('https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html');
    expect(DOCUMENTED.example.Records.map((record) => [record.eventName, record.eventSource])).toEqual([['INSERT', 'aws:dynamodb'], ['MODIFY', 'aws:dynamodb']]);
  });

  test('moto\'s real stream, read as Lambda reads it, gives records of the documented shape (and the creation time GetRecords adds)', async () => {
    const stream = await motoTableStream(dynamodb(), tables.dispatches);
    await dynamodb().send(new PutItemCommand({ TableName: tables.dispatches, Item: { id, status: { S: 'QUEUED' } } }));
    await dynamodb().send(new UpdateItemCommand({ TableName: tables.dispatches, Key: { id }, UpdateExpression: 'SET #status = :running', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':running': { S: 'RUNNING' } } }));
    const [inserted, modified] = await stream.read();
    const withCreationTime = (record: Record<string, any>) => ({ ...shapeOf(record), dynamodb: { ...shapeOf(record).dynamodb, ApproximateCreationDateTime: 'number' } });
    expect(shapeOf(inserted)).toEqual(withCreationTime(DOCUMENTED_INSERT));
    expect(shapeOf(modified)).toEqual(withCreationTime(DOCUMENTED_MODIFY));
    const { Table } = await dynamodb().send(new DescribeTableCommand({ TableName: tables.dispatches }));
    expect(inserted).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      eventSourceARN: Table!.LatestStreamArn,
      dynamodb: { Keys: { id }, NewImage: { id, status: { S: 'QUEUED' } }, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    expect(modified.dynamodb).toMatchObject({ OldImage: { status: { S: 'QUEUED' } }, NewImage: { status: { S: 'RUNNING' } } });
  });

  test('each read answers only the records written since the last one', async () => {
    const stream = await motoTableStream(dynamodb(), tables.workspaces);
    const key = { requester: { S: 'alice' }, name: { S: 'main' } };
    await dynamodb().send(new PutItemCommand({ TableName: tables.workspaces, Item: key }));
    expect((await stream.read()).map((record) => record.eventName)).toEqual(['INSERT']);
    expect(await stream.read()).toEqual([]);
    await dynamodb().send(new DeleteItemCommand({ TableName: tables.workspaces, Key: key }));
    expect((await stream.read()).map((record) => [record.eventName, record.dynamodb!.Keys])).toEqual([['REMOVE', key]]);
  });

  test('an UpdateItem that creates its item gives one INSERT of the item, as DynamoDB records it (moto records the key alone first)', async () => {
    const stream = await motoTableStream(dynamodb(), tables.workspaces);
    await stream.read();
    const key = { requester: { S: 'bob' }, name: { S: 'main' } };
    await dynamodb().send(new UpdateItemCommand({ TableName: tables.workspaces, Key: key, UpdateExpression: 'SET inUseBy = :d', ExpressionAttributeValues: { ':d': id } }));
    expect((await stream.read()).map((record) => [record.eventName, record.dynamodb!.NewImage])).toEqual([['INSERT', { ...key, inUseBy: id }]]);
  });

  test('streamRecord, the records unit tests build, has the documented shape, with the keys of the item\'s table', () => {
    const queued = { id: id.S, status: 'QUEUED' };
    expect(shapeOf(streamRecord('INSERT', undefined, queued))).toEqual(shapeOf(DOCUMENTED_INSERT));
    expect(shapeOf(streamRecord('MODIFY', queued, { ...queued, status: 'RUNNING' }))).toEqual(shapeOf(DOCUMENTED_MODIFY));
    expect(streamRecord('INSERT', undefined, { requester: 'alice', name: 'main', inUseBy: id.S }).dynamodb!.Keys).toEqual({ requester: { S: 'alice' }, name: { S: 'main' } });
    expect(streamRecord('REMOVE', { taskId: 'abc', agentState: 'claude#IDLE' }).dynamodb!.Keys).toEqual({ taskId: { S: 'abc' } });
  });
});

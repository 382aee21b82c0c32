import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { RunLogs } from '../../../runtime/adapters/run-logs';
import { encodeCursor, InvalidCursorError } from '../../../runtime/core/logs/cursor';
import { streamNameFor } from '../../../runtime/core/logs/stream-name';
import { MotoServer, startMoto } from '../../support/moto-server';

const GROUP = '/outpost/agents/claude';
const STREAM = streamNameFor('claude', '0123456789abcdef0123456789abcdef');
const OTHER_STREAM = streamNameFor('claude', 'fedcba9876543210fedcba9876543210');

describe('RunLogs against CloudWatch Logs (moto)', () => {
  let moto: MotoServer;
  let client: CloudWatchLogsClient;
  let logs: RunLogs;
  /** Distinct, increasing timestamps, so the order CloudWatch sorts by is the order written. */
  let clock: number;

  beforeAll(async () => {
    moto = await startMoto();
    client = new CloudWatchLogsClient({});
    logs = new RunLogs(client, GROUP);
  });
  afterAll(async () => {
    client.destroy();
    await moto.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    await client.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    clock = Date.now() - 60_000;
  });

  async function write(stream: string, ...messages: string[]): Promise<number[]> {
    const times = messages.map(() => clock += 10);
    await client.send(new PutLogEventsCommand({
      logGroupName: GROUP,
      logStreamName: stream,
      logEvents: messages.map((message, index) => ({ timestamp: times[index], message })),
    }));
    return times;
  }

  async function createStream(stream: string): Promise<void> {
    await client.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: stream }));
  }

  test('reads from the start, then follows: only new lines, and the same cursor when there are none', async () => {
    await createStream(STREAM);
    const times = await write(STREAM, '{"step":"clone"}', '{"step":"agent"}');

    const first = await logs.read(STREAM);
    expect(first.lines).toEqual([
      { time: new Date(times[0]).toISOString(), message: '{"step":"clone"}' },
      { time: new Date(times[1]).toISOString(), message: '{"step":"agent"}' },
    ]);

    await write(STREAM, '{"step":"publish"}', '{"step":"result"}');
    const second = await logs.read(STREAM, { cursor: first.cursor });
    expect(second.lines.map((line) => line.message)).toEqual(['{"step":"publish"}', '{"step":"result"}']);
    expect(second.cursor).not.toBe(first.cursor);

    const third = await logs.read(STREAM, { cursor: second.cursor });
    expect(third).toEqual({ lines: [], cursor: second.cursor });
  });

  test('pages through a stream `limit` lines at a time', async () => {
    await createStream(STREAM);
    await write(STREAM, 'l1', 'l2', 'l3', 'l4', 'l5');
    const pages: string[][] = [];
    let cursor: string | undefined;
    for (let read = 0; read < 4; read++) {
      const page = await logs.read(STREAM, { cursor, limit: 2 });
      pages.push(page.lines.map((line) => line.message));
      cursor = page.cursor;
    }
    expect(pages).toEqual([['l1', 'l2'], ['l3', 'l4'], ['l5'], []]);
  });

  test('fromStart: false starts at the last `limit` lines and follows from there', async () => {
    await createStream(STREAM);
    await write(STREAM, 'l1', 'l2', 'l3', 'l4');
    const tail = await logs.read(STREAM, { limit: 2, fromStart: false });
    expect(tail.lines.map((line) => line.message)).toEqual(['l3', 'l4']);
    await write(STREAM, 'l5');
    expect((await logs.read(STREAM, { cursor: tail.cursor })).lines.map((line) => line.message)).toEqual(['l5']);
  });

  test('a stream that does not exist yet has no lines, and its cursor picks the run up from its first line', async () => {
    const before = await logs.read(STREAM);
    expect(before.lines).toEqual([]);
    expect(await logs.read(STREAM, { cursor: before.cursor })).toEqual(before);

    await createStream(STREAM);
    await write(STREAM, 'first', 'second');
    expect((await logs.read(STREAM, { cursor: before.cursor, fromStart: false, limit: 1 })).lines.map((line) => line.message)).toEqual(['first']);
  });

  test("a cursor from another run's stream is refused", async () => {
    await createStream(OTHER_STREAM);
    await write(OTHER_STREAM, 'secret');
    const other = await logs.read(OTHER_STREAM);
    await expect(logs.read(STREAM, { cursor: other.cursor })).rejects.toThrow(new InvalidCursorError('the cursor belongs to another run'));
  });

  test('a cursor carrying a token CloudWatch did not issue is refused as a bad cursor', async () => {
    await createStream(STREAM);
    await write(STREAM, 'l1');
    const forged = encodeCursor({ stream: STREAM, token: 'not-a-token' });
    await expect(logs.read(STREAM, { cursor: forged })).rejects.toThrow(InvalidCursorError);
    await expect(logs.read(STREAM, { cursor: 'garbage' })).rejects.toThrow(InvalidCursorError);
  });

  test('a limit outside 1..1000 is refused', async () => {
    await expect(logs.read(STREAM, { limit: 1001 })).rejects.toThrow(RangeError);
  });
});

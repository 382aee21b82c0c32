import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { MotoPlatform } from './moto-platform';
import { streamNameFor } from '../../runtime/core/logs/stream-name';

/** Writes a run's log lines as its container would: into the task's stream of the claude agent's log group. */
export type RunLogWriter = (dispatchId: string, ...messages: string[]) => Promise<void>;

/** A writer for the platform's claude runs, each line 10 ms after the last, starting a minute ago. */
export function runLogWriter(platform: MotoPlatform): RunLogWriter {
  const logs = new CloudWatchLogsClient({});
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  let clock = Date.now() - 60_000;
  return async (dispatchId, ...messages) => {
    const { Item } = await documents.send(new GetCommand({ TableName: platform.tables.dispatches, Key: { id: dispatchId } }));
    const stream = streamNameFor('claude', String(Item!.taskArn).split('/').pop()!);
    const logGroupName = platform.config.agents.claude.logGroupName;
    await logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName: stream })).catch(() => undefined);
    await logs.send(new PutLogEventsCommand({
      logGroupName, logStreamName: stream, logEvents: messages.map((message) => ({ timestamp: clock += 10, message })),
    }));
  };
}

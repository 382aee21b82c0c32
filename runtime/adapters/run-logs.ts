import {
  GetLogEventsCommand,
  InvalidParameterException,
  ResourceNotFoundException,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import { decodeCursor, encodeCursor, InvalidCursorError, type LogPosition } from '../core/logs/cursor';
import { checkLogLimit, DEFAULT_LOG_LIMIT, toLogLine, type LogPage } from '../core/logs/log-page';

export interface ReadLogsOptions {
  /** From a previous page: continue after its lines. */
  readonly cursor?: string;
  readonly limit?: number;
  /** Without a cursor: the first lines of the stream (true) or its last `limit` lines (false). */
  readonly fromStart?: boolean;
}

/** The agent containers' output in the agent's log group, one stream a task. */
export class RunLogs {
  constructor(private readonly logs: CloudWatchLogsClient, private readonly logGroupName: string) {}

  /** Throws InvalidCursorError for a cursor that is not this stream's, RangeError for a bad limit. */
  public async read(streamName: string, options: ReadLogsOptions = {}): Promise<LogPage> {
    const limit = checkLogLimit(options.limit ?? DEFAULT_LOG_LIMIT);
    const position: LogPosition = options.cursor !== undefined
      ? decodeCursor(options.cursor, streamName)
      : { stream: streamName, token: null };
    let response;
    try {
      response = await this.logs.send(new GetLogEventsCommand({
        logGroupName: this.logGroupName,
        logStreamName: streamName,
        limit,
        // CloudWatch requires startFromHead with a forward token, and a cursor without one means the head.
        startFromHead: options.cursor !== undefined || options.fromStart !== false,
        nextToken: position.token ?? undefined,
      }));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) {
        // The task has not started logging yet: nothing to show, and the next read starts at the head.
        return { lines: [], cursor: encodeCursor({ stream: streamName, token: null }) };
      }
      if (error instanceof InvalidParameterException && position.token !== null) {
        throw new InvalidCursorError('the cursor is not one this API issued');
      }
      throw error;
    }
    // At the end of the stream CloudWatch hands back the token it was given, so the cursor stays the same.
    const token = response.nextForwardToken ?? position.token;
    return { lines: (response.events ?? []).map(toLogLine), cursor: encodeCursor({ stream: streamName, token }) };
  }
}

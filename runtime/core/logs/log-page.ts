/** One line a task's container wrote, as CloudWatch stored it. */
export interface LogLine {
  /** When the line was logged (ISO-8601). */
  readonly time: string;
  readonly message: string;
}

/** One read of a stream: the lines, and the cursor to pass back for the ones after them. */
export interface LogPage {
  readonly lines: LogLine[];
  /** Unchanged when nothing new arrived, so a client following a live run can tell it is caught up. */
  readonly cursor: string;
}

export const DEFAULT_LOG_LIMIT = 200;
/** GetLogEvents returns at most 10,000 events; a page for a person to read is far smaller. */
export const MAX_LOG_LIMIT = 1000;

export function checkLogLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LOG_LIMIT) {
    throw new RangeError(`limit must be an integer from 1 to ${MAX_LOG_LIMIT}, not ${limit}`);
  }
  return limit;
}

export function toLogLine(event: { readonly timestamp?: number; readonly message?: string }): LogLine {
  return { time: new Date(event.timestamp ?? 0).toISOString(), message: event.message ?? '' };
}

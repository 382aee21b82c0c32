import type { DispatchLogs } from './responses';
import { isFinal } from '../core/dispatch/states';
import type { LogLine } from '../core/logs/log-page';

/** Every item of every page, fetching the next page only when the caller gets that far. */
export async function* eachItem<T>(readPage: (cursor: string | undefined) => Promise<{ items: T[]; cursor: string | null }>): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await readPage(cursor);
    yield* page.items;
    cursor = page.cursor ?? undefined;
  } while (cursor !== undefined);
}

export interface FollowOptions {
  /** Lines per read, 1 to 1000. @default 200 (the API's default) */
  readonly limit?: number;
  /** How long to wait before reading again once caught up with a live run, in milliseconds. @default 2000 */
  readonly pollIntervalMs?: number;
}

const DEFAULT_POLL_INTERVAL_MS = 2_000;

/**
 * A run's log lines as they arrive: reads with the cursor, at once while there is a backlog and every
 * `pollIntervalMs` once caught up, until a read finds the dispatch final and brings nothing new.
 */
export async function* followLines(
  readLogs: (cursor: string | undefined) => Promise<DispatchLogs>,
  options: FollowOptions = {},
): AsyncGenerator<LogLine> {
  let cursor: string | undefined;
  for (;;) {
    const page = await readLogs(cursor);
    yield* page.lines;
    cursor = page.cursor ?? undefined;
    if (page.lines.length === 0) {
      if (isFinal(page.status)) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS));
    }
  }
}

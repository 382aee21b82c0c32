import { eachItem, followLines } from '../../../runtime/client/iterate';
import type { DispatchLogs } from '../../../runtime/client/responses';
import type { DispatchStatus } from '../../../runtime/core/dispatch/states';

async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterator) {
    items.push(item);
  }
  return items;
}

const line = (message: string) => ({ time: '2026-01-02T03:04:05.000Z', message });

describe('eachItem', () => {
  test('reads page after page with the previous cursor until one has none', async () => {
    const cursors: Array<string | undefined> = [];
    const pages = [{ items: [1, 2], cursor: 'a' }, { items: [3], cursor: 'b' }, { items: [], cursor: null }];
    const items = await collect(eachItem(async (cursor) => {
      cursors.push(cursor);
      return pages[cursors.length - 1];
    }));
    expect(items).toEqual([1, 2, 3]);
    expect(cursors).toEqual([undefined, 'a', 'b']);
  });

  test('reads the next page only when the caller gets that far', async () => {
    const read = jest.fn(async (cursor: string | undefined) => (cursor ? { items: ['b'], cursor: null } : { items: ['a'], cursor: 'next' }));
    for await (const item of eachItem(read)) {
      expect(item).toBe('a');
      break;
    }
    expect(read).toHaveBeenCalledTimes(1);
  });
});

describe('followLines', () => {
  /** A run's reads in order; the last repeats. */
  function reads(...pages: Array<{ status: DispatchStatus; lines: string[]; cursor: string | null }>) {
    const cursors: Array<string | undefined> = [];
    const readLogs = async (cursor: string | undefined): Promise<DispatchLogs> => {
      cursors.push(cursor);
      const page = pages[Math.min(cursors.length, pages.length) - 1];
      return { status: page.status, lines: page.lines.map(line), cursor: page.cursor };
    };
    return { readLogs, cursors };
  }

  test('reads on through a backlog, waits while caught up with a live run, and stops once final with nothing new', async () => {
    const { readLogs, cursors } = reads(
      { status: 'STARTING', lines: [], cursor: null },
      { status: 'RUNNING', lines: ['clone', 'agent'], cursor: 'c1' },
      { status: 'RUNNING', lines: [], cursor: 'c1' },
      { status: 'COMPLETED', lines: ['push'], cursor: 'c2' },
      { status: 'COMPLETED', lines: ['result'], cursor: 'c3' },
      { status: 'COMPLETED', lines: [], cursor: 'c3' },
    );
    const timers = jest.spyOn(global, 'setTimeout');
    try {
      const lines = await collect(followLines(readLogs, { pollIntervalMs: 30 }));
      expect(lines.map((l) => l.message)).toEqual(['clone', 'agent', 'push', 'result']);
      expect(cursors).toEqual([undefined, undefined, 'c1', 'c1', 'c2', 'c3']);
      // It waited twice (after the empty STARTING and RUNNING reads), never after a read that brought lines.
      expect(timers.mock.calls.map(([, ms]) => ms)).toEqual([30, 30]);
    } finally {
      timers.mockRestore();
    }
  });

  test('a dispatch already final, with no task and so no logs, ends at once', async () => {
    const { readLogs, cursors } = reads({ status: 'CANCELLED', lines: [], cursor: null });
    expect(await collect(followLines(readLogs))).toEqual([]);
    expect(cursors).toHaveLength(1);
  });

});

import * as fs from 'fs';
import * as path from 'path';
import { formatTraceRow, TRACE_HEADER, type TraceDispatch } from '../../runtime/core/pool/simulator/trace';

/** Rows written at a time. */
const ROWS_A_WRITE = 10_000;

/** Writes `dispatches` to `file` as a trace as they come, a batch of rows at a time; returns how many. */
export function writeTrace(file: string, dispatches: Iterable<TraceDispatch>): number {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const descriptor = fs.openSync(file, 'w');
  try {
    fs.writeSync(descriptor, `${TRACE_HEADER}\n`);
    let rows: string[] = [];
    let written = 0;
    for (const dispatch of dispatches) {
      rows.push(formatTraceRow(dispatch));
      if (rows.length === ROWS_A_WRITE) {
        fs.writeSync(descriptor, `${rows.join('\n')}\n`);
        written += rows.length;
        rows = [];
      }
    }
    if (rows.length > 0) {
      fs.writeSync(descriptor, `${rows.join('\n')}\n`);
    }
    return written + rows.length;
  } finally {
    fs.closeSync(descriptor);
  }
}

import { UtcTimestamps } from './utc-timestamp';

/** One dispatch of an arrival trace. */
export interface TraceDispatch {
  /** When it was created, epoch milliseconds. */
  readonly at: number;
  readonly agent: string;
  /** How long its run takes once a worker has it. */
  readonly durationSeconds: number;
}

/**
 * A trace read as it goes: its dispatches in time order, and its agents (each once, in the order they first
 * appear), whose pools exist from the start of a run.
 */
export interface TraceSource extends Iterable<TraceDispatch> {
  readonly agents: readonly string[];
}

/** A trace held in memory, as a source: sorted by time (stably) when it is not already. */
export function traceSource(trace: readonly TraceDispatch[]): TraceSource {
  const order = inTimeOrder(trace);
  const sorted = order.every((position, index) => position === index) ? trace : order.map((index) => trace[index]);
  return { agents: agentsOf(trace), [Symbol.iterator]: () => sorted[Symbol.iterator]() };
}

/** The trace's positions, oldest dispatch first; dispatches at the same time in trace order. */
export function inTimeOrder(trace: readonly TraceDispatch[]): number[] {
  return trace.map((_, index) => index).sort((a, b) => trace[a].at - trace[b].at || a - b);
}

/** Each agent once, in the order it first appears. */
export function agentsOf(trace: Iterable<TraceDispatch>): string[] {
  const agents = new Set<string>();
  for (const dispatch of trace) {
    agents.add(dispatch.agent);
  }
  return [...agents];
}

export const TRACE_HEADER = 'timestamp,agent,duration_seconds';

/** ISO-8601 with a zone (`Z` or `±hh:mm`): a time without one would mean different things on different machines. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const AGENT = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const DURATION = /^\d+(\.\d+)?$/;

/** A trace that does not parse; the message names the source and the line. */
export class TraceError extends Error {
  constructor(source: string, line: number, problem: string) {
    super(`${source} line ${line}: ${problem}`);
    this.name = 'TraceError';
  }
}

/**
 * Parse a trace: a header line `timestamp,agent,duration_seconds`, then one dispatch a line. Blank lines are
 * skipped; rows may come in any order and are returned oldest first.
 */
export function parseTrace(text: string, source = 'trace'): TraceDispatch[] {
  const lines = text.split(/\r?\n/);
  checkHeader(lines[0], source);
  const dispatches: TraceDispatch[] = [];
  lines.forEach((line, index) => {
    if (index > 0 && line.trim() !== '') {
      dispatches.push(parseRow(line, source, index + 1));
    }
  });
  if (dispatches.length === 0) {
    throw new TraceError(source, lines.length, 'the trace has no dispatches');
  }
  return dispatches.sort((a, b) => a.at - b.at);
}

/** A trace row earlier than the row before it: a trace read as it goes must be in time order. */
export class TraceOrderError extends TraceError {
  constructor(source: string, line: number, at: number, previous: number) {
    super(source, line, `${iso(at)} is earlier than the row before it (${iso(previous)}): a trace is read as it goes, so its rows must be in time order. Sort it by time, e.g. (head -n 1 ${source} && tail -n +2 ${source} | sort) > sorted.csv when every timestamp is UTC ("Z")`);
    this.name = 'TraceOrderError';
  }
}

/**
 * A trace's lines parsed as they come, `lines` being a file's lines from its first (the header): each row's
 * dispatch, in time order. Errors name the source and the line, as parseTrace's do; a row earlier than the
 * one before it is a TraceOrderError.
 */
export function* parseTraceLines(lines: Iterable<string>, source = 'trace'): Generator<TraceDispatch> {
  let lineNumber = 0;
  let previous = -Infinity;
  let rows = 0;
  const timestamps = new UtcTimestamps();
  for (const line of lines) {
    lineNumber++;
    if (lineNumber === 1) {
      checkHeader(line, source);
    } else if (line.trim() !== '') {
      const dispatch = parseRow(line, source, lineNumber, timestamps);
      if (dispatch.at < previous) {
        throw new TraceOrderError(source, lineNumber, dispatch.at, previous);
      }
      previous = dispatch.at;
      rows++;
      yield dispatch;
    }
  }
  if (lineNumber === 0) {
    checkHeader('', source);
  }
  if (rows === 0) {
    throw new TraceError(source, lineNumber, 'the trace has no dispatches');
  }
}

function checkHeader(line: string, source: string): void {
  if (line.trim() !== TRACE_HEADER) {
    throw new TraceError(source, 1, `the header must be "${TRACE_HEADER}", got "${line.trim()}"`);
  }
}

function iso(at: number): string {
  return new Date(at).toISOString();
}

/** Fields are cut at the commas, not split into an array: reading a long trace is mostly this. */
function parseRow(line: string, source: string, lineNumber: number, timestamps?: UtcTimestamps): TraceDispatch {
  const first = line.indexOf(',');
  const second = first < 0 ? -1 : line.indexOf(',', first + 1);
  if (second < 0 || line.includes(',', second + 1)) {
    throw new TraceError(source, lineNumber, `expected 3 fields (${TRACE_HEADER}), got ${line.split(',').length}`);
  }
  const timestamp = line.slice(0, first).trim();
  const agent = line.slice(first + 1, second).trim();
  const duration = line.slice(second + 1).trim();
  const at = timestamps?.parse(timestamp) ?? (TIMESTAMP.test(timestamp) ? Date.parse(timestamp) : NaN);
  if (Number.isNaN(at)) {
    throw new TraceError(source, lineNumber, `timestamp "${timestamp}" is not an ISO-8601 time with a zone, e.g. 2026-03-02T09:15:00Z`);
  }
  if (!AGENT.test(agent)) {
    throw new TraceError(source, lineNumber, `agent "${agent}" must be letters, digits, "-" and "_"`);
  }
  const durationSeconds = DURATION.test(duration) ? Number(duration) : NaN;
  if (!(durationSeconds > 0)) {
    throw new TraceError(source, lineNumber, `duration_seconds "${duration}" must be a positive number of seconds`);
  }
  return { at, agent, durationSeconds };
}

export function formatTrace(dispatches: readonly TraceDispatch[]): string {
  return [TRACE_HEADER, ...dispatches.map(formatTraceRow)].join('\n') + '\n';
}

/** One dispatch as a trace line, without its line end. */
export function formatTraceRow(dispatch: TraceDispatch): string {
  return `${new Date(dispatch.at).toISOString().replace('.000Z', 'Z')},${dispatch.agent},${dispatch.durationSeconds}`;
}

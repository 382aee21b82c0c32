/** One dispatch of an arrival trace. */
export interface TraceDispatch {
  /** When it was created, epoch milliseconds. */
  readonly at: number;
  readonly agent: string;
  /** How long its run takes once a worker has it. */
  readonly durationSeconds: number;
}

export const TRACE_HEADER = 'timestamp,agent,duration_seconds';

/** ISO-8601 with a zone (`Z` or `±hh:mm`): a time without one would mean different things on different machines. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const AGENT = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

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
  if (lines[0].trim() !== TRACE_HEADER) {
    throw new TraceError(source, 1, `the header must be "${TRACE_HEADER}", got "${lines[0].trim()}"`);
  }
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

function parseRow(line: string, source: string, lineNumber: number): TraceDispatch {
  const fields = line.split(',').map((field) => field.trim());
  if (fields.length !== 3) {
    throw new TraceError(source, lineNumber, `expected 3 fields (${TRACE_HEADER}), got ${fields.length}`);
  }
  const [timestamp, agent, duration] = fields;
  const at = TIMESTAMP.test(timestamp) ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(at)) {
    throw new TraceError(source, lineNumber, `timestamp "${timestamp}" is not an ISO-8601 time with a zone, e.g. 2026-03-02T09:15:00Z`);
  }
  if (!AGENT.test(agent)) {
    throw new TraceError(source, lineNumber, `agent "${agent}" must be letters, digits, "-" and "_"`);
  }
  const durationSeconds = /^\d+(\.\d+)?$/.test(duration) ? Number(duration) : NaN;
  if (!(durationSeconds > 0)) {
    throw new TraceError(source, lineNumber, `duration_seconds "${duration}" must be a positive number of seconds`);
  }
  return { at, agent, durationSeconds };
}

export function formatTrace(dispatches: readonly TraceDispatch[]): string {
  const rows = dispatches.map((dispatch) => `${new Date(dispatch.at).toISOString().replace('.000Z', 'Z')},${dispatch.agent},${dispatch.durationSeconds}`);
  return [TRACE_HEADER, ...rows].join('\n') + '\n';
}

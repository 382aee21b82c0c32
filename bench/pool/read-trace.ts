import * as fs from 'fs';
import { StringDecoder } from 'string_decoder';
import { agentsOf, parseTrace, parseTraceLines, traceSource, TraceOrderError, type TraceDispatch, type TraceSource } from '../../runtime/core/pool/simulator/trace';

/** A trace file, parsed; errors name the file and the line. */
export function readTrace(file: string): TraceDispatch[] {
  return parseTrace(fs.readFileSync(file, 'utf8'), file);
}

/** Read this much of a file at a time. */
const CHUNK_BYTES = 1024 * 1024;
/** A trace out of time order this small is sorted in memory (about 50 bytes a row: a million rows); a larger one must come sorted. */
export const SORT_IN_MEMORY_BYTES = 50 * 1024 * 1024;

/**
 * A trace file read as it goes: each pass over it reads the file afresh, a chunk at a time, so a trace of
 * any length takes the same memory. Opening it reads it through once, to check every row (a bad line fails
 * here, naming the line, rather than part-way through a run) and to learn its agents. Its rows must be in
 * time order; a file out of order is sorted in memory when it is under {@link SORT_IN_MEMORY_BYTES}, and
 * otherwise is refused with a TraceOrderError that says how to sort it.
 */
export function openTrace(file: string): TraceSource {
  const rows = (): Iterable<TraceDispatch> => parseTraceLines(fileLines(file), file);
  try {
    return { agents: agentsOf(rows()), [Symbol.iterator]: () => rows()[Symbol.iterator]() };
  } catch (error) {
    if (error instanceof TraceOrderError && fs.statSync(file).size <= SORT_IN_MEMORY_BYTES) {
      return traceSource(readTrace(file));
    }
    throw error;
  }
}

/** The file's lines, without their line ends, read a chunk at a time. */
export function* fileLines(file: string): Generator<string> {
  const descriptor = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (let read = fs.readSync(descriptor, buffer, 0, CHUNK_BYTES, null); read > 0; read = fs.readSync(descriptor, buffer, 0, CHUNK_BYTES, null)) {
      const text = rest + decoder.write(buffer.subarray(0, read));
      let start = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        yield text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
        start = end + 1;
      }
      rest = text.slice(start);
    }
    rest += decoder.end();
    if (rest !== '') {
      yield rest;
    }
  } finally {
    fs.closeSync(descriptor);
  }
}

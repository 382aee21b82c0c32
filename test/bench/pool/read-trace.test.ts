import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileLines, openTrace, readTrace } from '../../../bench/pool/read-trace';
import { writeTrace } from '../../../bench/pool/write-trace';
import { TRACE_HEADER, TraceOrderError, parseTraceLines } from '../../../runtime/core/pool/simulator/trace';

describe('reading a trace file as it goes', () => {
  let folder: string;
  beforeAll(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'read-trace-'));
  });
  afterAll(() => {
    fs.rmSync(folder, { recursive: true, force: true });
  });
  const write = (name: string, text: string) => {
    const file = path.join(folder, name);
    fs.writeFileSync(file, text);
    return file;
  };

  test('lines across chunk boundaries, CRLF line ends, a multi-byte character and no final line end', () => {
    // 'ü' (two bytes) begins on the first chunk's last byte.
    const long = 'x'.repeat(1024 * 1024 - 5);
    const file = write('lines.txt', `a\r\n${long}\nü€\r\nlast`);
    expect([...fileLines(file)]).toEqual(['a', long, 'ü€', 'last']);
  });

  test('gives the rows parseTrace gives, each pass afresh, and the agents in the order they first appear', () => {
    const file = write('ok.csv', `${TRACE_HEADER}\n2026-03-02T09:00:00Z,codex,60\n\n2026-03-02T09:00:00Z,claude,70\n2026-03-02T09:01:00Z,codex,80\n`);
    const source = openTrace(file);
    expect(source.agents).toEqual(['codex', 'claude']);
    expect([...source]).toEqual(readTrace(file));
    expect([...source]).toEqual(readTrace(file));
  });

  test('a bad row fails on opening, naming the file and the line', () => {
    const file = write('bad.csv', `${TRACE_HEADER}\n2026-03-02T09:00:00Z,codex,60\n2026-03-02T09:01:00Z,codex,soon\n`);
    expect(() => openTrace(file)).toThrow(`${file} line 3: duration_seconds "soon" must be a positive number of seconds`);
  });

  test('a row earlier than the one before it is an order error that says how to sort; a small file out of order is sorted in memory', () => {
    const text = `${TRACE_HEADER}\n2026-03-02T09:05:00Z,codex,60\n2026-03-02T09:00:00Z,claude,70\n`;
    expect(() => [...parseTraceLines(text.split('\n'), 'late.csv')]).toThrow(TraceOrderError);
    expect(() => [...parseTraceLines(text.split('\n'), 'late.csv')]).toThrow(
      'late.csv line 3: 2026-03-02T09:00:00.000Z is earlier than the row before it (2026-03-02T09:05:00.000Z): a trace is read as it goes, so its rows must be in time order. Sort it by time',
    );
    const file = write('late.csv', text);
    expect([...openTrace(file)].map((dispatch) => dispatch.agent)).toEqual(['claude', 'codex']);
  });

  test('what writeTrace writes as it goes reads back', () => {
    const dispatches = Array.from({ length: 25_001 }, (_, index) => ({ at: Date.parse('2026-03-02T00:00:00Z') + index * 1000, agent: 'claude', durationSeconds: 60 + (index % 7) }));
    const file = path.join(folder, 'deep', 'written.csv');
    expect(writeTrace(file, dispatches)).toBe(25_001);
    expect([...openTrace(file)]).toEqual(dispatches);
  });
});

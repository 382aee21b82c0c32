import * as fc from 'fast-check';
import { formatTrace, parseTrace, TRACE_HEADER, type TraceDispatch } from '../../../../runtime/core/pool/simulator/trace';
import { UtcTimestamps } from '../../../../runtime/core/pool/simulator/utc-timestamp';

describe('parseTrace', () => {
  test('reads dispatches, skips blank lines and CRLF, and returns them oldest first', () => {
    const text = `${TRACE_HEADER}\r\n2026-03-02T09:15:00Z,claude,300\r\n\r\n2026-03-02T10:05:00+01:00,codex,90.5\r\n`;
    expect(parseTrace(text)).toEqual([
      { at: Date.parse('2026-03-02T09:05:00Z'), agent: 'codex', durationSeconds: 90.5 },
      { at: Date.parse('2026-03-02T09:15:00Z'), agent: 'claude', durationSeconds: 300 },
    ]);
  });

  test.each([
    ['timestamp,agent\n', 'my.csv line 1: the header must be "timestamp,agent,duration_seconds", got "timestamp,agent"'],
    [`${TRACE_HEADER}\n`, 'my.csv line 2: the trace has no dispatches'],
    [`${TRACE_HEADER}\n2026-03-02T09:15:00Z,claude,300\n2026-03-02T09:16:00Z,claude\n`, 'my.csv line 3: expected 3 fields (timestamp,agent,duration_seconds), got 2'],
    [`${TRACE_HEADER}\n2026-03-02 09:15:00,claude,300\n`, 'my.csv line 2: timestamp "2026-03-02 09:15:00" is not an ISO-8601 time with a zone'],
    [`${TRACE_HEADER}\n2026-03-02T09:15:00,claude,300\n`, 'my.csv line 2: timestamp "2026-03-02T09:15:00" is not an ISO-8601 time with a zone'],
    [`${TRACE_HEADER}\n2026-02-30T25:15:00Z,claude,300\n`, 'my.csv line 2: timestamp "2026-02-30T25:15:00Z"'],
    [`${TRACE_HEADER}\n\n2026-03-02T09:15:00Z,claude bot,300\n`, 'my.csv line 3: agent "claude bot" must be letters, digits, "-" and "_"'],
    [`${TRACE_HEADER}\n2026-03-02T09:15:00Z,claude,-5\n`, 'my.csv line 2: duration_seconds "-5" must be a positive number of seconds'],
    [`${TRACE_HEADER}\n2026-03-02T09:15:00Z,claude,0\n`, 'my.csv line 2: duration_seconds "0" must be a positive number of seconds'],
    [`${TRACE_HEADER}\n2026-03-02T09:15:00Z,claude,5m\n`, 'my.csv line 2: duration_seconds "5m" must be a positive number of seconds'],
  ])('%j fails naming the line', (text, message) => {
    expect(() => parseTrace(text, 'my.csv')).toThrow(message);
  });

  test('what formatTrace writes, parseTrace reads back', () => {
    const dispatch = fc.record({
      at: fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2100-01-01T00:00:00Z') }),
      agent: fc.stringMatching(/^[a-z][a-z0-9_-]{0,11}$/),
      durationSeconds: fc.integer({ min: 1, max: 86_400 }),
    });
    fc.assert(fc.property(fc.array(dispatch, { minLength: 1, maxLength: 30 }), (dispatches: TraceDispatch[]) => {
      const sorted = [...dispatches].sort((a, b) => a.at - b.at);
      expect(parseTrace(formatTrace(dispatches)).map((d) => d.at)).toEqual(sorted.map((d) => d.at));
      expect(parseTrace(formatTrace(sorted))).toEqual(sorted);
    }));
  });
});

describe('UtcTimestamps', () => {
  test('gives Date.parse\'s time for YYYY-MM-DDTHH:MM:SSZ, and leaves anything else to it', () => {
    const timestamps = new UtcTimestamps();
    const canonical = fc.integer({ min: Date.parse('1970-01-01T00:00:00Z'), max: Date.parse('2100-01-01T00:00:00Z') })
      .map((at) => new Date(Math.floor(at / 1000) * 1000).toISOString().replace('.000Z', 'Z'));
    fc.assert(fc.property(canonical, (text) => timestamps.parse(text) === Date.parse(text)));
    // Any digits in the canonical shape: month 13, day 39, hour 25 and the like included.
    const anyDigits = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 14, maxLength: 14 }).map((d) => d.join(''))
      .map((d) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(8, 10)}:${d.slice(10, 12)}:${d.slice(12)}Z`);
    fc.assert(fc.property(anyDigits, (text) => {
      const parsed = timestamps.parse(text);
      return parsed === undefined || parsed === Date.parse(text);
    }));
    for (const text of ['2026-03-02T24:00:00Z', '2026-03-02T10:60:00Z', '2026-03-02T10:00:00+01:00', '2026-03-02T10:00Z']) {
      expect(timestamps.parse(text)).toBeUndefined();
    }
  });
});

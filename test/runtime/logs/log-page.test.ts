import { checkLogLimit, toLogLine } from '../../../runtime/core/logs/log-page';
import { streamNameFor } from '../../../runtime/core/logs/stream-name';

describe('streamNameFor', () => {
  test("the awslogs driver's stream: <agent>/agent/<task id>", () => {
    expect(streamNameFor('codex', '0123456789abcdef0123456789abcdef')).toBe('codex/agent/0123456789abcdef0123456789abcdef');
  });

  test('refuses a part that is not one path segment (a task ARN, say)', () => {
    expect(() => streamNameFor('codex', 'arn:aws:ecs:us-east-1:123456789012:task/outpost/0123')).toThrow(RangeError);
    expect(() => streamNameFor('', '0123')).toThrow(RangeError);
    expect(() => streamNameFor('codex', '')).toThrow(RangeError);
  });
});

describe('log page', () => {
  test('limit is an integer from 1 to 1000', () => {
    expect(checkLogLimit(1)).toBe(1);
    expect(checkLogLimit(1000)).toBe(1000);
    for (const limit of [0, 1001, 2.5, Number.NaN]) {
      expect(() => checkLogLimit(limit)).toThrow(RangeError);
    }
  });

  test("a line carries CloudWatch's timestamp as ISO-8601 and the message as logged", () => {
    const event = { timestamp: Date.UTC(2026, 0, 2, 3, 4, 5, 678), message: '{"level":"info"}', ingestionTime: Date.UTC(2026, 0, 2, 3, 4, 6) };
    expect(toLogLine(event)).toEqual({ time: '2026-01-02T03:04:05.678Z', message: '{"level":"info"}' });
  });
});

import { Logger } from '../../runtime/worker/logger';
import { Redactor } from '../../runtime/worker/redactor';

describe('Redactor', () => {
  test('masks every occurrence of every secret added, and nothing else', () => {
    const redactor = new Redactor();
    redactor.add('ghs_abc123');
    redactor.add('sk-ant-xyz');
    redactor.add(undefined);
    redactor.add('');
    expect(redactor.redact('push with ghs_abc123 then ghs_abc123, key sk-ant-xyz; ghs_abc12 stays'))
      .toBe('push with [REDACTED] then [REDACTED], key [REDACTED]; ghs_abc12 stays');
  });

  test('masks the forms a secret takes in JSON strings and URLs', () => {
    const redactor = new Redactor();
    redactor.add('p@ss"word/1');
    expect(redactor.redact(JSON.stringify({ password: 'p@ss"word/1' }))).toBe('{"password":"[REDACTED]"}');
    expect(redactor.redact(`https://u:${encodeURIComponent('p@ss"word/1')}@host/`)).toBe('https://u:[REDACTED]@host/');
  });

  test('masks a secret that contains another secret whole', () => {
    const redactor = new Redactor();
    redactor.add('abcdefgh');
    redactor.add('xxabcdefghxx');
    expect(redactor.redact('xxabcdefghxx abcdefgh')).toBe('[REDACTED] [REDACTED]');
  });

  test('leaves values too short to be real secrets alone', () => {
    const redactor = new Redactor();
    redactor.add('x');
    redactor.add('1234567');
    expect(redactor.redact('exiting with exitCode 1234567')).toBe('exiting with exitCode 1234567');
  });
});

describe('Logger', () => {
  test('writes one JSON line per event with level, time, dispatchId, step and message, redacted', () => {
    const redactor = new Redactor();
    redactor.add('tok_secret');
    const lines: string[] = [];
    const logger = new Logger(redactor, null, (line) => lines.push(line));
    logger.info('startup', 'listening', { port: 8080 });
    logger.forDispatch('01JQ8Z6V3N4R5T7W9Y1B3D5F7H').error('clone', 'git clone failed: tok_secret', { attempt: 2 });

    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    const [first, second] = lines.map((line) => JSON.parse(line));
    expect(first).toEqual({ level: 'info', time: expect.any(String), dispatchId: null, step: 'startup', message: 'listening', port: 8080 });
    expect(new Date(first.time).toISOString()).toBe(first.time);
    expect(second).toMatchObject({ level: 'error', dispatchId: '01JQ8Z6V3N4R5T7W9Y1B3D5F7H', step: 'clone', message: 'git clone failed: [REDACTED]', attempt: 2 });
  });
});

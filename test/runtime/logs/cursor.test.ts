import * as fc from 'fast-check';
import { decodeCursor, encodeCursor, InvalidCursorError } from '../../../runtime/core/logs/cursor';

const STREAM = 'claude/agent/0123456789abcdef0123456789abcdef';
const OTHER = 'claude/agent/fedcba9876543210fedcba9876543210';
const TOKEN = 'f/37924398420293840293840293840293840293840293840293840293';

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

describe('log cursor', () => {
  test('decodes to the position it was made from, and is the same for the same position', () => {
    for (const token of [TOKEN, null]) {
      const cursor = encodeCursor({ stream: STREAM, token });
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor, STREAM)).toEqual({ stream: STREAM, token });
      expect(encodeCursor({ stream: STREAM, token })).toBe(cursor);
    }
  });

  test("a cursor for one run cannot read another run's stream", () => {
    const cursor = encodeCursor({ stream: OTHER, token: TOKEN });
    expect(() => decodeCursor(cursor, STREAM)).toThrow(new InvalidCursorError('the cursor belongs to another run'));
  });

  test.each([
    ['empty', ''],
    ['not base64url', 'eyJ2IjoxfQ=='],
    ['base64url of something that is not JSON', base64url('not json')],
    ['another version', base64url(JSON.stringify({ v: 2, stream: STREAM, token: TOKEN }))],
    ['an extra field', base64url(JSON.stringify({ v: 1, stream: STREAM, token: TOKEN, limit: 5 }))],
    ['a missing token', base64url(JSON.stringify({ v: 1, stream: STREAM }))],
    ['an empty token', base64url(JSON.stringify({ v: 1, stream: STREAM, token: '' }))],
    ['the fields in another order', base64url(JSON.stringify({ stream: STREAM, v: 1, token: TOKEN }))],
    ['whitespace in the JSON', base64url(JSON.stringify({ v: 1, stream: STREAM, token: TOKEN }, null, 1))],
    ['too long to be one', 'A'.repeat(5000)],
  ])('refuses %s', (_, cursor) => {
    expect(() => decodeCursor(cursor, STREAM)).toThrow(new InvalidCursorError('the cursor is not one this API issued'));
  });

  test('an edited cursor either fails or still names the same stream: editing never reaches another', () => {
    const cursor = encodeCursor({ stream: STREAM, token: TOKEN });
    fc.assert(fc.property(fc.nat(cursor.length - 1), fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), (index, character) => {
      const edited = cursor.slice(0, index) + character + cursor.slice(index + 1);
      try {
        expect(decodeCursor(edited, STREAM).stream).toBe(STREAM);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidCursorError);
      }
    }), { numRuns: 500 });
  });
});

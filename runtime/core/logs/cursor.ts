import * as z from 'zod/mini';

/** Where a reader of one stream is: CloudWatch's forward token, or null to start from the stream's head. */
export interface LogPosition {
  readonly stream: string;
  readonly token: string | null;
}

/** A cursor that is not one this code issued for this stream: the API answers 400. */
export class InvalidCursorError extends Error {
  public override readonly name = 'InvalidCursorError';
}

const VERSION = 1;
/** Far more than a CloudWatch token and a stream name take; a longer input is not worth decoding. */
const MAX_CURSOR_LENGTH = 4096;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const PositionSchema = z.strictObject({
  v: z.literal(VERSION),
  stream: z.string().check(z.minLength(1)),
  token: z.nullable(z.string().check(z.minLength(1))),
});

/** An opaque cursor: base64url JSON, deterministic, so the same position always gives the same cursor. */
export function encodeCursor(position: LogPosition): string {
  return Buffer.from(JSON.stringify({ v: VERSION, stream: position.stream, token: position.token })).toString('base64url');
}

/**
 * The position in a cursor, which must name `stream`: a cursor taken from one run cannot be replayed to
 * read another's. Only a cursor exactly as encodeCursor writes it is accepted, so an edited one is refused
 * here rather than passed on to CloudWatch.
 */
export function decodeCursor(cursor: string, stream: string): LogPosition {
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) {
    throw new InvalidCursorError('the cursor is not one this API issued');
  }
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('the cursor is not one this API issued');
  }
  const parsed = PositionSchema.safeParse(document);
  if (!parsed.success || encodeCursor(parsed.data) !== cursor) {
    throw new InvalidCursorError('the cursor is not one this API issued');
  }
  if (parsed.data.stream !== stream) {
    throw new InvalidCursorError('the cursor belongs to another run');
  }
  return { stream: parsed.data.stream, token: parsed.data.token };
}

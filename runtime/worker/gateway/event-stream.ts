/**
 * AWS event-stream messages, decoded as they arrive: what Bedrock's InvokeModelWithResponseStream answers
 * (`application/vnd.amazon.eventstream`). Each message: total length (4 bytes, big-endian), headers length (4),
 * prelude CRC (4), headers, payload, message CRC (4) (docs.aws.amazon.com/transcribe/latest/dg/event-stream.html,
 * "Event stream encoding"). The CRCs are not checked: the gateway passes the bytes on unchanged and the CLI's SDK
 * checks them; a corrupt message only goes unmetered.
 */
export class EventStreamDecoder {
  private pending: Buffer = Buffer.alloc(0);

  /** The payload of each message that `chunk` completes. */
  public push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const payloads: Buffer[] = [];
    while (this.pending.length >= 12) {
      const total = this.pending.readUInt32BE(0);
      const headers = this.pending.readUInt32BE(4);
      if (total < 16 + headers) {
        // Not an event stream after all: stop reading, pass the rest on unread.
        this.pending = Buffer.alloc(0);
        return payloads;
      }
      if (this.pending.length < total) {
        break;
      }
      payloads.push(this.pending.subarray(12 + headers, total - 4));
      this.pending = this.pending.subarray(total);
    }
    return payloads;
  }
}

/**
 * Bedrock's chunk event: `{"bytes": "<base64 of the model's own event>"}`, for Anthropic models the Messages API's
 * streaming events (docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages.html).
 * Anything else (an exception event) is returned as it is.
 */
export function bedrockChunk(payload: Buffer): unknown {
  const value: unknown = JSON.parse(payload.toString('utf8'));
  if (typeof value === 'object' && value !== null && typeof (value as { bytes?: unknown }).bytes === 'string') {
    return JSON.parse(Buffer.from((value as { bytes: string }).bytes, 'base64').toString('utf8'));
  }
  return value;
}

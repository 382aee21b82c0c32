import { StringDecoder } from 'string_decoder';
import { bedrockChunk, EventStreamDecoder } from './event-stream';
import { SseDecoder } from './sse';
import type { UsageReader } from './usage-reader';

/** A plain response larger than this is passed on unread: no provider's answer comes near it. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;

/**
 * Feeds a response body, as it streams past, to a usage reader: each event of a `text/event-stream`, each model
 * event of Bedrock's `application/vnd.amazon.eventstream`, else the whole body once it ended. What does not parse is skipped (a provider's keep-alive comment, an HTML error page).
 */
export class ResponseBody {
  private readonly text = new StringDecoder('utf8');
  private readonly sse: SseDecoder | undefined;
  private readonly events: EventStreamDecoder | undefined;
  private readonly chunks: Buffer[] = [];
  private bytes = 0;

  public constructor(contentType: string | undefined, private readonly reader: UsageReader) {
    this.sse = /^text\/event-stream/i.test(contentType ?? '') ? new SseDecoder() : undefined;
    this.events = /^application\/vnd\.amazon\.eventstream/i.test(contentType ?? '') ? new EventStreamDecoder() : undefined;
  }

  public push(chunk: Buffer): void {
    if (this.events) {
      for (const payload of this.events.push(chunk)) {
        try {
          this.reader.observe(bedrockChunk(payload));
        } catch {
          // not JSON: skipped
        }
      }
    } else if (this.sse) {
      this.sse.push(this.text.write(chunk)).forEach((data) => this.observe(data));
    } else if (this.bytes <= MAX_JSON_BYTES) {
      this.bytes += chunk.length;
      this.chunks.push(chunk);
    }
  }

  public end(): void {
    if (this.events) {
      return;
    }
    if (this.sse) {
      [...this.sse.push(this.text.end()), ...this.sse.end()].forEach((data) => this.observe(data));
    } else if (this.bytes <= MAX_JSON_BYTES) {
      this.observe(Buffer.concat(this.chunks).toString('utf8'));
    }
  }

  private observe(text: string): void {
    // Every usage the providers report is in an object that names it (`usage`, `usageMetadata`): text deltas,
    // most of a stream, are not parsed.
    if (!/usage/i.test(text)) {
      return;
    }
    try {
      this.reader.observe(JSON.parse(text));
    } catch {
      // not JSON: `[DONE]`, a comment, an error page
    }
  }
}

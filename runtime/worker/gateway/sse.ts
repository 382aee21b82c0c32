/**
 * Server-sent events, decoded as they arrive (html.spec.whatwg.org/multipage/server-sent-events.html, "Event stream
 * interpretation"): an event ends at a blank line; its `data:` lines are joined by newlines. Only the data is kept:
 * every provider puts the whole event, its type included, in the JSON of its data.
 */
export class SseDecoder {
  private pending = '';

  /** The data of each event that `text` completes. */
  public push(text: string): string[] {
    this.pending += text;
    const events: string[] = [];
    for (;;) {
      const end = this.eventEnd();
      if (!end) {
        return events;
      }
      const block = this.pending.slice(0, end.index);
      this.pending = this.pending.slice(end.index + end.length);
      const data = block.split(block.includes('\r') ? /\r\n|\n|\r/ : '\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5));
      if (data.length > 0) {
        events.push(data.join('\n'));
      }
    }
  }

  /** The last event, when the stream ended without its blank line. */
  public end(): string[] {
    return this.push('\n\n');
  }

  /** Where the first event ends: a blank line, `\n\n` as every provider sends it, or with carriage returns. */
  private eventEnd(): { index: number; length: number } | undefined {
    if (!this.pending.includes('\r')) {
      const index = this.pending.indexOf('\n\n');
      return index < 0 ? undefined : { index, length: 2 };
    }
    const match = /\r\n\r\n|\n\n|\r\r/.exec(this.pending);
    return match ? { index: match.index, length: match[0].length } : undefined;
  }
}

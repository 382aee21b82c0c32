const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 80;

/** A one-line spinner on a terminal's stderr; on anything else it writes nothing, so that logs and pipes stay clean. */
export class Spinner {
  private timer: NodeJS.Timeout | undefined;
  private frame = 0;
  private text = '';

  constructor(private readonly stream: NodeJS.WriteStream) {}

  public start(text: string): void {
    this.text = text;
    if (this.stream.isTTY !== true || this.timer) {
      return;
    }
    this.timer = setInterval(() => this.draw(), FRAME_MS);
    // The spinner alone must not keep the process alive.
    this.timer.unref();
    this.draw();
  }

  /** Whether it is drawing now. */
  public get running(): boolean {
    return this.timer !== undefined;
  }

  public update(text: string): void {
    this.text = text;
  }

  public stop(): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.stream.write('\r\x1b[2K');
    }
  }

  private draw(): void {
    this.frame = (this.frame + 1) % FRAMES.length;
    this.stream.write(`\r\x1b[2K${FRAMES[this.frame]} ${this.text}`);
  }
}

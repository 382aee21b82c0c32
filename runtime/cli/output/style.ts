import { styleText } from 'node:util';
import type { DispatchStatus } from '../../core/dispatch/states';

type Colour = Parameters<typeof styleText>[0];

const STATUS_COLOURS: Record<DispatchStatus, Colour> = {
  QUEUED: 'dim',
  STARTING: 'yellow',
  RUNNING: 'cyan',
  COMPLETED: 'green',
  FAILED: 'red',
  CANCELLED: 'magenta',
  TIMED_OUT: 'red',
};

/**
 * Colours for a terminal, and none otherwise: only when the stream is a TTY, unless NO_COLOR is set or
 * FORCE_COLOR asks for them anyway (https://no-color.org). Node.js 20's styleText colours whatever it is given.
 */
export class Style {
  public static for(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): Style {
    const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0';
    return new Style(forced || (stream.isTTY === true && env.NO_COLOR === undefined && env.TERM !== 'dumb'));
  }

  constructor(public readonly colour: boolean) {}

  public paint(colour: Colour, text: string): string {
    return this.colour ? styleText(colour, text) : text;
  }

  public status(status: DispatchStatus): string {
    return this.paint(STATUS_COLOURS[status] ?? 'white', status);
  }
}

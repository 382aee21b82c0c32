import type { Redactor } from './redactor';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Structured JSON lines on stdout, one per event, for CloudWatch Logs and the control plane:
 * `{"level","time","dispatchId","step","message",...}`. Every line passes through the redactor.
 */
export class Logger {
  constructor(
    private readonly redactor: Redactor,
    private readonly dispatchId: string | null = null,
    private readonly write: (line: string) => void = (line) => process.stdout.write(line),
  ) {}

  forDispatch(dispatchId: string): Logger {
    return new Logger(this.redactor, dispatchId, this.write);
  }

  info(step: string, message: string, fields: Record<string, unknown> = {}): void {
    this.log('info', step, message, fields);
  }

  warn(step: string, message: string, fields: Record<string, unknown> = {}): void {
    this.log('warn', step, message, fields);
  }

  error(step: string, message: string, fields: Record<string, unknown> = {}): void {
    this.log('error', step, message, fields);
  }

  log(level: LogLevel, step: string, message: string, fields: Record<string, unknown>): void {
    const line = JSON.stringify({ level, time: new Date().toISOString(), dispatchId: this.dispatchId, step, message, ...fields });
    this.write(`${this.redactor.redact(line)}\n`);
  }
}

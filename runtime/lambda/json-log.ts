/** A log line's level, as Powertools' Logger names them. */
export type LogLevel = 'INFO' | 'WARN' | 'ERROR';

/**
 * Every handler's logger (docs/architecture.md, "Handlers"): structured log lines like Powertools' Logger writes
 * (level, message, timestamp, service, its keys, then the fields), without the Logger's 17 to 20 KB, which would
 * take four handlers past their 300 KB budget (bench/logger/RESULTS.md). It has the Logger's methods that
 * handlers use, and `setCorrelationId` writes the same `correlation_id` field, so a Logs Insights query finds a
 * dispatch's lines in every handler's logs alike. Written to standard output directly, as the
 * Logger does, so that Lambda's JSON log format keeps the line as it is rather than wrapping it as a message.
 */
export class JsonLogger {
  private keys: Record<string, unknown> = {};

  constructor(private readonly service: string) {}

  /** Every following line carries `correlation_id` (the dispatch id), until `resetKeys`. */
  public setCorrelationId(id: string): void {
    this.keys = { ...this.keys, correlation_id: id };
  }

  /** Every following line carries these fields too (e.g. the task a handler is about), until `resetKeys`. */
  public appendKeys(keys: Record<string, unknown>): void {
    this.keys = { ...this.keys, ...keys };
  }

  /** Forget the correlation id and the keys: a warm Lambda environment's next invocation is about another dispatch. */
  public resetKeys(): void {
    this.keys = {};
  }

  public info(message: string, fields?: Record<string, unknown>): void {
    this.write('INFO', message, fields);
  }

  public warn(message: string, fields?: Record<string, unknown>): void {
    this.write('WARN', message, fields);
  }

  public error(message: string, fields?: Record<string, unknown>): void {
    this.write('ERROR', message, fields);
  }

  private write(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
    const line = { level, message, timestamp: new Date().toISOString(), service: this.service, ...this.keys, ...fields };
    process.stdout.write(`${JSON.stringify(line, (_key, value) => (value instanceof Error ? errorFields(value) : value))}\n`);
  }
}

function errorFields(error: Error): Record<string, unknown> {
  return { name: error.name, message: error.message, stack: error.stack, ...(error instanceof AggregateError && { errors: error.errors }) };
}

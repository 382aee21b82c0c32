/** A log line's level, as Powertools' Logger names them. */
export type LogLevel = 'INFO' | 'WARN' | 'ERROR';

/**
 * Structured log lines like Powertools' Logger writes (level, message, timestamp, service, its keys, then the
 * fields), for the handlers that cannot afford the Logger's 16 KB within their bundle budget
 * (test/runtime/bundle/handler-sizes.test.ts). It has the Logger's methods that handlers use, so a handler
 * reads the same with either, and `setCorrelationId` writes the same `correlation_id` field, so a Logs Insights
 * query finds a dispatch's lines in every handler's logs alike. Written to standard output directly, as the
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

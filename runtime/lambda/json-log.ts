/** A log line's level, as Powertools' Logger names them. */
export type LogLevel = 'INFO' | 'WARN' | 'ERROR';

/**
 * A structured log line like Powertools' Logger writes (level, message, timestamp, service, then the fields),
 * for a handler that cannot afford the Logger's 16 KB: the pool scaler, which stays under the 300 KB bundle
 * budget only without it. Written to standard output directly, as the Logger does, so that Lambda's JSON log
 * format keeps the line as it is rather than wrapping it as a message.
 */
export function logJson(service: string, level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
  const line = { level, message, timestamp: new Date().toISOString(), service, ...fields };
  process.stdout.write(`${JSON.stringify(line, (_key, value) => (value instanceof Error ? errorFields(value) : value))}\n`);
}

function errorFields(error: Error): Record<string, unknown> {
  return { name: error.name, message: error.message, stack: error.stack, ...(error instanceof AggregateError && { errors: error.errors }) };
}

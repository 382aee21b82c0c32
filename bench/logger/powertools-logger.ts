import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Stands in for runtime/lambda/json-log.ts in the "Powertools" build of bench/logger/logger-weight.ts: the
 * same class name and constructor, made of Powertools' Logger, so that every handler is bundled as it would be
 * if it logged with the library.
 */
export class JsonLogger extends Logger {
  constructor(service: string) {
    super({ serviceName: service });
  }
}

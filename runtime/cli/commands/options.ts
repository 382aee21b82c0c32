import { InvalidArgumentError, Option } from 'commander';
import { DEFAULT_POLL_INTERVAL_MS } from '../follow';

/** Commander's parser for a whole number from `min` to `max`: anything else is a usage error naming the bounds. */
export function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value.trim()) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got "${value}"`);
    }
    return parsed;
  };
}

/** How often `--follow` reads the logs again once caught up. */
export function pollIntervalOption(): Option {
  return new Option('--poll-interval <ms>', 'with --follow: how often to read new lines once caught up, in milliseconds')
    .argParser(wholeNumber(10, 60_000))
    .default(DEFAULT_POLL_INTERVAL_MS);
}

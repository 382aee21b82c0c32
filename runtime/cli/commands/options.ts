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

/** A positive amount of US dollars, up to `max` (`--max-cost 2.50`). */
export function dollars(max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^\d+(\.\d+)?$|^\.\d+$/.test(value.trim()) || parsed <= 0 || parsed > max) {
      throw new InvalidArgumentError(`expected an amount in US dollars, more than 0 and at most ${max} (e.g. 2.50), got "${value}"`);
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

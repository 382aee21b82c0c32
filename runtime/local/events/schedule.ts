import { randomUUID } from 'crypto';

/** A `rate(...)` expression's period (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html). */
export function ratePeriodMs(expression: string): number {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (!match) {
    throw new Error(`Outpost Local runs rate(...) schedules only, not ${expression}: the platform's rules are all rates`);
  }
  const value = Number(match[1]);
  const unit = match[2].replace(/s$/, '');
  if ((value === 1) !== (match[2] === unit)) {
    throw new Error(`${expression} is not a valid rate: EventBridge takes "1 ${unit}" and "N ${unit}s"`);
  }
  return value * { minute: 60_000, hour: 3_600_000, day: 86_400_000 }[unit as 'minute' | 'hour' | 'day'];
}

/** The event a scheduled rule sends its targets (the EventBridge user guide's "Scheduled Event" example). */
export function scheduledEvent(ruleArn: string, account: string, region: string, at: Date = new Date()): object {
  return {
    'version': '0',
    'id': randomUUID(),
    'detail-type': 'Scheduled Event',
    'source': 'aws.events',
    'account': account,
    'time': at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'region': region,
    'resources': [ruleArn],
    'detail': {},
  };
}

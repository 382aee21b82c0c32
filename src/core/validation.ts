import { Token } from 'aws-cdk-lib';

/**
 * Fails synthesis with a message that names the construct, the prop, what it got and what to change.
 * Unresolved tokens are skipped: their value is only known at deploy time.
 */
export function requireIntegerInRange(owner: string, prop: string, value: number | undefined, min: number, max: number, fix?: string): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${owner}: \`${prop}\` must be a whole number from ${min} to ${max}, got ${value}. ${fix ?? `Set \`${prop}\` within that range.`}`);
  }
}

/** Fails synthesis when a prop's condition does not hold, with a message that says what to change. */
export function requireProp(condition: boolean, owner: string, prop: string, problem: string, fix: string): void {
  if (!condition) {
    throw new Error(`${owner}: \`${prop}\` ${problem}. ${fix}`);
  }
}

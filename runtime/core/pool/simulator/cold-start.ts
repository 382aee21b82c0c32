import { triangular, type Random } from './random';

/** How long a task takes from RunTask to healthy, in seconds. */
export type ColdStartDistribution =
  | { readonly kind: 'triangular'; readonly min: number; readonly mode: number; readonly max: number }
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number }
  | { readonly kind: 'constant'; readonly seconds: number }
  /** Measured cold starts (runtime/core/pool/simulator/measured-cold-starts.ts), each drawn as likely as any other. */
  | { readonly kind: 'empirical'; readonly samples: readonly number[] };

/** A 1–2 GB agent image on Fargate: 45 to 90 seconds, most often about a minute (mean 65 s). */
export const DEFAULT_COLD_START: ColdStartDistribution = { kind: 'triangular', min: 45, mode: 60, max: 90 };

export function drawColdStart(distribution: ColdStartDistribution, random: Random): number {
  switch (distribution.kind) {
    case 'triangular':
      return triangular(random, distribution.min, distribution.mode, distribution.max);
    case 'uniform':
      return distribution.min + random() * (distribution.max - distribution.min);
    case 'constant':
      return distribution.seconds;
    case 'empirical':
      return distribution.samples[Math.min(distribution.samples.length - 1, Math.floor(random() * distribution.samples.length))];
  }
}

/** The longest cold start `distribution` can draw. */
export function longestColdStartSeconds(distribution: ColdStartDistribution): number {
  switch (distribution.kind) {
    case 'triangular':
    case 'uniform':
      return distribution.max;
    case 'constant':
      return distribution.seconds;
    case 'empirical':
      return distribution.samples.reduce((longest, sample) => Math.max(longest, sample), 0);
  }
}

/** `triangular:45:60:90`, `uniform:45:90` or `constant:60` (seconds), as the command line takes it. */
export function parseColdStart(text: string): ColdStartDistribution {
  const [kind, ...fields] = text.split(':');
  const numbers = fields.map(Number);
  const valid = numbers.every((value) => Number.isFinite(value) && value > 0);
  if (kind === 'triangular' && numbers.length === 3 && valid && numbers[0] <= numbers[1] && numbers[1] <= numbers[2] && numbers[0] < numbers[2]) {
    return { kind, min: numbers[0], mode: numbers[1], max: numbers[2] };
  }
  if (kind === 'uniform' && numbers.length === 2 && valid && numbers[0] < numbers[1]) {
    return { kind, min: numbers[0], max: numbers[1] };
  }
  if (kind === 'constant' && numbers.length === 1 && valid) {
    return { kind, seconds: numbers[0] };
  }
  throw new Error(`--cold-start "${text}" must be triangular:MIN:MODE:MAX, uniform:MIN:MAX or constant:SECONDS (seconds, MIN below MAX)`);
}

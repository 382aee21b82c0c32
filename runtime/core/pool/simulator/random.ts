/* eslint-disable no-bitwise -- a 32-bit generator and hash are bit arithmetic through and through */

/** Uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * A seeded generator: a Weyl sequence (adding the 32-bit golden-ratio constant) passed through a 32-bit
 * avalanche mix. Plenty for a simulation, and the same seed gives the same numbers on every machine.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 16), 0x85ebca6b);
    mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
    mixed ^= mixed >>> 16;
    return (mixed >>> 0) / 2 ** 32;
  };
}

/**
 * A generator for one purpose (cold starts, backoff jitter, …) of one seeded run: separate streams keep a
 * change in how often one purpose draws from shifting every other purpose's numbers.
 */
export function seededStream(seed: number, purpose: string): Random {
  let hash = seed >>> 0;
  for (const char of purpose) {
    hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  }
  return seededRandom(hash);
}

/** Exponentially distributed, with the given mean: the gap between Poisson arrivals. */
export function exponential(random: Random, mean: number): number {
  return -mean * Math.log(1 - random());
}

/** Uniform on a logarithmic scale between `min` and `max`: as many runs from 2 to 4 minutes as from 10 to 20. */
export function logUniform(random: Random, min: number, max: number): number {
  return min * (max / min) ** random();
}

/** Triangular on [min, max] with its peak at `mode`, by inverting its distribution function. */
export function triangular(random: Random, min: number, mode: number, max: number): number {
  const draw = random();
  const split = (mode - min) / (max - min);
  return draw < split
    ? min + Math.sqrt(draw * (max - min) * (mode - min))
    : max - Math.sqrt((1 - draw) * (max - min) * (max - mode));
}

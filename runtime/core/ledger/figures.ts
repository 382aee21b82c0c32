import type { Figure, FigureUnit } from './event';

/**
 * A priced quantity. The quantity and unit price keep nine decimals; the amount is rounded to a millionth of a
 * dollar, so that every sum of amounts (`sum`) is a sum of what the event shows.
 */
export function figure(quantity: number, unit: FigureUnit, unitPriceUsd: number): Figure {
  return { quantity: round(quantity, 9), unit, unitPriceUsd: round(unitPriceUsd, 9), usd: round(quantity * unitPriceUsd, 6) };
}

/** Amounts already rounded to a millionth, added and rounded again to drop the floating-point residue. */
export function sum(...usd: number[]): number {
  return round(usd.reduce((total, value) => total + value, 0), 6);
}

export function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

import * as fs from 'fs';
import * as path from 'path';
import { ARCHITECTURES, CAPACITIES, LIST_PRICE_TABLE } from '../../../runtime/core/ledger/pricing';

interface Source {
  readonly prices: string[];
  readonly basis: 'listed' | 'inferred' | 'estimate' | 'unverified';
}

// Read as the file is, since the runtime's PricingTable type leaves the sources out.
const FILE = path.join(__dirname, '..', '..', '..', 'runtime', 'core', 'ledger', 'pricing', 'prices.json');
const sources: Record<'fargate' | 'models', Source[]> = JSON.parse(fs.readFileSync(FILE, 'utf8')).sources;

/** Every price of a section, named as its sources name them. */
const PRICES = {
  fargate: Object.keys(LIST_PRICE_TABLE.fargate).flatMap((region) => [
    ...ARCHITECTURES.flatMap((architecture) => CAPACITIES.map((capacity) => `${region}.${architecture}.${capacity}`)),
    `${region}.ephemeralGbHour`,
    `${region}.efsGbMonth`,
  ]),
  models: Object.keys(LIST_PRICE_TABLE.models),
};

const sorted = (names: string[]) => [...names].sort();

test.each(['fargate', 'models'] as const)('each %s price is in exactly one source, and every source names prices the table has', (section) => {
  expect(sorted(sources[section].flatMap((source) => source.prices))).toEqual(sorted(PRICES[section]));
});

test('Fargate Spot is the documented estimate: 30% of the on-demand price, in every Region', () => {
  const estimated = sources.fargate.filter((source) => source.basis === 'estimate').flatMap((source) => source.prices);
  expect(sorted(estimated)).toEqual(sorted(PRICES.fargate.filter((name) => name.endsWith('.spot'))));
  for (const prices of Object.values(LIST_PRICE_TABLE.fargate)) {
    for (const architecture of ARCHITECTURES) {
      expect(prices[architecture].spot.vcpuHour).toBeCloseTo(0.3 * prices[architecture].onDemand.vcpuHour, 9);
      expect(prices[architecture].spot.gbHour).toBeCloseTo(0.3 * prices[architecture].onDemand.gbHour, 9);
    }
  }
});

test('the reference model, which prices every model without a price of its own, has a listed price', () => {
  const reference = sources.models.find((source) => source.prices.includes(LIST_PRICE_TABLE.referenceModel));
  expect(reference?.basis).toBe('listed');
});

import * as fs from 'fs';
import * as path from 'path';
import { perMillion, recordedPrices, recordingFiles, type RecordedPrice } from './recorded-prices';
import { ARCHITECTURES, CAPACITIES, LIST_PRICE_TABLE, type PricingTable } from '../../../runtime/core/ledger/pricing';

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

/**
 * Every figure of prices.json that no recorded source states, by name. A price added without a recorded
 * source, or a recording that stops stating one, fails the test below until this list says so.
 */
const UNSOURCED = [
  // Fargate outside us-east-1: no copy of the Price List offer files or of a page quoting them was reachable.
  ...['us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1'].flatMap((region) => [
    `${region}.x86_64.onDemand.vcpuHour`, `${region}.x86_64.onDemand.gbHour`,
    `${region}.arm64.onDemand.vcpuHour`, `${region}.arm64.onDemand.gbHour`,
    `${region}.ephemeralGbHour`, `${region}.efsGbMonth`,
  ]),
  // Fargate Spot everywhere: the documented estimate (30% of on-demand), tested above; AWS publishes no fixed Spot price.
  ...['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1'].flatMap((region) => ARCHITECTURES.flatMap((architecture) => [
    `${region}.${architecture}.spot.vcpuHour`, `${region}.${architecture}.spot.gbHour`,
  ])),
  // OpenAI's cache writes for GPT-6.2: derived from input at 1.25x; no source states the figure.
  'gpt-6.2-astra.cacheWrite',
  'gpt-6.2-sol.cacheWrite',
];

/** Every figure of a pricing table, named as the recordings name them. */
function figures(table: PricingTable): Map<string, number> {
  const named = new Map<string, number>([['ephemeralFreeGb', table.ephemeralFreeGb]]);
  for (const [region, prices] of Object.entries(table.fargate)) {
    for (const architecture of ARCHITECTURES) {
      for (const capacity of CAPACITIES) {
        named.set(`${region}.${architecture}.${capacity}.vcpuHour`, prices[architecture][capacity].vcpuHour);
        named.set(`${region}.${architecture}.${capacity}.gbHour`, prices[architecture][capacity].gbHour);
      }
    }
    named.set(`${region}.ephemeralGbHour`, prices.ephemeralGbHour);
    named.set(`${region}.efsGbMonth`, prices.efsGbMonth);
  }
  for (const [model, prices] of Object.entries(table.models)) {
    for (const [field, value] of Object.entries(prices)) {
      named.set(`${model}.${field}`, value);
    }
  }
  return named;
}

/** Where a table and the recordings disagree: a figure that differs, or one a source states and the table lacks. */
function disagreements(table: Map<string, number>, recorded: readonly RecordedPrice[]): string[] {
  return recorded.filter(({ name, value }) => table.get(name) !== value)
    .map(({ name, value, file }) => `${name}: prices.json has ${table.get(name)}, ${file} states ${value}`);
}

describe('prices.json against the recorded copies of its sources', () => {
  const recorded = recordedPrices();
  const table = figures(LIST_PRICE_TABLE);

  test('every recording in fixtures/price-sources is read', () => {
    expect([...new Set(recorded.map(({ file }) => file))].sort()).toEqual(recordingFiles());
  });

  test('every figure a recorded source states is the one prices.json holds, exactly', () => {
    expect(disagreements(table, recorded)).toEqual([]);
  });

  test('the figures no recorded source states are exactly the listed ones', () => {
    const stated = new Set(recorded.map(({ name }) => name));
    expect([...table.keys()].filter((name) => !stated.has(name)).sort()).toEqual(sorted(UNSOURCED));
  });

  test('a change to any one sourced price is caught', () => {
    const caught = [...table.keys()].filter((name) => !UNSOURCED.includes(name)).filter((name) => {
      const changed = new Map(table).set(name, table.get(name)! * 1.01);
      return disagreements(changed, recorded).length === 1;
    });
    expect(sorted(caught)).toEqual(sorted([...table.keys()].filter((name) => !UNSOURCED.includes(name))));
  });

  test('no price a recorded source states is still marked estimate or unverified in prices.json', () => {
    // A source entry names a price (`us-east-1.x86_64.onDemand`, `grok-4.7`) whose figures are the names below it.
    const weak = [...sources.fargate, ...sources.models].filter((source) => source.basis === 'estimate' || source.basis === 'unverified').flatMap((source) => source.prices);
    expect(weak.filter((price) => recorded.some(({ name }) => name === price || name.startsWith(`${price}.`)))).toEqual([]);
  });
});

test('per-token figures become per-million ones exactly', () => {
  expect([4e-6, 1.25e-7, 7.5e-8, 2.5e-6, 1e-8].map(perMillion)).toEqual([4, 0.125, 0.075, 2.5, 0.01]);
});

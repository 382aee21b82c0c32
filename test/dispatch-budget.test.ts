import { Template } from 'aws-cdk-lib/assertions';
import { logicalIdOf, renderValue, synthPlatform } from './support/platform-stack';
import { loadConfig } from '../runtime/core/config';
import { modelPrices } from '../runtime/core/ledger/model-prices';
import { LedgerPricing, OutpostPlatformProps } from '../src';

/** Each Lambda function of the platform, by the construct id its logical id starts with, and its environment. */
function environments(template: Template): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(template.findResources('AWS::Lambda::Function'))
    .map(([id, resource]) => [id, resource.Properties.Environment?.Variables ?? {}]));
}

describe('OutpostPlatform budgets: defaultMaxCostUsd and maxCostUsdLimit', () => {
  test('reach the handlers\' configuration; without them, none is there', () => {
    const { template } = synthPlatform({ defaultMaxCostUsd: 5, maxCostUsdLimit: 50 });
    const create = environments(template)[logicalIdOf(template, 'AWS::Lambda::Function', 'LifecycleDispatchCreate')];
    expect(loadConfig(renderValue(create.OUTPOST_CONFIG)).budget).toEqual({ defaultMaxCostUsd: 5, maxCostUsdLimit: 50 });

    const plain = synthPlatform().template;
    const plainCreate = environments(plain)[logicalIdOf(plain, 'AWS::Lambda::Function', 'LifecycleDispatchCreate')];
    expect(loadConfig(renderValue(plainCreate.OUTPOST_CONFIG)).budget).toBeUndefined();
  });

  test.each<[OutpostPlatformProps, RegExp]>([
    [{ defaultMaxCostUsd: 0 }, /OutpostPlatform: `defaultMaxCostUsd` must be more than 0 and at most 100000 USD, got 0\. Give the limit in US dollars/],
    [{ maxCostUsdLimit: -3 }, /OutpostPlatform: `maxCostUsdLimit` must be more than 0 and at most 100000 USD, got -3/],
    [{ maxCostUsdLimit: 1e6 }, /`maxCostUsdLimit` must be more than 0 and at most 100000 USD, got 1000000/],
    [{ defaultMaxCostUsd: Number.NaN }, /`defaultMaxCostUsd` must be more than 0 and at most 100000 USD, got NaN/],
    [{ defaultMaxCostUsd: 20, maxCostUsdLimit: 10 }, /`defaultMaxCostUsd` is 20 USD, above `maxCostUsdLimit` \(10 USD\), which no dispatch may exceed\. Lower `defaultMaxCostUsd`/],
  ])('%j fails at synth saying what to change', (props, message) => {
    expect(() => synthPlatform(props)).toThrow(message);
  });
});

describe('the model prices budgets are sent with', () => {
  const pricing = LedgerPricing.withOverrides({
    label: 'acme',
    models: [{ model: 'claude-sonnet-4-5', inputPerMillionUsd: 2.7, outputPerMillionUsd: 13.5, cachedInputPerMillionUsd: 0.27, cacheWritePerMillionUsd: 3.375 }],
  });
  const { template } = synthPlatform({ ledger: { pricing } });
  const all = environments(template);

  test('reach exactly the functions that build assignments (dispatch-create, task-ready), as the ledger has them', () => {
    const withPrices = Object.keys(all).filter((id) => 'OUTPOST_MODEL_PRICES' in all[id]);
    expect(withPrices.map((id) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['OutpostLifecycleDispatchCreateFunction', 'OutpostLifecycleTaskReadyFunction']);
    for (const id of withPrices) {
      const prices = modelPrices(renderValue(all[id].OUTPOST_MODEL_PRICES));
      expect(prices.models['claude-sonnet-4-5']).toEqual({ input: 2.7, output: 13.5, cachedInput: 0.27, cacheWrite: 3.375 });
    }
  });

  test('list prices need no variable: the handlers carry them', () => {
    const plain = synthPlatform().template;
    expect(Object.values(environments(plain)).filter((variables) => 'OUTPOST_MODEL_PRICES' in variables)).toEqual([]);
  });
});

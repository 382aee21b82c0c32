import { finished, CLAUDE_SIZE } from './support';
import type { Dispatch } from '../../../runtime/core/dispatch/dispatch';
import { costSummary, dispatchCost } from '../../../runtime/core/ledger/cost';
import { applyOverrides, LIST_PRICE_TABLE, modelRates, normalizeModelId, UnknownRegionError, type PricingTable } from '../../../runtime/core/ledger/pricing';

const table = LIST_PRICE_TABLE;
const us = table.fargate['us-east-1'];
const cost = (overrides: Parameters<typeof finished>[0] = {}, region = 'us-east-1', pricing: PricingTable = table) =>
  dispatchCost({ dispatch: finished(overrides), agent: CLAUDE_SIZE, pricing, region });

describe('compute', () => {
  test('an hour of 1 vCPU and 4 GB on-demand arm64, billed from the image pull to the stop', () => {
    const event = cost();
    expect(event.compute).toEqual({
      basis: 'task',
      capacity: 'onDemand',
      architecture: 'arm64',
      billedSeconds: 3600,
      vcpu: { quantity: 1, unit: 'vCPU-hour', unitPriceUsd: us.arm64.onDemand.vcpuHour, usd: 0.03238 },
      memory: { quantity: 4, unit: 'GB-hour', unitPriceUsd: us.arm64.onDemand.gbHour, usd: 0.01424 },
    });
    expect(event.computeUsd).toBe(0.04662);
  });

  test('Spot and x86_64 each have their own price', () => {
    const task = finished().task!;
    const spot = cost({ task: { ...task, capacityProvider: 'FARGATE_SPOT' } });
    const x86 = cost({ task: { ...task, architecture: 'x86_64' } });
    expect(spot.compute.capacity).toBe('spot');
    expect(spot.compute.vcpu.unitPriceUsd).toBe(us.arm64.spot.vcpuHour);
    expect(spot.computeUsd).toBeLessThan(cost().computeUsd);
    expect(x86.compute.architecture).toBe('x86_64');
    expect(x86.compute.vcpu.usd).toBe(0.04048);
    expect(x86.compute.memory.usd).toBe(0.01778);
  });

  test('a cold task is billed at least a minute; a warm worker from the hand-off, its idle time being the pool\'s', () => {
    const task = finished().task!;
    const short = cost({ task: { ...task, pullStartedAt: '2026-01-02T04:03:50.000Z' } });
    expect(short.compute.billedSeconds).toBe(60);
    const warm = cost({ warm: true, startedAt: '2026-01-02T04:00:00.000Z', task: { ...task, pullStartedAt: '2026-01-01T00:00:00.000Z' } });
    expect(warm.compute.billedSeconds).toBe(240);
  });

  test('without the task\'s report, the dispatch\'s own times at the agent\'s size, on-demand (the higher price)', () => {
    const event = cost({ task: undefined, startedAt: '2026-01-02T03:00:00.000Z', finishedAt: '2026-01-02T03:30:00.000Z' });
    expect(event.compute).toMatchObject({ basis: 'dispatch', capacity: 'onDemand', architecture: 'arm64', billedSeconds: 1800 });
    expect(event.compute.vcpu.quantity).toBe(0.5);
  });

  test('a dispatch that never started costs nothing', () => {
    const event = cost({ task: undefined, taskArn: undefined, startedAt: undefined, model: undefined, result: undefined, status: 'FAILED' });
    expect(event.totalUsd).toBe(0);
    expect(event.llm).toMatchObject({ model: null, pricedAs: 'none', tokenUsageReported: false, perModelUsage: false, models: [] });
  });
});

describe('storage', () => {
  test('ephemeral storage is charged above the free 20 GB only', () => {
    expect(cost().storage.ephemeral).toEqual({ quantity: 20, unit: 'GB-hour', unitPriceUsd: us.ephemeralGbHour, usd: 0.00222 });
    const free = cost({ task: { ...finished().task!, ephemeralStorageGiB: 20 } });
    expect(free.storage.ephemeral.usd).toBe(0);
  });

  /** A dispatch whose result.json reported `bytes` of workspace (finished()'s result otherwise). */
  const measured = (workspace: Dispatch['workspace'], bytes: number, complete = true) =>
    cost({ workspace, result: { ...finished().result!, workspaceSize: { bytes, complete } } });
  const persistent = { kind: 'persistent', name: 'api' } as const;

  test('a persistent workspace is charged the size the worker measured (GB of 2^30 bytes) for the run\'s share of a 730-hour month', () => {
    const event = measured(persistent, 73 * 2 ** 30);
    expect(event.storage).toEqual({
      ephemeral: cost().storage.ephemeral,
      workspace: { quantity: 0.1, unit: 'GB-month', unitPriceUsd: 0.3, usd: 0.03 },
      workspaceSize: { bytes: 73 * 2 ** 30, complete: true },
    });
    expect(event.storageUsd).toBe(0.03222);
    expect(event.totalUsd).toBe(3.90384);
  });

  test('a lower bound (the walk stopped short) is charged as measured, and says so', () => {
    expect(measured(persistent, 73 * 2 ** 30, false).storage).toMatchObject({ workspace: { usd: 0.03 }, workspaceSize: { complete: false } });
  });

  test('unmeasured, or ephemeral (charged as the task\'s ephemeral storage), the workspace figure is zero and has no size', () => {
    const unmeasured = cost({ workspace: persistent });
    const ephemeral = measured({ kind: 'ephemeral' }, 73 * 2 ** 30);
    for (const event of [unmeasured, ephemeral]) {
      expect(event.storage.workspace).toEqual({ quantity: 0, unit: 'GB-month', unitPriceUsd: 0.3, usd: 0 });
      expect(event.storage).not.toHaveProperty('workspaceSize');
    }
  });
});

describe('tokens', () => {
  test('uncached input, cached input and output, each at the model\'s price per million', () => {
    const { llm, llmUsd } = cost();
    const figures = {
      input: { quantity: 0.75, unit: 'million tokens', unitPriceUsd: 3, usd: 2.25 },
      cachedInput: { quantity: 0.25, unit: 'million tokens', unitPriceUsd: 0.3, usd: 0.075 },
      cacheWrite: { quantity: 0, unit: 'million tokens', unitPriceUsd: table.models['claude-sonnet-4-5'].cacheWrite ?? 3, usd: 0 },
      output: { quantity: 0.1, unit: 'million tokens', unitPriceUsd: 15, usd: 1.5 },
    };
    expect(llm).toEqual({
      model: 'claude-sonnet-4-5',
      pricedAs: 'model',
      tokenUsageReported: true,
      perModelUsage: false,
      ...figures,
      models: [{
        model: 'claude-sonnet-4-5',
        pricedModel: 'claude-sonnet-4-5',
        pricedAs: 'model',
        cacheWritePricedAs: table.models['claude-sonnet-4-5'].cacheWrite === undefined ? 'input' : 'cacheWrite',
        ...figures,
        usd: 3.825,
      }],
    });
    expect(llmUsd).toBe(3.825);
  });

  test('Bedrock, LiteLLM, Gemini, Vertex and dated names find the model\'s own price', () => {
    expect(normalizeModelId('us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toBe('claude-sonnet-4-5');
    expect(normalizeModelId('anthropic.claude-haiku-4-5-20251001-v1:0')).toBe('claude-haiku-4-5');
    expect(normalizeModelId('anthropic/claude-opus-4-1')).toBe('claude-opus-4-1');
    expect(normalizeModelId('claude-sonnet-4-6-20260115')).toBe('claude-sonnet-4-6');
    expect(normalizeModelId('models/gemini-2.5-pro')).toBe('gemini-2.5-pro');
    expect(normalizeModelId('openrouter/anthropic/claude-sonnet-4-5')).toBe('claude-sonnet-4-5');
    expect(normalizeModelId('claude-sonnet-4-5@20250929')).toBe('claude-sonnet-4-5');
    expect(normalizeModelId('gpt-5-2025-08-07')).toBe('gpt-5');
    expect(normalizeModelId('gemini-2.5-flash-preview-09-2025')).toBe('gemini-2.5-flash-preview-09-2025');
    expect(normalizeModelId('global.anthropic.claude-opus-4-1-20250805-v1:0')).toBe('claude-opus-4-1');
    expect(normalizeModelId('arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toBe('claude-sonnet-4-5');
    expect(cost({ model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' }).llmUsd).toBe(3.825);
  });

  test('a model without a price is priced by its tier against the agent\'s flagship', () => {
    const pricing = modelRates(table, 'claude-next', 'balanced', 'claude-opus-5-5');
    expect(pricing).toEqual({
      pricedAs: 'tier',
      model: 'claude-next',
      tier: 'balanced',
      referenceModel: 'claude-opus-5-5',
      multiplier: 0.4,
      rates: { input: 1.6, output: 8, cachedInput: 0.08000000000000002, cacheWrite: table.models['claude-opus-5-5'].cacheWrite! * 0.4 },
    });
    const event = cost({ model: 'claude-next', modelTier: 'fast' });
    expect(event.llm).toMatchObject({ pricedAs: 'tier', tier: 'fast', referenceModel: 'claude-opus-5-5', multiplier: 0.1 });
    expect(event.llm.output.unitPriceUsd).toBe(2);
    expect(event.llm.cachedInput.unitPriceUsd).toBeCloseTo(0.02, 12);
  });

  test('a tier-less unknown model counts as flagship; without a priced flagship, the table\'s reference model', () => {
    expect(modelRates(table, 'mystery', undefined, undefined)).toMatchObject({ tier: 'flagship', referenceModel: table.referenceModel, multiplier: 1 });
    expect(modelRates(table, 'mystery', 'fast', 'unpriced-flagship')).toMatchObject({ referenceModel: 'claude-opus-5-5', rates: { input: 0.4 } });
  });

  test('a tier-priced model\'s cache-write price is the reference\'s times the multiplier, when the reference has one', () => {
    const withWrites = { ...table, models: { ...table.models, 'claude-opus-4-1': { input: 15, output: 75, cachedInput: 1.5, cacheWrite: 18.75 } } };
    expect(modelRates(withWrites, 'mystery', 'balanced', 'claude-opus-4-1').rates.cacheWrite).toBe(7.5);
    const withoutWrites = { ...table, models: { ...table.models, 'claude-opus-4-1': { input: 15, output: 75, cachedInput: 1.5 } } };
    expect(modelRates(withoutWrites, 'mystery', 'balanced', 'claude-opus-4-1').rates).not.toHaveProperty('cacheWrite');
  });

  test('a run whose CLI reported no usage has zero tokens, and says so', () => {
    const event = cost({ result: { commit: null, branch: null, tokenUsage: null, durationSeconds: 10 } });
    expect(event.llm).toMatchObject({ tokenUsageReported: false, models: [], input: { quantity: 0, unitPriceUsd: 3 } });
    expect(event.llmUsd).toBe(0);
    expect(costSummary(event)).not.toHaveProperty('models');
  });
});

describe('totals and rounding', () => {
  test('figures are rounded to a millionth of a dollar and the sums add the rounded figures', () => {
    const event = cost({ task: { ...finished().task!, stoppedAt: '2026-01-02T04:04:07.000Z' } });
    for (const figure of [event.compute.vcpu, event.compute.memory, event.storage.ephemeral, event.llm.input]) {
      expect(Number.isInteger(Math.round(figure.usd * 1e6 * 1e3) / 1e3)).toBe(true);
    }
    expect(event.computeUsd).toBeCloseTo(event.compute.vcpu.usd + event.compute.memory.usd, 9);
    expect(event.totalUsd).toBeCloseTo(event.computeUsd + event.storageUsd + event.llmUsd, 9);
    expect(costSummary(event)).toEqual({
      estimatedUsd: event.totalUsd,
      computeUsd: event.computeUsd,
      storageUsd: event.storageUsd,
      llmUsd: event.llmUsd,
      priceVersion: table.version,
      models: [{ model: 'claude-sonnet-4-5', usd: event.llmUsd }],
    });
  });
});

describe('pricing table', () => {
  test('has a version, a retrieval date, and every price for each Region', () => {
    expect(table.version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(table.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const prices of Object.values(table.fargate)) {
      for (const rates of [prices.arm64.onDemand, prices.arm64.spot, prices.x86_64.onDemand, prices.x86_64.spot]) {
        expect(rates.vcpuHour).toBeGreaterThan(0);
        expect(rates.gbHour).toBeGreaterThan(0);
      }
      expect(prices.arm64.spot.vcpuHour).toBeLessThan(prices.arm64.onDemand.vcpuHour);
      expect(prices.arm64.onDemand.vcpuHour).toBeLessThan(prices.x86_64.onDemand.vcpuHour);
    }
  });

  test('an unknown Region is an error naming what to do, not a guess', () => {
    expect(() => cost({}, 'ap-south-2')).toThrow(UnknownRegionError);
    expect(() => cost({}, 'ap-south-2')).toThrow(/no Fargate prices for ap-south-2.*LedgerPricing.withOverrides/);
  });

  test('overrides replace prices, add Regions and models, and label the version', () => {
    const rates = { vcpuHour: 0.05, gbHour: 0.005 };
    const pricing = applyOverrides(table, {
      label: 'acme-edp',
      compute: (['x86_64', 'arm64'] as const).flatMap((architecture) => (['onDemand', 'spot'] as const).map((capacity) => ({ region: 'ap-south-2', architecture, capacity, ...rates }))),
      storage: [{ region: 'ap-south-2', ephemeralGbHour: 0.0001, efsGbMonth: 0.4 }],
      models: [{ model: 'anthropic/claude-sonnet-4-5', input: 2.7, output: 13.5, cachedInput: 0.27, cacheWrite: 3.375 }],
    });
    expect(pricing.version).toBe(`${table.version}+acme-edp`);
    const event = cost({}, 'ap-south-2', pricing);
    expect(event.priceVersion).toBe(`${table.version}+acme-edp`);
    expect(event.compute.vcpu.unitPriceUsd).toBe(0.05);
    expect(event.llm.input.unitPriceUsd).toBe(2.7);
    expect(event.llm.models[0]).toMatchObject({ cacheWritePricedAs: 'cacheWrite', cacheWrite: { unitPriceUsd: 3.375 } });
    expect(table.models['claude-sonnet-4-5'].input).toBe(3);
  });

  test('overrides that leave a new Region half-priced are refused', () => {
    expect(() => applyOverrides(table, { label: 'x', compute: [{ region: 'ap-south-2', architecture: 'arm64', capacity: 'onDemand', vcpuHour: 1, gbHour: 1 }] }))
      .toThrow('the pricing overrides leave ap-south-2 without prices for x86_64 onDemand, x86_64 spot, arm64 spot, ephemeralGbHour, efsGbMonth');
  });
});

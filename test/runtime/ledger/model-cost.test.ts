import { CLAUDE_SIZE, finished, GEMINI_SIZE, PER_MODEL_PRICING } from './support';
import type { ModelUsage } from '../../../runtime/contracts/token-usage';
import type { Dispatch } from '../../../runtime/core/dispatch/dispatch';
import { costSummary, dispatchCost, type AgentSize } from '../../../runtime/core/ledger/cost';
import { LIST_PRICE_TABLE } from '../../../runtime/core/ledger/pricing';
import type { ModelAliasResolver } from '../../../runtime/core/ledger/token-cost';
import { resolveModelAlias } from '../../../src/agents/model-aliases';

const million = (quantity: number, unitPriceUsd: number, usd: number) => ({ quantity, unit: 'million tokens', unitPriceUsd, usd });

/** `dispatch` (finished()'s, with `overrides`) whose worker reported `modelUsage`, priced with the test's table. */
function priced(
  modelUsage: ModelUsage[] | null | undefined,
  overrides: Partial<Dispatch> = {},
  agent: AgentSize = CLAUDE_SIZE,
  resolveAlias?: ModelAliasResolver,
) {
  const base = finished(overrides);
  const totals = modelUsage?.reduce((sum, usage) => ({
    input: sum.input + usage.input,
    output: sum.output + usage.output,
    cached: sum.cached + usage.cached,
    cacheWrite: sum.cacheWrite + usage.cacheWrite,
  }), { input: 0, output: 0, cached: 0, cacheWrite: 0 });
  const result = { ...base.result!, tokenUsage: totals ?? base.result!.tokenUsage, ...(modelUsage !== undefined && { modelUsage }) };
  return dispatchCost({ dispatch: { ...base, result }, agent, pricing: PER_MODEL_PRICING, region: 'us-east-1', resolveAlias });
}

describe('tokens priced per model that ran', () => {
  // Gemini CLI's `auto` routes each turn to Pro or Flash: one run, two models, each billed at its own price.
  const auto = { agent: 'gemini', agentStatus: 'gemini#COMPLETED', model: 'auto' } as const;
  const proAndFlash: ModelUsage[] = [
    { model: 'gemini-2.5-pro', input: 200_000, cached: 50_000, cacheWrite: 0, output: 10_000 },
    { model: 'models/gemini-2.5-flash', input: 1_000_000, cached: 0, cacheWrite: 0, output: 40_000 },
  ];

  test('two models in one run are each priced at their own rate, and the totals add them', () => {
    const { llm, llmUsd } = priced(proAndFlash, auto, GEMINI_SIZE);
    expect(llm.models).toEqual([
      {
        model: 'gemini-2.5-pro',
        pricedModel: 'gemini-2.5-pro',
        pricedAs: 'model',
        cacheWritePricedAs: 'input',
        input: million(0.15, 1.25, 0.1875),
        cachedInput: million(0.05, 0.125, 0.00625),
        cacheWrite: million(0, 1.25, 0),
        output: million(0.01, 10, 0.1),
        usd: 0.29375,
      },
      {
        model: 'models/gemini-2.5-flash',
        pricedModel: 'gemini-2.5-flash',
        pricedAs: 'model',
        cacheWritePricedAs: 'input',
        input: million(1, 0.3, 0.3),
        cachedInput: million(0, 0.03, 0),
        cacheWrite: million(0, 0.3, 0),
        output: million(0.04, 2.5, 0.1),
        usd: 0.4,
      },
    ]);
    expect(llmUsd).toBe(0.69375);
    expect(llm).toMatchObject({ model: 'auto', pricedAs: 'model', perModelUsage: true, tokenUsageReported: true });
    // Several models: a total's unit price is what a unit cost on average.
    expect(llm.input).toEqual(million(1.15, 0.423913043, 0.4875));
    expect(llm.output).toEqual(million(0.05, 4, 0.2));
    expect(llm.cacheWrite).toEqual(million(0, 0, 0));
    expect(llm).not.toHaveProperty('tier');
  });

  test('the same usage summed into one figure (a worker before per-model usage) is priced as the model asked for', () => {
    const summed = { ...finished().result!, tokenUsage: { input: 1_200_000, cached: 50_000, output: 50_000 } };
    const { llm, llmUsd } = priced(undefined, { ...auto, result: summed }, GEMINI_SIZE);
    expect(llm.perModelUsage).toBe(false);
    // `auto` has no price: it is priced as the agent's flagship tier, Pro, every token of it.
    expect(llm.models).toEqual([expect.objectContaining({ model: 'auto', pricedAs: 'tier', tier: 'flagship', referenceModel: 'gemini-2.5-pro', multiplier: 1 })]);
    expect(llmUsd).toBe(1.94375);
  });

  test('a served model that differs from the one asked for is priced as served', () => {
    // Claude Code sends a retired id as the current model: asked claude-opus-4-1, served claude-opus-4-6.
    const served: ModelUsage[] = [{ model: 'claude-opus-4-6-20260115', input: 1_000_000, cached: 250_000, cacheWrite: 0, output: 100_000 }];
    const { llm, llmUsd } = priced(served, { model: 'claude-opus-4-1' });
    expect(llm.model).toBe('claude-opus-4-1');
    expect(llm.models).toEqual([expect.objectContaining({ model: 'claude-opus-4-6-20260115', pricedModel: 'claude-opus-4-6', pricedAs: 'model' })]);
    expect(llmUsd).toBe(6.375);
    // Priced as asked, the same tokens come to three times as much.
    expect(priced(undefined, { model: 'claude-opus-4-1' }).llmUsd).toBe(19.125);
  });

  test('cache writes are priced at the model\'s cache-write rate (1.25× input for Anthropic), and said so', () => {
    const writes: ModelUsage[] = [{ model: 'claude-opus-4-6', input: 1_000_000, cached: 500_000, cacheWrite: 200_000, output: 0 }];
    const [opus] = priced(writes).llm.models;
    expect(opus).toMatchObject({
      cacheWritePricedAs: 'cacheWrite',
      input: million(0.3, 5, 1.5),
      cachedInput: million(0.5, 0.5, 0.25),
      cacheWrite: million(0.2, 6.25, 1.25),
      usd: 3,
    });
    expect(opus.cacheWrite.unitPriceUsd).toBe(1.25 * PER_MODEL_PRICING.models['claude-opus-4-6'].input);
  });

  test('without a cache-write rate in the table, writes are priced as input, and said so', () => {
    const writes: ModelUsage[] = [{ model: 'gemini-2.5-pro', input: 1_000_000, cached: 500_000, cacheWrite: 200_000, output: 0 }];
    const [pro] = priced(writes, auto, GEMINI_SIZE).llm.models;
    expect(pro).toMatchObject({ cacheWritePricedAs: 'input', input: million(0.3, 1.25, 0.375), cachedInput: million(0.5, 0.125, 0.0625), cacheWrite: million(0.2, 1.25, 0.25), usd: 0.6875 });
  });

  test('an old result without modelUsage is priced from tokenUsage at the dispatch\'s model, as before', () => {
    const { llm, llmUsd } = priced(undefined, { model: 'claude-opus-4-1' });
    expect(llm).toMatchObject({
      model: 'claude-opus-4-1',
      pricedAs: 'model',
      perModelUsage: false,
      tokenUsageReported: true,
      input: million(0.75, 15, 11.25),
      cachedInput: million(0.25, 1.5, 0.375),
      cacheWrite: million(0, 18.75, 0),
      output: million(0.1, 75, 7.5),
    });
    expect(llm.models).toHaveLength(1);
    expect(llmUsd).toBe(19.125);
  });

  test('a result whose CLI reported no usage per model (null) falls back to its total', () => {
    expect(priced(null, { model: 'claude-opus-4-1' }).llm).toMatchObject({ perModelUsage: false, models: [{ model: 'claude-opus-4-1' }] });
  });

  test('an unknown model among several is priced by the flagship tier (the higher estimate); the run is marked as tier-priced', () => {
    const usage: ModelUsage[] = [
      { model: 'gemini-2.5-flash', input: 100_000, cached: 0, cacheWrite: 0, output: 0 },
      { model: 'gemini-9-ultra', input: 100_000, cached: 0, cacheWrite: 0, output: 0 },
    ];
    const { llm } = priced(usage, auto, GEMINI_SIZE);
    expect(llm.pricedAs).toBe('tier');
    expect(llm.models[1]).toMatchObject({ pricedAs: 'tier', tier: 'flagship', referenceModel: 'gemini-2.5-pro', multiplier: 1, input: million(0.1, 1.25, 0.125) });
    expect(llm).not.toHaveProperty('tier');
  });

  test('a model reported only by an alias is priced as the model the CLI\'s alias map resolves it to', () => {
    const aliasOnly: ModelUsage[] = [{ model: 'opus', input: 1_000_000, cached: 250_000, cacheWrite: 0, output: 100_000 }];
    // A test-local map; the real one is the pinned CLI's (resolveModelAlias).
    const resolve: ModelAliasResolver = (agent, model) => (agent === 'claude' && model === 'opus' ? 'claude-opus-4-6' : model);
    expect(priced(aliasOnly, {}, CLAUDE_SIZE, resolve).llm.models[0]).toMatchObject({ model: 'opus', pricedModel: 'claude-opus-4-6', pricedAs: 'model', usd: 6.375 });
    expect(priced(aliasOnly).llm.models[0]).toMatchObject({ pricedModel: 'opus', pricedAs: 'tier' });
  });

  test('every figure is rounded to a millionth and every sum adds the rounded figures', () => {
    const odd: ModelUsage[] = [
      { model: 'claude-opus-4-6', input: 123_457, cached: 11_111, cacheWrite: 7_777, output: 3_333 },
      { model: 'claude-haiku-4-5', input: 98_765, cached: 4_321, cacheWrite: 1_234, output: 5_555 },
    ];
    const event = priced(odd);
    const millionths = (usd: number) => Math.abs(usd * 1e6 - Math.round(usd * 1e6)) < 1e-6;
    for (const model of event.llm.models) {
      const parts = [model.input, model.cachedInput, model.cacheWrite, model.output];
      expect(parts.every((part) => millionths(part.usd))).toBe(true);
      expect(model.usd).toBeCloseTo(parts.reduce((sum, part) => sum + part.usd, 0), 9);
    }
    for (const name of ['input', 'cachedInput', 'cacheWrite', 'output'] as const) {
      expect(event.llm[name].usd).toBeCloseTo(event.llm.models.reduce((sum, model) => sum + model[name].usd, 0), 9);
    }
    expect(event.llmUsd).toBeCloseTo(event.llm.models.reduce((sum, model) => sum + model.usd, 0), 9);
    expect(event.llmUsd).toBeCloseTo(event.llm.input.usd + event.llm.cachedInput.usd + event.llm.cacheWrite.usd + event.llm.output.usd, 9);
    expect(costSummary(event).models).toEqual(event.llm.models.map(({ model, usd }) => ({ model, usd })));
  });
});

describe('the shipped alias map and list prices', () => {
  test('a run reported as Claude Code\'s `sonnet` alias is priced as the model the pinned CLI maps it to', () => {
    const served = resolveModelAlias('claude', 'sonnet');
    expect(served).not.toBe('sonnet');
    const usage = { model: 'sonnet', input: 1_000_000, output: 100_000, cached: 0, cacheWrite: 0 };
    const event = dispatchCost({
      dispatch: finished({ model: 'sonnet', result: { commit: null, branch: null, tokenUsage: usage, modelUsage: [usage], durationSeconds: 60 } }),
      agent: CLAUDE_SIZE,
      pricing: LIST_PRICE_TABLE,
      region: 'us-east-1',
      resolveAlias: resolveModelAlias,
    });
    const rates = LIST_PRICE_TABLE.models[served];
    expect(rates).toBeDefined();
    expect(event.llm.models[0]).toMatchObject({ model: 'sonnet', pricedModel: served, pricedAs: 'model' });
    expect(event.llmUsd).toBeCloseTo(rates.input + rates.output / 10, 6);
  });
});

import { AssignmentSchema, type Assignment } from '../../../runtime/contracts/assignment';
import { buildAssignment } from '../../../runtime/core/handoff/assignment';
import { assignmentBudget } from '../../../runtime/core/handoff/budget';
import { LIST_MODEL_PRICES, modelPrices } from '../../../runtime/core/ledger/model-prices';
import { applyOverrides, LIST_PRICE_TABLE, normalizeModelId, type ModelRates, type PricingOverrides } from '../../../runtime/core/ledger/pricing';
import { llmUsd, tokenCost } from '../../../runtime/core/ledger/token-cost';
import { newDispatchId } from '../../worker/support/ids';
import { queued } from '../dispatch/support/dispatches';

/** Claude's tiers as a platform configures them (src/agents/agent-catalog.ts). */
const CLAUDE_TIERS = { flagship: 'claude-opus-5-5', balanced: 'claude-sonnet-5-5', fast: 'claude-haiku-5-5' };
const OVERRIDES: PricingOverrides = {
  label: 'acme',
  models: [
    { model: 'claude-sonnet-5-5', input: 1.5, output: 7.5, cachedInput: 0.15, cacheWrite: 1.875 },
    { model: 'anthropic/claude-house-1', input: 0.5, output: 1, cachedInput: 0.05 },
  ],
};
const OVERRIDES_ENV = JSON.stringify(OVERRIDES.models);

/** What the model gateway charges for one model's usage at `rates`: the ledger's arithmetic (docs/costs.md). */
function gatewayUsd(usage: { input: number; output: number; cached: number; cacheWrite: number }, rates: ModelRates): number {
  const uncached = Math.max(0, usage.input - usage.cached - usage.cacheWrite);
  const cacheWrite = usage.cacheWrite * (rates.cacheWrite ?? rates.input);
  const usd = uncached * rates.input + usage.cached * rates.cachedInput + cacheWrite + usage.output * rates.output;
  return usd / 1_000_000;
}

function budgetFor(body: Record<string, unknown>, model: string, env = OVERRIDES_ENV): NonNullable<Assignment['budget']> {
  const budget = assignmentBudget({ ...body, model }, modelPrices(env), CLAUDE_TIERS);
  if (!budget) {
    throw new Error('no budget');
  }
  return budget;
}

describe('assignmentBudget', () => {
  test('none for a dispatch without a limit: the run is metered, not limited', () => {
    expect(assignmentBudget({ model: 'claude-sonnet-5-5' }, LIST_MODEL_PRICES, CLAUDE_TIERS)).toBeUndefined();
  });

  test('the list prices with the platform\'s model overrides, as the ledger\'s table has them, keyed by the table\'s id', () => {
    const budget = budgetFor({ maxCostUsd: 3 }, 'claude-sonnet-5-5');
    expect(budget.maxCostUsd).toBe(3);
    expect(budget.rates).toEqual(applyOverrides(LIST_PRICE_TABLE, OVERRIDES).models);
    expect(budget.rates['claude-house-1']).toEqual({ input: 0.5, output: 1, cachedInput: 0.05 });
    expect(budgetFor({ maxCostUsd: 3 }, 'claude-sonnet-5-5', '').rates).toEqual(LIST_PRICE_TABLE.models);
  });

  test.each([
    ['a model of the table, under a provider\'s dated id', {}, 'claude-sonnet-5-5', 'us.anthropic.claude-sonnet-5-5-20261101-v1:0'],
    ['an overridden model', {}, 'claude-house-1', 'anthropic/claude-house-1'],
    ['a model the table lacks, asked by tier', { modelTier: 'fast' }, 'claude-haiku-5-5', 'claude-unlisted-9'],
    ['a model the table lacks, the dispatch naming its tier\'s model', {}, 'claude-sonnet-5-5', 'claude-unlisted-9'],
    ['a model the table lacks, asked by name', {}, 'claude-unlisted-9', 'claude-unlisted-9'],
  ])('the gateway\'s price of %s is the ledger\'s', (_, body, asked, served) => {
    const usage = { input: 1_200_000, output: 340_000, cached: 600_000, cacheWrite: 100_000 };
    const budget = budgetFor({ maxCostUsd: 3, ...body }, asked);
    const rates = budget.rates[normalizeModelId(served)] ?? budget.fallbackRates;
    const dispatch = { ...queued({ agent: 'claude', ...body, ...('modelTier' in body ? {} : { model: asked }) }), model: asked };
    const ledger = tokenCost({
      dispatch: {
        ...dispatch,
        result: { commit: null, branch: null, tokenUsage: usage, durationSeconds: 60, modelUsage: [{ model: served, ...usage }] },
      },
      tiers: CLAUDE_TIERS,
      pricing: applyOverrides(LIST_PRICE_TABLE, OVERRIDES),
      resolveAlias: (_agent, model) => model,
    });
    expect(gatewayUsd(usage, rates)).toBeCloseTo(llmUsd(ledger), 6);
  });

  test('the assignment carries it, and the worker accepts it', () => {
    const id = newDispatchId();
    const budget = budgetFor({ maxCostUsd: 0.5 }, 'claude-sonnet-5-5');
    const assignment = buildAssignment(
      { id, agent: 'claude', model: 'claude-sonnet-5-5', prompt: 'p', workspace: { kind: 'ephemeral' }, timeoutSeconds: 600 },
      { url: 'https://bucket.s3.us-east-1.amazonaws.com', fields: { key: `artifacts/${id}/\${filename}` }, keyPrefix: `artifacts/${id}/` },
      undefined,
      budget,
    );
    expect(AssignmentSchema.parse(assignment).budget).toEqual(budget);
  });

  test('a malformed OUTPOST_MODEL_PRICES is a deployment bug that says so', () => {
    expect(() => modelPrices(JSON.stringify([{ model: 'x', input: -1, output: 1, cachedInput: 0 }]))).toThrow(/OUTPOST_MODEL_PRICES does not match what the hand-off expects: 0\.input/);
  });
});

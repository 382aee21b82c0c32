import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import * as z from 'zod/mini';
import { CLAUDE_SIZE, finished, GEMINI_SIZE, PER_MODEL_PRICING } from './support';
import { dispatchCost } from '../../../runtime/core/ledger/cost';
import { costEventEntry, DispatchCostSchema, InvalidCostEventError, LEDGER_EVENT_SOURCE } from '../../../runtime/core/ledger/event';
import { LIST_PRICE_TABLE } from '../../../runtime/core/ledger/pricing';

const SCHEMA_FILE = path.join(__dirname, '..', '..', '..', 'schemas', 'dispatch-cost.schema.json');
const shipped = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(shipped);

const valid = dispatchCost({ dispatch: finished(), agent: CLAUDE_SIZE, pricing: LIST_PRICE_TABLE, region: 'us-east-1' });
const tiered = dispatchCost({ dispatch: finished({ model: 'claude-next', modelTier: 'fast' }), agent: CLAUDE_SIZE, pricing: LIST_PRICE_TABLE, region: 'us-east-1' });
const { finishedAt: _omitted, ...unfinished } = valid;
const measuredWorkspace = dispatchCost({
  dispatch: finished({ workspace: { kind: 'persistent', name: 'api' }, result: { ...finished().result!, workspaceSize: { bytes: 2 ** 33, complete: false } } }),
  agent: CLAUDE_SIZE,
  pricing: LIST_PRICE_TABLE,
  region: 'us-east-1',
});

// Gemini CLI's `auto`: two models in one run, one unknown to the table (tier-priced); Opus with cache writes priced at their own rate.
const perModel = dispatchCost({
  dispatch: finished({
    agent: 'gemini',
    model: 'auto',
    result: {
      ...finished().result!,
      tokenUsage: { input: 1_300_000, cached: 50_000, cacheWrite: 0, output: 60_000 },
      modelUsage: [
        { model: 'gemini-2.5-pro', input: 200_000, cached: 50_000, cacheWrite: 0, output: 10_000 },
        { model: 'gemini-3-pro-preview', input: 1_100_000, cached: 0, cacheWrite: 0, output: 50_000 },
      ],
    },
  }),
  agent: GEMINI_SIZE,
  pricing: PER_MODEL_PRICING,
  region: 'us-east-1',
});
const cacheWrites = dispatchCost({
  dispatch: finished({ result: { ...finished().result!, modelUsage: [{ model: 'claude-opus-4-6', input: 1_000_000, cached: 500_000, cacheWrite: 200_000, output: 0 }] } }),
  agent: CLAUDE_SIZE,
  pricing: PER_MODEL_PRICING,
  region: 'us-east-1',
});
const [firstModel] = perModel.llm.models;

const malformed: Array<[string, unknown]> = [
  ['a negative figure', { ...valid, compute: { ...valid.compute, vcpu: { ...valid.compute.vcpu, usd: -1 } } }],
  ['a figure without its unit price', { ...valid, storage: { ...valid.storage, ephemeral: { quantity: 1, unit: 'GB-hour', usd: 1 } } }],
  ['an unknown unit', { ...valid, llm: { ...valid.llm, output: { ...valid.llm.output, unit: 'tokens' } } }],
  ['another currency', { ...valid, currency: 'EUR' }],
  ['no price version', { ...valid, priceVersion: '' }],
  ['an unknown agent', { ...valid, agent: 'copilot' }],
  ['a field the schema does not have', { ...valid, discountUsd: 1 }],
  ['a fractional billed second', { ...valid, compute: { ...valid.compute, billedSeconds: 1.5 } }],
  ['a total as a string', { ...valid, totalUsd: '1.00' }],
  ['a time that is not ISO-8601 UTC', { ...valid, finishedAt: 'yesterday' }],
  ['no llm section', { ...valid, llm: undefined }],
  ['no per-model list', { ...perModel, llm: { ...perModel.llm, models: undefined } }],
  ['no cache-write total', { ...perModel, llm: { ...perModel.llm, cacheWrite: undefined } }],
  ['a model without its cache-write figure', { ...perModel, llm: { ...perModel.llm, models: [{ ...firstModel, cacheWrite: undefined }] } }],
  ['a model without saying how its cache writes were priced', { ...perModel, llm: { ...perModel.llm, models: [{ ...firstModel, cacheWritePricedAs: undefined }] } }],
  ['a model priced as none', { ...perModel, llm: { ...perModel.llm, models: [{ ...firstModel, pricedAs: 'none' }] } }],
  ['a model with a negative amount', { ...perModel, llm: { ...perModel.llm, models: [{ ...firstModel, usd: -0.1 }] } }],
  ['a model without a name', { ...perModel, llm: { ...perModel.llm, models: [{ ...firstModel, model: '' }] } }],
  ['a fractional workspace size', { ...measuredWorkspace, storage: { ...measuredWorkspace.storage, workspaceSize: { bytes: 1.5, complete: true } } }],
  ['a workspace size without its completeness', { ...measuredWorkspace, storage: { ...measuredWorkspace.storage, workspaceSize: { bytes: 4096 } } }],
];

describe('the DispatchCost event schema', () => {
  test.each([['a priced model', valid], ['a tier-priced model', tiered], ['no finishedAt', unfinished], ['a measured persistent workspace', measuredWorkspace], ['two models, one tier-priced', perModel], ['priced cache writes', cacheWrites]])('zod and the shipped JSON Schema both accept %s', (_name, sample) => {
    expect(z.safeParse(DispatchCostSchema, sample).success).toBe(true);
    expect(validate(sample)).toBe(true);
  });

  test.each(malformed)('zod and the shipped JSON Schema both refuse %s', (_name, sample) => {
    expect(z.safeParse(DispatchCostSchema, sample).success).toBe(false);
    expect(validate(sample)).toBe(false);
  });

  test('the samples are what they say: per-model lists, a tier-priced model, cache writes at their own rate', () => {
    expect(perModel.llm.models.map((model) => [model.model, model.pricedAs])).toEqual([['gemini-2.5-pro', 'model'], ['gemini-3-pro-preview', 'tier']]);
    expect(cacheWrites.llm.models[0]).toMatchObject({ cacheWritePricedAs: 'cacheWrite', cacheWrite: { quantity: 0.2, usd: 1.25 } });
  });

  test('the shipped file is the zod schema\'s JSON Schema', () => {
    const { $id: _id, title: _title, description: _description, ...contract } = shipped;
    expect(contract).toEqual(z.toJSONSchema(DispatchCostSchema, { target: 'draft-7', unrepresentable: 'any' }));
  });

  test('a malformed event is refused before it becomes an entry to publish', () => {
    expect(() => costEventEntry({ ...valid, totalUsd: -0.5 }, new Date())).toThrow(InvalidCostEventError);
    expect(() => costEventEntry({ ...valid, totalUsd: -0.5 }, new Date())).toThrow(/totalUsd/);
    const entry = costEventEntry(valid, new Date('2026-01-02T04:05:00Z'));
    expect(entry).toEqual({ Source: LEDGER_EVENT_SOURCE, DetailType: 'DispatchCost', Detail: JSON.stringify(valid), Time: new Date('2026-01-02T04:05:00Z') });
  });

  test('the package ships the schema', () => {
    const ignored = fs.readFileSync(path.join(__dirname, '..', '..', '..', '.npmignore'), 'utf8').split('\n');
    expect(ignored.some((line) => line.startsWith('/schemas'))).toBe(false);
  });
});

test('the pricing table matches its documented schema, sources included, and its reference model has a price', () => {
  const root = path.join(__dirname, '..', '..', '..');
  const schema = JSON.parse(fs.readFileSync(path.join(root, 'schemas', 'ledger-pricing.schema.json'), 'utf8'));
  const check = new Ajv({ allErrors: true }).compile(schema);
  const table = JSON.parse(fs.readFileSync(path.join(root, 'runtime', 'core', 'ledger', 'pricing', 'prices.json'), 'utf8'));
  expect(check(table) ? [] : check.errors).toEqual([]);
  expect(check({ ...table, models: { ...table.models, bad: { input: -1, output: 1, cachedInput: 0 } } })).toBe(false);
  expect(check({ ...table, models: { ...table.models, writes: { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 } } })).toBe(true);
  expect(check({ ...table, models: { ...table.models, bad: { input: 3, output: 15, cachedInput: 0.3, cacheWrite: -1 } } })).toBe(false);
  const { sources, ...unsourced } = table;
  expect(check(unsourced)).toBe(false);
  expect(check({ ...table, sources: { ...sources, models: [{ ...sources.models[0], basis: 'remembered' }] } })).toBe(false);
  expect(table.models[table.referenceModel]).toBeDefined();
});

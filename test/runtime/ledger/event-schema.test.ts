import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import * as z from 'zod/mini';
import { CLAUDE_SIZE, finished } from './support';
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
  ['a fractional workspace size', { ...measuredWorkspace, storage: { ...measuredWorkspace.storage, workspaceSize: { bytes: 1.5, complete: true } } }],
  ['a workspace size without its completeness', { ...measuredWorkspace, storage: { ...measuredWorkspace.storage, workspaceSize: { bytes: 4096 } } }],
];

describe('the DispatchCost event schema', () => {
  test.each([['a priced model', valid], ['a tier-priced model', tiered], ['no finishedAt', unfinished], ['a measured persistent workspace', measuredWorkspace]])('zod and the shipped JSON Schema both accept %s', (_name, sample) => {
    expect(z.safeParse(DispatchCostSchema, sample).success).toBe(true);
    expect(validate(sample)).toBe(true);
  });

  test.each(malformed)('zod and the shipped JSON Schema both refuse %s', (_name, sample) => {
    expect(z.safeParse(DispatchCostSchema, sample).success).toBe(false);
    expect(validate(sample)).toBe(false);
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
  const { sources, ...unsourced } = table;
  expect(check(unsourced)).toBe(false);
  expect(check({ ...table, sources: { ...sources, models: [{ ...sources.models[0], basis: 'remembered' }] } })).toBe(false);
  expect(table.models[table.referenceModel]).toBeDefined();
});

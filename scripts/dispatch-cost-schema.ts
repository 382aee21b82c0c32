/**
 * Writes schemas/dispatch-cost.schema.json, the DispatchCost event's contract for consumers, from the zod schema
 * the ledger validates with (runtime/core/ledger/event.ts); test/runtime/ledger/event-schema.test.ts holds them equal.
 *
 *   npx ts-node --project scripts/tsconfig.json scripts/dispatch-cost-schema.ts
 */
import * as fs from 'fs';
import * as path from 'path';
import * as z from 'zod/mini';
import { DispatchCostSchema } from '../runtime/core/ledger/event';

const { $schema, ...contract } = z.toJSONSchema(DispatchCostSchema, { target: 'draft-7', unrepresentable: 'any' });
const document = {
  $schema,
  $id: 'https://github.com/outpost-cdk/outpost-cdk/schemas/dispatch-cost.schema.json',
  title: 'DispatchCost',
  description: 'The detail of a DispatchCost event (source outpost.ledger, detail-type DispatchCost) that Outpost\'s ledger publishes when a dispatch reaches a final state. See docs/costs.md.',
  ...contract,
};
fs.writeFileSync(path.join(__dirname, '..', 'schemas', 'dispatch-cost.schema.json'), `${JSON.stringify(document, null, 2)}\n`);

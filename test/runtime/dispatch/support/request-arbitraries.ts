import fc from 'fast-check';
import { AGENT_NAMES } from '../../../../runtime/contracts/agent-names';
import { MAX_REQUEST_BYTES, MODEL_TIERS } from '../../../../runtime/core/dispatch/request';

// Arbitraries for `POST /dispatch` bodies, valid and hostile, written as JSON text.

/** The fields a body may have. */
export const KNOWN_FIELDS = ['agent', 'model', 'modelTier', 'prompt', 'repository', 'workspace', 'timeoutSeconds', 'idempotencyKey', 'maxCostUsd'];

/** Fields as [name, JSON text] pairs, written out by hand so that `__proto__` and duplicate keys survive. */
export type Entries = readonly (readonly [string, string])[];
export const objectText = (entries: Entries) => `{${entries.map(([key, text]) => `${JSON.stringify(key)}:${text}`).join(',')}}`;
export const json = (value: unknown) => JSON.stringify(value);

// Valid values.
const printableAscii = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));
const segment = fc.stringMatching(/^[a-z0-9_][a-z0-9_-]{0,11}$/);
const branch = fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));
// URLs are varied in request.test.ts; here they only need to be valid, and cheap to make 10,000 times.
const host = fc.constantFrom('github.com', 'gitlab.example.com', 'git.internal.example');
const repositoryUrl = fc.tuple(fc.boolean(), host, fc.array(segment, { minLength: 1, maxLength: 3 }))
  .map(([https, name, path]) => (https ? `https://${name}/${path.join('/')}` : `git@${name}:${path.join('/')}.git`));
const validFields = fc.record({
  agent: fc.constantFrom(...AGENT_NAMES),
  prompt: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }),
  model: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,40}$/),
  modelTier: fc.constantFrom(...MODEL_TIERS),
  repository: fc.record({ url: repositoryUrl, baseBranch: branch }, { requiredKeys: ['url'] }),
  workspace: fc.oneof(fc.constant({ kind: 'ephemeral' }), fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,62}$/).map((name) => ({ kind: 'persistent', name }))),
  timeoutSeconds: fc.integer({ min: 60, max: 86_400 }),
  idempotencyKey: fc.string({ unit: printableAscii, minLength: 1, maxLength: 128 }),
}, { requiredKeys: ['agent', 'prompt'] }).map(({ model, modelTier, ...rest }) => ({ ...rest, ...(model !== undefined ? { model } : modelTier !== undefined && { modelTier }) }));
export const validEntries: fc.Arbitrary<Entries> = validFields.map((body) => Object.entries(body).map(([key, value]) => [key, json(value)] as const));

// Hostile values, as JSON text.
export const deeplyNested = fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.boolean())
  .map(([depth, arrays]) => (arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`));
export const hugeString = fc.tuple(fc.integer({ min: 100_001, max: 300_000 }), fc.constantFrom('x', 'é', '€', '😀', '\u0000', '"'))
  .map(([length, unit]) => json(unit.repeat(Math.ceil(length / unit.length))));
export const pollution = fc.constantFrom('__proto__', 'constructor', 'prototype')
  .map((key) => objectText([[key, '{"polluted":true,"prototype":{"polluted":true}}']]));
export const hostileValue = fc.oneof(
  { arbitrary: fc.jsonValue().map(json), weight: 6 },
  { arbitrary: fc.anything().map((value) => json(value) ?? 'null'), weight: 2 },
  { arbitrary: deeplyNested, weight: 1 },
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: pollution, weight: 2 },
);
/** The fields inside `repository` and `workspace`. */
const NESTED_FIELDS = ['url', 'baseBranch', 'kind', 'name'];
/** A name no level of a body knows, of any characters: pollution keys, control characters, lone surrogates. */
export const unknownKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'credential', 'admin', ''),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
).filter((key) => !KNOWN_FIELDS.includes(key) && !NESTED_FIELDS.includes(key));
export const traversal = fc.oneof(
  fc.constantFrom('..', '.', '../etc', '../../root/.ssh', 'a/../../b', '/abs', 'a/b', '..\\evil', '%2e%2e', 'A', '', '-rf', 'a'.repeat(64), 'name\u0000'),
  fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom('/', '..', '\\', '.', '\u0000'), fc.string({ maxLength: 10 })).map((parts) => parts.join('')),
);

/** A body as JSON text, and what the parser must make of it where the generator knows (`accepted` when valid). */
export interface BodyCase {
  readonly text: string;
  readonly expected?: { readonly code: string; readonly field?: string };
}

/** A field name as errors give it: cut at 128 characters. */
export function fieldInError(field: string): string {
  return field.length <= 128 ? field : `${field.slice(0, 128)}…`;
}

/** A valid body with a field no level knows: at the top, in `repository` or in `workspace`. */
export const withUnknownField = fc.tuple(validEntries, unknownKey, hostileValue, fc.constantFrom('top', 'repository', 'workspace'))
  .map(([entries, key, text, where]): BodyCase => {
    if (where === 'top') {
      return { text: objectText([...entries, [key, text]]), expected: { code: 'UnknownField', field: key } };
    }
    const nested = where === 'repository' ? [['url', json('https://github.com/o/r')]] as const : [['kind', json('ephemeral')]] as const;
    const others = entries.filter(([name]) => name !== where);
    return { text: objectText([...others, [where, objectText([...nested, [key, text]])]]), expected: { code: 'UnknownField', field: `${where}.${key}` } };
  });
/** A persistent workspace whose name climbs out of its directory, or is otherwise not a slug. */
export const traversingWorkspace = fc.tuple(validEntries, traversal).map(([entries, name]): BodyCase => ({
  text: objectText([...entries.filter(([key]) => key !== 'workspace'), ['workspace', json({ kind: 'persistent', name })]]),
  expected: { code: 'InvalidField', field: 'workspace.name' },
}));
export const missingRequired = fc.tuple(validEntries, fc.constantFrom('agent', 'prompt')).map(([entries, field]): BodyCase => ({
  text: objectText(entries.filter(([key]) => key !== field)),
  expected: { code: 'InvalidField', field },
}));
/** A valid body cut short (possibly to nothing). */
export const truncatedJson = validEntries.map(objectText).chain((text) => fc.nat({ max: text.length - 1 }).map((cut) => text.slice(0, cut)));
/** Over the size limit: padding beside valid fields, a prompt of two-byte characters, or nesting never closed. */
export const oversized = fc.tuple(validEntries, fc.integer({ min: MAX_REQUEST_BYTES + 1, max: MAX_REQUEST_BYTES + 144 * 1024 }), fc.constantFrom('padding', 'prompt', 'nesting'))
  .map(([entries, size, how]): BodyCase => {
    const prompt = () => objectText([...entries.filter(([key]) => key !== 'prompt'), ['prompt', json('é'.repeat(Math.ceil(size / 2)))]]);
    const text = how === 'padding' ? objectText([...entries, ['padding', json('p'.repeat(size))]]) : how === 'prompt' ? prompt() : '{'.repeat(size);
    return { text, expected: { code: 'PayloadTooLarge' } };
  });

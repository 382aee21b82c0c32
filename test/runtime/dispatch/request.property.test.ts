import { isDeepStrictEqual } from 'util';
import fc from 'fast-check';
import {
  deeplyNested, fieldInError, hostileValue, hugeString, json, KNOWN_FIELDS, missingRequired, objectText, oversized, traversingWorkspace,
  truncatedJson, validEntries, withUnknownField, type BodyCase,
} from './support/request-arbitraries';
import { AGENT_NAMES } from '../../../runtime/contracts/agent-names';
import { errorResponse, type ApiError } from '../../../runtime/core/dispatch/api-error';
import { MAX_REQUEST_BYTES, parseDispatchRequest, type DispatchRequest } from '../../../runtime/core/dispatch/request';

const STATUSES = [400, 401, 403, 404, 409, 413, 422, 429];

/** A valid body with one known field replaced by anything at all: accepted or not, never a crash. */
const replacedField = fc.tuple(validEntries, fc.constantFrom(...KNOWN_FIELDS), hostileValue)
  .map(([entries, field, text]): BodyCase => ({ text: objectText([...entries.filter(([key]) => key !== field), [field, text]]) }));
const anyUrl = fc.oneof(
  fc.webUrl({ validSchemes: ['https', 'http', 'ssh', 'file', 'git', 'ext'], authoritySettings: { withUserInfo: true, withPort: true, withIPv4: true } }),
  fc.tuple(fc.constantFrom('https://', 'git@', 'http://', 'file://', ' https://', 'ext::'), fc.string({ unit: 'binary-ascii', maxLength: 30 })).map(([prefix, rest]) => prefix + rest),
);
const otherRepositoryUrl = fc.tuple(validEntries, anyUrl).map(([entries, url]): BodyCase => ({
  text: objectText([...entries.filter(([key]) => key !== 'repository'), ['repository', json({ url })]]),
}));
const rawText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json(),
  truncatedJson,
  deeplyNested,
  hugeString,
).map((text): BodyCase => ({ text }));
const valid = validEntries.map((entries): BodyCase => ({ text: objectText(entries), expected: { code: 'accepted' } }));

const anyCase = fc.oneof(
  { arbitrary: valid, weight: 4 },
  { arbitrary: replacedField, weight: 6 },
  { arbitrary: withUnknownField, weight: 3 },
  { arbitrary: traversingWorkspace, weight: 2 },
  { arbitrary: missingRequired, weight: 1 },
  { arbitrary: otherRepositoryUrl, weight: 1 },
  { arbitrary: rawText, weight: 3 },
  { arbitrary: oversized, weight: 1 },
);

/** How an accepted request breaks the rules, checked without the schema: nothing, for a valid one. */
function requestProblems(request: DispatchRequest): string[] {
  const { workspace, repository } = request;
  const https = (url: string) => URL.canParse(url) && new URL(url).protocol === 'https:' && new URL(url).username === '' && new URL(url).password === '';
  return [
    Object.keys(request).every((key) => KNOWN_FIELDS.includes(key)) || 'an unknown field',
    (AGENT_NAMES as readonly string[]).includes(request.agent) || 'an unknown agent',
    request.model === undefined || request.modelTier === undefined || 'both model and modelTier',
    // Characters are code points (zod's count), so 100,000 emoji are a valid prompt of 200,000 UTF-16 units.
    (request.prompt.length >= 1 && [...request.prompt].length <= 100_000) || 'a prompt of the wrong length',
    (Number.isInteger(request.timeoutSeconds) && request.timeoutSeconds >= 60 && request.timeoutSeconds <= 86_400) || 'a timeout out of range',
    workspace.kind === 'ephemeral' || /^[a-z0-9][a-z0-9-]{0,62}$/.test(workspace.name) || 'a workspace name that is not a slug',
    !repository || repository.url.startsWith('git@') || https(repository.url) || 'a repository URL that is not https or SSH',
    !repository || !(repository.baseBranch.startsWith('-') || repository.baseBranch.includes('..')) || 'a base branch git would misread',
  ].filter((check): check is string => check !== true);
}

/** How a refusal breaks the contract: a 4xx ApiError with a code and a message, serializable as a response. */
function errorProblems(error: ApiError): string[] {
  return [
    STATUSES.includes(error.status) || `status ${error.status}`,
    /^[A-Z][A-Za-z]+$/.test(error.code) || `code ${error.code}`,
    error.message.trim().length > 0 || 'an empty message',
    error.field === undefined || error.field.length > 0 || error.code === 'UnknownField' || 'an empty field',
    JSON.parse(errorResponse(error).body).error.code === error.code || 'a response that does not carry the code',
  ].filter((check): check is string => check !== true);
}

describe('parseDispatchRequest on arbitrary and hostile bodies', () => {
  test('never throws; refuses with a 4xx ApiError and a message; accepts only valid requests, which round-trip', () => {
    fc.assert(fc.property(anyCase, ({ text, expected }) => {
      const parsed = parseDispatchRequest(text);
      const problems = parsed.ok ? requestProblems(parsed.request) : errorProblems(parsed.error);
      if (parsed.ok && !isDeepStrictEqual(parseDispatchRequest(JSON.stringify(parsed.request)), parsed)) {
        problems.push('an accepted request that does not round-trip');
      }
      // The size is checked first, whatever else is wrong with the body.
      const due = Buffer.byteLength(text) > MAX_REQUEST_BYTES ? { code: 'PayloadTooLarge', field: undefined } : expected;
      const outcome = due && { code: due.code, field: due.field === undefined ? undefined : fieldInError(due.field) };
      const actual = parsed.ok ? { code: 'accepted', field: undefined } : { code: parsed.error.code, field: parsed.error.field };
      if (outcome && !isDeepStrictEqual(actual, outcome)) {
        problems.push(`${JSON.stringify(actual)} where ${JSON.stringify(outcome)} was due`);
      }
      if (({} as Record<string, unknown>).polluted !== undefined) {
        problems.push('Object.prototype polluted');
      }
      expect(problems).toEqual([]);
    }), { numRuns: 10_000 });
  });
});


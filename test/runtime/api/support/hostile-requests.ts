import fc from 'fast-check';
import { AGENT_NAMES } from '../../../../runtime/contracts/agent-names';
import { MAX_REQUEST_BYTES, MODEL_TIERS } from '../../../../runtime/core/dispatch/request';
import { apiRequest, iamAuthorizer as iam, jwtAuthorizer } from '../../../support/api-event';
import { ALICE, BOB } from '../../dispatch/support/dispatches';
import {
  deeplyNested, fieldInError, json, KNOWN_FIELDS, missingRequired, objectText, oversized, pollution, traversal, traversingWorkspace, truncatedJson,
  validEntries, withUnknownField, type BodyCase,
} from '../../dispatch/support/request-arbitraries';

// Requests the API must refuse, each with the refusal it is due, for the handlers behind `POST /dispatch`,
// `GET /dispatch[/{id}[/logs]]`, `GET /artifacts/{id}` and `DELETE /dispatch/{id}`.

export type HandlerName = 'create' | 'read' | 'cancel';

/** The answer a request is due, as far as its generator knows it. */
export interface Refusal {
  readonly status: number;
  /** One of these codes; any code when absent. */
  readonly codes?: readonly string[];
  /** The field the error names: this one, or one inside it (`repository` covers `repository.url`). */
  readonly field?: string;
}

export interface HostileRequest {
  /** What the request tries, for the tally. */
  readonly kind: string;
  readonly handler: HandlerName;
  readonly event: unknown;
  readonly due: Refusal;
  /** Whether the handler may need AWS to refuse it (a lookup of the dispatch), rather than refusing it on sight. */
  readonly lookup: boolean;
}

/** What exists before the requests: bob's dispatches and cursors, and one dispatch of alice's own. */
export interface Fixtures {
  readonly bobDispatchIds: readonly string[];
  /** A listing cursor the API gave bob. */
  readonly bobListCursor: string;
  /** A logs cursor the API gave bob, for one of his runs. */
  readonly bobLogCursor: string;
  readonly aliceDispatchId: string;
}

export const ISSUER = 'https://issuer.example.com';
/** Bob as the platform's OIDC issuer authenticates him: his dispatches are recorded as `BOB`. */
export const BOB_JWT = jwtAuthorizer({ iss: ISSUER, sub: 'bob' });

/** Callers who are not bob, some of them close to him. */
const notBob = fc.constantFrom(
  iam(ALICE),
  iam('arn:aws:sts::123456789012:assumed-role/Dev/bob'),
  iam('arn:aws:iam::123456789012:user/bob'),
  jwtAuthorizer({ iss: ISSUER, sub: 'Bob' }),
  jwtAuthorizer({ iss: ISSUER, sub: 'bob ' }),
  jwtAuthorizer({ iss: `${ISSUER}/`, sub: 'bob' }),
  jwtAuthorizer({ iss: 'https://evil.example.com', sub: 'bob' }),
  jwtAuthorizer({ iss: `${ISSUER}#bob`, sub: 'x' }),
);
const anyCaller = fc.oneof(notBob, fc.constant(BOB_JWT));

/** Authorizer contexts that name nobody: the handlers answer 401. */
const noIdentity = fc.constantFrom(
  undefined, {}, { iam: {} }, { iam: { userArn: '' } }, { iam: { userArn: null } }, { jwt: {} }, jwtAuthorizer({}),
  jwtAuthorizer({ iss: ISSUER }), jwtAuthorizer({ iss: ISSUER, sub: '' }), jwtAuthorizer({ iss: ISSUER, sub: 42 }),
  jwtAuthorizer({ iss: ISSUER, sub: ['bob'] }), { lambda: { sub: 'bob' } },
);

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const withInside = (inside: fc.Arbitrary<string>) => fc.tuple(fc.string({ maxLength: 10 }), inside, fc.string({ maxLength: 10 })).map((parts) => parts.join(''));
const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
/** One of the arbitraries, each drawn as often as its weight says. */
const mix = <T>(...weighted: Array<[fc.Arbitrary<T>, number]>) => fc.oneof(...weighted.map(([arbitrary, weight]) => ({ arbitrary, weight })));

// ── POST /dispatch ──────────────────────────────────────────────────────────────────────────────────

/** A body as JSON text (or anything else), and the refusal it is due. */
interface Body {
  readonly kind: string;
  readonly text: string | undefined;
  readonly due: Refusal;
}

/** Control characters, format characters, lone surrogates and other non-ASCII: refused by every pattern. */
const UNPRINTABLE = ['\u0000', '\u0007', '\t', '\n', '\u001b', '\u007f', '\u0085', '\u00a0', '\u2028', '\u202e', '\ufeff', '\ud800', '\udfff', 'é', '😀'];
const unprintable = withInside(fc.constantFrom(...UNPRINTABLE));
/** A JSON string literal spelling characters with escapes, lone surrogates among them. */
const escapedCode = fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.constant(0x7f));
const escapedString = fc.array(escapedCode, { minLength: 1, maxLength: 6 })
  .map((codes) => `"x${codes.map((code) => `\\u${code.toString(16).padStart(4, '0')}`).join('')}"`);

const notString = fc.oneof(
  fc.oneof(
    fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
    fc.array(fc.jsonValue(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
  ).map(json),
  deeplyNested,
  pollution,
);
const notObject = fc.oneof(
  fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 3 })).map(json),
  deeplyNested,
);
const notAString = (strings: fc.Arbitrary<string>) => fc.oneof(notString, strings.map(json), escapedString);

const badBranch = withInside(fc.constantFrom('..', ' ', '~', '^', ':', '?', '*', '[', '\\', '@{', '\u0000', '\u001f', '\u007f', '\n', '//'))
  .chain((name) => fc.constantFrom(name, `-${name}`, `${name}.lock`, `${name}/`, `/${name}`));
const badUrl = fc.oneof(
  fc.tuple(fc.constantFrom('http://', 'file://', 'ssh://', 'git://', 'ext::', 'ftp://', 'javascript:', '//', '-', '--upload-pack='), fc.string({ maxLength: 30 })).map(([scheme, rest]) => scheme + rest),
  fc.stringMatching(/^[a-z]{1,8}(:[a-z0-9]{0,8})?$/).map((userInfo) => `https://${userInfo}@github.com/o/r.git`),
  fc.tuple(fc.constantFrom('\u0000', '\u0007', '\t', '\n', '\r', ' ', '\u000b', '\u007f'), fc.nat({ max: 22 })).map(([char, at]) => {
    const url = 'https://github.com/o/r.git';
    return url.slice(0, at) + char + url.slice(at);
  }),
  fc.integer({ min: 2049, max: 5000 }).map((length) => `https://github.com/${'a'.repeat(length)}`),
);

/** For each field, values it must refuse. */
const BAD_VALUES: Record<string, fc.Arbitrary<string>> = {
  agent: notAString(fc.string({ maxLength: 20 }).filter((name) => !(AGENT_NAMES as readonly string[]).includes(name))),
  model: notAString(fc.oneof(
    fc.constant(''),
    fc.string({ maxLength: 20 }).map((name) => `-${name}`),
    unprintable,
    withInside(fc.constantFrom(' ', '\\', '$', ';', '"', '`', '\'', '(', '|', '&', '<')),
    fc.integer({ min: 257, max: 1000 }).map((length) => 'm'.repeat(length)),
  )),
  modelTier: notAString(fc.string({ maxLength: 20 }).filter((tier) => !(MODEL_TIERS as readonly string[]).includes(tier))),
  prompt: fc.oneof(notString, fc.constant('""'), fc.integer({ min: 100_001, max: 120_000 }).map((length) => json('p'.repeat(length)))),
  repository: fc.oneof(
    notObject,
    fc.constant('{}'),
    badUrl.map((url) => json({ url })),
    badBranch.map((baseBranch) => json({ url: 'https://github.com/o/r.git', baseBranch })),
    notString.map((baseBranch) => objectText([['url', json('https://github.com/o/r.git')], ['baseBranch', baseBranch]])),
  ),
  workspace: fc.oneof(
    notObject,
    fc.string({ maxLength: 12 }).filter((kind) => kind !== 'ephemeral' && kind !== 'persistent').map((kind) => json({ kind })),
    fc.constant(json({ kind: 'persistent' })),
    traversal.map((name) => json({ kind: 'persistent', name })),
    escapedString.map((name) => objectText([['kind', json('persistent')], ['name', name]])),
  ),
  timeoutSeconds: fc.oneof(
    fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.constant({ seconds: 600 })).map(json),
    fc.oneof(fc.integer({ max: 59 }), fc.integer({ min: 86_401 }), fc.double({ min: 60, max: 86_400, noInteger: true, noNaN: true })).map(json),
    fc.constantFrom('1e300', '-0', '600.5', '1e-7'),
  ),
  idempotencyKey: notAString(fc.oneof(
    fc.constant(''),
    unprintable,
    fc.integer({ min: 129, max: 400 }).map((length) => 'k'.repeat(length)),
  )),
  maxCostUsd: fc.oneof(
    fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.constant({ usd: 5 })).map(json),
    fc.oneof(
      fc.double({ max: 0, noNaN: true, noDefaultInfinity: true }),
      fc.double({ min: 100_000, minExcluded: true, noNaN: true, noDefaultInfinity: true }),
    ).map(json),
    fc.constantFrom('1e300', '-0', '0', '-1e-7'),
  ),
};

/** A valid body with one field given a value it must refuse. */
const badField = fc.tuple(validEntries, fc.constantFrom(...KNOWN_FIELDS)).chain(([entries, field]) => BAD_VALUES[field].map((text): Body => ({
  kind: `bad ${field}`,
  text: objectText([...entries.filter(([key]) => key !== field), [field, text]]),
  due: { status: 400, codes: ['InvalidField', 'UnknownField'], field },
})));

/** A case shared with the parser's test, refused as it says there. */
const refused = (kind: (field?: string) => string) => ({ text, expected }: BodyCase): Body => {
  const { code, field } = expected!;
  const status = code === 'PayloadTooLarge' ? 413 : 400;
  return { kind: kind(field), text, due: { status, codes: [code], ...(field !== undefined && { field: fieldInError(field) }) } };
};
const unknownField = withUnknownField.map(refused((field) => {
  const where = ['repository', 'workspace'].find((parent) => field!.startsWith(`${parent}.`));
  return where ? `unknown field in ${where}` : 'unknown field';
}));

const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};
const malformed: Refusal = { status: 400, codes: ['EmptyBody', 'MalformedJson'] };
const notJson = fc.oneof(
  truncatedJson,
  fc.tuple(validEntries, fc.constantFrom(',', ' x', '}', ']', '//', '/* */', '\u0000', 'null')).map(([entries, tail]) => objectText(entries) + tail),
  validEntries.map((entries) => `\ufeff${objectText(entries)}`),
  fc.tuple(fc.integer({ min: 0, max: 0x1f }), fc.constantFrom('agent', 'prompt', 'idempotencyKey')).map(([code, field]) => `{"agent":"claude","prompt":"fix it","${field}x":"a${String.fromCharCode(code)}b"}`),
  fc.constantFrom('', ' ', '\n\t', '{', '{"agent":"claude",}', '{\'agent\':\'claude\'}', '{agent:"claude"}', 'NaN', 'undefined', '{"prompt":"x","agent":"claude"'),
  fc.string({ unit: 'binary', maxLength: 200 }).filter((text) => !isJson(text)),
).map((text): Body => ({ kind: 'not JSON', text, due: malformed }));

const notAnObject = fc.oneof(
  fc.jsonValue().filter((value) => value === null || typeof value !== 'object' || Array.isArray(value)).map(json),
  deeplyNested,
).map((text): Body => ({ kind: 'not an object', text, due: { status: 400, codes: ['InvalidRequest', 'InvalidField', 'UnknownField'] } }));

/** A body the parser accepts, for an agent this platform does not run. */
const undeployedAgent = fc.tuple(validEntries, fc.constantFrom(...AGENT_NAMES.filter((agent) => agent !== 'claude')))
  .map(([entries, agent]): Body => ({
    kind: 'agent not deployed',
    text: objectText([...entries.filter(([key]) => key !== 'agent' && key !== 'workspace'), ['agent', json(agent)]]),
    due: { status: 422, codes: ['AgentNotDeployed'], field: 'agent' },
  }));

const body: fc.Arbitrary<Body> = mix(
  [badField, 24], [unknownField, 10], [notJson, 6], [notAnObject, 3], [missingRequired.map(refused(() => 'missing field')), 2],
  [oversized.map(refused(() => 'huge body')), 3], [undeployedAgent, 2], [traversingWorkspace.map(refused(() => 'traversing workspace name')), 2],
  [fc.constant({ kind: 'no body', text: undefined, due: { status: 400, codes: ['EmptyBody'] } }), 1],
);

/** The text a Lambda handler decodes from a base64 body: lone surrogates became U+FFFD when encoded. */
const wellFormed = (text: string) => Buffer.from(text, 'utf8').toString('utf8');

const create = (authorizer: unknown, text: string | undefined, isBase64Encoded = false) =>
  apiRequest('POST /dispatch', undefined, { authorizer, body: text, isBase64Encoded });

const createRequest = fc.tuple(body, anyCaller, fc.boolean()).map(([{ kind, text, due }, caller, encoded]): HostileRequest => {
  const size = text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
  const sized = size > MAX_REQUEST_BYTES ? { status: 413, codes: ['PayloadTooLarge'] } : due;
  if (!encoded || text === undefined) {
    return { kind, handler: 'create', event: create(caller, text), due: sized, lookup: false };
  }
  const field = sized.field === undefined ? {} : { field: wellFormed(sized.field) };
  return { kind: `${kind}, base64`, handler: 'create', event: create(caller, Buffer.from(text, 'utf8').toString('base64'), true), due: { ...sized, ...field }, lookup: false };
});

/** A JSON body sent as if it were base64, and bytes that are not UTF-8 inside a field that must be ASCII. */
const badEncoding = fc.oneof(
  validEntries.map((entries) => ({ kind: 'JSON flagged as base64', text: objectText(entries), due: { status: 400 } })),
  fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 6 }).map((bytes) => bytes.map((byte) => 0x80 + (byte % 0x80))), fc.constantFrom('agent', 'modelTier', 'idempotencyKey'))
    .map(([bytes, field]) => ({
      kind: 'invalid UTF-8',
      text: Buffer.concat([Buffer.from(`{"prompt":"x","agent":"claude","${field}":"cl`), Buffer.from(bytes), Buffer.from('aude"}')]).toString('base64'),
      due: { status: 400, codes: ['InvalidField'], field },
    })),
).chain(({ kind, text, due }) => anyCaller.map((caller): HostileRequest => ({ kind, handler: 'create', event: create(caller, text, true), due, lookup: false })));

// ── Reading and cancelling ──────────────────────────────────────────────────────────────────────────

/** `limit` values out of 1 to `max`: out of range, fractions, words. */
const badLimit = (max: number) => fc.oneof(
  fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: max + 1 })).map(String),
  fc.double({ noInteger: true }).map(String),
  fc.stringMatching(/^[A-Za-z ]{0,12}$/),
  fc.constantFrom('', ' ', '1.5', '0x', `${max}.1`, '-0', 'Infinity', '1e309', '١٠'),
);

/** Cursors no caller was given: random text, encoded JSON of any shape, keys of another requester, too long. */
const garbageCursor = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.jsonValue().map((value) => base64url(json(value))),
  fc.stringMatching(ULID).map((id) => base64url(json({ id, requester: BOB }))),
  fc.string({ maxLength: 20 }).map((id) => base64url(json({ id, requester: ALICE }))),
  fc.stringMatching(ULID).map((id) => base64url(`{"id":"${id}","requester":${json(ALICE)},"__proto__":{"admin":true}}`)),
  fc.integer({ min: 1025, max: 5000 }).map((length) => 'A'.repeat(length)),
);

type Route = readonly [HandlerName, string];
const LIST: Route = ['read', 'GET /dispatch'];
const LOGS: Route = ['read', 'GET /dispatch/{id}/logs'];
const idRoute = fc.constantFrom<Route>(['read', 'GET /dispatch/{id}'], LOGS, ['read', 'GET /artifacts/{id}'], ['cancel', 'DELETE /dispatch/{id}']);
const asAdmin = ([handler, routeKey]: Route): Route => [handler, routeKey.replace(' /', ' /admin/')];
const NOT_FOUND: Refusal = { status: 404, codes: ['NotFound'], field: 'id' };

/** Queries a handler never reaches when the dispatch is not the caller's. */
const anyQuery = fc.option(fc.dictionary(fc.constantFrom('limit', 'cursor', 'requester', 'id', '__proto__'), fc.string({ maxLength: 20 }), { maxKeys: 3 }), { nil: undefined });

/** Ids that name no dispatch, found so without a lookup: traversal, encodings, odd lengths, near misses. */
function oddIds(fixtures: Fixtures): fc.Arbitrary<string> {
  return fc.oneof(
    traversal,
    fc.constantFrom('../', '..%2F', '%2e%2e', '%2e%2e%2f', '%252e%252e%252f', '..;', '....//', '%00', '*', '{id}', 'null', '0', '-1', ' ', '\u0000'),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.integer({ min: 27, max: 20_000 }).map((length) => '0'.repeat(length)),
    fc.constantFrom(...fixtures.bobDispatchIds).chain((id) => fc.constantFrom(
      id.toLowerCase(), `${id} `, `${id}\n`, `../${id}`, `${id}/..`, `${id}%00`, id.slice(1), `${id}0`, encodeURIComponent(`../${id}`), `admin/${id}`,
    )),
    fc.stringMatching(/^[0-9a-f]{64}$/).map((hash) => `idem#${hash}`),
    fc.stringMatching(/^[89A-Z][0-9A-HJKMNP-TV-Z]{25}$/),
  ).filter((id) => !ULID.test(id));
}

/** A request to a route of the read or cancel handler. */
interface Aim {
  readonly kind: string;
  readonly route: Route;
  readonly authorizer: unknown;
  readonly id?: string;
  readonly query?: Record<string, string>;
  readonly due: Refusal;
  readonly lookup?: boolean;
}
const aim = ({ kind, route: [handler, routeKey], authorizer, id, query, due, lookup = false }: Aim): HostileRequest =>
  ({ kind, handler, event: apiRequest(routeKey, undefined, { authorizer, id, query }), due, lookup });

function readRequests(fixtures: Fixtures): fc.Arbitrary<HostileRequest> {
  const known = new Set([...fixtures.bobDispatchIds, fixtures.aliceDispatchId]);
  const oddId = fc.tuple(fc.oneof(idRoute, idRoute.map(asAdmin)), anyCaller, oddIds(fixtures), anyQuery)
    .map(([route, authorizer, id, query]) => aim({ kind: 'odd id', route, authorizer, id, query, due: NOT_FOUND }));
  const unknownId = fc.tuple(idRoute, anyCaller, fc.stringMatching(ULID).filter((id) => !known.has(id)))
    .map(([route, authorizer, id]) => aim({ kind: 'no such dispatch', route, authorizer, id, due: NOT_FOUND, lookup: true }));
  const othersId = fc.tuple(idRoute, notBob, fc.constantFrom(...fixtures.bobDispatchIds), anyQuery)
    .map(([route, authorizer, id, query]) => aim({ kind: 'another caller\'s dispatch', route, authorizer, id, query, due: NOT_FOUND, lookup: true }));

  const otherRunsCursor = fc.stringMatching(/^[0-9a-f]{32}$/).map((taskId) => base64url(json({ v: 1, stream: `claude/agent/${taskId}`, token: null })));
  const logsQuery = fc.oneof(
    badLimit(1000).map((limit) => ({ query: { limit }, field: 'limit' })),
    fc.oneof(garbageCursor, fc.constant(fixtures.bobLogCursor), otherRunsCursor).map((cursor) => ({ query: { cursor }, field: 'cursor' })),
  ).map(({ query, field }) => aim({
    kind: 'bad logs query', route: LOGS, authorizer: iam(ALICE), id: fixtures.aliceDispatchId, query, due: { status: 400, field }, lookup: true,
  }));

  const goodLimit = fc.option(fc.integer({ min: 1, max: 100 }).map((limit) => ({ limit: String(limit) })), { nil: {} });
  const listQuery = fc.oneof(
    badLimit(100).map((limit) => ({ query: { limit }, field: 'limit' })),
    fc.tuple(fc.oneof(garbageCursor, fc.constant(fixtures.bobListCursor)), goodLimit).map(([cursor, limit]) => ({ query: { cursor, ...limit }, field: 'cursor' })),
  );
  const badList = fc.tuple(notBob, listQuery)
    .map(([authorizer, { query, field }]) => aim({ kind: 'bad list query', route: LIST, authorizer, query, due: { status: 400, field } }));
  const adminQuery = fc.oneof(
    goodLimit.map((query) => ({ query, field: 'requester' })),
    badLimit(100).map((limit) => ({ query: { requester: ALICE, limit }, field: 'limit' })),
  );
  const adminList = fc.tuple(anyCaller, adminQuery)
    .map(([authorizer, { query, field }]) => aim({ kind: 'bad admin list query', route: asAdmin(LIST), authorizer, query, due: { status: 400, field } }));

  return mix([oddId, 12], [unknownId, 2], [othersId, 8], [logsQuery, 3], [badList, 8], [adminList, 2]);
}

/** The same routes without identity: 401 whatever they ask, even what would otherwise succeed. */
function unauthenticated(fixtures: Fixtures): fc.Arbitrary<HostileRequest> {
  const due: Refusal = { status: 401, codes: ['Unauthenticated'] };
  const creates = fc.tuple(noIdentity, validEntries)
    .map(([authorizer, entries]): HostileRequest => ({ kind: 'no identity', handler: 'create', event: create(authorizer, objectText(entries)), due, lookup: false }));
  const reads = fc.tuple(noIdentity, fc.oneof(idRoute, idRoute.map(asAdmin)), fc.constantFrom(fixtures.aliceDispatchId, ...fixtures.bobDispatchIds))
    .map(([authorizer, route, id]) => aim({ kind: 'no identity', route, authorizer, id, due }));
  const lists = fc.tuple(noIdentity, fc.constantFrom(LIST, asAdmin(LIST)))
    .map(([authorizer, route]) => aim({ kind: 'no identity', route, authorizer, query: { requester: ALICE }, due }));
  return fc.oneof(creates, reads, lists);
}

/**
 * Hostile requests to every dispatch route: malformed and hostile bodies, odd ids and queries, other callers'
 * dispatches and cursors, no identity. Each is due a 4xx; about one in eight needs a lookup to refuse.
 */
export function hostileRequests(fixtures: Fixtures): fc.Arbitrary<HostileRequest> {
  return mix([createRequest, 52], [badEncoding, 4], [readRequests(fixtures), 36], [unauthenticated(fixtures), 6]);
}

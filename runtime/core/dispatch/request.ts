import * as z from 'zod/mini';
import type { ApiError } from './api-error';
import { AGENT_NAMES } from '../../contracts/agent-names';
import { isValidBranchName } from '../../contracts/ref-name';

/** Model classes (the construct's `ModelTier`): each agent maps a tier to one of its provider's models. */
export const MODEL_TIERS = ['flagship', 'balanced', 'fast'] as const;
export type ModelTier = (typeof MODEL_TIERS)[number];

/** API Gateway takes up to 10 MB; a dispatch needs far less, and JSON.parse should not see more. */
export const MAX_REQUEST_BYTES = 256 * 1024;

// The patterns below are the worker's (runtime/contracts/assignment.ts) or narrower, so that a dispatch the API
// accepts is never refused by the worker at hand-off, long after the caller was told 202.
/** Provider model ids (`gpt-5`, `anthropic/claude-sonnet-4`, Bedrock ARNs); never an option (`-x`). */
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,255}$/;
/** `git@host:org/repo.git`: host and path each start with a letter or digit, so neither reads as an option. */
const SCP_LIKE = /^git@[A-Za-z0-9][A-Za-z0-9.-]*:[A-Za-z0-9_~][A-Za-z0-9._~/-]*$/;
/**
 * One path segment without dots: it names an EFS directory, so it must never climb out of the mount. The
 * workspace routes check names in their paths against it too.
 */
export const WORKSPACE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,128}$/;
/** `new URL` silently drops tabs and newlines; a URL holding any is refused rather than rewritten. */
const NO_WHITESPACE_OR_CONTROL = /^[^\s\u0000-\u001f\u007f]*$/;
const MAX_URL_LENGTH = 2048;
const MAX_PROMPT_LENGTH = 100_000;
/** The highest `maxCostUsd` a request may name (the worker's own bound): more is a typo, not a budget. */
export const MAX_COST_USD = 100_000;
/** Unknown field names are echoed in the error; a hostile one can be as long as the body. */
const MAX_FIELD_IN_ERROR = 128;

/** zod's message for a value that is missing or of the wrong type. */
function expected(what: string) {
  return { error: (issue: { readonly input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`) };
}

const text = () => z.string(expected('a string'));

const DispatchRequestSchema = z.strictObject({
  agent: z.enum(AGENT_NAMES, expected(`one of ${AGENT_NAMES.join(', ')}`)),
  model: z.optional(text().check(z.regex(MODEL_ID, 'must be a model id: up to 256 letters, digits and ._:/@+-, starting with a letter or digit'))),
  modelTier: z.optional(z.enum(MODEL_TIERS, expected(`one of ${MODEL_TIERS.join(', ')}`))),
  prompt: text().check(z.minLength(1, 'must not be empty'), z.maxLength(MAX_PROMPT_LENGTH, `must be at most ${MAX_PROMPT_LENGTH} characters`)),
  repository: z.optional(z.strictObject({
    url: text().check(
      z.maxLength(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`),
      z.refine(isRepositoryUrl, 'must be an https URL without credentials, or git@host:org/repo.git'),
    ),
    baseBranch: z._default(text().check(z.refine(isValidBranchName, 'must be a valid git branch name')), 'main'),
  }, expected('an object'))),
  workspace: z._default(z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('ephemeral') }),
    z.strictObject({
      kind: z.literal('persistent'),
      name: text().check(z.regex(WORKSPACE_NAME, 'must be 1 to 63 lower-case letters, digits and "-", starting with a letter or digit')),
    }),
  ], {
    // invalid_union: an object whose `kind` is neither; otherwise not an object at all.
    error: (issue: { readonly code?: string }) => (issue.code === 'invalid_union'
      ? 'must be "ephemeral" or "persistent"'
      : 'must be {"kind":"ephemeral"} or {"kind":"persistent","name":"…"}'),
  }), () => ({ kind: 'ephemeral' as const })),
  timeoutSeconds: z._default(z.int(expected('an integer')).check(
    z.minimum(60, 'must be at least 60'),
    z.maximum(86_400, 'must be at most 86400 (24 hours)'),
  ), 3600),
  idempotencyKey: z.optional(text().check(z.regex(IDEMPOTENCY_KEY, 'must be 1 to 128 printable ASCII characters'))),
  /** The run's spending limit in USD, enforced by the worker's model gateway (docs/costs.md, "Budgets"). */
  maxCostUsd: z.optional(z.number(expected('a number of US dollars')).check(
    z.positive('must be more than 0'),
    z.maximum(MAX_COST_USD, `must be at most ${MAX_COST_USD}`),
  )),
}, expected('a JSON object')).check(z.refine((request) => request.model === undefined || request.modelTier === undefined, {
  message: 'cannot be given with model: name a model, a tier, or neither for the agent\'s default',
  path: ['modelTier'],
}));

/** A validated `POST /dispatch` body, defaults applied. Neither `model` nor `modelTier` means the agent's default. */
export type DispatchRequest = z.output<typeof DispatchRequestSchema>;
/** A `POST /dispatch` body the parser accepts, before its defaults are applied: what a client sends. */
export type DispatchRequestInput = z.input<typeof DispatchRequestSchema>;

export type ParsedRequest = { readonly ok: true; readonly request: DispatchRequest } | { readonly ok: false; readonly error: ApiError };

/** The `POST /dispatch` body, or the error to answer with: the first problem, named by its field. */
export function parseDispatchRequest(rawBody: string | undefined, maxBytes: number = MAX_REQUEST_BYTES): ParsedRequest {
  if (rawBody === undefined || rawBody.trim() === '') {
    return { ok: false, error: { status: 400, code: 'EmptyBody', message: 'the request needs a JSON body' } };
  }
  if (Buffer.byteLength(rawBody, 'utf8') > maxBytes) {
    return { ok: false, error: { status: 413, code: 'PayloadTooLarge', message: `the body must be at most ${maxBytes} bytes` } };
  }
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return { ok: false, error: { status: 400, code: 'MalformedJson', message: 'the body is not valid JSON' } };
  }
  const parsed = DispatchRequestSchema.safeParse(body);
  return parsed.success ? { ok: true, request: parsed.data } : { ok: false, error: firstProblem(parsed.error.issues) };
}

function firstProblem(issues: readonly z.core.$ZodIssue[]): ApiError {
  const issue = issues[0];
  if (issue.code === 'unrecognized_keys') {
    const field = fieldName([...issue.path, issue.keys[0]]);
    // Quoted: the name is the caller's own, and may be empty or hold spaces.
    return { status: 400, code: 'UnknownField', field, message: `${JSON.stringify(field)} is not a known field` };
  }
  if (issue.path.length === 0) {
    return { status: 400, code: 'InvalidRequest', message: `the body ${issue.message}` };
  }
  const field = fieldName(issue.path);
  return { status: 400, code: 'InvalidField', field, message: `${field} ${issue.message}` };
}

function fieldName(path: readonly PropertyKey[]): string {
  const name = path.map(String).join('.');
  return name.length > MAX_FIELD_IN_ERROR ? `${name.slice(0, MAX_FIELD_IN_ERROR)}…` : name;
}

function isRepositoryUrl(url: string): boolean {
  if (SCP_LIKE.test(url)) {
    return true;
  }
  if (!NO_WHITESPACE_OR_CONTROL.test(url) || !URL.canParse(url)) {
    return false;
  }
  const parsed = new URL(url);
  return parsed.protocol === 'https:' && parsed.hostname !== '' && parsed.username === '' && parsed.password === '';
}

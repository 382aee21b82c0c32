// Bundled into the worker by esbuild, never a consumer dependency: see the report on the lint rule.
import { z } from 'zod';
import { AGENT_NAMES, type AgentName } from './agent-names';
import { isValidBranchName } from './ref-name';

/** A canonical (upper-case) ULID: 26 Crockford base32 characters, the first at most 7 (48-bit time). */
const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
/** `git@host:org/repo.git`, the scp-like SSH form; nothing in it can be read as an option. */
const SCP_LIKE = /^git@[A-Za-z0-9.-]+:[A-Za-z0-9._~/-]+$/;
/** Provider model ids (`gpt-5`, `anthropic/claude-sonnet-4`, Bedrock ids and ARNs, `ollama_chat/x:7b`). */
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,255}$/;
/** A workspace name: one path segment, so it can never climb out of the mount. */
const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]+$/;
/** USD per million tokens, as the ledger's `ModelRates`. */
const PRICE = z.number().nonnegative().max(1_000_000);
const MODEL_RATES = z.strictObject({ input: PRICE, output: PRICE, cachedInput: PRICE, cacheWrite: PRICE.optional() });

export interface AssignmentSchemaOptions {
  /** The agent this image runs (OUTPOST_AGENT): an assignment for another is refused. */
  readonly agent?: AgentName;
  /**
   * Accept `file://` repositories. Test-only (OUTPOST_ALLOW_FILE_REPOSITORIES=1): a task must never read
   * its own filesystem as a repository.
   */
  readonly allowFileRepositories?: boolean;
}

export function createAssignmentSchema(options: AssignmentSchemaOptions = {}) {
  const repositoryUrl = z.string().refine((url) => isRepositoryUrl(url, options.allowFileRepositories ?? false), {
    message: options.allowFileRepositories
      ? 'must be an https URL without credentials, git@host:org/repo.git, or a file:// URL'
      : 'must be an https URL without credentials or git@host:org/repo.git',
  });

  return z.strictObject({
    dispatchId: z.string().regex(ULID, 'must be a ULID (26 upper-case Crockford base32 characters)'),
    agent: z.enum(AGENT_NAMES).refine((agent) => !options.agent || agent === options.agent, {
      message: `this worker runs ${options.agent ?? 'another agent'}`,
    }),
    model: z.string().regex(MODEL_ID, 'must be a model id'),
    prompt: z.string().min(1).max(100_000),
    repository: z.strictObject({
      url: repositoryUrl,
      baseBranch: z.string().refine(isValidBranchName, 'must be a valid git branch name').default('main'),
      credential: z.strictObject({
        username: z.string().regex(NO_CONTROL_CHARACTERS, 'must be a user name').default('x-access-token'),
        token: z.string().regex(NO_CONTROL_CHARACTERS, 'must be a token'),
      }).optional(),
    }).optional(),
    workspace: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('ephemeral') }),
      z.strictObject({
        kind: z.literal('persistent'),
        name: z.string().regex(SLUG, 'must be a slug (letters, digits, ".", "_", "-")').refine((name) => !name.includes('..'), 'must not contain ".."'),
      }),
    ]),
    timeoutSeconds: z.int().min(60).max(86_400),
    upload: z.strictObject({
      url: z.string().refine(isUploadUrl, 'must be an http(s) URL without credentials'),
      fields: z.record(z.string(), z.string()),
      keyPrefix: z.string(),
    }),
    /**
     * The run's spending limit, enforced by the worker's model gateway: absent, the run is metered but not
     * limited. The control plane sends the rates it will price the run at, so that the gateway's figure and
     * the ledger's agree.
     */
    budget: z.strictObject({
      maxCostUsd: z.number().positive().max(1_000_000),
      /** USD per million tokens, keyed by the pricing table's model id (`normalizeModelId`). */
      rates: z.record(z.string(), MODEL_RATES),
      /** For a served model that `rates` lacks: the estimate the ledger would use (the asked model's tier). */
      fallbackRates: MODEL_RATES,
    }).optional(),
  }).superRefine((assignment, context) => {
    const keyPrefix = `artifacts/${assignment.dispatchId}/`;
    if (assignment.upload.keyPrefix !== keyPrefix) {
      context.addIssue({ code: 'custom', path: ['upload', 'keyPrefix'], message: `must be ${keyPrefix}` });
    }
    const key = assignment.upload.fields.key;
    if (key !== undefined && !key.startsWith(keyPrefix)) {
      context.addIssue({ code: 'custom', path: ['upload', 'fields', 'key'], message: `must start with ${keyPrefix}` });
    }
  });
}

/** The production schema: any agent, no file:// repositories. */
export const AssignmentSchema = createAssignmentSchema();
export type Assignment = z.infer<typeof AssignmentSchema>;

export interface AssignmentProblem {
  /** The offending field as a dotted path (`repository.url`), or null for the document as a whole. */
  readonly field: string | null;
  readonly message: string;
}

/** The first problem zod found, named by field: enough for the caller to fix its request. */
export function describeProblem(error: z.ZodError): AssignmentProblem {
  const issue = error.issues[0];
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  const field = path.length > 0 ? path.map(String).join('.') : null;
  const message = issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message;
  return { field, message };
}

function isRepositoryUrl(url: string, allowFile: boolean): boolean {
  if (SCP_LIKE.test(url)) {
    return true;
  }
  const parsed = parseUrl(url);
  if (!parsed || parsed.username || parsed.password) {
    return false;
  }
  return (parsed.protocol === 'https:' && parsed.hostname !== '') || (allowFile && parsed.protocol === 'file:');
}

function isUploadUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return !!parsed && ['https:', 'http:'].includes(parsed.protocol) && !parsed.username && !parsed.password;
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

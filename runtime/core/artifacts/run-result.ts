import * as z from 'zod/mini';
import { isDispatchId } from './artifact-prefix';
import { AGENT_NAMES } from '../../contracts/agent-names';
import { FAILURE_CODES, type FailureCode } from '../../contracts/dispatch-result';

/** The file the worker uploads last, at the top of the dispatch's prefix. */
export const RESULT_FILE = 'result.json';

/**
 * The worker writes a few hundred bytes; anything under the upload policy's size cap can be uploaded,
 * though, so a reader stops here rather than load a forged gigabyte into memory.
 */
export const MAX_RESULT_BYTES = 1024 * 1024;

const count = () => z.int().check(z.nonnegative());

/**
 * `result.json` as `runtime/worker/dispatch.ts` writes it (the worker's `DispatchResult`). Unknown
 * fields are dropped rather than refused, so a newer worker image does not break an older control plane.
 */
export const RunResultSchema = z.object({
  dispatchId: z.string().check(z.refine(isDispatchId, 'must be a ULID')),
  agent: z.enum(AGENT_NAMES),
  model: z.string().check(z.minLength(1)),
  status: z.enum(['succeeded', 'failed', 'timed_out', 'cancelled']),
  exitCode: z.int(),
  tokenUsage: z.nullable(z.object({ input: count(), output: count(), cached: count(), cacheWrite: z.optional(count()) })),
  // Absent from the results of workers older than per-model usage.
  modelUsage: z.optional(z.nullable(z.array(z.object({
    model: z.string().check(z.minLength(1), z.maxLength(200)),
    input: count(),
    output: count(),
    cached: count(),
    cacheWrite: count(),
  })).check(z.maxLength(50)))),
  commit: z.nullable(z.string().check(z.regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'must be a git object id'))),
  branch: z.nullable(z.string().check(z.minLength(1))),
  durationSeconds: z.number().check(z.nonnegative()),
  error: z.nullable(z.string()),
  // A failure named by code (the worker's FAILURE_CODES). A code this control plane does not know (a newer
  // worker's) reads as none (parseRunResult), rather than making the whole result unreadable. (Not z.catch: it
  // would add 9 KB of zod to the handlers that read results.)
  failureCode: z.optional(z.string()),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  workspaceSize: z.optional(z.object({ bytes: count(), complete: z.boolean() })),
});

export type RunResult = Omit<z.infer<typeof RunResultSchema>, 'failureCode'> & { readonly failureCode?: FailureCode };

export type ParsedRunResult =
  | { readonly ok: true; readonly result: RunResult }
  | { readonly ok: false; readonly reason: string };

/**
 * Reads a result.json without throwing: a malformed or truncated document (an upload cut short, or one
 * forged through a leaked upload policy) is a reason to show, not a crash. `expectedDispatchId` refuses a
 * result copied from another dispatch's prefix.
 */
export function parseRunResult(text: string, expectedDispatchId?: string): ParsedRunResult {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `${RESULT_FILE} is not JSON: ${(error as Error).message}` };
  }
  const parsed = RunResultSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
    return { ok: false, reason: `${RESULT_FILE} is malformed: ${field}${issue.message}` };
  }
  if (expectedDispatchId !== undefined && parsed.data.dispatchId !== expectedDispatchId) {
    return { ok: false, reason: `${RESULT_FILE} belongs to dispatch ${parsed.data.dispatchId}, not ${expectedDispatchId}` };
  }
  const { failureCode, ...result } = parsed.data;
  return { ok: true, result: isFailureCode(failureCode) ? { ...result, failureCode } : result };
}

function isFailureCode(code: string | undefined): code is FailureCode {
  return (FAILURE_CODES as readonly string[]).includes(code ?? '');
}

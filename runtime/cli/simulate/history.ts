import { z } from 'zod';
import type { TraceDispatch } from '../../core/pool/simulator/trace';

/** The fields of `outpost list --json` (a `DispatchPage`, or its bare `items`) a trace needs. */
const HISTORY = z.union([
  z.object({ items: z.array(z.unknown()) }).transform((page) => page.items),
  z.array(z.unknown()),
]);
const ITEM = z.object({
  createdAt: z.iso.datetime({ offset: true }),
  agent: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/),
  startedAt: z.iso.datetime({ offset: true }).optional(),
  finishedAt: z.iso.datetime({ offset: true }).optional(),
  result: z.object({ durationSeconds: z.number().positive().optional() }).optional(),
});

export interface History {
  readonly trace: TraceDispatch[];
  /** Dispatches without a run time: never started, or not finished yet. */
  readonly skipped: number;
}

/**
 * A trace from real dispatches: each one's creation time, agent, and run time (the worker's own
 * `result.durationSeconds`, else `finishedAt − startedAt`), oldest first. Dispatches that never ran are left out.
 */
export function historyTrace(json: unknown, source: string): History {
  const parsed = HISTORY.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${source}: expected the output of \`outpost list --all --json\` ({"items": [...]})`);
  }
  const trace: TraceDispatch[] = [];
  parsed.data.forEach((value, index) => {
    const item = ITEM.safeParse(value);
    if (!item.success) {
      throw new Error(`${source} item ${index}: ${item.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    }
    const { createdAt, agent, startedAt, finishedAt, result } = item.data;
    const ran = startedAt && finishedAt ? (Date.parse(finishedAt) - Date.parse(startedAt)) / 1000 : undefined;
    const durationSeconds = result?.durationSeconds ?? ran;
    if (durationSeconds !== undefined && durationSeconds > 0) {
      trace.push({ at: Date.parse(createdAt), agent, durationSeconds });
    }
  });
  return { trace: trace.sort((a, b) => a.at - b.at), skipped: parsed.data.length - trace.length };
}

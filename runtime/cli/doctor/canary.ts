import { OutpostApiError } from '../../client/errors';
import type { OutpostClient } from '../../client/outpost-client';
import type { AgentName } from '../../contracts/agent-names';
import type { DispatchView } from '../../core/dispatch/dispatch';
import { DispatchStatus, isFinal } from '../../core/dispatch/states';
import { forbiddenHint } from '../grant-hint';
import { fail, pass, type DoctorCheck } from './report';

/** A prompt any agent answers at once, with no repository to clone and nothing to push. */
export const CANARY_PROMPT = 'This is a health check from `outpost doctor`. Reply with the single word: ok. Do not create or change any file.';
/** The shortest run timeout the API takes: the canary's own, unless the wait is longer. */
const MIN_RUN_TIMEOUT_SECONDS = 60;

export interface CanaryOptions {
  /** How long to wait for the run to end, start to finish (cold start included). */
  readonly timeoutSeconds: number;
  readonly pollIntervalMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

/**
 * One dispatch without a repository: it must end COMPLETED within the timeout. One that has not ended by then
 * is cancelled, so that a doctor's canary never runs on.
 */
export async function canaryCheck(client: OutpostClient, agent: AgentName, options: CanaryOptions): Promise<DoctorCheck> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const started = now();
  let view: DispatchView;
  try {
    view = await client.dispatch({
      agent,
      prompt: CANARY_PROMPT,
      timeoutSeconds: Math.max(MIN_RUN_TIMEOUT_SECONDS, options.timeoutSeconds),
    });
    while (!isFinal(view.status) && now() - started < options.timeoutSeconds * 1000) {
      await sleep(options.pollIntervalMs);
      view = await client.getDispatch(view.id);
    }
  } catch (error) {
    const hint = error instanceof OutpostApiError ? forbiddenHint(error) : undefined;
    return fail('canary', agent, `the canary dispatch failed: ${error instanceof Error ? error.message : String(error)}`,
      hint ?? `run \`outpost dispatch --agent ${agent} "say ok"\` to see the whole error`);
  }
  const seconds = Math.round((now() - started) / 1000);
  if (view.status === DispatchStatus.COMPLETED) {
    return pass('canary', agent, `${view.id} COMPLETED in ${seconds} s`);
  }
  if (!isFinal(view.status)) {
    await client.cancel(view.id).catch(() => undefined);
    return fail('canary', agent, `${view.id} still ${view.status} after ${seconds} s (cancelled)`,
      `a cold start takes about a minute: try --timeout ${Math.max(options.timeoutSeconds * 2, 300)}; if it stays QUEUED or STARTING, see \`outpost fleet\` and the dispatch's \`outpost status ${view.id}\``);
  }
  const reason = [view.statusReason, view.error].filter(Boolean).join(': ');
  return fail('canary', agent, `${view.id} ended ${view.status}${reason ? ` (${reason})` : ''} after ${seconds} s`,
    `see its logs: outpost logs ${view.id}; a provider key refused shows there (check its secret above)`);
}

import type { Assignment } from '../contracts/assignment';
import { classifyPush, networkFailure, unreachableReason, type PushOutcome } from '../core/handoff/push-outcome';
import { nextAttemptDelay, notListeningReason, STARTING_WORKER_PATIENCE, type Patience } from '../core/handoff/worker-patience';

/** Where a worker listens: its task's private address and the worker port. */
export interface WorkerEndpoint {
  readonly privateIp: string;
  readonly port: number;
}

/** Where a worker listens, and its per-task token. */
export interface WorkerAddress extends WorkerEndpoint {
  readonly token: string;
}

/** Whether a starting worker answered, and after how many attempts. */
export type Listening =
  | { readonly listening: true; readonly attempts: number; readonly waitedMs: number }
  | { readonly listening: false; readonly reason: string };

/** `GET /healthz` answers at once; a probe that takes longer than this counts as a failed attempt. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Talks to workers over the VPC: pushes an assignment (`POST /assignment`), one attempt per call, the caller
 * deciding from the outcome whether to retry, try another worker, or fail the dispatch; and waits for a
 * starting worker to listen.
 */
export class WorkerClient {
  constructor(
    private readonly timeoutMs: number = 5_000,
    private readonly patience: Patience = STARTING_WORKER_PATIENCE,
  ) {}

  public async push(worker: WorkerAddress, assignment: Assignment): Promise<PushOutcome> {
    try {
      const response = await fetch(`http://${worker.privateIp}:${worker.port}/assignment`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'authorization': `Bearer ${worker.token}` },
        body: JSON.stringify(assignment),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      return classifyPush(response.status, await response.text());
    } catch (error) {
      return networkFailure(error);
    }
  }

  /**
   * Ask `GET /healthz` until the worker's HTTP server answers (any status: the push's answer decides the
   * rest), backing off between attempts within the patience's budget. The probe, not the push, is what is
   * repeated: a push that timed out may still have been taken, and a second one would be refused (409).
   */
  public async untilListening(worker: WorkerEndpoint): Promise<Listening> {
    const started = Date.now();
    for (let attempts = 1; ; attempts++) {
      const failure = await this.probe(worker);
      const elapsedMs = Date.now() - started;
      if (failure === undefined) {
        return { listening: true, attempts, waitedMs: elapsedMs };
      }
      const delay = nextAttemptDelay(this.patience, attempts, elapsedMs);
      if (delay === undefined) {
        return { listening: false, reason: notListeningReason(`${worker.privateIp}:${worker.port}`, attempts, elapsedMs, failure) };
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /** One `GET /healthz`: undefined when the worker answered, else why not (refused, reset, timed out). */
  private async probe(worker: WorkerEndpoint): Promise<string | undefined> {
    try {
      const response = await fetch(`http://${worker.privateIp}:${worker.port}/healthz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      await response.arrayBuffer();
      return undefined;
    } catch (error) {
      return unreachableReason(error);
    }
  }
}

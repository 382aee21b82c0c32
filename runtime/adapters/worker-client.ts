import { classifyPush, networkFailure, type PushOutcome } from '../core/handoff/push-outcome';
import type { Assignment } from '../worker/assignment';

/** Where a worker listens: its task's private address, the worker port, and its per-task token. */
export interface WorkerAddress {
  readonly privateIp: string;
  readonly port: number;
  readonly token: string;
}

/**
 * Pushes an assignment to a worker over the VPC (`POST /assignment`). One attempt per call: the caller
 * decides, from the outcome, whether to retry, try another worker, or fail the dispatch.
 */
export class WorkerClient {
  constructor(private readonly timeoutMs: number = 5_000) {}

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
}

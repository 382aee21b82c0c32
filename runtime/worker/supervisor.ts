import { EXIT_CANCELLED } from './result';
import type { Assignment } from '../contracts/assignment';

/** What GET /healthz reports. */
export type WorkerState = 'idle' | 'busy' | 'finished';

export type DispatchRunner = (assignment: Assignment, signal: AbortSignal) => Promise<number>;

/**
 * The worker's one-dispatch life: idle until an assignment is accepted (once), busy while it runs,
 * finished when it is done; SIGTERM cancels the run, or ends an idle worker at once.
 */
export class Supervisor {
  private current: WorkerState = 'idle';
  private readonly cancellation = new AbortController();
  private settle!: (exitCode: number) => void;
  /** The exit code the worker should end with. */
  readonly exitCode: Promise<number> = new Promise((resolve) => { this.settle = resolve; });

  constructor(private readonly run: DispatchRunner) {}

  get state(): WorkerState {
    return this.current;
  }

  /** Starts the run; false when an assignment was already accepted. */
  accept(assignment: Assignment): boolean {
    if (this.current !== 'idle') {
      return false;
    }
    this.current = 'busy';
    void this.run(assignment, this.cancellation.signal)
      .catch(() => 1)
      .then((exitCode) => this.finish(exitCode));
    return true;
  }

  cancel(): void {
    if (this.current === 'idle') {
      this.finish(EXIT_CANCELLED);
    } else {
      this.cancellation.abort();
    }
  }

  private finish(exitCode: number): void {
    this.current = 'finished';
    this.settle(exitCode);
  }
}

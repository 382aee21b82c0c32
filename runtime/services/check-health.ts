import type { CheckResult, HealthReport } from '../core/health';
import { summarizeHealth } from '../core/health';

export interface HealthDeps {
  readonly version: string;
  /** The dispatches table: the platform takes no dispatch without it. */
  readonly checkDispatchesTable: () => Promise<CheckResult>;
}

/** `GET /health`: is the platform able to take dispatches? */
export async function checkHealth(deps: HealthDeps): Promise<HealthReport> {
  return summarizeHealth(deps.version, { dispatchesTable: await deps.checkDispatchesTable() });
}

/** The outcome of one dependency check. */
export interface CheckResult {
  readonly healthy: boolean;
  /** What was seen: a resource state such as `ACTIVE`, or the error's name. */
  readonly detail: string;
}

export interface HealthReport {
  readonly status: 'ok' | 'unavailable';
  readonly version: string;
  readonly checks: Record<string, CheckResult>;
}

/** The platform is healthy only when every dependency is. */
export function summarizeHealth(version: string, checks: Record<string, CheckResult>): HealthReport {
  const healthy = Object.values(checks).every((check) => check.healthy);
  return { status: healthy ? 'ok' : 'unavailable', version, checks };
}

/** 200 when healthy, 503 otherwise, so that load balancers and probes can act on the code alone. */
export function healthStatusCode(report: HealthReport): number {
  return report.status === 'ok' ? 200 : 503;
}

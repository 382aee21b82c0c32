/**
 * `outpost doctor --json`: one document, stable for scripts. Each check has a kind, what it is about, its
 * outcome, what was seen, and, when it failed, what to do.
 */
export interface DoctorReport {
  /** Every check passed or was skipped: the exit code is 0; otherwise 1. */
  readonly ok: boolean;
  /** The API the checks ran against. */
  readonly endpoint: string;
  readonly checks: readonly DoctorCheck[];
}

export type DoctorCheckKind = 'endpoint' | 'readiness' | 'task-definition' | 'image' | 'secret' | 'rotation' | 'canary';

export interface DoctorCheck {
  readonly kind: DoctorCheckKind;
  /** What it is about: the endpoint, an agent (`claude`), or a provider secret (its ARN). */
  readonly subject: string;
  /** `skip`: not checked here (an earlier check failed, `--no-canary`, or nothing to check), said why in `detail`. */
  readonly status: 'pass' | 'fail' | 'skip';
  readonly detail: string;
  /** What to do about a failure: a command to run or a setting to change. Present only when it failed. */
  readonly fix?: string;
}

export const pass = (kind: DoctorCheckKind, subject: string, detail: string): DoctorCheck => ({ kind, subject, status: 'pass', detail });
export const skip = (kind: DoctorCheckKind, subject: string, detail: string): DoctorCheck => ({ kind, subject, status: 'skip', detail });
export const fail = (kind: DoctorCheckKind, subject: string, detail: string, fix: string): DoctorCheck => ({ kind, subject, status: 'fail', detail, fix });

export function doctorReport(endpoint: string, checks: readonly DoctorCheck[]): DoctorReport {
  return { ok: checks.every((check) => check.status !== 'fail'), endpoint, checks };
}

import type { DispatchResult } from '../contracts/dispatch-result';
import type { ArtifactDownload } from '../core/artifacts/artifact-download';
import type { DispatchView } from '../core/dispatch/dispatch';
import type { DispatchStatus } from '../core/dispatch/states';
import type { LogPage } from '../core/logs/log-page';

/** `GET /dispatch`: the caller's dispatches, newest first. */
export interface DispatchPage {
  readonly items: DispatchView[];
  /** Pass back for the next page; null on the last. */
  readonly cursor: string | null;
}

/** `GET /dispatch/{id}/logs`. */
export interface DispatchLogs extends Omit<LogPage, 'cursor'> {
  /** The dispatch's status when the lines were read: once it is final and a read brings no lines, there are no more. */
  readonly status: DispatchStatus;
  /** Pass back for the lines after these; null while the run has no task (and so no log stream) yet. */
  readonly cursor: string | null;
}

/** `GET /artifacts/{id}`. */
export interface DispatchArtifacts {
  readonly dispatchId: string;
  readonly status: DispatchStatus;
  /** Presigned GET links, valid for an hour. */
  readonly artifacts: ArtifactDownload[];
  /** The worker's `result.json`; null until the run has finished (or when it uploaded none that can be trusted). */
  readonly result: DispatchResult | null;
}

/** One persistent workspace of the caller's. */
export interface WorkspaceSummary {
  readonly name: string;
  readonly createdAt: string;
  readonly lastUsedAt?: string;
  /** The dispatch using it now, if one is. */
  readonly inUseBy?: string;
}

/** `GET /workspaces`. */
export interface WorkspaceList {
  readonly workspaces: WorkspaceSummary[];
}

/** One agent's warm pool and queue. */
export type { AgentFleetHealth, FleetHealth } from '../core/fleet-health';
/** Each agent's task definition and image, each provider secret's versions (`FleetHealth.readiness`). */
export type { AgentReadiness, FleetReadiness, ReadinessCheck, SecretReadiness } from '../core/fleet-readiness';

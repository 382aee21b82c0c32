/**
 * `outpost-cdk/client`: the typed client of the control-plane API. Bundled into the npm package's client/
 * folder with everything it uses, so that it adds no dependency (the `bundle:client` task).
 */
export { OutpostClient } from './outpost-client';
export { OutpostAdminClient } from './outpost-admin-client';
export { OutpostApiError, OutpostConnectionError } from './errors';
export type { ClientCredentials, ClientCredentialsProvider, OutpostClientOptions } from './options';
export type { DispatchInput } from './dispatch-input';
export type { LedgerQueryInput, LogsOptions, PageOptions } from './dispatch-routes';
export type { FollowOptions } from './iterate';
export type {
  AgentFleetHealth, AgentReadiness, DispatchArtifacts, DispatchLogs, DispatchPage, FleetHealth, FleetReadiness, ReadinessCheck,
  SecretReadiness, WorkspaceList, WorkspaceSummary,
} from './responses';
export type { DispatchCost, DispatchResultSummary, DispatchView } from '../core/dispatch/dispatch';
export { DispatchStatus, isFinal } from '../core/dispatch/states';
export type { ModelTier } from '../core/dispatch/request';
export type { GroupBy, LedgerGroup, LedgerReport } from '../core/ledger/totals';
export type { CheckResult, HealthReport } from '../core/health';
export type { LogLine } from '../core/logs/log-page';
export type { ArtifactDownload } from '../core/artifacts/artifact-download';
export type { Backoff } from '../core/backoff';
export type { AgentName } from '../contracts/agent-names';
export type { ModelUsage, TokenUsage } from '../contracts/token-usage';
export type { DispatchResult } from '../contracts/dispatch-result';

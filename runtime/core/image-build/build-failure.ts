/**
 * What a failed image build tells the deployment that waits for it: CodeBuild's "CodeBuild Build State Change"
 * event (CodeBuild User Guide, "Build notifications input format reference") turned into the body of a
 * CloudFormation wait condition signal (CloudFormation User Guide, "Create wait conditions in a CloudFormation
 * template": `{"Status","Reason","UniqueId","Data"}`).
 */

/** The build statuses that end a build without its images: the EventBridge rule passes only these. */
export const FAILED_BUILD_STATUSES = ['FAILED', 'FAULT', 'STOPPED', 'TIMED_OUT'] as const;

/** The wait condition handle's JSON signal. */
export interface WaitConditionSignal {
  readonly Status: 'SUCCESS' | 'FAILURE';
  readonly Reason: string;
  readonly UniqueId: string;
  readonly Data: string;
}

/** The fields of a CodeBuild build state change this reads; the rest of the event is ignored. */
export interface BuildStateChange {
  readonly detail: {
    readonly 'build-status': string;
    readonly 'project-name': string;
    readonly 'build-id': string;
    readonly 'additional-information'?: {
      readonly environment?: { readonly 'environment-variables'?: ReadonlyArray<{ readonly name: string; readonly value: string }> };
      readonly logs?: { readonly 'deep-link'?: string };
      readonly phases?: ReadonlyArray<BuildPhase>;
    };
  };
}

/** One phase of the build as the event lists it; `phase-context` holds CodeBuild's messages about it. */
export interface BuildPhase {
  readonly 'phase-type': string;
  readonly 'phase-status'?: string;
  readonly 'phase-context'?: ReadonlyArray<string | { readonly statusCode?: string; readonly message?: string }>;
}

/** CloudFormation shows a wait condition's reason in the stack events; keep it to a readable size. */
const MAX_REASON_CHARS = 2000;

/**
 * The build's id as CodeBuild gives it to the build (`CODEBUILD_BUILD_ID`, "project:uuid"), from the event's
 * build ARN. The build script signals with the same UniqueId, so at most one of its signal and this one counts.
 */
export function buildIdOf(buildArn: string): string {
  const at = buildArn.indexOf(':build/');
  return at < 0 ? buildArn : buildArn.slice(at + ':build/'.length);
}

/** The phase that did not succeed, and CodeBuild's words about it, e.g. `DOWNLOAD_SOURCE FAILED: CLIENT_ERROR: …`. */
export function failedPhaseOf(phases: ReadonlyArray<BuildPhase>): string | undefined {
  const failed = phases.find((phase) => phase['phase-status'] !== undefined && phase['phase-status'] !== 'SUCCEEDED');
  if (!failed) {
    return undefined;
  }
  const context = (failed['phase-context'] ?? [])
    .map((entry) => (typeof entry === 'string' ? entry : [entry.statusCode, entry.message].filter(Boolean).join(': ')))
    .filter((text) => text.length > 0);
  return `${failed['phase-type']} ${failed['phase-status']}${context.length > 0 ? `: ${context.join('; ')}` : ''}`;
}

/**
 * The wait condition handle a build was started with, when the event lists the build's environment variables
 * (WAIT_HANDLE_URL is passed at StartBuild); undefined when it does not.
 */
export function handleUrlOf(event: BuildStateChange): string | undefined {
  const variables = event.detail['additional-information']?.environment?.['environment-variables'] ?? [];
  return variables.find((variable) => variable.name === 'WAIT_HANDLE_URL')?.value;
}

/** The FAILURE signal for a build that ended without its images, naming the failed phase and its log. */
export function failureSignalOf(event: BuildStateChange, imageTag: string): WaitConditionSignal {
  const detail = event.detail;
  const info = detail['additional-information'] ?? {};
  const phase = failedPhaseOf(info.phases ?? []);
  const log = info.logs?.['deep-link'];
  const reason = [
    `The image build ${buildIdOf(detail['build-id'])} ended ${detail['build-status']}`,
    phase ? ` in ${phase}` : '',
    log ? ` (log: ${log})` : ' (no log: it ended before CodeBuild opened one)',
  ].join('');
  return {
    Status: 'FAILURE',
    Reason: reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS - 1)}…` : reason,
    UniqueId: buildIdOf(detail['build-id']),
    Data: imageTag,
  };
}

/** A CodeBuild build state change, or an error that says what is missing. */
export function buildStateChangeOf(event: unknown): BuildStateChange {
  const detail = (event as { detail?: Record<string, unknown> } | null)?.detail;
  for (const field of ['build-status', 'project-name', 'build-id']) {
    if (typeof detail?.[field] !== 'string') {
      throw new Error(`Not a CodeBuild build state change: detail.${field} is missing`);
    }
  }
  return event as BuildStateChange;
}

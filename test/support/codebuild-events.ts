import * as fs from 'fs';
import * as path from 'path';

const FIXTURE = path.join(__dirname, 'fixtures', 'codebuild-build-state-change.json');

/** A build phase as CodeBuild's events list it. */
export interface DocumentedPhase {
  readonly 'phase-type': string;
  readonly 'phase-status'?: string;
  readonly 'phase-context'?: string[];
  readonly [field: string]: unknown;
}

/**
 * CodeBuild's "CodeBuild Build State Change" event as EventBridge delivers it: AWS's documented example
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/sample-build-notifications-ref.html, kept verbatim in
 * fixtures/codebuild-build-state-change.json), a fresh copy each call; `source` is the page it comes from.
 */
export function documentedBuildStateChange(): { source: string; example: any } {
  return JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
}

export interface BuildEventOptions {
  /** @default the documented one, SUCCEEDED */
  readonly status?: string;
  /** @default the documented one, my-sample-project */
  readonly project?: string;
  /** The phase that ended other than SUCCEEDED, its status (the build's), and CodeBuild's words about it. @default none */
  readonly failedPhase?: { readonly type: string; readonly context: string[] };
  /** Environment variables the event lists for the build. @default none, as documented */
  readonly environment?: Array<{ name: string; value: string; type: string }>;
}

/**
 * The documented event of a build of `project` that ended `status`: the failed phase has that status and its
 * context, and the phases after it, which a failed build never ran, are dropped but for FINALIZING and COMPLETED.
 */
export function buildStateChange(options: BuildEventOptions = {}): any {
  const { example } = documentedBuildStateChange();
  const detail = example.detail;
  if (options.project) {
    const arn = (id: string) => id.replace(/build\/my-sample-project:/, `build/${options.project}:`);
    detail['project-name'] = options.project;
    detail['build-id'] = arn(detail['build-id']);
    example.resources = example.resources.map(arn);
  }
  detail['build-status'] = options.status ?? detail['build-status'];
  const info = detail['additional-information'];
  if (options.failedPhase) {
    const phases: DocumentedPhase[] = info.phases;
    const at = phases.findIndex((phase) => phase['phase-type'] === options.failedPhase!.type);
    if (at < 0) {
      throw new Error(`the documented event has no ${options.failedPhase.type} phase`);
    }
    const failed = { ...phases[at], 'phase-status': options.status ?? 'FAILED', 'phase-context': options.failedPhase.context };
    info.phases = [...phases.slice(0, at), failed, ...phases.filter((phase) => ['FINALIZING', 'COMPLETED'].includes(phase['phase-type']))];
  }
  if (options.environment) {
    info.environment['environment-variables'] = options.environment;
  }
  return example;
}

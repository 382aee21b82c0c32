import { buildStateChangeOf } from '../../core/image-build/build-failure';
import { imageBuildSignalDeps, imageBuildSignalLog } from '../../lambda/image-build-signal';
import { signalImageBuildFailure } from '../../services/signal-image-build-failure';

/**
 * EventBridge: the agent image build ended FAILED, FAULT, STOPPED or TIMED_OUT (docs/operations.md, "When the
 * image build fails"). Signals the deployment's wait condition FAILURE with the failed phase and the log's link.
 */
export async function handler(event: unknown): Promise<void> {
  const change = buildStateChangeOf(event);
  const outcome = await signalImageBuildFailure(imageBuildSignalDeps(), change);
  imageBuildSignalLog.info(outcome.signalled ? 'signalled the deployment' : 'left the event alone', {
    build: change.detail['build-id'],
    status: change.detail['build-status'],
    ...outcome,
  });
}

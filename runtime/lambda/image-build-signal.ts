import { JsonLogger } from './json-log';
import { signalWaitCondition } from '../adapters/wait-condition-handle';
import { requireEnv } from '../core/environment';
import type { ImageBuildSignalDeps } from '../services/signal-image-build-failure';

export const imageBuildSignalLog = new JsonLogger('outpost-image-build-failed');

/** The handle and tag the image build construct sets on the function (src/agents/image-build-failure-signal.ts). */
export function imageBuildSignalDeps(): ImageBuildSignalDeps {
  return { handleUrl: requireEnv('WAIT_HANDLE_URL'), imageTag: requireEnv('IMAGE_TAG'), signal: signalWaitCondition };
}

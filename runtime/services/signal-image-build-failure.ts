import { type BuildStateChange, failureSignalOf, handleUrlOf, type WaitConditionSignal } from '../core/image-build/build-failure';

/** What signalling a failed image build needs: the deployment's handle, its image tag, and a way to PUT. */
export interface ImageBuildSignalDeps {
  /** The wait condition handle of the deployment that started the build now awaited. */
  readonly handleUrl: string;
  readonly imageTag: string;
  readonly signal: (handleUrl: string, signal: WaitConditionSignal) => Promise<void>;
}

/** What was done about one event. */
export type ImageBuildSignalOutcome =
  | { readonly signalled: true; readonly signal: WaitConditionSignal }
  | { readonly signalled: false; readonly why: string };

/**
 * Fail the waiting deployment at once when its image build ends without images, with the build's reason, rather
 * than let it wait for the wait condition's timeout (an hour) and roll back saying nothing. An event of a build
 * started for another deployment (its WAIT_HANDLE_URL is another handle) is left alone.
 */
export async function signalImageBuildFailure(deps: ImageBuildSignalDeps, event: BuildStateChange): Promise<ImageBuildSignalOutcome> {
  const startedWith = handleUrlOf(event);
  if (startedWith !== undefined && startedWith !== deps.handleUrl) {
    return { signalled: false, why: 'the build was started for another deployment\'s wait condition' };
  }
  const signal = failureSignalOf(event, deps.imageTag);
  await deps.signal(deps.handleUrl, signal);
  return { signalled: true, signal };
}

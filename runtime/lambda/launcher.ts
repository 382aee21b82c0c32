import { ECSClient } from '@aws-sdk/client-ecs';
import { workerLauncherConfig } from './worker-launcher-config';
import { workerTokenCipher } from './worker-tokens';
import { WorkerLauncher } from '../adapters/worker-launcher';
import type { PlatformConfig } from '../core/config';

/** The worker launcher, for the lifecycle handlers that start or stop tasks (lifecycleDeps). */
export function workerLauncher(config: PlatformConfig): WorkerLauncher {
  return new WorkerLauncher(new ECSClient({}), workerLauncherConfig(config), workerTokenCipher(config));
}

import type { RotationStep } from './rotation-event';

export const STAGE = { current: 'AWSCURRENT', pending: 'AWSPENDING', previous: 'AWSPREVIOUS' } as const;

/** What DescribeSecret tells about the secret, as far as rotation needs it. */
export interface SecretState {
  readonly rotationEnabled: boolean;
  /** Each version's id and its staging labels; versions without a label are not listed. */
  readonly versions: Readonly<Record<string, readonly string[]>>;
}

/** What a step has to do, decided from the secret's versions alone. */
export type StepPlan =
  /** The token's version is already AWSCURRENT: a retry of a rotation that finished. */
  | { readonly kind: 'done' }
  | { readonly kind: 'create' }
  | { readonly kind: 'set' }
  | { readonly kind: 'test' }
  /**
   * Move AWSCURRENT from `current` to the token's version (Secrets Manager moves AWSPREVIOUS to `current`);
   * `retiring` is the version that held AWSPREVIOUS and loses its last use, whose key can be revoked.
   */
  | { readonly kind: 'finish'; readonly current: string; readonly retiring?: string };

/** Why a step must not run: the event does not fit the secret (the contract's checks before every step). */
export class RotationRefused extends Error {
  override readonly name = 'RotationRefused';
}

/**
 * The rotation contract's checks, then the step: the secret must have rotation enabled, and the token must
 * name a version staged AWSPENDING — or AWSCURRENT, when there is nothing left to do. Every step is then
 * safe to run again: create and test look at the pending value, finish at where AWSCURRENT is.
 */
export function planStep(secret: SecretState, token: string, step: RotationStep): StepPlan {
  if (!secret.rotationEnabled) {
    throw new RotationRefused('Rotation is not enabled on the secret');
  }
  const stages = secret.versions[token];
  if (!stages) {
    throw new RotationRefused(`Version ${token} has no stage for rotation of the secret`);
  }
  if (stages.includes(STAGE.current)) {
    return { kind: 'done' };
  }
  if (!stages.includes(STAGE.pending)) {
    throw new RotationRefused(`Version ${token} is not staged ${STAGE.pending} for rotation of the secret`);
  }
  switch (step) {
    case 'createSecret':
      return { kind: 'create' };
    case 'setSecret':
      return { kind: 'set' };
    case 'testSecret':
      return { kind: 'test' };
    case 'finishSecret': {
      const current = versionWith(secret, STAGE.current);
      if (!current) {
        throw new RotationRefused(`No version of the secret is ${STAGE.current}: put the first key before rotating it`);
      }
      const retiring = versionWith(secret, STAGE.previous);
      return { kind: 'finish', current, ...(retiring !== undefined && retiring !== token && { retiring }) };
    }
  }
}

function versionWith(secret: SecretState, stage: string): string | undefined {
  return Object.entries(secret.versions).find(([, stages]) => stages.includes(stage))?.[0];
}

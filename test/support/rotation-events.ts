import { documentedFixture } from './documented-shape';

/** The rotation function's event as Secrets Manager documents it (fixtures/secrets-manager-rotation-event.json). */
export function documentedRotationEvent(): { source: string; structure: Record<string, string>; steps: string[] } {
  return documentedFixture('secrets-manager-rotation-event.json');
}

/** A RotationToken as Secrets Manager sends one: an opaque id of the request. */
const ROTATION_TOKEN = '9e5c7f4a-3b1d-4c2e-8f6a-0d1b2c3d4e5f';

/**
 * What Secrets Manager invokes the rotation function with for one step: every documented field, RotationToken
 * included (newer than the function's own schema, which must let it through). A step it never sends is refused.
 */
export function rotationEvent(secretId: string, clientRequestToken: string, step: string): Record<string, string> {
  const { structure, steps } = documentedRotationEvent();
  if (!steps.includes(step)) {
    throw new Error(`Secrets Manager sends no Step ${step}; it sends ${steps.join(', ')}`);
  }
  const event: Record<string, string> = { Step: step, SecretId: secretId, ClientRequestToken: clientRequestToken, RotationToken: ROTATION_TOKEN };
  return Object.fromEntries(Object.keys(structure).map((key) => [key, event[key]]));
}

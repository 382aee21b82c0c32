import * as z from 'zod/mini';

/** The four steps Secrets Manager asks a rotation function for, in this order. */
export const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
export type RotationStep = typeof ROTATION_STEPS[number];

/** What Secrets Manager invokes a rotation function with: the secret's ARN, the new version's id, and the step. */
const RotationEventSchema = z.object({
  SecretId: z.string().check(z.minLength(1)),
  ClientRequestToken: z.string().check(z.minLength(1)),
  Step: z.enum(ROTATION_STEPS),
});

export type RotationEvent = z.infer<typeof RotationEventSchema>;

/** The event, or an error saying what is wrong with it: nothing else ever invokes the function. */
export function rotationEventOf(event: unknown): RotationEvent {
  const parsed = RotationEventSchema.safeParse(event);
  if (!parsed.success) {
    throw new Error(`Not a Secrets Manager rotation event ({ SecretId, ClientRequestToken, Step }): ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

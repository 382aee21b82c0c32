import * as z from 'zod/mini';
import { requireEnv } from '../environment';

/**
 * How each provider's key rotates (src/agents/provider-key-rotation.ts). Plain optional fields rather than a
 * discriminated union, which would add zod weight to the bundle.
 */
const ProviderRotationConfig = z.object({
  mode: z.enum(['manual', 'openai-service-account']),
  /** The provider's API for testing keys. Absent: the provider's public endpoint. */
  apiUrl: z.optional(z.string()),
  /** For `openai-service-account`: the Admin API key's secret, the project, and the Admin API. */
  openAi: z.optional(z.object({ adminKeySecret: z.string(), projectId: z.string(), adminUrl: z.string() })),
});

const RotationConfigSchema = z.object({
  /** The platform's SNS topic, for every rotation's outcome. */
  topicArn: z.string(),
  /** By provider (`outpost:provider` tag of the secret being rotated). */
  providers: z.record(z.string(), ProviderRotationConfig),
});

export type RotationConfig = z.infer<typeof RotationConfigSchema>;
export type ProviderRotation = z.infer<typeof ProviderRotationConfig>;

/** The tag that says which provider's key a secret holds. */
export const PROVIDER_TAG = 'outpost:provider';

/** OUTPOST_ROTATION, set by the ProviderKeyRotation construct. */
export function loadRotationConfig(): RotationConfig {
  return RotationConfigSchema.parse(JSON.parse(requireEnv('OUTPOST_ROTATION')));
}

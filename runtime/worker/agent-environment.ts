import { PROVIDER_KEY_VARIABLES } from './gateway/adapter-environment';

/**
 * Variables the agent never sees, because they are the worker's: the provider keys (the worker's model
 * gateway holds them; the CLI gets a placeholder from its adapter), and the task role's credentials in any
 * form - the URI of ECS's credentials endpoint and its authorization token, or keys - which would let the
 * agent act as the task role (kms:Decrypt of the worker token, Bedrock).
 */
const WORKER_ONLY_VARIABLES = new Set([
  ...PROVIDER_KEY_VARIABLES,
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
]);

/**
 * The environment an agent (and git) runs with: the worker's own, less its OUTPOST_* settings (the worker
 * token's ciphertext among them) and WORKER_ONLY_VARIABLES. The git credential never enters the agent's
 * environment at all (git gets it separately).
 */
export function agentEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !name.startsWith('OUTPOST_') && !WORKER_ONLY_VARIABLES.has(name)) {
      result[name] = value;
    }
  }
  return result;
}

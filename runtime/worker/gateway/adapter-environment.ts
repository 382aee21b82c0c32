import { PROVIDER_NAMES, PROVIDERS } from './providers';
import { GATEWAY_PROVIDERS_VARIABLE, GATEWAY_URL_VARIABLE } from '../agents/gateway-route';

/** What gateway.ts exposes to the adapters: its address and the providers it carries. */
export interface GatewayAddress {
  readonly url: string;
  readonly providers: readonly string[];
}

/** The variables ECS injects the providers' keys under: the worker's alone. */
export const PROVIDER_KEY_VARIABLES: readonly string[] = PROVIDER_NAMES
  .map((name) => PROVIDERS[name].keyVariable)
  .filter((name): name is string => name !== undefined);

/**
 * The worker's environment without the providers' keys: what git and the agent's run are given. The keys stay in
 * the worker's own environment, for the gateway alone.
 */
export function withoutProviderKeys(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !PROVIDER_KEY_VARIABLES.includes(name)));
}


/**
 * The environment the adapter sees (runAgent's `env`): no keys, and the gateway's address under OUTPOST_* names,
 * which agent-environment.ts keeps from the agent itself. The adapter turns them into the CLI's base-URL setting.
 */
export function adapterEnvironment(env: Readonly<Record<string, string | undefined>>, gateway: GatewayAddress): Record<string, string | undefined> {
  return { ...withoutProviderKeys(env), [GATEWAY_URL_VARIABLE]: gateway.url, [GATEWAY_PROVIDERS_VARIABLE]: gateway.providers.join(',') };
}

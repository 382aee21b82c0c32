import { PROVIDER_NAMES, PROVIDERS } from './providers';
import { GATEWAY_PROVIDERS_VARIABLE, GATEWAY_URL_VARIABLE } from '../agents/gateway-route';

/** What gateway.ts exposes to the adapters: its address and the providers it carries. */
export interface GatewayAddress {
  readonly url: string;
  readonly providers: readonly string[];
}

/**
 * The worker's environment without the providers' keys: what git and the agent's run are given. The keys stay in
 * the worker's own environment, for the gateway alone.
 */
export function withoutProviderKeys(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const keys = new Set(PROVIDER_NAMES.map((name) => PROVIDERS[name].keyVariable).filter((name) => name !== undefined));
  return Object.fromEntries(Object.entries(env).filter(([name]) => !keys.has(name)));
}

/**
 * The environment the adapter sees (runAgent's `env`): no keys, and the gateway's address under OUTPOST_* names,
 * which agent-environment.ts keeps from the agent itself. The adapter turns them into the CLI's base-URL setting.
 */
export function adapterEnvironment(env: Readonly<Record<string, string | undefined>>, gateway: GatewayAddress): Record<string, string | undefined> {
  return { ...withoutProviderKeys(env), [GATEWAY_URL_VARIABLE]: gateway.url, [GATEWAY_PROVIDERS_VARIABLE]: gateway.providers.join(',') };
}

import type { ProviderName as GatewayProvider } from '../gateway/providers';

/**
 * How an adapter points its CLI at the worker's model gateway (runtime/worker/gateway/). dispatch.ts puts the
 * gateway's address and the providers it carries in the adapter's view of the environment under OUTPOST_* names,
 * which never reach the agent's own (agent-environment.ts).
 */
export const GATEWAY_URL_VARIABLE = 'OUTPOST_GATEWAY_URL';
/** Comma-separated: the providers the task holds a key for. */
export const GATEWAY_PROVIDERS_VARIABLE = 'OUTPOST_GATEWAY_PROVIDERS';

/**
 * What the agent holds instead of a key. It opens nothing: the gateway drops it and adds the real key, and a
 * provider would refuse it. CLIs insist on some key being set before they send a request.
 */
export const PLACEHOLDER_KEY = 'outpost-gateway-placeholder-key';

/** The gateway's base for `provider` (`http://127.0.0.1:<port>/<provider>`), or undefined when it does not carry it. */
export function gatewayBase(env: Readonly<Record<string, string | undefined>>, provider: GatewayProvider): string | undefined {
  const url = env[GATEWAY_URL_VARIABLE];
  const providers = (env[GATEWAY_PROVIDERS_VARIABLE] ?? '').split(',');
  return url && providers.includes(provider) ? `${url}/${provider}` : undefined;
}

/**
 * `variables(base)` with the placeholder under `keyVariables` when the gateway carries `provider`; nothing otherwise
 * (Claude on Bedrock: no key, no gateway).
 */
export function throughGateway(
  env: Readonly<Record<string, string | undefined>>,
  provider: GatewayProvider,
  keyVariables: readonly string[],
  variables: (base: string) => Record<string, string>,
): Record<string, string> {
  const base = gatewayBase(env, provider);
  if (!base) {
    return {};
  }
  return { ...Object.fromEntries(keyVariables.map((name) => [name, PLACEHOLDER_KEY])), ...variables(base) };
}

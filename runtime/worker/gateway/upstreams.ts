import { PROVIDER_NAMES, PROVIDERS, type ProviderName } from './providers';

/** Test-only: another upstream for a provider (a stand-in), e.g. OUTPOST_GATEWAY_UPSTREAM_ANTHROPIC=https://127.0.0.1:9443. */
export function upstreamVariable(provider: ProviderName): string {
  return `OUTPOST_GATEWAY_UPSTREAM_${provider.toUpperCase()}`;
}

/** What the gateway forwards to for one provider, with the key it adds. */
export interface Upstream {
  readonly provider: ProviderName;
  readonly base: URL;
  readonly key: string;
}

/**
 * The providers the task holds a key for (ECS injects it into the worker's environment), each with its documented
 * host or the test's override. A provider without a key is not carried: its requests are refused.
 */
export function readUpstreams(env: Readonly<Record<string, string | undefined>>): Map<ProviderName, Upstream> {
  const upstreams = new Map<ProviderName, Upstream>();
  for (const provider of PROVIDER_NAMES) {
    const key = env[PROVIDERS[provider].keyVariable];
    if (!key) {
      continue;
    }
    const base = new URL(env[upstreamVariable(provider)] || PROVIDERS[provider].upstream);
    if (base.protocol !== 'https:' && base.protocol !== 'http:') {
      throw new Error(`${upstreamVariable(provider)} must be an http(s) URL`);
    }
    upstreams.set(provider, { provider, base, key });
  }
  return upstreams;
}

/** OUTPOST_GATEWAY_PORT: a fixed loopback port for the gateway; absent, any free one. */
export function readGatewayPort(env: Readonly<Record<string, string | undefined>>): number {
  const text = env.OUTPOST_GATEWAY_PORT;
  const port = text ? Number(text) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error('OUTPOST_GATEWAY_PORT must be a port number');
  }
  return port;
}

import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'http';
import { bedrockSigner } from './bedrock-signer';
import { PROVIDER_NAMES, PROVIDERS, type ProviderName } from './providers';

/** Test-only: another upstream for a provider (a stand-in), e.g. OUTPOST_GATEWAY_UPSTREAM_ANTHROPIC=https://127.0.0.1:9443. */
export function upstreamVariable(provider: ProviderName): string {
  return `OUTPOST_GATEWAY_UPSTREAM_${provider.toUpperCase()}`;
}

/** What the gateway forwards to for one provider, and how it authorizes a request there. */
export interface Upstream {
  readonly provider: ProviderName;
  readonly base: URL;
  /** Adds the credential to `headers` (the key, or Bedrock's signature of the whole request). */
  authorize(request: { method: string; url: URL; headers: OutgoingHttpHeaders; body: Buffer }): Promise<void>;
}

/**
 * The providers the task holds a key for (ECS injects it into the worker's environment), each with its documented
 * host or the test's override. A provider without a key is not carried: its requests are refused.
 */
export function readUpstreams(env: Readonly<Record<string, string | undefined>>): Map<ProviderName, Upstream> {
  const upstreams = new Map<ProviderName, Upstream>();
  for (const provider of PROVIDER_NAMES) {
    const variable = PROVIDERS[provider].keyVariable;
    const key = variable ? env[variable] : undefined;
    if (key) {
      const base = upstreamBase(env, provider, PROVIDERS[provider].upstream);
      const authorize = async ({ headers }: { headers: OutgoingHttpHeaders }) => PROVIDERS[provider].authorize(headers as IncomingHttpHeaders, key);
      upstreams.set(provider, { provider, base, authorize });
    }
  }
  // Claude on Bedrock: the task role, in the Region the task runs in (src/agents/bedrock-model.ts).
  const region = env.AWS_REGION;
  if (env.CLAUDE_CODE_USE_BEDROCK && env.CLAUDE_CODE_USE_BEDROCK !== '0' && region) {
    const base = upstreamBase(env, 'bedrock', `https://bedrock-runtime.${region}.amazonaws.com`);
    upstreams.set('bedrock', { provider: 'bedrock', base, authorize: bedrockSigner(env, region) });
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

function upstreamBase(env: Readonly<Record<string, string | undefined>>, provider: ProviderName, documented: string): URL {
  const base = new URL(env[upstreamVariable(provider)] || documented);
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw new Error(`${upstreamVariable(provider)} must be an http(s) URL`);
  }
  return base;
}

import { runConformance, type ConformanceOptions, type ConformanceRun } from './run-worker';
import { gatewayUpstream } from '../../../runtime/local/kit/providers/gateway-upstream';
import type { ProviderStandIn } from '../../../runtime/local/kit/providers/stand-in';
import type { ProviderName } from '../../../runtime/worker/gateway/providers';

/** Which provider stand-in the worker's model gateway forwards to, with the task's key for it. */
export interface GatewayProvider {
  readonly provider: ProviderName;
  readonly standIn: ProviderStandIn;
  /** The key the task holds (ECS injects it); undefined for Bedrock, which the gateway signs with the task role. */
  readonly apiKey: string | undefined;
  /** The port the stand-in has inside the sandbox. */
  readonly insidePort: number;
}

/**
 * One conformance run whose CLI reaches `provider`'s stand-in as production reaches the provider: through the worker's
 * model gateway, which forwards over TLS (gateway-upstream.ts). The upstream is taken down when the run ends.
 */
export async function runThroughGateway(
  { provider, standIn, apiKey, insidePort }: GatewayProvider,
  options: Omit<ConformanceOptions, 'endpoints' | 'extraCa'>,
): Promise<ConformanceRun> {
  const upstream = await gatewayUpstream(provider, standIn, apiKey, insidePort);
  try {
    return await runConformance({ ...options, endpoints: upstream.endpoints, extraCa: upstream.extraCa, env: { ...upstream.env, ...options.env } });
  } finally {
    await upstream.stop();
  }
}

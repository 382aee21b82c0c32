import { httpsFront } from './https-front';
import type { ProviderStandIn } from './stand-in';
import { PROVIDERS, type ProviderName } from '../../../worker/gateway/providers';
import { upstreamVariable } from '../../../worker/gateway/upstreams';
import type { Endpoint } from '../sandbox/sandbox';

/** Where the sandbox's system CA bundle is: the harness appends `extraCa` to it. */
const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** What a conformance run needs for its worker's model gateway to reach a stand-in as the provider. */
export interface GatewayUpstream {
  /** runConformance's `endpoints`: the stand-in, behind TLS, as 127.0.0.1:<insidePort> inside the sandbox. */
  readonly endpoints: Record<string, Endpoint>;
  /** The task's key (none for Bedrock), and the worker's test-only upstream override (OUTPOST_*: never the agent's). */
  readonly env: Record<string, string>;
  /** The test CA, for the sandbox's bundle, which node reads through NODE_EXTRA_CA_CERTS. */
  readonly extraCa: string;
  stop(): Promise<void>;
}

/**
 * The stand-in served over HTTPS (a test CA) and named as the gateway's upstream for `provider`: the CLI talks to the
 * worker's gateway, the gateway to the stand-in, as it would to the provider's host. The task holds `apiKey` under
 * the provider's variable as ECS would inject it; the CLI never sees it. Bedrock has no key (`apiKey` undefined):
 * the gateway signs with the task role, and carries Bedrock when the task definition sets CLAUDE_CODE_USE_BEDROCK and
 * the task has AWS_REGION, which the harness sets as Fargate does.
 */
export async function gatewayUpstream(
  provider: ProviderName, standIn: ProviderStandIn, apiKey: string | undefined, insidePort: number,
): Promise<GatewayUpstream> {
  const keyVariable = PROVIDERS[provider].keyVariable;
  if ((keyVariable === undefined) !== (apiKey === undefined)) {
    throw new Error(keyVariable ? `gatewayUpstream: ${provider} needs its key (${keyVariable})` : `gatewayUpstream: ${provider} takes no key: the gateway signs its requests with the task role`);
  }
  const front = await httpsFront(standIn);
  return {
    endpoints: { [provider]: { hostPort: front.port, insidePort } },
    env: {
      ...(keyVariable && { [keyVariable]: apiKey! }),
      [upstreamVariable(provider)]: `https://127.0.0.1:${insidePort}`,
      NODE_EXTRA_CA_CERTS: SYSTEM_CA_BUNDLE,
    },
    extraCa: front.ca,
    stop: () => front.stop(),
  };
}

import { ModelProvider } from '../agents/agent-kind';

/**
 * Domains an agent task may resolve when the egress allow-list is on. Wildcards (`*.example.com`) match every
 * subdomain but not the apex, so an apex that is needed is listed too.
 */

/**
 * Each provider's model API, which only the worker's model gateway calls (the agent's CLI talks to the gateway
 * on loopback). Claude on Amazon Bedrock needs none: Bedrock is an AWS domain.
 */
const PROVIDER_API_DOMAINS: Readonly<Record<ModelProvider, readonly string[]>> = {
  [ModelProvider.ANTHROPIC]: ['api.anthropic.com'],
  [ModelProvider.OPENAI]: ['api.openai.com'],
  [ModelProvider.GOOGLE]: ['generativelanguage.googleapis.com'],
  [ModelProvider.XAI]: ['api.x.ai'],
};

const SOURCE_HOST_DOMAINS = [
  'github.com',
  '*.github.com',
  '*.githubusercontent.com',
];

const PACKAGE_REGISTRY_DOMAINS = [
  'registry.npmjs.org',
  'pypi.org',
  'files.pythonhosted.org',
];

/**
 * AWS endpoints (ECR image pulls and their S3 layer buckets, CloudWatch Logs, Secrets Manager, Amazon
 * Bedrock) are always allowed: the DNS firewall covers the whole VPC, and without them no task could start.
 */
const AWS_DOMAINS = ['amazonaws.com', '*.amazonaws.com', '*.api.aws'];

// RFC 1035 labels, an optional leading `*.` wildcard, at least two labels.
const DOMAIN_PATTERN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/**
 * The domains agent tasks may resolve through the VPC's DNS resolver (Route 53 Resolver DNS Firewall).
 * Everything else gets NXDOMAIN.
 *
 * @example
 * EgressAllowList.defaults().withDomains(['*.internal.example.com'])
 */
export class EgressAllowList {
  /**
   * The default list: GitHub, and the npm and PyPI registries. No model API: `OutpostPlatform` adds the hosts of
   * its agents' providers itself (see `withModelProviders`).
   */
  public static readonly DEFAULT_DOMAINS: string[] = [...SOURCE_HOST_DOMAINS, ...PACKAGE_REGISTRY_DOMAINS];

  /** AWS service domains, always allowed so that tasks can pull images, write logs and read secrets. */
  public static readonly AWS_SERVICE_DOMAINS: string[] = [...AWS_DOMAINS];

  /** The model API domains of a provider, which its agents' model gateway calls (e.g. `api.openai.com`). */
  public static modelProviderDomains(provider: ModelProvider): string[] {
    return [...PROVIDER_API_DOMAINS[provider]];
  }

  /** The documented default list ({@link EgressAllowList.DEFAULT_DOMAINS}) plus AWS service domains. */
  public static defaults(): EgressAllowList {
    return new EgressAllowList(EgressAllowList.DEFAULT_DOMAINS);
  }

  /** Exactly these domains (plus AWS service domains). Use `*.example.com` for every subdomain. */
  public static of(domains: string[]): EgressAllowList {
    return new EgressAllowList(domains);
  }

  /** Every allowed domain, AWS service domains included, lower-cased and without duplicates. */
  public readonly domains: string[];

  private constructor(domains: string[]) {
    const normalized = domains.map((domain) => domain.trim().toLowerCase().replace(/\.$/, ''));
    const invalid = normalized.filter((domain) => domain.length > 253 || !DOMAIN_PATTERN.test(domain));
    if (invalid.length > 0) {
      throw new Error(`EgressAllowList: ${invalid.map((d) => `"${d}"`).join(', ')} ${invalid.length === 1 ? 'is not a domain name' : 'are not domain names'}. Give names like "api.example.com" or "*.example.com" (a wildcard only as the first label).`);
    }
    this.domains = [...new Set([...normalized, ...AWS_DOMAINS])];
  }

  /**
   * A new list with the model API domains of these providers added. `OutpostPlatform` does this for the
   * providers of its agents (none for Claude on Bedrock); a `SecureVpc` used on its own needs it.
   */
  public withModelProviders(providers: ModelProvider[]): EgressAllowList {
    return this.withDomains(providers.flatMap((provider) => EgressAllowList.modelProviderDomains(provider)));
  }

  /** A new list with these domains added. */
  public withDomains(domains: string[]): EgressAllowList {
    return new EgressAllowList([...this.domains, ...domains]);
  }
}

/**
 * Domains an agent task may resolve when the egress allow-list is on. Wildcards (`*.example.com`) match every
 * subdomain but not the apex, so an apex that is needed is listed too.
 */
const MODEL_API_DOMAINS = [
  // Claude Code (Anthropic API and its feature-flag service)
  'api.anthropic.com',
  'statsig.anthropic.com',
  // OpenAI Codex CLI
  'api.openai.com',
  // Gemini CLI
  'generativelanguage.googleapis.com',
  // Grok (xAI API)
  'api.x.ai',
];

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
  /** The default list: the five agents' model APIs, GitHub, and the npm and PyPI registries. */
  public static readonly DEFAULT_DOMAINS: string[] = [...MODEL_API_DOMAINS, ...SOURCE_HOST_DOMAINS, ...PACKAGE_REGISTRY_DOMAINS];

  /** AWS service domains, always allowed so that tasks can pull images, write logs and read secrets. */
  public static readonly AWS_SERVICE_DOMAINS: string[] = [...AWS_DOMAINS];

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

  /** A new list with these domains added. */
  public withDomains(domains: string[]): EgressAllowList {
    return new EgressAllowList([...this.domains, ...domains]);
  }
}

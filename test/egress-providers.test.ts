import { Template } from 'aws-cdk-lib/assertions';
import { Agent, EgressAllowList, ModelProvider } from '../src';
import { synthPlatform } from './support/platform-stack';

const PROVIDER_DOMAINS = ['api.anthropic.com', 'statsig.anthropic.com', 'api.openai.com', 'generativelanguage.googleapis.com', 'api.x.ai'];

/** The domains the platform's DNS firewall lets resolve (the list that is not `*`). */
function allowedDomains(template: Template): string[] {
  const lists = Object.values(template.findResources('AWS::Route53Resolver::FirewallDomainList'))
    .map((list) => list.Properties.Domains as string[])
    .filter((domains) => !(domains.length === 1 && domains[0] === '*'));
  expect(lists).toHaveLength(1);
  return lists[0];
}

const providerDomainsOf = (domains: string[]) => domains.filter((domain) => PROVIDER_DOMAINS.includes(domain)).sort();

describe('the egress allow-list a platform puts on its VPC', () => {
  test('a list without model APIs gets the provider host of each configured agent, and no other', () => {
    const { template } = synthPlatform({ agents: [Agent.codex(), Agent.gemini()], egressAllowList: EgressAllowList.defaults() });
    const domains = allowedDomains(template);
    expect(providerDomainsOf(domains)).toEqual(['api.openai.com', 'generativelanguage.googleapis.com']);
    expect(domains).toEqual(expect.arrayContaining(['github.com', 'registry.npmjs.org', '*.amazonaws.com']));
  });

  test('Claude on Bedrock needs no host beyond AWS\'s; Aider gets its own provider\'s', () => {
    const bedrock = synthPlatform({ agents: [Agent.claude({ useBedrock: true })], egressAllowList: EgressAllowList.of(['github.com']) });
    expect(providerDomainsOf(allowedDomains(bedrock.template))).toEqual([]);
    const aider = synthPlatform({ agents: [Agent.aider({ provider: ModelProvider.OPENAI })], egressAllowList: EgressAllowList.of(['github.com']) });
    expect(providerDomainsOf(allowedDomains(aider.template))).toEqual(['api.openai.com']);
  });

  test('the default agents: all four providers\' hosts', () => {
    const { template } = synthPlatform({ egressAllowList: EgressAllowList.of(['github.com']) });
    expect(providerDomainsOf(allowedDomains(template))).toEqual(['api.anthropic.com', 'api.openai.com', 'api.x.ai', 'generativelanguage.googleapis.com']);
  });

  test('a consumer\'s own list that already names provider hosts keeps working, each domain once', () => {
    const { template } = synthPlatform({
      agents: [Agent.codex()],
      egressAllowList: EgressAllowList.of(['api.openai.com', 'api.anthropic.com', 'statsig.anthropic.com', 'github.com']),
    });
    const domains = allowedDomains(template);
    expect(providerDomainsOf(domains)).toEqual(['api.anthropic.com', 'api.openai.com', 'statsig.anthropic.com']);
    expect(new Set(domains).size).toBe(domains.length);
  });
});

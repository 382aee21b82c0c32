import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53resolver from 'aws-cdk-lib/aws-route53resolver';
import { Construct } from 'constructs';
import { EgressAllowList } from './egress-allow-list';

/** Props for {@link AgentEgressFirewall}. */
export interface AgentEgressFirewallProps {
  /** The VPC whose DNS queries are filtered. */
  readonly vpc: ec2.IVpc;
  /** The domains that resolve; every other name gets NXDOMAIN. */
  readonly allowList: EgressAllowList;
}

/** Rule priorities inside the group: the allow list is evaluated before the catch-all block. */
const ALLOW_PRIORITY = 100;
const BLOCK_PRIORITY = 200;
/** Association priority among the VPC's rule groups; 101–9900 is the range open to customers. */
const ASSOCIATION_PRIORITY = 1000;

/**
 * Route 53 Resolver DNS Firewall on the VPC: allow the listed domains, answer NXDOMAIN to everything else.
 * It filters name resolution through the VPC resolver; the agent security group keeps tasks from using
 * any other resolver (DNS egress only to the VPC's own range).
 */
export class AgentEgressFirewall extends Construct {
  /** The firewall rule group, for association with other VPCs. */
  public readonly ruleGroup: route53resolver.CfnFirewallRuleGroup;

  constructor(scope: Construct, id: string, props: AgentEgressFirewallProps) {
    super(scope, id);

    const allowed = new route53resolver.CfnFirewallDomainList(this, 'AllowedDomains', {
      domains: props.allowList.domains,
    });
    const everything = new route53resolver.CfnFirewallDomainList(this, 'AllDomains', {
      domains: ['*'],
    });

    this.ruleGroup = new route53resolver.CfnFirewallRuleGroup(this, 'RuleGroup', {
      firewallRules: [
        { action: 'ALLOW', firewallDomainListId: allowed.attrId, priority: ALLOW_PRIORITY },
        { action: 'BLOCK', blockResponse: 'NXDOMAIN', firewallDomainListId: everything.attrId, priority: BLOCK_PRIORITY },
      ],
    });

    new route53resolver.CfnFirewallRuleGroupAssociation(this, 'Association', {
      firewallRuleGroupId: this.ruleGroup.attrId,
      vpcId: props.vpc.vpcId,
      priority: ASSOCIATION_PRIORITY,
      // Protection would block stack updates and deletion from removing the association.
      mutationProtection: 'DISABLED',
    });
  }
}

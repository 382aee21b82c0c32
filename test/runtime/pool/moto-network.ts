import { ec2Field as field, motoEc2 } from '../../../runtime/local/provision/moto-ec2';

/** A private subnet and a security group in moto, for awsvpc tasks. */
export interface AgentNetwork {
  readonly subnetId: string;
  readonly securityGroupId: string;
}

const ec2 = (endpoint: string, params: Record<string, string>) => motoEc2(endpoint, 'us-east-1', params);

/** A VPC with DNS hostnames, as the platform's VPC has: moto's awsvpc tasks need them for the ENI's name. */
export async function createAgentNetwork(endpoint: string): Promise<AgentNetwork> {
  const vpcId = field(await ec2(endpoint, { Action: 'CreateVpc', CidrBlock: '10.0.0.0/16' }), 'vpcId');
  await ec2(endpoint, { 'Action': 'ModifyVpcAttribute', 'VpcId': vpcId, 'EnableDnsHostnames.Value': 'true' });
  const subnetId = field(await ec2(endpoint, { Action: 'CreateSubnet', VpcId: vpcId, CidrBlock: '10.0.1.0/24' }), 'subnetId');
  const securityGroupId = field(await ec2(endpoint, { Action: 'CreateSecurityGroup', VpcId: vpcId, GroupName: 'agents', GroupDescription: 'agent tasks' }), 'groupId');
  return { subnetId, securityGroupId };
}

/** A private subnet and a security group in moto, for awsvpc tasks. */
export interface AgentNetwork {
  readonly subnetId: string;
  readonly securityGroupId: string;
}

/**
 * Made through EC2's query API, since the project has no EC2 client. moto routes a request by the
 * credential scope of its Authorization header and does not check the signature.
 */
async function ec2(endpoint: string, params: Record<string, string>): Promise<string> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'authorization': 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: new URLSearchParams({ Version: '2016-11-15', ...params }),
  });
  const body = await response.text();
  if (!response.ok) {
    throw new Error(`EC2 ${params.Action} failed: ${body}`);
  }
  return body;
}

function field(xml: string, name: string): string {
  const match = new RegExp(`<${name}>([^<]+)</${name}>`).exec(xml);
  if (!match) {
    throw new Error(`no <${name}> in ${xml}`);
  }
  return match[1];
}

/** A VPC with DNS hostnames, as the platform's VPC has: moto's awsvpc tasks need them for the ENI's name. */
export async function createAgentNetwork(endpoint: string): Promise<AgentNetwork> {
  const vpcId = field(await ec2(endpoint, { Action: 'CreateVpc', CidrBlock: '10.0.0.0/16' }), 'vpcId');
  await ec2(endpoint, { 'Action': 'ModifyVpcAttribute', 'VpcId': vpcId, 'EnableDnsHostnames.Value': 'true' });
  const subnetId = field(await ec2(endpoint, { Action: 'CreateSubnet', VpcId: vpcId, CidrBlock: '10.0.1.0/24' }), 'subnetId');
  const securityGroupId = field(await ec2(endpoint, { Action: 'CreateSecurityGroup', VpcId: vpcId, GroupName: 'agents', GroupDescription: 'agent tasks' }), 'groupId');
  return { subnetId, securityGroupId };
}

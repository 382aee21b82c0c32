import * as iam from 'aws-cdk-lib/aws-iam';
import { AgentFleet } from '../agents/agent-fleet';
import { acknowledgeFindings } from '../core/acknowledge';
import { secretArnForPolicies } from '../core/secret-grants';

/**
 * What `GET /health/fleet` reads to say whether each agent can run (runtime/services/fleet-readiness.ts):
 * DescribeSecret on the agents' provider secrets (their versions' stages; never GetSecretValue), DescribeImages
 * on the agents' image repositories the platform knows, and DescribeTaskDefinition.
 */
export function grantFleetReadiness(role: iam.Role, agents: AgentFleet): void {
  const secrets = new Set(agents.agents.map((agent) => agents._apiKeySecret(agent)).filter((secret) => secret !== undefined));
  if (secrets.size > 0) {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['secretsmanager:DescribeSecret'],
      resources: [...secrets].map(secretArnForPolicies),
    }));
  }
  const repositories = new Set(agents.agents.map((agent) => agents._imageRepository(agent)).filter((repository) => repository !== undefined));
  if (repositories.size > 0) {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ecr:DescribeImages'],
      resources: [...repositories].map((repository) => repository.repositoryArn),
    }));
  }
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ecs:DescribeTaskDefinition'], resources: ['*'] }));
  acknowledgeFindings(role, {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'ecs:DescribeTaskDefinition takes no resource-level permissions (Service Authorization Reference); fleet health reads the agents\' task definitions with it.',
  });
}

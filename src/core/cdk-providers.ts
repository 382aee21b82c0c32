import { Stack, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * aws-cdk-lib's own singleton custom-resource functions (auto-deleting bucket objects, closing the default
 * security group) are created per stack with a runtime, role and settings that CDK chooses. They run only
 * during deployment, never with agent input. These are the findings they raise, acknowledged on them alone.
 */
const CDK_PROVIDER_FINDINGS: Record<string, string> = {
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
    'CDK-owned deployment-time function; its role and managed policy are set by aws-cdk-lib.',
  'AwsSolutions-L1': 'CDK-owned deployment-time function; its runtime is chosen by aws-cdk-lib.',
  'NIST.800.53.R5-LambdaConcurrency': 'CDK-owned deployment-time function, invoked only by CloudFormation.',
  'NIST.800.53.R5-LambdaDLQ': 'CDK-owned deployment-time function; CloudFormation reports its failures.',
  'NIST.800.53.R5-LambdaInsideVPC': 'CDK-owned deployment-time function that calls only AWS APIs.',
};

/** Acknowledge the findings of a CDK singleton provider, if the stack has it. */
export function acknowledgeCdkProvider(scope: Construct, providerId: string): void {
  const provider = Stack.of(scope).node.tryFindChild(providerId);
  if (!provider) {
    return;
  }
  for (const [id, reason] of Object.entries(CDK_PROVIDER_FINDINGS)) {
    Validations.of(provider).acknowledge({ id, reason });
  }
}

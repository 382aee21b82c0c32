import { CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';

/** How the platform keeps the logs of aws-cdk-lib's deployment-time functions. */
export interface ProviderLogOptions {
  readonly encryptionKey: kms.IKey;
  readonly retention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * aws-cdk-lib's singleton deployment-time functions (closing the default security group, emptying buckets)
 * write to a log group that Lambda creates on first use, with no retention and no key. Create it first, with
 * both, and make the custom resource that invokes the function wait for it, so Lambda finds it in place.
 */
export function retainProviderLogs(invoker: IConstruct | undefined, providerId: string, options: ProviderLogOptions): void {
  if (!invoker) {
    return;
  }
  const stack = Stack.of(invoker);
  const provider = stack.node.tryFindChild(providerId);
  if (!provider) {
    return;
  }
  const id = `${providerId}LogGroup`;
  const logGroup = stack.node.tryFindChild(id) ?? new logs.LogGroup(stack, id, {
    logGroupName: `/aws/lambda/${(provider.node.findChild('Handler') as CfnResource).ref}`,
    encryptionKey: options.encryptionKey,
    retention: options.retention,
    removalPolicy: options.removalPolicy,
  });
  invoker.node.addDependency(logGroup);
}

import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/**
 * The platform's one SNS topic for everything an operator must hear about: alarms, key rotations, spend.
 * Encrypted with the platform key, which CloudWatch alarms of this account may use to publish to it;
 * publishers must use TLS.
 */
export function createAlarmTopic(scope: Construct, id: string, key: kms.Key): sns.Topic {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsToPublish',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    // In a key policy, `*` means this key.
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
  }));
  return new sns.Topic(scope, id, {
    displayName: 'Outpost alarms and notifications',
    masterKey: key,
    enforceSSL: true,
  });
}

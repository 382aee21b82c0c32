import { Acknowledgment, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * `Validations.of(scope).acknowledge(...rules)` on every aws-cdk-lib the library supports (≥ 2.257).
 *
 * cdk-nag names a finding by what it flags, e.g. `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:…]`, and
 * aws-cdk-lib before 2.264 refuses any id holding more than one `::` (its prefix delimiter). Such ids are recorded
 * where `Validations.acknowledge` records them, the acknowledged-rules metadata that cdk-nag reads, under the
 * same `annotation::` prefix; every other id goes through `Validations.acknowledge` itself.
 */
export function acknowledgeFindings(scope: IConstruct, ...rules: Acknowledgment[]): void {
  for (const rule of rules) {
    if (rule.id.split('::').length > 2) {
      scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [`annotation::${rule.id}`]: rule.reason });
    } else {
      Validations.of(scope).acknowledge(rule);
    }
  }
}

import { Aws, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ModelProvider } from './agent-kind';
import { ProviderKeyRotation, ProviderKeyRotationOptions } from './provider-key-rotation';
import { PlatformFunction } from '../core/platform-function';
import { secretArnForPolicies } from '../core/secret-grants';
import { requireProp } from '../core/validation';
import { METRICS_NAMESPACE } from '../monitoring/metrics-namespace';

/** Props for {@link ProviderKeyRotator}. */
export interface ProviderKeyRotatorProps {
  readonly vpc: ec2.IVpc;
  /** Subnets with egress: the function calls the providers' APIs. */
  readonly subnets: ec2.SubnetSelection;
  /** Must allow HTTPS out (AWS APIs and the providers). */
  readonly securityGroup: ec2.ISecurityGroup;
  /** The key of the provider secrets and the function's logs. */
  readonly encryptionKey: kms.IKey;
  /** Where every rotation's outcome goes, and the failure alarms. */
  readonly alarmTopic: sns.ITopic;
  /** @default - every provider's key rotates every 90 days, manually */
  readonly rotation?: ProviderKeyRotationOptions;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

const DEFAULT_SCHEDULE = Duration.days(90);
/** The tag the function reads to know whose key a secret holds (runtime/core/rotation/rotation-config.ts). */
const PROVIDER_TAG = 'outpost:provider';
/** The metric of runtime/adapters/rotation-metrics.ts. */
const ROTATION_FAILURES = 'RotationFailures';

/**
 * Rotates the provider API key secrets (docs/security.md, "Provider API key rotation"): one function, created
 * with the first secret it rotates, that Secrets Manager invokes for each step of each rotation; a schedule,
 * an invoke permission and a failure alarm per secret. Each outcome is published to the alarm topic.
 */
export class ProviderKeyRotator extends Construct {
  /** Time between rotations. */
  public readonly automaticallyAfter: Duration;
  /** One per rotated provider: any failed rotation step, to the alarm topic. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  private readonly props: ProviderKeyRotatorProps;
  private platformFunction?: PlatformFunction;
  private readonly secretAccess = new iam.PolicyStatement({
    actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
  });

  constructor(scope: Construct, id: string, props: ProviderKeyRotatorProps) {
    super(scope, id);
    this.props = props;
    this.automaticallyAfter = props.rotation?.automaticallyAfter ?? DEFAULT_SCHEDULE;
    const days = this.automaticallyAfter.toHours() / 24;
    requireProp(this.automaticallyAfter.toHours() >= 4 && days <= 1000, 'ProviderKeyRotationOptions', 'automaticallyAfter',
      `must be from 4 hours to 1000 days, got ${this.automaticallyAfter.toHumanString()}`, 'Secrets Manager rotates no more often and no less. Give e.g. Duration.days(90).');
  }

  /** The rotation function; absent until a secret rotates (every agent on Bedrock or with its own secret). */
  public get rotationFunction(): lambda.IFunction | undefined {
    return this.platformFunction?.function;
  }

  /** Failed rotation steps of one provider's key (namespace `Outpost`, dimension `provider`), summed over 5 minutes. */
  public metricRotationFailures(provider: ModelProvider, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: ROTATION_FAILURES,
      dimensionsMap: { provider },
      statistic: cloudwatch.Stats.SUM,
      period: Duration.minutes(5),
      ...props,
    });
  }

  /** Rotates a provider's secret on the schedule; the secret must be encrypted with the platform key. */
  public rotate(provider: ModelProvider, secret: secretsmanager.ISecret): void {
    const fn = this.ensureFunction();
    Tags.of(secret).add(PROVIDER_TAG, provider);
    this.secretAccess.addResources(secretArnForPolicies(secret));
    // Secrets Manager may invoke the function for this secret only, and only in this account.
    const permission = new lambda.CfnPermission(this, `Invoke${provider}`, {
      action: 'lambda:InvokeFunction',
      functionName: fn.function.functionArn,
      principal: 'secretsmanager.amazonaws.com',
      sourceAccount: Aws.ACCOUNT_ID,
      sourceArn: secret.secretArn,
    });
    // A reference rather than the function itself: RotationSchedule then adds none of its broad grants (an
    // unconditioned invoke permission, GetRandomPassword on *, Encrypt and ReEncrypt), and this construct's exact ones apply.
    const rotationLambda = lambda.Function.fromFunctionAttributes(this, `Function${provider}`, { functionArn: fn.function.functionArn, sameEnvironment: true });
    const schedule = secret.addRotationSchedule('Rotation', {
      rotationLambda,
      automaticallyAfter: this.automaticallyAfter,
      // The first rotation comes after the schedule's time: at deployment the secret holds no real key yet.
      rotateImmediatelyOnUpdate: false,
    });
    schedule.node.addDependency(permission, fn.role);
    const alarm = new cloudwatch.Alarm(this, `${provider}Failures`, {
      alarmDescription: `Outpost: rotating the ${provider} API key failed (see the notification on the same topic)`,
      metric: this.metricRotationFailures(provider),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.props.alarmTopic));
    this.alarms.push(alarm);
  }

  private ensureFunction(): PlatformFunction {
    if (this.platformFunction) {
      return this.platformFunction;
    }
    const { props } = this;
    const rotations: Record<ModelProvider, ProviderKeyRotation> = {
      [ModelProvider.ANTHROPIC]: props.rotation?.anthropic ?? ProviderKeyRotation.manual(),
      [ModelProvider.OPENAI]: props.rotation?.openai ?? ProviderKeyRotation.manual(),
      [ModelProvider.GOOGLE]: props.rotation?.google ?? ProviderKeyRotation.manual(),
      [ModelProvider.XAI]: props.rotation?.xai ?? ProviderKeyRotation.manual(),
    };
    const providers = Object.fromEntries(Object.entries(rotations)
      .map(([provider, rotation]) => [provider, rotation._config(provider as ModelProvider)]));
    const fn = new PlatformFunction(this, 'Function', {
      handler: 'secret-rotation',
      description: 'Outpost: rotates the model providers\' API keys (Secrets Manager rotation steps)',
      vpc: props.vpc,
      subnets: props.subnets,
      securityGroup: props.securityGroup,
      logEncryptionKey: props.encryptionKey,
      logRetention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      environment: { OUTPOST_ROTATION: Stack.of(this).toJsonString({ topicArn: props.alarmTopic.topicArn, providers }) },
      synchronousOnly: false,
      timeout: Duration.minutes(1),
    });
    fn.role.addToPolicy(this.secretAccess);
    fn.role.addToPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [props.alarmTopic.topicArn] }));
    // The provider secrets and, where it is the platform key, the topic: through those services only.
    const topicOnPlatformKey = props.alarmTopic.masterKey === props.encryptionKey;
    const viaServices = [`secretsmanager.${Aws.REGION}.amazonaws.com`, ...(topicOnPlatformKey ? [`sns.${Aws.REGION}.amazonaws.com`] : [])];
    fn.role.addToPolicy(new iam.PolicyStatement({
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [props.encryptionKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': viaServices } },
    }));
    if (props.alarmTopic.masterKey && !topicOnPlatformKey) {
      fn.role.addToPolicy(new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [props.alarmTopic.masterKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sns.${Aws.REGION}.amazonaws.com` } },
      }));
    }
    for (const rotation of Object.values(rotations)) {
      rotation._grant(fn.role);
    }
    this.platformFunction = fn;
    return fn;
  }
}

import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Agent, ModelProvider, OutpostPlatform, ProviderKeyRotation } from '../src';
import { logicalIdOf, permissionsOfFunction, synthPlatform } from './support/platform-stack';

const ADMIN_KEY_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:openai-admin-AbCdEf';

describe('provider key rotation, by default', () => {
  const { template, platform } = synthPlatform();
  const functionId = logicalIdOf(template, 'AWS::Lambda::Function', 'KeyRotationFunction');
  const secretIds = ['anthropic', 'openai', 'google', 'xai'].map((provider) => logicalIdOf(template, 'AWS::SecretsManager::Secret', `Secrets${provider}`));

  test('every provider secret rotates every 90 days with the rotation function, first after 90 days', () => {
    for (const secretId of secretIds) {
      template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
        SecretId: { Ref: secretId },
        RotationLambdaARN: { 'Fn::GetAtt': [functionId, 'Arn'] },
        RotationRules: { ScheduleExpression: 'rate(90 days)' },
        RotateImmediatelyOnUpdate: false,
      });
    }
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 4);
    expect(platform.keyRotation.automaticallyAfter.toDays()).toBe(90);
  });

  test('each secret carries its provider, which the function reads', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', { Tags: Match.arrayWith([{ Key: 'outpost:provider', Value: 'xai' }]) });
  });

  test('Secrets Manager may invoke the function for each provider secret only, from this account only', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'secretsmanager.amazonaws.com' } }));
    expect(permissions.map((permission) => permission.Properties)).toEqual(secretIds.map((secretId) => ({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
      Principal: 'secretsmanager.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: { Ref: secretId },
    })));
  });

  test('the function may rotate the provider secrets, use the platform key through Secrets Manager and SNS, and publish to the topic: nothing else', () => {
    expect(permissionsOfFunction(template, 'KeyRotationFunction')).toEqual([
      'logs:CreateLogStream,logs:PutLogEvents on OutpostKeyRotationFunctionLogs.Arn',
      'sqs:SendMessage on OutpostKeyRotationFunctionDeadLetters.Arn',
      'secretsmanager:DescribeSecret,secretsmanager:GetSecretValue,secretsmanager:PutSecretValue,secretsmanager:UpdateSecretVersionStage'
        + ' on OutpostAgentsSecretsanthropic | OutpostAgentsSecretsopenai | OutpostAgentsSecretsgoogle | OutpostAgentsSecretsxai',
      'sns:Publish on OutpostAlarms',
      'kms:Decrypt,kms:GenerateDataKey on OutpostKey.Arn if StringEquals kms:ViaService=secretsmanager.<AWS::Region>.amazonaws.com | sns.<AWS::Region>.amazonaws.com',
      'managed policy OutpostKeyRotationFunctionNetworkInterfaces',
    ]);
  });

  test('a failed rotation step of any provider alarms on the platform topic', () => {
    for (const provider of ['anthropic', 'openai', 'google', 'xai']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'Outpost',
        MetricName: 'RotationFailures',
        Dimensions: [{ Name: 'provider', Value: provider }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: logicalIdOf(template, 'AWS::SNS::Topic', 'OutpostAlarms') }],
      });
    }
    expect(platform.keyRotation.alarms).toHaveLength(4);
    const metric = platform.keyRotation.metricRotationFailures(ModelProvider.GOOGLE);
    expect([metric.namespace, metric.metricName, metric.dimensions]).toEqual(['Outpost', 'RotationFailures', { provider: 'google' }]);
  });

  test('the function knows the topic and that every provider rotates manually', () => {
    const environment = template.findResources('AWS::Lambda::Function')[functionId].Properties.Environment.Variables;
    const config = JSON.stringify(environment.OUTPOST_ROTATION);
    for (const provider of ['anthropic', 'openai', 'google', 'xai']) {
      expect(config).toContain(`\\"${provider}\\":{\\"mode\\":\\"manual\\"}`);
    }
    expect(config).toContain('OutpostAlarms');
  });
});

describe('provider key rotation options', () => {
  test('a custom schedule', () => {
    const { template } = synthPlatform({ providerKeyRotation: { automaticallyAfter: Duration.days(30) } });
    template.allResourcesProperties('AWS::SecretsManager::RotationSchedule', { RotationRules: { ScheduleExpression: 'rate(30 days)' } });
  });

  test('OpenAI keys from service accounts: the function reads the admin key secret too', () => {
    const stack = new Stack(new App(), 'Test');
    const adminKey = secretsmanager.Secret.fromSecretCompleteArn(stack, 'AdminKey', ADMIN_KEY_ARN);
    new OutpostPlatform(stack, 'Outpost', { providerKeyRotation: { openai: ProviderKeyRotation.openAiServiceAccount({ adminKey, projectId: 'proj_abc123' }) } });
    const template = Template.fromStack(stack);
    expect(permissionsOfFunction(template, 'KeyRotationFunction')).toContain(`secretsmanager:GetSecretValue on ${ADMIN_KEY_ARN}`);
    const functionId = logicalIdOf(template, 'AWS::Lambda::Function', 'KeyRotationFunction');
    const config = JSON.stringify(template.findResources('AWS::Lambda::Function')[functionId].Properties.Environment.Variables.OUTPOST_ROTATION);
    expect(config).toContain('\\"openai\\":{\\"mode\\":\\"openai-service-account\\",\\"openAi\\":{\\"adminKeySecret\\":\\"' + ADMIN_KEY_ARN);
    expect(config).toContain('\\"projectId\\":\\"proj_abc123\\",\\"adminUrl\\":\\"https://api.openai.com\\"}');
  });

  test('invalid options fail synthesis saying what to change', () => {
    const stack = () => new Stack(new App(), 'Test');
    const openAi = (s: Stack, projectId: string) => ProviderKeyRotation.openAiServiceAccount({ adminKey: secretsmanager.Secret.fromSecretCompleteArn(s, 'Admin', ADMIN_KEY_ARN), projectId });
    const s1 = stack();
    expect(() => new OutpostPlatform(s1, 'Outpost', { providerKeyRotation: { anthropic: openAi(s1, 'proj_1') } }))
      .toThrow('ProviderKeyRotationOptions: `anthropic` is ProviderKeyRotation.openAiServiceAccount(), which creates OpenAI keys only. Give it as `openai`');
    expect(() => openAi(stack(), 'project-1')).toThrow('ProviderKeyRotation.openAiServiceAccount: `projectId` must be an OpenAI project id, got "project-1"');
    expect(() => new OutpostPlatform(stack(), 'Outpost', { providerKeyRotation: { automaticallyAfter: Duration.hours(1) } }))
      .toThrow('ProviderKeyRotationOptions: `automaticallyAfter` must be from 4 hours to 1000 days, got 1 hour');
  });

  test('an agent\'s own secret is not rotated; with no platform secret there is no rotation function', () => {
    const stack = new Stack(new App(), 'Test');
    const own = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Own', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:own-AbCdEf');
    const platform = new OutpostPlatform(stack, 'Outpost', { agents: [Agent.claude({ apiKeySecret: own }), Agent.codex({ apiKeySecret: own })] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    expect(platform.keyRotation.rotationFunction).toBeUndefined();
    expect(Object.keys(template.findResources('AWS::Lambda::Function')).filter((id) => id.includes('KeyRotation'))).toEqual([]);
  });
});

import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Agent, AgentKind, FargateArchitecture, FargateCapacity, LedgerPricing, OutpostPlatform, OutpostPlatformProps } from '../src';
import { logicalIdOf, permissionsOfFunction, renderValue, statementsOf, synthPlatform } from './support/platform-stack';
import { loadLedgerConfig } from '../runtime/core/ledger/config';

const FINANCE_BUS = 'arn:aws:events:eu-west-1:111122223333:event-bus/costs';

function synthWithForwarding(props: OutpostPlatformProps = {}): Template {
  const stack = new Stack(new App(), 'Forwarding');
  const forwardTo = events.EventBus.fromEventBusArn(stack, 'Finance', FINANCE_BUS);
  new OutpostPlatform(stack, 'Outpost', { ...props, ledger: { ...props.ledger, forwardTo } });
  return Template.fromStack(stack);
}

const ledgerEnvironment = (template: Template) => {
  const fn = logicalIdOf(template, 'AWS::Lambda::Function', 'OutpostLedgerFunction');
  return template.findResources('AWS::Lambda::Function')[fn].Properties.Environment.Variables.OUTPOST_LEDGER;
};

describe('LedgerBridge', () => {
  const { template, platform } = synthPlatform({
    agents: [Agent.claude(), Agent.codex()],
    ledger: { dailySpendAlarmUsd: 50, agentSpendAlarms: [{ agent: AgentKind.CLAUDE, dailyUsd: 200 }] },
  });

  test('prices dispatches that reached a final state, from the platform bus, with a dead-letter queue', () => {
    const bus = logicalIdOf(template, 'AWS::Events::EventBus', 'OutpostEvents');
    const ledger = logicalIdOf(template, 'AWS::Lambda::Function', 'OutpostLedgerFunction');
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: bus },
      EventPattern: { 'source': ['outpost.dispatch'], 'detail-type': ['Dispatch State Change'], 'detail': { to: ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT'] } },
      Targets: [{ Arn: { 'Fn::GetAtt': [ledger, 'Arn'] }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'OutpostLedgerDeadLetters'), 'Arn'] } }, RetryPolicy: { MaximumRetryAttempts: 8 } }],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: ledger }, MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 });
  });

  test('the ledger function: the dispatch it prices, the totals, the bus; nothing more', () => {
    expect(permissionsOfFunction(template, 'OutpostLedgerFunction').filter((line) => !line.includes('logs:') && !line.startsWith('managed policy')).sort()).toEqual([
      'dynamodb:GetItem,dynamodb:UpdateItem on OutpostStorageTablesDispatches.Arn',
      'dynamodb:PutItem,dynamodb:UpdateItem on OutpostLedgerTable.Arn',
      'events:PutEvents on OutpostEvents.Arn',
      'sqs:SendMessage on OutpostLedgerDeadLetters.Arn',
    ]);
    expect(permissionsOfFunction(template, 'LedgerReadFunction').filter((line) => !line.includes('logs:') && !line.startsWith('managed policy'))).toEqual([
      'dynamodb:Query on OutpostLedgerTable.Arn',
    ]);
  });

  test('the ledger table: keys, on-demand, point-in-time recovery, retained', () => {
    const table = logicalIdOf(template, 'AWS::DynamoDB::GlobalTable', 'LedgerTable');
    const resource = template.findResources('AWS::DynamoDB::GlobalTable')[table];
    expect(resource.Properties.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }]);
    expect(resource.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(resource.Properties.Replicas[0].PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(platform.ledger.table).toBeDefined();
  });

  test('GET /ledger and GET /admin/ledger are the read function\'s', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((route) => route.Properties.RouteKey);
    expect(routes).toEqual(expect.arrayContaining(['GET /ledger', 'GET /admin/ledger']));
    const read = logicalIdOf(template, 'AWS::Lambda::Function', 'LedgerReadFunction');
    const integrations = Object.values(template.findResources('AWS::ApiGatewayV2::Integration')).filter((integration) => JSON.stringify(integration.Properties.IntegrationUri).includes(read));
    expect(integrations).toHaveLength(2);
  });

  test('a daily spend alarm per agent on the sum of DispatchCostUsd, to the alarm topic; the per-agent threshold wins', () => {
    const topic = logicalIdOf(template, 'AWS::SNS::Topic', 'Alarms');
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties)
      .filter((alarm) => alarm.MetricName === 'DispatchCostUsd');
    expect(alarms.map((alarm) => [alarm.Dimensions, alarm.Threshold])).toEqual([
      [[{ Name: 'agent', Value: 'claude' }], 200],
      [[{ Name: 'agent', Value: 'codex' }], 50],
    ]);
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({
        Namespace: 'Outpost',
        Statistic: 'Sum',
        Period: 86400,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: topic }],
      });
    }
    expect(platform.ledger.spendAlarms).toHaveLength(2);
  });

  test('metricDailySpend is what the dashboard sums per day and agent', () => {
    const metric = platform.ledger.metricDailySpend(AgentKind.GEMINI);
    expect([metric.namespace, metric.metricName, metric.dimensions, metric.statistic, metric.period.toSeconds()]).toEqual(['Outpost', 'DispatchCostUsd', { agent: 'gemini' }, 'Sum', 86400]);
  });

  test('no alarm without a threshold, and no forwarding rule without a bus', () => {
    const plain = synthPlatform().template;
    expect(Object.values(plain.findResources('AWS::CloudWatch::Alarm')).filter((alarm) => alarm.Properties.MetricName === 'DispatchCostUsd')).toEqual([]);
    expect(Object.values(plain.findResources('AWS::Events::Rule')).filter((rule) => JSON.stringify(rule.Properties.EventPattern ?? {}).includes('outpost.ledger'))).toEqual([]);
  });

  test('the list prices by default: the configuration carries the agents\' sizes and no overrides', () => {
    const config = JSON.parse(renderValue(ledgerEnvironment(template)).replace(/OutpostLedgerTable\.?[A-Za-z]*/, 'TABLE'));
    expect(config).toEqual({ table: 'TABLE', agents: { claude: { cpu: 1024, memoryMiB: 4096, ephemeralStorageGiB: 40 }, codex: { cpu: 1024, memoryMiB: 4096, ephemeralStorageGiB: 40 } } });
  });

  test('grantReadTotals: GetItem and Query on the table', () => {
    const stack = new Stack(new App(), 'Grant');
    const outpost = new OutpostPlatform(stack, 'Outpost');
    const role = new iam.Role(stack, 'Finance', { assumedBy: new iam.AccountRootPrincipal() });
    outpost.ledger.grantReadTotals(role);
    const tpl = Template.fromStack(stack);
    expect(statementsOf(tpl, logicalIdOf(tpl, 'AWS::IAM::Role', 'Finance')).map((statement) => `${[statement.Action].flat().join(',')} on ${renderValue(statement.Resource)}`))
      .toEqual(['dynamodb:GetItem,dynamodb:Query on OutpostLedgerTable.Arn']);
  });
});

describe('forwarding', () => {
  test('DispatchCost events go to the other bus, with a role that may put events there alone', () => {
    const template = synthWithForwarding();
    const rules = Object.values(template.findResources('AWS::Events::Rule')).map((rule) => rule.Properties)
      .filter((rule) => JSON.stringify(rule.EventPattern ?? {}).includes('outpost.ledger'));
    expect(rules).toHaveLength(1);
    const role = logicalIdOf(template, 'AWS::IAM::Role', 'LedgerForwardRole');
    expect(rules[0]).toMatchObject({
      EventPattern: { 'source': ['outpost.ledger'], 'detail-type': ['DispatchCost'] },
      Targets: [{ Arn: FINANCE_BUS, RoleArn: { 'Fn::GetAtt': [role, 'Arn'] } }],
    });
    expect(template.findResources('AWS::IAM::Role')[role].Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' } },
    ]);
    expect(statementsOf(template, role).map((statement) => `${statement.Action} on ${renderValue(statement.Resource)}`)).toEqual([`events:PutEvents on ${FINANCE_BUS}`]);
  });
});

describe('pricing overrides', () => {
  test('reach the ledger\'s configuration, in the table\'s units', () => {
    const pricing = LedgerPricing.withOverrides({
      label: 'acme-edp',
      compute: [{ region: 'eu-west-1', architecture: FargateArchitecture.ARM64, capacity: FargateCapacity.SPOT, vcpuHourUsd: 0.01, gbHourUsd: 0.001 }],
      storage: [{ region: 'eu-west-1', ephemeralGbHourUsd: 0.0001, efsGbMonthUsd: 0.3 }],
      models: [
        { model: 'claude-sonnet-4-5', inputPerMillionUsd: 2.7, outputPerMillionUsd: 13.5, cachedInputPerMillionUsd: 0.27, cacheWritePerMillionUsd: 3.375 },
        { model: 'gemini-2.5-pro', inputPerMillionUsd: 1, outputPerMillionUsd: 8, cachedInputPerMillionUsd: 0.1 },
      ],
    });
    const { template } = synthPlatform({ agents: [Agent.claude()], ledger: { pricing } });
    const config = JSON.parse(renderValue(ledgerEnvironment(template)).replace(/OutpostLedgerTable\.?[A-Za-z]*/, 'TABLE'));
    expect(config.pricing).toEqual({
      label: 'acme-edp',
      compute: [{ region: 'eu-west-1', architecture: 'arm64', capacity: 'spot', vcpuHour: 0.01, gbHour: 0.001 }],
      storage: [{ region: 'eu-west-1', ephemeralGbHour: 0.0001, efsGbMonth: 0.3 }],
      models: [
        { model: 'claude-sonnet-4-5', input: 2.7, output: 13.5, cachedInput: 0.27, cacheWrite: 3.375 },
        { model: 'gemini-2.5-pro', input: 1, output: 8, cachedInput: 0.1 },
      ],
    });
    // The ledger reads what the construct wrote, cache-write price included.
    expect(loadLedgerConfig(JSON.stringify({ ...config, table: 'TABLE' })).pricing?.models).toEqual(config.pricing.models);
  });

  test.each([
    [() => LedgerPricing.withOverrides({ label: 'Acme EDP' }), /LedgerPricing: `label` must be lower-case letters/],
    [() => LedgerPricing.withOverrides({ label: 'x', models: [{ model: 'm', inputPerMillionUsd: -1, outputPerMillionUsd: 1, cachedInputPerMillionUsd: 0 }] }), /`model m inputPerMillionUsd` must be a price in USD, zero or more, got -1/],
    [() => LedgerPricing.withOverrides({ label: 'x', models: [{ model: 'm', inputPerMillionUsd: 1, outputPerMillionUsd: 1, cachedInputPerMillionUsd: 0, cacheWritePerMillionUsd: Number.NaN }] }), /`model m cacheWritePerMillionUsd` must be a price in USD, zero or more, got NaN/],
    [() => LedgerPricing.withOverrides({ label: 'x', storage: [{ region: 'Ireland', ephemeralGbHourUsd: 0, efsGbMonthUsd: 0 }] }), /`region` must be an AWS Region/],
    [() => synthPlatform({ ledger: { dailySpendAlarmUsd: 0 } }), /LedgerBridge: `dailySpendAlarmUsd` must be more than 0 USD, got 0/],
    [() => synthPlatform({ agents: [Agent.claude()], ledger: { agentSpendAlarms: [{ agent: AgentKind.GROK, dailyUsd: 5 }] } }), /LedgerBridge: `agentSpendAlarms` names grok, which is not one of the platform's agents \(claude\)/],
  ])('invalid input fails at synth with what to change (%#)', (make, message) => {
    expect(make).toThrow(message);
  });
});

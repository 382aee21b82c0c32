import { App, CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { Agent, AgentKind, DispatchMetric, FargateArchitecture, OutpostPlatform, PlatformMonitoring } from '../src';
import { standaloneFunctionDefaults } from './support/function-defaults';
import { renderValue, synthPlatform } from './support/platform-stack';
import { PlatformFunction } from '../src/core/platform-function';

/** A resource's logical id as `renderValue` shows references to it (without the hash). */
const shortId = (logicalId: string) => logicalId.replace(/[0-9A-F]{8}$/, '');

interface DrawnMetric {
  /** `namespace/name` */
  readonly id: string;
  readonly dimensions: Record<string, string>;
  readonly stat?: string;
  readonly period?: number;
}

/** Every metric a dashboard widget draws, every expression, and the widgets' titles. */
function dashboardMetrics(template: Template): { metrics: DrawnMetric[]; expressions: string[]; titles: string[] } {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  // The body is a Fn::Join of JSON and references: rendered as text, the references become names.
  const body = JSON.parse(renderValue(dashboard.Properties.DashboardBody));
  const metrics: DrawnMetric[] = [];
  const expressions: string[] = [];
  for (const widget of body.widgets) {
    for (const line of widget.properties.metrics ?? []) {
      const options = typeof line[line.length - 1] === 'object' ? line[line.length - 1] : {};
      if (options.expression) {
        expressions.push(options.expression);
        continue;
      }
      const [namespace, name, ...rest] = line.filter((part: unknown) => typeof part === 'string');
      const dimensions: Record<string, string> = {};
      for (let i = 0; i < rest.length; i += 2) {
        dimensions[rest[i]] = rest[i + 1];
      }
      metrics.push({ id: `${namespace}/${name}`, dimensions, stat: options.stat, period: options.period });
    }
  }
  return { metrics, expressions, titles: body.widgets.map((widget: any) => widget.properties.title) };
}

describe('PlatformMonitoring in the default platform', () => {
  const { template, platform } = synthPlatform();
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);
  const topic = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
  // The platform's own functions, as PlatformFunction makes them (aws-cdk-lib's deployment-time providers are x86).
  const functions = Object.keys(template.findResources('AWS::Lambda::Function', {
    Properties: { Handler: 'index.handler', Runtime: 'nodejs24.x', Architectures: ['arm64'] },
  }));
  const queues = Object.keys(template.findResources('AWS::SQS::Queue'));
  const { metrics, expressions, titles } = dashboardMetrics(template);
  const agents = Object.values(AgentKind);

  test('every alarm notifies the platform\'s alarm topic, and only it', () => {
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topic }]);
    }
    expect(platform.monitoring.alarms.length + platform.keyRotation.alarms.length).toBe(alarms.length);
  });

  test('the dashboard\'s alarm panel shows every alarm of the platform, the key rotation\'s too', () => {
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    const rotationAlarm = Object.keys(template.findResources('AWS::CloudWatch::Alarm')).find((id) => id.includes('KeyRotation'));
    expect(rotationAlarm).toBeDefined();
    expect(body).toContain(`"${rotationAlarm}","Arn"`);
    for (const id of Object.keys(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(body.split(`"${id}","Arn"`)).toHaveLength(2);
    }
  });

  test('every platform function has an error alarm: the scaler a failure alarm over five minutes, the others one on any error', () => {
    // Eleven today; a function added later is held to the same rule.
    expect(functions.length).toBeGreaterThanOrEqual(11);
    const scaler = functions.find((id) => id.includes('PoolsScaler'))!;
    for (const fn of functions) {
      const onErrors = alarms.filter((alarm) => alarm.MetricName === 'Errors' && alarm.Dimensions?.[0]?.Value?.Ref === fn);
      expect({ fn, alarms: onErrors.length }).toEqual({ fn, alarms: 1 });
      expect(onErrors[0]).toMatchObject(fn === scaler
        ? { Namespace: 'AWS/Lambda', Statistic: 'Sum', Period: 60, Threshold: 1, EvaluationPeriods: 5, DatapointsToAlarm: 3, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }
        : { Namespace: 'AWS/Lambda', Statistic: 'Sum', Period: 300, Threshold: 1, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
    }
  });

  test('every dead-letter queue has an alarm on a message waiting in it', () => {
    expect(queues.length).toBeGreaterThanOrEqual(5);
    for (const queue of queues) {
      const onQueue = alarms.filter((alarm) => alarm.Dimensions?.[0]?.Value?.['Fn::GetAtt']?.[0] === queue);
      expect({ queue, alarms: onQueue }).toEqual({
        queue,
        alarms: [expect.objectContaining({
          Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Statistic: 'Maximum', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold',
        })],
      });
    }
  });

  test('the API alarm: more than 5% of requests answered 5xx in two of three five-minute periods', () => {
    const api = Object.keys(template.findResources('AWS::ApiGatewayV2::Api'))[0];
    expect(alarms.filter((alarm) => alarm.Namespace === 'AWS/ApiGateway')).toEqual([expect.objectContaining({
      MetricName: '5xx',
      Statistic: 'Average',
      Period: 300,
      Threshold: 0.05,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: api } }],
    })]);
  });

  test('the stuck-dispatch alarm sums the sweeper\'s StuckDispatches over every agent', () => {
    const [stuck] = alarms.filter((alarm) => alarm.Metrics);
    const [expression, ...series] = stuck.Metrics;
    expect(expression.Expression).toBe(agents.map((_agent, i) => `FILL(m${i}, 0)`).join(' + '));
    expect(series.map((metric: any) => metric.MetricStat.Metric)).toEqual(agents.map((agent) => ({
      Namespace: 'Outpost', MetricName: 'StuckDispatches', Dimensions: [{ Name: 'agent', Value: agent }],
    })));
    expect(stuck).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1 });
  });

  test('the dashboard shows the alarms and every panel the issue asks for', () => {
    expect(titles).toEqual(expect.arrayContaining([
      'Alarms', 'Dispatches by state (moves into it, 5 min)', 'Warm vs cold starts', 'Wait to RUNNING (s), p50 and p95',
      'API requests, 4xx and 5xx', 'API latency (ms)', 'Handler errors', 'Handler throttles', 'Dead letters (messages waiting)', 'Cost per day (USD)',
    ]));
  });

  test('dashboard: dispatches by state, warm and cold starts, wait p50 and p95, stuck dispatches and cost per day, for every agent', () => {
    for (const state of ['STARTING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT']) {
      expect(expressions).toContain(`SUM(SEARCH('{Outpost,agent,state} MetricName="DispatchTransitions" state="${state}"', 'Sum', 300))`);
    }
    for (const agent of agents) {
      const of = (name: string) => metrics.filter((metric) => metric.id === `Outpost/${name}` && metric.dimensions.agent === agent);
      expect(of(DispatchMetric.WARM_STARTS)).toHaveLength(1);
      expect(of(DispatchMetric.COLD_STARTS)).toHaveLength(1);
      expect(of(DispatchMetric.WAIT_SECONDS).map((metric) => metric.stat)).toEqual(['p50', 'p95']);
      expect(of(DispatchMetric.STUCK_DISPATCHES)).toHaveLength(1);
      expect(of(DispatchMetric.DISPATCH_COST_USD)).toEqual([expect.objectContaining({ period: 86400 })]);
      expect(of('IdleWorkers').concat(of('StartingWorkers'), of('BusyWorkers'))).toHaveLength(3);
    }
  });

  test('dashboard: API 4xx, 5xx and latency; every function\'s errors and throttles; every dead-letter queue', () => {
    const ids = metrics.map((metric) => metric.id);
    expect(ids).toEqual(expect.arrayContaining(['AWS/ApiGateway/Count', 'AWS/ApiGateway/4xx', 'AWS/ApiGateway/5xx', 'AWS/ApiGateway/Latency']));
    for (const fn of functions) {
      for (const name of ['Errors', 'Throttles']) {
        expect({ fn, name, drawn: metrics.some((metric) => metric.id === `AWS/Lambda/${name}` && metric.dimensions.FunctionName === shortId(fn)) }).toEqual({ fn, name, drawn: true });
      }
    }
    for (const queue of queues) {
      expect({ queue, drawn: metrics.some((metric) => metric.id === 'AWS/SQS/ApproximateNumberOfMessagesVisible' && metric.dimensions.QueueName === `${shortId(queue)}.QueueName`) })
        .toEqual({ queue, drawn: true });
    }
  });

  test('a platform function created after the monitoring is watched all the same: its error and dead-letter alarms, its panels', () => {
    const stack = new Stack(new App(), 'Late');
    const late = new OutpostPlatform(stack, 'Outpost', { agents: [Agent.claude()] });
    new PlatformFunction(late, 'Latecomer', { ...late.lifecycle._functionDefaults, handler: 'sweeper', description: 'late', synchronousOnly: false });
    const lateTemplate = Template.fromStack(stack);
    const descriptions = Object.values(lateTemplate.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties.AlarmDescription as string);
    expect(descriptions.filter((text) => text.startsWith('Outpost: the Latecomer handler failed'))).toHaveLength(1);
    expect(descriptions.filter((text) => text.includes('events the Latecomer handler failed on'))).toHaveLength(1);
    expect(dashboardMetrics(lateTemplate).metrics.filter((metric) => metric.dimensions.FunctionName?.startsWith('OutpostLatecomer'))
      .map((metric) => metric.id).sort()).toEqual(['AWS/Lambda/Errors', 'AWS/Lambda/Throttles']);
  });
});

describe('PlatformMonitoring: the pools\' cold starts on the dashboard', () => {
  test('p50 and p90 an hour per agent, and per agent and capacity provider: Fargate, and Fargate Spot for a pool with a Spot share', () => {
    const spotPool = Agent.codex({ cpuArchitecture: FargateArchitecture.X86_64, warmPool: { spotShare: 0.5 } });
    const { template } = synthPlatform({ agents: [Agent.claude(), spotPool] });
    const { metrics, titles } = dashboardMetrics(template);
    expect(titles).toEqual(expect.arrayContaining(['Pool cold start (s) per agent, p50 and p90', 'Pool cold start (s) per capacity provider, p50 and p90']));
    const drawn = metrics.filter((metric) => metric.id === 'Outpost/ColdStartSeconds')
      .map((metric) => [metric.dimensions.agent, metric.dimensions.capacityProvider ?? 'any', metric.stat, metric.period]);
    expect(drawn).toEqual([
      ['claude', 'any', 'p50', 3600], ['claude', 'any', 'p90', 3600],
      ['codex', 'any', 'p50', 3600], ['codex', 'any', 'p90', 3600],
      ['claude', 'FARGATE', 'p50', 3600], ['claude', 'FARGATE', 'p90', 3600],
      ['codex', 'FARGATE', 'p50', 3600], ['codex', 'FARGATE', 'p90', 3600],
      ['codex', 'FARGATE_SPOT', 'p50', 3600], ['codex', 'FARGATE_SPOT', 'p90', 3600],
    ]);
  });

  test('no cold-start panels without warm pools', () => {
    const stack = new Stack(new App(), 'NoPools');
    new PlatformMonitoring(stack, 'Monitoring', { alarmTopic: new sns.Topic(stack, 'Alarms'), api: new apigw.HttpApi(stack, 'Api'), agents: [AgentKind.CLAUDE] });
    expect(dashboardMetrics(Template.fromStack(stack)).titles.filter((title: string) => title.includes('cold start (s)'))).toEqual([]);
  });
});

describe('PlatformMonitoring metricXxx()', () => {
  test('one method per dispatch metric, each the metric the generic metric() names, by agent', () => {
    const { platform } = synthPlatform({ agents: [Agent.claude()] });
    const monitoring = platform.monitoring;
    const agent = AgentKind.CLAUDE;
    const pairs: Array<[DispatchMetric, ReturnType<PlatformMonitoring['metric']>]> = [
      [DispatchMetric.WARM_STARTS, monitoring.metricWarmStarts(agent)],
      [DispatchMetric.COLD_STARTS, monitoring.metricColdStarts(agent)],
      [DispatchMetric.WAIT_SECONDS, monitoring.metricWaitSeconds(agent)],
      [DispatchMetric.STUCK_DISPATCHES, monitoring.metricStuckDispatches(agent)],
      [DispatchMetric.DISPATCH_COST_USD, monitoring.metricDispatchCostUsd(agent)],
    ];
    expect(pairs.map(([name]) => name).concat(DispatchMetric.TRANSITIONS).sort()).toEqual(Object.values(DispatchMetric).sort());
    for (const [name, metric] of pairs) {
      expect(metric).toEqual(monitoring.metric(name, agent));
    }
    expect(monitoring.metricDispatchTransitions(agent, 'FAILED')).toMatchObject({ namespace: 'Outpost', metricName: 'DispatchTransitions', dimensions: { agent: 'claude', state: 'FAILED' } });
  });
});

describe('PlatformMonitoring created first', () => {
  // The monitoring, then the functions and an alarm of another part: construction order must not matter.
  const stack = new Stack(new App(), 'First');
  const scope = new Construct(stack, 'Platform');
  const monitoring = new PlatformMonitoring(scope, 'Monitoring', {
    alarmTopic: new sns.Topic(scope, 'Alarms'),
    api: new apigw.HttpApi(scope, 'Api'),
    agents: [AgentKind.CLAUDE],
  });
  const defaults = standaloneFunctionDefaults(scope);
  new PlatformFunction(scope, 'Health', { ...defaults, handler: 'fleet-health', description: 'sync', synchronousOnly: true });
  new PlatformFunction(scope, 'Sweep', { ...defaults, handler: 'sweeper', description: 'async', synchronousOnly: false });
  const laterAlarm = new cloudwatch.Alarm(scope, 'OtherPart', { metric: new cloudwatch.Metric({ namespace: 'Else', metricName: 'M' }), threshold: 1, evaluationPeriods: 1 });
  const template = Template.fromStack(stack);
  const alarmIds = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));

  test('every function created after it gets its error alarm, and the asynchronous one its dead-letter alarm', () => {
    const descriptions = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties.AlarmDescription);
    expect(descriptions.filter((text) => /^Outpost: the (Health|Sweep) handler failed/.test(text)).sort()).toEqual([
      expect.stringContaining('the Health handler failed'), expect.stringContaining('the Sweep handler failed'),
    ]);
    expect(descriptions.filter((text) => /events the \w+ handler failed on/.test(text))).toEqual([expect.stringContaining('events the Sweep handler failed on')]);
    expect(monitoring.handlerErrorAlarms).toHaveLength(2);
    expect(monitoring.deadLetterAlarms).toHaveLength(1);
    // API 5xx, two handlers, one queue, stuck dispatches; no scaler without warm pools.
    expect(monitoring.alarms).toHaveLength(5);
    expect(monitoring.scalerFailureAlarm).toBeUndefined();
  });

  test('the dashboard charts those functions and shows every alarm of the scope, one made after it too', () => {
    const { metrics } = dashboardMetrics(template);
    for (const fn of ['PlatformHealth', 'PlatformSweep']) {
      expect(metrics.filter((metric) => metric.dimensions.FunctionName?.startsWith(fn)).map((metric) => metric.id).sort()).toEqual(['AWS/Lambda/Errors', 'AWS/Lambda/Throttles']);
    }
    expect(metrics.filter((metric) => metric.id === 'AWS/SQS/ApproximateNumberOfMessagesVisible')).toHaveLength(1);
    const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(alarmIds).toContain(stack.getLogicalId(laterAlarm.node.defaultChild as CfnElement));
    for (const id of alarmIds) {
      expect({ id, shown: body.split(`"${id}","Arn"`).length === 2 }).toEqual({ id, shown: true });
    }
  });
});

describe('monitoring options', () => {
  test('thresholds, period and the dashboard name apply', () => {
    const { template } = synthPlatform({
      agents: [Agent.claude()],
      monitoring: { apiServerErrorRate: 0.1, handlerErrors: 3, scalerFailedRuns: 2, stuckDispatches: 4, alarmPeriod: Duration.minutes(10), dashboardName: 'outpost-prod' },
    });
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'outpost-prod' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: '5xx', Threshold: 0.1, Period: 600 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Threshold: 3, Period: 600 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Period: 60, DatapointsToAlarm: 2 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 4, Metrics: [{ Expression: 'FILL(m0, 0)' }, { MetricStat: { Period: 600 } }] });
  });

  test.each([
    [{ apiServerErrorRate: 5 }, /PlatformMonitoring: `apiServerErrorRate` must be a share above 0 and at most 1, got 5/],
    [{ scalerFailedRuns: 6 }, /PlatformMonitoring: `scalerFailedRuns` must be a whole number from 1 to 5, got 6/],
    [{ handlerErrors: 0 }, /PlatformMonitoring: `handlerErrors` must be a whole number from 1 to 1000, got 0/],
    [{ alarmPeriod: Duration.seconds(90) }, /PlatformMonitoring: `alarmPeriod` must be a whole number of minutes/],
  ])('invalid %j fails at synth with what to change', (monitoring, message) => {
    expect(() => new OutpostPlatform(new Stack(new App(), 'Invalid'), 'Outpost', { agents: [Agent.claude()], monitoring })).toThrow(message);
  });
});

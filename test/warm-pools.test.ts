import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Duration } from 'aws-cdk-lib';
import { matchEventFilters } from './support/event-pattern-matcher';
import { logicalIdOf, permissionsOfFunction, synthPlatform } from './support/platform-stack';
import { motoTableForSuite, recordOfEachWrite } from './support/table-stream';
import { POOL_METRICS } from '../runtime/adapters/pool-metrics';
import { streamChange } from '../runtime/adapters/stream-change';
import { DEFAULT_POOL_CONFIG, type PoolConfig } from '../runtime/core/pool/policy/config';
import { loadPools } from '../runtime/core/pool/scaler/pool-settings';
import { poolChange } from '../runtime/core/pool/scaler/pool-stream';
import { Agent, AgentImage, AgentKind, FargateArchitecture, PoolCapacityProvider, PoolMetric, WarmPoolOptions } from '../src';
import { METRICS_NAMESPACE } from '../src/monitoring/metrics-namespace';
import type { PolicyPoolConfig } from '../src/pool/policy-config';

// The constructs' copy of the policy core's configuration type must stay the same as the core's, both ways.
const toCore = (config: PolicyPoolConfig): PoolConfig => config;
const fromCore = (config: PoolConfig): PolicyPoolConfig => config;
void [toCore, fromCore];

const image = AgentImage.fromRegistry('example/codex:1');
const codex = (warmPool?: WarmPoolOptions) => Agent.codex({ image, warmPool });
/** Fargate Spot runs only X86_64 tasks: an agent with a Spot share must be on X86_64 (test/agent-architecture.test.ts). */
const X86_64 = FargateArchitecture.X86_64;

describe('warmPool options: checked at synth by the policy core\'s own rules, each problem naming the prop', () => {
  test.each([
    ['minIdle above maxWorkers', { minIdle: 130 }, 'Agent.codex: `warmPool.minIdle` must be a whole number from 0 to 100, got 130.'],
    ['a negative wait value', { waitValue: -5 }, 'Agent.codex: `warmPool.waitValue` (USD an hour) must be from 0 to 10000, got -5.'],
    ['a pool of no workers', { maxWorkers: 0 }, 'Agent.codex: `warmPool.maxWorkers` must be a whole number from 1 to 1000, got 0.'],
    ['a timeout under a minute', { idleTimeout: Duration.seconds(30) }, 'Agent.codex: `warmPool.idleTimeout` (in seconds) must be from 60 to 86400, got 30.'],
    ['a Spot share over 1', { spotShare: 1.5 }, 'Agent.codex: `warmPool.spotShare` must be from 0 to 1, got 1.5.'],
    ['a warm ratio of 1', { targetWarmRatio: 1 }, 'Agent.codex: `warmPool.targetWarmRatio` must be from 0.5 to 0.999, got 1.'],
    ['a cron of four fields', { schedules: [{ cron: '* 8-17 * *', timeZone: 'Europe/Berlin', minIdle: 2 }] },
      'Agent.codex: `warmPool.schedules[0].cron`: cron "* 8-17 * *" must have 5 fields (minute hour day-of-month month day-of-week), got 4'],
    ['an unknown time zone', { schedules: [{ cron: '* 8-17 * * MON-FRI', timeZone: 'Europe/Atlantis', minIdle: 2 }] },
      'Agent.codex: `warmPool.schedules[0].timeZone` must be an IANA time zone such as Europe/Berlin, got "Europe/Atlantis".'],
    ['a schedule above maxWorkers', { maxWorkers: 3, schedules: [{ cron: '* * * * *', timeZone: 'UTC', minIdle: 4 }] },
      'Agent.codex: `warmPool.schedules[0].minIdle` must be a whole number from 0 to 3, got 4.'],
  ])('%s', (_name, options, message) => {
    expect(() => codex(options)).toThrow(message);
  });

  test('every problem at once, one a line', () => {
    expect(() => Agent.claude({ warmPool: { minIdle: -1, spotShare: 2 } })).toThrow(/^Agent\.claude: `warmPool\.minIdle`.*\nAgent\.claude: `warmPool\.spotShare`/);
  });

  test('a valid pool passes', () => {
    const schedules = [{ cron: '* 8-17 * * MON-FRI', timeZone: 'America/New_York', minIdle: 6 }];
    const warmPool = { minIdle: 2, maxWorkers: 20, idleTimeout: Duration.minutes(30), spotShare: 0.5, schedules };
    expect(() => Agent.codex({ image, cpuArchitecture: X86_64, warmPool })).not.toThrow();
  });
});

describe('WarmPool and the scaler\'s configuration', () => {
  test('the defaults are the policy core\'s, as WarmPoolOptions and the README document them', () => {
    // Documented as @default on WarmPoolOptions and in the README: change those with these.
    const documented = { minIdle: 0, maxWorkers: 100, idleTimeoutSeconds: 900, schedules: [], spotShare: 0, waitValueUsdPerHour: 60 };
    expect(DEFAULT_POOL_CONFIG).toMatchObject(documented);
    expect(DEFAULT_POOL_CONFIG.targetWarmRatio).toBeUndefined();
    const { platform } = synthPlatform({ agents: [codex()] });
    const pool = platform.warmPools.pool(AgentKind.CODEX);
    expect(pool).toMatchObject({ agent: 'codex', enabled: true, minIdle: 0, maxWorkers: 100, schedules: [], spotShare: 0, waitValue: 60 });
    expect(pool.targetWarmRatio).toBeUndefined();
    // 1 vCPU and 4 GB on arm64 at us-east-1's list prices (the stack's Region is not known): 0.03238 + 4 × 0.00356.
    expect(pool.workerHourPrice).toBeCloseTo(0.04662, 6);
    expect(pool.idleTimeout.toMinutes()).toBe(15);
  });

  test('one pool per agent; the scaler reads each, as given, from OUTPOST_POOLS, and a disabled one as disabled', () => {
    const schedule = { cron: '* 8-17 * * MON-FRI', timeZone: 'Europe/Berlin', minIdle: 3 };
    const { platform, template } = synthPlatform({
      agents: [
        Agent.claude({ cpuArchitecture: X86_64, warmPool: { minIdle: 1, idleTimeout: Duration.minutes(5), schedules: [schedule], spotShare: 0.25 } }),
        codex({ enabled: false }),
      ],
    });
    expect(platform.warmPools.pools.map((pool) => pool.agent)).toEqual(['claude', 'codex']);
    expect(() => platform.warmPools.pool(AgentKind.GROK)).toThrow(/the grok agent is not part of this platform/);
    const scaler = template.findResources('AWS::Lambda::Function')[logicalIdOf(template, 'AWS::Lambda::Function', 'PoolsScaler')];
    const pools = loadPools(scaler.Properties.Environment.Variables.OUTPOST_POOLS);
    expect(pools).toEqual({
      // x86_64, a quarter on Spot: 0.75 × (0.04048 + 4 × 0.004445) + 0.25 × (0.012144 + 4 × 0.0013335) an hour.
      claude: {
        enabled: true,
        config: {
          ...DEFAULT_POOL_CONFIG,
          minIdle: 1,
          idleTimeoutSeconds: 300,
          schedules: [schedule],
          spotShare: 0.25,
          workerUsdPerHour: expect.closeTo(0.0480645, 9),
        },
      },
      codex: { enabled: false, config: DEFAULT_POOL_CONFIG },
    });
    expect(scaler.Properties.Timeout).toBe(300);
  });

  test('metrics: the names the scaler publishes, in the Outpost namespace by agent', () => {
    expect(Object.values(PoolMetric).sort()).toEqual(Object.values(POOL_METRICS).sort());
    const { platform } = synthPlatform({ agents: [codex()] });
    const metric = platform.warmPools.pool(AgentKind.CODEX).metric(PoolMetric.WARM_START_RATIO);
    expect(metric).toMatchObject({ namespace: 'Outpost', metricName: 'WarmStartRatio', dimensions: { agent: 'codex' }, statistic: 'Average' });
    expect(metric.period.toMinutes()).toBe(1);
  });

  test('metricXxx(): one method per pool metric, each the metric of that name', () => {
    const { platform } = synthPlatform({ agents: [codex()] });
    const pool = platform.warmPools.pool(AgentKind.CODEX);
    const byMethod = {
      [PoolMetric.IDLE_WORKERS]: pool.metricIdleWorkers(),
      [PoolMetric.STARTING_WORKERS]: pool.metricStartingWorkers(),
      [PoolMetric.BUSY_WORKERS]: pool.metricBusyWorkers(),
      [PoolMetric.QUEUED_DISPATCHES]: pool.metricQueuedDispatches(),
      [PoolMetric.WARM_START_RATIO]: pool.metricWarmStartRatio(),
      [PoolMetric.COLD_START_SECONDS]: pool.metricColdStartSeconds({ statistic: 'p95' }),
    };
    expect(Object.keys(byMethod).sort()).toEqual(Object.values(PoolMetric).sort());
    for (const [name, metric] of Object.entries(byMethod)) {
      expect({ name, metric }).toEqual({ name, metric: expect.objectContaining({ namespace: METRICS_NAMESPACE, metricName: name, dimensions: { agent: 'codex' } }) });
    }
    expect(byMethod[PoolMetric.COLD_START_SECONDS].statistic).toBe('p95');
  });

  test('metricColdStartSeconds by capacity provider: the agent\'s series split by the scaler\'s capacityProvider dimension, the options kept', () => {
    const { platform } = synthPlatform({ agents: [Agent.codex({ image, cpuArchitecture: X86_64, warmPool: { spotShare: 0.5 } })] });
    const pool = platform.warmPools.pool(AgentKind.CODEX);
    for (const provider of [PoolCapacityProvider.FARGATE, PoolCapacityProvider.FARGATE_SPOT]) {
      const metric = pool.metricColdStartSeconds({ capacityProvider: provider, statistic: 'p90', period: Duration.hours(1) });
      expect(metric).toMatchObject({ namespace: METRICS_NAMESPACE, metricName: 'ColdStartSeconds', dimensions: { agent: 'codex', capacityProvider: provider }, statistic: 'p90' });
      expect(metric.period.toHours()).toBe(1);
    }
    expect(Object.values(PoolCapacityProvider)).toEqual(['FARGATE', 'FARGATE_SPOT']);
  });
});

describe('WarmPools: the scaler\'s triggers, the drain and its permissions', () => {
  const { template } = synthPlatform({ agents: [codex({ minIdle: 1 })] });
  const scalerArn = { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::Lambda::Function', 'PoolsScaler'), 'Arn'] };
  const drainId = logicalIdOf(template, 'Custom::OutpostPoolDrain', 'Drain');
  const mappingId = logicalIdOf(template, 'AWS::Lambda::EventSourceMapping', 'PoolChanges');
  const mapping = template.findResources('AWS::Lambda::EventSourceMapping')[mappingId];

  test('every minute, not retried (the next minute reconciles), failures to its dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [{
        Arn: scalerArn,
        RetryPolicy: { MaximumRetryAttempts: 0 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'PoolsScalerDeadLetters'), 'Arn'] } },
      }],
    });
  });

  test('the pool table\'s stream, with both images, from now on, filtered to the changes the scaler acts on', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'taskId', KeyType: 'HASH' }],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    expect(mapping.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::DynamoDB::GlobalTable', 'Pool'), 'StreamArn'] },
      StartingPosition: 'LATEST',
      MaximumRetryAttempts: 3,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'PoolsScalerDeadLetters'), 'Arn'] } } },
    });
    expect(mapping.Properties.FilterCriteria.Filters).toHaveLength(4);
  });

  describe('the filters, judged by moto\'s pattern engine on the records moto\'s pool-table stream gives', () => {
    const tableName = motoTableForSuite('pool');

    test('pass exactly the records the scaler acts on (poolChange), for every state a worker can be created in, move between or be removed from', async () => {
      const table = tableName();
      const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
      const states = ['STARTING', 'IDLE', 'RESERVED', 'BUSY', 'DRAINING'];
      const since = '2026-11-24T14:00:00.000Z';
      const writes: Record<string, () => Promise<unknown>> = {};
      for (const from of states) {
        const taskId = `task-${from}`;
        writes[`INSERT ${from}`] = () => documents.send(new PutCommand({ TableName: table, Item: { taskId, agent: 'codex', state: from, since } }));
        let current = from;
        for (const to of states.filter((state) => state !== from)) {
          const previous = current;
          writes[`MODIFY ${from}: ${previous} → ${to}`] = () => documents.send(new UpdateCommand({
            TableName: table, Key: { taskId }, UpdateExpression: 'SET #state = :to', ExpressionAttributeNames: { '#state': 'state' }, ExpressionAttributeValues: { ':to': to },
          }));
          current = to;
        }
        // Back to where it was created, then removed: every state is removed once.
        writes[`MODIFY ${from}: ${current} → ${from}`] = () => documents.send(new UpdateCommand({
          TableName: table, Key: { taskId }, UpdateExpression: 'SET #state = :to', ExpressionAttributeNames: { '#state': 'state' }, ExpressionAttributeValues: { ':to': from },
        }));
        writes[`REMOVE ${from}`] = () => documents.send(new DeleteCommand({ TableName: table, Key: { taskId } }));
      }
      writes['the scaler\'s own lease'] = () => documents.send(new PutCommand({ TableName: table, Item: { taskId: 'scaler#codex', leaseUntil: 1 } }));
      writes['the scaler\'s lease released'] = () => documents.send(new UpdateCommand({ TableName: table, Key: { taskId: 'scaler#codex' }, UpdateExpression: 'REMOVE leaseUntil' }));

      const records = await recordOfEachWrite(new DynamoDBClient({}), table, writes);
      const labels = Object.keys(records);
      const passed = matchEventFilters(mapping.Properties.FilterCriteria, Object.values(records));
      const acted = labels.filter((label) => poolChange(streamChange(records[label])) !== undefined);
      expect(acted).toEqual(expect.arrayContaining(['INSERT RESERVED', 'REMOVE STARTING', 'REMOVE IDLE']));
      expect(acted.length).toBeGreaterThanOrEqual(6);
      expect(labels.filter((_, index) => passed[index])).toEqual(acted);
    });
  });

  test('the drain runs on the scaler, after the triggers are gone and before the network is', () => {
    const drain = template.findResources('Custom::OutpostPoolDrain')[drainId];
    expect(drain.Properties).toEqual({ ServiceToken: scalerArn });
    expect(drain.DeletionPolicy).toBe('Delete');
    expect(drain.DependsOn).toEqual(expect.arrayContaining([
      logicalIdOf(template, 'AWS::EC2::Route', 'privateSubnet1DefaultRoute'),
      logicalIdOf(template, 'AWS::EC2::VPCEndpoint', 'VpcEcs'),
    ]));
    expect(mapping.DependsOn).toContain(drainId);
    const [ruleId] = Object.entries(template.findResources('AWS::Events::Rule')).find(([, rule]) => rule.Properties.ScheduleExpression === 'rate(1 minute)'
      && rule.Properties.Targets[0].Arn['Fn::GetAtt'][0] === scalerArn['Fn::GetAtt'][0])!;
    expect(template.findResources('AWS::Events::Rule')[ruleId].DependsOn).toContain(drainId);
  });

  test('exactly what the scaler does: pool items and the two indexes, start, stop, describe and list the cluster\'s workers, read the stream', () => {
    const tasks = 'arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task/OutpostCluster/*';
    expect(permissionsOfFunction(template, 'PoolsScaler')).toEqual([
      'logs:CreateLogStream,logs:PutLogEvents on OutpostPoolsScalerLogs.Arn',
      'sqs:SendMessage on OutpostPoolsScalerDeadLetters.Arn',
      'dynamodb:GetItem,dynamodb:PutItem,dynamodb:UpdateItem,dynamodb:DeleteItem on OutpostStorageTablesPool.Arn',
      'dynamodb:Query on OutpostStorageTablesPool.Arn/index/byAgentState | OutpostStorageTablesDispatches.Arn/index/byAgentStatus',
      // Each new worker's token, sealed with the platform key, only as a worker token of this cluster.
      'kms:Encrypt on OutpostKey.Arn if StringEquals kms:EncryptionContext:purpose=outpost-worker-token, kms:EncryptionContext:cluster=OutpostCluster.Arn',
      'ecs:RunTask on OutpostAgentscodexTaskDefinition if ArnEquals ecs:cluster=OutpostCluster.Arn',
      `ecs:TagResource on ${tasks} if StringEquals ecs:CreateAction=RunTask`,
      'iam:PassRole on OutpostAgentscodexTaskRole.Arn',
      'iam:PassRole on OutpostAgentscodexTaskDefinitionExecutionRole.Arn',
      `ecs:StopTask,ecs:DescribeTasks on ${tasks} if ArnEquals ecs:cluster=OutpostCluster.Arn`,
      'ecs:ListTasks on * if ArnEquals ecs:cluster=OutpostCluster.Arn',
      'dynamodb:ListStreams on OutpostStorageTablesPool.StreamArn',
      'dynamodb:DescribeStream,dynamodb:GetRecords,dynamodb:GetShardIterator on OutpostStorageTablesPool.StreamArn',
      'sqs:SendMessage,sqs:GetQueueAttributes,sqs:GetQueueUrl on OutpostPoolsScalerDeadLetters.Arn',
      'managed policy OutpostPoolsScalerNetworkInterfaces',
    ]);
  });
});

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { documentedTaskStateChange, runningTaskEvent, spotTerminationNotice, taskEvent } from './support/ecs-events';
import { matchEventFilters, matchEventPatterns, resolveArns } from './support/event-pattern-matcher';
import { PROVISIONER_MAPPING, STARTER_MAPPING } from './support/moto-platform';
import { logicalIdOf, permissionsOfFunction, renderValue, synthPlatform } from './support/platform-stack';
import { motoTableForSuite, recordOfEachWrite } from './support/table-stream';
import { streamChange } from '../runtime/adapters/stream-change';
import { loadConfig } from '../runtime/core/config';
import { coldStartRequest } from '../runtime/core/dispatch/cold-start-request';
import { WORKER_CREDENTIALS_FUNCTION_VARIABLE } from '../runtime/core/handoff/worker-credentials';
import { STARTING_WORKER_PATIENCE } from '../runtime/core/handoff/worker-patience';
import { isReady, isStopped, parseTaskStateChange } from '../runtime/core/tasks/task-event';
import { Agent, AgentImage } from '../src';
import { WORKER_CREDENTIALS_FUNCTION_VARIABLE as CONSTRUCT_VARIABLE } from '../src/control-plane/worker-credentials';

// One agent keeps the lists short; every agent's task definition, roles and logs are added alike.
const { template, platform, stack } = synthPlatform({ agents: [Agent.codex({ image: AgentImage.fromRegistry('example/codex:1') })] });
const permissions = (fn: string) => permissionsOfFunction(template, `Lifecycle${fn}`);

const OWN_LOGS = (fn: string) => `logs:CreateLogStream,logs:PutLogEvents on OutpostLifecycle${fn}Logs.Arn`;
/** The function's own policy for its network interfaces in the VPC (PlatformFunction). */
const OWN_ENIS = (fn: string) => `managed policy OutpostLifecycle${fn}NetworkInterfaces`;
const WORKSPACE_FAMILIES = 'arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task-definition/TestOutpostLifecycleEB264B04-ws-*';
const RELEASE_WORKSPACES = 'dynamodb:UpdateItem on OutpostStorageTablesWorkspaces.Arn';
const DISPATCH_WRITES = 'dynamodb:GetItem,dynamodb:PutItem,dynamodb:UpdateItem,dynamodb:ConditionCheckItem on OutpostStorageTablesDispatches.Arn';
const POOL_WRITES = 'dynamodb:GetItem,dynamodb:PutItem,dynamodb:UpdateItem,dynamodb:DeleteItem on OutpostStorageTablesPool.Arn';
const CLUSTER_TASKS = 'arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task/OutpostCluster/*';
const STOP_TASK = `ecs:StopTask on ${CLUSTER_TASKS} if ArnEquals ecs:cluster=OutpostCluster.Arn`;
const ARTIFACTS = 'OutpostStorageArtifactsBucket.Arn/artifacts/*';
/** Worker tokens: the launcher seals them, the hand-off opens them, only as worker tokens of this cluster. */
const WORKER_TOKEN_CONTEXT = 'if StringEquals kms:EncryptionContext:purpose=outpost-worker-token, kms:EncryptionContext:cluster=OutpostCluster.Arn';
const SEAL_WORKER_TOKENS = `kms:Encrypt on OutpostKey.Arn ${WORKER_TOKEN_CONTEXT}`;
const OPEN_WORKER_TOKENS = `kms:Decrypt on OutpostKey.Arn ${WORKER_TOKEN_CONTEXT}`;
const READ_ARTIFACTS = [`s3:GetObject on ${ARTIFACTS}`, 's3:ListBucket on OutpostStorageArtifactsBucket.Arn if StringLike s3:prefix=artifacts/*'];

describe('DispatchLifecycle: each handler may do exactly its part', () => {
  test('dispatch-create: write dispatches and claim workers (both in one transaction), presign uploads, hold workspaces; start no task', () => {
    expect(permissions('DispatchCreate')).toEqual([
      OWN_LOGS('DispatchCreate'),
      'dynamodb:GetItem,dynamodb:PutItem,dynamodb:UpdateItem on OutpostStorageTablesWorkspaces.Arn',
      DISPATCH_WRITES,
      POOL_WRITES,
      'dynamodb:Query on OutpostStorageTablesPool.Arn/index/byAgentState',
      OPEN_WORKER_TOKENS,
      `s3:PutObject on ${ARTIFACTS}`,
      OWN_ENIS('DispatchCreate'),
    ]);
  });

  test('dispatch-starter: read its stream, start tasks of the agents (and stop one its dispatch no longer wants), register them reserved; ask for access points, register workspace task definitions', () => {
    expect(permissions('DispatchStarter')).toEqual([
      OWN_LOGS('DispatchStarter'),
      'sqs:SendMessage on OutpostLifecycleDispatchStarterDeadLetters.Arn',
      'dynamodb:GetItem,dynamodb:UpdateItem on OutpostStorageTablesWorkspaces.Arn',
      // ECS offers no narrower resource for describing a task definition.
      'ecs:DescribeTaskDefinition on *',
      `ecs:RegisterTaskDefinition on ${WORKSPACE_FAMILIES}`,
      `ecs:TagResource on ${WORKSPACE_FAMILIES} if StringEquals ecs:CreateAction=RegisterTaskDefinition`,
      `ecs:RunTask on ${WORKSPACE_FAMILIES} if ArnEquals ecs:cluster=OutpostCluster.Arn`,
      'dynamodb:GetItem,dynamodb:UpdateItem on OutpostStorageTablesDispatches.Arn',
      'dynamodb:PutItem on OutpostStorageTablesPool.Arn',
      SEAL_WORKER_TOKENS,
      'ecs:RunTask on OutpostAgentscodexTaskDefinition if ArnEquals ecs:cluster=OutpostCluster.Arn',
      `ecs:TagResource on ${CLUSTER_TASKS} if StringEquals ecs:CreateAction=RunTask`,
      'iam:PassRole on OutpostAgentscodexTaskRole.Arn',
      'iam:PassRole on OutpostAgentscodexTaskDefinitionExecutionRole.Arn',
      STOP_TASK,
      'sqs:SendMessage,sqs:GetQueueAttributes,sqs:GetQueueUrl on OutpostLifecycleDispatchStarterDeadLetters.Arn',
      'dynamodb:ListStreams on OutpostStorageTablesDispatches.StreamArn',
      'dynamodb:DescribeStream,dynamodb:GetRecords,dynamodb:GetShardIterator on OutpostStorageTablesDispatches.StreamArn',
      OWN_ENIS('DispatchStarter'),
    ]);
  });

  test('dispatch-read: read dispatches (by id and the caller\'s index), the agents\' logs and the artifacts; no writes', () => {
    expect(permissions('DispatchRead')).toEqual([
      OWN_LOGS('DispatchRead'),
      'dynamodb:GetItem on OutpostStorageTablesDispatches.Arn',
      'dynamodb:Query on OutpostStorageTablesDispatches.Arn/index/byRequester',
      'logs:FilterLogEvents,logs:GetLogEvents,logs:GetLogGroupFields,logs:DescribeLogGroups,logs:DescribeLogStreams on OutpostAgentscodexLogs.Arn',
      ...READ_ARTIFACTS,
      OWN_ENIS('DispatchRead'),
    ]);
  });

  test('dispatch-cancel: write dispatches and workers, stop tasks of this cluster', () => {
    expect(permissions('DispatchCancel')).toEqual([OWN_LOGS('DispatchCancel'), DISPATCH_WRITES, POOL_WRITES, STOP_TASK, OWN_ENIS('DispatchCancel')]);
  });

  test('task-ready: read and update its dispatch and worker, stop a task that has nothing to do, presign the upload; failed events to its dead-letter queue', () => {
    expect(permissions('TaskReady')).toEqual([
      OWN_LOGS('TaskReady'),
      'sqs:SendMessage on OutpostLifecycleTaskReadyDeadLetters.Arn',
      'dynamodb:GetItem,dynamodb:UpdateItem on OutpostStorageTablesDispatches.Arn | OutpostStorageTablesPool.Arn',
      OPEN_WORKER_TOKENS,
      STOP_TASK,
      `s3:PutObject on ${ARTIFACTS}`,
      OWN_ENIS('TaskReady'),
    ]);
  });

  test('task-stopped: end its dispatch, remove its worker, read result.json, give workspaces back; no ECS; failed events to its dead-letter queue', () => {
    expect(permissions('TaskStopped')).toEqual([
      OWN_LOGS('TaskStopped'),
      'sqs:SendMessage on OutpostLifecycleTaskStoppedDeadLetters.Arn',
      RELEASE_WORKSPACES,
      'dynamodb:GetItem,dynamodb:UpdateItem on OutpostStorageTablesDispatches.Arn',
      'dynamodb:GetItem,dynamodb:DeleteItem on OutpostStorageTablesPool.Arn',
      ...READ_ARTIFACTS,
      OWN_ENIS('TaskStopped'),
    ]);
  });

  test('with a key of its own on the artifacts: the presigners may encrypt uploads with it, the readers decrypt', () => {
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const withKey = synthPlatform({
      agents: [Agent.codex({ image: AgentImage.fromRegistry('example/codex:1') })],
      artifactsEncryptionKey: kms.Key.fromKeyArn(new Stack(), 'Key', key),
    }).template;
    const kmsOf = (fn: string) => permissionsOfFunction(withKey, `Lifecycle${fn}`).filter((line) => line.startsWith('kms:') && line !== OPEN_WORKER_TOKENS);
    expect(Object.fromEntries(['DispatchCreate', 'DispatchRead', 'TaskReady', 'TaskStopped', 'WorkerCredentials'].map((fn) => [fn, kmsOf(fn)]))).toEqual({
      DispatchCreate: [`kms:GenerateDataKey on ${key}`],
      DispatchRead: [`kms:Decrypt on ${key}`],
      TaskReady: [`kms:GenerateDataKey on ${key}`],
      TaskStopped: [`kms:Decrypt on ${key}`],
      WorkerCredentials: [`kms:GenerateDataKey on ${key}`],
    });
  });

  test('outbox: read the dispatches stream, put events on the platform bus, append to the audit table, give workspaces back', () => {
    expect(permissions('Outbox')).toEqual([
      OWN_LOGS('Outbox'),
      'sqs:SendMessage on OutpostLifecycleOutboxDeadLetters.Arn',
      RELEASE_WORKSPACES,
      'dynamodb:PutItem on OutpostStorageTablesAudit.Arn',
      'events:PutEvents on OutpostEvents.Arn',
      'sqs:SendMessage,sqs:GetQueueAttributes,sqs:GetQueueUrl on OutpostLifecycleOutboxDeadLetters.Arn',
      'dynamodb:ListStreams on OutpostStorageTablesDispatches.StreamArn',
      'dynamodb:DescribeStream,dynamodb:GetRecords,dynamodb:GetShardIterator on OutpostStorageTablesDispatches.StreamArn',
      OWN_ENIS('Outbox'),
    ]);
  });

  test('sweeper: write dispatches, list them by agent and status, stop tasks', () => {
    expect(permissions('Sweeper')).toEqual([
      OWN_LOGS('Sweeper'),
      'sqs:SendMessage on OutpostLifecycleSweeperDeadLetters.Arn',
      DISPATCH_WRITES,
      POOL_WRITES,
      'dynamodb:Query on OutpostStorageTablesDispatches.Arn/index/byAgentStatus',
      STOP_TASK,
      OWN_ENIS('Sweeper'),
    ]);
  });

  test('worker-credentials: read a dispatch and its task\'s pool item, open worker tokens, presign the upload; no writes, no ECS', () => {
    expect(permissions('WorkerCredentials')).toEqual([
      OWN_LOGS('WorkerCredentials'),
      'dynamodb:GetItem on OutpostStorageTablesDispatches.Arn | OutpostStorageTablesPool.Arn',
      OPEN_WORKER_TOKENS,
      `s3:PutObject on ${ARTIFACTS}`,
      OWN_ENIS('WorkerCredentials'),
    ]);
  });

  test('fleet-health: query the two indexes it counts; describe the provider secret (never read it) and task definitions', () => {
    expect(permissions('FleetHealth')).toEqual([
      OWN_LOGS('FleetHealth'),
      'dynamodb:Query on OutpostStorageTablesDispatches.Arn/index/byAgentStatus | OutpostStorageTablesPool.Arn/index/byAgentState',
      'secretsmanager:DescribeSecret on OutpostAgentsSecretsopenai',
      // ECS offers no narrower resource for describing a task definition.
      'ecs:DescribeTaskDefinition on *',
      OWN_ENIS('FleetHealth'),
    ]);
  });

  test('fleet-health: describe the images of the repositories the platform knows (its build\'s, a given ECR repository), each agent\'s own secret', () => {
    const scope = new Stack();
    const repository = ecr.Repository.fromRepositoryArn(scope, 'Codex', 'arn:aws:ecr:eu-west-1:111122223333:repository/team/codex');
    const ownKey = secretsmanager.Secret.fromSecretCompleteArn(scope, 'Key', 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:team-openai-AbCdEf');
    const synthesized = synthPlatform({
      agents: [Agent.claude(), Agent.codex({ image: AgentImage.fromEcrRepository(repository, '1.2'), apiKeySecret: ownKey })],
    });
    const fleetHealth = permissionsOfFunction(synthesized.template, 'LifecycleFleetHealth');
    expect(fleetHealth.filter((line) => /^(secretsmanager|ecr):/.test(line))).toEqual([
      `secretsmanager:DescribeSecret on OutpostAgentsSecretsanthropic | ${ownKey.secretArn}`,
      expect.stringMatching(/^ecr:DescribeImages on OutpostAgentsImagesclaudeRepository\w*\.Arn \| arn:aws:ecr:eu-west-1:111122223333:repository\/team\/codex$/),
    ]);
    expect(fleetHealth.join('\n')).not.toMatch(/GetSecretValue|kms:Decrypt/);
    // What it describes: the secret each agent's tasks get; only the platform's own start with a placeholder.
    const resource = synthesized.template.findResources('AWS::Lambda::Function')[logicalIdOf(synthesized.template, 'AWS::Lambda::Function', 'LifecycleFleetHealth')];
    const { agents } = loadConfig(renderValue(resource.Properties.Environment.Variables.OUTPOST_CONFIG));
    expect(agents.claude.providerSecret).toEqual({ arn: 'OutpostAgentsSecretsanthropic', createdWithPlaceholder: true });
    expect(agents.codex.providerSecret).toEqual({ arn: ownKey.secretArn, createdWithPlaceholder: false });
  });

  test('fleet-health: an agent on Bedrock has no provider secret to describe', () => {
    const onBedrock = synthPlatform({ agents: [Agent.claude({ useBedrock: true, image: AgentImage.fromRegistry('example/claude:1') })] });
    expect(permissionsOfFunction(onBedrock.template, 'LifecycleFleetHealth').filter((line) => line.startsWith('secretsmanager:'))).toEqual([]);
    const resource = onBedrock.template.findResources('AWS::Lambda::Function')[logicalIdOf(onBedrock.template, 'AWS::Lambda::Function', 'LifecycleFleetHealth')];
    expect(loadConfig(renderValue(resource.Properties.Environment.Variables.OUTPOST_CONFIG)).agents.claude.providerSecret).toBeUndefined();
  });
});

describe('DispatchLifecycle: routes and triggers', () => {
  const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((route) => route.Properties);

  test('the dispatch and workspace routes, their /admin forms, and GET /health/fleet, each with IAM authorization', () => {
    // GET /health is the control plane's own; GET /ledger and its /admin form are the LedgerBridge's (test/ledger-bridge.test.ts).
    const lifecycle = routes.filter((route) => !['GET /health', 'GET /ledger', 'GET /admin/ledger'].includes(route.RouteKey));
    const own = ['POST /dispatch', 'GET /dispatch', 'GET /dispatch/{id}', 'GET /dispatch/{id}/logs', 'GET /artifacts/{id}', 'DELETE /dispatch/{id}', 'GET /workspaces', 'DELETE /workspaces/{name}'];
    const admin = own.map((key) => key.replace(' /', ' /admin/'));
    expect(lifecycle.map((route) => route.RouteKey).sort()).toEqual([...own, ...admin, 'GET /health/fleet'].sort());
    expect(lifecycle.every((route) => route.AuthorizationType === 'AWS_IAM')).toBe(true);
  });

  describe('ECS task state changes of the platform cluster: the running ones reach task-ready, the stopped ones task-stopped', () => {
    const CLUSTER_ID = logicalIdOf(template, 'AWS::ECS::Cluster', 'Cluster');
    const CLUSTER = [{ 'Fn::GetAtt': [CLUSTER_ID, 'Arn'] }];
    /** The platform's cluster as deployed: the events below are of its tasks. */
    const CLUSTER_ARN = 'arn:aws:ecs:eu-west-1:123456789012:cluster/outpost-OutpostCluster1A2B3C4D';
    const TASK_ARN = 'arn:aws:ecs:eu-west-1:123456789012:task/outpost-OutpostCluster1A2B3C4D/0f1e2d3c4b5a69788796a5b4c3d2e1f0';
    /** Every rule of the template that has an event pattern, by its target's function (or its own id), with the cluster's ARN in place. */
    const patterns = Object.fromEntries(Object.entries(template.findResources('AWS::Events::Rule'))
      .filter(([, rule]) => rule.Properties.EventPattern)
      .map(([id, rule]) => [rule.Properties.Targets?.[0]?.Arn?.['Fn::GetAtt']?.[0] ?? id, resolveArns(rule.Properties.EventPattern, { [CLUSTER_ID]: CLUSTER_ARN })]));
    const ruleOf = (fn: string) => logicalIdOf(template, 'AWS::Lambda::Function', fn);
    /** The rules (by target) whose pattern matches each event, as moto's EventBridge decides: one batch. */
    const rulesMatching = (events: unknown[]): string[][] => {
      const questions = events.flatMap((event) => Object.values(patterns).map((pattern) => ({ pattern, event })));
      const answers = matchEventPatterns(questions);
      const names = Object.keys(patterns);
      return events.map((_, e) => names.filter((_name, r) => answers[e * names.length + r]));
    };
    const ofThisCluster = { taskArn: TASK_ARN };

    test.each([['TaskReady'], ['TaskStopped']])('%s: its own rule, retried 8 times, then its dead-letter queue', (fn) => {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { 'source': ['aws.ecs'], 'detail-type': ['ECS Task State Change'], 'detail': { clusterArn: CLUSTER } },
        Targets: [{
          Arn: { 'Fn::GetAtt': [ruleOf(fn), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 8 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', `${fn}DeadLetters`), 'Arn'] } },
        }],
      });
    });

    test('AWS\'s documented events, as moto\'s EventBridge matches them against every rule: RUNNING hands off, STOPPED completes, nothing else fires', () => {
      const { example } = documentedTaskStateChange();
      const running = taskEvent({}, ofThisCluster);
      const stopped = taskEvent({ lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'EssentialContainerExited', stoppedAt: '2020-01-23T18:07:58.103Z' }, ofThisCluster);
      expect(rulesMatching([
        running,
        stopped,
        taskEvent({ lastStatus: 'PENDING' }, ofThisCluster),
        spotTerminationNotice(ofThisCluster),
        example, // of another cluster, FargateCluster
        runningTaskEvent('outpost/pool', { ...ofThisCluster, clusterArn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/someone-else' }),
      ])).toEqual([[ruleOf('TaskReady')], [ruleOf('TaskStopped')], [], [], [], []]);
    });

    test('the rules\' patterns agree with isReady and isStopped on every combination of ECS\'s task states', () => {
      const lastStatuses = ['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED'];
      const details = lastStatuses.flatMap((lastStatus) => ['RUNNING', 'STOPPED'].map((desiredStatus) => ({ lastStatus, desiredStatus })));
      const events = details.map((detail) => taskEvent(detail, ofThisCluster));
      const sent = rulesMatching(events);
      details.forEach((detail, index) => {
        const task = parseTaskStateChange(events[index])!;
        expect({ detail, sent: sent[index] }).toEqual({ detail, sent: [isReady(task) && ruleOf('TaskReady'), isStopped(task) && ruleOf('TaskStopped')].filter(Boolean) });
      });
    });

    test('task-ready has time to wait for a starting worker, mint a credential and push', () => {
      const timeout = template.findResources('AWS::Lambda::Function')[ruleOf('TaskReady')].Properties.Timeout;
      // The wait (and its last 2 s probe), three GitHub calls of 3 s, the 5 s push, and as much again for the rest.
      expect(timeout * 1000).toBeGreaterThanOrEqual(STARTING_WORKER_PATIENCE.budgetMs + 2_000 + 9_000 + 5_000 + 30_000);
    });
  });

  test('deadLetterQueues: one per asynchronous function, both task state change functions\' among them', () => {
    const queues = platform.lifecycle.deadLetterQueues.map((queue) => stack.resolve(queue.queueArn)['Fn::GetAtt'][0]);
    const ids = ['DispatchStarter', 'TaskReady', 'TaskStopped', 'Outbox', 'Sweeper', 'CleanerDeadLetters', 'ProvisionerDeadLetters'].map((fn) => logicalIdOf(template, 'AWS::SQS::Queue', fn));
    expect(queues).toEqual(ids);
  });

  test('the outbox reads the dispatches stream with per-record failures and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalIdOf(template, 'AWS::Lambda::Function', 'Outbox') },
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::DynamoDB::GlobalTable', 'Dispatches'), 'StreamArn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'OutboxDeadLetters'), 'Arn'] } } },
    });
  });

  test('workspace-provisioner: read the workspaces stream, make access points (tagging only while creating), record them and mark the dispatch', () => {
    expect(permissionsOfFunction(template, 'WorkspacesProvisioner')).toEqual([
      'logs:CreateLogStream,logs:PutLogEvents on OutpostLifecycleWorkspacesProvisionerLogs.Arn',
      'sqs:SendMessage on OutpostLifecycleWorkspacesProvisionerDeadLetters.Arn',
      'elasticfilesystem:CreateAccessPoint,elasticfilesystem:DescribeAccessPoints on OutpostStorageWorkspacesFileSystem.Arn',
      'elasticfilesystem:TagResource on arn:<AWS::Partition>:elasticfilesystem:<AWS::Region>:<AWS::AccountId>:access-point/* if StringEquals elasticfilesystem:CreateAction=CreateAccessPoint',
      'dynamodb:UpdateItem on OutpostStorageTablesWorkspaces.Arn | OutpostStorageTablesDispatches.Arn',
      'sqs:SendMessage,sqs:GetQueueAttributes,sqs:GetQueueUrl on OutpostLifecycleWorkspacesProvisionerDeadLetters.Arn',
      'dynamodb:ListStreams on OutpostStorageTablesWorkspaces.StreamArn',
      'dynamodb:DescribeStream,dynamodb:GetRecords,dynamodb:GetShardIterator on OutpostStorageTablesWorkspaces.StreamArn',
      'managed policy OutpostLifecycleWorkspacesProvisionerNetworkInterfaces',
    ]);
  });

  test('the provisioner reads the workspaces stream filtered to workspaces awaiting an access point, with per-record failures and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalIdOf(template, 'AWS::Lambda::Function', 'WorkspacesProvisioner') },
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::DynamoDB::GlobalTable', 'Workspaces'), 'StreamArn'] },
      FilterCriteria: { Filters: [{ Pattern: Match.anyValue() }] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'ProvisionerDeadLetters'), 'Arn'] } } },
    });
  });

  test('the starter reads the dispatches stream filtered to the cold starts asked of it, with per-record failures and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalIdOf(template, 'AWS::Lambda::Function', 'DispatchStarter') },
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::DynamoDB::GlobalTable', 'Dispatches'), 'StreamArn'] },
      FilterCriteria: { Filters: [{ Pattern: Match.anyValue() }, { Pattern: Match.anyValue() }] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      ParallelizationFactor: 10,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SQS::Queue', 'DispatchStarterDeadLetters'), 'Arn'] } } },
    });
  });

  test('every Lambda event filter judges the record\'s `dynamodb` key alone, the only key DynamoDB event source mappings filter on', () => {
    // Lambda developer guide, "Using event filtering with a DynamoDB event source": "DynamoDB event source
    // mappings only support filtering on the dynamodb key." What each filter passes is judged below, by moto's engine.
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter((mapping) => mapping.Properties.FilterCriteria);
    expect(mappings.length).toBeGreaterThanOrEqual(3);
    for (const mapping of mappings) {
      for (const filter of mapping.Properties.FilterCriteria.Filters) {
        expect(Object.keys(JSON.parse(filter.Pattern))).toEqual(['dynamodb']);
      }
    }
  });

  /** The event source mapping of the function whose logical id contains `fn`, as synthesized. */
  const mappingOf = (fn: string) => Object.values(template.findResources('AWS::Lambda::EventSourceMapping'))
    .find((mapping) => mapping.Properties.FunctionName.Ref === logicalIdOf(template, 'AWS::Lambda::Function', fn))!.Properties;

  test('the moto platform delivers stream records by the starter\'s and the provisioner\'s filters and batch sizes as synthesized', () => {
    const { FilterCriteria, BatchSize } = mappingOf('DispatchStarter');
    expect({ FilterCriteria, BatchSize }).toEqual(STARTER_MAPPING);
    const provisioner = mappingOf('WorkspacesProvisioner');
    expect({ FilterCriteria: provisioner.FilterCriteria, BatchSize: provisioner.BatchSize }).toEqual(PROVISIONER_MAPPING);
  });

  describe('the starter\'s filters, evaluated by moto\'s EventBridge engine on records of moto\'s real dispatches stream', () => {
    const tableName = motoTableForSuite('dispatches');

    test('pass a cold start asked at creation, asked later, and a workspace made ready; nothing else, as coldStartRequest decides', async () => {
      const table = tableName();
      const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
      const at = '2026-11-24T10:00:00.000Z';
      const put = (Item: Record<string, unknown>) => () => documents.send(new PutCommand({ TableName: table, Item }));
      const set = (id: string, fields: Record<string, unknown>) => () => documents.send(new UpdateCommand({
        TableName: table,
        Key: { id },
        UpdateExpression: `SET ${Object.keys(fields).map((field) => `#${field} = :${field}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(Object.keys(fields).map((field) => [`#${field}`, field])),
        ExpressionAttributeValues: Object.fromEntries(Object.entries(fields).map(([field, value]) => [`:${field}`, value])),
      }));
      const dispatch = (id: string, status: string) => ({ id, agent: 'claude', status, agentStatus: `claude#${status}`, version: 0, createdAt: at });
      const records = await recordOfEachWrite(new DynamoDBClient({}), table, {
        'INSERT of a QUEUED dispatch with coldStartRequestedAt': put({ ...dispatch('A', 'QUEUED'), coldStartRequestedAt: at }),
        'INSERT of a QUEUED dispatch without': put(dispatch('B', 'QUEUED')),
        'MODIFY that adds coldStartRequestedAt': set('B', { coldStartRequestedAt: at }),
        'MODIFY of a dispatch already asked for (another field)': set('B', { updatedAt: at, version: 1 }),
        'MODIFY that adds workspaceReadyAt': set('B', { workspaceReadyAt: at }),
        'MODIFY to STARTING, by the starter': set('B', { status: 'STARTING', agentStatus: 'claude#STARTING' }),
        'MODIFY to RUNNING': set('B', { status: 'RUNNING', agentStatus: 'claude#RUNNING' }),
        'INSERT of a RUNNING dispatch with coldStartRequestedAt': put({ ...dispatch('C', 'RUNNING'), coldStartRequestedAt: at }),
        'MODIFY to CANCELLED of a dispatch asked for': set('A', { status: 'CANCELLED', agentStatus: 'claude#CANCELLED' }),
        'REMOVE': () => documents.send(new DeleteCommand({ TableName: table, Key: { id: 'A' } })),
      });
      const labels = Object.keys(records);
      const passed = matchEventFilters(mappingOf('DispatchStarter').FilterCriteria, Object.values(records));
      expect(labels.filter((_, index) => passed[index])).toEqual([
        'INSERT of a QUEUED dispatch with coldStartRequestedAt',
        'MODIFY that adds coldStartRequestedAt',
        'MODIFY that adds workspaceReadyAt',
      ]);
      // The filters and the starter's own check (runtime/core/dispatch/cold-start-request.ts) agree on every record.
      const started = labels.filter((label) => coldStartRequest(streamChange(records[label])) !== undefined);
      expect(started).toEqual(labels.filter((_, index) => passed[index]));
    });
  });

  test('the sweeper runs every minute', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [{ Arn: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::Lambda::Function', 'Sweeper'), 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 0 } }],
    });
  });
});

describe('DispatchLifecycle: the handlers\' configuration', () => {
  test('names the artifacts bucket and its regional, virtual-hosted endpoint, where presigned requests go', () => {
    for (const fn of ['DispatchCreate', 'DispatchRead', 'DispatchStarter', 'TaskReady', 'TaskStopped', 'WorkerCredentials']) {
      const resource = template.findResources('AWS::Lambda::Function')[logicalIdOf(template, 'AWS::Lambda::Function', `Lifecycle${fn}`)];
      const config = loadConfig(renderValue(resource.Properties.Environment.Variables.OUTPOST_CONFIG));
      expect(config).toMatchObject({
        artifactsBucket: 'OutpostStorageArtifactsBucket',
        artifactsBucketUrl: 'https://OutpostStorageArtifactsBucket.RegionalDomainName',
      });
    }
  });
});

describe('DispatchLifecycle: the worker-credentials function', () => {
  const functions = template.findResources('AWS::Lambda::Function');
  const renewer = functions[logicalIdOf(template, 'AWS::Lambda::Function', 'LifecycleWorkerCredentials')];

  test('has the name every agent\'s task definition gives its worker, in the variable the worker reads', () => {
    expect(CONSTRUCT_VARIABLE).toBe(WORKER_CREDENTIALS_FUNCTION_VARIABLE);
    expect(renewer.Properties.FunctionName).toBe('TestOutpostLifecycleEB264B04-worker-credentials');
    expect(renewer.Properties.FunctionName.length).toBeLessThanOrEqual(64);
    const definitions = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
    expect(definitions.length).toBeGreaterThan(0);
    for (const definition of definitions) {
      expect(definition.Properties.ContainerDefinitions[0].Environment)
        .toContainEqual({ Name: WORKER_CREDENTIALS_FUNCTION_VARIABLE, Value: renewer.Properties.FunctionName });
    }
  });

  test('only the agents\' task roles may invoke it: no resource policy lets any service or account in, no other role holds Invoke', () => {
    const permissionsOnIt = Object.values(template.findResources('AWS::Lambda::Permission'))
      .filter((permission) => JSON.stringify(permission.Properties.FunctionName).includes('LifecycleWorkerCredentials'));
    expect(permissionsOnIt).toEqual([]);
    const taskRoles = Object.values(template.findResources('AWS::ECS::TaskDefinition')).map((definition) => definition.Properties.TaskRoleArn['Fn::GetAtt'][0]);
    const invokers = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.PolicyDocument).includes(':function:TestOutpostLifecycleEB264B04-worker-credentials'))
      .flatMap((policy) => policy.Properties.Roles.map((role: { Ref: string }) => role.Ref));
    expect(invokers.sort()).toEqual([...taskRoles].sort());
  });

  test('answers within the worker\'s 20 s wait, and only synchronously (no dead-letter queue)', () => {
    expect(renewer.Properties.Timeout).toBe(15);
    expect(renewer.Properties.DeadLetterConfig).toBeUndefined();
  });
});

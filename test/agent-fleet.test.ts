import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Agent, AgentImage, AgentKind, BedrockModel, OutpostPlatform } from '../src';
import { logicalIdOf, statementsOf, synthPlatform } from './support/platform-stack';

type Resource = { Type: string; Properties: any; DependsOn?: string[] };

function taskDefinitions(template: Template): Record<string, Resource> {
  return template.findResources('AWS::ECS::TaskDefinition') as Record<string, Resource>;
}

function containerOf(template: Template, agent: AgentKind): any {
  const [definition] = Object.entries(taskDefinitions(template)).filter(([id]) => id.startsWith(`OutpostAgents${agent}`));
  return definition[1].Properties.ContainerDefinitions[0];
}

/**
 * The one grant an agent task role holds on the platform: mounting the workspaces file system, which its
 * policy allows only through an access point (a workspace's task definition names the workspace's).
 */
function workspaceMount(template: Template): unknown {
  return {
    Effect: 'Allow',
    Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
    Resource: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::EFS::FileSystem', 'WorkspacesFileSystem'), 'Arn'] },
  };
}

/** Opening the worker's own token at start: the platform key, only under a worker token's encryption context. */
function openWorkerToken(template: Template): unknown {
  return {
    Effect: 'Allow',
    Action: 'kms:Decrypt',
    Resource: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::KMS::Key', 'OutpostKey'), 'Arn'] },
    Condition: {
      StringEquals: {
        'kms:EncryptionContext:purpose': 'outpost-worker-token',
        'kms:EncryptionContext:cluster': { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::ECS::Cluster', 'OutpostCluster'), 'Arn'] },
      },
    },
  };
}

/**
 * Asking for fresh credentials before the push and uploads: Invoke on the platform's worker-credentials function
 * only, by the name the task definitions give their workers (docs/security.md, "Credentials that outlast the run").
 */
function invokeWorkerCredentials(): unknown {
  return {
    Effect: 'Allow',
    Action: 'lambda:InvokeFunction',
    Resource: {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':function:TestOutpostLifecycleEB264B04-worker-credentials']],
    },
  };
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}


describe('agent task definitions (all five, defaults)', () => {
  const { template } = synthPlatform();

  test('one per agent: arm64 Fargate with the documented size', () => {
    expect(Object.keys(taskDefinitions(template))).toHaveLength(5);
    template.allResourcesProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      NetworkMode: 'awsvpc',
      Cpu: '1024',
      Memory: '4096',
      EphemeralStorage: { SizeInGiB: 40 },
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      Volumes: [{ Name: 'workspace' }, { Name: 'home' }, { Name: 'tmp' }],
    });
  });

  test.each(Object.values(AgentKind))('%s runs hardened: read-only root, the worker as root with only its six capabilities, writable mounts, health check, logs', (agent) => {
    const container = containerOf(template, agent);
    // Fargate only drops: what is left of any default set is at most the worker's six (docs/security.md).
    const everyCapability = Object.values(ecs.Capability).filter((capability) => capability !== ecs.Capability.ALL);
    const remaining = everyCapability.filter((capability) => !container.LinuxParameters.Capabilities.Drop.includes(capability));
    expect(remaining.sort()).toEqual(['CHOWN', 'DAC_OVERRIDE', 'KILL', 'SETGID', 'SETPCAP', 'SETUID']);
    expect(container.LinuxParameters.Capabilities.Add).toBeUndefined();
    expect(container).toMatchObject({
      Name: 'agent',
      Essential: true,
      User: '0:0',
      ReadonlyRootFilesystem: true,
      StopTimeout: 120,
      PortMappings: [{ ContainerPort: 8080, Protocol: 'tcp' }],
      MountPoints: [
        { SourceVolume: 'workspace', ContainerPath: '/workspace', ReadOnly: false },
        { SourceVolume: 'home', ContainerPath: '/home/agent', ReadOnly: false },
        { SourceVolume: 'tmp', ContainerPath: '/tmp', ReadOnly: false },
      ],
      HealthCheck: { Command: ['CMD', 'node', '/opt/outpost/worker/worker.js', '--healthcheck'], Interval: 10, Retries: 3 },
      LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-group': { Ref: expect.stringContaining(`OutpostAgents${agent}Logs`) } } },
      Environment: expect.arrayContaining([{ Name: 'OUTPOST_AGENT', Value: agent }, { Name: 'OUTPOST_WORKER_PORT', Value: '8080' }]),
    });
  });

  test.each([
    [AgentKind.CLAUDE, 'ANTHROPIC_API_KEY', 'anthropic'],
    [AgentKind.AIDER, 'ANTHROPIC_API_KEY', 'anthropic'],
    [AgentKind.CODEX, 'OPENAI_API_KEY', 'openai'],
    [AgentKind.GEMINI, 'GEMINI_API_KEY', 'google'],
    [AgentKind.GROK, 'XAI_API_KEY', 'xai'],
  ])('%s gets %s from the %s secret, through ECS secrets', (agent, variable, provider) => {
    const secret = logicalIdOf(template, 'AWS::SecretsManager::Secret', `OutpostAgentsSecrets${provider}`);
    expect(containerOf(template, agent).Secrets).toEqual([{ Name: variable, ValueFrom: { Ref: secret } }]);
  });

  test('one secret per provider, encrypted with the platform key', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 4);
    template.allResourcesProperties('AWS::SecretsManager::Secret', { KmsKeyId: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::KMS::Key', 'OutpostKey'), 'Arn'] } });
  });

  test('agent task roles grant nothing but mounting workspaces, opening their worker token and asking for fresh credentials: no access to tables, buckets, queues or anything else', () => {
    const taskRoles = Object.values(taskDefinitions(template)).map((definition) => definition.Properties.TaskRoleArn['Fn::GetAtt'][0]);
    expect(taskRoles).toHaveLength(5);
    for (const role of taskRoles) {
      expect(statementsOf(template, role)).toEqual([workspaceMount(template), invokeWorkerCredentials(), openWorkerToken(template)]);
    }
  });

  test('execution roles read only their own provider secret', () => {
    const definition = Object.entries(taskDefinitions(template)).find(([id]) => id.startsWith('OutpostAgentscodex'))![1];
    const statements = statementsOf(template, definition.Properties.ExecutionRoleArn['Fn::GetAtt'][0]);
    const secretReads = statements.filter((s) => JSON.stringify(s.Action).includes('secretsmanager:'));
    expect(secretReads).toEqual([expect.objectContaining({ Resource: { Ref: logicalIdOf(template, 'AWS::SecretsManager::Secret', 'OutpostAgentsSecretsopenai') } })]);
    expect(JSON.stringify(statements)).not.toMatch(/dynamodb|elasticfilesystem|s3:/);
  });

  test('each agent logs to its own encrypted log group with retention', () => {
    for (const agent of Object.values(AgentKind)) {
      const logGroup = logicalIdOf(template, 'AWS::Logs::LogGroup', `OutpostAgents${agent}Logs`);
      expect(template.findResources('AWS::Logs::LogGroup')[logGroup].Properties).toMatchObject({ RetentionInDays: 90, KmsKeyId: expect.anything() });
    }
  });
});

describe('cloud image build (the default)', () => {
  const { template } = synthPlatform();
  const waitCondition = Object.keys(template.findResources('AWS::CloudFormation::WaitCondition'))[0];

  test('ECR repositories for the base and each agent scan on push and keep tags immutable', () => {
    template.resourceCountIs('AWS::ECR::Repository', 6);
    template.allResourcesProperties('AWS::ECR::Repository', {
      ImageScanningConfiguration: { ScanOnPush: true },
      ImageTagMutability: 'IMMUTABLE',
      LifecyclePolicy: Match.anyValue(),
    });
  });

  test('CodeBuild builds on arm64 with Docker from the packaged sources', () => {
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Environment: Match.objectLike({
        Type: 'ARM_CONTAINER',
        PrivilegedMode: true,
        EnvironmentVariables: Match.arrayWith([
          Match.objectLike({ Name: 'IMAGE_TAG', Value: Match.stringLikeRegexp('^[0-9a-f]{32}$') }),
          Match.objectLike({ Name: 'AGENTS', Value: 'claude codex gemini aider grok' }),
        ]),
      }),
      Source: Match.objectLike({ Type: 'S3', BuildSpec: 'buildspec.yml' }),
      EncryptionKey: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::KMS::Key', 'OutpostKey'), 'Arn'] },
    });
  });

  test('the deployment starts a build and waits for its signal before registering task definitions', () => {
    expect(waitCondition).toBeDefined();
    const wait = template.findResources('AWS::CloudFormation::WaitCondition')[waitCondition];
    expect(wait.Properties).toMatchObject({ Count: 1, Timeout: '3600' });
    const start = Object.values(template.findResources('Custom::AWS'));
    expect(start).toHaveLength(1);
    expect(JSON.stringify(start[0].Properties.Create)).toMatch(/\\"action\\":\\"startBuild\\".*WAIT_HANDLE_URL/);
    for (const definition of Object.values(taskDefinitions(template))) {
      expect(definition.DependsOn).toContain(waitCondition);
    }
  });

  test('task definitions run the pushed image by its content tag', () => {
    const image = JSON.stringify(containerOf(template, AgentKind.GEMINI).Image);
    expect(image).toContain(logicalIdOf(template, 'AWS::ECR::Repository', 'OutpostAgentsImagesgeminiRepository'));
    expect(image).toMatch(/:[0-9a-f]{32}"/);
  });
});

describe('choosing agents and images', () => {
  test('a subset builds and provisions only what it needs', () => {
    const { template } = synthPlatform({ agents: [Agent.claude()] });
    expect(Object.keys(taskDefinitions(template))).toHaveLength(1);
    template.resourceCountIs('AWS::ECR::Repository', 2);
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
  });

  test('an existing secret is used as given', () => {
    const stack = new Stack(new App(), 'Test');
    const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'Key', 'team/openai');
    new OutpostPlatform(stack, 'Outpost', { agents: [Agent.codex({ apiKeySecret: secret, image: AgentImage.fromRegistry('ghcr.io/acme/codex:1') })] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(JSON.stringify(containerOf(template, AgentKind.CODEX).Secrets)).toContain('secret:team/openai');
  });

  test('images from a registry need no build', () => {
    const { template } = synthPlatform({ agents: [Agent.grok({ image: AgentImage.fromRegistry('ghcr.io/acme/outpost-grok:1.4.0') })] });
    template.resourceCountIs('AWS::CodeBuild::Project', 0);
    template.resourceCountIs('AWS::CloudFormation::WaitCondition', 0);
    expect(containerOf(template, AgentKind.GROK).Image).toBe('ghcr.io/acme/outpost-grok:1.4.0');
  });

  test('fromAsset builds the composed Dockerfile as a CDK asset', () => {
    const app = new App();
    const stack = new Stack(app, 'Test');
    new OutpostPlatform(stack, 'Outpost', { agents: [Agent.aider({ image: AgentImage.fromAsset(AgentKind.AIDER) })] });
    const assembly = app.synth();
    const image = JSON.stringify(containerOf(Template.fromStack(stack), AgentKind.AIDER).Image);
    expect(image).toContain('cdk-hnb659fds-container-assets');
    const assetDir = fs.readdirSync(assembly.directory).find((entry) => entry.startsWith('asset.') && fs.existsSync(path.join(assembly.directory, entry, 'Dockerfile.aider')));
    expect(assetDir).toBeDefined();
    expect(fs.readFileSync(path.join(assembly.directory, assetDir!, 'Dockerfile.aider'), 'utf8')).toContain('FROM outpost-base');
  });

  test('fromAsset of another agent is refused', () => {
    expect(() => synthPlatform({ agents: [Agent.codex({ image: AgentImage.fromAsset(AgentKind.CLAUDE) })] }))
      .toThrow(/AgentImage.fromAsset\(claude\) was given to the codex agent/);
  });

  test.each([
    [[], /`agents` is empty/],
    [[Agent.claude(), Agent.codex(), Agent.claude({ cpu: 2048, memoryLimitMiB: 8192 })], /`agents` lists claude more than once/],
  ])('invalid agents lists fail at synth (%#)', (agents, message) => {
    expect(() => synthPlatform({ agents })).toThrow(message);
  });
});

describe('Claude on Amazon Bedrock', () => {
  const { template } = synthPlatform({ agents: [Agent.claude({ useBedrock: true, bedrockModel: BedrockModel.inferenceProfile('eu.anthropic.claude-sonnet-4-5-20250929-v1:0') })] });
  const definition = Object.values(taskDefinitions(template))[0];
  const container = definition.Properties.ContainerDefinitions[0];

  test('needs no API key secret', () => {
    expect(container.Secrets).toBeUndefined();
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(container.Environment).toEqual(expect.arrayContaining([
      { Name: 'CLAUDE_CODE_USE_BEDROCK', Value: '1' },
      { Name: 'ANTHROPIC_MODEL', Value: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0' },
    ]));
  });

  test('the task role may invoke the chosen model only (and mount workspaces, open its worker token and ask for fresh credentials, as every agent\'s)', () => {
    const [statements, others] = partition(statementsOf(template, definition.Properties.TaskRoleArn['Fn::GetAtt'][0]),
      (statement) => JSON.stringify(statement).includes('bedrock:'));
    expect(others).toEqual([workspaceMount(template), invokeWorkerCredentials(), openWorkerToken(template)]);
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toEqual(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']);
    const resources = JSON.stringify(statements[0].Resource);
    expect(resources).toContain('inference-profile/eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(resources).toContain('foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(resources).not.toMatch(/foundation-model\/\*|"\*"/);
  });
});

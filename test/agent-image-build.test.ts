import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Agent, AgentImage, AgentImageBuild, AgentKind, FargateArchitecture, OutpostPlatform } from '../src';
import { cfnLintErrors } from './integ/support';
import { buildStateChange, documentedBuildStateChange } from './support/codebuild-events';
import { matchEventPatterns } from './support/event-pattern-matcher';
import { logicalIdOf, statementsOf, synthPlatform } from './support/platform-stack';
import { pythonTool } from './support/python-tools';
import { REGIONS_WITHOUT_CODEBUILD } from '../src/agents/codebuild-regions';

type Resource = { Type: string; Properties: any; DependsOn?: string[]; DeletionPolicy?: string };

/** One AgentImageBuild of claude and codex in a stack of its own; `env` as the stack's. */
function synthBuild(env?: { account?: string; region?: string }): { stack: Stack; template: Template } {
  const stack = new Stack(new App(), 'Build', { env });
  new AgentImageBuild(stack, 'Images', { agents: [AgentKind.CLAUDE, AgentKind.CODEX], encryptionKey: new kms.Key(stack, 'Key') });
  return { stack, template: Template.fromStack(stack) };
}

const { template } = synthBuild();
const resources = template.toJSON().Resources as Record<string, Resource>;
const idOf = (type: string, hint: string) => logicalIdOf(template, type, hint);
const startBuild = resources[idOf('Custom::AWS', 'ImagesStartBuild')];
const projectId = idOf('AWS::CodeBuild::Project', 'ImagesProject');

describe('the build starts only when it can succeed or fail loudly', () => {
  test('StartBuild waits for the project role and its default policy (the build would otherwise start without its grants)', () => {
    expect(startBuild.DependsOn).toEqual(expect.arrayContaining([
      idOf('AWS::IAM::Role', 'ImagesProjectRole'),
      idOf('AWS::IAM::Policy', 'ImagesProjectRoleDefaultPolicy'),
    ]));
  });

  test('StartBuild waits for the failure signal: its function, rule and the rule\'s permission to invoke it', () => {
    expect(startBuild.DependsOn).toEqual(expect.arrayContaining([
      idOf('AWS::Lambda::Function', 'ImagesFailureSignalFunction'),
      idOf('AWS::Events::Rule', 'ImagesFailureSignalRule'),
      idOf('AWS::Lambda::Permission', 'ImagesFailureSignalRule'),
    ]));
  });
});

describe('a build belongs to one deployment', () => {
  const startId = idOf('Custom::AWS', 'ImagesStartBuild');
  const waitId = idOf('AWS::CloudFormation::WaitCondition', 'ImagesBuildComplete');

  test('one StartBuild per fingerprint, like the wait condition: a rollback never starts a build again (no update call)', () => {
    const fingerprint = /ImagesBuildComplete([0-9a-f]{12})/.exec(waitId)![1];
    expect(startId).toContain(`ImagesStartBuild${fingerprint}`);
    expect(startBuild.Properties.Update).toBeUndefined();
  });

  test('deleting it (its deployment rolled back, or the next one cleans up) stops its build if it still runs, and never fails', () => {
    const onDelete = JSON.parse(startBuild.Properties.Delete);
    expect(onDelete).toEqual({
      service: 'CodeBuild',
      action: 'stopBuild',
      parameters: { id: 'PHYSICAL:RESOURCEID:' },
      ignoreErrorCodesMatching: '.*',
    });
  });

  test('exact permissions: the custom resource may start and stop builds of this project only', () => {
    const policy = Object.values(resources).find((resource) => resource.Type === 'AWS::IAM::Policy' && JSON.stringify(resource.Properties.PolicyName).includes('ImagesStartBuild'))!;
    expect(policy.Properties.PolicyDocument.Statement).toEqual([{
      Effect: 'Allow',
      Action: ['codebuild:StartBuild', 'codebuild:StopBuild'],
      Resource: { 'Fn::GetAtt': [projectId, 'Arn'] },
    }]);
  });
});

describe('a build that fails before its script can say so fails the deployment at once', () => {
  const rule = resources[idOf('AWS::Events::Rule', 'ImagesFailureSignalRule')];
  const fn = resources[idOf('AWS::Lambda::Function', 'ImagesFailureSignalFunction')];
  const handle = idOf('AWS::CloudFormation::WaitConditionHandle', 'ImagesBuildSignal');
  /** The rule's pattern as EventBridge sees it once deployed: the project's Ref is its name. */
  const pattern = JSON.parse(JSON.stringify(rule.Properties.EventPattern).replace(JSON.stringify({ Ref: projectId }), '"outpost-images-7f3a"'));

  test(`the rule takes this project's FAILED, FAULT, STOPPED and TIMED_OUT builds, judged by moto's EventBridge matcher (events: ${documentedBuildStateChange().source})`, () => {
    const events = [
      ...['FAILED', 'FAULT', 'STOPPED', 'TIMED_OUT'].map((status) => buildStateChange({ status, project: 'outpost-images-7f3a' })),
      buildStateChange({ status: 'SUCCEEDED', project: 'outpost-images-7f3a' }),
      buildStateChange({ status: 'IN_PROGRESS', project: 'outpost-images-7f3a' }),
      buildStateChange({ status: 'FAILED', project: 'someone-elses-project' }),
      { ...buildStateChange({ status: 'FAILED', project: 'outpost-images-7f3a' }), 'detail-type': 'CodeBuild Build Phase Change' },
    ];
    expect(matchEventPatterns(events.map((event) => ({ pattern, event })))).toEqual([true, true, true, true, false, false, false, false]);
  });

  test('the rule invokes the function, which is told the deployment\'s handle and the image tag', () => {
    expect(rule.Properties.Targets).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': [idOf('AWS::Lambda::Function', 'ImagesFailureSignalFunction'), 'Arn'] } })]);
    expect(fn.Properties.Environment.Variables).toMatchObject({ WAIT_HANDLE_URL: { Ref: handle }, IMAGE_TAG: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(fn.Properties.Handler).toBe('index.handler');
    expect(fn.Properties.VpcConfig).toBeUndefined();
  });

  test('exact permissions: the function may write its own log and its dead letters, nothing else (the handle is a presigned URL)', () => {
    const statements = statementsOf(template, fn.Properties.Role['Fn::GetAtt'][0]);
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [idOf('AWS::Logs::LogGroup', 'ImagesFailureSignalFunctionLogs'), 'Arn'] },
      },
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [idOf('AWS::SQS::Queue', 'ImagesFailureSignalFunctionDeadLetters'), 'Arn'] } },
    ]);
  });

  test('events that fail every retry go to the function\'s dead-letter queue', () => {
    expect(rule.Properties.Targets[0]).toMatchObject({
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [idOf('AWS::SQS::Queue', 'ImagesFailureSignalFunctionDeadLetters'), 'Arn'] } },
      RetryPolicy: { MaximumRetryAttempts: 4 },
    });
  });

  test('the wait condition takes one signal: the first of the build script\'s and the function\'s ends the wait (both use the build id as UniqueId)', () => {
    const wait = Object.values(resources).find((resource) => resource.Type === 'AWS::CloudFormation::WaitCondition')!;
    expect(wait.Properties.Count).toBe(1);
  });
});

describe('repositories CloudFormation names', () => {
  const repositories = Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::ECR::Repository');
  const variables: Array<{ Name: string; Value: unknown }> = resources[projectId].Properties.Environment.EnvironmentVariables;

  test('no repository has a fixed name, so a retained one never blocks the next deployment ("already exists")', () => {
    expect(repositories).toHaveLength(3);
    for (const [, repository] of repositories) {
      expect(repository.Properties.RepositoryName).toBeUndefined();
      expect(repository.DeletionPolicy).toBe('Retain');
    }
  });

  test('the build is told each repository\'s URI, taken from the repository itself', () => {
    for (const image of ['base', 'claude', 'codex']) {
      const variable = variables.find((entry) => entry.Name === `REPOSITORY_URI_${image}`);
      expect(JSON.stringify(variable?.Value)).toContain(idOf('AWS::ECR::Repository', `Images${image}Repository`));
    }
    expect(variables.map((entry) => entry.Name)).not.toContain('REPOSITORY_URI_BASE');
  });
});

describe('Regions without CodeBuild', () => {
  test('the list is cfn-lint\'s: the Regions whose resource specification lacks AWS::CodeBuild::Project', () => {
    const script = [
      'import json, os, cfnlint',
      'from cfnlint.helpers import REGIONS',
      'base = os.path.join(os.path.dirname(cfnlint.__file__), "data", "schemas", "providers")',
      'found = [r for r in REGIONS if os.path.exists(os.path.join(base, r + ".json"))]',
      'print(json.dumps(sorted(r for r in found if "AWS::CodeBuild::Project" not in json.load(open(os.path.join(base, r + ".json"))))))',
    ].join('\n');
    const answer = spawnSync(pythonTool('python3'), ['-c', script], { encoding: 'utf8' });
    expect(answer.stderr).toBe('');
    expect(JSON.parse(answer.stdout)).toEqual([...REGIONS_WITHOUT_CODEBUILD].sort());
  });

  test.each(REGIONS_WITHOUT_CODEBUILD)('synthesis in %s fails, naming the ways to bring an image', (region) => {
    expect(() => synthBuild({ account: '123456789012', region })).toThrow(
      new RegExp(`CodeBuild is not offered in ${region}.*AgentImage\\.fromEcrRepository.*AgentImage\\.fromRegistry`));
  });

  test('a platform there whose agents bring their images synthesizes (nothing to build)', () => {
    const stack = new Stack(new App(), 'Canada', { env: { account: '123456789012', region: 'ca-west-1' } });
    new OutpostPlatform(stack, 'Outpost', { agents: [Agent.claude({ image: AgentImage.fromRegistry('ghcr.io/acme/outpost-claude:1') })] });
    expect(Template.fromStack(stack).toJSON().Rules?.OutpostCodeBuildRegion).toBeUndefined();
  });

  test('a stack in a known Region with CodeBuild has no Region rule', () => {
    expect(synthBuild({ account: '123456789012', region: 'eu-west-1' }).template.toJSON().Rules?.OutpostCodeBuildRegion).toBeUndefined();
  });

  test('cfn-lint finds no error in a Region-agnostic build\'s template, its rule included', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-image-build-lint-'));
    try {
      const file = path.join(dir, 'build.json');
      fs.writeFileSync(file, JSON.stringify(template.toJSON()));
      expect(template.toJSON().Rules.OutpostCodeBuildRegion).toBeDefined();
      // cfn-lint's default Region, us-east-1.
      expect(await cfnLintErrors('agent-image-build', [file])).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);

  test('a Region-agnostic stack synthesizes, with one template rule (for its two builds) that refuses those Regions at deploy time', () => {
    const { template: agnostic } = synthPlatform({ agents: [Agent.claude(), Agent.codex({ cpuArchitecture: FargateArchitecture.X86_64 })] });
    agnostic.resourceCountIs('AWS::CodeBuild::Project', 2);
    const rules = agnostic.toJSON().Rules;
    expect(Object.keys(rules).filter((id) => id !== 'CheckBootstrapVersion')).toEqual(['OutpostCodeBuildRegion']);
    expect(rules.OutpostCodeBuildRegion.Assertions).toEqual([{
      Assert: { 'Fn::Not': [{ 'Fn::Contains': [[...REGIONS_WITHOUT_CODEBUILD], { Ref: 'AWS::Region' }] }] },
      AssertDescription: expect.stringMatching(/CodeBuild is not offered in ap-east-2, ca-west-1 or mx-central-1.*AgentImage\.fromEcrRepository.*AgentImage\.fromRegistry/),
    }]);
  });
});

describe('exact permissions of the build role on ECR', () => {
  test('pull, push and describe its own repositories; log in (which takes no resource)', () => {
    const role = resources[projectId].Properties.ServiceRole['Fn::GetAtt'][0];
    const ecrStatements = statementsOf(template, role).filter((statement) => JSON.stringify(statement.Action).includes('ecr:'));
    const repositoryArns = ['base', 'claude', 'codex'].map((image) => ({ 'Fn::GetAtt': [idOf('AWS::ECR::Repository', `Images${image}Repository`), 'Arn'] }));
    const onRepositories = ecrStatements.filter((statement) => statement.Resource !== '*');
    expect(ecrStatements.filter((statement) => statement.Resource === '*')).toEqual([{ Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' }]);
    const actions = new Set(onRepositories.flatMap((statement) => [statement.Action].flat()));
    expect([...actions].sort()).toEqual([
      'ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:CompleteLayerUpload', 'ecr:DescribeImages',
      'ecr:GetDownloadUrlForLayer', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart',
    ]);
    for (const statement of onRepositories) {
      expect(repositoryArns).toContainEqual(statement.Resource);
    }
    expect(new Set(onRepositories.map((statement) => JSON.stringify(statement.Resource))).size).toBe(3);
  });
});

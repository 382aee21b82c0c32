import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsCustomResource } from 'aws-cdk-lib/custom-resources';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { Agent, AgentImage, AgentKind, EgressAllowList, GitCredentials, OutpostPlatform, ProviderKeyRotation } from '../src';

type Configure = (stack: Stack) => void;

/**
 * Synthesize one stack, then run both rule packs over its construct tree; return the rule ids they report.
 * cdk-nag's `validateScope`, its entry point for aws-cdk-lib releases whose validation context does not carry
 * the construct tree: on aws-cdk-lib 2.257.0, the lowest the library supports and the one it is tested against,
 * a pack added with `Validations.addPlugins` cannot see the tree and reports nothing (the non-compliant
 * resource test below fails if the check ever goes blind again).
 */
function nagFindings(configure: Configure): { findings: string[]; app: App } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-nag-'));
  const app = new App({ outdir });
  configure(new Stack(app, 'Quickstart'));
  try {
    app.synth();
    const violations = [new AwsSolutionsChecks(), new NIST80053R5Checks()].flatMap((pack) => pack.validateScope(app).violations);
    const ids = violations.map(({ ruleName }) => /(AwsSolutions-[A-Z0-9]+|NIST\.800\.53\.R5-[A-Za-z0-9]+)/.exec(ruleName)?.[1] ?? ruleName);
    return { findings: [...new Set(ids)], app };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const configurations: Record<string, Configure> = {
  'the quickstart (no props)': (stack) => new OutpostPlatform(stack, 'Outpost'),
  'every option on': (stack) => new OutpostPlatform(stack, 'Outpost', {
    natGateways: 2,
    egressAllowList: EgressAllowList.defaults(),
    artifactsEncryptionKey: new kms.Key(stack, 'ArtifactsKey', { enableKeyRotation: true }),
    artifactRetention: Duration.days(7),
    removalPolicy: RemovalPolicy.DESTROY,
    apiThrottling: { rateLimit: 10, burstLimit: 20 },
    gitCredentials: GitCredentials.githubApp({
      appId: 123456,
      privateKey: secretsmanager.Secret.fromSecretAttributes(stack, 'GitHubAppKey', {
        secretCompleteArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:outpost/github-app-AbCdEf',
        encryptionKey: kms.Key.fromKeyArn(stack, 'GitHubAppKeyKey', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
      }),
    }),
    providerKeyRotation: {
      automaticallyAfter: Duration.days(30),
      openai: ProviderKeyRotation.openAiServiceAccount({
        adminKey: secretsmanager.Secret.fromSecretCompleteArn(stack, 'OpenAiAdminKey', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:openai-admin-AbCdEf'),
        projectId: 'proj_abc123',
      }),
    },
  }),
  'Claude on Bedrock and images from registries': (stack) => new OutpostPlatform(stack, 'Outpost', {
    agents: [
      Agent.claude({ useBedrock: true }),
      Agent.codex({ image: AgentImage.fromRegistry('ghcr.io/acme/outpost-codex:1.0.0') }),
      Agent.aider({ image: AgentImage.fromAsset(AgentKind.AIDER) }),
    ],
  }),
  'an existing VPC': (stack) => new OutpostPlatform(stack, 'Outpost', {
    vpc: ec2.Vpc.fromVpcAttributes(stack, 'Existing', {
      vpcId: 'vpc-0123456789abcdef0',
      vpcCidrBlock: '10.1.0.0/16',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      privateSubnetIds: ['subnet-a', 'subnet-b'],
    }),
    vpcEndpoints: { secretsManager: true },
  }),
};

describe('cdk-nag AwsSolutions and NIST 800-53 R5', () => {
  test.each(Object.keys(configurations))('%s has no unacknowledged finding', (name) => {
    expect(nagFindings(configurations[name]).findings).toEqual([]);
  });

  test('the check does fail on a non-compliant resource beside the platform', () => {
    const { findings } = nagFindings((stack) => {
      new OutpostPlatform(stack, 'Outpost');
      new s3.Bucket(stack, 'Careless');
    });
    expect(findings).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });

  // aws-cdk-lib acknowledges some of its own CloudFormation-Validate rules on the stack; only cdk-nag's count here.
  test('cdk-nag acknowledgements sit on specific resources, never on the stack or the platform as a whole', () => {
    const { app } = nagFindings(configurations['every option on']);
    const acknowledged: Array<{ path: string; depth: number }> = [];
    const visit = (node: IConstruct, depth: number): void => {
      const ours = node.node.metadata
        .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
        .flatMap((entry) => Object.keys(entry.data as object))
        .filter((rule) => /AwsSolutions|NIST/.test(rule));
      if (ours.length > 0) {
        acknowledged.push({ path: node.node.path, depth });
      }
      node.node.children.forEach((child) => visit(child, depth + 1));
    };
    visit(app, 0);
    expect(acknowledged.length).toBeGreaterThan(0);
    // aws-cdk-lib's singleton custom-resource function lives at the stack's top level, but is one resource.
    const cdkSingleton = `Quickstart/AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;
    for (const { path: where } of acknowledged) {
      expect({ where, ok: where === cdkSingleton || where.split('/').length >= 4 }).toEqual({ where, ok: true });
    }
  });
});

import * as fs from 'fs';
import * as path from 'path';
import {
  cfnLintErrors, CfnTemplate, countOf, expectPlatformResources, readTemplate, removeScratch, REPO_ROOT, requireArtifact,
  resourcesOfType, run, scratchDir, templateFile,
} from './support';

/**
 * The TypeScript examples, synthesized by the real CDK CLI from their own folders, importing `outpost-cdk`
 * by name: inside this checkout that resolves to the build through the link:self symlink.
 */

const EXAMPLES = path.join(REPO_ROOT, 'examples', 'typescript');

/** `cdk synth` one example into a fresh directory. */
async function synth(example: string): Promise<string> {
  const outdir = scratchDir(`ts-${example}`);
  await run('npx', ['cdk', 'synth', '--quiet', '--no-notices', '-o', outdir], { cwd: path.join(EXAMPLES, example), timeoutMs: 240_000 });
  return outdir;
}

const deletionPolicies = (template: CfnTemplate, type: string) => [...new Set(resourcesOfType(template, type).map(([, r]) => r.DeletionPolicy ?? 'Delete'))];
const retentionDays = (template: CfnTemplate) => [...new Set(resourcesOfType(template, 'AWS::Logs::LogGroup').map(([, r]) => r.Properties.RetentionInDays))];

describe('the TypeScript examples', () => {
  let quickstart: string;
  let multiEnv: string;

  beforeAll(async () => {
    requireArtifact(path.join(REPO_ROOT, 'assets', 'handlers', 'health', 'index.js'), 'pre-compile');
    requireArtifact(path.join(REPO_ROOT, 'lib', 'index.js'), 'compile');
    const link = path.join(REPO_ROOT, 'node_modules', 'outpost-cdk');
    if (!fs.existsSync(link) || fs.realpathSync(link) !== fs.realpathSync(REPO_ROOT)) {
      throw new Error('node_modules/outpost-cdk does not lead to this checkout: run `npx projen link:self` first');
    }
    [quickstart, multiEnv] = await Promise.all([synth('quickstart'), synth('multi-env')]);
  }, 300_000);

  afterAll(() => [quickstart, multiEnv].forEach(removeScratch));

  test('quickstart: one OutpostQuickstart stack with the whole platform', () => {
    expect(fs.readdirSync(quickstart).filter((file) => file.endsWith('.template.json'))).toEqual(['OutpostQuickstart.template.json']);
    expectPlatformResources(readTemplate(quickstart, 'OutpostQuickstart'));
  });

  describe('multi-env', () => {
    let dev: CfnTemplate;
    let prod: CfnTemplate;
    beforeAll(() => {
      expect(fs.readdirSync(multiEnv).filter((file) => file.endsWith('.template.json')).sort()).toEqual(['OutpostDev.template.json', 'OutpostProd.template.json']);
      dev = readTemplate(multiEnv, 'OutpostDev');
      prod = readTemplate(multiEnv, 'OutpostProd');
    });

    test('both stages are whole platforms', () => {
      expectPlatformResources(dev);
      expectPlatformResources(prod);
    });

    test('dev shares one NAT gateway; prod has one per AZ', () => {
      expect(countOf(dev, 'AWS::EC2::NatGateway')).toBe(1);
      expect(countOf(prod, 'AWS::EC2::NatGateway')).toBe(2);
      const azs = (template: CfnTemplate) => new Set(resourcesOfType(template, 'AWS::EC2::Subnet').map(([, s]) => JSON.stringify(s.Properties.AvailabilityZone))).size;
      expect(azs(prod)).toBe(2);
    });

    test('prod retains its data; dev deletes it', () => {
      for (const type of ['AWS::DynamoDB::GlobalTable', 'AWS::S3::Bucket', 'AWS::EFS::FileSystem', 'AWS::Logs::LogGroup']) {
        expect({ type, prod: deletionPolicies(prod, type), dev: deletionPolicies(dev, type) }).toEqual({ type, prod: ['Retain'], dev: ['Delete'] });
      }
    });

    test('only prod filters DNS with the default egress allow-list', () => {
      expect(countOf(prod, 'AWS::Route53Resolver::FirewallRuleGroup')).toBe(1);
      expect(countOf(prod, 'AWS::Route53Resolver::FirewallRuleGroupAssociation')).toBe(1);
      expect(countOf(dev, 'AWS::Route53Resolver::FirewallRuleGroup')).toBe(0);
    });

    test('logs: a week in dev, a year in prod', () => {
      expect(retentionDays(dev)).toEqual([7]);
      expect(retentionDays(prod)).toEqual([365]);
    });

    test('dev keeps artifacts 7 days and throttles the API lower', () => {
      const artifactExpiry = (template: CfnTemplate) => resourcesOfType(template, 'AWS::S3::Bucket')
        .filter(([id]) => id.includes('ArtifactsBucket'))
        .map(([, bucket]) => bucket.Properties.LifecycleConfiguration.Rules[0].ExpirationInDays);
      expect(artifactExpiry(dev)).toEqual([7]);
      expect(artifactExpiry(prod)).toEqual([30]);
      const throttling = (template: CfnTemplate) => resourcesOfType(template, 'AWS::ApiGatewayV2::Stage')[0][1].Properties.DefaultRouteSettings;
      expect(throttling(dev).ThrottlingRateLimit).toBeLessThan(throttling(prod).ThrottlingRateLimit);
      expect(throttling(dev).ThrottlingBurstLimit).toBeLessThan(throttling(prod).ThrottlingBurstLimit);
    });

    test('prod has termination protection', () => {
      const manifest = JSON.parse(fs.readFileSync(path.join(multiEnv, 'manifest.json'), 'utf8'));
      expect(manifest.artifacts.OutpostProd.properties.terminationProtection).toBe(true);
      expect(manifest.artifacts.OutpostDev.properties.terminationProtection).toBeFalsy();
    });
  });

  test('scripts/summarize-synth.ts describes each stack', async () => {
    const { stdout } = await run('npx', ['ts-node', '--project', 'test/tsconfig.json', 'scripts/summarize-synth.ts', multiEnv], { timeoutMs: 120_000 });
    expect(stdout).toContain('Stack OutpostDev');
    expect(stdout).toContain('Stack OutpostProd');
    expect(stdout).toMatch(/NAT gateways 1\b[\s\S]*NAT gateways 2\b/);
    expect(stdout).toContain('GET /health');
    expect(stdout).toContain('AWS_IAM');
  }, 120_000);

  test('cfn-lint finds no errors in any template', async () => {
    const templates = [templateFile(quickstart, 'OutpostQuickstart'), templateFile(multiEnv, 'OutpostDev'), templateFile(multiEnv, 'OutpostProd')];
    expect(await cfnLintErrors('typescript-examples', templates)).toEqual([]);
  }, 240_000);
});

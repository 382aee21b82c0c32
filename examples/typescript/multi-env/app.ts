/**
 * The same Outpost platform for two environments, one stack each, deployed one environment at a time:
 *
 *   npx cdk deploy OutpostDev  --profile dev
 *   npx cdk deploy OutpostProd --profile prod
 *
 * Everything that differs between the environments is in `STAGES` below, spelled out for both, so that
 * a difference is always a decision someone wrote down.
 */
import { App, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { EgressAllowList, OutpostPlatform, OutpostPlatformProps } from 'outpost-cdk';

/** The platform settings every stage must choose; the rest stay at the library's defaults. */
type PlatformSettings =
  Required<Pick<OutpostPlatformProps,
  'maxAzs' | 'natGateways' | 'logRetention' | 'flowLogRetention' | 'artifactRetention' | 'removalPolicy' | 'apiThrottling'>>
  // Optional on purpose: leaving it out means "no DNS filtering".
  & Pick<OutpostPlatformProps, 'egressAllowList'>;

interface StageConfig {
  /** The stack name, which is also what `cdk deploy` takes. */
  readonly stackName: string;
  /** Refuse `cdk destroy` / stack deletion until someone turns this off. */
  readonly terminationProtection: boolean;
  readonly platform: PlatformSettings;
}

const STAGES: Record<'dev' | 'prod', StageConfig> = {
  dev: {
    stackName: 'OutpostDev',
    terminationProtection: false,
    platform: {
      // Two AZs is the platform's minimum. One NAT gateway serves both: about half the NAT cost, and an
      // outage of its AZ only stops development traffic for a while.
      maxAzs: 2,
      natGateways: 1,
      // Development logs are for debugging what happened this week, not for audits: keep them briefly.
      logRetention: logs.RetentionDays.ONE_WEEK,
      flowLogRetention: logs.RetentionDays.ONE_WEEK,
      // Run artifacts of test runs are rarely looked at after a few days.
      artifactRetention: Duration.days(7),
      // Development data is disposable: `cdk destroy` removes tables, buckets, file system and log groups
      // instead of leaving them behind (and billing) after the stack is gone.
      removalPolicy: RemovalPolicy.DESTROY,
      // A few developers call this API; a low limit stops a runaway script from starting tasks by the hundred.
      apiThrottling: { rateLimit: 5, burstLimit: 10 },
      // No egressAllowList: agents may resolve any domain, so trying a new tool or registry is not blocked.
    },
  },
  prod: {
    stackName: 'OutpostProd',
    terminationProtection: true,
    platform: {
      // One NAT gateway per AZ: losing an AZ then cannot cut the other AZ's agents off the internet.
      maxAzs: 2,
      natGateways: 2,
      // A year of API, function and flow logs, for incident investigations and audits.
      logRetention: logs.RetentionDays.ONE_YEAR,
      flowLogRetention: logs.RetentionDays.ONE_YEAR,
      // The library's default: long enough to review a run's output, short enough not to hoard code.
      artifactRetention: Duration.days(30),
      // Keep tables, buckets, the workspace file system and log groups even if the stack is deleted by mistake.
      removalPolicy: RemovalPolicy.RETAIN,
      // The library's default limits, sized for a team's worth of automation.
      apiThrottling: { rateLimit: 50, burstLimit: 100 },
      // Agents may resolve only model APIs, source hosts and package registries (DNS Firewall on the VPC):
      // a prompt-injected agent cannot send code to an arbitrary domain.
      egressAllowList: EgressAllowList.defaults(),
    },
  },
};

const app = new App();

for (const [stage, config] of Object.entries(STAGES)) {
  const stack = new Stack(app, config.stackName, {
    description: `Outpost: isolated, single-use Fargate tasks for AI coding agents (${stage})`,
    // The CLI sets these from the profile it deploys with, so each `--profile` picks that environment's
    // account and Region. Unset (no credentials, e.g. `cdk synth` in CI), the stack is environment-agnostic.
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    terminationProtection: config.terminationProtection,
  });
  Tags.of(stack).add('outpost:stage', stage);
  new OutpostPlatform(stack, 'Outpost', config.platform);
}

app.synth();

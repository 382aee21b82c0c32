import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { ApiHandler } from './api-event';
import { MotoServer, startMoto } from './moto-server';
import type { PlatformConfig } from '../../runtime/core/config';
import { createPlatformTables, INDEXES, type TableNames } from '../runtime/dispatch/support/platform-tables';
import { createAgentCluster } from '../runtime/pool/moto-cluster';
import { createAgentNetwork } from '../runtime/pool/moto-network';

/** The platform's AWS side in moto, for the control-plane handlers: one agent, `claude`. */
export interface MotoPlatform {
  readonly moto: MotoServer;
  readonly tables: TableNames;
  readonly config: PlatformConfig;
  /**
   * The handler of `runtime/handlers/<name>`, loaded now, as on a Lambda cold start: it reads OUTPOST_CONFIG
   * and the AWS environment (AWS_ENDPOINT_URL) as they are at this moment.
   */
  handler(name: string): ApiHandler;
  stop(): Promise<void>;
}

export interface MotoPlatformOptions {
  /** Where workers listen for their assignment. @default 8080 */
  readonly workerPort?: number;
}

/**
 * Starts moto and creates what `OutpostPlatform` deploys for the handlers: the tables (as the construct
 * defines them), a private subnet and security group, the cluster, the agent's task definition and the
 * artifacts bucket; OUTPOST_CONFIG names them until `stop()`.
 */
export async function startMotoPlatform(options: MotoPlatformOptions = {}): Promise<MotoPlatform> {
  const moto = await startMoto();
  const tables = await createPlatformTables(new DynamoDBClient({}));
  const network = await createAgentNetwork(moto.endpoint);
  const taskDefinitionArn = await createAgentCluster(new ECSClient({}), 'claude');
  await new S3Client({ forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: 'outpost-artifacts' }));
  const config: PlatformConfig = {
    tables: { ...tables, indexes: { ...INDEXES, byAgentState: 'byAgentState' } },
    cluster: 'outpost',
    subnets: [network.subnetId],
    securityGroups: [network.securityGroupId],
    workerPort: options.workerPort ?? 8080,
    spotEnabled: true,
    artifactsBucket: 'outpost-artifacts',
    eventBus: 'outpost-events',
    agents: {
      claude: {
        taskDefinitionArn,
        logGroupName: 'outpost-claude',
        defaultModel: 'claude-sonnet-4-5',
        models: { flagship: 'claude-opus-4-1', balanced: 'claude-sonnet-4-5', fast: 'claude-haiku-4-5' },
      },
    },
  };
  process.env.OUTPOST_CONFIG = JSON.stringify(config);
  return {
    moto,
    tables,
    config,
    handler: (name) => jest.requireActual(`../../runtime/handlers/${name}`).handler,
    async stop() {
      delete process.env.OUTPOST_CONFIG;
      await moto.stop();
    },
  };
}

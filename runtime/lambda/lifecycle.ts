import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ArtifactStore } from '../adapters/artifact-store';
import { DispatchRepository } from '../adapters/dispatch-repository';
import { PoolRepository } from '../adapters/pool-repository';
import { WorkerClient } from '../adapters/worker-client';
import { WorkerLauncher } from '../adapters/worker-launcher';
import { loadConfig } from '../core/config';
import type { LifecycleDeps } from '../services/lifecycle-deps';

/** The agent container's name in every agent task definition (src/agents/agent-task-definition.ts). */
const AGENT_CONTAINER = 'agent';

let deps: LifecycleDeps | undefined;

/** Clients and adapters for the lifecycle handlers, created once per execution environment. */
export function lifecycleDeps(): LifecycleDeps {
  if (!deps) {
    const config = loadConfig();
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    deps = {
      config,
      dispatches: new DispatchRepository(documents, config.tables.dispatches, config.tables.indexes),
      pool: new PoolRepository(documents, config.tables.pool, config.tables.indexes.byAgentState),
      launcher: new WorkerLauncher(new ECSClient({}), {
        cluster: config.cluster,
        taskDefinitionArns: Object.fromEntries(Object.entries(config.agents).map(([agent, settings]) => [agent, settings.taskDefinitionArn])),
        subnets: config.subnets,
        securityGroups: config.securityGroups,
        spotEnabled: config.spotEnabled,
        containerName: AGENT_CONTAINER,
      }),
      artifacts: new ArtifactStore(new S3Client({}), config.artifactsBucket),
      workers: new WorkerClient(),
      now: () => new Date(),
    };
  }
  return deps;
}

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AgentTaskDefinitions } from '../adapters/agent-task-definitions';
import { DispatchRepository } from '../adapters/dispatch-repository';
import { EcrImages } from '../adapters/ecr-images';
import { PoolRepository } from '../adapters/pool-repository';
import { SecretVersions } from '../adapters/secret-versions';
import { loadConfig } from '../core/config';
import type { FleetHealthDeps } from '../services/fleet-health';
import { fleetReadiness } from '../services/fleet-readiness';

let deps: FleetHealthDeps | undefined;

/**
 * The dispatches and pool tables, and the agents' task definitions, images and provider secrets, for
 * `GET /health/fleet`, created once per execution environment.
 */
export function fleetHealthDeps(): FleetHealthDeps {
  if (!deps) {
    const config = loadConfig();
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const secrets = new SecretVersions(new SecretsManagerClient({}));
    const taskDefinitions = new AgentTaskDefinitions(new ECSClient({}));
    const images = new EcrImages({ endpoint: ecrEndpoint(), credentials: defaultProvider() });
    deps = {
      agents: Object.keys(config.agents),
      dispatches: new DispatchRepository(documents, config.tables.dispatches, config.tables.indexes),
      pool: new PoolRepository(documents, config.tables.pool, config.tables.indexes.byAgentState),
      now: () => new Date(),
      readiness: () => fleetReadiness({
        agents: config.agents,
        describeSecret: (secretId) => secrets.describe(secretId),
        describeTaskDefinition: (arn, container) => taskDefinitions.describe(arn, container),
        imageExists: (image) => images.exists(image),
      }),
    };
  }
  return deps;
}

/** ECR's API endpoint is `api.ecr.<region>.amazonaws.com`; an endpoint set as the SDK reads it comes first. */
function ecrEndpoint(): string | undefined {
  if (process.env.AWS_ENDPOINT_URL_ECR ?? process.env.AWS_ENDPOINT_URL) {
    return undefined;
  }
  return process.env.AWS_REGION ? `https://api.ecr.${process.env.AWS_REGION}.amazonaws.com` : undefined;
}

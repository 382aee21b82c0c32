import { IResolvable, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { DispatchBudgetOptions } from './dispatch-budget';
import { GitCredentials } from './git-credentials';
import { PERSISTENT_WORKSPACE_PATH } from './persistent-workspaces';
import { AgentFleet } from '../agents/agent-fleet';
import { ModelTier } from '../agents/agent-kind';
import { AGENT_CONTAINER_NAME } from '../agents/agent-task-definition';
import { OutpostCluster } from '../cluster/outpost-cluster';
import { PlatformStorage } from '../cluster/platform-storage';
import { PlatformIndex } from '../cluster/platform-tables';
import { secretId } from '../core/secret-grants';
import { SecureVpc } from '../network/secure-vpc';

/** What the handlers' configuration is made of. */
export interface PlatformConfigSources {
  readonly network: SecureVpc;
  readonly cluster: OutpostCluster;
  /** The platform's tables, artifacts bucket and workspaces file system. */
  readonly storage: PlatformStorage;
  readonly agents: AgentFleet;
  readonly eventBus: events.IEventBus;
  /** The platform key: it seals worker tokens. */
  readonly encryptionKey: kms.IKey;
  readonly spotEnabled: boolean;
  /** The family prefix of workspace task definitions (`workspaceFamilyPrefix`). */
  readonly workspaceFamilyPrefix: string;
  readonly gitCredentials?: GitCredentials;
  /** Which repositories callers may dispatch to: `ControlPlaneApi._repositoryPolicy()`. */
  readonly repositories: IResolvable;
  /** Spending limits per dispatch, checked (`budgetConfig`). */
  readonly budget?: DispatchBudgetOptions;
}

/**
 * The deployed platform as the control-plane handlers see it (`OUTPOST_CONFIG`, parsed by
 * runtime/core/config.ts): resource names resolve at deploy time, so this is a token-aware JSON string.
 */
export function platformConfig(scope: Construct, sources: PlatformConfigSources): string {
  const { cluster, storage, network, agents } = sources;
  return Stack.of(scope).toJsonString({
    tables: {
      dispatches: storage.tables.dispatches.tableName,
      pool: storage.tables.pool.tableName,
      audit: storage.tables.audit.tableName,
      indexes: {
        byRequester: PlatformIndex.DISPATCHES_BY_REQUESTER,
        byAgentStatus: PlatformIndex.DISPATCHES_BY_AGENT_STATUS,
        byAgentState: PlatformIndex.POOL_BY_AGENT_STATE,
      },
    },
    cluster: cluster.cluster.clusterArn,
    workerTokenKey: sources.encryptionKey.keyArn,
    subnets: network.vpc.selectSubnets(network.taskSubnets).subnetIds,
    securityGroups: [network.agentSecurityGroup.securityGroupId],
    workerPort: network.workerPort,
    spotEnabled: sources.spotEnabled,
    artifactsBucket: storage.artifacts.bucket.bucketName,
    // Virtual-hosted and regional, in the bucket's own partition: the URL the handlers presign.
    artifactsBucketUrl: `https://${storage.artifacts.bucket.bucketRegionalDomainName}`,
    eventBus: sources.eventBus.eventBusName,
    gitCredentials: sources.gitCredentials?._config(),
    repositories: sources.repositories,
    budget: sources.budget,
    agents: Object.fromEntries(agents.agents.map((agent) => {
      const definition = agents.taskDefinition(agent.kind);
      const secret = agents._apiKeySecret(agent);
      return [agent.kind, {
        taskDefinitionArn: definition.taskDefinition.taskDefinitionArn,
        logGroupName: definition.logGroup.logGroupName,
        defaultModel: agent.defaultModel,
        models: Object.fromEntries(Object.values(ModelTier).map((tier) => [tier, agent.modelFor(tier)])),
        cpuArchitecture: agent.cpuArchitecture,
        // Fleet health describes it (never reads it); only the platform's own secrets start with a placeholder.
        providerSecret: secret && { arn: secretId(secret), createdWithPlaceholder: agent.apiKeySecret === undefined },
      }];
    })),
    workspaces: {
      table: storage.tables.workspaces.tableName,
      fileSystemId: storage.workspaces.fileSystemId,
      familyPrefix: sources.workspaceFamilyPrefix,
      containerName: AGENT_CONTAINER_NAME,
      mountPath: PERSISTENT_WORKSPACE_PATH,
    },
  });
}

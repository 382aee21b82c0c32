import { ArnFormat, Duration, Names, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { GitCredentials } from './git-credentials';
import type { FunctionDefaults } from './persistent-workspaces';
import { AgentFleet } from '../agents/agent-fleet';
import { OutpostCluster } from '../cluster/outpost-cluster';
import { PlatformStorage } from '../cluster/platform-storage';
import { grantWorkerToken } from '../cluster/worker-grants';
import { PlatformFunction } from '../core/platform-function';

/** The variable that names the function to workers (runtime/core/handoff/worker-credentials.ts `WORKER_CREDENTIALS_FUNCTION_VARIABLE`). */
export const WORKER_CREDENTIALS_FUNCTION_VARIABLE = 'OUTPOST_CREDENTIALS_FUNCTION';

/** What the worker-credentials function is made from. */
export interface WorkerCredentialsSources {
  readonly functionDefaults: FunctionDefaults;
  readonly cluster: OutpostCluster;
  /** The platform's tables, artifacts bucket and workspaces file system. */
  readonly storage: PlatformStorage;
  readonly agents: AgentFleet;
  /** The platform key: it seals worker tokens. */
  readonly encryptionKey: kms.IKey;
  readonly gitCredentials?: GitCredentials;
}

/**
 * The function a worker invokes just before it pushes and uploads, for a fresh git credential and upload policy
 * on proof of its assignment token (runtime/handlers/worker-credentials; docs/security.md, "Credentials that
 * outlast the run"). It reads its dispatch and the task's pool item, opens the task's sealed token, mints as
 * the hand-off mints; each agent's task role may invoke it, and nothing else may.
 *
 * Its name is fixed at synth: the task definitions name it to their workers, and a reference would close a
 * cycle (the function's configuration names the task definitions).
 */
export function addWorkerCredentials(scope: Construct, sources: WorkerCredentialsSources): PlatformFunction {
  const { cluster, storage, agents } = sources;
  const functionName = `${Names.uniqueResourceName(scope, { maxLength: 45 })}-worker-credentials`;
  // A GitHub token mint is two calls of 3 s at most; the worker waits 20 s (runtime/worker/credential-renewal.ts).
  const renewer = new PlatformFunction(scope, 'WorkerCredentials', {
    ...sources.functionDefaults,
    handler: 'worker-credentials',
    description: 'Outpost: renews a run\'s git credential and upload policy for its worker, on its assignment token',
    synchronousOnly: true,
    timeout: Duration.seconds(15),
    functionName,
  });

  const tables = storage.tables;
  tables.grantItems(renewer.role, [tables.dispatches, tables.pool], 'GetItem');
  grantWorkerToken(renewer.role, sources.encryptionKey, cluster.cluster, 'kms:Decrypt');
  sources.gitCredentials?._grantRead(renewer.role);
  // A presigned upload carries its signer's PutObject (and, with a key of the bucket's own, GenerateDataKey).
  storage.artifacts.grantPresignedUpload(renewer.role);

  // The unqualified function only (the worker invokes no version or alias), formatted from its name: no reference.
  const functionArn = Stack.of(scope).formatArn({ service: 'lambda', resource: 'function', resourceName: functionName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  for (const agent of agents.agents) {
    const definition = agents.taskDefinition(agent.kind);
    definition.taskRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [functionArn] }));
    definition.container.addEnvironment(WORKER_CREDENTIALS_FUNCTION_VARIABLE, functionName);
  }
  return renewer;
}

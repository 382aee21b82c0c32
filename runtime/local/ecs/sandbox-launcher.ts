import * as net from 'net';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTaskDefinitionCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import type { EFSClient } from '@aws-sdk/client-efs';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { TaskFailedToStartError, type LaunchedTask, type TaskLauncher } from './ecs-emulator';
import { EfsVolumes } from './efs-volumes';
import type { LocalTaskNetwork } from './task-state-event';
import { WorkerLogs } from './worker-logs';
import { AGENT_NAMES, type AgentName } from '../../contracts/agent-names';
import { installCli } from '../kit/cli-install';
import { Sandbox, type Endpoint } from '../kit/sandbox/sandbox';
import { scratchDirectory } from '../kit/scratch';
import { taskConditionsFromTemplate, type CloudFormationTemplate } from '../kit/task-conditions';

/** What a task of `agent` may reach besides AWS (the git server, the agent's model), and what it is told of them. */
export interface TaskReach {
  readonly endpoints: Readonly<Record<string, Endpoint>>;
  readonly env: Readonly<Record<string, string>>;
  /** CAs the task trusts besides the system's (the local git server's, the stand-ins' fronts). */
  readonly extraCa: string;
}

export interface SandboxLauncherOptions {
  readonly template: CloudFormationTemplate;
  /** Resolves a template value (a container's environment variable) as the deploy did. */
  readonly resolve: (value: unknown, name: string) => string;
  readonly ecs: ECSClient;
  readonly secrets: SecretsManagerClient;
  readonly logs: CloudWatchLogsClient;
  /** Where the task definitions' EFS access points are described (moto). */
  readonly efs: EFSClient;
  /** The directory the EFS file systems' files live in. @default a scratch directory of this process */
  readonly efsRoot?: string;
  readonly region: string;
  /** Where the task's AWS calls go (the IAM gate), as a host port, and the container credentials endpoint's. */
  readonly aws: { readonly hostPort: number; readonly credentialsHostPort: number; credentialsPath(task: Task, taskRoleArn: string): string };
  /** Per agent: the servers the task may reach, the variables naming them, the CAs it trusts. */
  readonly reach: (agent: AgentName) => Promise<TaskReach>;
  readonly log: (line: string) => void;
}

/** Ports inside the sandbox: AWS's endpoint and the credentials endpoint (ECS's is 169.254.170.2:80). */
const AWS_INSIDE_PORT = 4566;
const CREDENTIALS_INSIDE_PORT = 4567;
/** ECS's default stop timeout, for a container definition without `stopTimeout`: SIGKILL this long after SIGTERM. */
const DEFAULT_STOP_TIMEOUT_SECONDS = 30;

/**
 * Starts a task of the platform's cluster as Fargate would: the bundled worker and the agent's real CLI at its
 * image's pin, in the conformance sandbox under the task definition's conditions (user, capabilities, read-only
 * root, volumes), with the definition's environment, the RunTask overrides, and its secrets fetched from Secrets
 * Manager (a secret without a value fails the task to start, as ECS does). The worker's port is reached at the
 * task's local address; its output goes to the task definition's log group.
 */
export class SandboxLauncher implements TaskLauncher {
  private readonly efsVolumes: EfsVolumes;

  constructor(private readonly options: SandboxLauncherOptions) {
    this.efsVolumes = new EfsVolumes(options.efs, options.efsRoot ?? scratchDirectory('local-efs'));
  }

  public async launch(task: Task, network: LocalTaskNetwork): Promise<LaunchedTask> {
    const { options } = this;
    const { taskDefinition } = await options.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: task.taskDefinitionArn }));
    const container = taskDefinition?.containerDefinitions?.[0];
    const agent = container?.environment?.find((variable) => variable.name === 'OUTPOST_AGENT')?.value as AgentName | undefined;
    if (!container || !agent || !AGENT_NAMES.includes(agent)) {
      throw new TaskFailedToStartError(`CannotStartContainerError: ${task.taskDefinitionArn} is not an agent task definition of the platform`);
    }
    const conditions = taskConditionsFromTemplate(options.template, agent, undefined, options.resolve);
    const secrets: Record<string, string> = {};
    for (const secret of container.secrets ?? []) {
      secrets[secret.name!] = await this.secretValue(secret.valueFrom!);
    }
    // The registered definition's environment: a persistent workspace's definition adds the variables of its mount.
    const definitionEnvironment = Object.fromEntries((container.environment ?? []).map((variable) => [variable.name!, variable.value ?? '']));
    const overrides = Object.fromEntries((task.overrides?.containerOverrides?.find((override) => override.name === container.name)?.environment ?? [])
      .map((variable) => [variable.name!, variable.value!]));
    const reach = await options.reach(agent);
    const cli = await installCli(agent);
    const workerPort = Number(conditions.environment.OUTPOST_WORKER_PORT ?? 8080);
    const taskId = task.taskArn!.split('/').pop()!;
    // The container's own stop timeout (the platform's worker asks for Fargate's longest, 120 s, to push after SIGTERM).
    const stopTimeoutSeconds = container.stopTimeout ?? DEFAULT_STOP_TIMEOUT_SECONDS;
    const efsMounts = await this.efsVolumes.mount(taskDefinition!, container.name!, conditions);
    const sandbox = await Sandbox.start({
      conditions,
      cli,
      endpoints: {
        ...reach.endpoints,
        aws: { hostPort: options.aws.hostPort, insidePort: AWS_INSIDE_PORT },
        credentials: { hostPort: options.aws.credentialsHostPort, insidePort: CREDENTIALS_INSIDE_PORT },
      },
      inboundPort: workerPort,
      env: {
        // What Fargate adds to every task.
        AWS_REGION: options.region,
        AWS_DEFAULT_REGION: options.region,
        AWS_EXECUTION_ENV: 'AWS_ECS_FARGATE',
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${CREDENTIALS_INSIDE_PORT}${options.aws.credentialsPath(task, taskDefinition!.taskRoleArn!)}`,
        // Outpost Local's one addition: AWS is the IAM gate in front of moto, not the regional endpoints.
        AWS_ENDPOINT_URL: `http://127.0.0.1:${AWS_INSIDE_PORT}`,
        ...definitionEnvironment,
        ...reach.env,
        ...secrets,
        ...overrides,
      },
      sharedVolumes: efsMounts,
      extraCa: reach.extraCa,
      command: ['node', '/opt/outpost/worker/worker.js'],
    }).catch((error: unknown) => {
      this.efsVolumes.release(efsMounts);
      throw error;
    });
    const logOptions = container.logConfiguration?.options ?? {};
    const logs = new WorkerLogs(options.logs, logOptions['awslogs-group'] ?? `/ecs/${agent}`, `${logOptions['awslogs-stream-prefix'] ?? agent}/${container.name}/${taskId}`);
    const shipper = setInterval(() => void logs.ship(sandbox.log).catch((error) => options.log(`logs of ${taskId}: ${(error as Error).message}`)), 1_000);
    const inbound = await forwardToSocket(network.privateIp, workerPort, sandbox.inboundSocket);
    const exited = sandbox.exited.then(async (code) => {
      clearInterval(shipper);
      inbound.close();
      await logs.ship(sandbox.log, true).catch((error) => options.log(`logs of ${taskId}: ${(error as Error).message}`));
      await sandbox.dispose();
      this.efsVolumes.release(efsMounts);
      return code;
    });
    options.log(`ecs: ${agent} task ${taskId} runs at ${network.privateIp}:${workerPort}`);
    return {
      exited,
      stop: () => {
        // A container that has just exited has no process left to signal: that is no error of the stop.
        const signal = (name: NodeJS.Signals) => {
          try {
            sandbox.signal(name);
          } catch (error) {
            options.log(`ecs: ${name} to task ${taskId}: ${(error as Error).message}`);
          }
        };
        signal('SIGTERM');
        const kill = setTimeout(() => {
          options.log(`ecs: task ${taskId} did not stop within its ${stopTimeoutSeconds} s stop timeout: SIGKILL`);
          signal('SIGKILL');
        }, stopTimeoutSeconds * 1000);
        void exited.finally(() => clearTimeout(kill));
      },
    };
  }

  /** A secret's value as ECS fetches it for a task (`valueFrom` an ARN, or `arn:json-key::` of one). */
  private async secretValue(valueFrom: string): Promise<string> {
    const [arn, jsonKey] = splitJsonKey(valueFrom);
    try {
      const { SecretString } = await this.options.secrets.send(new GetSecretValueCommand({ SecretId: arn }));
      if (SecretString === undefined) {
        throw new Error('the secret has no value');
      }
      return jsonKey ? String(JSON.parse(SecretString)[jsonKey]) : SecretString;
    } catch (error) {
      // ECS's own words for a task whose secret it cannot fetch.
      throw new TaskFailedToStartError(`ResourceInitializationError: unable to pull secrets or registry auth: retrieve secret from ${arn}: ${(error as Error).message}`);
    }
  }
}

/** `arn:aws:secretsmanager:…:secret:name-AbCdEf:key::` → the secret's ARN and the JSON key. */
function splitJsonKey(valueFrom: string): [string, string | undefined] {
  const parts = valueFrom.split(':');
  return parts.length > 7 ? [parts.slice(0, 7).join(':'), parts[7] || undefined] : [valueFrom, undefined];
}

/** A TCP listener at the task's address whose connections go to the sandbox's inbound socket. */
async function forwardToSocket(address: string, port: number, socketPath: string): Promise<net.Server> {
  const server = net.createServer((client) => {
    const inside = net.connect(socketPath);
    client.pipe(inside).pipe(client);
    const close = () => { client.destroy(); inside.destroy(); };
    client.on('error', close).on('close', close);
    inside.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, address, resolve));
  return server;
}

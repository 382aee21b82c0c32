import { DescribeTasksCommand, ECSClient, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import { createAgentCluster } from './moto-cluster';
import { createAgentNetwork } from './moto-network';
import { WorkerLauncher, type WorkerLauncherConfig } from '../../../runtime/adapters/worker-launcher';
import { WorkerTokenCipher } from '../../../runtime/adapters/worker-token-cipher';
import { createPlatformKey, decryptWithSdk, motoWorkerTokenCipher } from '../../support/moto-kms';
import { MotoServer, startMoto } from '../../support/moto-server';

const DISPATCH_ID = '01JD3V4N6Q8W2X5Y7Z9A1B3C4D';
const TOKEN_CONTEXT = { purpose: 'outpost-worker-token', cluster: 'outpost' };

describe('WorkerLauncher against ECS (moto)', () => {
  let moto: MotoServer;
  let ecs: ECSClient;
  let config: WorkerLauncherConfig;
  let tokens: WorkerTokenCipher;

  beforeAll(async () => {
    moto = await startMoto();
    ecs = new ECSClient({});
  });
  afterAll(async () => {
    ecs.destroy();
    await moto.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    const network = await createAgentNetwork(moto.endpoint);
    const taskDefinitionArn = await createAgentCluster(ecs, 'claude');
    tokens = motoWorkerTokenCipher(await createPlatformKey());
    config = {
      cluster: 'outpost',
      taskDefinitionArns: { claude: taskDefinitionArn },
      subnets: [network.subnetId],
      securityGroups: [network.securityGroupId],
      spotEnabled: true,
      // The task definition is X86_64 (createAgentCluster), which Fargate Spot runs.
      architectures: { claude: 'x86_64' },
      containerName: 'agent',
    };
  });

  async function describeTask(taskArn: string): Promise<Task> {
    const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: 'outpost', tasks: [taskArn], include: ['TAGS'] }));
    return tasks![0];
  }

  test('a cold start runs on Fargate Spot in the subnet, with the token as ciphertext and the dispatch in startedBy and tags', async () => {
    const worker = await new WorkerLauncher(ecs, config, tokens).launch({ agent: 'claude', dispatchId: DISPATCH_ID });
    expect(worker.capacityProvider).toBe('FARGATE_SPOT');
    expect(worker.taskArn.endsWith(`/${worker.taskId}`)).toBe(true);

    const task = await describeTask(worker.taskArn);
    expect(task.desiredStatus).toBe('RUNNING'); // lastStatus is moto's: it advances a step per DescribeTasks
    expect(task.capacityProviderName).toBe('FARGATE_SPOT');
    expect(task.taskDefinitionArn).toBe(config.taskDefinitionArns.claude);
    expect(task.startedBy).toBe(`outpost/${DISPATCH_ID}`);
    expect(task.overrides?.containerOverrides).toEqual([{
      name: 'agent',
      environment: [{ name: 'OUTPOST_WORKER_TOKEN_CIPHERTEXT', value: worker.tokenCiphertext }, { name: 'OUTPOST_CLUSTER', value: 'outpost' }],
    }]);
    // KMS opens the ciphertext only under the worker-token context, and what it opens is nowhere in DescribeTasks.
    const token = await decryptWithSdk(worker.tokenCiphertext, TOKEN_CONTEXT);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(await ecs.send(new DescribeTasksCommand({ cluster: 'outpost', tasks: [worker.taskArn], include: ['TAGS'] })))).not.toContain(token);
    await expect(decryptWithSdk(worker.tokenCiphertext, { ...TOKEN_CONTEXT, purpose: 'something-else' })).rejects.toThrow();
    expect(task.tags).toEqual(expect.arrayContaining([{ key: 'outpost:agent', value: 'claude' }, { key: 'outpost:dispatch-id', value: DISPATCH_ID }]));
    const eni = task.attachments?.find((attachment) => attachment.type === 'ElasticNetworkInterface');
    expect(eni?.details).toEqual(expect.arrayContaining([{ name: 'subnetId', value: config.subnets[0] }]));
  });

  test('an ARM64 agent runs on on-demand Fargate though Spot is enabled: Fargate Spot does not run ARM64 tasks', async () => {
    const arm64 = await createAgentCluster(ecs, 'codex', 'ARM64');
    const launcher = new WorkerLauncher(ecs, { ...config, taskDefinitionArns: { ...config.taskDefinitionArns, codex: arm64 }, architectures: { claude: 'x86_64', codex: 'arm64' } }, tokens);
    const worker = await launcher.launch({ agent: 'codex' });
    expect(worker.capacityProvider).toBe('FARGATE');
    expect(await describeTask(worker.taskArn)).toMatchObject({ capacityProviderName: 'FARGATE', taskDefinitionArn: arm64 });
  });

  test('an agent the configuration gives no architecture is taken as ARM64, the agents\' default, and never asks Spot', async () => {
    const worker = await new WorkerLauncher(ecs, { ...config, architectures: undefined }, tokens).launch({ agent: 'claude' });
    expect(worker.capacityProvider).toBe('FARGATE');
  });

  test('with Spot disabled the task runs on on-demand Fargate', async () => {
    const worker = await new WorkerLauncher(ecs, { ...config, spotEnabled: false }, tokens).launch({ agent: 'claude' });
    expect(worker.capacityProvider).toBe('FARGATE');
    expect((await describeTask(worker.taskArn)).capacityProviderName).toBe('FARGATE');
  });

  test('stop stops the task with the reason, and stopping it again succeeds', async () => {
    const launcher = new WorkerLauncher(ecs, config, tokens);
    const worker = await launcher.launch({ agent: 'claude', dispatchId: DISPATCH_ID });
    await launcher.stop(worker.taskArn, 'cancelled');
    const task = await describeTask(worker.taskArn);
    expect([task.lastStatus, task.desiredStatus, task.stoppedReason]).toEqual(['STOPPED', 'STOPPED', 'cancelled']);
    await expect(launcher.stop(worker.taskArn, 'cancelled')).resolves.toBeUndefined();
  });

  test('launchMany starts pool workers, each with its own token, given to ECS only as ciphertext', async () => {
    const { launched, failed } = await new WorkerLauncher(ecs, config, tokens).launchMany('claude', 3);
    expect(failed).toEqual([]);
    const { taskArns } = await ecs.send(new ListTasksCommand({ cluster: 'outpost', startedBy: 'outpost/pool' }));
    expect(new Set(taskArns)).toEqual(new Set(launched.map((worker) => worker.taskArn)));
    for (const worker of launched) {
      const task = await describeTask(worker.taskArn);
      expect(task.overrides?.containerOverrides?.[0].environment).toEqual([
        { name: 'OUTPOST_WORKER_TOKEN_CIPHERTEXT', value: worker.tokenCiphertext },
        { name: 'OUTPOST_CLUSTER', value: 'outpost' },
      ]);
      expect(JSON.stringify(task)).not.toContain(await decryptWithSdk(worker.tokenCiphertext, TOKEN_CONTEXT));
    }
    const opened = await Promise.all(launched.map((worker) => decryptWithSdk(worker.tokenCiphertext, TOKEN_CONTEXT)));
    expect(new Set(opened).size).toBe(3);
  });
});

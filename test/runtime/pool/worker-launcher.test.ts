import { AccessDeniedException, ECSClient, ECSServiceException, InvalidParameterException, RunTaskCommand, ServerException, StopTaskCommand, type RunTaskCommandInput, type RunTaskCommandOutput } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { LaunchError, WorkerLauncher, type WorkerLauncherConfig } from '../../../runtime/adapters/worker-launcher';
import type { WorkerTokenCipher } from '../../../runtime/adapters/worker-token-cipher';

const ecsMock = mockClient(ECSClient);
const NO_CAPACITY = 'Capacity is unavailable at this time. Please try again later or in a different availability zone';
const DISPATCH_ID = '01JD3V4N6Q8W2X5Y7Z9A1B3C4D';
const CONFIG: WorkerLauncherConfig = {
  cluster: 'outpost',
  taskDefinitionArns: { claude: 'arn:aws:ecs:us-east-1:123456789012:task-definition/outpost-claude:3' },
  subnets: ['subnet-a', 'subnet-b'],
  securityGroups: ['sg-agents'],
  spotEnabled: true,
  // Fargate Spot runs only x86_64 tasks: Spot is tried for this agent because its task definition is x86_64.
  architectures: { claude: 'x86_64' },
  containerName: 'agent',
};

const throttled = () => new ECSServiceException({ name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' });
const noCapacity = (): RunTaskCommandOutput => ({ $metadata: {}, tasks: [], failures: [{ reason: NO_CAPACITY }] });
let taskNumber = 0;
const started = (): RunTaskCommandOutput => {
  taskNumber++;
  return { $metadata: {}, tasks: [{ taskArn: `arn:aws:ecs:us-east-1:123456789012:task/outpost/task${taskNumber}` }], failures: [] };
};

function runTaskInputs(): RunTaskCommandInput[] {
  return ecsMock.commandCalls(RunTaskCommand).map((call) => call.args[0].input);
}
const providers = () => runTaskInputs().map((input) => input.capacityProviderStrategy?.[0].capacityProvider);
const ciphertextOf = (input: RunTaskCommandInput) => input.overrides?.containerOverrides?.[0].environment?.[0].value;

/** Seals each token as a distinct stand-in ciphertext: the KMS side is test/runtime/pool/worker-launcher-moto.test.ts's. */
function standInCipher(): WorkerTokenCipher {
  let sealed = 0;
  return { seal: async () => ({ token: 'unused', ciphertext: `sealed-${++sealed}` }) } as unknown as WorkerTokenCipher;
}

function launcher(config: Partial<WorkerLauncherConfig> = {}) {
  const sleeps: number[] = [];
  const timing = { sleep: async (ms: number) => { sleeps.push(ms); }, random: () => 0.5 };
  const subject = new WorkerLauncher(new ECSClient({}), { ...CONFIG, ...config }, standInCipher(), timing);
  return { subject, sleeps };
}

beforeEach(() => {
  ecsMock.reset();
});

describe('WorkerLauncher.launch', () => {
  test('runs one private task with the token\'s ciphertext, the network, startedBy and tags of its dispatch', async () => {
    ecsMock.on(RunTaskCommand).callsFake(started);
    const { subject } = launcher();
    const worker = await subject.launch({ agent: 'claude', dispatchId: DISPATCH_ID });

    expect(worker).toEqual({ taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/outpost/' + worker.taskId, taskId: expect.stringMatching(/^task\d+$/), capacityProvider: 'FARGATE_SPOT', tokenCiphertext: 'sealed-1' });
    expect(runTaskInputs()).toEqual([{
      cluster: 'outpost',
      taskDefinition: CONFIG.taskDefinitionArns.claude,
      count: 1,
      capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-agents'], assignPublicIp: 'DISABLED' } },
      startedBy: `outpost/${DISPATCH_ID}`,
      enableExecuteCommand: false,
      propagateTags: 'TASK_DEFINITION',
      tags: [{ key: 'outpost:agent', value: 'claude' }, { key: 'outpost:dispatch-id', value: DISPATCH_ID }],
      overrides: { containerOverrides: [{ name: 'agent', environment: [{ name: 'OUTPOST_WORKER_TOKEN_CIPHERTEXT', value: 'sealed-1' }, { name: 'OUTPOST_CLUSTER', value: 'outpost' }] }] },
      clientToken: expect.any(String),
    }]);
    expect(runTaskInputs()[0].launchType).toBeUndefined();
  });

  test('a pool worker is started by the pool and tagged with no dispatch', async () => {
    ecsMock.on(RunTaskCommand).callsFake(started);
    await launcher().subject.launch({ agent: 'claude' });
    const [input] = runTaskInputs();
    expect(input.startedBy).toBe('outpost/pool');
    expect(input.tags).toEqual([{ key: 'outpost:agent', value: 'claude' }]);
  });

  test('throttled twice, then launched on the same provider after two growing backoffs', async () => {
    ecsMock.on(RunTaskCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).callsFake(started);
    const { subject, sleeps } = launcher();
    const worker = await subject.launch({ agent: 'claude' });
    expect(worker.capacityProvider).toBe('FARGATE_SPOT');
    expect(providers()).toEqual(['FARGATE_SPOT', 'FARGATE_SPOT', 'FARGATE_SPOT']);
    expect(sleeps).toEqual([100, 200]); // half of the 200 ms and 400 ms windows, with random() = 0.5
  });

  test('no Spot capacity falls back to on-demand at once, without a backoff', async () => {
    ecsMock.on(RunTaskCommand).resolvesOnce(noCapacity()).callsFake(started);
    const { subject, sleeps } = launcher();
    const worker = await subject.launch({ agent: 'claude' });
    expect(worker.capacityProvider).toBe('FARGATE');
    expect(providers()).toEqual(['FARGATE_SPOT', 'FARGATE']);
    expect(sleeps).toEqual([]);
  });

  test('with Spot disabled, only on-demand is tried', async () => {
    ecsMock.on(RunTaskCommand).resolvesOnce(noCapacity()).callsFake(started);
    const { subject, sleeps } = launcher({ spotEnabled: false });
    expect((await subject.launch({ agent: 'claude' })).capacityProvider).toBe('FARGATE');
    expect(providers()).toEqual(['FARGATE', 'FARGATE']);
    expect(sleeps).toEqual([100]);
  });

  test('no capacity anywhere on every try: a LaunchError with AWS\'s reason after 5 tries of both providers', async () => {
    ecsMock.on(RunTaskCommand).resolves(noCapacity());
    const { subject, sleeps } = launcher();
    const failure = await subject.launch({ agent: 'claude' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LaunchError);
    expect(failure).toMatchObject({ reason: NO_CAPACITY, calls: 10 });
    expect(providers()).toEqual(Array.from({ length: 5 }, () => ['FARGATE_SPOT', 'FARGATE']).flat());
    expect(sleeps).toEqual([100, 200, 400, 800]);
  });

  test('AccessDenied is not retried', async () => {
    const message = 'User: arn:aws:sts::123456789012:assumed-role/dispatcher/fn is not authorized to perform: ecs:RunTask';
    ecsMock.on(RunTaskCommand).rejects(new AccessDeniedException({ message, $metadata: { httpStatusCode: 400 } }));
    const { subject, sleeps } = launcher();
    await expect(subject.launch({ agent: 'claude' })).rejects.toMatchObject({ name: 'LaunchError', reason: `AccessDeniedException: ${message}`, calls: 1 });
    expect(runTaskInputs()).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  test('a retry after a server error reuses the client token, since the first call may have started the task', async () => {
    ecsMock.on(RunTaskCommand).rejectsOnce(new ServerException({ message: 'internal', $metadata: { httpStatusCode: 500 } })).callsFake(started);
    await launcher().subject.launch({ agent: 'claude' });
    const [first, second] = runTaskInputs();
    expect(second.clientToken).toBe(first.clientToken);
  });

  test('a retry after ECS answered "no task" uses a new client token, which would otherwise replay that answer', async () => {
    ecsMock.on(RunTaskCommand).resolvesOnce(noCapacity()).rejectsOnce(throttled()).callsFake(started);
    await launcher().subject.launch({ agent: 'claude' });
    const tokens = runTaskInputs().map((input) => input.clientToken);
    expect(new Set(tokens).size).toBe(3);
  });

  test('an agent without a task definition is refused before any call', async () => {
    await expect(launcher().subject.launch({ agent: 'constructor' })).rejects.toThrow('No task definition for agent "constructor"');
    expect(runTaskInputs()).toHaveLength(0);
  });
});

describe('WorkerLauncher.launchMany', () => {
  test('starts each worker with its own token, at most 10 calls at a time, and reports failures apart', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    let call = 0;
    ecsMock.on(RunTaskCommand).callsFake(async () => {
      const thisCall = ++call;
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      if (thisCall === 5) {
        throw new AccessDeniedException({ message: 'denied', $metadata: { httpStatusCode: 400 } });
      }
      return started();
    });
    const { launched, failed } = await launcher().subject.launchMany('claude', 23);

    expect(launched).toHaveLength(22);
    expect(failed).toEqual([expect.objectContaining({ reason: 'AccessDeniedException: denied' })]);
    const inputs = runTaskInputs();
    expect(inputs).toHaveLength(23);
    expect(inputs.every((input) => input.count === 1 && input.startedBy === 'outpost/pool')).toBe(true);
    expect(new Set(inputs.map(ciphertextOf)).size).toBe(23);
    expect(mostInFlight).toBe(10);
    for (const worker of launched) {
      const input = inputs.find((candidate) => ciphertextOf(candidate) === worker.tokenCiphertext);
      expect(input).toBeDefined();
    }
  });
});

describe('WorkerLauncher.stop', () => {
  test('stops the task in the cluster with the reason', async () => {
    ecsMock.on(StopTaskCommand).resolves({});
    await launcher().subject.stop('arn:aws:ecs:us-east-1:123456789012:task/outpost/abc', 'cancelled by alice');
    expect(ecsMock.commandCalls(StopTaskCommand)[0].args[0].input).toEqual({ cluster: 'outpost', task: 'arn:aws:ecs:us-east-1:123456789012:task/outpost/abc', reason: 'cancelled by alice' });
  });

  test('a reason longer than ECS takes is cut to its 255 characters', async () => {
    ecsMock.on(StopTaskCommand).resolves({});
    await launcher().subject.stop('arn:aws:ecs:us-east-1:123456789012:task/outpost/abc', `no git credential for https://github.com/org/${'r'.repeat(300)}.git`);
    expect(ecsMock.commandCalls(StopTaskCommand)[0].args[0].input.reason).toHaveLength(255);
  });

  test('a task ECS no longer knows counts as stopped', async () => {
    ecsMock.on(StopTaskCommand).rejects(new InvalidParameterException({ message: 'The referenced task was not found.', $metadata: { httpStatusCode: 400 } }));
    await expect(launcher().subject.stop('arn:aws:ecs:us-east-1:123456789012:task/outpost/gone', 'sweep')).resolves.toBeUndefined();
  });

  test('any other failure is the caller\'s to handle', async () => {
    ecsMock.on(StopTaskCommand).rejectsOnce(new InvalidParameterException({ message: 'Invalid reason', $metadata: { httpStatusCode: 400 } }))
      .rejectsOnce(new AccessDeniedException({ message: 'denied', $metadata: { httpStatusCode: 400 } }));
    const subject = launcher().subject;
    await expect(subject.stop('arn', 'x')).rejects.toThrow('Invalid reason');
    await expect(subject.stop('arn', 'x')).rejects.toThrow('denied');
  });
});

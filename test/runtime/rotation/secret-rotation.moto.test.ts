import { randomUUID } from 'crypto';
import {
  CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand, RotateSecretCommand, SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { FakeProviders } from '../../support/fake-providers';
import { MotoServer, startMoto } from '../../support/moto-server';
import { rotationEvent } from '../../support/rotation-events';

const ADMIN_KEY = 'sk-admin-test';
const PROJECT = 'proj_outpost';
const ABSENT_FUNCTION = 'arn:aws:lambda:us-east-1:123456789012:function:absent';

type Step = 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
interface Published { readonly event: string; readonly provider: string; readonly subject: string; readonly message: string }

let moto: MotoServer;
let fake: FakeProviders;
let secretsManager: SecretsManagerClient;
let sqs: SQSClient;
let queueUrl: string;
let handler: (event: unknown) => Promise<void>;
let metricLines: any[];

beforeAll(async () => {
  moto = await startMoto();
  fake = await FakeProviders.start(ADMIN_KEY, PROJECT);
  secretsManager = new SecretsManagerClient({});
  sqs = new SQSClient({});
  const sns = new SNSClient({});
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'outpost-alarms' }));
  ({ QueueUrl: queueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'operator' })) as { QueueUrl: string });
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn }));
  const { ARN: adminKeySecret } = await secretsManager.send(new CreateSecretCommand({ Name: 'openai-admin', SecretString: ADMIN_KEY }));
  process.env.OUTPOST_ROTATION = JSON.stringify({
    topicArn: TopicArn,
    providers: {
      anthropic: { mode: 'manual', apiUrl: fake.url },
      openai: { mode: 'openai-service-account', apiUrl: fake.url, openAi: { adminKeySecret, projectId: PROJECT, adminUrl: fake.url } },
    },
  });
  handler = jest.requireActual('../../../runtime/handlers/secret-rotation').handler;
});

afterAll(async () => {
  delete process.env.OUTPOST_ROTATION;
  await fake.stop();
  await moto.stop();
});

beforeEach(async () => {
  await published();
  fake.outage = undefined;
  metricLines = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    const text = String(chunk);
    if (text.includes('"_aws"')) {
      metricLines.push(JSON.parse(text));
    }
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());

/** A provider's secret as the platform creates it (tagged with its provider), holding a first key. */
async function providerSecret(provider: string, firstKey: string): Promise<string> {
  const { ARN } = await secretsManager.send(new CreateSecretCommand({
    Name: `outpost-${provider}-${randomUUID()}`, SecretString: firstKey, Tags: [{ Key: 'outpost:provider', Value: provider }],
  }));
  return ARN!;
}

/**
 * What Secrets Manager does before it invokes createSecret: rotation enabled, and a new version without a value
 * staged AWSPENDING. moto's RotateSecret does exactly that, then stops at a function it cannot find.
 */
async function beginRotation(secretId: string): Promise<string> {
  const token = randomUUID();
  await expect(secretsManager.send(new RotateSecretCommand({
    SecretId: secretId, ClientRequestToken: token, RotationLambdaARN: ABSENT_FUNCTION, RotationRules: { AutomaticallyAfterDays: 90 },
  }))).rejects.toThrow(/Resource not found/);
  expect(await stages(secretId)).toMatchObject({ [token]: ['AWSPENDING'] });
  return token;
}

function step(secretId: string, token: string, name: Step): Promise<void> {
  return handler(rotationEvent(secretId, token, name));
}

async function stages(secretId: string): Promise<Record<string, string[]>> {
  const { VersionIdsToStages = {} } = await secretsManager.send(new DescribeSecretCommand({ SecretId: secretId }));
  return Object.fromEntries(Object.entries(VersionIdsToStages).filter(([, labels]) => labels.length > 0));
}

async function valueAt(secretId: string, stage: string): Promise<string | undefined> {
  return (await secretsManager.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage }))).SecretString;
}

/** Everything published to the topic since the last call, in order. */
async function published(): Promise<Published[]> {
  const all: Published[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (Messages.length === 0) {
      return all;
    }
    for (const { Body } of Messages) {
      const envelope = JSON.parse(Body!);
      const { event, provider } = envelope.MessageAttributes;
      all.push({ event: event.Value, provider: provider.Value, subject: envelope.Subject, message: envelope.Message });
    }
    const entries = Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! }));
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
  }
}

const firstVersion = async (secretId: string) => Object.entries(await stages(secretId)).find(([, labels]) => labels.includes('AWSCURRENT'))![0];

describe('OpenAI: a key from a new service account', () => {
  test('all four steps, each retried, make the new key current and the first one previous', async () => {
    const secret = await providerSecret('openai', 'sk-first-key');
    fake.validKeys.add('sk-first-key');
    const first = await firstVersion(secret);
    const token = await beginRotation(secret);

    await step(secret, token, 'createSecret');
    const pending = (await secretsManager.send(new GetSecretValueCommand({ SecretId: secret, VersionId: token, VersionStage: 'AWSPENDING' }))).SecretString;
    expect(fake.serviceAccounts).toEqual([{ id: expect.any(String), name: `outpost-${token}`, key: pending }]);
    await step(secret, token, 'createSecret');
    expect(fake.serviceAccounts.map((account) => account.key)).toEqual([pending]);

    for (const retried of ['setSecret', 'setSecret', 'testSecret', 'testSecret'] as const) {
      await step(secret, token, retried);
    }
    expect(await valueAt(secret, 'AWSCURRENT')).toBe('sk-first-key');

    await step(secret, token, 'finishSecret');
    expect(await stages(secret)).toEqual({ [token]: ['AWSCURRENT'], [first]: ['AWSPREVIOUS'] });
    await step(secret, token, 'finishSecret');
    expect(await stages(secret)).toEqual({ [token]: ['AWSCURRENT'], [first]: ['AWSPREVIOUS'] });
    expect(await valueAt(secret, 'AWSCURRENT')).toBe(pending);

    const notifications = await published();
    expect(notifications.map((n) => n.event)).toEqual(['rotated', 'rotated']);
    expect(notifications[0]).toMatchObject({ provider: 'openai', subject: 'Outpost: the openai API key was rotated' });
    expect(notifications[0].message).toContain(`Version ${token} of ${secret} is now AWSCURRENT`);
    expect(metricLines).toEqual([]);
  });

  test('a createSecret retried after its service account was made, but before the key was stored, replaces that account', async () => {
    const secret = await providerSecret('openai', 'sk-first-key');
    const token = await beginRotation(secret);
    fake.serviceAccounts.push({ id: 'svc_acct_lost', name: `outpost-${token}`, key: 'sk-lost' });

    await step(secret, token, 'createSecret');
    expect(fake.serviceAccounts.filter((account) => account.name === `outpost-${token}`)).toEqual([expect.objectContaining({ id: expect.not.stringMatching('svc_acct_lost') })]);
    fake.serviceAccounts.length = 0;
  });

  test('finishSecret deletes the service account of the version that was AWSPREVIOUS, and only that one', async () => {
    const secret = await providerSecret('openai', 'sk-first-key');
    const rotate = async () => {
      const token = await beginRotation(secret);
      for (const s of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) {
        await step(secret, token, s);
      }
      return token;
    };
    const second = await rotate();
    const third = await rotate();
    expect((await published()).at(-1)!.message).toMatch(/no service account outpost-.* the key was not created by Outpost; revoke it in the OpenAI console/);
    expect(fake.serviceAccounts.map((account) => account.name)).toEqual([`outpost-${second}`, `outpost-${third}`]);

    const fourth = await rotate();
    expect(fake.serviceAccounts.map((account) => account.name)).toEqual([`outpost-${third}`, `outpost-${fourth}`]);
    expect((await published()).at(-1)!.message).toContain(`deleted service account outpost-${second}`);
    expect(await stages(secret)).toEqual({ [fourth]: ['AWSCURRENT'], [third]: ['AWSPREVIOUS'] });
    fake.serviceAccounts.length = 0;
  });

  test('a testSecret that fails leaves AWSCURRENT as it was, notifies, and counts a failure', async () => {
    const secret = await providerSecret('openai', 'sk-first-key');
    const first = await firstVersion(secret);
    const token = await beginRotation(secret);
    await step(secret, token, 'createSecret');
    fake.outage = 503;

    await expect(step(secret, token, 'testSecret')).rejects.toThrow(/openai could not say whether the pending key works \(HTTP 503/);
    expect(await stages(secret)).toEqual({ [first]: ['AWSCURRENT'], [token]: ['AWSPENDING'] });
    expect(await valueAt(secret, 'AWSCURRENT')).toBe('sk-first-key');
    const [notification] = await published();
    expect(notification).toMatchObject({ event: 'failed', provider: 'openai', subject: 'Outpost: rotating the openai API key failed' });
    expect(notification.message).toContain('AWSCURRENT is unchanged');
    expect(metricLines).toHaveLength(1);
    expect(metricLines[0]).toMatchObject({ provider: 'openai', RotationFailures: 1 });
    expect(metricLines[0]._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Outpost', Dimensions: [['provider']] });

    fake.outage = undefined;
    const [account] = fake.serviceAccounts.splice(0);
    fake.validKeys.delete(account.key);
    await expect(step(secret, token, 'testSecret')).rejects.toThrow(/openai refused the pending key \(HTTP 401/);
    expect(await valueAt(secret, 'AWSCURRENT')).toBe('sk-first-key');
  });
});

describe('Anthropic: a key an operator creates', () => {
  test('createSecret asks for the key; testSecret fails until it is put, then passes; finishSecret makes it current', async () => {
    const secret = await providerSecret('anthropic', 'sk-ant-first-key-1234');
    const first = await firstVersion(secret);
    const token = await beginRotation(secret);

    await step(secret, token, 'createSecret');
    await step(secret, token, 'createSecret');
    const asked = await published();
    expect(asked.map((n) => n.event)).toEqual(['key-needed', 'key-needed']);
    expect(asked[0].subject).toBe('Outpost: create a new anthropic API key');
    expect(asked[0].message).toContain(`aws secretsmanager put-secret-value --secret-id ${secret} --client-request-token ${token} --version-stages AWSPENDING --secret-string <new key>`);
    expect(asked[0].message).toContain(`aws secretsmanager rotate-secret --secret-id ${secret} --client-request-token ${token}`);
    expect(asked[0].message).toContain('ends with "1234"');
    expect(asked[0].message).not.toContain('sk-ant-first');
    await step(secret, token, 'setSecret');

    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(step(secret, token, 'testSecret')).rejects.toThrow(`No anthropic key has been put as version ${token} (AWSPENDING) yet`);
    }
    expect(await stages(secret)).toEqual({ [first]: ['AWSCURRENT'], [token]: ['AWSPENDING'] });
    expect((await published()).map((n) => n.event)).toEqual(['failed', 'failed']);
    expect(metricLines.map((line) => line.provider)).toEqual(['anthropic', 'anthropic']);

    // The operator's part, as the notification says.
    fake.validKeys.add('sk-ant-second-key');
    await secretsManager.send(new PutSecretValueCommand({ SecretId: secret, ClientRequestToken: token, SecretString: 'sk-ant-second-key', VersionStages: ['AWSPENDING'] }));
    await step(secret, token, 'createSecret');
    expect(await published()).toEqual([]);
    await step(secret, token, 'testSecret');
    await step(secret, token, 'testSecret');
    expect(fake.requests.filter((request) => request === 'GET /v1/models').length).toBeGreaterThanOrEqual(2);

    await step(secret, token, 'finishSecret');
    await step(secret, token, 'finishSecret');
    expect(await stages(secret)).toEqual({ [token]: ['AWSCURRENT'], [first]: ['AWSPREVIOUS'] });
    expect(await valueAt(secret, 'AWSCURRENT')).toBe('sk-ant-second-key');
    expect(await valueAt(secret, 'AWSPREVIOUS')).toBe('sk-ant-first-key-1234');
    expect((await published()).map((n) => n.event)).toEqual(['rotated', 'rotated']);
  });

  test('a pending value that is not a key of the provider fails testSecret before any call', async () => {
    const secret = await providerSecret('anthropic', 'sk-ant-first-key-1234');
    const token = await beginRotation(secret);
    await secretsManager.send(new PutSecretValueCommand({ SecretId: secret, ClientRequestToken: token, SecretString: 'sk-proj-an-openai-key', VersionStages: ['AWSPENDING'] }));
    const calls = fake.requests.length;
    await expect(step(secret, token, 'testSecret')).rejects.toThrow('The pending value is not a anthropic API key: anthropic API keys start with "sk-ant-"');
    expect(fake.requests).toHaveLength(calls);
  });
});

describe('the contract\'s checks before every step', () => {
  test('a secret without rotation enabled is refused', async () => {
    const secret = await providerSecret('anthropic', 'sk-ant-first-key-1234');
    await expect(step(secret, randomUUID(), 'createSecret')).rejects.toThrow('Rotation is not enabled on the secret');
    expect((await published()).map((n) => n.event)).toEqual(['failed']);
  });

  test('a token that names no version, or one not AWSPENDING, is refused; one already AWSCURRENT has nothing to do', async () => {
    const secret = await providerSecret('anthropic', 'sk-ant-first-key-1234');
    await beginRotation(secret);
    await expect(step(secret, randomUUID(), 'testSecret')).rejects.toThrow(/has no stage for rotation/);
    const first = await firstVersion(secret);
    await step(secret, first, 'createSecret');
    await step(secret, first, 'testSecret');
    expect((await published()).map((n) => n.event)).toEqual(['failed']);
  });

  test('a secret without the provider tag is refused', async () => {
    const { ARN } = await secretsManager.send(new CreateSecretCommand({ Name: `untagged-${randomUUID()}`, SecretString: 'x' }));
    const token = await beginRotation(ARN!);
    await expect(step(ARN!, token, 'createSecret')).rejects.toThrow('The secret\'s outpost:provider tag is missing');
    expect(metricLines.map((line) => line.provider)).toEqual(['unknown']);
  });
});

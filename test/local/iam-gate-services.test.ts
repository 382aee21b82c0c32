import { CreateAccessPointCommand, CreateFileSystemCommand, DeleteAccessPointCommand, DescribeAccessPointsCommand, EFSClient } from '@aws-sdk/client-efs';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ArtifactStore } from '../../runtime/adapters/artifact-store';
import { Kms } from '../../runtime/adapters/kms';
import { S3Bucket, S3Error } from '../../runtime/adapters/s3-bucket';
import type { Credentials, IamGate, PolicyDocument, PolicyStatement } from '../../runtime/local/iam';
import type { MotoServer } from '../support/moto-server';
import { ACCOUNT, REGION, startGateOnMoto, type GateOnMoto } from './support/gate-on-moto';

const BUCKET = 'artifacts-bucket';
/** Dispatch ids are ULIDs (runtime/core/artifacts/artifact-prefix.ts). */
const D1 = '01HZX3K4M5N6P7Q8R9S0T1V2W3';
const D2 = '01HZX3K4M5N6P7Q8R9S0T1V2W4';
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const allow = (Action: string | string[], Resource: string | string[], Condition?: PolicyStatement['Condition']): PolicyDocument =>
  ({ Statement: [{ Effect: 'Allow', Action, Resource, ...(Condition && { Condition }) }] });

/** The calls of the runtime's fetch-and-SigV4 adapters (S3Bucket, Kms) and of the SDK's EFS and Secrets Manager clients, through the gate. */
describe('IAM gate: S3, KMS, EFS and Secrets Manager as the runtime calls them', () => {
  let local: GateOnMoto;
  let moto: MotoServer;
  let gate: IamGate;
  let admin: GateOnMoto['admin'];

  beforeAll(async () => {
    local = await startGateOnMoto();
    ({ moto, gate, admin } = local);
  });
  afterAll(() => local.stop());
  beforeEach(() => moto.reset());

  describe('S3 artifacts (presigned POST, GET and listing)', () => {
    const READ_WRITE = [
      allow('s3:PutObject', `arn:aws:s3:::${BUCKET}/artifacts/*`),
      allow('s3:GetObject', `arn:aws:s3:::${BUCKET}/artifacts/*`),
      allow('s3:ListBucket', `arn:aws:s3:::${BUCKET}`, { StringLike: { 's3:prefix': 'artifacts/*' } }),
    ];
    const store = (credentials: Credentials) => {
      const bucket = new S3Bucket(BUCKET, `${gate.endpoint}/${BUCKET}`, { region: REGION, credentials: async () => credentials });
      return { bucket, artifacts: new ArtifactStore(bucket) };
    };
    /** The worker's upload: the form's fields, then the file, to the target's URL. */
    const upload = async (target: { url: string; fields: Record<string, string> }, name: string, content: string) => {
      const form = new FormData();
      for (const [field, value] of Object.entries(target.fields)) {
        form.append(field, value);
      }
      form.append('file', new Blob([content]), name);
      return fetch(target.url, { method: 'POST', body: form });
    };
    const storedObject = async (key: string) =>
      (await new S3Client(admin).send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body?.transformToString();

    beforeEach(() => new S3Client(admin).send(new CreateBucketCommand({ Bucket: BUCKET })));

    test('a POST signed by a role that may put artifacts stores the file; the role reads and lists it back', async () => {
      const { artifacts } = store(gate.issueCredentials({ arn: role('task-ready'), policies: READ_WRITE }));
      const target = await artifacts.presignUpload(D1);
      const response = await upload(target, 'result.json', '{"status":"succeeded"}');
      expect(response.status).toBe(204);
      expect(await storedObject(`artifacts/${D1}/result.json`)).toBe('{"status":"succeeded"}');
      expect((await artifacts.list(D1)).map(({ name }) => name)).toEqual(['result.json']);
      const [download] = await artifacts.presignDownloads(D1);
      expect(await (await fetch(download.url)).text()).toBe('{"status":"succeeded"}');
    });

    test('a POST signed by a role without s3:PutObject is AccessDenied, and nothing is stored', async () => {
      const { artifacts } = store(gate.issueCredentials({ arn: role('dispatch-read'), policies: READ_WRITE.slice(1) }));
      const response = await upload(await artifacts.presignUpload(D1), 'result.json', '{}');
      expect(response.status).toBe(403);
      const body = await response.text();
      expect(body).toContain('<Code>AccessDenied</Code>');
      expect(body).toContain(`s3:PutObject on resource: arn:aws:s3:::${BUCKET}/artifacts/${D1}/result.json`);
      await expect(storedObject(`artifacts/${D1}/result.json`)).rejects.toMatchObject({ name: 'NoSuchKey' });
    });

    test('a POST whose form breaks its own policy (another key prefix) is refused as S3 refuses it', async () => {
      const { artifacts } = store(gate.issueCredentials({ arn: role('task-ready'), policies: READ_WRITE }));
      const target = await artifacts.presignUpload(D1);
      const response = await upload({ ...target, fields: { ...target.fields, key: `artifacts/${D2}/\${filename}` } }, 'x', 'x');
      expect(response.status).toBe(403);
      expect(await response.text()).toContain(`Invalid according to Policy: Policy Condition failed: ["starts-with","$key","artifacts/${D1}/"]`);
    });

    test('a POST with another signature is SignatureDoesNotMatch', async () => {
      const { artifacts } = store(gate.issueCredentials({ arn: role('task-ready'), policies: READ_WRITE }));
      const target = await artifacts.presignUpload(D1);
      const response = await upload({ ...target, fields: { ...target.fields, 'X-Amz-Signature': '0'.repeat(64) } }, 'x', 'x');
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    });

    test('a listing outside the s3:prefix condition is AccessDenied', async () => {
      const { bucket } = store(gate.issueCredentials({ arn: role('task-stopped'), policies: READ_WRITE }));
      await expect(bucket.listObjects(`artifacts/${D1}/`)).resolves.toEqual([]);
      await expect(bucket.listObjects('secrets/')).rejects.toMatchObject({ code: 'AccessDenied', message: expect.stringContaining(`s3:ListBucket on resource: arn:aws:s3:::${BUCKET}`) });
    });

    test('a presigned GET changed to another key no longer matches its signature', async () => {
      const { bucket } = store(gate.issueCredentials({ arn: role('dispatch-read'), policies: READ_WRITE }));
      const url = await bucket.presignGetObject(`artifacts/${D1}/a.log`, 60);
      const response = await fetch(url.replace('/a.log', '/b.log'));
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
      await expect(bucket.getObject(`artifacts/${D1}/a.log`)).rejects.toBeInstanceOf(S3Error);
    });
  });

  describe('KMS (the worker token\'s Encrypt and Decrypt)', () => {
    const TOKEN_CONTEXT = { purpose: 'outpost-worker-token', cluster: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/platform` };

    test('kms:EncryptionContext conditions decide, and Decrypt is authorized on the key the ciphertext names', async () => {
      const direct = new KMSClient(admin);
      const key = (await direct.send(new CreateKeyCommand({}))).KeyMetadata!;
      const other = (await direct.send(new CreateKeyCommand({}))).KeyMetadata!;
      const onKey = (arn: string) => allow(['kms:Encrypt', 'kms:Decrypt'], arn, {
        StringEquals: { 'kms:EncryptionContext:purpose': TOKEN_CONTEXT.purpose, 'kms:EncryptionContext:cluster': TOKEN_CONTEXT.cluster },
      });
      const starter = new Kms({ region: REGION, endpoint: gate.endpoint, credentials: async () => gate.issueCredentials({ arn: role('starter'), policies: [onKey(key.Arn!)] }) });
      const ciphertext = await starter.encrypt(key.KeyId!, Buffer.from('token'), TOKEN_CONTEXT);
      await expect(starter.decrypt(ciphertext, TOKEN_CONTEXT)).resolves.toEqual(Buffer.from('token'));
      await expect(starter.encrypt(key.KeyId!, Buffer.from('token'), { ...TOKEN_CONTEXT, purpose: 'other' })).rejects.toMatchObject({
        type: 'AccessDeniedException', message: expect.stringContaining(`kms:Encrypt on resource: ${key.Arn}`),
      });
      const stranger = new Kms({ region: REGION, endpoint: gate.endpoint, credentials: async () => gate.issueCredentials({ arn: role('stranger'), policies: [onKey(other.Arn!)] }) });
      await expect(stranger.decrypt(ciphertext, TOKEN_CONTEXT)).rejects.toMatchObject({ message: expect.stringContaining(`kms:Decrypt on resource: ${key.Arn}`) });
    });
  });

  describe('EFS access points', () => {
    test('DeleteAccessPoint is decided by the access point\'s tags (aws:ResourceTag), which the gate asks moto for', async () => {
      const direct = new EFSClient(admin);
      const { FileSystemId } = await direct.send(new CreateFileSystemCommand({ CreationToken: 'workspaces' }));
      const accessPoint = async (tag: string) => (await direct.send(new CreateAccessPointCommand({
        FileSystemId, Tags: [{ Key: 'outpost:file-system-id', Value: tag }],
      }))).AccessPointId!;
      const ours = await accessPoint(FileSystemId!);
      const theirs = await accessPoint('fs-someone-else');
      const cleaner = new EFSClient({
        region: REGION,
        endpoint: gate.endpoint,
        credentials: gate.issueCredentials({
          arn: role('cleaner'),
          policies: [allow('elasticfilesystem:DeleteAccessPoint', '*', { StringEquals: { 'aws:ResourceTag/outpost:file-system-id': FileSystemId! } })],
        }),
      });
      await cleaner.send(new DeleteAccessPointCommand({ AccessPointId: ours }));
      await expect(cleaner.send(new DeleteAccessPointCommand({ AccessPointId: theirs }))).rejects.toMatchObject({
        name: 'AccessDeniedException', message: expect.stringContaining(`access-point/${theirs}`),
      });
    });

    test('tags on CreateAccessPoint need elasticfilesystem:TagResource with elasticfilesystem:CreateAction; DescribeAccessPoints is on the file system', async () => {
      const { FileSystemId } = await new EFSClient(admin).send(new CreateFileSystemCommand({ CreationToken: 'workspaces' }));
      const fileSystemArn = `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/${FileSystemId}`;
      const provisioner = (policies: PolicyDocument[]) => new EFSClient({ region: REGION, endpoint: gate.endpoint, credentials: gate.issueCredentials({ arn: role('provisioner'), policies }) });
      const create = allow('elasticfilesystem:CreateAccessPoint', fileSystemArn);
      const request = new CreateAccessPointCommand({ FileSystemId, Tags: [{ Key: 'outpost:file-system-id', Value: FileSystemId! }] });
      await expect(provisioner([create]).send(request)).rejects.toMatchObject({ message: expect.stringContaining('elasticfilesystem:TagResource') });
      const tagOnCreate = allow('elasticfilesystem:TagResource', `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:access-point/*`, {
        StringEquals: { 'elasticfilesystem:CreateAction': 'CreateAccessPoint' },
      });
      const { AccessPointId } = await provisioner([create, tagOnCreate]).send(request);
      // Polled by its id, as runtime/adapters/workspace-access-points.ts does: authorized on its file system.
      const describe = allow('elasticfilesystem:DescribeAccessPoints', fileSystemArn);
      await expect(provisioner([describe]).send(new DescribeAccessPointsCommand({ AccessPointId }))).resolves.toMatchObject({
        AccessPoints: [expect.objectContaining({ AccessPointId })],
      });
      await expect(provisioner([create]).send(new DescribeAccessPointsCommand({ AccessPointId }))).rejects.toMatchObject({
        message: expect.stringContaining(`elasticfilesystem:DescribeAccessPoints on resource: ${fileSystemArn}`),
      });
    });
  });

  test('Secrets Manager: a secret named by its name is authorized on its ARN, suffix included', async () => {
    const { ARN } = await new SecretsManagerClient(admin).send(new CreateSecretCommand({ Name: 'outpost/anthropic', SecretString: 'sk-1' }));
    const reader = (resource: string) => new SecretsManagerClient({
      region: REGION, endpoint: gate.endpoint, credentials: gate.issueCredentials({ arn: role('rotation'), policies: [allow('secretsmanager:GetSecretValue', resource)] }),
    });
    const prefix = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:outpost/anthropic`;
    await expect(reader(`${prefix}-??????`).send(new GetSecretValueCommand({ SecretId: 'outpost/anthropic' }))).resolves.toMatchObject({ SecretString: 'sk-1' });
    await expect(reader(prefix).send(new GetSecretValueCommand({ SecretId: 'outpost/anthropic' }))).rejects.toMatchObject({
      name: 'AccessDeniedException', message: expect.stringContaining(`on resource: ${ARN}`),
    });
  });

  describe('a secret under a customer managed key, and the key\'s policy', () => {
    const VIA_SECRETS_MANAGER = { StringEquals: { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` } };
    const setUp = async () => {
      const key = (await new KMSClient(admin).send(new CreateKeyCommand({}))).KeyMetadata!;
      const { ARN } = await new SecretsManagerClient(admin).send(new CreateSecretCommand({ Name: 'outpost/openai', SecretString: 'sk-2', KmsKeyId: key.Arn }));
      const read = (name: string, policies: PolicyDocument[]) => new SecretsManagerClient({
        region: REGION, endpoint: gate.endpoint, credentials: gate.issueCredentials({ arn: role(name), policies: [allow('secretsmanager:GetSecretValue', ARN!), ...policies] }),
      }).send(new GetSecretValueCommand({ SecretId: ARN }));
      return { key, read };
    };
    const keyPolicy = (...statements: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });
    const ROOT = { AWS: `arn:aws:iam::${ACCOUNT}:root` };

    test('reading it needs kms:Decrypt on the key through Secrets Manager (kms:ViaService), as the caller', async () => {
      const { key, read } = await setUp();
      gate.setResourcePolicy(key.Arn!, keyPolicy({ Effect: 'Allow', Principal: ROOT, Action: 'kms:*', Resource: '*' }));
      await expect(read('no-kms', [])).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining(`kms:Decrypt on resource: ${key.Arn}`) });
      await expect(read('rotation', [allow('kms:Decrypt', key.Arn!, VIA_SECRETS_MANAGER)])).resolves.toMatchObject({ SecretString: 'sk-2' });
    });

    test('a key policy that names the role allows it without an IAM grant; one that does not delegate to the account overrides IAM', async () => {
      const { key, read } = await setUp();
      gate.setResourcePolicy(key.Arn!, keyPolicy({ Effect: 'Allow', Principal: { AWS: role('execution') }, Action: 'kms:Decrypt', Resource: '*', Condition: VIA_SECRETS_MANAGER }));
      await expect(read('execution', [])).resolves.toMatchObject({ SecretString: 'sk-2' });
      await expect(read('rotation', [allow('kms:Decrypt', key.Arn!)])).rejects.toMatchObject({
        message: expect.stringContaining('because no resource-based policy allows the kms:Decrypt action'),
      });
    });
  });

  test('SQS: a function may send to its own dead-letter queue only', async () => {
    const direct = new SQSClient(admin);
    const { QueueUrl: own } = await direct.send(new CreateQueueCommand({ QueueName: 'starter-dead-letters' }));
    const { QueueUrl: other } = await direct.send(new CreateQueueCommand({ QueueName: 'other-dead-letters' }));
    const sqs = new SQSClient({
      region: REGION,
      endpoint: gate.endpoint,
      credentials: gate.issueCredentials({ arn: role('starter'), policies: [allow('sqs:SendMessage', `arn:aws:sqs:${REGION}:${ACCOUNT}:starter-dead-letters`)] }),
    });
    await expect(sqs.send(new SendMessageCommand({ QueueUrl: own, MessageBody: '{}' }))).resolves.toMatchObject({ MessageId: expect.any(String) });
    await expect(sqs.send(new SendMessageCommand({ QueueUrl: other, MessageBody: '{}' }))).rejects.toMatchObject({
      message: expect.stringContaining(`sqs:SendMessage on resource: arn:aws:sqs:${REGION}:${ACCOUNT}:other-dead-letters`),
    });
  });
});

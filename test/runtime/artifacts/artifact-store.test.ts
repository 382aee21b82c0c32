import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { workerDocument, workerResult } from './worker-result';
import { ArtifactStore } from '../../../runtime/adapters/artifact-store';
import { S3Bucket, S3Error } from '../../../runtime/adapters/s3-bucket';
import { AssignmentSchema } from '../../../runtime/contracts/assignment';
import { type UploadTarget } from '../../../runtime/contracts/upload-target';
import { uploadFile } from '../../../runtime/worker/upload';
import { MotoServer, startMoto } from '../../support/moto-server';
import { newDispatchId } from '../../worker/support/ids';

const BUCKET = 'outpost-artifacts';
const TRANSCRIPT = '{"type":"system"}\n{"type":"result","result":"done"}\n';

describe('ArtifactStore against S3 (moto)', () => {
  let moto: MotoServer;
  let s3: S3Client;
  let store: ArtifactStore;
  /** The bucket as moto serves it (path-style), with the Region and credentials startMoto sets. */
  const bucket = (name = BUCKET) => new S3Bucket(name, `${moto.endpoint}/${name}`);

  beforeAll(async () => {
    moto = await startMoto();
    s3 = new S3Client({ forcePathStyle: true });
    store = new ArtifactStore(bucket());
  });
  afterAll(async () => {
    s3.destroy();
    await moto.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });

  function decodePolicy(target: UploadTarget): { expiration: string; conditions: unknown[] } {
    return JSON.parse(Buffer.from(target.fields.Policy, 'base64').toString('utf8'));
  }

  /** What the worker uploads at the end of a successful run, through its own upload code. */
  async function uploadRun(dispatchId: string): Promise<string> {
    const target = await store.presignUpload(dispatchId);
    const result = workerDocument(workerResult(dispatchId, { cancelled: false, agent: { exitCode: 0, timedOut: false }, platformErrors: [] }, {
      commit: 'a'.repeat(40), branch: `outpost/${dispatchId}`, tokenUsage: { input: 10, output: 2, cached: 0 },
    }));
    await uploadFile(target, 'transcript.log', Buffer.from(TRANSCRIPT), 'text/plain; charset=utf-8');
    await uploadFile(target, 'result.json', Buffer.from(result), 'application/json');
    return result;
  }

  describe('presignUpload', () => {
    test("is an upload the worker's assignment schema accepts", async () => {
      const dispatchId = newDispatchId();
      const upload = await store.presignUpload(dispatchId);
      const assignment = AssignmentSchema.safeParse({
        dispatchId, agent: 'claude', model: 'test-model-1', prompt: 'Fix the build', workspace: { kind: 'ephemeral' }, timeoutSeconds: 600, upload,
      });
      expect(assignment.error).toBeUndefined();
      expect(upload).toMatchObject({ url: `${moto.endpoint}/${BUCKET}`, keyPrefix: `artifacts/${dispatchId}/` });
      expect(upload.fields.key).toBe(`artifacts/${dispatchId}/\${filename}`);
    });

    // Moto stores a POST without evaluating its policy (no prefix, size or expiry check: moto/s3/responses.py
    // _bucket_response_post), so what S3 would enforce is read from the signed policy instead.
    test('signs a policy that holds the upload to the prefix, the size cap and the expiry', async () => {
      const dispatchId = newDispatchId();
      const before = Date.now();
      const policy = decodePolicy(await store.presignUpload(dispatchId));
      expect(policy.conditions).toEqual(expect.arrayContaining([
        ['starts-with', '$key', `artifacts/${dispatchId}/`],
        ['content-length-range', 0, 1024 ** 3],
        { bucket: BUCKET },
      ]));
      expect(policy.conditions.filter((condition) => JSON.stringify(condition).includes('$key'))).toHaveLength(1);
      const expiresIn = Date.parse(policy.expiration) - before;
      expect(expiresIn).toBeGreaterThan(2 * 3600_000 - 5_000);
      expect(expiresIn).toBeLessThanOrEqual(2 * 3600_000);

      const short = decodePolicy(await store.presignUpload(dispatchId, { expiresSeconds: 600, maxBytes: 1000 }));
      expect(short.conditions).toContainEqual(['content-length-range', 0, 1000]);
      expect(Date.parse(short.expiration) - before).toBeLessThanOrEqual(600_000);
    });

    test('refuses an id that is not a ULID and limits S3 would refuse', async () => {
      await expect(store.presignUpload('01JQ8Z6V3N4R5T7W9Y1B3D5F7H/../x')).rejects.toThrow(RangeError);
      await expect(store.presignUpload(newDispatchId(), { expiresSeconds: 8 * 24 * 3600 })).rejects.toThrow(RangeError);
      await expect(store.presignUpload(newDispatchId(), { maxBytes: 0 })).rejects.toThrow(RangeError);
    });
  });

  test('a real multipart POST with the presigned fields lands under the prefix; list and presigned GETs find it', async () => {
    const dispatchId = newDispatchId();
    const other = newDispatchId();
    const result = await uploadRun(dispatchId);
    await uploadRun(other);

    const listed = await store.list(dispatchId);
    expect(listed.map(({ name, size }) => ({ name, size })).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'result.json', size: Buffer.byteLength(result) },
      { name: 'transcript.log', size: Buffer.byteLength(TRANSCRIPT) },
    ]);
    for (const { lastModified } of listed) {
      expect(Math.abs(Date.parse(lastModified) - Date.now())).toBeLessThan(60_000);
    }

    const downloads = await store.presignDownloads(dispatchId);
    const contents = Object.fromEntries(await Promise.all(downloads.map(async ({ name, url }) => {
      expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('3600');
      const response = await fetch(url);
      return [name, await response.text()];
    })));
    expect(contents).toEqual({ 'transcript.log': TRANSCRIPT, 'result.json': result });
  });

  test('list of a dispatch with no artifacts is empty', async () => {
    expect(await store.list(newDispatchId())).toEqual([]);
    expect(await store.presignDownloads(newDispatchId())).toEqual([]);
  });

  describe('readResult', () => {
    test('the result the worker uploaded', async () => {
      const dispatchId = newDispatchId();
      const document = await uploadRun(dispatchId);
      expect(await store.readResult(dispatchId)).toEqual({ ok: true, result: JSON.parse(document) });
    });

    test('null while there is none', async () => {
      expect(await store.readResult(newDispatchId())).toBeNull();
    });

    test('a reason for a truncated document', async () => {
      const dispatchId = newDispatchId();
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `artifacts/${dispatchId}/result.json`, Body: '{"dispatchId":' }));
      expect(await store.readResult(dispatchId)).toEqual({ ok: false, reason: expect.stringMatching(/^result\.json is not JSON: /) });
    });

    test("a reason for another dispatch's result copied into the prefix", async () => {
      const [dispatchId, other] = [newDispatchId(), newDispatchId()];
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `artifacts/${dispatchId}/result.json`, Body: await uploadRun(other) }));
      expect(await store.readResult(dispatchId)).toEqual({ ok: false, reason: `result.json belongs to dispatch ${other}, not ${dispatchId}` });
    });

    test('a reason for a document larger than a result can be', async () => {
      const dispatchId = newDispatchId();
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `artifacts/${dispatchId}/result.json`, Body: Buffer.alloc(1024 * 1024 + 1, 0x20) }));
      expect(await store.readResult(dispatchId)).toEqual({ ok: false, reason: 'result.json is 1048577 bytes, more than a result can be (1048576)' });
    });

    test('throws, naming S3\'s code and message, when the bucket itself is missing', async () => {
      const missing = new ArtifactStore(bucket('no-such-bucket'));
      const error = await missing.readResult(newDispatchId()).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(S3Error);
      expect(error).toMatchObject({ code: 'NoSuchBucket', status: 404, message: expect.stringMatching(/^S3 answered 404 NoSuchBucket: The specified bucket does not exist/) });
      await expect(missing.list(newDispatchId())).rejects.toMatchObject({ code: 'NoSuchBucket' });
      await expect(missing.presignDownloads(newDispatchId())).rejects.toMatchObject({ code: 'NoSuchBucket' });
    });
  });

  test('a listing follows continuation tokens to the last page, and only under the prefix', async () => {
    const dispatchId = newDispatchId();
    const prefix = `artifacts/${dispatchId}/`;
    const names = ['a.log', 'b.log', 'c d.log', 'e+f=g.log', 'sub/ü.log'];
    for (const name of [...names.map((n) => `${prefix}${n}`), `artifacts/${newDispatchId()}/other.log`, 'artifacts/outside.log']) {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: name, Body: name }));
    }
    const listed = await bucket().listObjects(prefix, 2);
    expect(listed.map(({ key, size }) => ({ key, size }))).toEqual(names.map((n) => ({ key: `${prefix}${n}`, size: Buffer.byteLength(`${prefix}${n}`) })));
    expect(listed.every(({ lastModified }) => Math.abs(lastModified.getTime() - Date.now()) < 60_000)).toBe(true);
    expect((await store.list(dispatchId)).map(({ name }) => name)).toEqual(names);
  });

  test('a presigned GET of a key with spaces, unicode, + and = returns its bytes', async () => {
    const dispatchId = newDispatchId();
    const key = `artifacts/${dispatchId}/a b/ü+x=y (1).bin`;
    const bytes = Buffer.from([0, 1, 2, 254, 255]);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes }));
    const [download] = await store.presignDownloads(dispatchId, 60);
    expect(download).toMatchObject({ name: 'a b/ü+x=y (1).bin', size: 5 });
    expect(Buffer.from(await (await fetch(download.url)).arrayBuffer())).toEqual(bytes);
  });
});

import * as http from 'http';
import type { AddressInfo } from 'net';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ArtifactStore } from '../../../runtime/adapters/artifact-store';
import { S3Bucket, S3Error } from '../../../runtime/adapters/s3-bucket';
import { newDispatchId } from '../../worker/support/ids';

const REGION = 'eu-west-1';
const BUCKET = 'outpost-artifacts-1a2b3c';
/** As the construct configures it: the bucket's regional, virtual-hosted endpoint. */
const BUCKET_URL = `https://${BUCKET}.s3.${REGION}.amazonaws.com`;
/** A role session's credentials: the token holds characters a URL and a form must escape. */
const SESSION = { accessKeyId: 'ASIAEXAMPLEEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'IQoJb3JpZ2luX2Vj+EXAMPLE/token==' };
const LONG_TERM = { accessKeyId: 'AKIAEXAMPLEEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

/** Only Date is faked: both signers read the same fixed clock, and promises and fetch run as usual. */
function fixClock(now: string): void {
  jest.useFakeTimers({
    now: new Date(now),
    doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame',
      'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
  });
}

describe('S3Bucket signs as the AWS SDK does', () => {
  afterEach(() => jest.useRealTimers());

  // By default (WHEN_SUPPORTED) the S3 client also puts checksum parameters in a GET's query, which a
  // download link has no use for; the rest of the URL, signature included, must be the SDK's.
  const reference = (credentials: typeof SESSION | typeof LONG_TERM) => new S3Client({
    region: REGION, credentials, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
  });

  test.each([
    'artifacts/01JQ8Z6V3N4R5T7W9Y1B3D5F7H/transcript.log',
    'artifacts/01JQ8Z6V3N4R5T7W9Y1B3D5F7H/a file with spaces.txt',
    'artifacts/01JQ8Z6V3N4R5T7W9Y1B3D5F7H/ünïcödé/日本語.md',
    'artifacts/01JQ8Z6V3N4R5T7W9Y1B3D5F7H/a+b=c&d?e#f%g.json',
    "artifacts/01JQ8Z6V3N4R5T7W9Y1B3D5F7H/it's (1)!*~_-.txt",
    'artifacts/01JQ8Z6V3N4R5T7W9Y1B3D5F7H/deep/er/path/x',
    // Signed as the key it is, not as the other dispatch's key a URL parser would make of it.
    'artifacts/01JQ8Z6V3N4R5T7W9Y1B3D5F7H/../01JQ8Z6V3N4R5T7W9Y1B3D5F7J/./result.json',
  ])('a presigned GET of %j is getSignedUrl\'s URL', async (key) => {
    fixClock('2026-03-04T05:06:07.890Z');
    for (const credentials of [SESSION, LONG_TERM]) {
      const mine = await new S3Bucket(BUCKET, BUCKET_URL, { region: REGION, credentials: async () => credentials }).presignGetObject(key, 900);
      const sdk = await getSignedUrl(reference(credentials), new GetObjectCommand({ Bucket: BUCKET, Key: key }), { expiresIn: 900 });
      expect(mine).toBe(sdk);
    }
  });

  test('the artifact store\'s upload is createPresignedPost\'s: the same fields, policy and signature', async () => {
    fixClock('2026-03-04T05:06:07.890Z');
    const dispatchId = newDispatchId();
    const keyPrefix = `artifacts/${dispatchId}/`;
    for (const credentials of [SESSION, LONG_TERM]) {
      const store = new ArtifactStore(new S3Bucket(BUCKET, BUCKET_URL, { region: REGION, credentials: async () => credentials }));
      const mine = await store.presignUpload(dispatchId, { expiresSeconds: 7200, maxBytes: 1000 });
      const sdk = await createPresignedPost(reference(credentials), {
        Bucket: BUCKET,
        Key: `${keyPrefix}\${filename}`,
        Conditions: [['starts-with', '$key', keyPrefix], ['content-length-range', 0, 1000]],
        Expires: 7200,
      });
      const policy = (fields: Record<string, string>) => JSON.parse(Buffer.from(fields.Policy, 'base64').toString('utf8'));
      expect(policy(mine.fields)).toEqual(policy(sdk.fields));
      expect(policy(mine.fields).expiration).toBe('2026-03-04T07:06:07Z');
      expect(mine.fields).toEqual(sdk.fields);
      expect(mine.fields['X-Amz-Security-Token']).toBe(credentials === SESSION ? SESSION.sessionToken : undefined);
      expect(new URL(mine.url).href).toBe(new URL(sdk.url).href);
      expect(mine.keyPrefix).toBe(keyPrefix);
    }
  });

  test('a POST for one exact key holds it to that key', async () => {
    fixClock('2026-12-31T23:59:59.999Z');
    const bucket = new S3Bucket(BUCKET, BUCKET_URL, { region: REGION, credentials: async () => SESSION });
    const mine = await bucket.presignPost('artifacts/x/result.json', [['content-length-range', 0, 10]], 60);
    const sdk = await createPresignedPost(reference(SESSION), { Bucket: BUCKET, Key: 'artifacts/x/result.json', Conditions: [['content-length-range', 0, 10]], Expires: 60 });
    expect(mine.fields).toEqual(sdk.fields);
  });

  test('without a Region it says where one comes from', () => {
    const saved = process.env.AWS_REGION;
    delete process.env.AWS_REGION;
    try {
      expect(() => new S3Bucket(BUCKET, BUCKET_URL, { credentials: async () => SESSION })).toThrow(/set AWS_REGION/);
    } finally {
      process.env.AWS_REGION = saved;
    }
  });
});

/** S3's error document, as it answers a refused request. */
const s3ErrorXml = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>R1</RequestId></Error>`;

describe('S3Bucket requests: what S3 answers besides success', () => {
  let server: http.Server;
  let answers: Array<{ status: number; body: string }>;
  let requests: string[];
  let bucket: S3Bucket;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      requests.push(request.url!);
      const { status, body } = answers.shift() ?? { status: 200, body: 'the object' };
      response.writeHead(status, { 'content-type': status === 200 ? 'text/plain' : 'application/xml' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    bucket = new S3Bucket(BUCKET, `http://127.0.0.1:${(server.address() as AddressInfo).port}/${BUCKET}`, { region: REGION, credentials: async () => SESSION });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    answers = [];
    requests = [];
  });

  test('the request is a presigned GET of the key, encoded per segment', async () => {
    expect(await (await bucket.getObject('artifacts/x/a b+c.txt')).text()).toBe('the object');
    const url = new URL(requests[0], 'http://localhost');
    expect(url.pathname).toBe(`/${BUCKET}/artifacts/x/a%20b%2Bc.txt`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe(SESSION.sessionToken);
  });

  test('SlowDown and InternalError are retried', async () => {
    answers = [{ status: 503, body: s3ErrorXml('SlowDown', 'Please reduce your request rate.') }, { status: 500, body: s3ErrorXml('InternalError', 'We encountered an internal error.') }];
    expect(await (await bucket.getObject('artifacts/x/a.txt')).text()).toBe('the object');
    expect(requests).toHaveLength(3);
  });

  test('three transient failures in a row throw the last', async () => {
    answers = Array.from({ length: 3 }, () => ({ status: 503, body: s3ErrorXml('SlowDown', 'Please reduce your request rate.') }));
    await expect(bucket.getObject('artifacts/x/a.txt')).rejects.toThrow('S3 answered 503 SlowDown: Please reduce your request rate.');
    expect(requests).toHaveLength(3);
  });

  test('a refusal throws at once, naming S3\'s code and message', async () => {
    answers = [{ status: 403, body: s3ErrorXml('AccessDenied', 'Access Denied') }];
    const error = await bucket.listObjects('artifacts/x/').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(S3Error);
    expect(error).toMatchObject({ code: 'AccessDenied', status: 403, message: 'S3 answered 403 AccessDenied: Access Denied' });
    expect(requests).toHaveLength(1);
    expect(new URL(requests[0], 'http://localhost').searchParams.get('list-type')).toBe('2');
  });

  test('an answer that is not S3\'s XML throws with its status', async () => {
    answers = [{ status: 502, body: '<html>Bad Gateway</html>' }];
    await expect(bucket.getObject('artifacts/x/a.txt')).rejects.toMatchObject({ code: 'Http502', status: 502 });
  });

  test('readResult: a missing result.json is null, access denied throws', async () => {
    const store = new ArtifactStore(bucket);
    answers = [{ status: 404, body: s3ErrorXml('NoSuchKey', 'The specified key does not exist.') }];
    expect(await store.readResult(newDispatchId())).toBeNull();
    answers = [{ status: 403, body: s3ErrorXml('AccessDenied', 'Access Denied') }];
    await expect(store.readResult(newDispatchId())).rejects.toMatchObject({ code: 'AccessDenied' });
  });
});

import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import { type UploadTarget } from '../../runtime/contracts/upload-target';
import { formKey, uploadFile } from '../../runtime/worker/upload';

const PREFIX = 'artifacts/01JQ8Z6V3N4R5T7W9Y1B3D5F7H/';

describe('formKey', () => {
  test("keeps S3's ${filename} placeholder for S3 to fill in", () => {
    expect(formKey({ url: 'x', keyPrefix: PREFIX, fields: { key: `${PREFIX}\${filename}` } }, 'result.json')).toBe(`${PREFIX}\${filename}`);
  });

  test('appends the file name to a key that is a prefix, or to the key prefix when there is no key', () => {
    expect(formKey({ url: 'x', keyPrefix: PREFIX, fields: { key: PREFIX } }, 'result.json')).toBe(`${PREFIX}result.json`);
    expect(formKey({ url: 'x', keyPrefix: PREFIX, fields: {} }, 'result.json')).toBe(`${PREFIX}result.json`);
  });
});

describe('uploadFile', () => {
  let server: Server;
  let target: UploadTarget;
  let statuses: number[];
  let requests: { contentType: string; body: Buffer }[];

  beforeEach(async () => {
    statuses = [];
    requests = [];
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        requests.push({ contentType: request.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
        response.writeHead(statuses.shift() ?? 204).end('<Error>AccessDenied</Error>');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    target = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/bucket`,
      keyPrefix: PREFIX,
      fields: { 'key': `${PREFIX}\${filename}`, 'Policy': 'eyJleHBpcmF0aW9uIjoi', 'X-Amz-Signature': 'f00d' },
    };
  });
  afterEach(() => new Promise((resolve) => server.close(resolve)));

  async function form(index: number): Promise<[string, unknown][]> {
    const { contentType, body } = requests[index];
    return [...(await new Response(body, { headers: { 'content-type': contentType } }).formData()).entries()];
  }

  test('posts the presigned fields, then the file under its name, as multipart/form-data', async () => {
    await uploadFile(target, 'result.json', Buffer.from('{"status":"succeeded"}'), 'application/json');
    expect(requests).toHaveLength(1);
    expect(requests[0].contentType).toMatch(/^multipart\/form-data; boundary=/);
    const entries = await form(0);
    expect(entries.map(([name]) => name)).toEqual(['key', 'Policy', 'X-Amz-Signature', 'file']);
    expect(entries[0][1]).toBe(`${PREFIX}\${filename}`);
    const file = entries[3][1] as File;
    expect(file.name).toBe('result.json');
    expect(await file.text()).toBe('{"status":"succeeded"}');
  });

  test('retries a 5xx answer', async () => {
    statuses = [503];
    await uploadFile(target, 'transcript.log', Buffer.from('x'), 'text/plain');
    expect(requests).toHaveLength(2);
  });

  test("refuses, unsent, a file over the policy's content-length-range maximum (inclusive, as S3 counts it)", async () => {
    const policy = Buffer.from(JSON.stringify({ expiration: '2026-12-07T06:00:00Z', conditions: [['content-length-range', 0, 4]] })).toString('base64');
    // S3 reads form field names without regard to case.
    target = { ...target, fields: { key: target.fields.key, policy } };
    await expect(uploadFile(target, 'transcript.log', Buffer.from('12345'), 'text/plain'))
      .rejects.toThrow('transcript.log was not uploaded: it is 5 bytes, more than the 4 the upload policy allows');
    expect(requests).toHaveLength(0);
    await uploadFile(target, 'transcript.log', Buffer.from('1234'), 'text/plain');
    expect(requests).toHaveLength(1);
  });

  test('does not retry a refusal (4xx), and says what S3 said', async () => {
    statuses = [403];
    await expect(uploadFile(target, 'result.json', Buffer.from('{}'), 'application/json')).rejects.toThrow('upload of result.json was refused: HTTP 403 <Error>AccessDenied</Error>');
    expect(requests).toHaveLength(1);
  });
});

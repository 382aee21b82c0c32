import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';

/**
 * A bucket that takes S3 browser-style POST uploads and refuses any file larger than `maxBytes` as S3
 * refuses one: HTTP 400 with its XML error document, code EntityTooLarge. It stands in for S3 where moto
 * cannot: moto accepts a file of any size whatever the policy says.
 *
 * From S3's documentation: the error code, its message and its 400 status from the list of error codes
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList); the document's
 * shape (an `Error` element holding Code, Message, RequestId and HostId, served as application/xml) from
 * the REST error response on the same page; a successful POST's 204 from PostObject's
 * `success_action_status` default (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html).
 */
export class S3PostStandIn {
  static async start(maxBytes: number): Promise<S3PostStandIn> {
    const standIn = new S3PostStandIn(maxBytes);
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  /** What it stored, by key. */
  readonly objects = new Map<string, Buffer>();
  /** The keys of the files it refused. */
  readonly refused: string[] = [];
  private readonly server: Server;

  private constructor(private readonly maxBytes: number) {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.receive(request.headers['content-type'] ?? '', Buffer.concat(chunks))
          .then(({ status, body }) => response.writeHead(status, body ? { 'content-type': 'application/xml' } : {}).end(body),
            (error: unknown) => response.writeHead(400).end(`not a POST upload form: ${String(error)}`));
      });
    });
  }

  /** The bucket's URL, as a presigned POST names it. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/outpost-artifacts`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async receive(contentType: string, body: Buffer): Promise<{ status: number; body?: string }> {
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    const file = form.get('file') as File;
    // S3 puts the file part's name where the key says ${filename}.
    const key = String(form.get('key')).replace('${filename}', file.name);
    if (file.size > this.maxBytes) {
      this.refused.push(key);
      return { status: 400, body: entityTooLarge() };
    }
    this.objects.set(key, Buffer.from(await file.arrayBuffer()));
    return { status: 204 };
  }
}

function entityTooLarge(): string {
  return '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>EntityTooLarge</Code>'
    + '<Message>Your proposed upload exceeds the maximum allowed object size.</Message>'
    + '<RequestId>4442587FB7D0A2F9</RequestId><HostId>standin</HostId></Error>';
}

import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';

/** A POST S3 refused, and why. */
export interface RefusedPost {
  readonly key: string;
  readonly code: string;
}

/**
 * S3's check of a browser-based POST's policy expiration, in front of moto's S3, which checks no policy at all:
 * a POST whose policy has expired is refused as S3 refuses it, HTTP 403 AccessDenied "Invalid according to
 * Policy: Policy expired."; any other is passed to moto unchanged and moto's answer returned.
 *
 * From S3's documentation: a POST policy's `expiration` is "the expiration date and time of the POST policy in
 * ISO8601 GMT date format" after which S3 refuses the request (Creating a POST policy,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html); the error document's
 * shape and AccessDenied's 403 from the list of error codes (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
 */
export class S3PostPolicyCheck {
  static async start(motoEndpoint: string): Promise<S3PostPolicyCheck> {
    const check = new S3PostPolicyCheck(motoEndpoint);
    await new Promise<void>((resolve) => check.server.listen(0, '127.0.0.1', resolve));
    return check;
  }

  readonly refused: RefusedPost[] = [];
  readonly passed: string[] = [];
  private readonly server: Server;

  private constructor(private readonly motoEndpoint: string) {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.receive(request.url ?? '/', request.headers['content-type'] ?? '', Buffer.concat(chunks))
          .then(({ status, body, type }) => response.writeHead(status, type ? { 'content-type': type } : {}).end(body),
            (error: unknown) => response.writeHead(400).end(`not a POST upload form: ${String(error)}`));
      });
    });
  }

  /** Where a presigned POST for `bucket` goes: this check, path-style. */
  bucketUrl(bucket: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${bucket}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async receive(path: string, contentType: string, body: Buffer): Promise<{ status: number; body?: string; type?: string }> {
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    const file = form.get('file') as File;
    const key = String(form.get('key')).replace('${filename}', file.name);
    const policy = [...form.entries()].find(([name]) => name.toLowerCase() === 'policy')?.[1];
    const expiration = policy === undefined ? NaN : Date.parse(JSON.parse(Buffer.from(String(policy), 'base64').toString('utf8')).expiration);
    if (!(expiration > Date.now())) {
      this.refused.push({ key, code: 'AccessDenied' });
      return { status: 403, type: 'application/xml', body: accessDenied('Invalid according to Policy: Policy expired.') };
    }
    const answer = await fetch(`${this.motoEndpoint}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
    if (answer.ok) {
      this.passed.push(key);
    }
    return { status: answer.status, body: await answer.text(), type: answer.headers.get('content-type') ?? undefined };
  }
}

function accessDenied(message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${message}</Message><RequestId>0</RequestId><HostId>0</HostId></Error>`;
}
